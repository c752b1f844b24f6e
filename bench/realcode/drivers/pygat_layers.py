# Mirrors Diego999/pyGAT train.py on Cora-sized data (2708 nodes, 1433 bag-of-words features,
# 7 classes, ~5.4k undirected edges, dense symmetric-normalised adjacency with self loops, as
# utils.load_data builds it): GAT(nfeat, nhid=8, nclass, dropout=0.6, nheads=8, alpha=0.2), Adam
# lr=0.005 wd=5e-4, one train() epoch (nll_loss on idx_train, backward, step, eval forward for
# validation) and compute_test(). Dense GAT runs on a 700-node, 1400-edge subgraph (the full graph
# takes ~17 s on CPU); --sparse (SpGAT) runs on the full Cora size.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
from models import GAT, SpGAT


def cora_like(n, nfeat, nclass, nedges):
    src, dst = torch.randint(0, n, (nedges,)), torch.randint(0, n, (nedges,))
    adj = torch.zeros(n, n)
    adj[src, dst] = 1.0
    adj = ((adj + adj.t()) > 0).float() + torch.eye(n)
    d = adj.sum(1).pow(-0.5)
    adj = d[:, None] * adj * d[None, :]
    features = (torch.rand(n, nfeat) < 0.013).float()
    features = features / features.sum(1, keepdim=True).clamp(min=1)
    labels = torch.randint(0, nclass, (n,))
    return adj, features, labels


def accuracy(output, labels):
    preds = output.max(1)[1].type_as(labels)
    return preds.eq(labels).double().sum() / len(labels)


def run(model_cls, n, nedges):
    adj, features, labels = cora_like(n, 1433, 7, nedges)
    idx_train, idx_val, idx_test = torch.arange(140), torch.arange(200, 500), torch.arange(500, min(1500, n))
    model = model_cls(nfeat=features.shape[1], nhid=8, nclass=int(labels.max()) + 1, dropout=0.6, nheads=8, alpha=0.2)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.005, weight_decay=5e-4)
    model.train()
    optimizer.zero_grad()
    output = model(features, adj)
    loss_train = F.nll_loss(output[idx_train], labels[idx_train])
    acc_train = accuracy(output[idx_train], labels[idx_train])
    loss_train.backward()
    optimizer.step()
    model.eval()
    output = model(features, adj)
    loss_val = F.nll_loss(output[idx_val], labels[idx_val])
    # compute_test()
    model.eval()
    output = model(features, adj)
    loss_test = F.nll_loss(output[idx_test], labels[idx_test])
    acc_test = accuracy(output[idx_test], labels[idx_test])


run(GAT, 700, 1400)
run(SpGAT, 2708, 5429)
