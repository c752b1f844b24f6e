"""Packages installed in the user's environment: where the source of ``from timm.layers import Mlp``
is, so that it is analysed like a workspace file.

The interpreter is asked once for its ``sys.path`` (a subprocess of ~30 ms, kept for the life of
the process, per interpreter): the entries outside its standard library, in order, plus the
folders of PEP 660 editable installs (their ``__editable___*_finder.py`` maps a package to its
folder). A module is then found as Python finds it, by file name along that path; nothing is
imported. torch, einops and numpy never get here (:mod:`.resolve` gives them to the rule table),
nor does the standard library (it is not on the path kept).

Installed files are import roots only: the analysis never scans them for callers, never reports
on them, and loads at most :data:`MAX_MODULES` of them per analysis.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Optional

MAX_MODULES = 40  # installed files one analysis may load: a package __init__ can import hundreds
MAX_LINES = 15_000  # and their lines: running a module body costs ~10 us a line
MAX_BYTES = 400_000  # an installed file larger than this (a generated table) is not read

_QUERY = (
    "import json, sys, sysconfig\n"
    "paths = sysconfig.get_paths()\n"
    "print(json.dumps({'path': sys.path, 'stdlib': [paths.get('stdlib'), paths.get('platstdlib')]}))"
)

_environments: dict = {}  # interpreter -> Environment


@dataclass(frozen=True)
class Environment:
    """Where an interpreter's installed modules are: ``paths`` searched in order, ``editable``
    a top-level package name -> its folder (searched first for that name)."""

    interpreter: str = ""
    paths: tuple = ()
    editable: dict = field(default_factory=dict, compare=False, hash=False)

    def find(self, module: str) -> Optional[str]:
        """The source file of ``module`` (dotted, absolute), or None."""
        parts = module.split(".") if module else []
        if not parts or not all(p.isidentifier() for p in parts):
            return None
        tops = [(entry, parts[0]) for entry in self.paths]
        if parts[0] in self.editable:  # its folder, whatever its name
            tops.insert(0, os.path.split(self.editable[parts[0]]))
        for entry, top in tops:
            path = os.path.join(entry, top, *parts[1:])
            for candidate in (path + ".py", os.path.join(path, "__init__.py")):
                if os.path.isfile(candidate):
                    return candidate
        return None

    def holds(self, path: str) -> bool:
        """Is ``path`` a file of an installed package (under a searched folder)?"""
        path = os.path.normcase(os.path.abspath(path))
        folders = list(self.paths) + list(self.editable.values())
        return any(path.startswith(os.path.normcase(f).rstrip(os.sep) + os.sep) for f in folders if f)


NONE = Environment()


def environment(interpreter: Optional[str] = None) -> Environment:
    """The environment of ``interpreter`` (default: the one running), asked once per process."""
    interpreter = interpreter or sys.executable
    found = _environments.get(interpreter)
    if found is None:
        found = _environments[interpreter] = _ask(interpreter)
    return found


def _ask(interpreter: str) -> Environment:
    try:
        done = subprocess.run(
            [interpreter, "-c", _QUERY],
            capture_output=True,
            text=True,
            timeout=20,
            cwd=os.path.dirname(os.path.abspath(interpreter)) or None,
        )
        answer = json.loads(done.stdout)
    except (OSError, ValueError, subprocess.SubprocessError):
        return Environment(interpreter)
    stdlib = [os.path.normcase(os.path.abspath(p)) for p in answer.get("stdlib", []) if p]
    paths = []
    for entry in answer.get("path", []):
        if not entry or not os.path.isdir(entry):  # '' (the current folder), zip files
            continue
        entry = os.path.abspath(entry)
        norm = os.path.normcase(entry)
        in_stdlib = any(norm == s or norm.startswith(s + os.sep) for s in stdlib)
        if in_stdlib and "site-packages" not in norm and "dist-packages" not in norm:
            continue  # the standard library and lib-dynload
        if entry not in paths:
            paths.append(entry)
    return Environment(interpreter, tuple(paths), _editable_packages(paths))


def _editable_packages(paths: list) -> dict:
    """Package -> folder, from the finders PEP 660 editable installs put in site-packages
    (``__editable___pkg_1_0_finder.py`` holds ``MAPPING = {'pkg': '/src/pkg'}``)."""
    found: dict = {}
    for entry in paths:
        try:
            names = [n for n in os.listdir(entry) if n.startswith("__editable__") and n.endswith("_finder.py")]
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(entry, name), encoding="utf-8") as handle:
                    tree = ast.parse(handle.read())
            except (OSError, SyntaxError, ValueError):
                continue
            for stmt in tree.body:
                if isinstance(stmt, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "MAPPING" for t in stmt.targets
                ):
                    try:
                        mapping = ast.literal_eval(stmt.value)
                    except ValueError:
                        continue
                    found.update(
                        {
                            k: os.path.abspath(v)
                            for k, v in mapping.items()
                            if isinstance(k, str) and isinstance(v, str) and not v.endswith(".py")
                        }
                    )
    return found


def is_installed_file(path: str) -> bool:
    """Is ``path`` inside a ``site-packages`` (or Debian's ``dist-packages``) folder?"""
    parts = os.path.normcase(os.path.abspath(path)).split(os.sep)
    return "site-packages" in parts or "dist-packages" in parts


_trees: dict = {}  # path -> (mtime_ns, size, SourceFile)
MAX_TREES = 512


def binding(path: str, name: str) -> tuple:
    """How a module's top level binds ``name``, read without running it: ``("import", (module,
    level, original))`` for its last ``from module import original [as name]``, ``("local", None)``
    where a def, class or assignment makes it, ``("stars", [(module, level), ...])`` where only
    ``from module import *`` may, else ``("none", None)``."""
    found, stars = ("none", None), []
    for stmt in _statements(path):
        if isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if alias.name == "*":
                    stars.append((stmt.module or "", stmt.level))
                elif (alias.asname or alias.name) == name:
                    found = ("import", (stmt.module or "", stmt.level, alias.name))
        elif isinstance(stmt, ast.Import):
            if any((a.asname or a.name.split(".")[0]) == name for a in stmt.names):
                found = ("local", None)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if stmt.name == name:
                found = ("local", None)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t)):
                found = ("local", None)
    if found[0] == "none" and stars:
        return ("stars", stars)
    return found


def source(path: str):
    """An installed file parsed, kept for the process while its mtime and size hold (installed
    files change with a pip install, not with a keystroke); None if unreadable or too large."""
    from .source import SourceFile

    try:
        stat = os.stat(path)
    except OSError:
        return None
    kept = _trees.get(path)
    if kept is not None and kept[:2] == (stat.st_mtime_ns, stat.st_size):
        return kept[2]
    if stat.st_size > MAX_BYTES:
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            parsed = SourceFile(handle.read(), path)
    except OSError:
        return None
    if len(_trees) >= MAX_TREES:
        _trees.clear()
    _trees[path] = (stat.st_mtime_ns, stat.st_size, parsed)
    return parsed


def _statements(path: str) -> list:
    """A module's top-level statements, with those inside top-level ``if``/``try`` blocks."""
    parsed = source(path)
    if parsed is None or parsed.tree is None:
        return []
    tree = parsed.tree
    out: list = []

    def walk(body):
        for stmt in body:
            out.append(stmt)
            if isinstance(stmt, ast.If):
                walk(stmt.body)
                walk(stmt.orelse)
            elif isinstance(stmt, ast.Try):
                walk(stmt.body)
                for handler in stmt.handlers:
                    walk(handler.body)
                walk(stmt.orelse)

    walk(tree.body)
    return out
