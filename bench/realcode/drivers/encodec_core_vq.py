# Mirrors facebookresearch/encodec's quantizer use in model.py: ResidualVectorQuantizer(
# dimension=128, n_q=32, bins=1024) for the 24 kHz model (frame rate 75): a training forward at
# bandwidth 1.5 kbps (k-means codebook init, EMA updates, dead-code expiry), then
# encode()/decode() at 1.5 and 24 kbps as EncodecModel._encode_frame/_decode_frame do, on 1 s of
# latent frames. Batch 2; k-means init runs 2 iterations instead of 50.
# encodec/__init__.py imports model.py (torchaudio), so the package is registered without
# running it; encodec/quantization/__init__.py runs as usual.
import os
import sys
import types

import torch

_pkg = types.ModuleType("encodec")
_pkg.__path__ = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "encodec")]
sys.modules["encodec"] = _pkg
from encodec.quantization.core_vq import ResidualVectorQuantization  # noqa: E402
from encodec.quantization.vq import ResidualVectorQuantizer  # noqa: E402

torch.manual_seed(0)
frame_rate = 75
quantizer = ResidualVectorQuantizer(dimension=128, n_q=32, bins=1024, kmeans_iters=2)
emb = torch.randn(2, 128, 75)
quantizer.train()
result = quantizer(emb, frame_rate, 1.5)
loss = result.penalty

quantizer.eval()
with torch.no_grad():
    for bandwidth in (1.5, 24.0):
        codes = quantizer.encode(emb, frame_rate, bandwidth)
        codes = codes.transpose(0, 1)
        decoded = quantizer.decode(codes.transpose(0, 1))

rvq = ResidualVectorQuantization(dim=128, codebook_size=1024, num_quantizers=4, kmeans_init=False)
quantized, indices, losses = rvq(emb)
