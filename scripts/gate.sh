#!/usr/bin/env bash
# The fast gate, run first by scripts/test.sh so that a lint, format or type error fails in seconds,
# before the minutes-long tests: ruff (lint and format check, configured in pyproject.toml), mypy
# (pyproject's [tool.mypy] files), vermin (the package runs on Python >= 3.10, as pyproject
# promises), tsc --noEmit and eslint for the VS Code client (npm run check), and the pre-commit
# config's validity. Every check runs; the gate fails if any did.
# Needs the dev extras (PYTHON, default .venv/bin/python) and node_modules (npm ci; run here if absent).
# Usage: bash scripts/gate.sh
set -uo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
failed=()
started=$SECONDS

check() {
  local name=$1 t0=$SECONDS
  shift
  if "$@"; then
    echo "== gate: $name ok ($((SECONDS - t0)) s)" >&2
  else
    echo "== gate: $name FAILED" >&2
    failed+=("$name")
  fi
}

if [ ! -x node_modules/.bin/eslint ]; then
  npm ci --no-audit --no-fund --loglevel=error || exit 1
fi
check "ruff check" "$PY" -m ruff check --quiet server tests bench
check "ruff format --check" "$PY" -m ruff format --check --quiet server tests bench
check "mypy" "$PY" -m mypy
check "vermin (Python >= 3.10)" "$(dirname "$PY")/vermin" --quiet --no-tips --violations --eval-annotations \
  --target=3.10- server/shapelens bundled/launch.py
check "client: tsc --noEmit, eslint" npm run --silent check
check "pre-commit config" "$PY" -m pre_commit validate-config .pre-commit-config.yaml

echo "== gate: $((SECONDS - started)) s" >&2
if [ "${#failed[@]}" -gt 0 ]; then
  echo "gate failed: ${failed[*]}" >&2
  exit 1
fi
