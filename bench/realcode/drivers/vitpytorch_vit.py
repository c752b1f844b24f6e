# Mirrors lucidrains/vit-pytorch README "Usage" / tests/test_vit.py: ViT(image_size=256, patch_size=32,
# num_classes=1000, dim=1024, depth=6, heads=16, mlp_dim=2048, dropout=0.1, emb_dropout=0.1) on
# 256x256 images; also the README's mean-pool variant and the headless (num_classes=0) embedding use.
# vit_pytorch/__init__.py imports dino.py (torchvision), so the module is imported by its stem.
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vit_pytorch"))
import torch

torch.manual_seed(0)
from vit import ViT

v = ViT(
    image_size=256,
    patch_size=32,
    num_classes=1000,
    dim=1024,
    depth=6,
    heads=16,
    mlp_dim=2048,
    dropout=0.1,
    emb_dropout=0.1,
)
img = torch.randn(2, 3, 256, 256)
preds = v(img)
preds.sum().backward()

v2 = ViT(
    image_size=(128, 64), patch_size=16, num_classes=10, dim=256, depth=2, heads=4, mlp_dim=512, pool="mean", channels=1
)
with torch.no_grad():
    v2(torch.randn(3, 1, 128, 64))

enc = ViT(image_size=256, patch_size=32, num_classes=0, dim=256, depth=2, heads=8, mlp_dim=512)
with torch.no_grad():
    tokens = enc(img)
