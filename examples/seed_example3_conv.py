import torch
import torch.nn as nn

class Autoencoder(nn.Module):
    def __init__(self):
        super(Autoencoder, self).__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2, 2)
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1), # Incorrect Reshape before this line!
            nn.Sigmoid()
        )

    def forward(self, x):
        x = self.encoder(x)
        # Incorrect:  Missing or incorrect reshaping before decoder
        x = self.decoder(x)
        return x

input_image = torch.randn(10, 1, 28, 28)
model = Autoencoder()
output = model(input_image)
print(output.shape)
