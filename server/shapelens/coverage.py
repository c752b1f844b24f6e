"""The coverage table: every op shapelens understands, generated from the rule registry."""

from __future__ import annotations

from .rules import all_rules

KIND_TITLES = {
    "layer": "nn layers",
    "function": "functions",
    "method": "tensor methods",
    "property": "tensor attributes",
}


def coverage_markdown() -> str:
    """docs/coverage.md: one row per op, grouped by family (kept in sync by a test)."""
    rules = all_rules()
    distinct = {id(r.fn) for r in rules.values()}
    by_family: dict = {}
    for rule in rules.values():
        by_family.setdefault(rule.family, []).append(rule)
    lines = [
        "# What shapelens understands",
        "",
        "Generated from the rule registry by `shapelens rules --markdown`; every rule here is",
        "property-tested against torch on the meta device, the arrays family against numpy (tests/rules/).",
        'Anything not listed makes the analysis say "inference lost" at that line instead of guessing.',
        "",
        f"{len(rules)} names, {len(distinct)} rules.",
        "",
    ]
    for family in sorted(by_family):
        lines += [f"## {family}", "", "| op | kind | shape rule |", "|---|---|---|"]
        for rule in sorted(by_family[family], key=lambda r: r.name):
            summary = rule.summary.replace("|", "\\|")
            lines.append(f"| `{rule.name}` | {KIND_TITLES[rule.kind]} | {summary} |")
        lines.append("")
    return "\n".join(lines)


def coverage_text() -> str:
    rules = all_rules()
    width = max(len(n) for n in rules)
    return "\n".join(f"{name:<{width}}  {rules[name].summary}" for name in sorted(rules))
