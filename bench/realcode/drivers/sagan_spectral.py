# Mirrors how heykeetae/Self-Attention-GAN sagan_models.py uses spectral.py: SpectralNorm around
# the generator's ConvTranspose2d layers (z_dim 128 -> 512 -> 256 ...) and the discriminator's
# Conv2d layers, with the power iteration running on every forward (training), on 64x64 CelebA
# shaped inputs; plus a spectrally normalised Linear and two power iterations. Batch 4.
import torch
import torch.nn as nn

from spectral import SpectralNorm, l2normalize

torch.manual_seed(0)
z = torch.randn(4, 128).view(4, 128, 1, 1)
g1 = SpectralNorm(nn.ConvTranspose2d(128, 512, 4))
g2 = SpectralNorm(nn.ConvTranspose2d(512, 256, 4, 2, 1))
h = g2(torch.relu(g1(z)))

x = torch.randn(4, 3, 64, 64)
d1 = SpectralNorm(nn.Conv2d(3, 64, 4, 2, 1))
d2 = SpectralNorm(nn.Conv2d(64, 128, 4, 2, 1))
out = d2(nn.functional.leaky_relu(d1(x), 0.1))
out.mean().backward()

fc = SpectralNorm(nn.Linear(256, 10), power_iterations=2)
y = fc(torch.randn(4, 256))
v = l2normalize(torch.randn(50))
again = SpectralNorm(fc.module)
