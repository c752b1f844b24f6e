# Mirrors lucidrains/vit-pytorch README "Simple ViT": SimpleViT(image_size=256, patch_size=32,
# num_classes=1000, dim=1024, depth=6, heads=16, mlp_dim=2048) on 256x256 images, then a training step.
# vit_pytorch/__init__.py imports dino.py (torchvision), so the module is imported by its stem.
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vit_pytorch"))
import torch

torch.manual_seed(0)
from simple_vit import SimpleViT

v = SimpleViT(image_size=256, patch_size=32, num_classes=1000, dim=1024, depth=6, heads=16, mlp_dim=2048)
img = torch.randn(2, 3, 256, 256)
preds = v(img)
loss = torch.nn.functional.cross_entropy(preds, torch.randint(0, 1000, (2,)))
loss.backward()
