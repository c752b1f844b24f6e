# Mirrors AntixK/PyTorch-VAE run.py + experiment.py with configs/cat_vae.yaml: CategoricalVAE(in_channels=3, latent_dim=512, categorical_dim=40, temperature=0.5, anneal_rate=0.00003, anneal_interval=100, alpha=1.0)
# on CelebA 64x64 crops with its 40 attribute labels: training_step (forward with labels=, loss_function with
# M_N=kld_weight, optimizer_idx=0, batch_idx), validation_step (M_N=1.0) and sample_images
# (generate(test_input, labels=...), sample(n, device, labels=...)). Batch 4 instead of 64.
# models/__init__.py imports every model, dfcvae.py needs torchvision: the driver registers an empty
# 'models' package over the folder (so the file's own "from models import BaseVAE" and relative
# imports resolve) and sets BaseVAE from models/base.py, instead of running models/__init__.py.
import os, sys, types
import torch

torch.manual_seed(0)
_pkg = types.ModuleType("models")
_pkg.__path__ = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")]
sys.modules["models"] = _pkg
from models.base import BaseVAE

_pkg.BaseVAE = BaseVAE
from models.cat_vae import CategoricalVAE

model = CategoricalVAE(
    in_channels=3,
    latent_dim=512,
    categorical_dim=40,
    temperature=0.5,
    anneal_rate=0.00003,
    anneal_interval=100,
    alpha=1.0,
)
optimizer = torch.optim.Adam(model.parameters(), lr=0.005, weight_decay=0.0)
real_img = torch.randn(4, 3, 64, 64)
labels = torch.randint(0, 2, (4, 40))

model.train()
results = model(real_img, labels=labels)
train_loss = model.loss_function(*results, M_N=0.00025, optimizer_idx=0, batch_idx=0)
optimizer.zero_grad()
train_loss["loss"].backward()
optimizer.step()

model.eval()
with torch.no_grad():
    results = model(real_img, labels=labels)
    val_loss = model.loss_function(*results, M_N=1.0, optimizer_idx=0, batch_idx=0)
    recons = model.generate(real_img, labels=labels)
    samples = model.sample(4, "cpu", labels=labels)
