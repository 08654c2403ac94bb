#!/usr/bin/env bash
# Times two builds of `mecenat` on the same scenario, runs alternated (base, new, base,
# new…) so that the machine's load falls on both alike: the whole
# `mecenat compute FILE --format json` run to /dev/null, wall seconds and peak RSS of each
# run, its CPU seconds (user + system), then the medians and the ratios new / base.
# Usage: scripts/bench-compare.sh BASE_BIN NEW_BIN SCENARIO.json [RUNS=5] [extra args…]
set -euo pipefail
base=$1; new=$2; file=$3; runs=${4:-5}; shift $(( $# < 4 ? $# : 4 ))
out=$(mktemp); trap 'rm -f "$out"' EXIT
for i in $(seq "$runs"); do
  for side in base new; do
    bin=$base; [ "$side" = new ] && bin=$new
    /usr/bin/time -f "$side %e %M %U %S" -o "$out.one" "$bin" compute "$file" --format json -q "$@" > /dev/null
    cat "$out.one" >> "$out"; rm -f "$out.one"
  done
done
python3 - "$out" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
med = {}
for side in ("base", "new"):
    wall = [float(r[1]) for r in rows if r[0] == side]
    rss = [int(r[2]) for r in rows if r[0] == side]
    cpu = [float(r[3]) + float(r[4]) for r in rows if r[0] == side]
    med[side] = (statistics.median(wall), statistics.median(rss), statistics.median(cpu))
    print(f"{side}: wall {', '.join(f'{w:.2f}' for w in wall)} s; median {med[side][0]:.2f} s; "
          f"CPU median {med[side][2]:.2f} s; peak RSS median {med[side][1] / 1024:.0f} MiB")
print(f"new / base: wall {med['new'][0] / med['base'][0]:.3f}, CPU {med['new'][2] / med['base'][2]:.3f}, "
      f"peak RSS {med['new'][1] / med['base'][1]:.3f}")
PY
