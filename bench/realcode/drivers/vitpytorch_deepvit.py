# Mirrors lucidrains/vit-pytorch README "Deep ViT": DeepViT(image_size=256, patch_size=32,
# num_classes=1000, dim=1024, depth=6, heads=16, mlp_dim=2048, dropout=0.1, emb_dropout=0.1) on
# 256x256 images; also pool='mean'.
# vit_pytorch/__init__.py imports dino.py (torchvision), so the module is imported by its stem.
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vit_pytorch"))
import torch

torch.manual_seed(0)
from deepvit import DeepViT

v = DeepViT(
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
v2 = DeepViT(image_size=256, patch_size=32, num_classes=1000, dim=256, depth=2, heads=8, mlp_dim=512, pool="mean")
with torch.no_grad():
    v2(img)
