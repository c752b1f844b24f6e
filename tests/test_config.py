"""Suppression and project configuration as ruff and pyright users expect (issue 13, point 8):
``# shapelens: ignore[code]`` (bare: every code) on a line, ``[tool.shapelens]`` in pyproject.toml
(severities, excluded paths, per-file ignores), the same for ``shapelens check`` and the server."""

import json
from pathlib import Path

import pytest

from shapelens.analysis.report import Diagnostic, Span
from shapelens.cli import main
from shapelens.config import NO_CONFIG, config_for, parse, reported
from shapelens.ignores import ignore_edit, line_ignores

ROOT = Path(__file__).resolve().parents[1]
TITLE = (ROOT / "examples" / "title_error.py").read_text()  # linear-in-features on line 17
FAILING = "        x = self.fc(x)"


def diagnostic(line: int, code: str, severity: str = "error") -> Diagnostic:
    return Diagnostic(Span(line, 8, line, 12), severity, code, "message")


def test_comments_name_codes_or_all_and_strings_do_not_count():
    text = (
        "x = f()  # shapelens: ignore[linear-in-features, broadcast]\n"
        "y = g()  # noqa: E501  # shapelens: ignore\n"
        's = "# shapelens: ignore"\n'
        "z = h()  #shapelens:ignore[rank]\n"
    )
    assert line_ignores(text) == {1: frozenset({"linear-in-features", "broadcast"}), 2: None, 4: frozenset({"rank"})}
    assert line_ignores("x = 1\n") == {}


def test_the_edit_adds_a_comment_or_a_code_to_the_one_there():
    lines = ["x = self.fc(x)   ", "y = a @ b  # shapelens: ignore[rank]", "z = 1 + \\", "    2", 's = """', 'text"""']
    edit = ignore_edit(lines, Span(1, 4, 1, 14), "linear-in-features")
    assert (edit.span, edit.new_text) == (Span(1, 14, 1, 17), "  # shapelens: ignore[linear-in-features]")
    edit = ignore_edit(lines, Span(2, 4, 2, 9), "matmul-inner")
    assert (
        lines[1][: edit.span.col] + edit.new_text + lines[1][edit.span.end_col :]
        == "y = a @ b  # shapelens: ignore[rank, matmul-inner]"
    )
    edit = ignore_edit(lines, Span(3, 4, 4, 5), "broadcast")  # a continued line: on its last one
    assert edit.span.line == 4
    assert ignore_edit(lines, Span(5, 4, 5, 7), "x") is None  # inside a string


def test_reported_applies_comments_per_file_ignores_and_severities_in_that_order(tmp_path):
    config = parse(
        {"severity": {"broadcast": "warning", "rank": "off"}, "per-file-ignores": {"tests/*.py": ["matmul-inner"]}},
        str(tmp_path / "pyproject.toml"),
    )
    text = "a\nb  # shapelens: ignore[cat-dims]\nc\nd\ne\n"
    found = [
        diagnostic(1, "broadcast"),
        diagnostic(2, "cat-dims"),
        diagnostic(3, "rank"),
        diagnostic(4, "matmul-inner"),
        diagnostic(5, "linear-in-features"),
    ]
    shown = reported(found, text, str(tmp_path / "tests" / "t.py"), config)
    assert [(i, d.code, d.severity) for i, d in shown] == [
        (0, "broadcast", "warning"),
        (4, "linear-in-features", "error"),
    ]
    shown = reported(found, text, str(tmp_path / "model.py"), config, {"broadcast": "hint", "rank": "error"})
    assert [(d.code, d.severity) for _, d in shown] == [
        ("broadcast", "hint"),
        ("rank", "error"),
        ("matmul-inner", "error"),
        ("linear-in-features", "error"),
    ]


def test_the_nearest_pyproject_with_the_table_is_read_and_checked(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.shapelens]\nexclude = ["legacy/"]\n[tool.shapelens.severity]\nrank = "loud"\nbroadcast = "off"\n'
    )
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "pyproject.toml").write_text("[project]\nname = 'pkg'\n")  # no table: skipped
    config = config_for(str(tmp_path / "pkg" / "model.py"))
    assert config.path == str(tmp_path / "pyproject.toml")
    assert config.severity == {"broadcast": "off"}
    assert config.problems and "rank = 'loud'" in config.problems[0]
    assert config.excludes(str(tmp_path / "legacy" / "old.py")) and not config.excludes(str(tmp_path / "model.py"))
    assert config_for("untitled:Untitled-1") is NO_CONFIG
    (tmp_path / "pyproject.toml").write_text("[tool.shapelens\n")  # broken: said, not fatal
    assert "not read" in config_for(str(tmp_path / "model.py")).problems[0]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("""\
[project]
name = "demo"

[tool.shapelens]
exclude = ["legacy/"]

[tool.shapelens.severity]
linear-in-features = "warning"

[tool.shapelens.per-file-ignores]
"tests/*.py" = ["linear-in-features"]
""")
    for name in ("model.py", "legacy/old.py", "tests/test_model.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(TITLE)
    return tmp_path


def test_check_reads_the_project_table(project, capsys):
    assert main(["check", "--json", str(project)]) == 0  # a warning now: exit 0
    files = {Path(f["path"]).relative_to(project).as_posix(): f for f in json.loads(capsys.readouterr().out)["files"]}
    assert sorted(files) == ["model.py", "tests/test_model.py"]  # legacy/ is excluded
    assert [(d["code"], d["severity"]) for d in files["model.py"]["diagnostics"]] == [("linear-in-features", "warning")]
    assert files["tests/test_model.py"]["diagnostics"] == []
    assert main(["check", str(project / "legacy" / "old.py")]) == 0  # named: checked, as ruff does
    assert "linear-in-features" in capsys.readouterr().out


def test_check_honours_ignore_comments(tmp_path, capsys):
    path = tmp_path / "model.py"
    for comment in ("  # shapelens: ignore[linear-in-features]", "  # shapelens: ignore"):
        path.write_text(TITLE.replace(FAILING, FAILING + comment))
        assert main(["check", str(path)]) == 0
        assert "0 errors" in capsys.readouterr().out
    path.write_text(TITLE.replace(FAILING, FAILING + "  # shapelens: ignore[broadcast]"))
    assert main(["check", str(path)]) == 1
