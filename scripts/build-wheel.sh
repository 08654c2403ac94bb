#!/usr/bin/env bash
# Builds the wheel to publish into dist/: the wheel of the venv's CPython (one per version:
# the extension is not abi3, see pyproject.toml), tagged
# manylinux2014 (glibc >= 2.17), linked with zig (PyPI's `ziglang`, so no older system is
# needed) and checked by maturin's own auditwheel pass, extension stripped; then prints
# its tag and size, installs it in a throw-away venv and imports it.
#
#   bash scripts/build-wheel.sh                  # manylinux2014 through zig
#   MECENAT_WHEEL_COMPAT=manylinux_2_36 MECENAT_WHEEL_ZIG=0 bash scripts/build-wheel.sh
#                                                # this machine's glibc, no zig
#
# The build uses its own target directory (target/wheel): zig as the linker would
# otherwise invalidate the main build.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MECENAT_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
VENV="$(cd "$VENV" && pwd)"  # absolute: maturin runs zig as "$VENV/bin/python -m ziglang" from build scripts' directories
COMPAT="${MECENAT_WHEEL_COMPAT:-manylinux2014}"
ZIG="${MECENAT_WHEEL_ZIG:-1}"
PKGS=("maturin>=1.9.4,<2")
[ "$ZIG" = 1 ] && PKGS+=("ziglang")
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PKGS[@]}"
rm -f python/mecenat/_mecenat*.so  # a stale `maturin develop` build must not be packaged
rm -rf dist && mkdir -p dist
FLAGS=(--release --strip --compatibility "$COMPAT" --out dist)
[ "$ZIG" = 1 ] && FLAGS+=(--zig)
PATH="$VENV/bin:$PATH" CARGO_TARGET_DIR=target/wheel "$VENV/bin/maturin" build "${FLAGS[@]}"
WHEEL="$(ls dist/*.whl)"
echo "== built $(basename "$WHEEL"): $(du -k "$WHEEL" | cut -f1) KiB ($(stat -c %s "$WHEEL") bytes)"
"$VENV/bin/python" - "$WHEEL" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    wheel = [n for n in z.namelist() if n.endswith(".dist-info/WHEEL")][0]
    print(z.read(wheel).decode().strip())
    so = [i for i in z.infolist() if i.filename.endswith(".so")][0]
    print(f"extension {so.filename}: {so.file_size:,} bytes ({so.compress_size:,} compressed)")
PY
CHECK="$(mktemp -d)"
"${PYTHON:-python3}" -m venv "$CHECK/venv"
"$CHECK/venv/bin/pip" install -q --disable-pip-version-check "$WHEEL"
"$CHECK/venv/bin/python" -c "import mecenat; r = mecenat.compute(mecenat.Scenario.example()); assert str(r.fiscal_years[0].reduction) == '16500.00'; print('== the wheel installs and computes:', mecenat.__version__)"
rm -rf "$CHECK"
