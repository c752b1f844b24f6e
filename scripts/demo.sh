#!/usr/bin/env bash
# Set up shapelens (no torch needed) and run the checker on the bundled examples.
set -uo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv || exit 1
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e . || exit 1
# Byte-compile the package as a regular install would: the editable one leaves it to the
# first start, which then compiles it on every start where writing bytecode is off.
.venv/bin/python -m compileall -q server/shapelens >/dev/null
echo "== shapelens check --hints examples/ =="
.venv/bin/shapelens check --hints examples/
status=$?
cat <<'TEXT'

Exit status 1 above means shapelens found errors (it did: examples/title_error.py holds the
classic "mat1 and mat2 shapes cannot be multiplied" bug, with its fix).

To see the same facts in VS Code: build the extension with `npm ci && npm run vsix` (or run
`bash scripts/test.sh`, which builds it too), then `code --install-extension shapelens.vsix` and
open examples/title_error.py. The README's "In VS Code" section tells more.
TEXT
[ "$status" -le 1 ] || exit "$status"
