# Mirrors facebookresearch/encodec model.py EncodecModel._get_model(): SEANetEncoder/SEANetDecoder
# for the 24 kHz model (mono, causal, weight_norm) on 1 s of audio and the 48 kHz model (stereo,
# non-causal, time_group_norm) on a 0.25 s segment, encode -> decode as _encode_frame /
# _decode_frame do (quantizer left out). Batch 2.
# encodec/__init__.py imports model.py, which needs torchaudio, so the package is registered
# without running it; encodec/modules/__init__.py runs as usual.
import os
import sys
import types

import torch

_pkg = types.ModuleType("encodec")
_pkg.__path__ = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "encodec")]
sys.modules["encodec"] = _pkg
from encodec.modules.seanet import SEANetDecoder, SEANetEncoder  # noqa: E402

torch.manual_seed(0)
encoder = SEANetEncoder(channels=1, norm="weight_norm", causal=True)
decoder = SEANetDecoder(channels=1, norm="weight_norm", causal=True)
x = torch.randn(2, 1, 24000)
emb = encoder(x)
out = decoder(emb)[:, :, : x.shape[-1]]

encoder48 = SEANetEncoder(channels=2, norm="time_group_norm", causal=False)
decoder48 = SEANetDecoder(channels=2, norm="time_group_norm", causal=False)
with torch.no_grad():
    x = torch.randn(2, 2, 12000)
    mono = x.mean(dim=1, keepdim=True)
    scale = 1e-8 + mono.pow(2).mean(dim=2, keepdim=True).sqrt()
    emb = encoder48(x / scale)
    out = decoder48(emb) * scale.view(-1, 1, 1)
