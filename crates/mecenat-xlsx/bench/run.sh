#!/usr/bin/env bash
# The Excel face's benchmark (BENCHMARKS.md, "Excel face (issue 3)"): the end-to-end run
# (read the workbook, validate, compute, write the report workbook), its floors (calamine's
# raw read; rust_xlsxwriter alone writing 10 columns, and writing exactly the report's detail
# cells) and the pandas peer, one after the other (never two at once), each under
# /usr/bin/time for the wall time, CPU time and peak RSS.
#
# Inputs: ../shared/bench/gen_workbook.py --rows N --seed 1 (see FINDINGS of the bench data).
#   BENCH_DATA=/work/bench-data bash crates/mecenat-xlsx/bench/run.sh [100k 1m] [--pandas]
set -u
cd "$(dirname "$0")/../../.."
DATA="${BENCH_DATA:-/work/bench-data}"
SIZES=(); PANDAS=0
for a in "$@"; do case "$a" in --pandas) PANDAS=1 ;; *) SIZES+=("$a") ;; esac; done
[ ${#SIZES[@]} -eq 0 ] && SIZES=(100k 1m)
cargo build --release -p mecenat-cli >/dev/null
cargo build --release -p mecenat-xlsx --example bench >/dev/null
T=(/usr/bin/time -f "%e s wall, %U s user, %S s sys, peak RSS %M KB")
step() { echo "### $*  (load: $(cut -d' ' -f1-3 /proc/loadavg))"; }
for N in "${SIZES[@]}"; do
  F="$DATA/b$N.xlsx"
  ROWS=$([ "$N" = 1m ] && echo 1000000 || echo 100000)
  step "mecenat compute $N (CLI, end to end)"
  "${T[@]}" target/release/mecenat compute "$F" -o "/tmp/mecenat_report_$N.xlsx" -q
  step "phases $N (bench e2e: the same calls, timed one by one)"
  "${T[@]}" target/release/examples/bench e2e "$F" "/tmp/mecenat_phases_$N.xlsx"
  step "floor: calamine raw read $N"
  "${T[@]}" target/release/examples/bench floor-read "$F"
  step "floor: rust_xlsxwriter, $ROWS rows x 10 columns"
  "${T[@]}" target/release/examples/bench floor-write "/tmp/mecenat_floor10_$N.xlsx" "$ROWS"
  step "floor: rust_xlsxwriter, the report's detail cells of $N"
  "${T[@]}" target/release/examples/bench floor-same "$F" "/tmp/mecenat_floorsame_$N.xlsx"
  ls -l "/tmp/mecenat_report_$N.xlsx" "/tmp/mecenat_floor10_$N.xlsx" "/tmp/mecenat_floorsame_$N.xlsx"
done
if [ "$PANDAS" = 1 ]; then
  for E in calamine openpyxl; do
    for N in "${SIZES[@]}"; do
      step "pandas peer $E $N"
      "${T[@]}" python3 ../shared/bench/baseline_pandas.py "$DATA/b$N.xlsx" --engine "$E" \
        --out "/tmp/mecenat_pandas_${E}_$N.xlsx" | tail -1
    done
  done
fi
