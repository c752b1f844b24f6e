"""A script whose set-up branches before the model is defined: an optional import, a device
check, a config built by a comprehension. Everything defined after them is still found."""

import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    from einops import rearrange
except ImportError:
    rearrange = None

if torch.cuda.is_available():
    torch.backends.cudnn.benchmark = True

WIDTHS = [16 * 2**i for i in range(3)]


class ConvBlock(nn.Module):
    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 3, padding=1)
        self.norm = nn.BatchNorm2d(out_ch)

    def forward(self, x):
        x = F.relu(self.norm(self.conv(x)))
        pooled = F.max_pool2d(x, 2)
        return pooled


class Encoder(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.first = ConvBlock(3, widths[0])
        self.second = ConvBlock(widths[0], widths[1])
        self.third = ConvBlock(widths[1], widths[2])

    def forward(self, images):
        features = self.first(images)
        features = self.second(features)
        features = self.third(features)
        return features


class Classifier(nn.Module):
    def __init__(self, widths=WIDTHS, num_classes=5):
        super().__init__()
        self.encoder = Encoder(widths)
        self.head = nn.Linear(widths[-1], num_classes)

    def forward(self, images):
        features = self.encoder(images)
        pooled = features.mean(dim=(2, 3))
        logits = self.head(pooled)
        return logits


if __name__ == "__main__":
    model = Classifier()
    images = torch.randn(2, 3, 32, 32)
    logits = model(images)
    probs = logits.softmax(dim=-1)
