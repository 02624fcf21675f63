#!/usr/bin/env bash
# Builds the C example plugin: build.sh OUT.wasm
# Needs clang, lld, wasi-libc and libclang-rt-dev-wasm32 (Debian), and
# wit-bindgen-cli and wasm-tools (cargo install).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wit-bindgen c "$here/../../wit" --world placement-plugin --out-dir "$work" >/dev/null
clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror \
  -mexec-model=reactor -nostartfiles -Wl,--no-entry -Wl,--export=cabi_realloc \
  -I "$work" -o "$work/spread.core.wasm" \
  "$here/spread.c" "$work/placement_plugin.c" "$work/placement_plugin_component_type.o"
wasm-tools component new "$work/spread.core.wasm" -o "$out"
wasm-tools validate --features component-model "$out"
