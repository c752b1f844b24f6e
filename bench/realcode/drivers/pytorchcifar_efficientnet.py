# Mirrors kuangliu/pytorch-cifar main.py: net = EfficientNetB0(); a CIFAR-10 training step
# (32x32 inputs, CrossEntropyLoss, SGD lr=0.1 momentum=0.9 wd=5e-4), then net.eval() under
# no_grad as its test(); also the model file's own test() (batch 1).
# models/__init__.py imports every model, so the file is imported by its stem from models/.
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "models"))
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(0)
from efficientnet import EfficientNetB0, test


def step(net, batch=4):
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    inputs, targets = torch.randn(batch, 3, 32, 32), torch.randint(0, 10, (batch,))
    net.train()
    optimizer.zero_grad()
    outputs = net(inputs)
    loss = criterion(outputs, targets)
    loss.backward()
    optimizer.step()
    _, predicted = outputs.max(1)
    infer(net, batch)


def infer(net, batch=2):
    net.eval()
    with torch.no_grad():
        outputs = net(torch.randn(batch, 3, 32, 32))
        _, predicted = outputs.max(1)


step(EfficientNetB0())
test()
