# Mirrors pytorch/examples super_resolution/main.py: Net(upscale_factor=3) on BSDS300 crops
# (crop 256 -> 255, input 85x85 luminance, target 255x255), MSE loss; then super_resolve.py.
import torch
import torch.nn as nn

from super_resolution.model import Net

torch.manual_seed(0)
upscale_factor = 3
crop_size = 256 - (256 % upscale_factor)
model = Net(upscale_factor=upscale_factor)
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

inp = torch.randn(4, 1, crop_size // upscale_factor, crop_size // upscale_factor)
target = torch.randn(4, 1, crop_size, crop_size)
optimizer.zero_grad()
loss = criterion(model(inp), target)
loss.backward()
optimizer.step()

with torch.no_grad():
    prediction = model(inp[:2])
    mse = criterion(prediction, target[:2])

# super_resolve.py: one Y channel image of arbitrary size
img_y = torch.randn(1, 1, 64, 48)
out = model(img_y)
