"""bench/realcode/realcode.py end to end on hand-made data: a bare git repository made here, a
tiny model file and its driver; no network, no fetched mirror."""

import importlib.util
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("realcode", ROOT / "bench" / "realcode" / "realcode.py")
realcode = importlib.util.module_from_spec(spec)
spec.loader.exec_module(realcode)

NET = """import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        self.fc1 = nn.Linear(16, width)
        self.fc2 = nn.Linear(width, 4)

    def forward(self, x):
        h = self.fc1(x)
        h = torch.relu(h)
        out = self.fc2(h)
        both = torch.cat([out, out], dim=1)
        return both


if __name__ == "__main__":
    y = Net()(torch.randn(3, 16))
"""
DRIVER = """import torch
from pkg.net import Net

torch.manual_seed(0)
y = Net()(torch.randn(3, 16))
"""
GIT_ENV = dict(
    os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t"
)


def git(*args, cwd=None):
    return subprocess.run(
        ["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True, text=True
    ).stdout.strip()


def make_repo(tmp_path):
    """mirrors/me+tiny/repo: a bare repository whose one commit holds pkg/net.py."""
    bare = tmp_path / "mirrors" / "me+tiny" / "repo"
    git("init", "-q", "--bare", str(bare))
    work = tmp_path / "work"
    (work / "pkg").mkdir(parents=True)
    (work / "pkg" / "__init__.py").write_text("")
    (work / "pkg" / "net.py").write_text(NET)
    git("init", "-q", str(work))
    git("add", ".", cwd=work)
    git("commit", "-qm", "tiny", cwd=work)
    git("push", "-q", str(bare), "HEAD:refs/heads/main", cwd=work)
    commit = git("rev-parse", "HEAD", cwd=work)
    blob = lambda p: git(f"--git-dir={bare}", "rev-parse", f"{commit}:{p}")  # noqa: E731
    return commit, blob("pkg/net.py"), blob("pkg/__init__.py")


def test_materialise_trace_score_and_mutants(tmp_path):
    commit, net_blob, init_blob = make_repo(tmp_path)
    manifests, drivers = tmp_path / "manifest", tmp_path / "drivers"
    manifests.mkdir()
    drivers.mkdir()
    (drivers / "tiny_net.py").write_text(DRIVER)
    model = {
        "id": "tiny_net",
        "path": "pkg/net.py",
        "blob": net_blob,
        "kind": "other",
        "driver": "tiny_net.py",
        "support": [{"path": "pkg/__init__.py", "blob": init_blob}],
    }
    stale = dict(model, id="tiny_stale", blob=init_blob)  # the wrong blob for its path
    (manifests / "me__tiny.json").write_text(
        json.dumps(
            {"repo": "me/tiny", "commit": commit, "split": realcode.split_of("me/tiny"), "models": [model, stale]}
        )
    )
    (manifests / "me__gone.json").write_text(
        json.dumps({"repo": "me/gone", "commit": commit, "split": "heldout", "models": [dict(model, id="gone_net")]})
    )
    out, result_file = tmp_path / "out", tmp_path / "results.json"
    realcode.main(
        [
            "--mirrors",
            str(tmp_path / "mirrors"),
            "--manifests",
            str(manifests),
            "--drivers",
            str(drivers),
            "--out",
            str(out),
            "--json",
            str(result_file),
            "--mutants-per-file",
            "2",
        ]
    )
    results = json.loads(result_file.read_text())
    by_id = {m["id"]: m for m in results["models"]}

    # materialised: the model and support at their paths, the driver at the root; alone: no driver
    assert (out / "tiny_net" / "pkg" / "net.py").read_text() == NET
    assert (out / "tiny_net" / "drive_tiny_net.py").read_text() == DRIVER
    assert (out / "tiny_net.alone" / "pkg" / "net.py").exists()
    assert not (out / "tiny_net.alone" / "drive_tiny_net.py").exists()
    assert by_id["tiny_stale"]["status"] == "bad-entry" and "manifest says" in by_id["tiny_stale"]["problem"]
    assert by_id["gone_net"]["status"] == "no-mirror"

    # traced: every tensor binding of forward, once per site, with torch's shapes and its function
    tiny = by_id["tiny_net"]
    assert tiny["status"] == "ok"
    bindings = {(b["line"], b["name"]): b for b in tiny["bindings"]}
    assert {site: b["torch"] for site, b in bindings.items()} == {  # not line 20: __main__ does not run
        (12, "h"): [[3, 8]],
        (13, "h"): [[3, 8]],
        (14, "out"): [[3, 4]],
        (15, "both"): [[3, 8]],
    }
    assert bindings[(12, "h")]["function"] == "Net.forward"
    # the file's own __main__ call gives the analyzer the driver's sizes: all correct
    assert all(bindings[(line, name)]["verdict"] == "correct" for line, name in [(12, "h"), (14, "out"), (15, "both")])
    assert results["splits"][realcode.split_of("me/tiny")]["correct"] >= 4

    # mutants: from the syntax tree, applied, run; a crash is located in the model file
    picked = realcode.pick_mutants(NET, 2)
    assert [(m["line"], m["new"]) for m in tiny["mutants"]] == [(c[0], c[4]) for c in picked]
    assert (out / "tiny_net" / "pkg" / "net.py").read_text() == NET  # restored
    assert [(m["line"], m["old"], m["new"], m["crash_line"]) for m in tiny["mutants"]] == [
        (8, "16", "17", 12),
        (15, "1", "2", 15),
    ]  # nn.Linear(17, width) fails at the call, cat's dim at the cat
    assert tiny["mutants"][0]["flagged_error"] is True  # an in-features mismatch shapelens knows
    summary = results["splits"][realcode.split_of("me/tiny")]
    assert (
        summary["mutants_crashing"] == 2 and summary["mutants_flagged_error"] == tiny["mutants"][1]["flagged_error"] + 1
    )


def test_mutant_candidates_come_from_the_syntax_tree():
    found = {(c[0], c[3], c[4], c[5]) for c in realcode.mutant_candidates(NET)}
    assert (8, "16", "17", "size") in found
    assert (8, "width", "(width) + 1", "layer-arg") in found
    assert (15, "1", "2", "dim") in found
    mutated = realcode.apply_mutant(NET, next(c for c in realcode.mutant_candidates(NET) if c[0] == 8 and c[3] == "16"))
    assert "nn.Linear(17, width)" in mutated and mutated.count("\n") == NET.count("\n")
    assert realcode.pick_mutants(NET, 2) == realcode.pick_mutants(NET, 2)
    assert len(realcode.pick_mutants(NET, 2)) == 2
    assert len({c[0] for c in realcode.pick_mutants(NET, 10)}) == len(realcode.pick_mutants(NET, 10))  # one a line


def test_a_symbol_must_stand_for_one_size_within_a_call():
    static = {(1, "x"): ["B", 16], (2, "h"): ["B", "W"], (3, "y"): ["B", "2*W"], (4, "z"): [4, "W"], (5, "t"): None}
    call = [[1, "x", [3, 16]], [2, "h", [3, 8]], [3, "y", [3, 16]], [4, "z", [3, 8]], [5, "t", [1]]]
    wrong = realcode.judge_invocation(call, static)
    assert set(wrong) == {(4, "z")} and "dim 0" in wrong[(4, "z")]
    call = [[1, "x", [3, 16]], [2, "h", [5, 8]], [3, "y", [3, 17]]]
    wrong = realcode.judge_invocation(call, static)
    assert set(wrong) == {(2, "h"), (3, "y")}  # B is 3 by the majority; 2*W is not 16
    assert realcode.judge_invocation([[2, "h", [3, 8, 1]]], static) == {
        (2, "h"): "rank: static ['B', 'W'], torch [3, 8, 1]"
    }
    # the call's parameters name the sizes first: B is what the input had, whatever the majority
    static[(0, "inp")] = ["B", 16]
    call = [[1, "x", [5, 16]], [2, "h", [5, 8]], [4, "z", [4, 8]]]
    assert set(realcode.judge_invocation(call, static, [[0, "inp", [4, 16]]])) == {(1, "x"), (2, "h")}
    # another call may give B another size
    assert realcode.judge_invocation([[1, "x", [7, 16]], [2, "h", [7, 8]]], static) == {}


def test_scores_with_the_driver_and_alone():
    runtime = {
        "sites": [[1, "x", [[3, 16], [5, 16]]], [2, "h", [[3, 8], [5, 8]]], [3, "t", [[2]]]],
        "invocations": [
            {"func": "f", "first_line": 1, "count": 1, "bindings": [[1, "x", [3, 16]], [2, "h", [3, 8]]]},
            {"func": "f", "first_line": 1, "count": 1, "bindings": [[1, "x", [5, 16]], [2, "h", [5, 8]]]},
            {"func": "g", "first_line": 3, "count": 1, "bindings": [[3, "t", [2]]]},
        ],
    }
    driver = {(1, "x"): ["B", 16], (2, "h"): [3, 8]}
    alone = {(1, "x"): ["B", 16], (2, "h"): [4, 8], (3, "t"): [2, 1]}
    records = {(r["line"], r["name"]): r for r in realcode.score_model(runtime, driver, alone, ["a", "b", "c"])}
    assert [records[s]["verdict"] for s in [(1, "x"), (2, "h"), (3, "t")]] == ["correct", "wrong", "unknown"]
    assert records[(2, "h")]["fits_some_call"] is True  # [3, 8] is right for the first call only
    assert [records[s]["alone_verdict"] for s in [(1, "x"), (2, "h"), (3, "t")]] == [
        "shaped",
        "contradicts",
        "contradicts",
    ]
    alone[(2, "h")] = [5, 8]  # one of the sizes torch saw there: not a contradiction alone
    records = {(r["line"], r["name"]): r for r in realcode.score_model(runtime, driver, alone, ["a", "b", "c"])}
    assert records[(2, "h")]["alone_verdict"] == "shaped"
