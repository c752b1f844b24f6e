"""What an editor feeds the analyzer and the server mid-keystroke: broken, partial, shuffled code.

(a) Hypothesis drives truncated, mutated and half-typed corpus files straight through
``analyze``: no exception may escape, whatever the text. (b) One server takes 1,000 random
incremental edits through the strict stdio client and must end with the hints a fresh server
computes for the final text.
"""

from __future__ import annotations

import ast
import gc
import random
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, strategies as st

from shapelens.analysis import analyze
from shapelens.analysis.report import FileReport
from shapelens.lsp.documents import CACHE_CHARS, Documents
from shapelens.lsp.settings import Settings
from stdio_client import CAPABILITIES, SHAPELENS, StrictClient, shapelens_env

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "tests" / "corpus" / "models").rglob("*.py")) + sorted((ROOT / "examples").glob("*.py"))
TEXTS = {path: path.read_text() for path in CORPUS}
# Characters people type (and a few they paste): brackets, operators, digits, names, non-ASCII.
TYPED = st.sampled_from(list("()[]{}:,.=+-*/%@<>!~ \n\t\\'\"#_0123456789abcdefxyzBCHW") + ["α", "😀", "\r", "\x00"])

corpus_file = st.sampled_from(CORPUS)


def check(path: Path, text: str) -> None:
    report = analyze(str(path), text)
    assert isinstance(report, FileReport)
    lines = max(1, len(text.splitlines()))
    for item in [*report.shapes, *report.diagnostics, *report.calls]:
        assert 1 <= item.span.line <= item.span.end_line <= lines + 1, (item, lines)


DEEP = " + x" * 5000  # deeper than CPython's parser goes: ast.parse raises RecursionError


@pytest.mark.parametrize(
    "text",
    [
        f"import torch\nx = torch.randn(2)\ny = x{DEEP}\n",
        f"import torch\ndef f(x: 'x{DEEP}'):\n    return x\n",
    ],
    ids=["module", "string-annotation"],
)
def test_nesting_deeper_than_the_parser(text, tmp_path):
    check(tmp_path / "deep.py", text)


def test_a_workspace_file_nested_too_deep_for_the_parser(tmp_path):
    """Finding the files that import this one parses every workspace file that mentions it."""
    (tmp_path / "deep.py").write_text(f"import model\nx = 1{DEEP}\n")
    model = tmp_path / "model.py"
    model.write_text(TEXTS[ROOT / "examples" / "title_error.py"])
    report = analyze(str(model), roots=[str(tmp_path)])
    assert [d.code for d in report.diagnostics] == ["linear-in-features"]


@given(corpus_file, st.floats(0, 1))
def test_truncated(path, fraction):
    text = TEXTS[path]
    check(path, text[: int(len(text) * fraction)])


@given(corpus_file, st.data())
def test_half_typed(path, data):
    """One line cut mid-token, as while typing it; the rest of the file follows or not."""
    lines = TEXTS[path].splitlines(keepends=True)
    index = data.draw(st.integers(0, len(lines) - 1))
    cut = data.draw(st.integers(0, len(lines[index].rstrip("\n"))))
    rest = lines[index + 1 :] if data.draw(st.booleans()) else []
    check(path, "".join(lines[:index]) + lines[index][:cut] + ("\n" if rest else "") + "".join(rest))


EDIT = st.one_of(
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 8)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.text(TYPED, min_size=1, max_size=6)),
    st.tuples(st.just("swap"), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(st.just("dup"), st.floats(0, 1), st.just(None)),
)


def mutate(text: str, edit) -> str:
    kind, where, arg = edit
    if kind in ("delete", "insert"):
        at = int(len(text) * where)
        return text[:at] + text[at + arg :] if kind == "delete" else text[:at] + arg + text[at:]
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    i = min(int(len(lines) * where), len(lines) - 1)
    if kind == "dup":
        return "".join(lines[: i + 1] + lines[i:])
    j = min(int(len(lines) * arg), len(lines) - 1)
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


@given(corpus_file, st.lists(EDIT, min_size=1, max_size=6))
def test_mutated(path, edits):
    text = TEXTS[path]
    for edit in edits:
        text = mutate(text, edit)
    check(path, text)


def test_the_report_cache_is_bounded_by_what_it_holds():
    """64 reports of a 4,000-line file were ~270 MB: the cache also counts characters analysed."""
    documents = Documents(SimpleNamespace(roots=lambda: [], settings=Settings()))
    texts = [f"# {i}" + "#" * 700_000 + "\nimport torch\nx = torch.zeros(2, 3)\n" for i in range(4)]
    for text in texts:
        assert documents._analyze("/tmp/big.py", text, {}).shapes
        assert gc.isenabled()  # paused for the analysis only
    assert documents.cached_chars == sum(len(t) for t in texts[-2:]) <= CACHE_CHARS
    assert len(documents.cache) == 2


# -- (b) one long editing session against the real server -----------------------------------
SESSION_EDITS = 1000
SNIPPETS = [
    "x",
    "self.",
    "torch.randn(",
    "(",
    ")",
    "[:, 0]",
    ", ",
    "\n",
    "\n        ",
    ".view(-1, ",
    "nn.Linear(16, 32)",
    " + ",
    "α",
    "😀",
    "def f(x):\n    return x\n",
    "import torch\n",
    ":",
    "=",
    "#",
]


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class Buffer:
    """The client's copy of the document, edited the way the editor sends it (UTF-16 ranges)."""

    def __init__(self, text: str):
        self.text = text

    def position(self, index: int) -> dict:
        line = self.text.count("\n", 0, index)
        start = self.text.rfind("\n", 0, index) + 1
        return {"line": line, "character": utf16(self.text[start:index])}

    def range(self, start: int, end: int) -> dict:
        return {"start": self.position(start), "end": self.position(end)}

    def replace(self, start: int, end: int, new: str) -> dict:
        change = {"range": self.range(start, end), "text": new}
        self.text = self.text[:start] + new + self.text[end:]
        return change

    def undo_to(self, old: str) -> dict:
        """One range change from the current text to ``old``, as the editor's undo sends it."""
        prefix = 0
        while prefix < min(len(old), len(self.text)) and old[prefix] == self.text[prefix]:
            prefix += 1
        suffix = 0
        while suffix < min(len(old), len(self.text)) - prefix and old[-1 - suffix] == self.text[-1 - suffix]:
            suffix += 1
        return self.replace(prefix, len(self.text) - suffix, old[prefix : len(old) - suffix])


def random_changes(rng: random.Random, buffer: Buffer, history: list) -> list:
    size = len(buffer.text)
    roll = rng.random()
    if roll < 0.07 or size > 15000:
        return [buffer.undo_to(rng.choice(history[-50:]))]
    if roll < 0.10:
        pasted = TEXTS[rng.choice(CORPUS)]
        if rng.random() < 0.5:
            return [buffer.replace(0, size, pasted)]
        at = rng.randint(0, size)
        return [buffer.replace(at, at, pasted)]
    changes = []
    for _ in range(2 if rng.random() < 0.1 else 1):  # two cursors now and then
        at = rng.randint(0, len(buffer.text))
        if rng.random() < 0.55:
            changes.append(buffer.replace(at, at, rng.choice(SNIPPETS)))
        else:
            changes.append(
                buffer.replace(
                    at, min(len(buffer.text), at + rng.randint(1, 40)), rng.choice(["", "", rng.choice(SNIPPETS)])
                )
            )
    return changes


def check_hints(hints: list) -> None:
    for hint in hints:
        assert hint["position"]["line"] >= 0 and hint["position"]["character"] >= 0
        assert hint["label"] and all(part["value"] for part in hint["label"])


def check_hover(hover) -> None:
    assert hover is None or (hover["contents"]["kind"] == "markdown" and hover["contents"]["value"])


def start_server(root: Path) -> StrictClient:
    client = StrictClient(SHAPELENS, cwd=str(root), env=shapelens_env(), settings={"shapelens": {}})
    client.initialize(root, CAPABILITIES)
    return client


def final_view(client: StrictClient, uri: str, version: int, mark: int, lines: int) -> tuple:
    _, published = client.diagnostics_for(uri, version, mark, timeout=60)
    diagnostics = sorted(
        (d["range"]["start"]["line"], d["code"], d["message"], d["severity"])
        for d in published["params"]["diagnostics"]
    )
    hints = [{k: v for k, v in hint.items() if k != "data"} for hint in client.inlay_hints(uri, lines + 1)]
    return hints, diagnostics  # without data: it numbers the server's reports


def test_a_thousand_random_edits(tmp_path):
    rng = random.Random(4)
    first = TEXTS[ROOT / "tests" / "corpus" / "models" / "gpt_block.py"]
    (tmp_path / "session.py").write_text(first)
    uri = (tmp_path / "session.py").as_uri()
    buffer, history = Buffer(first), [first]
    client = start_server(tmp_path)
    try:
        client.diagnostics_for(uri, 1, client.open(uri, first))
        for version in range(2, SESSION_EDITS + 1):
            if version == SESSION_EDITS:  # end on text that parses, or the carried-over facts differ
                changes = [buffer.undo_to(rng.choice([t for t in history if parses(t)]))]
            else:
                changes = random_changes(rng, buffer, history)
            mark = client.change(uri, version, changes)
            history.append(buffer.text)
            roll = rng.random()
            if roll < 0.1:
                check_hints(client.inlay_hints(uri, buffer.text.count("\n") + 1))
            elif roll < 0.15:
                at = buffer.position(rng.randint(0, len(buffer.text)))
                check_hover(client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": at}))
            elif roll < 0.18:  # a pause around the debounce: the next edit lands mid-analysis
                time.sleep(rng.uniform(0.1, 0.4))
            elif roll < 0.21:  # a longer pause: the analysis finishes
                _, published = client.diagnostics_for(uri, version, mark)
                assert isinstance(
                    client.request(
                        "textDocument/codeAction",
                        {
                            "textDocument": {"uri": uri},
                            "range": buffer.range(0, len(buffer.text)),
                            "context": {"diagnostics": published["params"]["diagnostics"]},
                        },
                    ),
                    list,
                )
        final = final_view(client, uri, SESSION_EDITS, mark, buffer.text.count("\n"))
        assert final[0], "the final text has no hints: the comparison below would prove nothing"
        assert client.shutdown() == 0
    finally:
        client.kill()
    assert client.closed and not client.violations
    assert "Traceback" not in client.stderr.decode() and "ERROR" not in client.stderr.decode()

    fresh = start_server(tmp_path)
    try:
        mark = fresh.open(uri, buffer.text)
        assert final_view(fresh, uri, 1, mark, buffer.text.count("\n")) == final
        fresh.shutdown()
    finally:
        fresh.kill()


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return False
    return True
