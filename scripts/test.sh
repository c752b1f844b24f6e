#!/usr/bin/env bash
# Set up a virtual environment and run every check: first the fast gate (scripts/gate.sh: ruff,
# mypy, vermin, tsc and eslint; it needs only the gate extras and node_modules, so a lint error
# fails the run in about a minute), then, with the dev extras (torch 2.13.0 CPU, hypothesis,
# pytest-lsp), pytest, then the VS Code extension's build, unit and end-to-end tests
# (scripts/test_client.sh). Fails if any fails, with the gate's, then pytest's exit code first.
# Usage: bash scripts/test.sh [pytest args]; with pytest args, only those pytest tests run.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$#" -eq 0 ]; then
  .venv/bin/python -m pip install -q -e '.[gate]'
  npm ci --no-audit --no-fund --loglevel=error
  PYTHON=.venv/bin/python bash scripts/gate.sh
fi
.venv/bin/python -m pip install -q -e '.[dev]'
# Byte-compile the package as a regular install would: the editable one leaves it to the
# first start, which then compiles it on every start where writing bytecode is off.
.venv/bin/python -m compileall -q server/shapelens >/dev/null
pytest_status=0
.venv/bin/python -m pytest -q "$@" || pytest_status=$?
if [ "$#" -gt 0 ]; then
  exit "$pytest_status"
fi
client_status=0
NPM_CI_DONE=1 PYTHON=.venv/bin/python bash scripts/test_client.sh || client_status=$?
if [ "$pytest_status" -ne 0 ]; then
  exit "$pytest_status"
fi
exit "$client_status"
