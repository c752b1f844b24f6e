# Mirrors cloneofsimo/minRF rf.py's __main__ (MNIST setting): RF(DiT_Llama(1, 32, dim=64,
# n_layers=6, n_heads=4, num_classes=10)), rf.forward(x, c) loss with its per-t loss bins, then
# rf.sample(init_noise, cond, uncond) with classifier-free guidance (2 steps instead of 50), and
# the uniform-t variant (ln=False). Batch 4 instead of 256.
import torch

from dit import DiT_Llama
from rf import RF

torch.manual_seed(0)

# LabelEmbedder.token_drop() moves its dropout mask with .cuda() in training mode; on this
# CPU-only torch that is made a no-op so the training path runs as written.
torch.Tensor.cuda = lambda self, *args, **kwargs: self
channels = 1
model = DiT_Llama(channels, 32, dim=64, n_layers=6, n_heads=4, num_classes=10)
rf = RF(model)
x = torch.randn(4, channels, 32, 32)
c = torch.randint(0, 10, (4,))
loss, blsct = rf.forward(x, c)
lossbin = {i: 0 for i in range(10)}
for t, l in blsct:
    lossbin[int(t * 10)] += l

rf.model.eval()
with torch.no_grad():
    cond = torch.arange(0, 4) % 10
    uncond = torch.ones_like(cond) * 10
    init_noise = torch.randn(4, channels, 32, 32)
    images = rf.sample(init_noise, cond, uncond, sample_steps=2)
    images = rf.sample(init_noise, cond, sample_steps=1)

rf_uniform = RF(model, ln=False)
loss, _ = rf_uniform.forward(x, c)
