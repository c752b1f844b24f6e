# Mirrors lucidrains/vit-pytorch README "MobileViT" (mobilevit_xs): MobileViT(image_size=(256, 256),
# dims=[96, 120, 144], channels=[16, 32, 48, 48, 64, 64, 80, 80, 96, 96, 384], num_classes=1000)
# on 256x256 images.
# vit_pytorch/__init__.py imports dino.py (torchvision), so the module is imported by its stem.
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vit_pytorch"))
import torch

torch.manual_seed(0)
from mobile_vit import MobileViT

mbvit_xs = MobileViT(
    image_size=(256, 256), dims=[96, 120, 144], channels=[16, 32, 48, 48, 64, 64, 80, 80, 96, 96, 384], num_classes=1000
)
img = torch.randn(2, 3, 256, 256)
pred = mbvit_xs(img)
