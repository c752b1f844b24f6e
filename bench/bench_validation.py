"""Validation on the meta device: worker cold start, warm re-validation time, worker memory.

    python bench/bench_validation.py            # 3 cold starts, 12 warm runs per file
    python bench/bench_validation.py --runs 20

- **cold start**: a fresh worker (``Worker().start()``: spawn the user's interpreter, ``import
  torch``, the ready line), three times, median.
- **warm**: on one started worker, ``validate(report, text, worker, roots)`` for
  tests/corpus/models/gpt_block.py and resnet.py, the call only (the static analysis that makes
  ``report`` is timed apart). The first run after the start is shown apart; then ``--runs`` runs,
  median and p95 (nearest rank). Each run is split into the worker round trip (``worker.run``:
  write the request, the worker runs the file's definitions and the models, read the answer), the
  worker's CPU time in it (``/proc/<pid>/stat``), and the server side (sampling the inputs and
  merging the answer into the report: what the language server pays).
- **RSS**: the worker's ``VmRSS`` and ``VmHWM`` after the warm runs.

The machine's load average is printed with the results: these 2 cores are shared.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from shapelens.analysis import analyze  # noqa: E402
from shapelens.validation import Worker, validate  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "models"
FILES = {"GPT block": CORPUS / "gpt_block.py", "ResNet": CORPUS / "resnet.py"}
TARGET_S = 1.0  # issue 6: warm re-validation under 1 s


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_mb(pid: int, key: str) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _p95(values: list) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


class _TimedWorker:
    """Wraps ``worker.run`` to time the round trip and the worker's CPU time of each run."""

    def __init__(self, worker: Worker):
        self.worker = worker
        self.wall = 0.0
        self.cpu = 0.0

    def run(self, request: dict, timeout=None) -> dict:
        pid = self.worker.process.pid
        cpu0, start = _cpu_s(pid), time.perf_counter()
        answer = self.worker.run(request, timeout)
        self.wall, self.cpu = time.perf_counter() - start, _cpu_s(pid) - cpu0
        return answer


def cold_starts(count: int) -> tuple:
    """Wall time to a ready worker, and the worker's CPU time by then, per fresh worker."""
    times, cpu = [], []
    for _ in range(count):
        worker = Worker()
        start = time.perf_counter()
        info = worker.start()
        times.append(time.perf_counter() - start)
        cpu.append(_cpu_s(worker.process.pid))
        worker.stop()
    print(f"torch {info.get('torch')} in {info.get('python')}")
    return times, cpu


def warm(name: str, path: Path, worker: Worker, runs: int) -> dict:
    text = path.read_text()
    roots = [str(path.parent)]
    static = []
    for _ in range(5):
        start = time.perf_counter()
        report = analyze(str(path), text, roots=roots)
        static.append(time.perf_counter() - start)
    timed = _TimedWorker(worker)
    rows = {"total": [], "worker": [], "worker_cpu": [], "server": []}

    def once() -> tuple:
        start = time.perf_counter()
        outcome = validate(report, text, timed, roots)
        total = time.perf_counter() - start
        return outcome, total

    outcome, first = once()
    if outcome.disagreements or outcome.errors or outcome.not_run:
        print(f"  note: {name}: {outcome.summary()}")
    for _ in range(runs):
        outcome, total = once()
        rows["total"].append(total)
        rows["worker"].append(timed.wall)
        rows["worker_cpu"].append(timed.cpu)
        rows["server"].append(total - timed.wall)
    return {
        "name": name,
        "lines": len(text.splitlines()),
        "static": statistics.median(static),
        "first": first,
        "summary": outcome.summary(),
        **rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=12, help="warm runs per file (default 12)")
    parser.add_argument("--cold", type=int, default=3, help="fresh workers for the cold start (default 3)")
    args = parser.parse_args()
    load_before = os.getloadavg()

    cold, cold_cpu = cold_starts(args.cold)
    worker = Worker()
    worker.start()
    try:
        results = [warm(name, path, worker, args.runs) for name, path in FILES.items()]
        pid = worker.process.pid
        rss, hwm = _status_mb(pid, "VmRSS"), _status_mb(pid, "VmHWM")
    finally:
        worker.stop()
    load_after = os.getloadavg()

    print(
        f"worker cold start (spawn + import torch, {args.cold} fresh workers): "
        f"median {_ms(statistics.median(cold))} ({', '.join(_ms(t) for t in cold)}); "
        f"worker CPU by then: median {_ms(statistics.median(cold_cpu))}"
    )
    print()
    print(f"warm validate(), {args.runs} runs per file after a first one (static analysis not included):")
    print()
    print(
        "| file | lines | static analysis | first run | warm median | warm p95 | worker round trip | "
        "worker CPU | server side (samples + merge) | < 1 s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        ok = "ok" if _p95(r["total"]) < TARGET_S else "**miss**"
        print(
            f"| {r['name']} | {r['lines']} | {_ms(r['static'])} | {_ms(r['first'])} | "
            f"{_ms(statistics.median(r['total']))} | {_ms(_p95(r['total']))} | "
            f"{_ms(statistics.median(r['worker']))} | {_ms(statistics.median(r['worker_cpu']))} | "
            f"{_ms(statistics.median(r['server']))} | {ok} |"
        )
    print()
    for r in results:
        print(f"{r['name']}: {r['summary']}")
    print(f"worker after the warm runs: VmRSS {rss:.0f} MB, VmHWM {hwm:.0f} MB")
    print(
        f"load average (1, 5, 15 min): before {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after {', '.join(f'{x:.2f}' for x in load_after)}; {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
