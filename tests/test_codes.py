"""The table of diagnostic codes (shapelens/codes.py) is the only place a code is spelt, every code in
it has its page, its generated row in docs/rules/README.md and a test that fires it: its page's
Example, analysed (or run on the meta device, for validation's codes), reports it."""

import ast
import re
import textwrap
from pathlib import Path

import pytest

from shapelens import codes
from shapelens.analysis import analyze
from shapelens.analysis.explain import FIXES

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "server" / "shapelens"
DOCS = ROOT / "docs" / "rules"


def _code_arguments(node: ast.Call) -> list:
    """The arguments of a call that are diagnostic codes by position: ctx.check(cond, CODE, ...),
    ctx.fail(CODE, ...), ShapeError(CODE, ...), Finding/Diagnostic(span, severity, CODE, ...), code=CODE."""
    func = node.func
    if isinstance(func, ast.Attribute):
        position = {"check": 1, "fail": 0}.get(func.attr)
    else:
        position = {"ShapeError": 0, "Finding": 2, "Diagnostic": 2}.get(getattr(func, "id", ""))
    found = [k.value for k in node.keywords if k.arg == "code"]
    if position is not None and len(node.args) > position:
        found.append(node.args[position])
    return found


def _spelt_codes(package: Path = PACKAGE) -> list:
    """(file:line, text) of every string in the package, outside the table, that is a code or
    stands where a code does."""
    found = []
    for path in sorted(package.rglob("*.py")):
        if path == package / "codes.py":
            continue
        tree = ast.parse(path.read_text())
        exported = set()  # __all__ names functions, e.g. dims.broadcast, not the code "broadcast"
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
                exported.update(id(n) for n in ast.walk(node.value))
        for node in ast.walk(tree):
            where = f"{path.relative_to(package)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Constant) and node.value in codes.TABLE and id(node) not in exported:
                found.append((where, node.value))
            if isinstance(node, ast.Call):
                found.extend(
                    (where, arg.value)
                    for arg in _code_arguments(node)
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                )
                found.extend(
                    (where, ast.unparse(arg)) for arg in _code_arguments(node) if isinstance(arg, ast.JoinedStr)
                )
    return found


def test_no_code_is_spelt_outside_the_table():
    assert not _spelt_codes(), "name codes by their constant in shapelens/codes.py"


def test_the_walk_finds_a_spelt_code(tmp_path):
    """The test above would see a literal, whether a known code or a new one."""
    (tmp_path / "rule.py").write_text(
        textwrap.dedent("""
        def f(ctx, x):
            ctx.check(x.rank == 2, "rank", "2-D")
            ctx.fail("rnak", "a typo would be a new code")
            fail(f"a message, not a code")
    """)
    )
    assert sorted(text for _, text in _spelt_codes(tmp_path)) == ["rank", "rank", "rnak"]


def test_rows():
    assert len(codes.TABLE) > 80
    for text, code in codes.TABLE.items():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", text), text
        assert getattr(codes, text.upper().replace("-", "_")) is code, f"{text}: its constant's name"
        assert code.severity in (codes.ERROR, codes.WARNING, codes.INFORMATION, codes.HINT), text
        assert code.by in (codes.RULE, codes.ANALYZER, codes.VALIDATION), text
        assert code.summary and "\n" not in code.summary and "|" not in code.summary, text
        assert (ROOT / code.page).is_file(), f"{text} has no page {code.page}"


def test_every_page_has_a_row():
    pages = {p.stem for p in DOCS.glob("*.md") if p.name != "README.md"}
    assert pages == set(codes.TABLE), f"pages without a row: {sorted(pages - set(codes.TABLE))}"


def test_the_index_is_generated_from_the_table():
    assert (DOCS / "README.md").read_text() == codes.markdown(), "regenerate: shapelens codes --markdown"


def test_shapelens_codes_lists_them(capsys):
    from shapelens.cli import main

    assert main(["codes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(codes.TABLE) and lines[0].split()[:2] == ["attention-shape", "error"]


def test_every_fix_in_the_table_is_built_by_explain():
    assert {c.fix for c in codes.TABLE.values() if c.fix} == set(FIXES)


def test_an_unknown_code_fails_loudly():
    with pytest.raises(KeyError, match="rnak"):
        codes.lookup("rnak")
    assert codes.lookup("rank") is codes.RANK
    assert codes.RANK == "rank" and hash(codes.RANK) == hash("rank")  # a code is its text


def _example(code: str) -> str:
    return re.findall(r"```python\n(.*?)```", (DOCS / f"{code}.md").read_text(), re.S)[0]


STATIC = [c for c in codes.TABLE.values() if c.by != codes.VALIDATION]


@pytest.mark.parametrize("code", STATIC, ids=str)
def test_the_example_fires_its_code(code, tmp_path):
    path = tmp_path / "example.py"
    report = analyze(str(path), _example(code))
    severities = {d.severity for d in report.diagnostics if d.code == code}
    assert severities == {code.severity}, [(d.code, d.severity, d.message) for d in report.diagnostics]


@pytest.fixture(scope="module")
def worker():
    from shapelens.validation import Worker

    worker = Worker(timeout=60)
    worker.start()
    yield worker
    worker.stop()


def _validated(worker, path: Path, text: str, tamper=None):
    from shapelens.validation import validate

    path.write_text(text)
    report = analyze(str(path), text, roots=[str(path.parent)])
    if tamper:
        tamper(report)
    return validate(report, text, worker, [str(path.parent)]).report


def test_validation_codes_are_all_fired_below():
    assert {c for c in codes.TABLE.values() if c.by == codes.VALIDATION} == {
        codes.RUNTIME_ERROR,
        codes.NOT_VALIDATED,
        codes.RUNTIME_SHAPE_MISMATCH,
    }


@pytest.mark.parametrize("code", [codes.RUNTIME_ERROR, codes.NOT_VALIDATED], ids=str)
def test_the_validated_example_fires_its_code(code, worker, tmp_path):
    report = _validated(worker, tmp_path / "example.py", _example(code))
    assert {d.severity for d in report.diagnostics if d.code == code} == {code.severity}


def test_a_wrong_rule_fires_runtime_shape_mismatch(worker, tmp_path):
    """The page's example with the wrong rule it describes: `y` said to be [2, 8, 16, 16]."""
    from shapelens.dims import Shape

    def wrong_rule(report):
        [fact] = [f for f in report.shapes if f.name == "y" and f.kind == "binding" and f.span.line == 7]
        fact.value = Shape([2, 8, 16, 16])

    code = codes.RUNTIME_SHAPE_MISMATCH
    report = _validated(worker, tmp_path / "example.py", _example(code), wrong_rule)
    [warning] = [d for d in report.diagnostics if d.code == code]
    assert warning.severity == code.severity and "[2, 8, 15, 15]" in warning.message
