import torch
import torch.nn as nn

from layers import ConvBlock


class Classifier(nn.Module):
    def __init__(self, num_classes=5):
        super().__init__()
        self.block1 = ConvBlock(3, 8)
        self.block2 = ConvBlock(8, 16)
        self.head = nn.Linear(16 * 4 * 4, num_classes)

    def forward(self, x):
        x = self.block1(x)
        x = self.block2(x)
        x = x.reshape(x.shape[0], -1)
        return self.head(x)


if __name__ == "__main__":
    clf = Classifier()
    batch = torch.randn(3, 3, 16, 16)
    logits = clf(batch)
