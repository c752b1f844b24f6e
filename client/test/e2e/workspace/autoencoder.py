import torch
import torch.nn as nn

class Autoencoder(nn.Module):
    def __init__(self):
        super(Autoencoder, self).__init__()
        # Incorrect: Output channels mismatch between encoder and decoder
        self.encoder = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1),  # Input: 3 channels (RGB), Output: 16 channels
            nn.ReLU(),
            nn.Conv2d(16, 8, 3, padding=1), # Output: 8 channels
            nn.ReLU()
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(8, 16, 3, padding=1), # Input: 8 channels, Output: 16 channels
            nn.ReLU(),
            nn.ConvTranspose2d(16, 4, 3, padding=1), # Input: 16 channels, Output: 4 channels, should be 3
            nn.Sigmoid() #Output: 4 channels, should be 3
        )

    def forward(self, x):
        x = self.encoder(x)
        x = self.decoder(x)
        return x

# Input image with batch size 1, 3 channels, 28x28 pixels
input_image = torch.randn(1, 3, 28, 28)

model = Autoencoder()
output = model(input_image)
print(output.shape) #Shape mismatch error will likely occur here
