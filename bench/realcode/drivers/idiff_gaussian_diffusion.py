# Mirrors openai/improved-diffusion's use of GaussianDiffusion (train_util / image_sample.py /
# image_nll.py): cosine and linear beta schedules, training_losses() for the learned-range-sigma
# hybrid loss, the KL loss and plain MSE, p_sample_loop(), ddim_sample_loop() and calc_bpd_loop(),
# on CIFAR-sized 32x32 images, batch 2. The denoiser is a small conv net written here (the
# scored file is the diffusion process); diffusion steps reduced from 4000 to 8 for the loops.
import torch as th
import torch.nn as nn

from improved_diffusion import gaussian_diffusion as gd

th.manual_seed(0)


class TinyEps(nn.Module):
    def __init__(self, out_channels):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.SiLU(), nn.Conv2d(32, out_channels, 3, padding=1))
        self.temb = nn.Linear(1, 32)

    def forward(self, x, timesteps, **kwargs):
        return self.net(x) + 0 * self.temb(timesteps.float()[:, None]).mean()


def make(steps, schedule, learn_sigma, use_kl=False, rescale_learned_sigmas=True, rescale_timesteps=True):
    betas = gd.get_named_beta_schedule(schedule, steps)
    if use_kl:
        loss_type = gd.LossType.RESCALED_KL
    elif rescale_learned_sigmas:
        loss_type = gd.LossType.RESCALED_MSE
    else:
        loss_type = gd.LossType.MSE
    return gd.GaussianDiffusion(
        betas=betas,
        model_mean_type=gd.ModelMeanType.EPSILON,
        model_var_type=gd.ModelVarType.LEARNED_RANGE if learn_sigma else gd.ModelVarType.FIXED_LARGE,
        loss_type=loss_type,
        rescale_timesteps=rescale_timesteps,
    )


x_start = th.randn(2, 3, 32, 32)
learned = TinyEps(6)
fixed = TinyEps(3)

diffusion = make(4000, "cosine", True)
t = th.randint(0, diffusion.num_timesteps, (2,))
losses = diffusion.training_losses(learned, x_start, t)
loss = losses["loss"].mean()

kl = make(4000, "cosine", True, use_kl=True)
losses = kl.training_losses(learned, x_start, t)

mse = make(1000, "linear", False, rescale_learned_sigmas=False, rescale_timesteps=False)
losses = mse.training_losses(fixed, x_start, th.randint(0, 1000, (2,)))
x_t = mse.q_sample(x_start, th.tensor([10, 500]))
mean, var, log_var = mse.q_mean_variance(x_start, th.tensor([10, 500]))

short = make(8, "cosine", True)
with th.no_grad():
    sample = short.p_sample_loop(learned, (2, 3, 32, 32), clip_denoised=True, model_kwargs={})
    sample = short.ddim_sample_loop(learned, (2, 3, 32, 32), clip_denoised=True, model_kwargs={}, eta=0.0)
    xt = short.ddim_reverse_sample(learned, x_start, th.tensor([3, 3]), clip_denoised=True)
    bpd = short.calc_bpd_loop(learned, x_start, clip_denoised=True)
