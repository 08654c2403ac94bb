#!/usr/bin/env python3
"""Benchmark: scenario JSON to a data frame of the entries through the Python module,
against the command line's JSON run on the same file, in the same run.

    python python/bench/bench_frames.py [--rows 100000 1000000] [--repeat 3]
                                        [--data DIR] [--cli PATH] [--no-build]

For each size, the scenario is generated once with shared/bench/gen_workbook.py --json
(seed 1) into DIR (default bench-data/ at the repository root, ignored by git). Each run is
a fresh child process, so that its peak memory (maximum RSS, from wait4) is its own; the
runs of the different paths alternate:

  cli       mecenat compute FILE --format json -q > /dev/null   (read, compute, pretty JSON)
  arrow     Scenario.from_json(FILE) + compute + to_pandas("entries", dtype_backend="pyarrow")
  polars    Scenario.from_json(FILE) + compute + to_polars("entries")
  json      Scenario.from_json(FILE) + compute + to_json()       (the text, in memory)
  object    Scenario.from_json(FILE) + compute + to_pandas("entries")   (Decimal objects)

For the Python paths, "work" is timed inside the child around those calls (the
interpreter's start and the imports of pandas, polars and pyarrow, about 0.5 s, are not
in it); "process" is the child's whole wall time. The CLI's process time is its work. The
script checks that every path gives the CLI's entries count and total value.

Not a test: it prints the figures of BENCHMARKS.md's Python section.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GEN = ROOT.parent / "shared" / "bench" / "gen_workbook.py"

CHILD = r"""
import json, resource, sys, time
path, what = sys.argv[1], sys.argv[2]
import mecenat
if what in ("arrow", "object"):
    import pandas
if what in ("arrow", "polars"):
    import pyarrow
if what == "polars":
    import polars
imports = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
report = mecenat.compute(mecenat.Scenario.from_json(path))
t1 = time.perf_counter()
if what == "arrow":
    df = report.to_pandas("entries", dtype_backend="pyarrow")
    n, total = len(df), str(df.loc[df["status"] == "retained", "value"].sum())
elif what == "polars":
    df = report.to_polars("entries")
    n, total = df.height, str(df.filter(polars.col("status") == "retained")["value"].sum())
elif what == "object":
    df = report.to_pandas("entries")
    n, total = len(df), str(df.loc[df["status"] == "retained", "value"].sum())
else:
    text = report.to_json()
    n, total = len(report.entries), str(sum(f.donations.staff_time for f in report.fiscal_years))
t2 = time.perf_counter()
print(json.dumps({"compute": t1 - t0, "work": t2 - t0, "frame": t2 - t1, "n": n,
                  "total": total, "imports": imports}))
"""

PATHS = ("cli", "arrow", "polars", "json", "object")


def run(cmd: list[str], stdout: int | None) -> tuple[float, float, bytes]:
    """Wall seconds, peak RSS (MiB) and stdout of one child process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout)
    out = b""
    if stdout == subprocess.PIPE:
        assert p.stdout is not None
        out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:3]} failed with status {status}")
    return wall, usage.ru_maxrss / 1024, out


def scenario(data: Path, rows: int) -> Path:
    path = data / f"b{rows}.json"
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(GEN), "--rows", str(rows), "--seed", "1",
                        "--json", str(path)], check=True)
    return path


CLI_TOTAL = r"""
import json, subprocess, sys
from decimal import Decimal
out = subprocess.run([sys.argv[1], "compute", sys.argv[2], "--format", "json", "-q"],
                     check=True, capture_output=True).stdout
report = json.loads(out)
staff = sum((Decimal(f["donations"]["staff_time"]) for f in report["fiscal_years"]), Decimal(0))
print(json.dumps([len(report["entries"]), str(staff)]))
"""


def cli_total(cli: Path, path: Path) -> tuple[int, str]:
    """The CLI report's entries and staff time, read in a child process (this process
    stays small: a child forked from a large process would report its peak memory)."""
    out = subprocess.run([sys.executable, "-c", CLI_TOTAL, str(cli), str(path)],
                         check=True, capture_output=True).stdout
    n, total = json.loads(out)
    return int(n), str(total)


def bench(cli: Path, path: Path, repeat: int, paths: list[str]) -> dict[str, dict[str, float]]:
    n, total = cli_total(cli, path)
    runs: dict[str, list[tuple[float, float, float]]] = {p: [] for p in paths}
    extra: dict[str, list[tuple[float, float]]] = {p: [] for p in paths}
    for i in range(repeat):
        for what in paths:
            if what == "cli":
                wall, rss, _ = run([str(cli), "compute", str(path), "--format", "json", "-q"],
                                   subprocess.DEVNULL)
                runs[what].append((wall, wall, rss))
            else:
                wall, rss, out = run([sys.executable, "-c", CHILD, str(path), what],
                                     subprocess.PIPE)
                r = json.loads(out)
                assert r["n"] == n, (what, r["n"], n)
                assert r["total"].rstrip("0").rstrip(".") == total.rstrip("0").rstrip("."), (
                    what, r["total"], total)
                runs[what].append((r["work"], wall, rss))
                extra[what].append((r["frame"], r["imports"]))
            work, wall, rss = runs[what][-1]
            more = ""
            if extra[what]:
                more = (f"  (of which the frame {extra[what][-1][0]:.2f} s; "
                        f"{extra[what][-1][1]:.0f} MiB after the imports)")
            print(f"  run {i + 1} {what:7} work {work:6.2f} s  process {wall:6.2f} s  "
                  f"peak {rss:7.0f} MiB{more}", flush=True)
    return {
        p: {
            "work": statistics.median(x[0] for x in v),
            "process": statistics.median(x[1] for x in v),
            "rss": statistics.median(x[2] for x in v),
        }
        for p, v in runs.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data", type=Path, default=ROOT / "bench-data")
    ap.add_argument("--cli", type=Path, default=ROOT / "target" / "release" / "mecenat")
    ap.add_argument("--no-build", action="store_true", help="use --cli as it is")
    ap.add_argument("--paths", nargs="+", default=list(PATHS), choices=PATHS)
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "mecenat-cli"],
                       cwd=ROOT, check=True)
    import mecenat

    print(f"mecenat {mecenat.__version__}, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.1f}")
    for rows in args.rows:
        path = scenario(args.data, rows)
        print(f"{rows:,} entries ({path}):")
        m = bench(args.cli, path, args.repeat, args.paths)
        base = m.get("cli")
        print()
        print("| path | work s | process s | peak RSS MiB | time / CLI | memory / CLI |")
        print("|---|---|---|---|---|---|")
        for p, v in m.items():
            ratio = f"{v['work'] / base['work']:.2f}" if base else "—"
            mem = f"{v['rss'] / base['rss']:.2f}" if base else "—"
            print(f"| {p} | {v['work']:.2f} | {v['process']:.2f} | {v['rss']:.0f} | "
                  f"{ratio} | {mem} |")
        print(f"(load average {os.getloadavg()[0]:.1f})")
        print()


if __name__ == "__main__":
    main()
