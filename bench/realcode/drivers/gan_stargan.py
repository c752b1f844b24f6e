# Mirrors eriklindernoren/PyTorch-GAN implementations/stargan/stargan.py: GeneratorResNet
# (res_blocks=6, c_dim=5 CelebA attributes) and Discriminator on 128x128 images, batch 2:
# a generator pass with sampled target labels and the discriminator loss with the WGAN-GP
# gradient penalty (no optimizer steps; the generator loss passes are left out for CPU time).
import numpy as np
import torch
import torch.autograd as autograd
import torch.nn.functional as F

from implementations.stargan.models import Discriminator, GeneratorResNet, weights_init_normal

torch.manual_seed(0)
np.random.seed(0)
c_dim = 5
img_shape = (3, 128, 128)
generator = GeneratorResNet(img_shape=img_shape, res_blocks=6, c_dim=c_dim)
discriminator = Discriminator(img_shape=img_shape, c_dim=c_dim)
generator.apply(weights_init_normal)
discriminator.apply(weights_init_normal)
criterion_cycle = torch.nn.L1Loss()


def criterion_cls(logit, target):
    return F.binary_cross_entropy_with_logits(logit, target, reduction="sum") / logit.size(0)


def compute_gradient_penalty(D, real_samples, fake_samples):
    alpha = torch.Tensor(np.random.random((real_samples.size(0), 1, 1, 1)))
    interpolates = (alpha * real_samples + ((1 - alpha) * fake_samples)).requires_grad_(True)
    d_interpolates, _ = D(interpolates)
    fake = torch.Tensor(np.ones(d_interpolates.shape))
    gradients = autograd.grad(
        outputs=d_interpolates,
        inputs=interpolates,
        grad_outputs=fake,
        create_graph=True,
        retain_graph=True,
        only_inputs=True,
    )[0]
    gradients = gradients.view(gradients.size(0), -1)
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean()


imgs = torch.randn(2, *img_shape)
labels = torch.randint(0, 2, (2, c_dim)).float()
sampled_c = torch.Tensor(np.random.randint(0, 2, (imgs.size(0), c_dim)))
fake_imgs = generator(imgs, sampled_c)

real_validity, pred_cls = discriminator(imgs)
gradient_penalty = compute_gradient_penalty(discriminator, imgs.data, fake_imgs.data)
loss_D_adv = -torch.mean(real_validity) + 10 * gradient_penalty
loss_D = loss_D_adv + criterion_cls(pred_cls, labels)
