# Mirrors eriklindernoren/PyTorch-GAN implementations/ccgan/ccgan.py: context-conditional U-Net
# Generator(masked image, 4x lower-resolution image) and PatchGAN Discriminator on 128x128 CelebA
# crops with a 32x32 mask (script defaults), batch 2: generator and discriminator losses (no
# backward), then save_sample().
import torch

from implementations.ccgan.models import Discriminator, Generator

torch.manual_seed(0)
img_size, mask_size = 128, 32
input_shape = (3, img_size, img_size)
generator = Generator(input_shape)
discriminator = Discriminator(input_shape)
adversarial_loss = torch.nn.MSELoss()

imgs = torch.randn(2, *input_shape)
imgs_lr = torch.randn(2, 3, img_size // 4, img_size // 4)
masked_imgs = imgs.clone()
masked_imgs[:, :, 40 : 40 + mask_size, 50 : 50 + mask_size] = -1
valid = torch.Tensor(imgs.shape[0], *discriminator.output_shape).fill_(1.0)
fake = torch.Tensor(imgs.shape[0], *discriminator.output_shape).fill_(0.0)

gen_imgs = generator(masked_imgs, imgs_lr)
g_loss = adversarial_loss(discriminator(gen_imgs), valid)
real_loss = adversarial_loss(discriminator(imgs), valid)
fake_loss = adversarial_loss(discriminator(gen_imgs.detach()), fake)
d_loss = 0.5 * (real_loss + fake_loss)

generator.eval()
with torch.no_grad():
    gen_imgs = generator(masked_imgs[:1], imgs_lr[:1])
