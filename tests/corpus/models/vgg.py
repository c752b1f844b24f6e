import torch
import torch.nn as nn

CFG = [16, "M", 32, "M", 64, 64, "M"]


class VGG(nn.Module):
    def __init__(self, cfg=CFG, num_classes=10, in_channels=3):
        super().__init__()
        self.features = self._make_layers(cfg, in_channels)
        self.avgpool = nn.AdaptiveAvgPool2d((2, 2))
        self.classifier = nn.Sequential(
            nn.Linear(64 * 2 * 2, 128),
            nn.ReLU(inplace=True),
            nn.Dropout(0.5),
            nn.Linear(128, num_classes),
        )

    def _make_layers(self, cfg, in_channels):
        layers = []
        for v in cfg:
            if v == "M":
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers += [nn.Conv2d(in_channels, v, kernel_size=3, padding=1), nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
                in_channels = v
        return nn.Sequential(*layers)

    def forward(self, x):
        feats = self.features(x)
        pooled = self.avgpool(feats)
        flat = pooled.view(pooled.size(0), -1)
        out = self.classifier(flat)
        return out


if __name__ == "__main__":
    net = VGG()
    batch = torch.randn(2, 3, 32, 32)
    scores = net(batch)
