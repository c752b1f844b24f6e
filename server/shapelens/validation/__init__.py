"""Validation on torch's meta device: run the file's models without data and compare.

:mod:`.samples` picks input sizes for the models the analysis found runnable
(:mod:`shapelens.analysis.model_runs`), :mod:`.client` sends them to :mod:`.worker` (a process in
the user's interpreter, the only place torch is imported), :mod:`.merge` folds the answer into
the file's report. ``validate`` is the one entry the CLI and the language server use.
"""

from __future__ import annotations

from .client import Worker, WorkerError
from .merge import Outcome, merge
from .samples import request_models


def validate(report, text: str, worker: Worker, roots=()) -> Outcome:
    """Run ``report``'s models in ``worker``; raise WorkerError when the worker gives no answer."""
    specs, samples = request_models(report.models)
    response = {"models": [], "notes": []}
    if specs:
        response = worker.run({"path": report.path, "text": text, "roots": list(roots), "models": specs})
        if response.get("error"):
            raise WorkerError(response["error"])
    return merge(report, text, report.models, samples, response)


__all__ = ["Outcome", "Worker", "WorkerError", "validate"]
