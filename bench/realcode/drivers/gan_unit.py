# Mirrors eriklindernoren/PyTorch-GAN implementations/unit/unit.py: shared ResidualBlocks,
# Encoder x2 / Generator x2 (dim=64, n_downsample=2) and Discriminator x2, the domain-1 half of a
# generator pass (reconstruction, translation, re-encoding, KL) and a discriminator loss (no backward). Reduced for CPU: 128x128 images instead of the default 256x256; batch 2.
import numpy as np
import torch

from implementations.unit.models import Discriminator, Encoder, Generator, ResidualBlock, weights_init_normal

torch.manual_seed(0)
np.random.seed(0)
input_shape = (3, 128, 128)
dim, n_downsample = 64, 2
shared_dim = dim * 2**n_downsample
shared_E = ResidualBlock(features=shared_dim)
E1 = Encoder(dim=dim, n_downsample=n_downsample, shared_block=shared_E)
E2 = Encoder(dim=dim, n_downsample=n_downsample, shared_block=shared_E)
shared_G = ResidualBlock(features=shared_dim)
G1 = Generator(dim=dim, n_upsample=n_downsample, shared_block=shared_G)
G2 = Generator(dim=dim, n_upsample=n_downsample, shared_block=shared_G)
D1 = Discriminator(input_shape)
D2 = Discriminator(input_shape)
for m in (E1, E2, G1, G2, D1, D2):
    m.apply(weights_init_normal)
criterion_GAN = torch.nn.MSELoss()
criterion_pixel = torch.nn.L1Loss()


def compute_kl(mu):
    mu_2 = torch.pow(mu, 2)
    return torch.mean(mu_2)


X1 = torch.randn(2, *input_shape)
X2 = torch.randn(2, *input_shape)
valid = torch.Tensor(np.ones((X1.size(0), *D1.output_shape)))
fake = torch.Tensor(np.zeros((X1.size(0), *D1.output_shape)))

mu1, Z1 = E1(X1)
recon_X1 = G1(Z1)
fake_X2 = G2(Z1)
mu2_, Z2_ = E2(fake_X2)
loss_G = criterion_GAN(D2(fake_X2), valid) + compute_kl(mu1) + criterion_pixel(recon_X1, X1) + compute_kl(mu2_)
loss_D1 = criterion_GAN(D1(X1), valid)
