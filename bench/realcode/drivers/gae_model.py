# Mirrors zfjsail/gae-pytorch gae/train.py (gcn_vae on Cora): GCNModelVAE(feat_dim=1433,
# hidden1=32, hidden2=16, dropout=0.) on a 2708-node graph with the symmetric-normalised sparse
# adjacency preprocess_graph builds, reconstruction against adj_label with pos_weight / norm as
# the script computes them, two training epochs, then the eval-mode embedding scored on a few
# edges as get_roc_score does (inner product + sigmoid).
import numpy as np
import torch
import torch.nn.functional as F

from gae.model import GCNModelVAE

torch.manual_seed(0)
np.random.seed(0)
n_nodes, feat_dim, n_edges = 2708, 1433, 5429
src = torch.randint(n_nodes, (n_edges,))
dst = torch.randint(n_nodes, (n_edges,))
adj_dense = torch.zeros(n_nodes, n_nodes)
adj_dense[src, dst] = 1.0
adj_dense[dst, src] = 1.0
adj_dense.fill_diagonal_(0)
adj_ = adj_dense + torch.eye(n_nodes)
d_inv_sqrt = adj_.sum(1).pow(-0.5)
adj_norm = (d_inv_sqrt[:, None] * adj_ * d_inv_sqrt[None, :]).to_sparse()
adj_label = adj_dense + torch.eye(n_nodes)
pos_weight = torch.tensor(float(n_nodes * n_nodes - adj_dense.sum().item()) / adj_dense.sum().item())
norm = n_nodes * n_nodes / float((n_nodes * n_nodes - adj_dense.sum()) * 2)
features = (torch.rand(n_nodes, feat_dim) < 0.013).float()

model = GCNModelVAE(feat_dim, 32, 16, 0.0)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(2):
    model.train()
    optimizer.zero_grad()
    recovered, mu, logvar = model(features, adj_norm)
    cost = norm * F.binary_cross_entropy_with_logits(recovered, adj_label, pos_weight=pos_weight)
    KLD = -0.5 / n_nodes * torch.mean(torch.sum(1 + 2 * logvar - mu.pow(2) - logvar.exp().pow(2), 1))
    loss = cost + KLD
    loss.backward()
    optimizer.step()
    hidden_emb = mu.data.numpy()

model.eval()
with torch.no_grad():
    recovered, mu, logvar = model(features, adj_norm)
    z = model.reparameterize(mu, logvar)
emb = hidden_emb
adj_rec = np.dot(emb, emb.T)
preds = [1 / (1 + np.exp(-adj_rec[e[0], e[1]])) for e in zip(src[:20].tolist(), dst[:20].tolist())]
