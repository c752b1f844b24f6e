# Mirrors eriklindernoren/PyTorch-GAN implementations/cyclegan/cyclegan.py: GeneratorResNet x2 and
# Discriminator x2 with weights_init_normal, the A->B half of a generator step (GAN and cycle
# losses) and a discriminator loss. Reduced config for CPU: 128x128 images with 6 residual blocks (the
# CycleGAN setting for 128px) instead of the script's 256x256 / 9 blocks; batch 2; no backward.
import numpy as np
import torch

from implementations.cyclegan.models import Discriminator, GeneratorResNet, weights_init_normal

torch.manual_seed(0)
input_shape = (3, 128, 128)
G_AB = GeneratorResNet(input_shape, 6)
G_BA = GeneratorResNet(input_shape, 6)
D_A = Discriminator(input_shape)
D_B = Discriminator(input_shape)
for m in (G_AB, G_BA, D_A, D_B):
    m.apply(weights_init_normal)
criterion_GAN = torch.nn.MSELoss()
criterion_cycle = torch.nn.L1Loss()
criterion_identity = torch.nn.L1Loss()

real_A = torch.randn(2, *input_shape)
real_B = torch.randn(2, *input_shape)
valid = torch.Tensor(np.ones((real_A.size(0), *D_A.output_shape)))
fake = torch.Tensor(np.zeros((real_A.size(0), *D_A.output_shape)))

G_AB.train()
G_BA.train()
fake_B = G_AB(real_A)
loss_GAN_AB = criterion_GAN(D_B(fake_B), valid)
recov_A = G_BA(fake_B)
loss_cycle_A = criterion_cycle(recov_A, real_A)
loss_G = loss_GAN_AB + 10.0 * loss_cycle_A

loss_real = criterion_GAN(D_A(real_A), valid)
