# Mirrors how Diego999/pyGAT models.py uses layers.py on a Cora-sized graph (2708 nodes, dense
# adjacency): GraphAttentionLayer heads 1433 -> 8 (concat) and the 64 -> 7 output layer
# (concat=False), and SpGraphAttentionLayer with SpecialSpmm (forward and backward); plus the
# layers' repr that train.py prints with the model.
import torch

from layers import GraphAttentionLayer, SpGraphAttentionLayer

torch.manual_seed(0)
n_nodes, nfeat, n_edges = 2708, 1433, 5429
adj = torch.eye(n_nodes)
src = torch.randint(n_nodes, (n_edges,))
dst = torch.randint(n_nodes, (n_edges,))
adj[src, dst] = 1.0
adj[dst, src] = 1.0
features = torch.rand(n_nodes, nfeat)

heads = [GraphAttentionLayer(nfeat, 8, dropout=0.6, alpha=0.2, concat=True) for _ in range(2)]
x = torch.cat([att(features, adj) for att in heads], dim=1)
out_att = GraphAttentionLayer(16, 7, dropout=0.6, alpha=0.2, concat=False)
out = out_att(x, adj)
text = repr(heads[0]) + repr(out_att)

sp = SpGraphAttentionLayer(nfeat, 8, dropout=0.6, alpha=0.2, concat=True)
sp_out = SpGraphAttentionLayer(8, 7, dropout=0.6, alpha=0.2, concat=False)
h = sp_out(sp(features, adj), adj)
h.sum().backward()
text = repr(sp)
