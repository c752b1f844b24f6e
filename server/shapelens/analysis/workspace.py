"""The workspace's Python files and which import a module, read again only when the disk changed.

Every analysis asks which files import the one analysed (their call sites are its contexts).
Walking a 400-file workspace and reading every file took 50-100 ms of each edit's analysis, for
an answer that changes only when files do. A directory's listing is kept until its mtime changes
(a file added, removed or renamed in it), a file's answer until its mtime or size does. Like
git's index, nothing is kept that changed within the last two seconds of being read: a coarse
clock could not tell a later change from it.
"""

from __future__ import annotations

import ast
import os
import time
from functools import lru_cache
from typing import Optional

MAX_FILES = 500
SKIPPED_DIRS = {"node_modules", "__pycache__", "venv", ".venv", "site-packages", "build", "dist"}
SETTLED_NS = 2_000_000_000  # older than this when read: a change since would show in the mtime

_listings: dict = {}  # directory -> (mtime_ns, python file names, subdirectories to walk)
_answers: dict = {}  # (path, module stem) -> (mtime_ns, size, whether the file imports it)


PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")


def project_root(path: str) -> Optional[str]:
    """The nearest folder above ``path`` that holds a project's marker (pyproject.toml, setup.cfg,
    setup.py, .git): its other files are the callers and imports of this one."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if any(os.path.exists(os.path.join(folder, marker)) for marker in PROJECT_MARKERS):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def python_files(roots: list) -> list:
    """The ``.py`` files under ``roots`` as ``os.walk`` finds them (hidden and tool folders skipped)."""
    found: list = []
    for root in roots:
        if _walk(root, found):
            break
    return found


def imports_module(path: str, stem: str, text: Optional[str] = None) -> bool:
    """Does the file import a module whose last component is ``stem``? ``text``: an open buffer."""
    if text is not None:
        return _imports(text, stem)
    stat = os.stat(path)
    kept = _answers.get((path, stem))
    if kept is not None and kept[:2] == (stat.st_mtime_ns, stat.st_size):
        return kept[2]
    with open(path, encoding="utf-8", errors="replace") as handle:
        answer = _imports(handle.read(), stem)
    if _settled(stat.st_mtime_ns):
        _answers[(path, stem)] = (stat.st_mtime_ns, stat.st_size, answer)
    return answer


def _walk(directory: str, found: list) -> bool:
    """Depth first, files before subdirectories, as os.walk; True once MAX_FILES are found."""
    listing = _listing(directory)
    if listing is None:
        return False
    files, subdirectories = listing
    for name in files:
        found.append(os.path.join(directory, name))
        if len(found) >= MAX_FILES:
            return True
    return any(_walk(os.path.join(directory, name), found) for name in subdirectories)


def _listing(directory: str):
    try:
        mtime = os.stat(directory).st_mtime_ns
    except OSError:
        return None
    kept = _listings.get(directory)
    if kept is not None and kept[0] == mtime:
        return kept[1:]
    files, subdirectories = [], []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if not is_dir:
                    if entry.name.endswith(".py"):
                        files.append(entry.name)
                elif not entry.name.startswith(".") and entry.name not in SKIPPED_DIRS and not entry.is_symlink():
                    subdirectories.append(entry.name)
    except OSError:
        return None
    if _settled(mtime):
        _listings[directory] = (mtime, files, subdirectories)
    return files, subdirectories


def _settled(mtime_ns: int) -> bool:
    return time.time_ns() - mtime_ns > SETTLED_NS


def _imports(text: str, stem: str) -> bool:
    return stem in text and stem in _imported_stems(text)  # most files never name it: no parse


@lru_cache(maxsize=1024)
def _imported_stems(text: str) -> frozenset:
    """The last component of every module a file imports (parsed once per distinct text)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):  # RecursionError: nested too deep to parse
        return frozenset()
    stems = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.module:
                stems.add(node.module.split(".")[-1])
            stems.update(a.name for a in node.names)  # from pkg import module
        elif isinstance(node, ast.Import):
            stems.update(a.name.split(".")[-1] for a in node.names)
    return frozenset(stems)
