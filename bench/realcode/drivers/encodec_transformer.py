# Mirrors facebookresearch/encodec model.py LMModel (used by compress.py for entropy coding):
# StreamingTransformerEncoder(dim=200, num_layers=5, past_context=int(3.5 * 75)) fed the summed
# codebook embeddings, first on a whole 1 s sequence and then streaming one frame at a time with
# the returned states and offset, as compress() does. n_q=4 codebooks instead of 32. Batch 2.
# encodec/__init__.py imports model.py (torchaudio), so the package is registered without
# running it; encodec/modules/__init__.py runs as usual.
import os
import sys
import types

import torch
import torch.nn as nn

_pkg = types.ModuleType("encodec")
_pkg.__path__ = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "encodec")]
sys.modules["encodec"] = _pkg
from encodec.modules.transformer import StreamingTransformerEncoder  # noqa: E402

torch.manual_seed(0)
n_q, card, dim, frame_rate = 4, 1024, 200, 75
transformer = StreamingTransformerEncoder(dim=dim, num_layers=5, past_context=int(3.5 * frame_rate))
emb = nn.ModuleList([nn.Embedding(card + 1, dim) for _ in range(n_q)])
linears = nn.ModuleList([nn.Linear(dim, card) for _ in range(n_q)])
transformer.eval()

with torch.no_grad():
    indices = torch.randint(0, card + 1, (2, n_q, 75))
    input_ = sum([emb[k](indices[:, k]) for k in range(n_q)])
    out, states, offset = transformer(input_)
    logits = torch.stack([linears[k](out) for k in range(n_q)], dim=1).permute(0, 3, 1, 2)
    probas = torch.softmax(logits, dim=1)

    states, offset = None, 0
    input_ = torch.zeros(2, n_q, 1, dtype=torch.long)
    for t in range(4):
        x = sum([emb[k](input_[:, k]) for k in range(n_q)])
        out, states, offset = transformer(x, states, offset)
        input_ = torch.randint(1, card + 1, (2, n_q, 1))
