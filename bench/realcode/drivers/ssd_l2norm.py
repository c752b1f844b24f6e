# Mirrors amdegroot/ssd.pytorch ssd.py: SSD keeps L2Norm(512, 20) and applies it to the VGG
# conv4_3 output (38x38 for SSD300) before the first multibox head; batch 2, then a backward as
# train.py's step would. layers/__init__.py imports data (cv2, torchvision), so
# layers/modules/ is put on sys.path and the module is imported by its stem.
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers", "modules"))
from l2norm import L2Norm  # noqa: E402

torch.manual_seed(0)
L2Norm_ = L2Norm(512, 20)
conv4_3 = torch.relu(torch.randn(2, 512, 38, 38))
s = L2Norm_(conv4_3)
loc = torch.nn.Conv2d(512, 4 * 4, kernel_size=3, padding=1)(s)
loc = loc.permute(0, 2, 3, 1).contiguous().view(2, -1, 4)
loc.sum().backward()
L2Norm_.reset_parameters()
