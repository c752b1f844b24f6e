import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Linear(4 * 13 * 13, 10)

    def forward(self, x):
        x = self.body(x)
        x = x.flatten(start_dim=1)
        return self.head(x)


def train_step(model, optimizer, images, labels):
    optimizer.zero_grad()
    logits = model(images)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    optimizer.step()
    return loss


if __name__ == "__main__":
    model = TinyNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(2):
        images = torch.randn(5, 1, 28, 28)
        labels = torch.randint(0, 10, (5,))
        loss = train_step(model, optimizer, images, labels)
