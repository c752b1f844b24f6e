# Mirrors kaituoxu/Conv-TasNet src/train.py + solver.py + separate.py: ConvTasNet(N=256, L=20, B=256,
# H=512, P=3, X=8, R=4, C=2, norm_type='gLN', causal=0, mask_nonlinear='relu') (train.py defaults) on
# padded 8 kHz mixtures [M, T] with their lengths: forward, SI-SNR PIT loss (pit_criterion.cal_loss,
# inlined as a plain SI-SNR here: it is another file), backward, clip_grad_norm_(max_norm=5); then
# separate.py's eval forward and utils.remove_pad; also a causal cLN and a BN variant with smaller
# settings. Segments of 0.25 s (2000 samples) and batch 2 instead of 4 s and 128, to stay fast on CPU.
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))
import torch

torch.manual_seed(0)
from conv_tasnet import ConvTasNet
from utils import remove_pad

model = ConvTasNet(256, 20, 256, 512, 3, 8, 4, 2, norm_type="gLN", causal=0, mask_nonlinear="relu")
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=0.0)
padded_mixture = torch.randn(2, 2000)
mixture_lengths = torch.tensor([2000, 1800])
padded_source = torch.randn(2, 2, 2000)
padded_mixture[1, 1800:] = 0
padded_source[1, :, 1800:] = 0

model.train()
estimate_source = model(padded_mixture)
s = padded_source - padded_source.mean(dim=2, keepdim=True)
e = estimate_source - estimate_source.mean(dim=2, keepdim=True)
proj = (e * s).sum(dim=2, keepdim=True) * s / ((s**2).sum(dim=2, keepdim=True) + 1e-8)
loss = -torch.mean(10 * torch.log10((proj**2).sum(dim=2) / (((e - proj) ** 2).sum(dim=2) + 1e-8) + 1e-8))
optimizer.zero_grad()
loss.backward()
torch.nn.utils.clip_grad_norm_(model.parameters(), 5)
optimizer.step()

model.eval()
with torch.no_grad():
    estimate_source = model(padded_mixture)
    flat_estimate = remove_pad(estimate_source, mixture_lengths)
    mixture = remove_pad(padded_mixture, mixture_lengths)

for norm_type, causal in [("cLN", 1), ("BN", 0)]:
    small = ConvTasNet(128, 40, 128, 256, 3, 4, 2, 3, norm_type=norm_type, causal=causal, mask_nonlinear="softmax")
    with torch.no_grad():
        small(torch.randn(3, 1600))
