# Mirrors amdegroot/ssd.pytorch ssd.py: SSD.__init__ builds PriorBox(voc or coco config) and calls
# forward() for the 8732 SSD300 default boxes (data/config.py's voc / coco dicts, copied here:
# data/__init__.py needs cv2); also the unclipped variant. layers/__init__.py imports data, so
# layers/functions/ is put on sys.path and the module is imported by its stem.
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers", "functions"))
from prior_box import PriorBox  # noqa: E402

torch.manual_seed(0)
voc = {
    "num_classes": 21,
    "feature_maps": [38, 19, 10, 5, 3, 1],
    "min_dim": 300,
    "steps": [8, 16, 32, 64, 100, 300],
    "min_sizes": [30, 60, 111, 162, 213, 264],
    "max_sizes": [60, 111, 162, 213, 264, 315],
    "aspect_ratios": [[2], [2, 3], [2, 3], [2, 3], [2], [2]],
    "variance": [0.1, 0.2],
    "clip": True,
    "name": "VOC",
}
coco = dict(
    voc, num_classes=201, min_sizes=[21, 45, 99, 153, 207, 261], max_sizes=[45, 99, 153, 207, 261, 315], name="COCO"
)

priorbox = PriorBox(voc)
with torch.no_grad():
    priors = priorbox.forward()
priors_coco = PriorBox(coco).forward()
priors_noclip = PriorBox(dict(voc, clip=False)).forward()
