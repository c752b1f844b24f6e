# Mirrors eriklindernoren/PyTorch-GAN implementations/pix2pix/pix2pix.py: GeneratorUNet and the
# conditional PatchGAN Discriminator on 256x256 facades pairs (the script's default size, which
# the 8-level U-Net needs), batch 2: generator GAN + pixel loss, discriminator real/fake losses
# (no backward), then sample_images() in eval mode.
import numpy as np
import torch

from implementations.pix2pix.models import Discriminator, GeneratorUNet, weights_init_normal

torch.manual_seed(0)
img_height = img_width = 256
patch = (1, img_height // 2**4, img_width // 2**4)
generator = GeneratorUNet()
discriminator = Discriminator()
generator.apply(weights_init_normal)
discriminator.apply(weights_init_normal)
criterion_GAN = torch.nn.MSELoss()
criterion_pixelwise = torch.nn.L1Loss()

real_A = torch.randn(2, 3, img_height, img_width)
real_B = torch.randn(2, 3, img_height, img_width)
valid = torch.Tensor(np.ones((real_A.size(0), *patch)))
fake = torch.Tensor(np.zeros((real_A.size(0), *patch)))

fake_B = generator(real_A)
pred_fake = discriminator(fake_B, real_A)
loss_GAN = criterion_GAN(pred_fake, valid)
loss_pixel = criterion_pixelwise(fake_B, real_B)
loss_G = loss_GAN + 100 * loss_pixel

pred_real = discriminator(real_B, real_A)
loss_real = criterion_GAN(pred_real, valid)
pred_fake = discriminator(fake_B.detach(), real_A)
loss_fake = criterion_GAN(pred_fake, fake)
loss_D = 0.5 * (loss_real + loss_fake)

generator.eval()
with torch.no_grad():
    fake_B = generator(real_A)
