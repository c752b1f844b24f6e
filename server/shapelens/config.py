"""Project configuration: ``[tool.shapelens]`` in pyproject.toml, read by ``shapelens check`` and
by the language server alike.

    [tool.shapelens]
    exclude = ["legacy/", "experiments/*.py"]   # files shapelens reports nothing for

    [tool.shapelens.severity]                   # a severity per code: error, warning,
    reconstruction-shape = "error"              # information, hint, or off
    inference-lost = "off"

    [tool.shapelens.per-file-ignores]           # codes not reported in the files matching
    "tests/*.py" = ["missing-batch-dim"]

As ruff finds its own, the file is the nearest pyproject.toml above the analysed file that has a
``[tool.shapelens]`` table; its patterns are relative to its folder. A pattern is a glob on the
path (``/`` separated); one that ends in ``/`` is a folder and everything below it; one without
``/`` also matches any single file or folder name (``build``, ``*_test.py``). In the editor, the
``shapelens.diagnostics.severity`` setting overrides the table's severities code by code.

:func:`reported` is the one place where a report's diagnostics become the ones shown: suppression
comments (:mod:`.ignores`), per-file ignores, then severities.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from dataclasses import dataclass, field, replace
from typing import Optional

from .ignores import is_ignored, line_ignores

try:
    import tomllib  # novm: Python 3.10 takes the tomli fallback below
except ModuleNotFoundError:  # Python 3.10: the same parser as the tomli package
    import tomli as tomllib  # type: ignore[no-redef]

SEVERITIES = ("error", "warning", "information", "hint", "off")
KEYS = ("exclude", "severity", "per-file-ignores")


@dataclass(frozen=True)
class ProjectConfig:
    path: Optional[str] = None  # the pyproject.toml it was read from (None: no configuration)
    exclude: tuple = ()
    severity: dict = field(default_factory=dict)  # code -> level
    per_file_ignores: tuple = ()  # (pattern, frozenset of codes)
    problems: tuple = ()  # entries that were not understood, as messages

    @property
    def root(self) -> Optional[str]:
        return os.path.dirname(self.path) if self.path else None

    def excludes(self, path: str) -> bool:
        relative = self._relative(path)
        return relative is not None and any(_matches(pattern, relative) for pattern in self.exclude)

    def ignored_codes(self, path: str) -> frozenset:
        relative = self._relative(path)
        if relative is None:
            return frozenset()
        return frozenset().union(*[codes for pattern, codes in self.per_file_ignores if _matches(pattern, relative)])

    def _relative(self, path: str) -> Optional[str]:
        if not self.path or not os.path.isabs(path):
            return None
        relative = os.path.relpath(os.path.abspath(path), self.root)
        return None if relative.startswith("..") else relative.replace(os.sep, "/")


NO_CONFIG = ProjectConfig()
_cache: dict = {}  # pyproject path -> ((mtime_ns, size), ProjectConfig or None without the table)


def config_for(path: str) -> ProjectConfig:
    """The configuration that applies to the file ``path`` (``NO_CONFIG`` for untitled buffers)."""
    if not path or not os.path.isabs(path):
        return NO_CONFIG
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        config = _read(candidate)
        if config is not None:
            return config
        parent = os.path.dirname(folder)
        if parent == folder:
            return NO_CONFIG
        folder = parent


def forget() -> None:
    """Read every pyproject.toml again (the server calls it when one changed on disk)."""
    _cache.clear()


def _read(candidate: str) -> Optional[ProjectConfig]:
    try:
        stat = os.stat(candidate)
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(candidate)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        with open(candidate, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        broken = ProjectConfig(candidate, problems=(f"{candidate}: not read: {exc}",))
        _cache[candidate] = (stamp, broken)
        return broken
    table = data.get("tool", {}).get("shapelens") if isinstance(data.get("tool"), dict) else None
    config: Optional[ProjectConfig] = parse(table, candidate) if isinstance(table, dict) else None
    _cache[candidate] = (stamp, config)
    return config


def parse(table: dict, path: str) -> ProjectConfig:
    """The ``[tool.shapelens]`` table; what it does not understand is left out and said in ``problems``."""
    problems = [
        f"{path}: [tool.shapelens] {key}: unknown key (known: {', '.join(KEYS)})" for key in table if key not in KEYS
    ]
    exclude = table.get("exclude", [])
    if not _strings(exclude):
        problems.append(f"{path}: [tool.shapelens] exclude: a list of patterns is expected")
        exclude = []
    severity = {}
    raw = table.get("severity", {})
    if not isinstance(raw, dict):
        problems.append(f"{path}: [tool.shapelens.severity]: a table of code = level is expected")
        raw = {}
    for code, level in raw.items():
        if level in SEVERITIES:
            severity[code] = level
        else:
            problems.append(f"{path}: [tool.shapelens.severity] {code} = {level!r}: not one of {', '.join(SEVERITIES)}")
    ignores = []
    raw = table.get("per-file-ignores", {})
    if not isinstance(raw, dict):
        problems.append(f"{path}: [tool.shapelens.per-file-ignores]: a table of pattern = [codes] is expected")
        raw = {}
    for pattern, codes in raw.items():
        if _strings(codes):
            ignores.append((pattern, frozenset(codes)))
        else:
            problems.append(f"{path}: [tool.shapelens.per-file-ignores] {pattern!r}: a list of codes is expected")
    return ProjectConfig(path, tuple(exclude), severity, tuple(ignores), tuple(problems))


def reported(diagnostics: list, text: str, path: str, config: ProjectConfig, overrides: Optional[dict] = None) -> list:
    """``(index, diagnostic with its severity)`` for each of ``diagnostics`` to report in ``path``:
    not under a ``# shapelens: ignore`` comment of ``text``, not ignored for the file, and not
    turned ``off``; its severity the editor's override, else the project's, else the analysis'.
    (Whether the file is excluded at all is the caller's: ``check`` reports a file named on its
    command line even so, as ruff does.)"""
    ignores = line_ignores(text)
    ignored = config.ignored_codes(path)
    overrides = overrides or {}
    out = []
    for index, d in enumerate(diagnostics):
        if d.code in ignored or (ignores and is_ignored(ignores, d.span, d.code)):
            continue
        level = overrides.get(d.code) or config.severity.get(d.code) or d.severity
        if level == "off":
            continue
        out.append((index, d if level == d.severity else replace(d, severity=level)))
    return out


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _matches(pattern: str, relative: str) -> bool:
    """Does ``pattern`` match the file at ``relative`` (a ``/`` separated path below the root), or
    a folder above it?"""
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    folder = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    if not pattern:
        return False
    parts = relative.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]  # a, a/b, a/b/c.py
    if folder:
        prefixes, parts = prefixes[:-1], parts[:-1]  # a folder pattern never matches the file itself
    if "/" in pattern:
        regex = _glob(pattern)
        return any(regex.fullmatch(p) for p in prefixes)
    return any(fnmatch.fnmatchcase(name, pattern) for name in parts)


@functools.lru_cache(maxsize=256)
def _glob(pattern: str):
    """A path glob: ``*`` and ``?`` within one name, ``**`` across folders, ``[...]`` a class."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))
