"""The analyzer against torch on realistic models.

- every tensor binding torch records while running a corpus file: the analyzer's shape matches
  (>= 90%), and is never wrong (a different rank or a different concrete size);
- no error on any unmutated file;
- each mutant that crashes in torch gets an error at the line that raised (>= 85%).
"""

from pathlib import Path

import pytest
from mutants import MUTANTS, written_mutants
from tracer import compare, crash_line, static_shapes, trace_file

from shapelens.analysis import analyze

MODELS = Path(__file__).parent / "models"
FILES = sorted(p for p in MODELS.rglob("*.py") if "__main__" in p.read_text())


def _analyze(path: Path, text=None):
    return analyze(str(path), text, roots=[str(path.parent)])


def test_corpus_has_the_promised_models():
    names = {p.stem for p in MODELS.rglob("*.py")}
    assert len(FILES) >= 15
    assert {
        "lenet",
        "vgg",
        "resnet",
        "unet",
        "vae",
        "dcgan",
        "gpt_block",
        "lstm_tagger",
        "seq2seq_transformer",
        "vit_einops",
        "llama_block",
        "mobilenet",
        "config_model",
        "layers",
        "classifier",
    } <= names


def test_shapes_match_torch_on_the_corpus():
    total = matched = 0
    wrong, missed = [], []
    for path in FILES:
        runtime = trace_file(str(path))
        static = static_shapes(_analyze(path).to_json())
        for (line, name), shapes in sorted(runtime.items()):
            total += 1
            verdict = compare(static.get((line, name)), shapes)
            if verdict == "match":
                matched += 1
            elif verdict == "wrong":
                wrong.append(f"{path.name}:{line} {name}: static {static.get((line, name))} torch {shapes}")
            else:
                missed.append(f"{path.name}:{line} {name}: torch {shapes}")
    rate = matched / total
    print(f"corpus: {matched}/{total} bindings matched ({rate:.1%}), {len(wrong)} wrong")
    assert not wrong, "wrong shapes:\n" + "\n".join(wrong)
    assert rate >= 0.90, f"only {rate:.1%} matched; not inferred:\n" + "\n".join(missed)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_error_on_correct_code(path):
    report = _analyze(path)
    errors = [f"{d.span.line}: [{d.code}] {d.message}" for d in report.diagnostics if d.severity == "error"]
    assert not errors, "\n".join(errors)


def test_mutants_are_flagged_at_the_crashing_line(tmp_path):
    flagged, results = 0, []
    for name, new, target in written_mutants(tmp_path):
        line = crash_line(target)
        assert line > 0, f"{name}: mutant {new!r} does not crash in torch (or not in this file)"
        report = _analyze(target)
        error_lines = {d.span.line for d in report.diagnostics if d.severity == "error"}
        hit = line in error_lines
        flagged += hit
        results.append(f"{'ok ' if hit else 'MISS'} {name}:{line} {new}  errors at {sorted(error_lines)}")
    rate = flagged / len(MUTANTS)
    print("\n".join(results))
    print(f"mutants: {flagged}/{len(MUTANTS)} flagged at the crashing line ({rate:.1%})")
    assert rate >= 0.85, "\n".join(results)
