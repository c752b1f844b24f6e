# Mirrors kaituoxu/Conv-TasNet src/solver.py: loss, max_snr, estimate_source, reorder_estimate_source =
# cal_loss(padded_source, estimate_source, mixture_lengths) on [B, C, T] 8 kHz sources with padded
# lengths, then loss.backward(); C=2 (train.py default) and C=3 speakers. The estimate comes from a
# stand-in linear layer (the model is another file). Batch 3, 0.5 s segments.
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))
import torch

torch.manual_seed(0)
from pit_criterion import cal_loss

for C in (2, 3):
    B, T = 3, 4000
    padded_source = torch.randn(B, C, T)
    mixture_lengths = torch.tensor([T, T - 500, T - 1000])
    for b in range(B):
        padded_source[b, :, mixture_lengths[b] :] = 0
    mixture = padded_source.sum(dim=1)
    head = torch.nn.Linear(1, C)
    estimate_source = head(mixture.unsqueeze(-1)).permute(0, 2, 1)
    loss, max_snr, estimate_source, reorder_estimate_source = cal_loss(padded_source, estimate_source, mixture_lengths)
    loss.backward()
