"""shapelens: tensor shapes for PyTorch code while it is written."""

__version__ = "0.1.0"
