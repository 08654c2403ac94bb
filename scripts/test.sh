#!/usr/bin/env bash
# Runs every test of mecenat: Rust (unit, golden cases, bad inputs, properties, doc tests)
# and, when the Python package is present, its build and pytest suite.
# Installs what it needs on a fresh machine (idempotent). Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# The tools some Rust tests need (LibreOffice for the recalculation and .ods checks,
# poppler-utils for the PDF text), installed first on a fresh machine: under CI=true those
# tests fail rather than skip when a tool is missing.
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if ((${#missing[@]})) && command -v apt-get >/dev/null 2>&1; then
  echo "== installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "== docs: every relative link of README.md and docs/ resolves in the repository"
python3 scripts/test_check_links.py -q && python3 scripts/check_links.py

echo "== Rust: cargo test --workspace"
cargo test --workspace --all-targets
cargo test --workspace --doc

if [ -f scripts/test-extra.sh ]; then
  # Extra suites (Excel recalculation, Python) live in their own script.
  bash scripts/test-extra.sh
fi
echo "== all tests passed"
