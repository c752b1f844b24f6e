"""``shapelens check`` on the corpus: time per 1,000 lines and peak memory.

    python bench/bench_check.py

Runs the CLI in a fresh process over tests/corpus/models five times; reports the median wall
time, the time per 1,000 lines, and the child's peak RSS (ru_maxrss).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "models"


def main() -> None:
    files = sorted(CORPUS.rglob("*.py"))
    lines = sum(len(p.read_text().splitlines()) for p in files)
    command = [sys.executable, "-m", "shapelens", "check", str(CORPUS)]
    env = {"PYTHONPATH": str(ROOT / "server"), "PATH": "/usr/bin:/bin"}
    wall = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
        wall.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, 'server'); import shapelens.cli"], cwd=ROOT, check=True
    )
    baseline = time.perf_counter() - start
    median = statistics.median(wall)
    print(f"{len(files)} files, {lines} lines")
    print(
        f"shapelens check: median {median * 1000:.0f} ms per run "
        f"({(median - baseline) * 1000 / lines * 1000:.0f} ms per 1,000 lines after {baseline * 1000:.0f} ms start-up)"
    )
    print(f"peak RSS: {peak_kb / 1024:.1f} MB")


if __name__ == "__main__":
    main()
