# Mirrors how sooftware/conformer's encoder blocks use attention.py: MultiHeadedSelfAttentionModule
# (relative positional encoding, RelativeMultiHeadAttention with _relative_shift) inside the
# README's Conformer(num_classes=10, input_dim=80, encoder_dim=32, num_encoder_layers=3), and the
# module alone at the default encoder_dim 512 / 8 heads on subsampled frames, with and without
# a padding mask. Batch 3.
import torch

from conformer import Conformer
from conformer.attention import MultiHeadedSelfAttentionModule

torch.manual_seed(0)
inputs = torch.rand(3, 300, 80)
input_lengths = torch.LongTensor([300, 280, 250])
model = Conformer(num_classes=10, input_dim=80, encoder_dim=32, num_encoder_layers=3)
outputs, output_lengths = model(inputs, input_lengths)

mhsa = MultiHeadedSelfAttentionModule(d_model=512, num_heads=8, dropout_p=0.1)
x = torch.randn(3, 74, 512)
out = mhsa(x)
lengths = torch.tensor([74, 60, 50])
mask = (torch.arange(74)[None, :] >= lengths[:, None]).unsqueeze(1).expand(-1, 74, -1)
out = mhsa(x, mask)
