"""The language server as an editor feels it: latency of each LSP feature and the server's memory.

    python bench/lsp_bench.py                       # shapelens only
    python bench/lsp_bench.py --venv /tmp/lsbench   # also basedpyright and jedi-language-server

Every server is driven over stdio by the same strict client as tests/lsp (it also fails the run
if a server writes anything but protocol to stdout), on bench/models/realistic.py and on that
file repeated 4x and 16x. Per server and size, ``--runs`` fresh sessions of: spawn -> initialize
response; didOpen straight after ``initialized`` -> first publishDiagnostics (cold, as when the
editor starts the server for the file it opens); whole-file inlayHint x20; hover on up to 200
names; 10 edits that insert a comment line at the top, timed to the publishDiagnostics for that
version and to the first inlayHint response whose hints moved down a line (re-requested on each
workspace/inlayHint/refresh, as VS Code does); 5 code edits, as typing does, that add a statement
binding a tensor (``typed_2 = x``) inside the last forward of the file, timed to its diagnostics
and to the first inlayHint response with a hint on the new line; peak RSS (VmHWM summed over the server's process
tree). Medians over all samples; hover also p95. The other servers are pointed at this Python
(which has torch) so that they resolve ``torch`` as a user's editor would.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "lsp"))

from stdio_client import CAPABILITIES, SHAPELENS, StrictClient, shapelens_env  # noqa: E402

MODEL = ROOT / "bench" / "models" / "realistic.py"
SIZES = (1, 4, 16)
HINT_REQUESTS, HOVERS, EDITS, CODE_EDITS = 20, 200, 10, 5
DEBOUNCE = 0.150
INIT_BUDGET = 1.2  # spawn -> initialize, whatever the file: judged on every shapelens spawn
BUDGETS = {  # shapelens's budgets (medians), seconds or MB, per size
    "open_diag": {1: 0.3, 16: 1.5},
    "hints": {1: 0.020, 16: 0.150},
    "hover_p50": {1: 0.005},
    "hover_p95": {1: 0.020},
    "edit_diag": {1: DEBOUNCE + 0.150, 16: DEBOUNCE + 1.0},
    "edit_hints": {1: DEBOUNCE + 0.150, 16: DEBOUNCE + 1.0},
    "code_diag": {1: DEBOUNCE + 0.150, 16: DEBOUNCE + 1.0},
    "code_hints": {1: DEBOUNCE + 0.150, 16: DEBOUNCE + 1.0},
    "rss_mb": {1: 150, 16: 300},
}
WALL_COLUMNS = [
    ("init", "spawn→init"),
    ("open_diag", "open→diag"),
    ("hints", "hints"),
    ("hover_p50", "hover p50"),
    ("hover_p95", "hover p95"),
    ("edit_diag", "edit→diag"),
    ("edit_hints", "edit→hints"),
    ("code_diag", "code edit→diag"),
    ("code_hints", "code edit→hints"),
    ("rss_mb", "peak RSS"),
]
CPU_COLUMNS = [
    ("init", "spawn→init"),
    ("open_diag", "open→diag"),
    ("hints", "hints"),
    ("hover", "hover"),
    ("edit_diag", "edit→diag"),
    ("code_diag", "code edit→diag"),
]


def servers(venv):
    """(name, command, env, initializationOptions, settings, features) for each server to measure.

    Every server publishes diagnostics; ``features`` says which of hints and hover it has."""
    out = [("shapelens", SHAPELENS, shapelens_env(), None, {"shapelens": {}}, {"hints", "hover"})]
    if venv:
        bin_dir = Path(venv) / "bin"
        python = {"pythonPath": sys.executable}
        out.append(
            (
                "basedpyright",
                [str(bin_dir / "basedpyright-langserver"), "--stdio"],
                None,
                None,
                {"python": python, "basedpyright": {}, "basedpyright.analysis": {}},
                {"hints", "hover"},
            )
        )
        out.append(
            (
                "jedi-language-server",
                [str(bin_dir / "jedi-language-server")],
                None,
                {"workspace": {"environmentPath": sys.executable}},
                {},
                {"hover"},
            )
        )
    return out


# -- the process tree -------------------------------------------------------------------------
def _stat(pid: int) -> list:
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rsplit(")", 1)[1].split()


def process_tree(pid: int) -> list:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(_stat(int(entry))[1])
            except (OSError, IndexError):
                continue
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [p for p, parent in parents.items() if parent in frontier]
        tree.extend(frontier)
    return tree


def peak_rss_mb(pid: int) -> float:
    total = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/status") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:"))
        except (OSError, StopIteration):
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    ticks = 0
    for member in process_tree(pid):
        try:
            fields = _stat(member)
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


# -- one session ------------------------------------------------------------------------------
def name_positions(text: str, limit: int) -> list:
    """Up to ``limit`` (line, character) positions inside names, spread over the file."""
    names = [
        (tok.start[0] - 1, tok.start[1] + 1)
        for tok in tokenize.generate_tokens(io.StringIO(text).readline)
        if tok.type == tokenize.NAME
    ]
    step = max(1, len(names) // limit)
    return names[::step][:limit]


def last_forward_binding(text: str) -> int:
    """The 0-based line of the file's last ``x = ...`` inside a method: where typing happens."""
    lines = text.splitlines()
    return max(i for i, line in enumerate(lines) if line.startswith(" " * 8 + "x = ") and line.rstrip().endswith(")"))


def shifted(before: list, after: list) -> bool:
    """The hints after inserting one line at the top: the same hints, one line lower.

    Labels only: tooltips may cite line numbers, which move too.
    """

    def text(label) -> str:
        return label if isinstance(label, str) else "".join(part["value"] for part in label)

    def key(hints, shift):
        return sorted((h["position"]["line"] + shift, h["position"]["character"], text(h["label"])) for h in hints)

    return key(after, 0) == key(before, 1)


def session(spec, path: Path, wall: dict, cpu: dict) -> None:
    """One fresh server on one file; appends to ``wall`` (seconds as the client sees them) and to
    ``cpu`` (the server's CPU seconds for the same work: what a machine not shared would show)."""
    name, command, env, options, settings, features = spec
    root, uri = path.parent, path.as_uri()
    text = path.read_text()
    started = time.perf_counter()
    client = StrictClient(command, cwd=str(root), env=env, settings=settings)
    try:
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": CAPABILITIES,
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "initializationOptions": options,
            },
            timeout=120,
        )
        wall["init"].append(time.perf_counter() - started)
        pid = client.process.pid
        cpu["init"].append(cpu_seconds(pid))
        client.notify("initialized", {})
        used = cpu_seconds(pid)
        sent = time.perf_counter()
        mark = client.open(uri, text)
        arrived, _ = client.diagnostics_for(uri, None, mark, timeout=300)
        wall["open_diag"].append(arrived - sent)
        cpu["open_diag"].append(cpu_seconds(pid) - used)
        lines = text.count("\n") + 1
        if "hints" in features:
            used = cpu_seconds(pid)
            for _ in range(HINT_REQUESTS):
                sent = time.perf_counter()
                client.inlay_hints(uri, lines)
                wall["hints"].append(time.perf_counter() - sent)
            cpu["hints"].append((cpu_seconds(pid) - used) / HINT_REQUESTS)
        if "hover" in features:
            positions = name_positions(text, HOVERS)
            used = cpu_seconds(pid)
            for line, character in positions:
                sent = time.perf_counter()
                client.request(
                    "textDocument/hover",
                    {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
                    120,
                )
                wall["hover"].append(time.perf_counter() - sent)
            cpu["hover"].append((cpu_seconds(pid) - used) / len(positions))
        hinting = "hints" in features
        for version in range(2, EDITS + 2):
            before = client.inlay_hints(uri, lines) if hinting else None
            timed = time_edit(
                client,
                name,
                uri,
                version,
                0,
                f"# edit {version}\n",
                lines + 1,
                hinting and (lambda after, before=before: shifted(before, after)),
            )
            lines += 1
            keep(wall, cpu, "edit", *timed)
        text = "".join(f"# edit {v}\n" for v in range(EDITS + 1, 1, -1)) + text
        after = last_forward_binding(text)
        for version in range(EDITS + 2, EDITS + CODE_EDITS + 2):
            before = client.inlay_hints(uri, lines) if hinting else None
            after += 1
            timed = time_edit(
                client,
                name,
                uri,
                version,
                after,
                f"{' ' * 8}typed_{version} = x\n",
                lines + 1,
                hinting
                and (
                    lambda hints, before=before, line=after: (
                        len(hints) == len(before) + 1 and any(h["position"]["line"] == line for h in hints)
                    )
                ),
            )
            lines += 1
            keep(wall, cpu, "code", *timed)
        wall["rss_mb"].append(peak_rss_mb(pid))
        client.shutdown()
    finally:
        client.kill()
    if client.violations:
        raise AssertionError(f"{name} wrote something other than LSP on stdout: {client.violations[0]}")


def time_edit(client, name: str, uri: str, version: int, line: int, text: str, lines: int, hints_ready) -> tuple:
    """Insert ``text`` at the start of ``line``: seconds to the diagnostics of that version, to the
    first whole-file inlayHint response that ``hints_ready`` accepts (asked at once and again on
    each workspace/inlayHint/refresh, as VS Code does; None when not asked), and the server's CPU
    seconds meanwhile."""
    pid = client.process.pid
    time.sleep(0.3)  # let anything still pending settle
    used = cpu_seconds(pid)
    sent = time.perf_counter()
    mark = client.change(
        uri,
        version,
        [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": text}],
    )
    hinted = None
    while hints_ready:
        asked = len(client.messages)
        if hints_ready(client.inlay_hints(uri, lines)):
            hinted = time.perf_counter() - sent
            break
        if not any(m.get("method") == "workspace/inlayHint/refresh" for _, m in client.messages):
            raise AssertionError(f"{name}: hints did not follow edit {version}, and no refresh will come")
        client.wait_for(lambda m: m.get("method") == "workspace/inlayHint/refresh", asked, 120)
    arrived, _ = client.diagnostics_for(uri, None, mark, timeout=300)
    return arrived - sent, hinted, cpu_seconds(pid) - used


def keep(wall: dict, cpu: dict, kind: str, diag: float, hinted, used: float) -> None:
    wall[f"{kind}_diag"].append(diag)
    cpu[f"{kind}_diag"].append(used)
    if hinted is not None:
        wall[f"{kind}_hints"].append(hinted)


def summarize(samples: dict, spread: tuple = ()) -> dict:
    """Medians; for the keys in ``spread``, p50 and p95 instead."""
    out = {}
    for key, values in samples.items():
        if not values:
            continue
        if key in spread:
            ordered = sorted(values)
            out[f"{key}_p50"] = statistics.median(ordered)
            out[f"{key}_p95"] = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        else:
            out[key] = statistics.median(values)
    return out


def cell(key: str, value) -> str:
    if value is None:
        return "—"
    if key == "rss_mb":
        return f"{value:.0f} MB"
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def table(results: dict, columns: list) -> str:
    rows = [
        "| server | file | " + " | ".join(title for _, title in columns) + " |",
        "|---|---|" + "---:|" * len(columns),
    ]
    for (server, size), stats in results.items():
        rows.append(f"| {server} | {size}x | " + " | ".join(cell(k, stats.get(k)) for k, _ in columns) + " |")
    return "\n".join(rows)


def verdicts(walls: dict, cpus: dict, spawns: tuple) -> list:
    """shapelens against each budget: on the clock (this machine, now) and in server CPU time."""

    def mark(key, value, limit):
        return "—" if value is None else f"{cell(key, value)} {'ok' if value <= limit else '**miss**'}"

    wall_init, cpu_init = (statistics.median(values) for values in spawns)
    out = [
        "| budget | limit | wall | server CPU |",
        "|---|---:|---:|---:|",
        f"| init, every spawn | {cell('init', INIT_BUDGET)} | {mark('init', wall_init, INIT_BUDGET)} | "
        f"{mark('init', cpu_init, INIT_BUDGET)} |",
    ]
    for (server, size), stats in walls.items():
        if server != "shapelens":
            continue
        for key, limits in BUDGETS.items():
            if size not in limits or key not in stats:
                continue
            cpu_key = "hover" if key.startswith("hover") else key
            cpu_value = (
                None
                if key in ("rss_mb", "hover_p95", "edit_hints", "code_hints")
                else cpus[(server, size)].get(cpu_key)
            )
            out.append(
                f"| {key} at {size}x | {cell(key, limits[size])} | {mark(key, stats[key], limits[size])} | "
                f"{mark(key, cpu_value, limits[size])} |"
            )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", help="a venv with basedpyright and jedi-language-server installed")
    parser.add_argument("--runs", type=int, default=3, help="fresh sessions per server and size")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--only", help="comma-separated server names")
    parser.add_argument("--json", help="also write the medians here")
    args = parser.parse_args(argv)
    base = MODEL.read_text()
    walls, cpus, spawns = {}, {}, ([], [])
    with tempfile.TemporaryDirectory(prefix="lsp-bench-") as work:
        specs = [s for s in servers(args.venv) if not args.only or s[0] in args.only.split(",")]
        for spec in specs:
            for size in map(int, args.sizes.split(",")):
                folder = Path(work) / f"{spec[0]}-{size}x"  # a workspace of its own: nothing else to index
                folder.mkdir()
                path = folder / f"realistic_x{size}.py"
                path.write_text("\n\n".join([base] * size))
                wall = {
                    k: []
                    for k in (
                        "init",
                        "open_diag",
                        "hints",
                        "hover",
                        "edit_diag",
                        "edit_hints",
                        "code_diag",
                        "code_hints",
                        "rss_mb",
                    )
                }
                cpu = {k: [] for k in ("init", "open_diag", "hints", "hover", "edit_diag", "code_diag")}
                for _ in range(args.runs):
                    session(spec, path, wall, cpu)
                walls[(spec[0], size)], cpus[(spec[0], size)] = summarize(wall, ("hover",)), summarize(cpu)
                if spec[0] == "shapelens":
                    spawns[0].extend(wall["init"])
                    spawns[1].extend(cpu["init"])
                progress = ", ".join(f"{k}={cell(k, v)}" for k, v in walls[(spec[0], size)].items())
                print(f"{spec[0]} {size}x: {progress}", file=sys.stderr, flush=True)
    load = os.getloadavg()
    print(
        f"{len(base.splitlines())}-line model, {args.runs} sessions per row; load average {load[0]:.1f} "
        f"on {os.cpu_count()} cores\n"
    )
    print("Wall clock, as the client saw it (medians; hover also p95):\n")
    print(table(walls, WALL_COLUMNS))
    print(
        "\nServer CPU time for the same work (process tree; medians; hints and hover per request;\n"
        "edit→diag includes the whole-file hint requests made for edit→hints):\n"
    )
    print(table(cpus, CPU_COLUMNS))
    if spawns[0]:
        print("\nshapelens against its budgets:\n")
        print("\n".join(verdicts(walls, cpus, spawns)))
    if args.json:
        Path(args.json).write_text(
            json.dumps({f"{s} {n}x": {"wall": walls[(s, n)], "cpu": cpus[(s, n)]} for (s, n) in walls}, indent=1)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
