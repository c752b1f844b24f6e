"""Code from installed packages: analysed from its source like a workspace file, loaded only as far
as the workspace reads it, never reported on."""

import os
import subprocess
import sys
import sysconfig

from shapelens.analysis import Analysis, installed
from shapelens.analysis.installed import Environment, environment

MLP = """import torch.nn as nn
from .unused import nothing


class Mlp(nn.Module):
    def __init__(self, in_features, hidden_features=None, out_features=None):
        super().__init__()
        hidden_features = hidden_features or in_features
        out_features = out_features or in_features
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden_features, out_features)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))
"""
INIT = """from .layers import Mlp
from .helpers import *
from . import slow_a, slow_b
"""
TRAIN = """import torch
from teamlib import Mlp, to_pair

mlp = Mlp(64, 256, 10)
out = mlp(torch.randn(8, 64))
"""


def make_package(tmp_path) -> tuple:
    """A pip-installed ``teamlib`` in a site-packages folder, and a project that uses it."""
    site = tmp_path / "env" / "lib" / "site-packages"
    package = site / "teamlib"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(INIT)
    (package / "layers.py").write_text(MLP)
    (package / "helpers.py").write_text("def to_pair(v):\n    return (v, v)\n")
    for name in ("slow_a", "slow_b", "unused"):
        (package / f"{name}.py").write_text(f"nothing = {name!r}  # imported, never read\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("")
    (project / "train.py").write_text(TRAIN)
    return Environment("python", (str(site),)), project


def loaded(analysis) -> list:
    return sorted(
        os.path.relpath(path, os.path.dirname(path).rsplit(os.sep, 1)[0]) for path in list(analysis.scopes)[1:]
    )


def test_a_layer_from_an_installed_package_is_analysed_as_torch_runs_it(tmp_path):
    env, project = make_package(tmp_path)
    analysis = Analysis([str(project)], environment=env)
    report = analysis.analyze(str(project / "train.py"))
    assert {s.name: str(s.value) for s in report.shapes} == {"out": "[8, 10]"}
    assert not report.diagnostics
    probe = TRAIN + "print(tuple(out.shape))\n"
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": env.paths[0]}
    )
    assert shown.stdout.strip() == "(8, 10)"


def test_only_the_files_that_define_what_is_imported_are_loaded(tmp_path):
    # the __init__ imports slow_a and slow_b, layers.py imports unused: none of them is loaded,
    # as goto would find Mlp in layers.py and to_pair through the star import of helpers
    env, project = make_package(tmp_path)
    analysis = Analysis([str(project)], environment=env)
    analysis.analyze(str(project / "train.py"))
    assert loaded(analysis) == ["teamlib/helpers.py", "teamlib/layers.py"]


def test_a_shape_error_inside_is_shown_at_the_call_with_no_fix_into_the_package(tmp_path):
    env, project = make_package(tmp_path)
    text = TRAIN.replace("randn(8, 64)", "randn(8, 32)")
    report = Analysis([str(project)], environment=env).analyze(str(project / "train.py"), text)
    [error] = report.diagnostics
    assert (error.code, error.span.line) == ("linear-in-features", 5)
    assert "(8x32 and 64x256)" in error.message
    assert error.fixes == []  # "Change in_features to 32" would edit the installed file
    layers = str(tmp_path / "env" / "lib" / "site-packages" / "teamlib" / "layers.py")
    assert [r.span.line for r in error.related if r.path == layers] == [15, 10]  # the failing line, fc1


def test_installed_files_are_never_reported_on_nor_scanned_for_callers(tmp_path):
    env, project = make_package(tmp_path)
    layers = tmp_path / "env" / "lib" / "site-packages" / "teamlib" / "layers.py"
    report = Analysis([str(tmp_path)], environment=env).analyze(str(layers))
    assert (report.shapes, report.diagnostics) == ([], [])
    # with the environment inside the workspace, its files are still no callers of the project's
    (tmp_path / "env" / "lib" / "site-packages" / "user.py").write_text("import train\ntrain.mlp\n")
    importers = Analysis([str(tmp_path)], environment=env).importers_of(str(project / "train.py"))
    assert importers == []


def test_one_analysis_loads_a_bounded_part_of_a_large_package(tmp_path):
    site = tmp_path / "site-packages"
    package = site / "big"
    package.mkdir(parents=True)
    lines = ["import torch.nn as nn"] + [f"from .m{i} import *" for i in range(100)]  # star imports load at once
    lines.append("class Net(nn.Module):\n    pass")
    (package / "__init__.py").write_text("\n".join(lines) + "\n")
    for i in range(100):
        (package / f"m{i}.py").write_text(f"import torch.nn as nn\n\n\nclass Layer{i}(nn.Linear):\n    pass\n")
    (tmp_path / "main.py").write_text("import big\nfrom big import Net\nlayer = big.Layer99(3, 4)\n")
    analysis = Analysis([str(tmp_path / "main.py")], environment=Environment("python", (str(site),)))
    analysis.analyze(str(tmp_path / "main.py"))
    assert analysis.installed_loads == installed.MAX_MODULES


def test_the_interpreter_tells_its_search_path_once(tmp_path):
    env = environment(sys.executable)
    assert environment(sys.executable) is env  # asked once per process
    purelib = os.path.realpath(sysconfig.get_paths()["purelib"])
    assert purelib in {os.path.realpath(p) for p in env.paths}
    stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
    assert stdlib not in {os.path.realpath(p) for p in env.paths}
    assert env.find("os") is None and env.find("json") is None  # the standard library is no package
    assert env.find("pytest") is not None and env.holds(env.find("pytest"))


def test_an_editable_install_is_found_in_its_own_folder(tmp_path):
    site, source = tmp_path / "site-packages", tmp_path / "src" / "teamlib_src"
    site.mkdir()
    source.mkdir(parents=True)
    (source / "__init__.py").write_text("")
    (source / "layers.py").write_text(MLP)
    (site / "__editable___teamlib_0_1_finder.py").write_text(f"MAPPING = {{'teamlib': {str(source)!r}}}\n")
    env = Environment("python", (str(site),), installed._editable_packages([str(site)]))
    assert env.find("teamlib.layers") == str(source / "layers.py")
    assert env.find("teamlib") == str(source / "__init__.py")
