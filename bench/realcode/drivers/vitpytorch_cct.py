# Mirrors lucidrains/vit-pytorch README "CCT": CCT(img_size=(224, 448), embedding_dim=384,
# n_conv_layers=2, kernel_size=7, stride=2, padding=3, pooling 3/2/1, num_layers=14, num_heads=6,
# mlp_ratio=3., num_classes=1000, positional_embedding='learnable') on 224x448 images, and the
# README's cct_14(img_size=224, n_conv_layers=1, ...) factory (here cct_2 and 'sine' to stay cheap).
# vit_pytorch/__init__.py imports dino.py (torchvision), so the module is imported by its stem.
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vit_pytorch"))
import torch

torch.manual_seed(0)
from cct import CCT, cct_2

cct = CCT(
    img_size=(224, 448),
    embedding_dim=384,
    n_conv_layers=2,
    kernel_size=7,
    stride=2,
    padding=3,
    pooling_kernel_size=3,
    pooling_stride=2,
    pooling_padding=1,
    num_layers=14,
    num_heads=6,
    mlp_ratio=3.0,
    num_classes=1000,
    positional_embedding="learnable",
)
img = torch.randn(2, 3, 224, 448)
pred = cct(img)

small = cct_2(
    img_size=224,
    n_conv_layers=1,
    kernel_size=7,
    stride=2,
    padding=3,
    pooling_kernel_size=3,
    pooling_stride=2,
    pooling_padding=1,
    num_classes=1000,
    positional_embedding="sine",
)
small.eval()
with torch.no_grad():
    small(torch.randn(2, 3, 224, 224))
