# Mirrors pytorch/examples legacy/snli/train.py: SNLIClassifier with util.get_args() defaults
# (d_embed=100, d_proj=300, d_hidden=300, n_layers=1, dp_ratio=0.2, birnn, projection, fix_emb),
# SNLI vocab sizes, sequence-first premise/hypothesis batches; train forward/loss and dev evaluation.
from types import SimpleNamespace

import torch
import torch.nn as nn

from legacy.snli.model import SNLIClassifier

torch.manual_seed(0)
config = SimpleNamespace(
    d_embed=100, d_proj=300, d_hidden=300, n_layers=1, dp_ratio=0.2, birnn=True, projection=True, fix_emb=True
)
config.n_embed = 36990
config.d_out = 4
config.n_cells = config.n_layers
if config.birnn:
    config.n_cells *= 2

model = SNLIClassifier(config)
criterion = nn.CrossEntropyLoss()

batch = SimpleNamespace(
    premise=torch.randint(config.n_embed, (14, 4)),
    hypothesis=torch.randint(config.n_embed, (9, 4)),
    label=torch.randint(config.d_out, (4,)),
    batch_size=4,
)
model.train()
answer = model(batch)
n_correct = (torch.max(answer, 1)[1].view(batch.label.size()) == batch.label).sum().item()
loss = criterion(answer, batch.label)

model.eval()
with torch.no_grad():
    answer = model(batch)
    dev_loss = criterion(answer, batch.label)

# --no-bidirectional --no-projection
config2 = SimpleNamespace(**vars(config))
config2.birnn, config2.projection, config2.n_cells = False, False, config.n_layers
answer = SNLIClassifier(config2)(batch)
