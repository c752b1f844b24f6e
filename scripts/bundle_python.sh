#!/usr/bin/env bash
# Fill bundled/libs with what the .vsix carries: the pinned pure-Python dependencies of
# bundled/requirements.txt (see scripts/lock_bundle.sh) and the shapelens server itself.
# bundled/launch.py puts this folder first on sys.path.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf bundled/libs
"${PYTHON:-python3}" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-compile --no-deps \
  --require-hashes --only-binary :all: --target bundled/libs -r bundled/requirements.txt
rm -rf bundled/libs/bin
tar -C server --exclude=__pycache__ -cf - shapelens | tar -C bundled/libs -xf -
