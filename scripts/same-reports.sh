#!/usr/bin/env bash
# Compares the outputs of two builds of the `mecenat` binary on the demo, every golden case
# (shared and own), the bad-input corpus and, when given, a bench scenario under both cap
# methods: JSON (pretty and compact), the text summary, the Excel report's sheets (as
# XML, with the workbook's volatile parts left out) and the receipts' text (pdftotext).
# Usage: [NORMALISE=script.py] scripts/same-reports.sh BASE_BIN NEW_BIN [BENCH.json]
# Prints one line per difference and exits 1 when there is any.
set -uo pipefail
base=$1; new=$2; bench=${3:-}
cd "$(dirname "$0")/.."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
inputs=(fixtures/demo/scenario.json)
for f in ../shared/cases/*.json fixtures/cases/*.json; do
  python3 -c "import json,sys; json.dump(json.load(open(sys.argv[1]))['scenario'], open(sys.argv[2],'w'))" \
    "$f" "$work/case_$(basename "$f")"
  inputs+=("$work/case_$(basename "$f")")
done
for f in fixtures/bad/*.json; do case $f in *.expect.json) ;; *) inputs+=("$f");; esac; done
[ -n "$bench" ] && inputs+=("$bench")
diffs=0
run() { # BIN OUTDIR INPUT NAME ARGS...
  local bin=$1 out=$2 in=$3 name=$4; shift 4
  mkdir -p "$out"
  "$bin" compute "$in" "$@" > "$out/$name" 2> "$out/$name.err"; echo "exit $?" >> "$out/$name.err"
}
for in in "${inputs[@]}"; do
  n=$(basename "$in" .json)
  for side in base new; do
    bin=$base; [ $side = new ] && bin=$new
    o="$work/$side/$n"
    run "$bin" "$o" "$in" pretty.json --format json -q
    run "$bin" "$o" "$in" compact.json --format json --compact -q
    run "$bin" "$o" "$in" text.txt --format text -q
    run "$bin" "$o" "$in" period.json --format json --cap-method period -q
    if [ "$in" != "$bench" ]; then
      "$bin" compute "$in" -o "$o/report.xlsx" -q > /dev/null 2>&1 && \
        (mkdir -p "$o/xlsx" && cd "$o/xlsx" && unzip -q -o ../report.xlsx 'xl/worksheets/*' 'xl/sharedStrings.xml' 2>/dev/null)
      rm -f "$o/report.xlsx"
      if command -v pdftotext > /dev/null; then
        "$bin" receipts "$in" -o "$o/recus" > /dev/null 2>&1
        # The receipts' text, in file-name order, in one file (names may change).
        for p in "$o"/recus/*.pdf; do [ -f "$p" ] && pdftotext -layout "$p" - >> "$o/receipts.txt"; done
        rm -rf "$o/recus"
      fi
    fi
  done
  if [ -n "${NORMALISE:-}" ]; then
    # A script that rewrites the JSON files in place (e.g. to drop members added on purpose).
    python3 "$NORMALISE" "$work"/base/"$n"/*.json "$work"/new/"$n"/*.json
  fi
  if ! diff -rq "$work/base/$n" "$work/new/$n" > "$work/d.txt"; then
    diffs=$((diffs + 1)); sed "s|$work/||g" "$work/d.txt"
  fi
done
echo "inputs compared: ${#inputs[@]}; with differences: $diffs"
[ $diffs -eq 0 ]
