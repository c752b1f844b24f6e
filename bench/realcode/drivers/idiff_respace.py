# Mirrors openai/improved-diffusion script_util.create_gaussian_diffusion(): SpacedDiffusion over
# space_timesteps(steps, timestep_respacing) as image_sample.py uses it with --timestep_respacing
# (section counts "4,3" and "ddim5" out of 1000 linear steps, and the unrespaced case [steps]),
# training_losses() through the _WrappedModel timestep map, p_sample_loop and ddim_sample_loop,
# on 32x32 images, batch 2. The denoiser is a small conv net written here.
import torch as th
import torch.nn as nn

from improved_diffusion import gaussian_diffusion as gd
from improved_diffusion.respace import SpacedDiffusion, space_timesteps

th.manual_seed(0)


class TinyEps(nn.Module):
    def __init__(self, out_channels):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.SiLU(), nn.Conv2d(32, out_channels, 3, padding=1))

    def forward(self, x, timesteps, **kwargs):
        return self.net(x) * (1 + 0 * timesteps.float().mean())


def create_gaussian_diffusion(steps=1000, learn_sigma=False, sigma_small=False, noise_schedule="linear",
                              use_kl=False, predict_xstart=False, rescale_timesteps=False,
                              rescale_learned_sigmas=False, timestep_respacing=""):
    betas = gd.get_named_beta_schedule(noise_schedule, steps)
    if use_kl:
        loss_type = gd.LossType.RESCALED_KL
    elif rescale_learned_sigmas:
        loss_type = gd.LossType.RESCALED_MSE
    else:
        loss_type = gd.LossType.MSE
    if not timestep_respacing:
        timestep_respacing = [steps]
    return SpacedDiffusion(
        use_timesteps=space_timesteps(steps, timestep_respacing),
        betas=betas,
        model_mean_type=gd.ModelMeanType.EPSILON if not predict_xstart else gd.ModelMeanType.START_X,
        model_var_type=((gd.ModelVarType.FIXED_LARGE if not sigma_small else gd.ModelVarType.FIXED_SMALL)
                        if not learn_sigma else gd.ModelVarType.LEARNED_RANGE),
        loss_type=loss_type,
        rescale_timesteps=rescale_timesteps,
    )


x_start = th.randn(2, 3, 32, 32)
learned = TinyEps(6)
fixed = TinyEps(3)

train_diffusion = create_gaussian_diffusion(steps=1000, learn_sigma=True, noise_schedule="cosine",
                                            rescale_timesteps=True, rescale_learned_sigmas=True)
t = th.randint(0, train_diffusion.num_timesteps, (2,))
losses = train_diffusion.training_losses(learned, x_start, t)

with th.no_grad():
    d = create_gaussian_diffusion(steps=1000, learn_sigma=True, timestep_respacing="4,3")
    sample = d.p_sample_loop(learned, (2, 3, 32, 32), clip_denoised=True, model_kwargs={})
    d = create_gaussian_diffusion(steps=1000, timestep_respacing="ddim5", predict_xstart=True)
    sample = d.ddim_sample_loop(fixed, (2, 3, 32, 32), clip_denoised=True, model_kwargs={})
    steps = space_timesteps(1000, [10, 15, 20])
