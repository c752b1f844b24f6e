"""numpy arrays in real code: tables built with numpy reach torch with their shapes (sinusoid
position tables, replay buffers, diffusion schedules), and a wrong table is an error in torch."""

from shapelens.analysis import Analysis


def shapes_of(text: str, name: str = "np_code.py") -> tuple:
    report = Analysis().analyze(name, text)
    return {s.name: str(s.value) for s in report.shapes}, report


SINUSOID = """import numpy as np
import torch


def get_sinusoid_table(n_position, d_hid):
    table = np.array([[pos / np.power(10000, 2 * (j // 2) / d_hid) for j in range(d_hid)]
                      for pos in range(n_position)])
    table[:, 0::2] = np.sin(table[:, 0::2])
    table[:, 1::2] = np.cos(table[:, 1::2])
    return torch.FloatTensor(table).unsqueeze(0)


pe = get_sinusoid_table(50, 16)
evens = np.zeros((50, 16))[:, 0::2]
odd_rows = np.zeros((7, 3))[::-2]
"""


def test_sinusoid_table():
    shapes, report = shapes_of(SINUSOID)
    assert shapes["table"] == "[50, 16]"
    assert shapes["pe"] == "[1, 50, 16]"
    assert shapes["evens"] == "[50, 8]"
    assert shapes["odd_rows"] == "[4, 3]"
    assert not report.diagnostics


REPLAY = """import numpy as np
import torch


class ReplayBuffer:
    def __init__(self, state_dim, action_dim, max_size=1000):
        self.max_size = max_size
        self.state = np.zeros((max_size, state_dim))
        self.action = np.zeros((max_size, action_dim))

    def sample(self, batch_size):
        ind = np.random.randint(0, self.max_size, size=batch_size)
        return torch.FloatTensor(self.state[ind]), torch.FloatTensor(self.action[ind])


buf = ReplayBuffer(17, 6)
s, a = buf.sample(256)
state = np.random.randn(17)
st = torch.FloatTensor(state.reshape(1, -1))
n_rows = len(buf.state)
"""


def test_replay_buffer():
    shapes, report = shapes_of(REPLAY)
    assert (shapes["ind"], shapes["s"], shapes["a"], shapes["st"]) == ("[256]", "[256, 17]", "[256, 6]", "[1, 17]")
    assert not report.diagnostics


SCHEDULE = """import math
import numpy as np
import torch

betas = np.linspace(1e-4, 0.02, 1000)
alphas_cumprod = np.cumprod(1.0 - betas, axis=0)
alphas_prev = np.append(1.0, alphas_cumprod[:-1])
sqrt_ac = np.sqrt(alphas_cumprod)
timesteps = torch.randint(0, 1000, (8,))
coef = torch.from_numpy(sqrt_ac)[timesteps].float()
back = coef.cpu().numpy()
rows = back.shape[0]
x = torch.tensor(np.stack([sqrt_ac, sqrt_ac]))
y = torch.as_tensor(np.concatenate([sqrt_ac, sqrt_ac]))
div = np.exp(np.arange(0, 8, 2) * -(math.log(10000.0) / 8))
grid = np.arange(10)[:, None] * div
freqs = np.outer(np.arange(6), div)
noise = np.random.normal(0, 1, size=(4, 3)).T
half = np.pi * np.ones(3)
"""


def test_diffusion_schedule():
    shapes, report = shapes_of(SCHEDULE)
    assert shapes["alphas_prev"] == "[1000]"
    assert (shapes["coef"], shapes["back"], shapes["x"], shapes["y"]) == ("[8]", "[8]", "[2, 1000]", "[2000]")
    assert (shapes["grid"], shapes["freqs"], shapes["noise"], shapes["half"]) == ("[10, 4]", "[6, 4]", "[3, 4]", "[3]")
    assert not report.diagnostics


def test_a_wrong_table_is_an_error_in_torch():
    text = """import numpy as np
import torch

table = np.zeros((3, 4))
out = torch.FloatTensor(table) @ torch.randn(5, 2)
rows = np.ones((2, 3)) + np.ones((4,))
"""
    _, report = shapes_of(text)
    codes = sorted(d.code for d in report.diagnostics if d.severity == "error")
    assert codes == ["broadcast", "matmul-inner"]


def test_array_methods_are_numpys():
    """a.transpose() reverses the axes and a.sum(axis=0) reduces: numpy's methods, not torch's."""
    text = """import numpy as np
import torch

a = np.zeros((2, 3, 4))
t = a.transpose()
s = a.sum(axis=0)
m = a.mean(axis=(0, 2), keepdims=True)
tt = torch.zeros(2, 3, 4).sum(dim=0)
"""
    shapes, report = shapes_of(text)
    assert (shapes["t"], shapes["s"], shapes["m"], shapes["tt"]) == ("[4, 3, 2]", "[3, 4]", "[1, 3, 1]", "[3, 4]")
    assert not report.diagnostics


def test_data_known_only_by_its_name_is_no_number():
    """np.array(betas) of a parameter nobody passes: a list, an array or a number. Not a 0-d array
    (every index into it would be a false out-of-range error)."""
    text = """import numpy as np
import torch


class Diffusion:
    def __init__(self, betas):
        betas = np.array(betas, dtype=np.float64)
        self.betas = betas
        self.alphas_cumprod = np.cumprod(1.0 - betas, axis=0)

    def extract(self, t):
        return torch.from_numpy(self.alphas_cumprod)[t]
"""
    shapes, report = shapes_of(text)
    assert not [d for d in report.diagnostics if d.severity == "error"]
    assert "betas" not in shapes
