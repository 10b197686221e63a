#!/usr/bin/env bash
# Rebuilds the search engine WebAssembly module that the default theme ships
# (themes/default/static/search/congkhai-search.wasm), or writes it to $1.
#
# Reproducible: the same sources, Cargo.lock and toolchain give the same bytes
# on any machine, because build paths are remapped. Building a *site* never
# needs this: the module is committed and embedded in the congkhai binary.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-themes/default/static/search/congkhai-search.wasm}"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true

root="$(pwd -P)"
cargo_home="$(cd "${CARGO_HOME:-$HOME/.cargo}" && pwd -P)"
export RUSTFLAGS="--remap-path-prefix=$root=/congkhai --remap-path-prefix=$cargo_home=/cargo"
export CARGO_TARGET_DIR="$root/target/wasm-build"
cargo build --locked --quiet -p congkhai-search-wasm --target wasm32-unknown-unknown --profile wasm
mkdir -p "$(dirname "$out")"
cp "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm/congkhai_search_wasm.wasm" "$out"
echo "$out: $(wc -c < "$out") bytes, $(gzip -9 -c "$out" | wc -c) gzipped"
