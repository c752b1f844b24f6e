"""The server's stdout is the protocol and nothing else, checked byte by byte as VS Code reads it.

Started the way vscode-languageclient starts it (``--stdio --clientProcessId=N`` appended), fed
files whose module-level code prints and that stop parsing halfway through an edit.
"""

import os
import sys

from stdio_client import CAPABILITIES, ROOT, SHAPELENS, StrictClient, shapelens_env

NOISY = """import sys

import torch
import torch.nn as nn

print("loading the model")
print("to stderr", file=sys.stderr)
sys.stdout.write("raw write\\n")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        print("forward", x.shape)
        return self.fc(x)


net = Net()
out = net(torch.randn(2, 16))
print(out)
"""
BROKEN = NOISY.replace("out = net(torch.randn(2, 16))", "out = net(torch.randn(2, 16)\nprint(")


def start(tmp_path) -> StrictClient:
    client = StrictClient(
        [*SHAPELENS, f"--clientProcessId={os.getpid()}"],
        cwd=str(tmp_path),
        env=shapelens_env(),
        settings={"shapelens": {"diagnostics": {"syntaxErrors": True}}},
    )
    client.initialize(tmp_path, CAPABILITIES)
    return client


def test_stdout_carries_only_framed_json_rpc(tmp_path):
    client = start(tmp_path)
    try:
        (tmp_path / "noisy.py").write_text(NOISY)
        uri = (tmp_path / "noisy.py").as_uri()
        start_at = client.open(uri, NOISY)
        _, published = client.diagnostics_for(uri, 1, start_at)
        assert [d["code"] for d in published["params"]["diagnostics"]] == ["linear-in-features"]
        assert client.inlay_hints(uri, 30)
        hover = client.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 15, "character": 22}}
        )
        assert "[2, 16]" in hover["contents"]["value"]
        start_at = client.change(uri, 2, [{"text": BROKEN}])
        _, published = client.diagnostics_for(uri, 2, start_at)
        assert "syntax-error" in [d["code"] for d in published["params"]["diagnostics"]]
        # Open straight away with a syntax error and prints: nothing was ever good here.
        (tmp_path / "broken.py").write_text(BROKEN)
        other = (tmp_path / "broken.py").as_uri()
        client.diagnostics_for(other, 1, client.open(other, BROKEN))
        client.inlay_hints(other, 30)
        client.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 30, "character": 0}},
                "context": {"diagnostics": published["params"]["diagnostics"]},
            },
        )
        client.notify("workspace/didChangeConfiguration", {"settings": None})
        mark = len(client.messages)
        client.notify("textDocument/didClose", {"textDocument": {"uri": other}})
        _, cleared = client.diagnostics_for(other, None, mark)
        assert cleared["params"]["diagnostics"] == []
        assert client.shutdown() == 0
    finally:
        client.kill()
    assert client.closed and not client.violations  # read up to a clean EOF


def test_strict_client_rejects_a_stray_print(tmp_path):
    """The check itself: a server that prints one line before answering is caught."""
    script = (
        "import sys; print('hello'); sys.stdout.flush(); "
        "sys.argv[1:] = ['serve', '--stdio']; from shapelens.cli import main; main()"
    )
    client = StrictClient([sys.executable, "-c", script], cwd=str(ROOT), env=shapelens_env())
    try:
        try:
            client.initialize(tmp_path, CAPABILITIES, timeout=60)
        except AssertionError:
            pass
        assert client.violations and "not a header line: b'hello\\n'" in client.violations[0]
    finally:
        client.kill()


def test_exit_codes_follow_the_protocol(tmp_path):
    """0 after shutdown then exit; 1 for an exit without shutdown (the LSP spec's rule)."""
    client = start(tmp_path)
    assert client.shutdown() == 0
    client = start(tmp_path)
    try:
        client.notify("exit", None)
        assert client.process.wait(30) == 1
    finally:
        client.kill()
