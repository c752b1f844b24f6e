# Mirrors how sooftware/conformer uses convolution.py: Conv2dSubampling on (batch, T, 80) features
# with input_lengths in ConformerEncoder, ConformerConvModule (pointwise GLU, depthwise k=31,
# batchnorm, swish) in each block, through the README's Conformer(num_classes=10, input_dim=80,
# encoder_dim=32, num_encoder_layers=3); then the modules alone at the default encoder_dim 512.
import torch

from conformer import Conformer
from conformer.convolution import ConformerConvModule, Conv2dSubampling, DepthwiseConv1d, PointwiseConv1d

torch.manual_seed(0)
inputs = torch.rand(3, 300, 80)
input_lengths = torch.LongTensor([300, 280, 250])
model = Conformer(num_classes=10, input_dim=80, encoder_dim=32, num_encoder_layers=3)
outputs, output_lengths = model(inputs, input_lengths)

sub = Conv2dSubampling(in_channels=1, out_channels=512)
feats, lengths = sub(inputs, input_lengths)
conv = ConformerConvModule(in_channels=512, kernel_size=31, expansion_factor=2, dropout_p=0.1)
out = conv(torch.randn(3, 74, 512))
dw = DepthwiseConv1d(64, 128, kernel_size=31, padding=15)
pw = PointwiseConv1d(128, 64)
y = pw(dw(torch.randn(3, 64, 74)))
