# Mirrors tkipf/pygcn pygcn/models.py's use of GraphConvolution (gc1: 1433 -> 16, gc2: 16 -> 7)
# on a Cora-sized graph (2708 nodes, row-normalised sparse adjacency), plus the bias=False form
# and the layer's repr that train.py prints with the model.
# pygcn/__init__.py also imports utils.py (scipy), so the package is registered without running it.
import os
import sys
import types

import torch
import torch.nn.functional as F

_pkg = types.ModuleType("pygcn")
_pkg.__path__ = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "pygcn")]
sys.modules["pygcn"] = _pkg
from pygcn.layers import GraphConvolution  # noqa: E402

torch.manual_seed(0)
n_nodes, nfeat, nhid, nclass, n_edges = 2708, 1433, 16, 7, 5429
src = torch.randint(n_nodes, (n_edges,))
dst = torch.randint(n_nodes, (n_edges,))
loops = torch.arange(n_nodes)
indices = torch.stack([torch.cat([src, dst, loops]), torch.cat([dst, src, loops])])
adj = torch.sparse_coo_tensor(indices, torch.ones(indices.shape[1]), (n_nodes, n_nodes)).coalesce()
deg = torch.sparse.sum(adj, 1).to_dense()
adj = torch.sparse_coo_tensor(adj.indices(), adj.values() / deg[adj.indices()[0]], (n_nodes, n_nodes))
features = torch.rand(n_nodes, nfeat)

gc1 = GraphConvolution(nfeat, nhid)
gc2 = GraphConvolution(nhid, nclass)
x = F.relu(gc1(features, adj))
x = F.dropout(x, 0.5, training=True)
x = gc2(x, adj)
out = F.log_softmax(x, dim=1)
text = repr(gc1) + repr(gc2)

gc_nobias = GraphConvolution(nfeat, nhid, bias=False)
h = gc_nobias(features, adj)
gc_nobias.reset_parameters()
