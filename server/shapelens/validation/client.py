"""The validation worker seen from the server or the CLI: started lazily, kept warm, restarted
when it dies, killed when a run takes too long or uses too much memory.

The worker is ``worker.py`` run by path in the user's interpreter; this side never imports torch.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from typing import Optional

log = logging.getLogger(__name__)
WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker.py")
START_TIMEOUT = 180.0  # a cold `import torch` on a loaded machine
POLL = 0.05


class WorkerError(Exception):
    """The run did not produce an answer; the message says why, for the user."""


class Worker:
    def __init__(self, python: Optional[str] = None, timeout: float = 20.0, memory_mb: int = 4096):
        self.python = python or sys.executable
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.process: Optional[subprocess.Popen] = None
        self.lines: "queue.Queue[Optional[str]]" = queue.Queue()
        self.info: dict = {}
        self.lock = threading.Lock()  # one run at a time
        self.next_id = 0

    # -- lifecycle ----------------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> dict:
        """Start the worker if it is not running and wait until torch is imported."""
        with self.lock:
            return self._ensure_started()

    def _ensure_started(self) -> dict:
        if self.alive:
            return self.info
        self._spawn()
        ready = self._read(
            time.monotonic() + START_TIMEOUT, START_TIMEOUT, "starting the validation worker (import torch)"
        )
        if not ready.get("ready"):
            self._kill()
            raise WorkerError(ready.get("error") or "the validation worker could not start")
        self.info = ready
        return ready

    def _spawn(self) -> None:
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)  # the server's own libraries must not shadow the user's
        env["PYTHONUNBUFFERED"] = "1"
        try:
            self.process = subprocess.Popen(
                [self.python, WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
            )
        except OSError as exc:
            raise WorkerError(f"cannot start {self.python}: {exc}") from exc
        self.lines = queue.Queue()
        threading.Thread(
            target=_pump, args=(self.process.stdout, self.lines), daemon=True, name="shapelens-validation-out"
        ).start()
        threading.Thread(
            target=_drain_stderr, args=(self.process.stderr,), daemon=True, name="shapelens-validation-err"
        ).start()

    def stop(self) -> None:
        """Kill the worker now, even in the middle of a run (which then raises WorkerError)."""
        self._kill()

    def _kill(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            try:
                process.kill()
                process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass

    # -- runs ---------------------------------------------------------------------------------
    def run(self, request: dict, timeout: Optional[float] = None) -> dict:
        """Send one request and wait for its answer; raise WorkerError when there is none."""
        with self.lock:
            self._ensure_started()
            self.next_id += 1
            request = dict(request, id=self.next_id)
            try:
                self.process.stdin.write(json.dumps(request) + "\n")
                self.process.stdin.flush()
            except OSError as exc:
                self._kill()
                raise WorkerError(f"the validation worker ended ({exc})") from exc
            limit = timeout if timeout is not None else self.timeout
            deadline = time.monotonic() + limit  # for the answer, whatever stale lines come first
            while True:
                answer = self._read(deadline, limit, "the run")
                if answer.get("id") == self.next_id:
                    return answer

    def _read(self, deadline: float, limit: float, what: str) -> dict:
        while True:
            try:
                line = self.lines.get(timeout=POLL)
            except queue.Empty:
                line = ""
            if line is None:
                code = self.process.poll() if self.process else None
                self._kill()
                raise WorkerError(f"the validation worker ended during {what} (exit code {code})")
            if line:
                try:
                    return json.loads(line)
                except ValueError:
                    log.warning("validation worker: not JSON: %r", line[:200])
                    continue
            if time.monotonic() > deadline:
                self._kill()
                raise WorkerError(
                    f"stopped after {limit:g} s: {what} took too long (setting shapelens.validation.timeout)"
                )
            rss = _rss_mb(self.process.pid) if self.process else 0
            if rss > self.memory_mb:
                self._kill()
                raise WorkerError(
                    f"stopped: {what} used {rss:.0f} MB, over the "
                    f"{self.memory_mb} MB limit (setting shapelens.validation.memoryLimitMB)"
                )


def _pump(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)  # end of stream: the process is gone


def _drain_stderr(stream) -> None:
    """What the user's code prints, and the worker's own tracebacks, go to the log."""
    for line in stream:
        log.info("validation worker: %s", line.rstrip())


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0
