#!/usr/bin/env bash
# Runs every test of mecenat: Rust (unit, golden cases, bad inputs, properties, doc tests)
# and, when the Python package is present, its build and pytest suite.
# Installs what it needs on a fresh machine (idempotent). Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

echo "== Rust: cargo test --workspace"
cargo test --workspace --all-targets
cargo test --workspace --doc

if [ -f scripts/test-extra.sh ]; then
  # Extra suites (Excel recalculation, Python) live in their own script.
  bash scripts/test-extra.sh
fi
echo "== all tests passed"
