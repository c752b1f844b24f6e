"""Every diagnostic code has its docs/rules page, in ruff's form, and its examples tell the truth:
the Example fails in torch as the page says, the Use instead runs."""

import ast
import re
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "rules"
SECTIONS = ["## What it does", "## Why is this bad?", "## Example", "## Use instead"]
NOT_FAILING = {  # warnings and notes: their example runs, the problem is what comes after
    "reconstruction-shape", "inference-lost", "runtime-shape-mismatch", "not-validated",
}


def emitted_codes() -> set:
    """Codes passed to ctx.check/ctx.fail, code=..., or to a Finding/Diagnostic in the package."""
    codes = set()
    for path in (ROOT / "server" / "shapelens").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            candidates = [k.value for k in node.keywords if k.arg == "code"]
            if isinstance(func, ast.Attribute) and func.attr == "check" and len(node.args) > 1:
                candidates.append(node.args[1])
            if isinstance(func, ast.Attribute) and func.attr == "fail" and node.args:
                candidates.append(node.args[0])
            if isinstance(func, ast.Name) and func.id in ("Finding", "Diagnostic") and len(node.args) > 2:
                candidates.append(node.args[2])
            codes.update(c.value for c in candidates if isinstance(c, ast.Constant) and isinstance(c.value, str))
    return codes


def test_every_emitted_code_has_a_page():
    codes = emitted_codes()
    assert len(codes) > 40
    assert all(re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", c) for c in codes), sorted(codes)
    missing = sorted(c for c in codes if not (DOCS / f"{c}.md").is_file())
    assert not missing, f"codes without a docs/rules page: {missing}"


def _snippets(page: Path) -> tuple:
    text = page.read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    return blocks[0], blocks[-1]


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda p: p.stem)
def test_page_form_and_examples(page):
    text = page.read_text()
    assert text.startswith(f"# {page.stem}\n")
    positions = [text.find(s) for s in SECTIONS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), f"{page.name}: sections"
    wrong, right = _snippets(page)
    torch.manual_seed(0)
    exec(compile(right, f"{page.stem}:use-instead", "exec"), {})
    if page.stem in NOT_FAILING:
        exec(compile(wrong, f"{page.stem}:example", "exec"), {})
        return
    with pytest.raises(BaseException):
        exec(compile(wrong, f"{page.stem}:example", "exec"), {})
