"""The seed's examples and the title's error, as torch really runs them (shared/docs/seed-facts.md).

Every tensor binding's hint equals the shape torch records; Examples 2 and 3 get no error;
Example 1 gets the reconstruction warning; the Linear(32*8*8, 64) case and the unbatched
(28, 28) input get their error; and applying each fix makes torch run.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "corpus"))
from tracer import compare, static_shapes, trace_file  # noqa: E402

from shapelens.analysis import analyze  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEED = ["seed_example1_channels.py", "seed_example2_batch.py", "seed_example3_conv.py", "title_error.py"]


def apply(text: str, fix) -> str:
    lines = text.split("\n")
    for edit in sorted(fix.edits, key=lambda e: (e.span.line, e.span.col), reverse=True):
        s = edit.span
        assert s.line == s.end_line
        line = lines[s.line - 1]
        lines[s.line - 1] = line[: s.col] + edit.new_text + line[s.end_col :]
    return "\n".join(lines)


def runs_in_torch(tmp_path, text: str, name: str = "fixed.py"):
    path = tmp_path / name
    path.write_text(text)
    return trace_file(str(path))


@pytest.mark.parametrize("name", SEED)
def test_hints_match_torch_on_every_line(name):
    path = EXAMPLES / name
    runtime = trace_file(str(path), crashes=name == "title_error.py")
    static = static_shapes(analyze(str(path)).to_json())
    assert runtime
    for (line, var), shapes in runtime.items():
        assert compare(static.get((line, var)), shapes) == "match", (
            f"{name}:{line} {var}: {static.get((line, var))} vs {shapes}"
        )


@pytest.mark.parametrize("name", ["seed_example2_batch.py", "seed_example3_conv.py"])
def test_correct_examples_get_no_error(name):
    report = analyze(str(EXAMPLES / name))
    assert not [d for d in report.diagnostics if d.severity in ("error", "warning")]


def test_example1_reconstruction_warning_and_fix(tmp_path):
    path = EXAMPLES / "seed_example1_channels.py"
    text = path.read_text()
    report = analyze(str(path))
    [warning] = [d for d in report.diagnostics if d.code == "reconstruction-shape"]
    assert warning.severity == "warning" and "[1, 4, 28, 28]" in warning.message
    assert not [d for d in report.diagnostics if d.severity == "error"]
    fixed = apply(text, warning.fixes[0])
    assert "nn.ConvTranspose2d(16, 3, 3, padding=1)" in fixed
    traced = runs_in_torch(tmp_path, fixed + "\nimport torch.nn as _nn\nloss = _nn.MSELoss()(output, input_image)\n")
    assert {(1, 3, 28, 28)} in traced.values()
    assert not analyze(str(tmp_path / "fixed.py")).diagnostics


def test_title_error_and_its_fix(tmp_path):
    path = EXAMPLES / "title_error.py"
    report = analyze(str(path))
    [error] = [d for d in report.diagnostics if d.severity == "error"]
    assert error.code == "linear-in-features"
    assert "mat1 and mat2 shapes cannot be multiplied (10x1568 and 2048x64)" in error.message
    assert "1568 = 32*7*7" in error.message and "line 11" in error.message
    with pytest.raises(RuntimeError, match="10x1568 and 2048x64"):
        trace_file(str(path))
    fixed = apply(path.read_text(), error.fixes[0])
    runs_in_torch(tmp_path, fixed)
    assert not [d for d in analyze(str(tmp_path / "fixed.py"), fixed).diagnostics if d.severity == "error"]


def test_unbatched_28x28_input_gets_the_batch_fix(tmp_path):
    text = (EXAMPLES / "seed_example2_batch.py").read_text().replace("torch.randn(1, 28, 28)", "torch.randn(28, 28)")
    path = tmp_path / "unbatched.py"
    path.write_text(text)
    with pytest.raises(RuntimeError, match=r"28x28 and 784x128"):
        trace_file(str(path))
    report = analyze(str(path))
    errors = [d for d in report.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["missing-batch-dim"]
    assert errors[0].span.line == 32  # output_single = model(input_image_single)
    fixed = apply(text, errors[0].fixes[0])
    assert "model(input_image_single.unsqueeze(0))" in fixed
    runs_in_torch(tmp_path, fixed)
