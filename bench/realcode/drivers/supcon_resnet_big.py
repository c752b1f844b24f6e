# Mirrors HobbitLong/SupContrast main_supcon.py (SupConResNet(name='resnet50') on two augmented
# CIFAR-10 views concatenated, features split back into [bsz, 2, 128]), main_ce.py
# (SupCEResNet) and main_linear.py (frozen model.encoder + LinearClassifier); also resnet18 and
# the encoder's layer-limited forward. Batch of 2 images per view.
import torch
import torch.nn.functional as F

from networks.resnet_big import LinearClassifier, SupCEResNet, SupConResNet

torch.manual_seed(0)
bsz = 2
images = [torch.randn(bsz, 3, 32, 32), torch.randn(bsz, 3, 32, 32)]
labels = torch.randint(0, 10, (bsz,))

model = SupConResNet(name="resnet50")
images_cat = torch.cat([images[0], images[1]], dim=0)
features = model(images_cat)
f1, f2 = torch.split(features, [bsz, bsz], dim=0)
features = torch.cat([f1.unsqueeze(1), f2.unsqueeze(1)], dim=1)

model.eval()
classifier = LinearClassifier(name="resnet50", num_classes=10)
with torch.no_grad():
    feats = model.encoder(images[0])
output = classifier(feats.detach())
loss = F.cross_entropy(output, labels)

ce = SupCEResNet(name="resnet18", num_classes=10)
logits = ce(images[0])
small = SupConResNet(name="resnet18", head="linear", feat_dim=128)
z = small(images[1])
with torch.no_grad():
    mid = small.encoder(images[1], layer=2)
