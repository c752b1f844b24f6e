import torch.nn as nn


class ConvBlock(nn.Module):
    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 3, padding=1)
        self.norm = nn.GroupNorm(4, out_ch)
        self.act = nn.SiLU()
        self.down = nn.MaxPool2d(2)

    def forward(self, x):
        y = self.act(self.norm(self.conv(x)))
        return self.down(y)
