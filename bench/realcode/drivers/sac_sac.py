# Mirrors pranz24/pytorch-soft-actor-critic main.py: SAC(obs_dim, action_space, args) with the
# script's defaults (Gaussian policy, gamma 0.99, tau 0.005, lr 3e-4, alpha 0.2, hidden 256) on
# HalfCheetah-sized spaces (17 / 6), select_action() for acting and evaluation,
# update_parameters() on replay-memory samples; then automatic entropy tuning and the
# Deterministic policy, and save_checkpoint()/load_checkpoint(). Batch 4 instead of 256.
import os
import tempfile
from types import SimpleNamespace

import numpy as np
import torch

from sac import SAC

torch.manual_seed(0)
np.random.seed(0)
obs_dim, act_dim = 17, 6
action_space = SimpleNamespace(
    shape=(act_dim,), high=np.ones(act_dim, dtype=np.float32), low=-np.ones(act_dim, dtype=np.float32)
)


class ReplayMemory:
    """replay_memory.ReplayMemory's sample(), over random transitions."""

    def __init__(self, n=64):
        self.buffer = [
            (
                np.random.randn(obs_dim),
                np.random.uniform(-1, 1, act_dim),
                float(np.random.randn()),
                np.random.randn(obs_dim),
                1.0,
            )
            for _ in range(n)
        ]

    def sample(self, batch_size):
        batch = [self.buffer[i] for i in np.random.randint(0, len(self.buffer), batch_size)]
        state, action, reward, next_state, done = map(np.stack, zip(*batch))
        return state, action, reward, next_state, done


def make_args(**kw):
    args = dict(
        policy="Gaussian",
        gamma=0.99,
        tau=0.005,
        lr=0.0003,
        alpha=0.2,
        automatic_entropy_tuning=False,
        hidden_size=256,
        target_update_interval=1,
        cuda=False,
    )
    args.update(kw)
    return SimpleNamespace(**args)


memory = ReplayMemory()
agent = SAC(obs_dim, action_space, make_args())
state = np.random.randn(obs_dim)
action = agent.select_action(state)
action = agent.select_action(state, evaluate=True)
losses = agent.update_parameters(memory, 4, 1)

agent2 = SAC(obs_dim, action_space, make_args(automatic_entropy_tuning=True))
losses = agent2.update_parameters(memory, 4, 1)

agent3 = SAC(obs_dim, action_space, make_args(policy="Deterministic"))
action = agent3.select_action(state)
losses = agent3.update_parameters(memory, 4, 1)

here = os.getcwd()
with tempfile.TemporaryDirectory() as d:
    os.chdir(d)  # save_checkpoint() creates checkpoints/ in the working directory
    path = os.path.join(d, "sac_checkpoint_HalfCheetah-v2_")
    agent.save_checkpoint("HalfCheetah-v2", ckpt_path=path)
    agent.load_checkpoint(path, evaluate=True)
    os.chdir(here)
