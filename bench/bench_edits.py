"""A code edit, analysed by resuming the last analysis against a fresh one, in process.

    python bench/bench_edits.py [--repeat 16] [--rounds 5]

On bench/models/realistic.py repeated ``--repeat`` times, with and without its ``__main__``
blocks (without them every function gets a symbolic run), a statement binding a tensor is typed
at three places: the first ``forward`` of the file, the middle one and the last one. Each edit
is timed through ``analyze_edit`` (what the language server calls: resumed from the last
analysis) and as a fresh ``analyze`` of the same text; the reports are checked to be equal.
Medians in ms; the cycle collector is off, as it is in the server during an analysis.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from shapelens.analysis import analyze  # noqa: E402
from shapelens.analysis.incremental import analyze_edit  # noqa: E402

MODEL = ROOT / "bench" / "models" / "realistic.py"


def facts(report):
    return report.shapes, [replace(c, arguments=repr(c.arguments)) for c in report.calls], report.diagnostics


def forwards(lines: list) -> list:
    return [i for i, line in enumerate(lines) if line.strip().startswith("def forward(self, x)")]


def measure(text: str, place: str, rounds: int) -> tuple:
    lines = text.split("\n")
    spots = forwards(lines)
    at = {"first": spots[0], "middle": spots[len(spots) // 2], "last": spots[-1]}[place] + 1
    _, baseline = analyze_edit(None, "model.py", text)
    resumed, fresh = [], []
    for k in range(rounds):
        lines.insert(at, f"        typed_{k} = x")
        edited = "\n".join(lines)
        start = time.perf_counter()
        report, baseline = analyze_edit(baseline, "model.py", edited)
        resumed.append(time.perf_counter() - start)
        start = time.perf_counter()
        expected = analyze("model.py", edited)
        fresh.append(time.perf_counter() - start)
        assert facts(report) == facts(expected), f"{place}: the resumed report differs"
    return statistics.median(resumed) * 1000, statistics.median(fresh) * 1000


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    base = MODEL.read_text()
    library = base[: base.index('if __name__ == "__main__":')]
    gc.disable()
    print(f"{len(base.splitlines())}-line model x{args.repeat}; medians of {args.rounds} edits\n")
    print("| file | edit in | resumed | fresh |")
    print("|---|---|---:|---:|")
    for name, text in (("with __main__", base), ("without __main__", library)):
        whole = "\n\n".join([text] * args.repeat)
        for place in ("first", "middle", "last"):
            resumed, fresh = measure(whole, place, args.rounds)
            print(f"| {name} | {place} forward | {resumed:.0f} ms | {fresh:.0f} ms |", flush=True)


if __name__ == "__main__":
    main()
