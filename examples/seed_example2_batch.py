import torch
import torch.nn as nn

class Autoencoder(nn.Module):
    def __init__(self):
        super(Autoencoder, self).__init__()
        self.encoder = nn.Sequential(
            nn.Linear(784, 128),
            nn.ReLU()
        )
        self.decoder = nn.Sequential(
            nn.Linear(128, 784),
            nn.Sigmoid()
        )

    def forward(self, x):
        x = torch.flatten(x, 1) #flatten the input
        x = self.encoder(x)
        x = self.decoder(x)
        x = torch.reshape(x,(x.shape[0],1,28,28)) #reshape for output
        return x

#Input with correct batch size
input_image = torch.randn(10, 1, 28, 28)
model = Autoencoder()
output = model(input_image)
print(output.shape)

#Input with INCORRECT batch size (single image, not a batch)
input_image_single = torch.randn(1, 28, 28)
model = Autoencoder()
output_single = model(input_image_single) #This will fail.
print(output_single.shape)
