# Mirrors zfjsail/gae-pytorch gae/train.py's use of gae/optimizer.py: loss_function(preds, labels,
# mu, logvar, n_nodes, norm, pos_weight) on the reconstructed adjacency logits of a Cora-sized
# graph (2708 nodes, hidden2 = 16 latent dims), with pos_weight / norm computed as the script
# does, followed by backward as in training.
import torch

from gae.optimizer import loss_function

torch.manual_seed(0)
n_nodes, n_edges, hidden2 = 2708, 5429, 16
adj = torch.zeros(n_nodes, n_nodes)
adj[torch.randint(n_nodes, (n_edges,)), torch.randint(n_nodes, (n_edges,))] = 1.0
adj = ((adj + adj.t()) > 0).float()
adj_label = adj + torch.eye(n_nodes)
pos_weight = torch.tensor(float(n_nodes * n_nodes - adj.sum().item()) / adj.sum().item())
norm = n_nodes * n_nodes / float((n_nodes * n_nodes - adj.sum()) * 2)

mu = torch.randn(n_nodes, hidden2, requires_grad=True)
logvar = torch.randn(n_nodes, hidden2, requires_grad=True)
z = mu + torch.randn_like(mu) * torch.exp(logvar)
recovered = torch.mm(z, z.t())
loss = loss_function(
    preds=recovered, labels=adj_label, mu=mu, logvar=logvar, n_nodes=n_nodes, norm=norm, pos_weight=pos_weight
)
loss.backward()
