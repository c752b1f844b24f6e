# Mirrors amdegroot/ssd.pytorch's callers of layers/box_utils.py on SSD300/VOC sizes (8732 priors,
# 21 classes): MultiBoxLoss.forward (match() per image -> jaccard/point_form/encode, then
# log_sum_exp for hard negative mining) and Detect.forward (decode() then per-class nms()), for a
# batch of 2 images with 3 ground-truth boxes each; nms runs for 3 classes only.
# layers/__init__.py imports data (cv2, torchvision), so layers/ is put on sys.path and the
# module is imported by its stem.
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers"))
from box_utils import decode, log_sum_exp, match, nms  # noqa: E402

torch.manual_seed(0)
num, num_priors, num_classes, variance = 2, 8732, 21, [0.1, 0.2]
centers = torch.rand(num_priors, 2)
sizes = torch.rand(num_priors, 2) * 0.8 + 0.05
priors = torch.cat([centers, sizes], 1).clamp_(max=1, min=0)
loc_data = torch.randn(num, num_priors, 4) * 0.1
conf_data = torch.randn(num, num_priors, num_classes)
targets = []
for _ in range(num):
    xy = torch.rand(3, 2) * 0.5
    wh = torch.rand(3, 2) * 0.4 + 0.1
    labels = torch.randint(0, num_classes - 1, (3, 1)).float()
    targets.append(torch.cat([xy, xy + wh, labels], 1))

# MultiBoxLoss.forward
loc_t = torch.Tensor(num, num_priors, 4)
conf_t = torch.LongTensor(num, num_priors)
for idx in range(num):
    truths = targets[idx][:, :-1].data
    labels = targets[idx][:, -1].data
    match(0.5, truths, priors.data, variance, labels, loc_t, conf_t, idx)
pos = conf_t > 0
pos_idx = pos.unsqueeze(pos.dim()).expand_as(loc_data)
loss_l = F.smooth_l1_loss(loc_data[pos_idx].view(-1, 4), loc_t[pos_idx].view(-1, 4), reduction="sum")
batch_conf = conf_data.view(-1, num_classes)
loss_c = log_sum_exp(batch_conf) - batch_conf.gather(1, conf_t.view(-1, 1))

# Detect.forward (softmax scores, conf_thresh 0.01, nms_thresh 0.45, top_k 200)
conf_preds = F.softmax(conf_data, dim=-1).transpose(2, 1)
output = torch.zeros(num, num_classes, 200, 5)
for i in range(num):
    decoded_boxes = decode(loc_data[i], priors, variance)
    conf_scores = conf_preds[i].clone()
    for cl in range(1, 4):
        c_mask = conf_scores[cl].gt(0.2)
        scores = conf_scores[cl][c_mask]
        if scores.size(0) == 0:
            continue
        l_mask = c_mask.unsqueeze(1).expand_as(decoded_boxes)
        boxes = decoded_boxes[l_mask].view(-1, 4)
        ids, count = nms(boxes, scores, 0.45, 200)
        output[i, cl, :count] = torch.cat((scores[ids[:count]].unsqueeze(1), boxes[ids[:count]]), 1)
