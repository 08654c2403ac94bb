#!/usr/bin/env python3
"""Benchmark: a million time entries from a pandas DataFrame, computed through the Python
module, against the same computation by the command line, in the same run.

    python python/bench/bench_frame.py [--json FILE] [--rows N] [--repeat 3] [--cli PATH]

FILE is a scenario as written by shared/bench/gen_workbook.py --json (default:
/work/bench-data/b1m.json when present, else one is generated with --rows rows into a
temporary directory). The time_entries table becomes a DataFrame as an analyst would hold
it: dates as datetime64 (pd.to_datetime), days and hours as decimal.Decimal objects (missing:
None), text columns as pandas strings. The other tables stay lists of dicts.

Timed, median of --repeat runs, in this process:
  python  = Scenario.from_tables(...) + compute(...)       (the report stays in memory)
  +json   = the same, then report.to_json(path, pretty=False) (writes what the CLI writes)
and as a child process:
  cli     = mecenat compute FILE --format json --compact -o OUT (read, compute, write)
The CLI is built first (cargo build --release -p mecenat-cli) so that both use the same
core. The reductions of both reports are compared. Peak memory: the child's maximum RSS,
and this process's (which also holds the JSON and the frame).

Not a test: it prints figures for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

import mecenat

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_JSON = Path("/work/bench-data/b1m.json")
GEN = ROOT / ".." / "shared" / "bench" / "gen_workbook.py"


def entries_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
    for col in ("days", "hours"):
        if col in df:
            df[col] = df[col].map(lambda x: None if pd.isna(x) else Decimal(x)).astype(object)
    return df


def python_run(tables: dict[str, Any], out: Path | None) -> tuple[float, mecenat.Report]:
    t0 = time.perf_counter()
    scenario = mecenat.Scenario.from_tables(tables)
    report = mecenat.compute(scenario)
    if out is not None:
        report.to_json(out, pretty=False)
    return time.perf_counter() - t0, report


def cli_run(cli: Path, scenario: Path, out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [str(cli), "compute", str(scenario), "--format", "json", "--compact", "-q", "-o", str(out)],
        check=True,
    )
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cli", type=Path, default=ROOT / "target" / "release" / "mecenat")
    ap.add_argument("--no-build", action="store_true", help="use --cli as it is")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="mecenat-bench-"))
    scenario_path = args.json
    if scenario_path is None:
        if DEFAULT_JSON.exists() and args.rows == 1_000_000:
            scenario_path = DEFAULT_JSON
        else:
            scenario_path = tmp / "scenario.json"
            subprocess.run([sys.executable, str(GEN), "--rows", str(args.rows), "--out",
                            str(tmp / "scenario.xlsx"), "--json", str(scenario_path)],
                           check=True)
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "mecenat-cli"],
                       cwd=ROOT, check=True)

    t0 = time.perf_counter()
    data = json.loads(scenario_path.read_bytes())
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    tables: dict[str, Any] = dict(data)
    tables["time_entries"] = entries_frame(data["time_entries"])
    t_frame = time.perf_counter() - t0
    n = len(tables["time_entries"])
    print(f"scenario {scenario_path}: {n:,} time entries "
          f"(json.load {t_load:.1f} s, DataFrame {t_frame:.1f} s, not timed)")
    print(tables["time_entries"].dtypes.to_string())

    py, py_json, cli = [], [], []
    report = None
    for i in range(args.repeat):
        t, report = python_run(tables, None)
        py.append(t)
        del report
        t, report = python_run(tables, tmp / "py.json")
        py_json.append(t)
        cli.append(cli_run(args.cli, scenario_path, tmp / "cli.json"))
        print(f"run {i + 1}: python {py[-1]:.2f} s, python+json {py_json[-1]:.2f} s, "
              f"cli {cli[-1]:.2f} s")
    assert report is not None
    cli_report = json.loads((tmp / "cli.json").read_bytes())
    ours = [(f.label, str(f.donations.staff_time), str(f.reduction)) for f in report.fiscal_years]
    theirs = [(f["label"], f["donations"]["staff_time"], f["reduction"])
              for f in cli_report["fiscal_years"]]
    assert ours == theirs, (ours, theirs)
    assert len(report.entries) == len(cli_report["entries"]) == n

    m_py, m_pyj, m_cli = (statistics.median(x) for x in (py, py_json, cli))
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_cli = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print()
    print(f"same figures: {ours}")
    print("| path | median s | ratio to CLI |")
    print("|---|---|---|")
    print(f"| Python: from_tables + compute | {m_py:.2f} | {m_py / m_cli:.2f} |")
    print(f"| Python: from_tables + compute + to_json(file) | {m_pyj:.2f} | {m_pyj / m_cli:.2f} |")
    print(f"| CLI: compute --format json --compact -o | {m_cli:.2f} | 1.00 |")
    print(f"peak RSS: this process {rss_self:,.0f} MiB (incl. the loaded JSON and the frame), "
          f"largest child {rss_cli:,.0f} MiB")
    verdict = "within" if m_py <= 2 * m_cli else "NOT within"
    print(f"target: Python path {verdict} 2x of the CLI")


if __name__ == "__main__":
    main()
