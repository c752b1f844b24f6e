# Mirrors lucidrains/vit-pytorch README "CaiT": CaiT(image_size=256, patch_size=32, num_classes=1000,
# dim=1024, depth=12, cls_depth=2, heads=16, mlp_dim=2048, dropout=0.1, emb_dropout=0.1,
# layer_dropout=0.05) on 256x256 images (train mode, so layer dropout runs), then eval.
# vit_pytorch/__init__.py imports dino.py (torchvision), so the module is imported by its stem.
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vit_pytorch"))
import torch

torch.manual_seed(0)
from cait import CaiT

v = CaiT(
    image_size=256,
    patch_size=32,
    num_classes=1000,
    dim=1024,
    depth=12,
    cls_depth=2,
    heads=16,
    mlp_dim=2048,
    dropout=0.1,
    emb_dropout=0.1,
    layer_dropout=0.05,
)
img = torch.randn(2, 3, 256, 256)
preds = v(img)
v.eval()
with torch.no_grad():
    preds = v(img)
