"""Model files as people write them: modules defined here, called from another file or from a
demo function nobody calls. Every expected shape below is what torch gives for the calls in
the test (checked with torch where a test says so), or a symbol where no call fixes it."""

import textwrap

import pytest

from shapelens.analysis import Analysis, analyze


def _shapes(report) -> dict:
    return {(s.span.line, s.name): str(s.value) for s in report.shapes}


def _by_name(report) -> dict:
    return {s.name: str(s.value) for s in report.shapes}


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


BLOCK = """\
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, in_ch, out_ch, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1)
        self.bn = nn.BatchNorm2d(out_ch)

    def forward(self, x):
        y = self.bn(self.conv(x))
        return torch.relu(y)
"""


def test_a_model_file_with_no_call_site_gets_symbolic_shapes_and_a_default_is_not_a_size():
    shapes = _by_name(analyze("m.py", BLOCK))
    assert shapes["x"] == "[B, in_ch, H, W]"
    # stride=1 unless passed: a hint that said H would be wrong for Block(3, 8, stride=2)
    assert shapes["y"] == "[B, out_ch, (H - 1)//stride + 1, (W - 1)//stride + 1]"


def test_structure_defaults_stay_values():
    text = """\
    import torch.nn as nn


    class Head(nn.Module):
        def __init__(self, dim, bias=False, norm=nn.LayerNorm):
            super().__init__()
            self.norm = norm(dim)
            self.fc = nn.Linear(dim, 10, bias=bias)

        def forward(self, x):
            h = self.norm(x)
            return self.fc(h)
    """
    shapes = _by_name(analyze("head.py", textwrap.dedent(text)))
    assert shapes["h"] == "[*batch, dim]"


def test_a_demo_function_is_one_context_beside_the_summary(tmp_path):
    text = (
        BLOCK
        + """

def test():
    net = Block(3, 8)
    out = net(torch.randn(1, 3, 16, 16))
"""
    )
    shapes = _shapes(analyze("m.py", text))
    # the demo's batch of 1 and its channels are not what a real caller must use
    assert shapes[(11, "x")] == "[B, in_ch, H, W]"
    assert shapes[(12, "y")] == "[B, out_ch, (H - 1)//stride + 1, (W - 1)//stride + 1]"
    assert _by_name(analyze("m.py", text))["out"] == "[1, 8, 16, 16]"  # the demo's own line: its call


def test_a_demo_with_other_constructor_values_does_not_fix_a_size():
    text = (
        BLOCK
        + """

def test():
    net = Block(3, 8, stride=2)
    out = net(torch.randn(1, 3, 16, 16))
"""
    )
    shapes = _shapes(analyze("m.py", text))
    # the summary's form holds for the demo's own values (stride 2: 16 -> 8), so it stays
    assert shapes[(12, "y")] == "[B, out_ch, (H - 1)//stride + 1, (W - 1)//stride + 1]"


def test_callers_in_other_files_are_contexts(tmp_path):
    model = _write(
        tmp_path,
        "model.py",
        """\
        import torch
        import torch.nn as nn
        from dataclasses import dataclass


        @dataclass
        class Cfg:
            dim: int = 32
            n_cls: int = 10


        class Net(nn.Module):
            def __init__(self, cfg):
                super().__init__()
                self.conv = nn.Conv2d(3, cfg.dim, 3, padding=1)
                self.fc = nn.Linear(cfg.dim, cfg.n_cls)

            def forward(self, x):
                h = self.conv(x).mean(dim=(2, 3))
                return self.fc(h)


        def test():
            net = Net(Cfg())
            out = net(torch.randn(1, 3, 16, 16))
        """,
    )
    _write(
        tmp_path,
        "train.py",
        """\
        import torch
        from model import Net, Cfg

        model = Net(Cfg(dim=48))
        logits = model(torch.randn(2, 3, 32, 32))
        """,
    )
    shapes = _shapes(analyze(model, roots=[str(tmp_path)]))
    assert shapes[(18, "x")] == "[B, 3, H, H]"  # train.py's [2, 3, 32, 32] and the demo's [1, 3, 16, 16]
    assert shapes[(19, "h")] == "[B, D]"  # 48 and 32 channels: not one number
    alone = _shapes(analyze(model))
    assert alone[(18, "x")] == "[B, 3, H, W]"


def test_a_module_dict_entry_read_as_an_attribute():
    text = """\
    import torch
    import torch.nn as nn


    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = nn.ModuleDict({"wte": nn.Embedding(100, 12), "ln_f": nn.LayerNorm(12)})

        def forward(self, idx):
            tok = self.transformer.wte(idx)
            return self.transformer.ln_f(tok)


    logits = GPT()(torch.zeros(2, 5, dtype=torch.long))
    """
    shapes = _by_name(analyze("gpt.py", textwrap.dedent(text)))
    assert shapes["tok"] == "[2, 5, 12]" and shapes["logits"] == "[2, 5, 12]"


@pytest.mark.parametrize("patch, expected", [("16", "[2, 4, 64]"), ("(8, 16)", "[2, 8, 64]")])
def test_isinstance_decides_the_pair_helper(patch, expected):
    text = f"""\
    import torch
    import torch.nn as nn


    def pair(v):
        return v if isinstance(v, tuple) else (v, v)


    class Patches(nn.Module):
        def __init__(self, img=32, patch=16, dim=64):
            super().__init__()
            ih, iw = pair(img)
            ph, pw = pair(patch)
            self.n = (ih // ph) * (iw // pw)
            self.proj = nn.Conv2d(3, dim, patch, stride=patch)

        def forward(self, x):
            tokens = self.proj(x).flatten(2).transpose(1, 2)
            return tokens


    out = Patches(patch={patch})(torch.randn(2, 3, 32, 32))
    """
    assert _by_name(analyze("vit.py", textwrap.dedent(text)))["out"] == expected


def test_membership_in_a_tuple_of_constants_is_decided():
    text = """\
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self, mode="sum"):
            super().__init__()
            if mode in ("sum", "mean"):
                self.fc = nn.Linear(8, 4)
            else:
                self.fc = nn.Linear(8, 2)

        def forward(self, x):
            return self.fc(x)


    out = Net()(torch.randn(3, 8))
    """
    assert _by_name(analyze("net.py", textwrap.dedent(text)))["out"] == "[3, 4]"


def test_an_undecided_branch_joins_the_attributes_it_sets():
    text = """\
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self, flag):
            super().__init__()
            self.fc = nn.Linear(8, 4)
            if flag:
                self.fc = nn.Linear(8, 6)

        def forward(self, x):
            y = self.fc(x)
            return y


    out = Net(FLAG)(torch.randn(3, 8))
    """
    shapes = _by_name(analyze("net.py", textwrap.dedent(text)))
    # the branch that sets [3, 6] must not win over the one that leaves [3, 4]
    assert "y" not in shapes or shapes["y"] not in ("[3, 4]", "[3, 6]")


def test_a_condition_any_usual_sizes_meet_is_no_warning():
    text = """\
    import torch.nn as nn


    class Inverted(nn.Module):
        def __init__(self, inp, oup, stride):
            super().__init__()
            self.use_res = stride == 1 and inp == oup
            self.conv = nn.Conv2d(inp, oup, 3, stride, 1)

        def forward(self, x):
            if self.use_res:
                return x + self.conv(x)
            return self.conv(x)
    """
    report = analyze("mbv2.py", textwrap.dedent(text))
    assert not [d for d in report.diagnostics if d.severity in ("error", "warning")]


def test_a_condition_no_usual_sizes_meet_is_still_a_warning():
    text = """\
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self, a, b):
            super().__init__()
            self.fc1 = nn.Linear(8, a * b)
            self.fc2 = nn.Linear(49 * a, 10)

        def forward(self, x):
            return self.fc2(self.fc1(x))
    """
    report = analyze("net.py", textwrap.dedent(text))
    assert [d for d in report.diagnostics if d.severity == "warning"]


def test_the_importers_calls_are_recorded_only_for_the_file_analysed(tmp_path):
    model = _write(
        tmp_path,
        "layers.py",
        """\
        import torch.nn as nn


        class Proj(nn.Module):
            def __init__(self, d):
                super().__init__()
                self.fc = nn.Linear(d, 2 * d)

            def forward(self, x):
                y = self.fc(x)
                return y
        """,
    )
    _write(
        tmp_path,
        "run.py",
        """\
        import torch
        from layers import Proj

        out = Proj(4)(torch.randn(3, 4))
        """,
    )
    analysis = Analysis([str(tmp_path)])
    shapes = _by_name(analysis.analyze(model))
    assert shapes["y"] == "[3, 8]"


def test_subclasses_of_torch_layers_hold_the_layer_they_extend():
    text = """\
    import torch
    import torch.nn as nn


    class LayerNorm(nn.LayerNorm):
        def forward(self, x):
            y = super().forward(x)
            return y


    class NoBias(nn.Linear):
        def __init__(self, d_in, d_out):
            super().__init__(d_in, d_out, bias=False)


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln = LayerNorm(16)
            self.proj = NoBias(16, 32)

        def forward(self, x):
            h = self.proj(self.ln(x))
            return h


    out = Net()(torch.randn(2, 7, 16))
    width = Net().proj.out_features
    """
    shapes = _by_name(analyze("sub.py", textwrap.dedent(text)))
    assert shapes["y"] == "[2, 7, 16]" and shapes["h"] == "[2, 7, 32]"


def test_clones_by_deepcopy_and_a_bare_module_as_a_namespace():
    text = """\
    import copy
    import torch
    import torch.nn as nn


    def clones(module, n):
        return nn.ModuleList([copy.deepcopy(module) for _ in range(n)])


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = clones(nn.Linear(8, 8), 3)
            down = nn.Module()
            down.block = nn.Linear(8, 4)
            self.down = down

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            y = self.down.block(x)
            return y


    out = Net()(torch.randn(2, 8))
    """
    assert _by_name(analyze("clones.py", textwrap.dedent(text)))["y"] == "[2, 4]"


def test_a_hint_that_knows_nothing_is_not_shown():
    text = """\
    import torch


    def f(x):
        y = torch.special.bessel_j0(x)
        return y
    """
    assert "y" not in _by_name(analyze("lost.py", textwrap.dedent(text)))


CONFIG_HEAD = """\
import argparse
from dataclasses import dataclass, field
from types import SimpleNamespace
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.fc = nn.Linear(cfg.dim, cfg.out)

    def forward(self, x):
        return self.fc(x)


"""


@pytest.mark.parametrize(
    "config, expected",
    [
        (
            "@dataclass\nclass Cfg:\n    dim: int = 32\n    heads: int = 4\n\n    def __post_init__(self):\n"
            "        self.out = self.dim // self.heads\n\n\ncfg = Cfg()",
            "[2, 8]",
        ),
        (
            "@dataclass\nclass Cfg:\n    dim: int = 32\n    sizes: list = field(default_factory=lambda: [5, 6])\n\n\n"
            "c = Cfg()\ncfg = SimpleNamespace(dim=c.dim, out=c.sizes[1])",
            "[2, 6]",
        ),
        ("cfg = SimpleNamespace(**dict(dim=32, out=3))", "[2, 3]"),
    ],
)
def test_configuration_as_real_code_writes_it(config, expected):
    text = CONFIG_HEAD + config + "\nout = Net(cfg)(torch.randn(2, 32))\n"
    assert _by_name(analyze("cfg.py", text))["out"] == expected


def test_command_line_options_are_their_paths():
    text = """\
    import argparse
    import torch
    import torch.nn as nn

    parser = argparse.ArgumentParser()
    parser.add_argument("--img_size", type=int, default=28)
    parser.add_argument("--latent", type=int, default=16)
    opt = parser.parse_args()


    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(opt.latent, opt.img_size ** 2)

        def forward(self, z):
            img = self.fc(z).view(z.size(0), 1, opt.img_size, opt.img_size)
            return img


    out = Generator()(torch.randn(4, opt.latent))
    """
    shapes = _by_name(analyze("gan.py", textwrap.dedent(text)))
    assert shapes["img"] == "[4, 1, opt.img_size, opt.img_size]"


def test_what_a_layer_holds_and_an_unknown_tensor_is_not_none():
    text = """\
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    emb = nn.Embedding(100, 16)
    head = nn.Linear(16, 100, bias=False)
    head.weight = emb.weight
    w = head.weight
    wt = w.T
    mha = nn.MultiheadAttention(16, 4)
    o = mha.out_proj.weight
    bn = nn.BatchNorm2d(8)
    x = torch.randn(2, 8, 4, 4)
    y = F.batch_norm(x, bn.running_mean, bn.running_var, bn.weight, bn.bias)
    z = F.batch_norm(x, other.running_mean, other.running_var, training=False)
    """
    report = analyze("held.py", textwrap.dedent(text))
    shapes = _by_name(report)
    assert (shapes["w"], shapes["wt"], shapes["o"], shapes["y"]) == (
        "[100, 16]",
        "[16, 100]",
        "[16, 16]",
        "[2, 8, 4, 4]",
    )
    assert shapes["z"] == "[2, 8, 4, 4]" and not report.diagnostics  # `other` is unknown, not None


def test_a_list_reversed_in_place_builds_the_decoder_in_reverse():
    text = """\
    import torch
    import torch.nn as nn


    class VAE(nn.Module):
        def __init__(self, hidden_dims=None):
            super().__init__()
            if hidden_dims is None:
                hidden_dims = [32, 64]
            self.decoder_input = nn.Linear(16, hidden_dims[-1] * 4)
            hidden_dims.reverse()
            self.decoder = nn.ConvTranspose2d(hidden_dims[0], hidden_dims[1], 3, 2, 1, 1)

        def decode(self, z):
            result = self.decoder_input(z).view(-1, 64, 2, 2)
            result = self.decoder(result)
            return result


    out = VAE().decode(torch.randn(4, 16))
    """
    report = analyze("vae.py", textwrap.dedent(text))
    assert _by_name(report)["out"] == "[4, 32, 4, 4]" and not report.diagnostics


def test_a_caller_reaches_the_model_through_a_package_and_a_star_import(tmp_path):
    (tmp_path / "net").mkdir()
    parts = _write(
        tmp_path,
        "net/parts.py",
        """\
        import torch.nn as nn


        class Double(nn.Module):
            def __init__(self, c_in, c_out):
                super().__init__()
                self.conv = nn.Conv2d(c_in, c_out, 3, padding=1)

            def forward(self, x):
                y = self.conv(x)
                return y
        """,
    )
    _write(
        tmp_path,
        "net/model.py",
        """\
        import torch.nn as nn
        from .parts import *


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.inc = Double(3, 16)

            def forward(self, x):
                return self.inc(x)
        """,
    )
    _write(tmp_path, "net/__init__.py", "from .model import Net\n")
    _write(
        tmp_path,
        "train.py",
        """\
        import torch
        from net import Net

        out = Net()(torch.randn(2, 3, 32, 32))
        """,
    )
    assert _by_name(analyze(parts, roots=[str(tmp_path)]))["y"] == "[2, 16, 32, 32]"


def test_a_module_found_by_its_path_when_code_puts_its_folder_on_sys_path(tmp_path):
    (tmp_path / "src").mkdir()
    model = _write(
        tmp_path,
        "src/tasnet.py",
        """\
        import torch.nn as nn


        class Encoder(nn.Module):
            def __init__(self, L, N):
                super().__init__()
                self.conv = nn.Conv1d(1, N, L, stride=L // 2)

            def forward(self, mixture):
                w = self.conv(mixture.unsqueeze(1))
                return w
        """,
    )
    _write(
        tmp_path,
        "run.py",
        """\
        import sys
        import torch
        sys.path.insert(0, "src")
        from tasnet import Encoder

        out = Encoder(20, 64)(torch.randn(2, 1000))
        """,
    )
    assert _by_name(analyze(model, roots=[str(tmp_path)]))["w"] == "[2, 64, 99]"


def test_a_classmethod_constructor_builds_its_class():
    text = """\
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.fc = nn.Linear(dim, 2 * dim)

        @classmethod
        def from_args(cls, args):
            return cls(args.dim)

        @staticmethod
        def width(dim):
            return 2 * dim

        def forward(self, x):
            return self.fc(x)


    class Args:
        dim = 8


    net = Net.from_args(Args())
    out = net(torch.randn(3, 8))
    w = torch.zeros(net.width(4))
    """
    shapes = _by_name(analyze("cm.py", textwrap.dedent(text)))
    assert shapes["out"] == "[3, 16]" and shapes["w"] == "[8]"


def test_a_caller_that_knows_less_does_not_erase_the_callees_own_shapes():
    text = """\
    import torch
    import torch.nn as nn
    from somewhere import PatchEmbed


    class Block(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.norm = nn.LayerNorm(dim)
            self.fc = nn.Linear(dim, 4 * dim)

        def forward(self, x):
            h = self.fc(self.norm(x))
            return h


    class ViT(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.embed = PatchEmbed(dim)
            self.blocks = nn.ModuleList([Block(dim) for _ in range(2)])

        def forward(self, img):
            x = self.embed(img)
            for blk in self.blocks:
                x = blk(x)
            return x


    out = ViT(64)(torch.randn(2, 3, 32, 32))
    """
    shapes = _by_name(analyze("vit.py", textwrap.dedent(text)))
    assert shapes["h"] == "[*batch, 4*dim]"


def test_module_methods_that_return_the_module_and_in_place_squeezes():
    text = """\
    import torch
    import torch.nn as nn

    net = nn.Sequential(nn.Linear(4, 2)).to("cpu").eval()
    y = net(torch.randn(5, 4))
    scores = torch.randn(3, 10)
    best, idx = scores.max(0, keepdim=True)
    idx.squeeze_(0)
    picked = scores[:, idx]
    """
    shapes = _by_name(analyze("inplace.py", textwrap.dedent(text)))
    assert shapes["y"] == "[5, 2]" and shapes["picked"] == "[3, 10]"


def test_a_remembered_call_returns_its_own_list():
    text = """\
    import torch


    def pair(x):
        return [x, x.sum(0)]


    def use(x):
        parts = pair(x)
        parts.reverse()
        return parts[0]


    a = use(torch.randn(4, 3))
    b = use(torch.randn(4, 3))
    """
    shapes = _by_name(analyze("memo.py", textwrap.dedent(text)))
    assert shapes["a"] == shapes["b"] == "[3]"


def test_a_check_on_an_argument_nobody_knows_stays_open():
    text = """\
    import torch.nn as nn
    from elsewhere import width


    class Norm(nn.GroupNorm):
        pass


    def make():
        return Norm(32, width())
    """
    analysis = Analysis()
    report = analysis.analyze("norm.py", textwrap.dedent(text))
    assert not analysis.internal_errors and not report.diagnostics


def test_a_return_annotation_the_result_contradicts():
    text = """\
    from __future__ import annotations
    import torch


    def pool(x: Float[Tensor, "b t d"]) -> Float[Tensor, "b d"]:
        return x.mean(1, keepdim=True)


    def project(x: Float[Tensor, "b t d"], w: Float[Tensor, "d e"]) -> Float[Tensor, "b t e"]:
        return x @ w


    def squeeze(x: Float[Tensor, "b t d"]) -> Float[Tensor, "b t d"]:
        return x[:, :1]
    """
    report = analyze("jt.py", textwrap.dedent(text))
    errors = [(d.span.line, d.code) for d in report.diagnostics]
    # pool's rank is wrong; squeeze's t may be 1, so no certain mismatch; project is right
    assert errors == [(5, "return-annotation")]
    assert "returns [b, 1, d]" in report.diagnostics[0].message


def test_a_branch_on_sizes_is_joined_under_what_each_side_assumes():
    text = """\
    import torch.nn as nn


    class BasicBlock(nn.Module):
        def __init__(self, in_planes, planes, stride=1):
            super().__init__()
            self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
            self.shortcut = nn.Sequential()
            if stride != 1 or in_planes != planes:
                self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False))

        def forward(self, x):
            out = self.conv1(x)
            out = out + self.shortcut(x)
            return out
    """
    report = analyze("block.py", textwrap.dedent(text))
    shapes = _shapes(report)
    # the identity shortcut is x only where stride == 1 and in_planes == planes: the strided
    # conv's form covers both, so the sum keeps it
    assert shapes[(14, "out")] == "[B, planes, (H - 1)//stride + 1, (W - 1)//stride + 1]"
    assert not report.diagnostics


def test_an_undecided_condition_on_sizes_is_kept_with_its_parts():
    text = """\
    import torch
    import torch.nn as nn


    class Head(nn.Module):
        def __init__(self, d_in, d_out):
            super().__init__()
            self.proj = nn.Linear(d_in, d_out) if d_in != d_out else nn.Identity()

        def forward(self, x):
            y = self.proj(x)
            return y
    """
    shapes = _by_name(analyze("head.py", textwrap.dedent(text)))
    assert shapes["y"] == "[*batch, d_out]"


def test_a_mixins_super_forward_reaches_the_torch_layer_its_subclass_extends():
    text = """\
    import torch
    import torch.nn as nn


    class Bottle(nn.Module):
        def forward(self, input):
            size = input.size()[:2]
            out = super(Bottle, self).forward(input.view(size[0] * size[1], -1))
            return out.view(size[0], size[1], -1)


    class Linear(Bottle, nn.Linear):
        pass


    y = Linear(16, 8)(torch.randn(5, 3, 16))
    """
    shapes = _by_name(analyze("bottle.py", textwrap.dedent(text)))
    assert shapes["out"] == "[15, 8]" and shapes["y"] == "[5, 3, 8]"


def test_check_of_one_file_finds_its_callers_in_the_project(tmp_path, capsys):
    import json

    from shapelens.cli import run_check

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "pkg").mkdir()
    _write(tmp_path, "pkg/__init__.py", "")
    model = _write(
        tmp_path,
        "pkg/model.py",
        """\
        import torch.nn as nn


        class Net(nn.Module):
            def __init__(self, width):
                super().__init__()
                self.fc = nn.Linear(8, width)

            def forward(self, x):
                y = self.fc(x)
                return y
        """,
    )
    _write(
        tmp_path,
        "train.py",
        """\
        import torch
        from pkg.model import Net

        out = Net(32)(torch.randn(4, 8))
        """,
    )
    run_check([model], as_json=True)
    shapes = {s["name"]: s["shape"] for s in json.loads(capsys.readouterr().out)["files"][0]["shapes"]}
    assert shapes["y"] == [4, 32]  # train.py, at the project's root, is the caller


def test_layers_named_by_an_f_string():
    text = """\
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            for i in range(3):
                setattr(self, f"fc{i}", nn.Linear(8 * 2**i, 8 * 2**(i + 1)))

        def forward(self, x):
            for i in range(3):
                x = getattr(self, f"fc{i}")(x)
            return x


    out = Net()(torch.randn(2, 8))
    label = f"{out!r}"
    """
    assert _by_name(analyze("fstr.py", textwrap.dedent(text)))["out"] == "[2, 64]"


def test_n_layer_blocks_whose_number_the_config_holds():
    text = """\
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.ln = nn.LayerNorm(config.n_embd)
            self.fc = nn.Linear(config.n_embd, config.n_embd)

        def forward(self, x):
            return x + self.fc(self.ln(x))


    class GPT(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.wte = nn.Embedding(config.vocab_size, config.n_embd)
            self.h = nn.ModuleList([Block(config) for _ in range(config.n_layer)])
            self.head = nn.Linear(config.n_embd, config.vocab_size)

        def forward(self, idx):
            x = self.wte(idx)
            for block in self.h:
                x = block(x)
            first = self.h[0](x)
            logits = self.head(x)
            return logits
    """
    shapes = _by_name(analyze("gpt.py", textwrap.dedent(text)))
    assert shapes["first"] == "[B, T, config.n_embd]" and shapes["logits"] == "[B, T, config.vocab_size]"


def test_a_module_list_of_modules_nobody_can_list_is_not_empty():
    text = """\
    import torch
    import torch.nn as nn
    from elsewhere import make_layers


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList(make_layers())

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            y = x
            return y


    out = Net()(torch.randn(2, 8))
    """
    shapes = _by_name(analyze("opaque.py", textwrap.dedent(text)))
    assert "y" not in shapes  # was [2, 8]: an empty list of layers, so the loop never ran


def test_a_sequential_of_one_module_repeated_an_unknown_number_of_times():
    text = """\
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, d):
            super().__init__()
            self.fc = nn.Linear(d, d)

        def forward(self, x):
            return x + self.fc(x)


    class Net(nn.Module):
        def __init__(self, d, depth):
            super().__init__()
            self.blocks = nn.Sequential(*[Block(d) for _ in range(depth)])
            self.up = nn.Sequential(*[nn.Linear(d, 2 * d) for _ in range(depth)])

        def forward(self, x):
            h = self.blocks(x)
            g = self.up(h)
            return g
    """
    shapes = _by_name(analyze("seq.py", textwrap.dedent(text)))
    # a block that keeps the shape keeps it however many there are; one that doubles it does not
    assert shapes["h"] == "[*batch, d]" and "g" not in shapes


def test_an_input_first_given_to_a_method_or_a_helper_takes_its_shape_from_there():
    text = """\
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    def stem(images):
        return F.conv2d(images, torch.randn(8, 3, 3, 3))


    class VAE(nn.Module):
        def __init__(self, in_channels, latent_dim):
            super().__init__()
            self.encoder = nn.Conv2d(in_channels, 32, 3, 2, 1)
            self.fc_mu = nn.Linear(32 * 4, latent_dim)

        def encode(self, input):
            result = torch.flatten(self.encoder(input), start_dim=1)
            return self.fc_mu(result)

        def forward(self, input):
            mu = self.encode(input)
            return mu


    def features(batch):
        out = stem(batch)
        return out
    """
    shapes = _shapes(analyze("vae.py", textwrap.dedent(text)))
    assert shapes[(20, "input")] == "[B, in_channels, H, W]" and shapes[(21, "mu")] == "[B, latent_dim]"
    assert shapes[(25, "batch")] == "[B, 3, H, W]"  # the helper's conv weight fixes C


def test_a_subclass_of_a_torch_container_iterates_its_modules():
    text = """\
    import torch
    import torch.nn as nn


    class TimestepBlock(nn.Module):
        pass


    class Res(TimestepBlock):
        def __init__(self, c):
            super().__init__()
            self.conv = nn.Conv2d(c, c, 3, padding=1)
            self.emb = nn.Linear(16, c)

        def forward(self, x, emb):
            return self.conv(x) + self.emb(emb)[..., None, None]


    class TimestepEmbedSequential(nn.Sequential, TimestepBlock):
        def forward(self, x, emb):
            for layer in self:
                if isinstance(layer, TimestepBlock):
                    x = layer(x, emb)
                else:
                    x = layer(x)
            return x


    class Plain(nn.Sequential):
        pass


    blocks = TimestepEmbedSequential(nn.Conv2d(3, 8, 3, padding=1), Res(8))
    out = blocks(torch.randn(2, 3, 16, 16), torch.randn(2, 16))
    plain = Plain(nn.Linear(4, 6), nn.ReLU())(torch.randn(5, 4))
    """
    shapes = _by_name(analyze("unet.py", textwrap.dedent(text)))
    assert shapes["out"] == "[2, 8, 16, 16]" and shapes["plain"] == "[5, 6]"


def test_a_state_made_from_next_of_the_parameters():
    text = """\
    import torch
    import torch.nn as nn


    class RNNModel(nn.Module):
        def __init__(self, ntoken, ninp, nhid, nlayers):
            super().__init__()
            self.encoder = nn.Embedding(ntoken, ninp)
            self.rnn = nn.LSTM(ninp, nhid, nlayers)
            self.nlayers, self.nhid = nlayers, nhid

        def init_hidden(self, bsz):
            weight = next(self.parameters())
            return (weight.new_zeros(self.nlayers, bsz, self.nhid), weight.new_zeros(self.nlayers, bsz, self.nhid))


    hidden = RNNModel(100, 16, 32, 2).init_hidden(4)
    """
    shapes = _by_name(analyze("rnn.py", textwrap.dedent(text)))
    assert shapes["hidden"] == "([2, 4, 32], [2, 4, 32])" and "weight" not in shapes


def test_a_remembered_list_is_the_one_returned_not_what_its_first_caller_made_of_it():
    text = """\
    import torch


    def encode(x):
        return [x[:, :4], x[:, :8]]


    def forward(x, flag):
        parts = encode(x)
        last = parts.pop()
        parts.reverse()
        return last


    a = forward(torch.randn(2, 16), 1)
    b = forward(torch.randn(2, 16), 2)
    """
    shapes = _by_name(analyze("memo.py", textwrap.dedent(text)))
    assert shapes["a"] == shapes["b"] == "[2, 8]"  # b was [2, 4]: the first call's pop had emptied the memo's list


def test_a_model_assembled_from_parameters_takes_the_demos_construction_not_its_input():
    text = """\
    import torch
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, c_in, c_out):
            super().__init__()
            self.conv = nn.Conv2d(c_in, c_out, 3, padding=1)

        def forward(self, x):
            return self.conv(x)


    class Net(nn.Module):
        def __init__(self, block, widths, num_classes=10):
            super().__init__()
            layers, c = [], 3
            for w in widths:
                layers.append(block(c, w))
                c = w
            self.body = nn.Sequential(*layers)
            self.fc = nn.Linear(c, num_classes)

        def forward(self, x):
            h = self.body(x)
            h = h.mean(dim=(2, 3))
            return self.fc(h)


    def test():
        net = Net(Block, [16, 32])
        y = net(torch.randn(1, 3, 32, 32))
    """
    shapes = _shapes(analyze("net.py", textwrap.dedent(text)))
    # block and widths are parameters: the default instance knows no layer; the demo's Net(Block,
    # [16, 32]) does, and its input's batch of 1 and 32x32 stay symbols
    assert shapes[(25, "h")] == "[B, 32, H, W]" and shapes[(26, "h")] == "[B, 32]"


def test_a_plain_import_of_a_workspace_module_and_of_a_package_submodule(tmp_path):
    model = """\
    import torch.nn as nn


    class Critic(nn.Module):
        def __init__(self, state_dim, action_dim):
            super().__init__()
            self.l1 = nn.Linear(state_dim + action_dim, 256)

        def q(self, state, action):
            return self.l1(torch.cat([state, action], 1))


    class Agent:
        def __init__(self, state_dim, action_dim):
            self.critic = Critic(state_dim, action_dim)
    """
    _write(tmp_path, "agent.py", "import torch\n" + textwrap.dedent(model))
    (tmp_path / "pkg").mkdir()
    _write(tmp_path, "pkg/__init__.py", "")
    _write(tmp_path, "pkg/nets.py", "import torch\n" + textwrap.dedent(model))
    driver = _write(
        tmp_path,
        "train.py",
        """\
    import torch
    import agent
    import pkg.nets

    a = agent.Agent(17, 6)
    q1 = a.critic.q(torch.randn(3, 17), torch.randn(3, 6))
    b = pkg.nets.Agent(17, 6)
    q2 = b.critic.q(torch.randn(4, 17), torch.randn(4, 6))
    """,
    )
    other = _write(
        tmp_path,
        "eval.py",
        """    import torch
    from pkg import nets as n

    c = n.Agent(17, 6)
    q3 = c.critic.q(torch.randn(5, 17), torch.randn(5, 6))
    """,
    )
    shapes = _by_name(Analysis([str(tmp_path)]).analyze(driver))
    assert shapes["q1"] == "[3, 256]"
    assert shapes["q2"] == "[4, 256]"
    assert _by_name(Analysis([str(tmp_path)]).analyze(other))["q3"] == "[5, 256]"


def test_a_while_loop_with_a_decided_test_runs_as_often_as_python_runs_it():
    text = """\
    import torch
    import torch.nn as nn


    class Film(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Linear(16, 2 * 8)

        def forward(self, h, emb):
            out = self.emb(emb)
            while len(out.shape) < len(h.shape):
                out = out[..., None]
            scale, shift = torch.chunk(out, 2, dim=1)
            return h * (1 + scale) + shift


    y = Film()(torch.randn(2, 8, 5, 5), torch.randn(2, 16))
    """
    shapes = _shapes(analyze("m.py", textwrap.dedent(text)))
    assert shapes[(14, "scale")] == "[2, 8, 1, 1]"
    assert shapes[(18, "y")] == "[2, 8, 5, 5]"


def test_a_view_with_minus_one_fixes_the_rank_of_a_variadic_input():
    text = """\
    import torch.nn as nn


    class Decoder(nn.Module):
        def __init__(self, latent_dim):
            super().__init__()
            self.decoder_input = nn.Linear(latent_dim, 512 * 4)

        def decode(self, z):
            result = self.decoder_input(z)
            result = result.view(-1, 512, 2, 2)
            return result
    """
    shapes = _shapes(analyze("m.py", textwrap.dedent(text)))
    assert shapes[(10, "result")] == "[*batch, 2048]"
    assert shapes[(11, "result")] == "[batch, 512, 2, 2]"


def test_with_a_caller_nobody_can_follow_the_summary_runs_on_a_known_callers_instance(tmp_path):
    _write(
        tmp_path,
        "models.py",
        """\
    import torch.nn as nn


    class Critic(nn.Module):
        def __init__(self, channels=3, n_strided=3):
            super().__init__()
            layers = [nn.Conv2d(channels, 16, 4, stride=2, padding=1)]
            dim = 16
            for _ in range(n_strided - 1):
                layers.append(nn.Conv2d(dim, dim * 2, 4, stride=2, padding=1))
                dim *= 2
            self.model = nn.Sequential(*layers)

        def forward(self, img):
            features = self.model(img)
            return features
    """,
    )
    _write(
        tmp_path,
        "train.py",
        """\
    import numpy as np
    import torch
    from models import Critic

    critic = Critic()
    real = critic(torch.randn(2, 3, 32, 32))
    mixed = critic(torch.Tensor(load_batch()))  # its input is unknown: batch and size may differ
    """,
    )
    report = Analysis([str(tmp_path)]).analyze(str(tmp_path / "models.py"))
    shapes = _by_name(report)
    assert shapes["img"] == "[B, channels, H, W]"  # the lost call may be on another instance
    assert shapes["features"] == "[B, 64, H//8, W//8]"
    assert not [d for d in report.diagnostics if d.span.line == 15]


def test_a_line_only_some_callers_reach_shows_what_those_callers_give():
    text = """\
    import torch
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, ch, scale_shift):
            super().__init__()
            self.scale_shift = scale_shift
            self.emb = nn.Linear(16, 2 * ch if scale_shift else ch)

        def forward(self, h, emb):
            e = self.emb(emb)[..., None, None]
            if self.scale_shift:
                scale, shift = torch.chunk(e, 2, dim=1)
                h = h * (1 + scale) + shift
            else:
                h = h + e
            return h


    a = Block(8, True)(torch.randn(2, 8, 4, 4), torch.randn(2, 16))
    b = Block(8, False)(torch.randn(3, 8, 4, 4), torch.randn(3, 16))
    """
    shapes = _shapes(analyze("m.py", textwrap.dedent(text)))
    assert shapes[(14, "scale")] == "[2, 8, 1, 1]"
    assert shapes[(17, "h")] == "[3, 8, 4, 4]"
    assert shapes[(12, "e")] == "[B, C, 1, 1]"


def test_a_caller_that_imports_the_module_from_its_package_is_a_context(tmp_path):
    (tmp_path / "diffusion").mkdir()
    _write(tmp_path, "diffusion/__init__.py", "")
    model = _write(
        tmp_path,
        "diffusion/schedule.py",
        """\
    import torch


    def q_sample(x_start, noise_scale):
        noise = torch.randn_like(x_start)
        return x_start + noise_scale * noise
    """,
    )
    _write(
        tmp_path,
        "train.py",
        """\
    import torch
    from diffusion import schedule as sd

    x_t = sd.q_sample(torch.randn(2, 3, 8, 8), 0.5)
    """,
    )
    shapes = _by_name(Analysis([str(tmp_path)]).analyze(model))
    assert shapes["noise"] == "[2, 3, 8, 8]"


def test_a_call_inside_a_call_nobody_can_follow_is_a_lost_context_too(tmp_path):
    """agent.select_action(env.reset()): the state is unknown, so the policy's batch there is
    too; the training batch of 4 is not every batch."""
    model = _write(
        tmp_path,
        "agent.py",
        """\
    import torch
    import torch.nn as nn


    class Policy(nn.Module):
        def __init__(self, n_in, n_act):
            super().__init__()
            self.l1 = nn.Linear(n_in, 256)
            self.mean = nn.Linear(256, n_act)

        def forward(self, state):
            x = torch.relu(self.l1(state))
            mean = self.mean(x)
            return mean


    class Agent:
        def __init__(self, n_in, n_act):
            self.policy = Policy(n_in, n_act)

        def select_action(self, state):
            state = torch.FloatTensor(state).unsqueeze(0)
            return self.policy(state)

        def update(self, batch):
            return self.policy(torch.FloatTensor(batch))
    """,
    )
    _write(
        tmp_path,
        "train.py",
        """\
    import numpy as np
    import gym
    from agent import Agent

    env = gym.make("HalfCheetah-v2")
    agent = Agent(17, 6)
    a = agent.select_action(env.reset())
    out = agent.update(np.random.randn(4, 17))
    """,
    )
    shapes = _by_name(Analysis([str(tmp_path)]).analyze(model))
    assert shapes["x"] == "[B, 256]"
    assert shapes["mean"] == "[B, n_act]"


def test_a_flag_known_only_by_its_path_is_not_taken_as_true():
    """bidirectional=config.birnn: as a symbol it read as True, and a hidden state of
    config.n_cells layers got a warning unless n_cells == 2*n_layers."""
    text = """\
    import torch.nn as nn


    class Encoder(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.config = config
            self.rnn = nn.LSTM(input_size=config.d_embed, hidden_size=config.d_hidden,
                               num_layers=config.n_layers, bidirectional=config.birnn)

        def forward(self, inputs):
            batch_size = inputs.size()[1]
            state_shape = self.config.n_cells, batch_size, self.config.d_hidden
            h0 = c0 = inputs.new_zeros(state_shape)
            outputs, (ht, ct) = self.rnn(inputs, (h0, c0))
            return ht[-1]
    """
    report = analyze("m.py", textwrap.dedent(text))
    assert not [d for d in report.diagnostics if d.severity in ("error", "warning")]


def test_a_lost_call_on_another_instance_keeps_its_sizes_open(tmp_path):
    model = _write(
        tmp_path,
        "layers.py",
        """\
    import torch
    import torch.nn as nn


    class GraphConv(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.weight = nn.Parameter(torch.FloatTensor(in_features, out_features))

        def forward(self, input, adj):
            support = torch.mm(input, self.weight)
            return torch.spmm(adj, support)
    """,
    )
    _write(
        tmp_path,
        "train.py",
        """\
    import torch
    from layers import GraphConv

    gc1, gc2 = GraphConv(1433, 16), GraphConv(16, 7)
    adj = load_adjacency()
    h = gc1(torch.randn(2708, 1433), adj)
    out = gc2(torch.relu(h), adj)
    """,
    )
    shapes = _by_name(Analysis([str(tmp_path)]).analyze(model))
    assert shapes["support"] == "[B, out_features]"  # gc2's support is [2708, 7], not gc1's [2708, 16]
