# Mirrors heykeetae/Self-Attention-GAN trainer.py with the README's CelebA run (--imsize 64,
# --adv_loss hinge; z_dim 128, g/d_conv_dim 64): the discriminator pass (hinge losses on real
# and generated images, with the attention maps), the WGAN-GP gradient-penalty path
# (--adv_loss wgan-gp) and the generator pass; no optimizer steps. Batch 4 instead of 64.
import torch

from sagan_models import Discriminator, Generator

torch.manual_seed(0)
batch_size, imsize, z_dim = 4, 64, 128
G = Generator(batch_size, imsize, z_dim, 64)
D = Discriminator(batch_size, imsize, 64)

real_images = torch.rand(batch_size, 3, imsize, imsize) * 2 - 1
d_out_real, dr1, dr2 = D(real_images)
d_loss_real = torch.nn.ReLU()(1.0 - d_out_real).mean()
z = torch.randn(real_images.size(0), z_dim)
fake_images, gf1, gf2 = G(z)
d_out_fake, df1, df2 = D(fake_images)
d_loss_fake = torch.nn.ReLU()(1.0 + d_out_fake).mean()
d_loss = d_loss_real + d_loss_fake

alpha = torch.rand(real_images.size(0), 1, 1, 1).expand_as(real_images)
interpolated = (alpha * real_images.data + (1 - alpha) * fake_images.data).requires_grad_(True)
out, _, _ = D(interpolated)
grad = torch.autograd.grad(outputs=out, inputs=interpolated, grad_outputs=torch.ones(out.size()), only_inputs=True)[0]
grad = grad.view(grad.size(0), -1)
d_loss_gp = torch.mean((torch.sqrt(torch.sum(grad**2, dim=1)) - 1) ** 2)

z = torch.randn(real_images.size(0), z_dim)
fake_images, _, _ = G(z)
g_out_fake, _, _ = D(fake_images)
g_loss_fake = -g_out_fake.mean()
