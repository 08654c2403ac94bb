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

# ---- BEGIN Python (the mecenat package, crates/mecenat-py + python/mecenat) ----
# In a venv (.venv, or $MECENAT_VENV): installs the test tools from PyPI, builds and installs
# the package the way a user does (`pip install .`: maturin, the wheel of this CPython), then runs the
# pytest suite (python/tests: golden cases through every face, errors, frames, Excel, GIL),
# the docstring examples, mypy.stubtest on the extension's stubs, mypy --strict on the
# package and on the typed example (python/examples/typed_usage.py). Any failure fails the run; pytest finding no test fails it too (exit 5).
echo "== Python: pip install . (maturin), pytest, doctests, stubtest, mypy (package, typed example)"
PY_VENV="${MECENAT_VENV:-.venv}"
if [ ! -x "$PY_VENV/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$PY_VENV"
fi
PY="$PY_VENV/bin/python"
"$PY" -m pip install -q --disable-pip-version-check \
  "maturin>=1.9.4,<2" "pytest>=8" "mypy>=1.10" pandas polars pyarrow hypothesis
rm -f python/mecenat/_mecenat*.so  # a stale `maturin develop` build must not be packaged
"$PY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps .
"$PY" -m pytest
"$PY" -m pytest -q --doctest-modules --pyargs mecenat
"$PY" -m mypy.stubtest mecenat._mecenat
"$PY" -m mypy python/mecenat
"$PY" -m mypy --strict python/examples/typed_usage.py
# ---- END Python ----

# ---- BEGIN Excel (mecenat-xlsx): the report's formulas recalculated by LibreOffice ----
# Installs libreoffice-calc-nogui when soffice is absent, then opens every report workbook
# of the test (demo, split valuation, golden cases, half-cent edges) with a throw-away
# profile that recalculates on load, and checks each formula cell against the cached value
# the library wrote. MECENAT_REQUIRE_SOFFICE=1: a missing soffice fails, never skips.
if ! command -v soffice >/dev/null 2>&1; then
  echo "== installing libreoffice-calc-nogui (soffice)"
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui
  fi
fi
echo "== Excel: report formulas recalculated by LibreOffice equal the cached values"
MECENAT_REQUIRE_SOFFICE=1 cargo test -p mecenat-xlsx --test recalc
echo "== LibreOffice: the demo template through .ods and back to .xlsx gives the same report"
MECENAT_REQUIRE_SOFFICE=1 cargo test -p mecenat-xlsx --test libreoffice
# ---- END Excel ----
