# Mirrors how pranz24/pytorch-soft-actor-critic sac.py uses model.py on HalfCheetah-sized spaces
# (17 / 6, hidden 256): QNetwork twin critics, GaussianPolicy.sample() with action rescaling,
# DeterministicPolicy.sample(), both policies' .to(device), and the ValueNetwork. Batch 4.
from types import SimpleNamespace

import numpy as np
import torch

from model import DeterministicPolicy, GaussianPolicy, QNetwork, ValueNetwork

torch.manual_seed(0)
obs_dim, act_dim, hidden = 17, 6, 256
action_space = SimpleNamespace(
    shape=(act_dim,), high=np.ones(act_dim, dtype=np.float32), low=-np.ones(act_dim, dtype=np.float32)
)
device = torch.device("cpu")
state_batch = torch.randn(4, obs_dim)
action_batch = torch.rand(4, act_dim) * 2 - 1

critic = QNetwork(obs_dim, act_dim, hidden).to(device=device)
qf1, qf2 = critic(state_batch, action_batch)

policy = GaussianPolicy(obs_dim, act_dim, hidden, action_space).to(device)
pi, log_pi, mean = policy.sample(state_batch)
qf1_pi, qf2_pi = critic(state_batch, pi)
policy_loss = ((0.2 * log_pi) - torch.min(qf1_pi, qf2_pi)).mean()
action, _, _ = policy.sample(torch.randn(obs_dim).unsqueeze(0))

unscaled = GaussianPolicy(obs_dim, act_dim, hidden)
pi, log_pi, mean = unscaled.sample(state_batch)

det = DeterministicPolicy(obs_dim, act_dim, hidden, action_space).to(device)
action, zero, mean = det.sample(state_batch)

value = ValueNetwork(obs_dim, hidden)
v = value(state_batch)
