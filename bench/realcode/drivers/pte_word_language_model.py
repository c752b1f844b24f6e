# Mirrors pytorch/examples word_language_model/main.py (train/evaluate forward and loss, Wikitext-2 vocab, default
# emsize=nhid=200, nlayers=2, bptt=35, dropout=0.2) and generate.py (word-by-word sampling).
import torch
import torch.nn as nn

from word_language_model.model import RNNModel, TransformerModel

torch.manual_seed(0)
ntokens, emsize, nhid, nlayers, bptt, bsz = 33278, 200, 200, 2, 35, 4
criterion = nn.NLLLoss()


def repackage_hidden(h):
    if isinstance(h, torch.Tensor):
        return h.detach()
    return tuple(repackage_hidden(v) for v in h)


source = torch.randint(ntokens, (2 * bptt + 1, bsz))

# main.py train() with the default LSTM, then the other rnn types
for rnn_type, tied in (("LSTM", False), ("GRU", True), ("RNN_TANH", False)):
    model = RNNModel(rnn_type, ntokens, emsize, nhid, nlayers, 0.2, tied)
    model.train()
    hidden = model.init_hidden(bsz)
    for i in range(0, source.size(0) - 1, bptt):
        seq_len = min(bptt, len(source) - 1 - i)
        data = source[i : i + seq_len]
        targets = source[i + 1 : i + 1 + seq_len].view(-1)
        model.zero_grad()
        hidden = repackage_hidden(hidden)
        output, hidden = model(data, hidden)
        loss = criterion(output, targets)

# generate.py with an RNN model
model.eval()
hidden = model.init_hidden(1)
inp = torch.randint(ntokens, (1, 1), dtype=torch.long)
with torch.no_grad():
    for _ in range(5):
        output, hidden = model(inp, hidden)
        word_weights = output.squeeze().div(1.0).exp()
        word_idx = torch.multinomial(word_weights, 1)[0]
        inp.fill_(word_idx)

# main.py with --model Transformer (nhead=2), then generate.py with it
tmodel = TransformerModel(ntokens, emsize, 2, nhid, nlayers, 0.2)
tmodel.train()
data = source[:bptt]
targets = source[1 : bptt + 1].reshape(-1)
output = tmodel(data)
output = output.view(-1, ntokens)
loss = criterion(output, targets)
tmodel.eval()
inp = torch.randint(ntokens, (1, 1), dtype=torch.long)
with torch.no_grad():
    for _ in range(5):
        output = tmodel(inp, False)
        word_weights = output[-1].squeeze().div(1.0).exp()
        word_idx = torch.multinomial(word_weights, 1)[0]
        word_tensor = torch.Tensor([[word_idx]]).long()
        inp = torch.cat([inp, word_tensor], 0)
