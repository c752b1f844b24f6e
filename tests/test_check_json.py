"""`shapelens check --json` as docs/check-json.md describes it: real output, on the examples and the
model corpus, validates against docs/check-json.schema.json, and the output exercises every kind
of entry the schema describes (so that passing means something)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "check-json.schema.json").read_text())


def check_json(*paths) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "shapelens", "check", "--json", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "server"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


# A layer applied to an input of any rank: `[*, 3]`, which the format gives as null.
ANY_RANK = """import torch.nn as nn


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)

    def forward(self, x):
        y = self.fc(x)
        return y
"""


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    head = tmp_path_factory.mktemp("any_rank") / "head.py"
    head.write_text(ANY_RANK)
    return check_json(ROOT / "examples", ROOT / "tests" / "corpus" / "models", head)


def test_the_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_real_output_follows_the_schema(output):
    jsonschema.Draft202012Validator(SCHEMA).validate(output)


def test_the_output_exercises_the_schema(output):
    shapes = [s for f in output["files"] for s in f["shapes"]]
    diagnostics = [d for f in output["files"] for d in f["diagnostics"]]
    assert len(output["files"]) > 20
    assert any(s.get("shape") is None and "shape" in s for s in shapes), "an unknown rank"
    assert any(isinstance(d, str) for s in shapes for d in s.get("shape") or []), "a symbolic dim"
    assert any("tuple" in s for s in shapes), "a tuple of tensors"
    assert any(d["fixes"] for d in diagnostics), "a fix"
    assert any(d.get("related") for d in diagnostics), "related places"
    assert {d["severity"] for d in diagnostics} >= {"error", "warning"}


def test_the_schema_rejects_what_the_format_is_not(output):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    entry = next(s for f in output["files"] for s in f["shapes"] if isinstance(s.get("shape"), list))
    for wrong in (
        {**entry, "column": 0},
        {**entry, "shape": ["B", 1.5]},
        {**entry, "shape_text": "[B]"},
        {**entry, "tuple": []},
    ):
        bad = {"shapelens": 1, "files": [{"path": "x.py", "shapes": [wrong], "diagnostics": []}]}
        assert not validator.is_valid(bad), wrong
    assert not validator.is_valid({**output, "shapelens": 2})


def test_the_document_names_every_field_of_the_schema():
    """docs/check-json.md describes what the schema allows, field by field."""
    text = (ROOT / "docs" / "check-json.md").read_text()
    fields = set()

    def walk(node):
        if isinstance(node, dict):
            fields.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SCHEMA)
    missing = sorted(f for f in fields if not re.search(rf"`\"?{re.escape(f)}\"?`", text))
    assert not missing, f"fields the document does not describe: {missing}"
