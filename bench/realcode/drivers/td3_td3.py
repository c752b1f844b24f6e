# Mirrors sfujim/TD3 main.py with --policy TD3 on HalfCheetah-sized spaces (state 17, action 6,
# max_action 1.0): select_action() with exploration noise, two train() calls on a replay-buffer
# sample (so the delayed actor update runs), save()/load(). Batch 4 instead of 256.
import os
import tempfile

import numpy as np
import torch

import TD3

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


kwargs = {
    "state_dim": state_dim,
    "action_dim": action_dim,
    "max_action": max_action,
    "discount": 0.99,
    "tau": 0.005,
    "policy_noise": 0.2 * max_action,
    "noise_clip": 0.5 * max_action,
    "policy_freq": 2,
}
policy = TD3.TD3(**kwargs)
state = np.random.randn(state_dim)
action = (policy.select_action(np.array(state)) + np.random.normal(0, max_action * 0.1, size=action_dim)).clip(
    -max_action, max_action
)
replay_buffer = ReplayBuffer()
for _ in range(2):
    policy.train(replay_buffer, 4)
with tempfile.TemporaryDirectory() as d:
    policy.save(os.path.join(d, "TD3_HalfCheetah-v2_0"))
    policy.load(os.path.join(d, "TD3_HalfCheetah-v2_0"))
q1 = policy.critic.Q1(torch.randn(3, state_dim), torch.randn(3, action_dim))
