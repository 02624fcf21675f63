#!/usr/bin/env bash
# Builds the JavaScript example plugin: build.sh OUT.wasm (needs node and npm;
# installs componentize-js into node_modules on first use).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "$1")
cd "$here"
[ -x node_modules/.bin/componentize-js ] || npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/componentize-js spread.js --wit ../../wit --world-name placement-plugin \
  --disable http fetch-event -o "$out" >/dev/null
