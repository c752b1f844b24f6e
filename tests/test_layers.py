"""The package's import graph: no arrow upward (codes <- dims <- rules <- analysis <- validation <- ignores
<- config <- lsp <- the command line), and no rule family reaching into another family's private functions."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "server" / "shapelens"
LAYERS = [
    "codes",
    "dims",
    "rules",
    "analysis",
    "validation",
    "ignores",
    "config",
    "lsp",
    "coverage",
    "cli",
    "__main__",
    "__init__",
]


def _imports(path: Path):
    """(line, imported module as a dotted path inside the package, names) of each relative import."""
    package = path.relative_to(PACKAGE).with_suffix("").parts[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = tuple(base) + tuple(node.module.split(".") if node.module else ())
            yield node.lineno, target, [a.name for a in node.names]


def _layer(parts: tuple) -> int:
    return LAYERS.index(parts[0] if parts else "__init__")


def test_no_import_points_upward():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = _layer(path.relative_to(PACKAGE).with_suffix("").parts)
        for line, target, names in _imports(path):
            targets = [target + (n,) for n in names] if not target else [target]
            for t in targets:
                if t[0] in LAYERS and _layer(t) > own:
                    upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {'.'.join(t)}")
    assert not upward


def test_families_share_helpers_only_through_common():
    reaching = []
    for path in sorted((PACKAGE / "rules").glob("*.py")):
        for line, target, names in _imports(path):
            if len(target) == 2 and target[0] == "rules" and not target[1].startswith("_"):
                reaching += [f"rules/{path.name}:{line} imports {target[1]}.{n}" for n in names if n.startswith("_")]
    assert not reaching, "move the helper to rules/_common.py"
