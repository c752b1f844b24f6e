"""Validation on the meta device, from the editor: the setting, the command, the worker's life.

With ``shapelens.validation.metaDevice`` on, every new static report of an open file is followed
by a run of its models in the validation worker (:mod:`shapelens.validation`); the command
``shapelens.validate`` runs it once for one file whatever the setting. Runs happen on a thread of
their own: hints, hover and diagnostics keep being served from the static report while torch
starts or a model runs, and a run whose document changed meanwhile is dropped. Model code is the
user's code: nothing runs in a workspace the client says is not trusted.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from lsprotocol import types

from ..validation import Worker, WorkerError, validate

log = logging.getLogger(__name__)
COMMAND = "shapelens.validate"
UNTRUSTED = (
    "validation on the meta device runs the file's model code, and this workspace is not "
    "trusted; trust the workspace to use it"
)
CHANGED = "the document changed during the run; a new run follows its analysis"
STOPPED = "the server is shutting down"


class Validator:
    def __init__(self, server):
        self.server = server
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shapelens-validation")
        self.worker: Optional[Worker] = None
        self.trusted = True  # initializationOptions.workspaceTrusted; other editors have no such notion
        self.last_error = ""
        self.validated: dict = {}  # uri -> (static report, its validated report): reused when unchanged
        self.attempted: dict = {}  # uri -> the static report last run: not run again by edits elsewhere
        self.tasks: set = set()  # runs the setting started (a task nobody holds may be collected)
        self.commands: set = set()  # executeCommand requests in flight: a shutdown answers them first
        self.stopped = False
        self.progress_ids = itertools.count(1)

    # -- triggers -----------------------------------------------------------------------------
    def after_analysis(self, state) -> None:
        """A new report, before it is published: the last run's if the facts are the same, else a
        run if the setting asks for one."""
        static, validated = self.validated.get(state.uri, (None, None))
        if static is not None and state.report is static:  # re-analysed to the same facts (a cache hit)
            state.report = validated
            return
        settings = self.server.settings
        if (
            not (settings.meta_device and self.trusted and settings.enable)
            or state.report is None
            or state.report is validated
            or state.report is self.attempted.get(state.uri)
        ):
            return
        task = asyncio.get_running_loop().create_task(self.run(state.uri, quiet=True))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def command(self, uris: list) -> list:
        """The command's answer, one entry per document."""
        task = asyncio.current_task()
        self.commands.add(task)
        try:
            return [await self.run(uri) for uri in uris]
        finally:
            self.commands.discard(task)

    async def run(self, uri: str, quiet: bool = False) -> dict:
        """Validate the open document ``uri`` as it is now; the answer says what happened."""
        if self.stopped:
            return {"uri": uri, "error": STOPPED}
        if not self.trusted:
            return self._refuse(uri, UNTRUSTED, quiet)
        state = self.server.documents.get(uri)
        report = self._static(state)
        if report is None or report.syntax_error:
            return self._refuse(uri, "the file has no analysis to validate yet (or does not parse)", quiet)
        version, text = state.version, state.text
        worker = self._worker()

        def job():
            """On the validation thread, when earlier runs are done: skip what is out of date or
            was run meanwhile (a run the setting queued twice)."""
            if self.stopped or self._stale(state, version) or (quiet and self.attempted.get(uri) is report):
                return None
            self.attempted[uri] = report
            return validate(report, text, worker, self.server.roots())

        try:
            if not worker.alive:
                await self._start(worker)
            outcome = await asyncio.get_running_loop().run_in_executor(self.executor, job)
        except WorkerError as exc:
            if self.stopped:  # killed by stop()
                return {"uri": uri, "error": STOPPED}
            return self._refuse(uri, str(exc), quiet)
        except Exception as exc:  # the server never goes down on a file
            log.exception("validation failed for %s", uri)
            return self._refuse(uri, f"validation failed: {exc}", quiet)
        if self.stopped:
            return {"uri": uri, "error": STOPPED}
        if outcome is None or self._stale(state, version) or self._static(state) is not report:
            return {"uri": uri, "error": CHANGED}
        if quiet and not self.server.settings.meta_device:
            return {"uri": uri, "error": "validation was turned off during the run"}
        self.last_error = ""
        self.validated[uri] = (report, outcome.report)
        state.report = outcome.report
        state.generation += 1
        self.server.publish(state)
        return {
            "uri": uri,
            "summary": outcome.summary(),
            "confirmed": outcome.confirmed,
            "disagreements": outcome.disagreements,
            "filled": outcome.filled,
            "errors": outcome.errors,
        }

    def settings_changed(self) -> None:
        """New limits apply to the next run (and may let a failed one pass); with the setting off,
        the static facts show again."""
        settings = self.server.settings
        if self.worker is not None:
            self.worker.timeout = settings.validation_timeout
            self.worker.memory_mb = settings.validation_memory_mb
        self.attempted.clear()
        if settings.meta_device:
            return
        for uri, (static, validated) in list(self.validated.items()):
            state = self.server.documents.get(uri)
            if state is not None and state.report is validated:
                state.report = static
                state.generation += 1
        self.validated.clear()

    def forget(self, uri: str) -> None:
        self.validated.pop(uri, None)
        self.attempted.pop(uri, None)

    async def stop(self) -> None:
        """Kill the worker now, mid-run too, and let the commands in flight answer: pygls 2.1 fails
        a shutdown that has to cancel a running executeCommand (its futures dict changes while it
        iterates over it)."""
        self.stopped = True
        if self.worker is not None:
            self.worker.stop()
        if self.commands:
            await asyncio.wait(list(self.commands), timeout=5)

    # -- helpers ------------------------------------------------------------------------------
    def _static(self, state):
        """The static report behind what ``state`` shows (a run validates the static facts)."""
        if state is None:
            return None
        static, validated = self.validated.get(state.uri, (None, None))
        return static if validated is not None and state.report is validated else state.report

    def _stale(self, state, version) -> bool:
        return self.server.documents.get(state.uri) is not state or state.version != version

    def _worker(self) -> Worker:
        if self.worker is None:
            settings = self.server.settings
            self.worker = Worker(sys.executable, settings.validation_timeout, settings.validation_memory_mb)
        return self.worker

    async def _start(self, worker: Worker) -> None:
        """Start the worker (a cold ``import torch``: seconds) with progress shown for just that."""
        token = f"shapelens-validation-start-{next(self.progress_ids)}"  # tokens are not reused
        try:
            await self.server.work_done_progress.create_async(token)
            self.server.work_done_progress.begin(
                token,
                types.WorkDoneProgressBegin(
                    title="shapelens", message="starting torch for validation on the meta device"
                ),
            )
        except Exception:  # clients without progress support
            token = None
        message = "torch did not start"
        try:
            info = await asyncio.get_running_loop().run_in_executor(self.executor, worker.start)
            message = f"torch {info.get('torch', '')} ready"
        finally:
            if token:
                self.server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))

    def _refuse(self, uri: str, message: str, quiet: bool) -> dict:
        """Tell the user why (once per distinct problem when runs follow edits), and answer so."""
        log.warning("validation: %s", message)
        if message != self.last_error or not quiet:
            self.server.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=f"shapelens validation: {message}")
            )
        self.last_error = message
        return {"uri": uri, "error": message}
