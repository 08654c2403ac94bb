#!/usr/bin/env bash
# Every benchmark of BENCHMARKS.md, one after the other (never two at once), on the bench
# data of ../shared/bench/gen_workbook.py --seed 1:
#   python3 ../shared/bench/gen_workbook.py --rows 1000000 --seed 1 --out DATA/b1m.xlsx --json DATA/b1m.json
#   python3 ../shared/bench/gen_workbook.py --rows 100000 --seed 1 --out DATA/b100k.xlsx --json DATA/b100k.json
# Usage: BENCH_DATA=/work/bench-data bash scripts/bench.sh [--pandas] [--python]
# The core (bench_core: phases, medians of 5), the whole CLI run on JSON (5 runs to stdout,
# 3 to a file, 3 compact), then the Excel face with its floors (and the pandas peer with
# --pandas, about 7 minutes), then the Python module against the CLI (--python: needs the
# .venv that scripts/test.sh makes).
set -u
cd "$(dirname "$0")/.."
DATA="${BENCH_DATA:-/work/bench-data}"
PANDAS=""; PYTHON=0
for a in "$@"; do case "$a" in --pandas) PANDAS=--pandas ;; --python) PYTHON=1 ;; esac; done
cargo build --release -p mecenat-cli -p mecenat --example bench_core >/dev/null
T=(/usr/bin/time -f "%e s wall, %U s user, %S s sys, peak RSS %M KB")
echo "### start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "### bench_core 100k x5"; target/release/examples/bench_core "$DATA/b100k.json" 5
echo "### bench_core 1m x5"; target/release/examples/bench_core "$DATA/b1m.json" 5
echo "### bench_core 1m x5 pretty"; target/release/examples/bench_core "$DATA/b1m.json" 5 --pretty
for i in 1 2 3 4 5; do
  echo "### CLI json stdout run $i (load $(cut -d' ' -f1 /proc/loadavg))"
  "${T[@]}" target/release/mecenat compute "$DATA/b1m.json" --format json -q > /dev/null
done
OUT="$(mktemp -d)"
for i in 1 2 3; do
  rm -f "$OUT/r.json"; echo "### CLI json -o file run $i"
  "${T[@]}" target/release/mecenat compute "$DATA/b1m.json" --format json -o "$OUT/r.json" -q
done
for i in 1 2 3; do
  rm -f "$OUT/r.json"; echo "### CLI json --compact -o file run $i"
  "${T[@]}" target/release/mecenat compute "$DATA/b1m.json" --format json --compact -o "$OUT/r.json" -q
done
ls -l "$OUT/r.json"; rm -rf "$OUT"
echo "### CLI 100k json"; "${T[@]}" target/release/mecenat compute "$DATA/b100k.json" --format json -q > /dev/null
echo "### excel"; BENCH_DATA="$DATA" bash crates/mecenat-xlsx/bench/run.sh 1m 100k $PANDAS
if [ "$PYTHON" = 1 ]; then
  echo "### python"; .venv/bin/python python/bench/bench_frame.py --json "$DATA/b1m.json" --repeat 3
fi
echo "### end $(date -u +%H:%M:%S)"
