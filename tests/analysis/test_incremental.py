"""An edit answered from the last analysis gives exactly the facts a fresh analysis gives.

Sessions of edits on the corpus, the seed examples and the benchmark model: lines that move (a
comment on top, a blank line inside a function, lines removed again), a change to the code (a
class other classes build on where the file has one, else a corpus mutant), syntax broken and
restored. After every edit the report of
:func:`analyze_edit` equals that of a fresh ``analyze`` of the same text, and on the files where
only lines moved it was indeed moved, not analysed again.
"""

import re
import sys
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from shapelens.analysis import analyze
from shapelens.analysis.incremental import analyze_edit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "corpus"))
from mutants import MUTANTS  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "models"
FILES = (
    sorted(CORPUS.rglob("*.py"))
    + sorted((ROOT / "examples").glob("*.py"))
    + [ROOT / "bench" / "models" / "realistic.py"]
)
CODE_CHANGES = {  # a class other classes build on
    "realistic.py": ("self.pool = nn.MaxPool2d(2)", "self.pool = nn.MaxPool2d(4)"),  # ConvStem
    "resnet.py": ("self.bn2 = nn.BatchNorm2d(planes)", "self.bn2 = nn.BatchNorm2d(2 * planes)"),  # BasicBlock
    "unet.py": ("nn.Conv2d(out_ch, out_ch, 3, padding=1)", "nn.Conv2d(out_ch, out_ch, 3)"),  # DoubleConv
}
for _name, _old, _new in MUTANTS:
    CODE_CHANGES.setdefault(_name, (_old, _new))


def comparable(report):
    """The report as data: built layers (constructor arguments) and the models' conditions and
    Facts compared by what they say, not by identity."""
    calls = [replace(c, arguments=repr(c.arguments)) for c in report.calls]
    models = [replace(m, facts=_knowledge(m.facts), conds=list(map(str, m.conds))) for m in report.models]
    return report.shapes, calls, report.diagnostics, models, report.syntax_error, report.unknowns, report.causes


def _knowledge(facts):
    if facts is None:
        return None
    return (
        sorted(facts.lower.items()),
        sorted(map(repr, facts.bindings.items())),
        sorted(map(repr, facts._divisible)),
        sorted(facts.flexible),
    )


def fresh(path: Path, text: str):
    return analyze(str(path), text, roots=[str(path.parent)])


def incremental(baseline, path: Path, text: str) -> tuple:
    return analyze_edit(baseline, str(path), text, roots=[str(path.parent)])


def session(path: Path, texts: list) -> int:
    """Analyse ``texts`` in turn as the language server does; each must equal a fresh analysis.
    Returns how many were moved rather than analysed."""
    baseline, moved = None, 0
    for text in texts:
        report, after = incremental(baseline, path, text)
        assert comparable(report) == comparable(fresh(path, text)), f"{path.name}: differs after an edit"
        moved += after is not baseline and baseline is not None and after.tree is baseline.tree
        baseline = after
    return moved


def insert_after(text: str, pattern: str, line: str) -> str:
    """``line`` inserted after the first line matching ``pattern`` (or at the end)."""
    lines = text.split("\n")
    at = next((i + 1 for i, t in enumerate(lines) if re.search(pattern, t)), len(lines))
    return "\n".join(lines[:at] + [line] + lines[at:])


def edits(path: Path) -> list:
    text = path.read_text()
    old, new = CODE_CHANGES.get(path.name, ("(", "( "))  # else: a change of layout inside a call
    on_top = "# a note on top\n" + text
    in_body = insert_after(on_top, r"^\s+def ", "\n        # thinking")
    assert old in in_body
    mutated = in_body.replace(old, new, 1)
    top_removed = mutated.replace("# a note on top\n", "", 1)
    broken = insert_after(top_removed, r"^class |^def ", "    x = (")
    restored = top_removed + "\n# the end\n"
    return [text, on_top, in_body, mutated, top_removed, broken, restored]


def test_every_edit_gives_the_facts_of_a_fresh_analysis():
    moved = {path.name: session(path, edits(path)) for path in FILES}
    # on top, in a body, top removed, after the syntax error: moved wherever no other file is involved
    assert moved["realistic.py"] == 4 and moved["title_error.py"] == 4 and moved["lenet.py"] == 4
    assert moved["classifier.py"] == 0  # it imports layers.py, whose lines would not move


def test_a_fix_and_its_related_locations_move_with_the_lines():
    path = ROOT / "examples" / "title_error.py"
    text = path.read_text()
    first, baseline = incremental(None, path, text)
    moved, _ = incremental(baseline, path, "\n\n# two lines down\n" + text)
    errors = [d for d in moved.diagnostics if d.severity == "error"]
    assert errors and errors[0].fixes and errors[0].related
    assert errors[0].span.line == [d for d in first.diagnostics if d.severity == "error"][0].span.line + 3
    assert comparable(moved) == comparable(fresh(path, "\n\n# two lines down\n" + text))


TRICKY = '''import torch
import torch.nn as nn


def scale(
    x,
    # a comment inside the signature
    factor=2,
):
    return x * factor


class Net(nn.Module):  # comments after code stay
    """A docstring.

    # this looks like a comment but is text
    """

    @staticmethod
    def helper(x):
        return x

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(8, 16),
            # inside a call
            nn.ReLU(),
        )
        self.head = nn.Linear(16, \\
            4)

    def forward(self, x):
        total = x.sum() + \\
            x.mean()
        for _ in \\
                range(2):
            total = total + 1
        y = self.body(
            x
        )
        s = """
# inside a string
"""
        return self.head(y)


if __name__ == "__main__":
    net = Net()
    net.head = nn.Linear(16, 4)
    out = net(torch.randn(2, 8))
    bad = torch.randn(3, 5) @ torch.randn(
        4, 2)
'''


def test_a_comment_or_blank_line_at_every_line():
    """Every place a line can go: between statements, inside a call, a string, a continued line."""
    path = ROOT / "examples" / "tricky.py"  # never read: the text is given
    _, baseline = incremental(None, path, TRICKY)
    lines = TRICKY.split("\n")
    for at in range(len(lines) + 1):
        for line in ("# c", ""):
            edited = "\n".join(lines[:at] + [line] + lines[at:])
            report, _ = incremental(baseline, path, edited)
            assert comparable(report) == comparable(fresh(path, edited)), f"{line!r} at line {at + 1}"


@given(
    st.lists(
        st.tuples(
            st.integers(0, 60),
            st.integers(0, 2),
            st.sampled_from(["", "# c", "    # indented", "\t", "#", "# line 12"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_blank_and_comment_lines_anywhere(changes):
    """Insert or delete lines anywhere, strings, calls and continued lines included."""
    path = ROOT / "examples" / "tricky.py"  # never read: the text is given
    text = TRICKY
    _, baseline = incremental(None, path, text)
    for at, removed, line in changes:
        lines = text.split("\n")
        at = min(at, len(lines))
        text = "\n".join(lines[:at] + ([line] if not removed else []) + lines[at + (1 if removed == 1 else 0) :])
        report, baseline = incremental(baseline, path, text)
        assert comparable(report) == comparable(fresh(path, text))


def test_a_line_cited_in_the_source_is_not_renumbered():
    """Messages quote source: `# as on line 2` inside a quoted call must stay as written."""
    path = ROOT / "examples" / "cited.py"  # never read: the text is given
    text = "import torch\n\n\nx = torch.randn(3, 5)\ny = torch.randn(  # as on line 2\n    4, 2)\nz = x @ y\n"
    _, baseline = incremental(None, path, text)
    edited = "# on top\n" + text
    report, _ = incremental(baseline, path, edited)
    assert comparable(report) == comparable(fresh(path, edited))
    assert any("line 2" in line for fact in report.shapes for line in fact.derivation)


def test_crlf_text_moves_too():
    path = ROOT / "examples" / "title_error.py"
    text = path.read_text().replace("\n", "\r\n")
    _, baseline = incremental(None, path, text)
    edited = "# on top\r\n" + text
    report, after = incremental(baseline, path, edited)
    assert after.tree is baseline.tree
    assert comparable(report) == comparable(fresh(path, edited))
