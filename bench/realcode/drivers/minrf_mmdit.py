# Mirrors cloneofsimo/minRF advanced/main_t2i.py: MMDiT(in/out 4 channels, dim=global_conddim=256,
# n_layers=12, n_heads=16, cond_seq_dim=2048, max_seq=(vaeres//2)**2) with the script's defaults
# (vaeres 32, T5 conditioning cut to 64 tokens), extend_pe as with modify_resolution_at_initialization,
# the RF training forward (written out) and a 1-step guided sample; then mmdit.py's __main__ shape
# check (non-square latent) with a smaller dim. Batch 2. The file's @torch.compile() methods run
# eagerly (TORCHDYNAMO_DISABLE): compiling on a CPU takes minutes.
import os
import sys

os.environ["TORCHDYNAMO_DISABLE"] = "1"
import torch  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "advanced"))
from mmdit import MMDiT  # noqa: E402

torch.manual_seed(0)
vaeres, cond_seq_dim, t_cutoff_tokens = 32, 2048, 64
model = MMDiT(
    in_channels=4,
    out_channels=4,
    dim=256,
    global_conddim=256,
    n_layers=12,
    n_heads=16,
    cond_seq_dim=cond_seq_dim,
    max_seq=(vaeres // 2) ** 2,
)
model.extend_pe((16, 16), (vaeres // 2, vaeres // 2))

x = torch.randn(2, 4, vaeres, vaeres) * 0.13025
cond = {"c_seq": torch.randn(2, 256, cond_seq_dim)[:, :t_cutoff_tokens, :]}
b = x.size(0)
t = torch.sigmoid(torch.randn((b,)))
texp = t.view([b, *([1] * len(x.shape[1:]))])
z1 = torch.randn_like(x)
zt = (1 - texp) * x + texp * z1
vtheta = model(zt, t, cond)
loss = ((z1 - x - vtheta) ** 2).mean(dim=list(range(1, len(x.shape)))).mean()

with torch.no_grad():
    null_cond = {"c_seq": torch.zeros_like(cond["c_seq"])}
    z = torch.randn(2, 4, vaeres, vaeres)
    dt = torch.tensor([1.0] * 2).view([2, 1, 1, 1])
    for i in range(1, 0, -1):
        tt = torch.tensor([i / 1] * 2)
        vc = model(z, tt, cond)
        vu = model(z, tt, null_cond)
        z = z - dt * (vu + 2.0 * (vc - vu))

    small = MMDiT(max_seq=32 * 32, dim=96, n_heads=6, n_layers=3, n_double_layers=2)
    small.extend_pe((32, 32), (64, 64))
    idx = small.pe_selection_index_based_on_dim(20, 48)
    x = torch.randn(1, 4, 20, 48)
    t = torch.randn(8)
    conds = {"c_seq": torch.randn(8, 32, 2048)}
    out = small(x, t, conds)
