# Mirrors salesforce/awd-lstm-lm main.py (README's PTB run: --batch_size 20 --dropouti 0.4
# --dropouth 0.25; defaults LSTM, emsize 400, nhid 1150, nlayers 3, dropout 0.4, dropoute 0.1,
# wdrop 0.5, tied): RNNModel(...) on PTB-sized vocabulary (10000), one train() step with
# return_h=True, SplitCrossEntropyLoss (splits [] for PTB) plus the AR/TAR terms (alpha 2, beta 1),
# then evaluate() on eval_batch_size 10; also the GRU variant. Batch 4 and bptt 20 (not 20 and 70)
# to stay fast on CPU. model.py prints its RNNs when built.
import torch
import numpy as np

torch.manual_seed(0)
np.random.seed(0)
from model import RNNModel


def repackage_hidden(h):
    # utils.py's helper (inlined)
    if isinstance(h, torch.Tensor):
        return h.detach()
    return tuple(repackage_hidden(v) for v in h)


def split_ce(weight, bias, output, targets):
    # SplitCrossEntropyLoss with splits=[] (PTB) is a full softmax cross-entropy
    return torch.nn.functional.cross_entropy(torch.nn.functional.linear(output, weight, bias), targets)


ntokens, bptt, batch_size = 10000, 20, 4
train_data = torch.randint(0, ntokens, (3 * bptt, batch_size))

model = RNNModel("LSTM", ntokens, 400, 1150, 3, 0.4, 0.25, 0.4, 0.1, 0.5, True)
optimizer = torch.optim.SGD(model.parameters(), lr=30, weight_decay=1.2e-6)
hidden = model.init_hidden(batch_size)
model.train()
seq_len = max(5, int(np.random.normal(bptt, 5)))
data, targets = train_data[0:seq_len], train_data[1 : 1 + seq_len].reshape(-1)
hidden = repackage_hidden(hidden)
optimizer.zero_grad()
output, hidden, rnn_hs, dropped_rnn_hs = model(data, hidden, return_h=True)
raw_loss = split_ce(model.decoder.weight, model.decoder.bias, output, targets)
loss = raw_loss
loss = loss + sum(2 * dropped_rnn_h.pow(2).mean() for dropped_rnn_h in dropped_rnn_hs[-1:])
loss = loss + sum(1 * (rnn_h[1:] - rnn_h[:-1]).pow(2).mean() for rnn_h in rnn_hs[-1:])
loss.backward()
torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
optimizer.step()

model.eval()
val_data = torch.randint(0, ntokens, (2 * bptt + 1, 10))
hidden = model.init_hidden(10)
with torch.no_grad():
    for i in range(0, val_data.size(0) - 1, bptt):
        seq_len = min(bptt, len(val_data) - 1 - i)
        data, targets = val_data[i : i + seq_len], val_data[i + 1 : i + 1 + seq_len].reshape(-1)
        output, hidden = model(data, hidden)
        total = len(data) * split_ce(model.decoder.weight, model.decoder.bias, output, targets)
        hidden = repackage_hidden(hidden)

gru = RNNModel("GRU", 1000, 200, 300, 2, 0.4, 0.25, 0.4, 0.1, 0.5, True)  # main.py always ties
hidden = gru.init_hidden(batch_size)
output, hidden = gru(torch.randint(0, 1000, (bptt, batch_size)), hidden)
