# Mirrors tkipf/pygcn pygcn/train.py: GCN(nfeat=1433, nhid=16, nclass=7, dropout=0.5) on a
# Cora-sized graph (2708 nodes, row-normalised sparse adjacency with self loops, as utils.load_data
# builds it), train() and test() passes with nll_loss on the train/val/test index ranges.
# pygcn/__init__.py also imports utils.py (scipy), so the package is registered without running it.
import os
import sys
import types

import torch
import torch.nn.functional as F

_pkg = types.ModuleType("pygcn")
_pkg.__path__ = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "pygcn")]
sys.modules["pygcn"] = _pkg
from pygcn.models import GCN  # noqa: E402

torch.manual_seed(0)
n_nodes, nfeat, nclass, n_edges = 2708, 1433, 7, 5429
src = torch.randint(n_nodes, (n_edges,))
dst = torch.randint(n_nodes, (n_edges,))
loops = torch.arange(n_nodes)
indices = torch.stack([torch.cat([src, dst, loops]), torch.cat([dst, src, loops])])
adj = torch.sparse_coo_tensor(indices, torch.ones(indices.shape[1]), (n_nodes, n_nodes)).coalesce()
deg = torch.sparse.sum(adj, 1).to_dense()
adj = torch.sparse_coo_tensor(adj.indices(), adj.values() / deg[adj.indices()[0]], (n_nodes, n_nodes))
features = (torch.rand(n_nodes, nfeat) < 0.013).float()
features = features / features.sum(1, keepdim=True).clamp(min=1)
labels = torch.randint(nclass, (n_nodes,))
idx_train, idx_val, idx_test = torch.arange(140), torch.arange(200, 500), torch.arange(500, 1500)

model = GCN(nfeat=features.shape[1], nhid=16, nclass=labels.max().item() + 1, dropout=0.5)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)

for epoch in range(2):
    model.train()
    optimizer.zero_grad()
    output = model(features, adj)
    loss_train = F.nll_loss(output[idx_train], labels[idx_train])
    loss_train.backward()
    optimizer.step()
    model.eval()
    output = model(features, adj)
    loss_val = F.nll_loss(output[idx_val], labels[idx_val])

model.eval()
output = model(features, adj)
loss_test = F.nll_loss(output[idx_test], labels[idx_test])
preds = output.max(1)[1].type_as(labels)
