from layers import *


class Net(Module):
    def __init__(self):
        super().__init__()
        self.conv = Conv2d(3, 16, 3)

    def forward(self, x):
        x = self.conv(x)
        return relu(x)


out = Net()(randn(2, 3, 8, 8))
