#!/usr/bin/env bash
# Extra test suites that need tools beyond cargo (run by scripts/test.sh after the Rust
# tests). Each suite is a clearly delimited section; append new ones at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

# ---- BEGIN PDF receipts (mecenat-pdf): text read back with pdftotext (poppler-utils) ----
if ! command -v pdftotext >/dev/null 2>&1; then
  echo "== installing poppler-utils (pdftotext)"
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq poppler-utils
  fi
fi
echo "== PDF receipts: names, amounts and words checked with pdftotext"
MECENAT_REQUIRE_PDFTOTEXT=1 cargo test -p mecenat-pdf --test pdf_text
# ---- END PDF receipts ----
