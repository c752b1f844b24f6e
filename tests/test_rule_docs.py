"""Every docs/rules page is in ruff's form and its examples tell the truth: the Example fails in
torch as the page says, the Use instead runs. (That every code has its page, and that its
Example makes shapelens report it: tests/test_codes.py.)"""

import re
from pathlib import Path

import pytest
import torch

from shapelens import codes

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "rules"
SECTIONS = ["## What it does", "## Why is this bad?", "## Example", "## Use instead"]
# warnings and notes: their example runs, the problem is what comes after
NOT_FAILING = {code for code in codes.TABLE.values() if code.severity != codes.ERROR}


def _snippets(page: Path) -> tuple:
    text = page.read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    return blocks[0], blocks[-1]


PAGES = sorted(p for p in DOCS.glob("*.md") if p.name != "README.md")  # README.md: the index of codes


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
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
    with pytest.raises(BaseException):  # noqa: B017 - whatever torch raises there (RuntimeError, ValueError, ...)
        exec(compile(wrong, f"{page.stem}:example", "exec"), {})
