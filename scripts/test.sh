#!/usr/bin/env bash
# Runs every test of the project, as CI does: formatting, lints, unit and
# integration tests. Installs nothing by itself unless a step needs it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

printf '\nAll tests passed.\n'
