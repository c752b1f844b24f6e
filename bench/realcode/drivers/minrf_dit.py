# Mirrors cloneofsimo/minRF rf.py's MNIST run: DiT_Llama(1, 32, dim=64, n_layers=6, n_heads=4,
# num_classes=10) on 2-padded 32x32 MNIST, trained through the rectified-flow loss (RF.forward,
# written out here) and sampled with classifier-free guidance (RF.sample, 2 steps); then dit.py's
# own __main__: DiT_Llama_600M_patch2() in eval mode, forward_with_cfg (which calls forward) on CIFAR-sized
# input. Batch 4 (2 for the __main__ part).
import torch

from dit import DiT_Llama, DiT_Llama_600M_patch2

torch.manual_seed(0)

# LabelEmbedder.token_drop() moves its dropout mask with .cuda() in training mode; on this
# CPU-only torch that is made a no-op so the training path runs as written.
torch.Tensor.cuda = lambda self, *args, **kwargs: self
channels = 1
model = DiT_Llama(channels, 32, dim=64, n_layers=6, n_heads=4, num_classes=10)

# RF.forward (ln=True)
x = torch.randn(4, channels, 32, 32)
c = torch.randint(0, 10, (4,))
b = x.size(0)
t = torch.sigmoid(torch.randn((b,)))
texp = t.view([b, *([1] * len(x.shape[1:]))])
z1 = torch.randn_like(x)
zt = (1 - texp) * x + texp * z1
vtheta = model(zt, t, c)
loss = ((z1 - x - vtheta) ** 2).mean(dim=list(range(1, len(x.shape)))).mean()

# RF.sample with cond / uncond (class 10 = null class)
model.eval()
with torch.no_grad():
    cond = torch.arange(0, 4) % 10
    uncond = torch.ones_like(cond) * 10
    z = torch.randn(4, channels, 32, 32)
    sample_steps, cfg = 2, 2.0
    dt = torch.tensor([1.0 / sample_steps] * 4).view([4, 1, 1, 1])
    for i in range(sample_steps, 0, -1):
        tt = torch.tensor([i / sample_steps] * 4)
        vc = model(z, tt, cond)
        vu = model(z, tt, uncond)
        vc = vu + cfg * (vc - vu)
        z = z - dt * vc

# dit.py __main__
big = DiT_Llama_600M_patch2()
big.eval()
x = torch.randn(2, 3, 32, 32)
t = torch.randint(0, 100, (2,))
y = torch.randint(0, 10, (2,))
with torch.no_grad():
    out = big.forward_with_cfg(x, t, y, 0.5)
