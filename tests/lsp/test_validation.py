"""Validation on the meta device over stdio: the command, the setting, trust, timeouts, shutdown.

Real torch runs in the server's worker; the first run of each server imports it (seconds on a
loaded machine), hence the generous timeouts.
"""

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest
from helpers import hints, label, open_file, wait_for_publish
from lsprotocol import types

MODELS = Path(__file__).resolve().parents[1] / "corpus" / "models"
FIRST_RUN = 60.0  # import torch in the worker, then run
CONFIRMED = "confirmed by a run on the meta device"

BESSEL = """\
import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        y = torch.special.bessel_j0(x)
        z = self.fc(y)
        return z


if __name__ == "__main__":
    model = Head()
    out = model(torch.randn(4, 16))
"""

SLOW = """\
import time

import torch
import torch.nn as nn


class Slow(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        time.sleep(60)
        return self.fc(x)


if __name__ == "__main__":
    out = Slow()(torch.randn(2, 8))
"""


async def validate(client, uri: str, timeout: float = FIRST_RUN) -> dict:
    [answer] = await asyncio.wait_for(
        client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="shapelens.validate", arguments=[uri])
        ),
        timeout,
    )
    return answer


async def set_validation(client, **validation):
    """Change ``shapelens.validation`` as an editor does: new settings, then a pull."""
    since = len(client.published)
    client.set_configuration({"shapelens": {"validation": validation}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    return since


async def until(condition, timeout: float, what: str):
    """Poll ``condition`` (the server's notifications arrive meanwhile) until it is truthy."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.05)
    return result


async def hover_text(client, uri: str, line: int, character: int) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character))
    )
    return result.contents.value if result is not None else ""


async def tooltips(client, uri: str) -> list:
    """Every hint's tooltip, resolved as VS Code does when the pointer rests on it."""
    out = []
    for hint in await hints(client, uri):
        resolved = await client.inlay_hint_resolve_async(hint)
        tooltip = resolved.label[0].tooltip
        out.append(tooltip.value if isinstance(tooltip, types.MarkupContent) else tooltip or "")
    return out


def workers(server_pid: int) -> list:
    """Pids of the running (not zombie) validation workers the server started."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == server_pid and state != "Z" and b"worker.py" in command:
            found.append(int(entry))
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.asyncio
async def test_command_confirms_hints_in_tooltip_and_hover(client):
    uri = await open_file(client, "lenet.py", (MODELS / "lenet.py").read_text())
    started = time.monotonic()
    answer = await validate(client, uri)
    print(f"first validation (cold worker): {time.monotonic() - started:.1f} s")
    assert "error" not in answer, answer
    assert answer["confirmed"] > 0 and answer["disagreements"] == 0 and answer["errors"] == 0
    assert "confirmed" in answer["summary"]
    began = [
        r
        for reports in client.progress_reports.values()
        for r in reports
        if isinstance(r, types.WorkDoneProgressBegin) and "torch" in (r.message or "")
    ]
    assert began  # the cold start was shown
    assert not [d for d in client.diagnostics[uri] if str(d.code).startswith("runtime-")]
    shown = await tooltips(client, uri)
    assert sum(CONFIRMED in t for t in shown) == answer["confirmed"]
    assert CONFIRMED in await hover_text(client, uri, 17, 8)  # x = torch.flatten(x, 1)
    started = time.monotonic()
    again = await validate(client, uri, timeout=20)
    print(f"warm re-validation: {time.monotonic() - started:.2f} s")
    assert again["confirmed"] == answer["confirmed"]


@pytest.mark.asyncio
async def test_untrusted_workspace_refuses_and_never_runs(untrusted_client):
    client = untrusted_client
    uri = await open_file(client, "lenet.py", (MODELS / "lenet.py").read_text())
    answer = await validate(client, uri, timeout=20)
    assert "not trusted" in answer["error"]
    assert any("not trusted" in m.message and m.type == types.MessageType.Warning for m in client.messages)
    since = await set_validation(client, metaDevice=True)
    await wait_for_publish(client, uri, since)
    await asyncio.sleep(3)  # a run would start its worker by now
    assert not workers(client._server.pid)
    codes = {d.code for p in client.published[since:] if p.uri == uri for d in p.diagnostics}
    assert not codes & {"not-validated", "runtime-error", "runtime-shape-mismatch"}
    assert not any(CONFIRMED in t for t in await tooltips(client, uri))


@pytest.mark.asyncio
async def test_setting_on_reports_runtime_error_and_fills_lost_shape(client):
    await set_validation(client, metaDevice=True)
    uri = await open_file(client, "bessel.py", BESSEL)

    def runtime_errors():
        return [d for d in client.diagnostics.get(uri, []) if d.code == "runtime-error"]

    [error] = await until(runtime_errors, FIRST_RUN, "the runtime-error diagnostic")
    assert error.severity == types.DiagnosticSeverity.Error  # concrete inputs: certain
    assert error.range.start.line == 11  # z = self.fc(y): the line that raised
    # torch's message on the meta device (on the CPU: "mat1 and mat2 shapes cannot be multiplied")
    assert "[4, 16] X [32, 10]" in error.message or "mat1 and mat2 shapes cannot be multiplied" in error.message
    assert "RuntimeError" in error.message and "meta device" in error.message
    assert (10, ": [4, 16] (run)") in {(h.position.line, label(h)) for h in await hints(client, uri)}
    assert "from a run on the meta device" in await hover_text(client, uri, 10, 8)


@pytest.mark.asyncio
async def test_timeout_stops_a_hanging_model_and_the_server_stays_responsive(client):
    await set_validation(client, metaDevice=True, timeout=3)
    uri = await open_file(client, "slow.py", SLOW)

    def ready():  # the worker has imported torch: the model's run starts
        return [
            r
            for reports in client.progress_reports.values()
            for r in reports
            if isinstance(r, types.WorkDoneProgressEnd) and "torch" in (r.message or "") and "ready" in r.message
        ]

    def timed_out():
        return [m for m in client.messages if "timeout" in m.message]

    await until(ready, FIRST_RUN, "the worker to start")
    latencies = []
    while not timed_out():
        started = time.monotonic()
        assert "[B, 8]" in await asyncio.wait_for(
            hover_text(client, uri, 11, 22), 10
        )  # def forward(self, x): the __main__ demo is one context, its batch a symbol
        latencies.append(time.monotonic() - started)
        await asyncio.sleep(0.2)
        assert len(latencies) < 300, "no timeout message"
    print(f"{len(latencies)} hovers during the run: max {max(latencies) * 1000:.0f} ms")
    assert len(latencies) >= 3 and max(latencies) < 5
    [message] = timed_out()
    assert message.type == types.MessageType.Warning and "3 s" in message.message
    other = await open_file(client, "lenet.py", (MODELS / "lenet.py").read_text())
    answer = await validate(client, other)  # a new worker: the old one was killed
    assert "error" not in answer and answer["confirmed"] > 0


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="needs the server to run in a virtual environment")
@pytest.mark.asyncio
async def test_workspace_that_holds_the_virtual_environment(client):
    """The usual layout: the project's .venv inside the workspace folder."""
    project = Path(sys.prefix).parent
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=project.as_uri(), name="project")], removed=[]
            )
        )
    )
    uri = await open_file(client, "lenet.py", (MODELS / "lenet.py").read_text())
    answer = await validate(client, uri)
    assert "error" not in answer, answer
    assert answer["confirmed"] > 0


@pytest.mark.asyncio
async def test_shutdown_ends_the_worker_even_mid_run(client):
    uri = await open_file(client, "lenet.py", (MODELS / "lenet.py").read_text())
    assert "error" not in await validate(client, uri)
    [worker] = workers(client._server.pid)  # warm, idle
    slow = await open_file(client, "slow.py", SLOW)
    running_run = asyncio.ensure_future(validate(client, slow))  # sleeps far longer than the test
    await asyncio.sleep(1.5)
    assert not running_run.done() and running(worker)
    started = time.monotonic()
    await asyncio.wait_for(client.shutdown_session(), 10)
    print(f"shutdown mid-run: {time.monotonic() - started:.2f} s")
    assert client._server.returncode == 0
    await until(lambda: not running(worker), 5, "the worker to end")
    assert running_run.done() and "shutting down" in running_run.result()["error"]  # answered, not dropped
