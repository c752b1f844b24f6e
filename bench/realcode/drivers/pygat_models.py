# Mirrors Diego999/pyGAT train.py: GAT(nfeat=1433, nhid=8, nclass=7, dropout=0.6, nheads=8,
# alpha=0.2) on a Cora-sized graph (2708 nodes, dense row-normalised adjacency with self loops,
# as utils.load_data returns it), the train() forward and nll_loss on idx_train (no
# backward) and the evaluation pass; then the --sparse SpGAT on the same graph.
import torch
import torch.nn.functional as F

from models import GAT, SpGAT

torch.manual_seed(0)
n_nodes, nfeat, nclass, n_edges = 2708, 1433, 7, 5429
adj = torch.eye(n_nodes)
src = torch.randint(n_nodes, (n_edges,))
dst = torch.randint(n_nodes, (n_edges,))
adj[src, dst] = 1.0
adj[dst, src] = 1.0
adj = adj / adj.sum(1, keepdim=True)
features = (torch.rand(n_nodes, nfeat) < 0.013).float()
features = features / features.sum(1, keepdim=True).clamp(min=1)
labels = torch.randint(nclass, (n_nodes,))
idx_train, idx_val = torch.arange(140), torch.arange(200, 500)

model = GAT(nfeat=features.shape[1], nhid=8, nclass=int(labels.max()) + 1, dropout=0.6, nheads=8, alpha=0.2)
model.train()
output = model(features, adj)
loss_train = F.nll_loss(output[idx_train], labels[idx_train])
model.eval()
with torch.no_grad():
    output = model(features, adj)
    loss_val = F.nll_loss(output[idx_val], labels[idx_val])

sp_model = SpGAT(nfeat=features.shape[1], nhid=8, nclass=int(labels.max()) + 1, dropout=0.6, nheads=8, alpha=0.2)
sp_model.train()
output = sp_model(features, adj)
loss_train = F.nll_loss(output[idx_train], labels[idx_train])
