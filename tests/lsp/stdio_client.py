"""A minimal LSP client over a subprocess's stdio that reads stdout as strictly as VS Code does.

pytest-lsp's client skips bytes it cannot frame, so a stray ``print()`` on the server's stdout
passes there and breaks VS Code ("Header must provide a Content-Length property"). This client
accepts only ``Content-Length: N\\r\\n`` (plus pygls's ``Content-Type`` line), a blank line and
exactly N bytes of one JSON-RPC 2.0 message, from the first byte to the last; anything else is
recorded in ``violations`` and ends reading. It is synchronous (a reader thread, a condition), so
the tests and bench/lsp_bench.py drive it without an event loop and time its events.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import sys
import time
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[2]
SHAPELENS = [sys.executable, "-m", "shapelens", "serve", "--stdio"]
# What VS Code offers for the features shapelens has (its real capabilities are a superset).
CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    "window": {"workDoneProgress": True},
    "workspace": {
        "configuration": True,
        "workspaceFolders": True,
        "didChangeConfiguration": {},
        "inlayHint": {"refreshSupport": True},
    },
    "textDocument": {
        "synchronization": {"didSave": True},
        "inlayHint": {"resolveSupport": {"properties": ["tooltip", "label.tooltip"]}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "publishDiagnostics": {
            "relatedInformation": True,
            "versionSupport": True,
            "codeDescriptionSupport": True,
            "dataSupport": True,
        },
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
    },
}


def shapelens_env() -> dict:
    """The environment for ``SHAPELENS``: this checkout's server/ first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "server"), env.get("PYTHONPATH")]))
    return env


HEADER = re.compile(rb"(Content-Length: (\d+)|Content-Type: application/vscode-jsonrpc; charset=utf-8)\r\n")
ANSWERS_NULL = (
    "window/workDoneProgress/create",
    "client/registerCapability",
    "client/unregisterCapability",
    "workspace/inlayHint/refresh",
    "workspace/diagnostic/refresh",
    "workspace/semanticTokens/refresh",
)


class ProtocolError(AssertionError):
    pass


class StrictClient:
    """Spawns ``command`` and speaks LSP to it; server requests get minimal, valid answers."""

    def __init__(
        self, command: list, cwd: Optional[str] = None, env: Optional[dict] = None, settings: Optional[dict] = None
    ):
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env
        )
        self.settings = settings or {}  # section -> value, for workspace/configuration
        self.violations: list = []
        self.messages: list = []  # (perf_counter time, message) of everything received
        self.stderr = bytearray()
        self.closed = False  # stdout reached EOF (or a violation stopped reading)
        self._responses: dict = {}
        self._next_id = 0
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True, name="lsp-reader").start()
        threading.Thread(target=self._drain_stderr, daemon=True, name="lsp-stderr").start()

    # -- sending ----------------------------------------------------------------------------
    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        with self._write_lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def notify(self, method: str, params=None) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(self, method: str, params=None) -> int:
        with self._cond:
            self._next_id += 1
            msg_id = self._next_id
        self._send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return msg_id

    def result(self, msg_id: int, timeout: float = 30.0):
        """The result of request ``msg_id``; a JSON-RPC error raises ProtocolError."""
        with self._cond:
            self._wait(lambda: msg_id in self._responses, timeout, f"response {msg_id}")
            response = self._responses.pop(msg_id)
        if "error" in response:
            raise ProtocolError(f"error response: {response['error']}")
        return response.get("result")

    def request(self, method: str, params=None, timeout: float = 30.0):
        return self.result(self.send_request(method, params), timeout)

    # -- receiving --------------------------------------------------------------------------
    def wait_for(
        self, predicate: Callable[[dict], bool], start: int = 0, timeout: float = 30.0, what: str = "notification"
    ) -> tuple:
        """The first (time, message) received at index >= ``start`` that satisfies ``predicate``."""
        found = []

        def ready():
            for entry in self.messages[start:]:
                if predicate(entry[1]):
                    found.append(entry)
                    return True
            return False

        with self._cond:
            self._wait(ready, timeout, what)
        return found[0]

    def diagnostics_for(self, uri: str, version=None, start: int = 0, timeout: float = 30.0) -> tuple:
        """The next publishDiagnostics for ``uri`` (with ``version``, if given) after index ``start``."""

        def match(m):
            if m.get("method") != "textDocument/publishDiagnostics" or m["params"]["uri"] != uri:
                return False
            return version is None or m["params"].get("version") == version

        return self.wait_for(match, start, timeout, f"diagnostics for {uri} v{version}")

    def _wait(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if self.violations:
                raise ProtocolError(f"stdout is not pure LSP: {self.violations[0]}")
            if self.closed:
                raise ProtocolError(
                    f"server closed stdout while waiting for {what} "
                    f"(exit {self.process.poll()}); stderr tail:\n{self.stderr_tail()}"
                )
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {what} within {timeout} s; stderr tail:\n{self.stderr_tail()}")
            self._cond.wait(min(left, 0.5))

    def _read(self) -> None:
        stream = self.process.stdout
        try:
            while True:
                message = self._read_frame(stream)
                if message is None:
                    break
                self._receive(message)
        except ProtocolError as exc:
            with self._cond:
                self.violations.append(str(exc))
        finally:
            with self._cond:
                self.closed = True
                self._cond.notify_all()

    def _read_frame(self, stream) -> Optional[dict]:
        length = None
        first = True
        while True:
            line = stream.readline()
            if not line:
                if first:
                    return None  # clean EOF between frames
                raise ProtocolError("EOF inside a header")
            first = False
            if line == b"\r\n":
                break
            match = HEADER.fullmatch(line)
            if match is None:
                raise ProtocolError(f"not a header line: {line[:200]!r}")
            if match.group(2) is not None:
                length = int(match.group(2))
        if length is None:
            raise ProtocolError("Header must provide a Content-Length property")
        body = stream.read(length)
        if len(body) != length:
            raise ProtocolError(f"EOF inside a body ({len(body)} of {length} bytes)")
        try:
            message = json.loads(body.decode("utf-8"))
        except ValueError as exc:
            raise ProtocolError(f"body is not JSON ({exc}): {body[:200]!r}") from None
        check_message(message)
        return message

    def _receive(self, message: dict) -> None:
        now = time.perf_counter()
        if "method" in message and "id" in message:
            self._answer(message)
        with self._cond:
            self.messages.append((now, message))
            if "method" not in message:
                self._responses[message["id"]] = message
            self._cond.notify_all()

    def _answer(self, request: dict) -> None:
        method = request["method"]
        if method == "workspace/configuration":
            items = request["params"]["items"]
            result = [self.settings.get(item.get("section") or "", None) for item in items]
            self._send({"jsonrpc": "2.0", "id": request["id"], "result": result})
        elif method in ANSWERS_NULL:
            self._send({"jsonrpc": "2.0", "id": request["id"], "result": None})
        else:
            self._send(
                {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": f"unhandled: {method}"}}
            )

    def _drain_stderr(self) -> None:
        for chunk in iter(lambda: self.process.stderr.read1(65536), b""):
            self.stderr.extend(chunk)

    def stderr_tail(self, lines: int = 30) -> str:
        return "\n".join(bytes(self.stderr).decode("utf-8", "replace").splitlines()[-lines:])

    # -- session ----------------------------------------------------------------------------
    def initialize(self, root: Path, capabilities: dict, timeout: float = 60.0) -> dict:
        result = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": capabilities,
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            },
            timeout,
        )
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1) -> int:
        """didOpen; returns the message index to wait from."""
        start = len(self.messages)
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}},
        )
        return start

    def change(self, uri: str, version: int, changes: list) -> int:
        start = len(self.messages)
        self.notify(
            "textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}
        )
        return start

    def inlay_hints(self, uri: str, last_line: int, timeout: float = 30.0) -> list:
        return (
            self.request(
                "textDocument/inlayHint",
                {
                    "textDocument": {"uri": uri},
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": last_line, "character": 0}},
                },
                timeout,
            )
            or []
        )

    def shutdown(self, timeout: float = 30.0) -> int:
        """shutdown, exit, and the process's exit code."""
        self.request("shutdown", None, timeout)
        self.notify("exit", None)
        try:
            return self.process.wait(timeout)
        finally:
            self.kill()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                stream.close()
            except (OSError, ValueError):
                pass


def check_message(message) -> None:
    """One JSON-RPC 2.0 request, notification or response, as vscode-jsonrpc expects it."""
    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
        raise ProtocolError(f"not a JSON-RPC 2.0 message: {str(message)[:200]}")
    if "method" in message:
        if not isinstance(message["method"], str):
            raise ProtocolError(f"method is not a string: {str(message)[:200]}")
        return
    if "id" not in message or ("result" in message) == ("error" in message):
        raise ProtocolError(f"malformed response: {str(message)[:200]}")
    if "error" in message and not isinstance(message["error"].get("code"), int):
        raise ProtocolError(f"malformed error: {str(message)[:200]}")
