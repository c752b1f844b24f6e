# Mirrors HobbitLong/SupContrast main_supcon.py's criterion: SupConLoss(temperature=0.07) on
# normalised features of shape [bsz, n_views=2, 128] with labels (--method SupCon) and without
# (--method SimCLR); plus contrast_mode='one' and an explicit mask, as the loss's docstring allows.
# Batch 8.
import torch
import torch.nn.functional as F

from losses import SupConLoss

torch.manual_seed(0)
bsz = 8
features = F.normalize(torch.randn(bsz, 2, 128), dim=2)
labels = torch.randint(0, 10, (bsz,))

criterion = SupConLoss(temperature=0.07)
loss = criterion(features, labels)
loss = criterion(features)
one = SupConLoss(temperature=0.1, contrast_mode="one")
loss = one(features, labels)
mask = torch.eq(labels.view(-1, 1), labels.view(1, -1)).float()
loss = criterion(features, mask=mask)
