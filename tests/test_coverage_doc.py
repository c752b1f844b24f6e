"""docs/coverage.md is generated from the registry, and every rule has a property test."""

import re
from pathlib import Path

from shapelens.coverage import coverage_markdown
from shapelens.rules import all_rules

ROOT = Path(__file__).resolve().parents[1]


def test_coverage_doc_is_current():
    doc = ROOT / "docs" / "coverage.md"
    assert doc.read_text() == coverage_markdown() + "\n", (
        "docs/coverage.md is stale: run `shapelens rules --markdown > docs/coverage.md`"
    )


def test_every_rule_is_property_tested():
    """Each registered rule is called by name from a test under tests/rules/."""
    text = "\n".join(p.read_text() for p in (ROOT / "tests" / "rules").glob("test_*.py"))
    called = set(re.findall(r'"((?:torch|einops|numpy)\.[A-Za-z0-9_.]+)"', text))
    missing = sorted({r.name for r in all_rules().values()} - called)
    assert not missing, f"rules without a property test: {missing}"
