# Mirrors openai/improved-diffusion image_sample.py: script_util.create_gaussian_diffusion() builds
# SpacedDiffusion over space_timesteps(steps, timestep_respacing) for --timestep_respacing
# (section counts "4,3" and "ddim5" out of 1000 linear steps, and the unrespaced case [steps]),
# training_losses() through the _WrappedModel timestep map, p_sample_loop and ddim_sample_loop,
# on 32x32 images, batch 2. The denoiser is a small conv net written here.
import torch as th
import torch.nn as nn

from improved_diffusion.respace import space_timesteps
from improved_diffusion.script_util import create_gaussian_diffusion

th.manual_seed(0)


class TinyEps(nn.Module):
    def __init__(self, out_channels):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.SiLU(), nn.Conv2d(32, out_channels, 3, padding=1))

    def forward(self, x, timesteps, **kwargs):
        return self.net(x) * (1 + 0 * timesteps.float().mean())


x_start = th.randn(2, 3, 32, 32)
learned = TinyEps(6)
fixed = TinyEps(3)

train_diffusion = create_gaussian_diffusion(
    steps=1000, learn_sigma=True, noise_schedule="cosine", rescale_timesteps=True, rescale_learned_sigmas=True
)
t = th.randint(0, train_diffusion.num_timesteps, (2,))
losses = train_diffusion.training_losses(learned, x_start, t)

with th.no_grad():
    d = create_gaussian_diffusion(steps=1000, learn_sigma=True, timestep_respacing="4,3")
    sample = d.p_sample_loop(learned, (2, 3, 32, 32), clip_denoised=True, model_kwargs={})
    d = create_gaussian_diffusion(steps=1000, timestep_respacing="ddim5", predict_xstart=True)
    sample = d.ddim_sample_loop(fixed, (2, 3, 32, 32), clip_denoised=True, model_kwargs={})
    steps = space_timesteps(1000, [10, 15, 20])
