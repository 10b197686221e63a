#!/usr/bin/env bash
# Screenshots of every page type of the sample portal at 360 px and 1280 px,
# into target/screenshots/pages/ (not committed): for a reviewer to look at
# the site as phone and desktop readers see it. Needs what scripts/test.sh
# installs (Debian's chromium, the npm modules of tests/browser).
set -euo pipefail
cd "$(dirname "$0")/.."
site=target/screenshots-site
out=target/screenshots/pages
cargo build --locked --quiet
./target/debug/congkhai build . --out "$site" --as-of 2026-11-23 --quiet
(cd tests/browser && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
node tests/browser/screenshots.mjs "$site" "$out"
echo "Screenshots in $out"
