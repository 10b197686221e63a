#!/usr/bin/env bash
# Runs every test of the project, exactly as CI does: formatting, lints, unit
# and integration tests, then HTML validation and headless-Chromium tests of
# the built sample portal. Installs what a fresh machine lacks (Debian's
# chromium, the npm modules pinned in tests/browser/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

step "the committed search engine is what scripts/build-wasm.sh produces"
./scripts/build-wasm.sh target/engine-check.wasm
cmp target/engine-check.wasm themes/default/static/search/congkhai-search.wasm || {
  echo "themes/default/static/search/congkhai-search.wasm is stale: run scripts/build-wasm.sh and commit it" >&2
  exit 1
}

step "build the sample portal"
site=target/test-site
cargo build --locked --quiet
./target/debug/congkhai build . --out "$site" --as-of 2026-11-23 --quiet

step "browser tools"
if ! command -v chromium >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

step "html-validate"
node tests/browser/validate.mjs "$site"

step "browser tests (headless Chromium)"
(cd tests/browser && SITE="../../$site" CONGKHAI="$(pwd -P)/../../target/debug/congkhai" \
  node --test --test-reporter=spec wasm.test.mjs site.test.mjs search.test.mjs serve.test.mjs)

printf '\nAll tests passed.\n'
