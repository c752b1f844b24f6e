#!/usr/bin/env bash
# Set up a virtual environment with the dev extras (torch 2.13.0 CPU, hypothesis, pytest-lsp)
# and run every test. Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[dev]'
exec .venv/bin/python -m pytest -q "$@"
