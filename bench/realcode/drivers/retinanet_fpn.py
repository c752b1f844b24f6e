# Mirrors kuangliu/pytorch-retinanet train.py / test.py: net = RetinaNet() (VOC, 20 classes, FPN50
# backbone), train(): net.train(); net.freeze_bn(); loc_preds, cls_preds = net(inputs); a focal loss
# on encoded targets (loss.py's FocalLoss, inlined: loss.py imports utils.py, whose import runs
# `stty size`), backward, SGD(lr=1e-3, momentum=0.9, weight_decay=1e-4) step; then test.py's eval
# forward on one image. Images 224x224 (train, batch 2) and 256x256 (eval) instead of 600x600, to
# stay fast on CPU. (The file's own test() backprops twice through one graph: fails on torch >= 0.4.)
import torch
import torch.nn.functional as F

torch.manual_seed(0)
from retinanet import RetinaNet


def focal_loss(loc_preds, loc_targets, cls_preds, cls_targets, num_classes=20, alpha=0.25, gamma=2):
    pos = cls_targets > 0
    num_pos = pos.long().sum().clamp(min=1)
    mask = pos.unsqueeze(2).expand_as(loc_preds)
    loc_loss = F.smooth_l1_loss(loc_preds[mask].view(-1, 4), loc_targets[mask].view(-1, 4), reduction="sum")
    pos_neg = cls_targets > -1
    mask = pos_neg.unsqueeze(2).expand_as(cls_preds)
    masked_cls_preds = cls_preds[mask].view(-1, num_classes)
    t = F.one_hot(cls_targets[pos_neg].long(), 1 + num_classes)[:, 1:].float()
    p = masked_cls_preds.detach().sigmoid()
    pt = p * t + (1 - p) * (1 - t)
    w = (alpha * t + (1 - alpha) * (1 - t)) * (1 - pt).pow(gamma)
    cls_loss = F.binary_cross_entropy_with_logits(masked_cls_preds, t, w, reduction="sum")
    return (loc_loss + cls_loss) / num_pos


net = RetinaNet()
optimizer = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4)
net.train()
net.freeze_bn()
inputs = torch.randn(2, 3, 224, 224)
optimizer.zero_grad()
loc_preds, cls_preds = net(inputs)
loc_targets = torch.randn_like(loc_preds)
cls_targets = torch.randint(-1, 21, cls_preds.shape[:2])
loss = focal_loss(loc_preds, loc_targets, cls_preds, cls_targets)
loss.backward()
optimizer.step()

net.eval()
with torch.no_grad():
    loc_preds, cls_preds = net(torch.randn(1, 3, 256, 256))
