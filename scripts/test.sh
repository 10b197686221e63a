#!/usr/bin/env bash
# Runs every test of the project, exactly as CI does: formatting, lints,
# dependency checks, unit and integration tests, the reproducible search
# engine, the fuzz targets' build, HTML validation and headless-Chromium tests
# of the built sample portal and of the hostile fixture, and deploys to an
# S3-compatible server on 127.0.0.1. Installs what a fresh machine lacks (the
# wasm32 target, cargo-deny, Debian's chromium and minisign, the npm modules
# pinned in tests/browser/package-lock.json, the Python modules pinned in
# tests/deploy/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
step() { printf '\n== %s (%d s)\n' "$*" $((SECONDS - started)); }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo deny (licences, bans, sources)"
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "cargo-deny is missing: building it from source (about 3 minutes, once per machine)"
  cargo install cargo-deny --locked --quiet
fi
cargo deny --log-level error check licenses bans sources
# Advisories need the RustSec database, fetched from GitHub; run them only
# where that database is reachable (see docs/bao-mat.md).
if cargo deny --log-level error fetch >/dev/null 2>&1; then
  cargo deny --log-level error check advisories
else
  echo "(advisory database unreachable from this machine: advisories not checked)"
fi

step "minisign (the signature test checks our signatures with Debian's own tool)"
if ! command -v minisign >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq minisign >/dev/null
fi

step "cargo test"
cargo test --workspace --locked

step "the committed search engine is what scripts/build-wasm.sh produces"
./scripts/build-wasm.sh target/engine-check.wasm
cmp target/engine-check.wasm themes/default/static/search/congkhai-search.wasm || {
  echo "themes/default/static/search/congkhai-search.wasm is stale: run scripts/build-wasm.sh and commit it" >&2
  exit 1
}

step "fuzz targets compile (run them with cargo +nightly fuzz, see docs/bao-mat.md)"
# Type-checked, not linked, in the main target folder: cargo-fuzz builds them
# with its own flags anyway, and a full build of the dependency tree a second
# time took four minutes (a check that reuses clippy's: about one).
cargo check --quiet --manifest-path fuzz/Cargo.toml --target-dir target

step "build the sample portal and the hostile fixture"
site=target/test-site
hostile=target/test-hostile
# The binary `cargo test` built for the integration tests (a separate
# `cargo build` would compile it again with other features: a minute and a half).
./target/debug/congkhai build . --out "$site" --as-of 2026-11-23 --quiet
./target/debug/congkhai build tests/fixtures/hostile --out "$hostile" --as-of 2026-01-01 --quiet
# The sample again with search blocks of 16 records, so that the browser
# searches it block by block as it does a site of more than 32 768 records.
blocked=target/test-blocks
CONGKHAI_SEARCH_BLOCK=16 ./target/debug/congkhai build . --out "$blocked" --as-of 2026-11-23 --quiet

step "a second publication of the sample, with changes (the change log's pages)"
changed_site=target/test-changed-site
rm -rf "$changed_site" && mkdir -p "$changed_site"
cp -r congkhai.toml content "$changed_site"/
sed -i 's/money_vnd: 1860000000/money_vnd: 1680000000/' "$changed_site/content/conclusions/kl-2024-003.md"
rm "$changed_site/content/decisions/qd-2024-ubkt-012.md"
./target/debug/congkhai build "$changed_site" --out target/test-changes --previous "$site" --as-of 2026-12-31 --quiet
grep -q '"kind":"corrected"' target/test-changes/data/changes.jsonl
grep -q '"kind":"removed"' target/test-changes/data/changes.jsonl

step "browser tools"
# CHROMIUM=/path/to/chrome uses a browser installed another way (not Debian).
if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium (on other systems, install Chromium and set CHROMIUM)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

step "html-validate"
node tests/browser/validate.mjs "$site"
node tests/browser/validate.mjs "$hostile"
node tests/browser/validate.mjs target/test-changes

step "browser tests (headless Chromium)"
(cd tests/browser && SITE="../../$site" HOSTILE_SITE="../../$hostile" BLOCKED_SITE="../../$blocked" CONGKHAI="$(pwd -P)/../../target/debug/congkhai" \
  node --test --test-reporter=spec wasm.test.mjs site.test.mjs a11y.test.mjs catalog.test.mjs search.test.mjs serve.test.mjs hostile.test.mjs)

step "deploy to S3-compatible storage (moto on 127.0.0.1, checked with boto3)"
if [ ! -x target/py/bin/pip ]; then
  python3 -m venv target/py 2>/dev/null || {
    rm -rf target/py
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv target/py
  }
fi
target/py/bin/pip install -q --disable-pip-version-check -r tests/deploy/requirements.txt
target/py/bin/python tests/deploy/s3_test.py ./target/debug/congkhai "$site" target/test-changes

step "a reader's first search on the sample: bytes and time (budget 300 KB)"
(cd tests/browser && SITE="../../$site" QUERY="dang uy" RUNS=3 MAX_KB=300 node search-speed.mjs)

printf '\nAll tests passed (%d s).\n' $((SECONDS - started))
