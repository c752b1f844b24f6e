# Mirrors eriklindernoren/PyTorch-GAN implementations/munit/munit.py: Encoder/Decoder pairs and
# MultiDiscriminator with the script's defaults (dim=64, n_downsample=2, n_residual=3,
# style_dim=8) on 128x128 edges2shoes images, batch 2: the domain-1 half of a generator pass
# (reconstruction, translation 1->2, the discriminator's compute_loss; no backward; the
# symmetric half and the style/content recovery passes are left out for CPU time).
import numpy as np
import torch

from implementations.munit.models import Decoder, Encoder, LambdaLR, MultiDiscriminator, weights_init_normal

torch.manual_seed(0)
np.random.seed(0)
dim, n_downsample, n_residual, style_dim = 64, 2, 3, 8
Enc1 = Encoder(dim=dim, n_downsample=n_downsample, n_residual=n_residual, style_dim=style_dim)
Dec1 = Decoder(dim=dim, n_upsample=n_downsample, n_residual=n_residual, style_dim=style_dim)
Enc2 = Encoder(dim=dim, n_downsample=n_downsample, n_residual=n_residual, style_dim=style_dim)
Dec2 = Decoder(dim=dim, n_upsample=n_downsample, n_residual=n_residual, style_dim=style_dim)
D1 = MultiDiscriminator()
D2 = MultiDiscriminator()
for m in (Enc1, Dec1, Enc2, Dec2, D1, D2):
    m.apply(weights_init_normal)
optimizer_G = torch.optim.Adam(list(Enc1.parameters()) + list(Dec1.parameters()), lr=0.0001)
lr_scheduler_G = torch.optim.lr_scheduler.LambdaLR(optimizer_G, lr_lambda=LambdaLR(200, 0, 100).step)
criterion_recon = torch.nn.L1Loss()
valid, fake = 1, 0

X1 = torch.randn(2, 3, 128, 128)
X2 = torch.randn(2, 3, 128, 128)
style_1 = torch.randn(X1.size(0), style_dim, 1, 1)
style_2 = torch.randn(X1.size(0), style_dim, 1, 1)

c_code_1, s_code_1 = Enc1(X1)
X11 = Dec1(c_code_1, s_code_1)
X12 = Dec2(c_code_1, style_2)
loss_G = D2.compute_loss(X12, valid) + 10 * criterion_recon(X11, X1)
