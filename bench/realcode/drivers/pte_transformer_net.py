# Mirrors pytorch/examples fast_neural_style/neural_style/neural_style.py: train()'s TransformerNet
# forward on 256x256 content batches and content loss (no backward, to keep it fast on CPU), and
# stylize() on an arbitrary-size content image.
import torch

from fast_neural_style.neural_style.transformer_net import TransformerNet

torch.manual_seed(0)
transformer = TransformerNet()
x = torch.rand(2, 3, 256, 256) * 255
y = transformer(x)
content_loss = torch.nn.functional.mse_loss(y, x)

with torch.no_grad():
    style_model = TransformerNet()
    style_model.eval()
    content_image = torch.rand(1, 3, 120, 160) * 255
    output = style_model(content_image)
