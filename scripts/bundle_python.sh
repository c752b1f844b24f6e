#!/usr/bin/env bash
# Fill bundled/libs with what the .vsix carries: the pinned pure-Python dependencies of
# bundled/requirements.txt (see scripts/lock_bundle.sh) and the shapelens server itself, with the
# rule pages its diagnostics link to (shapelens/docs/rules). bundled/launch.py puts this folder
# first on sys.path. Wheels are chosen for any Python >= 3.10 on any platform (py3-none-any):
# tomli, say, also ships mypyc builds for the Python that runs this script.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf bundled/libs
"${PYTHON:-python3}" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-compile --no-deps \
  --require-hashes --only-binary :all: --python-version 3.10 --implementation py --abi none --platform any \
  --target bundled/libs -r bundled/requirements.txt
rm -rf bundled/libs/bin
tar -C server --exclude=__pycache__ -cf - shapelens | tar -C bundled/libs -xf -
# The pages the diagnostics' codes link to (by file URI: no web page serves them).
mkdir -p bundled/libs/shapelens/docs/rules
cp docs/rules/*.md bundled/libs/shapelens/docs/rules/
