#!/usr/bin/env bash
# Regenerate bundled/requirements.txt: the server's dependencies from pyproject.toml and all they
# need, resolved by uv for Python 3.10 (the oldest the server supports, so backports such as
# exceptiongroup are included), pinned with hashes. Run after changing those dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install -q --disable-pip-version-check uv==0.13.8
"$tools/venv/bin/uv" pip compile pyproject.toml --python-version 3.10 --only-binary :all: \
  --generate-hashes --custom-compile-command "bash scripts/lock_bundle.sh" -o bundled/requirements.txt
