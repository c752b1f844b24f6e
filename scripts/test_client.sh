#!/usr/bin/env bash
# The VS Code extension: install the pinned node packages, build shapelens.vsix, run the client's
# unit tests, then the end-to-end test of the .vsix in a real VS Code (code-server + Chromium,
# whose one-time set-up scripts/e2e_setup.sh caches under ~/.cache/shapelens-e2e).
set -euo pipefail
cd "$(dirname "$0")/.."

step() {
  local started=$SECONDS
  echo "== $1" >&2
  shift
  "$@"
  echo "== done in $((SECONDS - started)) s" >&2
}

if [ "${NPM_CI_DONE:-}" != 1 ]; then  # scripts/test.sh ran it before the gate
  step "npm ci" npm ci --no-audit --no-fund --loglevel=error
fi
step "build shapelens.vsix" npm run --silent vsix
step "client unit tests" npm run --silent test:unit
tools="$(step "end-to-end set-up (cached)" bash scripts/e2e_setup.sh)"
eval "$tools"
step "end-to-end test in code-server" npm run --silent test:e2e
