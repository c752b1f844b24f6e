# Mirrors sfujim/TD3 main.py with --policy DDPG on HalfCheetah-sized spaces (state 17, action 6,
# max_action 1.0): select_action() with exploration noise, train() on replay-buffer samples,
# save()/load(). Batch 4 instead of 64.
import os
import tempfile

import numpy as np
import torch

import DDPG

torch.manual_seed(0)
np.random.seed(0)
state_dim, action_dim, max_action = 17, 6, 1.0


class ReplayBuffer(object):
    """utils.ReplayBuffer's sample(), over random transitions."""

    def __init__(self, n=64):
        self.state = np.random.randn(n, state_dim)
        self.action = np.random.uniform(-1, 1, (n, action_dim))
        self.next_state = np.random.randn(n, state_dim)
        self.reward = np.random.randn(n, 1)
        self.not_done = np.ones((n, 1))

    def sample(self, batch_size):
        ind = np.random.randint(0, len(self.state), size=batch_size)
        return (
            torch.FloatTensor(self.state[ind]),
            torch.FloatTensor(self.action[ind]),
            torch.FloatTensor(self.next_state[ind]),
            torch.FloatTensor(self.reward[ind]),
            torch.FloatTensor(self.not_done[ind]),
        )


kwargs = {"state_dim": state_dim, "action_dim": action_dim, "max_action": max_action, "discount": 0.99, "tau": 0.005}
policy = DDPG.DDPG(**kwargs)
state = np.random.randn(state_dim)
action = (policy.select_action(np.array(state)) + np.random.normal(0, max_action * 0.1, size=action_dim)).clip(
    -max_action, max_action
)
replay_buffer = ReplayBuffer()
for _ in range(2):
    policy.train(replay_buffer, 4)
with tempfile.TemporaryDirectory() as d:
    policy.save(os.path.join(d, "DDPG_HalfCheetah-v2_0"))
    policy.load(os.path.join(d, "DDPG_HalfCheetah-v2_0"))
q = policy.critic(torch.randn(3, state_dim), policy.actor(torch.randn(3, state_dim)))
