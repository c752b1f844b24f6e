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
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from lsprotocol import types

from ..validation import Worker, WorkerError, validate

log = logging.getLogger(__name__)
COMMAND = "shapelens.validate"
UNTRUSTED = ("validation on the meta device runs the file's model code, and this workspace is not "
             "trusted; trust the workspace to use it")


class Validator:
    def __init__(self, server):
        self.server = server
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shapelens-validation")
        self.worker: Optional[Worker] = None
        self.trusted = True  # initializationOptions.workspaceTrusted; other editors have no such notion
        self.last_error = ""
        self.validated: dict = {}  # uri -> (static report, its validated report): reused when unchanged

    # -- triggers -----------------------------------------------------------------------------
    def after_analysis(self, state) -> None:
        """A new static report: validate it if the setting asks for it."""
        if not (self.server.settings.meta_device and self.trusted and self.server.settings.enable):
            return
        static, validated = self.validated.get(state.uri, (None, None))
        if state.report is static:  # re-analysed to the same facts (a cache hit): same run
            state.report = validated
            state.generation += 1
            self.server.publish(state)
            return
        asyncio.get_running_loop().create_task(self.run(state.uri, quiet=True))

    async def run(self, uri: str, quiet: bool = False) -> dict:
        """Validate the open document ``uri`` as it is now; the answer says what happened."""
        if not self.trusted:
            return self._refuse(uri, UNTRUSTED, quiet)
        state = self.server.documents.get(uri)
        report = state.report if state is not None else None
        if report is None or report.syntax_error:
            return self._refuse(uri, "the file has no analysis to validate yet (or does not parse)", quiet)
        static = self.validated.get(uri, (None, None))
        if report is static[1]:
            report = static[0]  # validate the static facts again, not the last run's
        version, text = state.version, state.text
        loop = asyncio.get_running_loop()
        worker = self._worker()
        progress = None if worker.alive else await self._begin_progress()
        try:
            outcome = await loop.run_in_executor(self.executor, validate, report, text, worker,
                                                 self.server.roots())
        except WorkerError as exc:
            return self._refuse(uri, str(exc), quiet)
        except Exception as exc:  # the server never goes down on a file
            log.exception("validation failed for %s", uri)
            return self._refuse(uri, f"validation failed: {exc}", quiet)
        finally:
            if progress:
                self.server.work_done_progress.end(progress, types.WorkDoneProgressEnd(message="torch ready"))
        self.last_error = ""
        if self.server.documents.get(uri) is not state or state.version != version \
                or not any(state.report is shown for shown in (report, static[1])):
            return {"uri": uri, "error": "the document changed during the run; a new run follows its analysis"}
        self.validated[uri] = (report, outcome.report)
        state.report = outcome.report
        state.generation += 1
        self.server.publish(state)
        return {"uri": uri, "summary": outcome.summary(), "confirmed": outcome.confirmed,
                "disagreements": outcome.disagreements, "filled": outcome.filled, "errors": outcome.errors}

    def settings_changed(self) -> None:
        """New limits apply to the next run; with the setting off, the static facts show again."""
        settings = self.server.settings
        if self.worker is not None:
            self.worker.timeout = settings.validation_timeout
            self.worker.memory_mb = settings.validation_memory_mb
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

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()

    # -- helpers ------------------------------------------------------------------------------
    def _worker(self) -> Worker:
        if self.worker is None:
            settings = self.server.settings
            self.worker = Worker(sys.executable, settings.validation_timeout, settings.validation_memory_mb)
        return self.worker

    async def _begin_progress(self) -> Optional[str]:
        token = "shapelens-validation-start"
        try:
            await self.server.work_done_progress.create_async(token)
            self.server.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                title="shapelens", message="starting torch for validation on the meta device"))
        except Exception:  # clients without progress support
            return None
        return token

    def _refuse(self, uri: str, message: str, quiet: bool) -> dict:
        """Tell the user why (once per distinct problem when runs follow edits), and answer so."""
        log.warning("validation: %s", message)
        if message != self.last_error or not quiet:
            self.server.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Warning, message=f"shapelens validation: {message}"))
        self.last_error = message
        return {"uri": uri, "error": message}
