#!/usr/bin/env bash
# Builds the Python example plugin: build.sh OUT.wasm (needs componentize-py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "$1")
cd "$here"
componentize-py -d ../../wit -w placement-plugin componentize app -o "$out" >/dev/null
