"""The workspace scan behind "which files import this one": kept between analyses, never stale."""

import os
import time

from shapelens.analysis import Analysis
from shapelens.analysis.workspace import python_files

MODEL = "import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n"
TRAIN = "import torch\n\nfrom model import Net\n\nout = Net()(torch.randn(2, 8))\n"


def age(path, seconds=60):
    """Back-date a file or folder, as if it had been written a while ago (then it may be kept)."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def write(path, text, seconds=60):
    path.write_text(text)
    age(path, seconds)


def importers(tmp_path):
    return [os.path.basename(p) for p in Analysis([str(tmp_path)]).importers_of(str(tmp_path / "model.py"))]


def test_files_are_found_as_os_walk_finds_them(tmp_path):
    for folder in ("pkg/sub", ".hidden", "node_modules", "venv", "__pycache__"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "a.py").write_text("")
    (tmp_path / "top.py").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "linked").symlink_to(tmp_path / "pkg")
    expected = []
    for folder, subfolders, files in os.walk(tmp_path):
        subfolders[:] = [
            d
            for d in subfolders
            if not d.startswith(".")
            and d not in ("node_modules", "__pycache__", "venv", ".venv", "site-packages", "build", "dist")
        ]
        expected += [os.path.join(folder, f) for f in files if f.endswith(".py")]
    assert python_files([str(tmp_path)]) == expected
    assert sorted(os.path.relpath(p, tmp_path) for p in expected) == ["pkg/sub/a.py", "top.py"]


def test_a_changed_added_or_removed_importer_is_seen(tmp_path):
    write(tmp_path / "model.py", MODEL)
    write(tmp_path / "train.py", TRAIN)
    age(tmp_path)
    assert importers(tmp_path) == ["train.py"]
    assert importers(tmp_path) == ["train.py"]  # kept: nothing changed
    write(tmp_path / "train.py", TRAIN.replace("from model import Net", "from other import Net"), seconds=30)
    assert importers(tmp_path) == []
    write(tmp_path / "eval.py", TRAIN, seconds=30)
    age(tmp_path, seconds=30)
    assert importers(tmp_path) == ["eval.py"]
    (tmp_path / "eval.py").unlink()
    assert importers(tmp_path) == []


def test_an_open_buffer_counts_over_the_disk(tmp_path):
    write(tmp_path / "model.py", MODEL)
    write(tmp_path / "train.py", "x = 1\n")
    age(tmp_path)
    files = {str(tmp_path / "train.py"): TRAIN}
    assert Analysis([str(tmp_path)], files).importers_of(str(tmp_path / "model.py")) == [str(tmp_path / "train.py")]
