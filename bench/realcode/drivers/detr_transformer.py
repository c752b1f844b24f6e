# Mirrors facebookresearch/detr models/detr.py with main.py's defaults: build_transformer()
# (hidden_dim 256, 8 heads, 6+6 layers, ffn 2048, dropout 0.1, return_intermediate_dec=True),
# fed input_proj(ResNet-50 C5 features) with the padding mask, a position embedding and
# query_embed.weight (100 queries), then the class / box heads on the decoder outputs; also
# --pre_norm. Images ~800x1066 give a 25x34 feature map; here a padded 2-image batch of 20x27.
# models/__init__.py imports detr.py (torchvision), so models/ is put on sys.path and the module
# is imported by its stem.
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "models"))
from transformer import Transformer  # noqa: E402

torch.manual_seed(0)
hidden_dim, num_queries, num_classes = 256, 100, 91
transformer = Transformer(
    d_model=hidden_dim,
    dropout=0.1,
    nhead=8,
    dim_feedforward=2048,
    num_encoder_layers=6,
    num_decoder_layers=6,
    normalize_before=False,
    return_intermediate_dec=True,
)
input_proj = nn.Conv2d(2048, hidden_dim, kernel_size=1)
query_embed = nn.Embedding(num_queries, hidden_dim)
class_embed = nn.Linear(hidden_dim, num_classes + 1)
bbox_embed = nn.Sequential(nn.Linear(hidden_dim, hidden_dim), nn.ReLU(), nn.Linear(hidden_dim, 4))
pos_embed = nn.Embedding(20 * 27, hidden_dim)  # stands in for the backbone's position embedding

src = torch.randn(2, 2048, 20, 27)
mask = torch.zeros(2, 20, 27, dtype=torch.bool)
mask[1, :, 22:] = True
mask[1, 17:, :] = True
pos = pos_embed.weight.t().reshape(1, hidden_dim, 20, 27).repeat(2, 1, 1, 1)

hs = transformer(input_proj(src), mask, query_embed.weight, pos)[0]
outputs_class = class_embed(hs)
outputs_coord = bbox_embed(hs).sigmoid()
out = {"pred_logits": outputs_class[-1], "pred_boxes": outputs_coord[-1]}

pre = Transformer(
    d_model=hidden_dim,
    nhead=8,
    num_encoder_layers=2,
    num_decoder_layers=2,
    dim_feedforward=512,
    normalize_before=True,
    return_intermediate_dec=False,
)
pre.eval()
with torch.no_grad():
    hs, memory = pre(input_proj(src), mask, query_embed.weight, pos)
