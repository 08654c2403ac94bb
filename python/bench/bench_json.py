#!/usr/bin/env python3
"""Benchmark: a report's JSON as a Python ``str`` (``report.to_json()``) against the same
JSON written to a file (``report.to_json(path)``), alternated in one process.

    python python/bench/bench_json.py [--rows 1000000] [--repeat 7] [--data DIR] [--compact]
                                      [--fresh N]

The scenario is generated once with shared/bench/gen_workbook.py --json (seed 1) into DIR
(default bench-data/ at the repository root, ignored by git), read and computed once; then
two series of rounds each time a text (the ``str`` dropped at once) and ``to_json(path)``
(into DIR, the file removed at once), alternated: ``to_json()`` first, then
``to_json(ensure_ascii=True)`` (the ``str`` of one byte a character). The first round warms up and is not counted (the first
gigabyte a process takes from a fresh virtual machine costs several times more than
later ones). The ``str`` is checked to be the file's text once, outside the timings.

``--fresh N`` also times each call in a process of its own (N of each, alternated: the
scenario read and computed, then one ``to_json()`` or one ``to_json(path)`` timed), where
the memory the text takes is always touched for the first time.

Not a test: it prints the figures of BENCHMARKS.md's Python section.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GEN = ROOT.parent / "shared" / "bench" / "gen_workbook.py"


def scenario_file(rows: int, data: Path) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    path = data / f"b{rows}.json"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(GEN), "--rows", str(rows), "--seed", "1", "--json", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def show(times: dict[str, list[float]], name: str) -> None:
    """Each series' median and rounds, and the text's median over the file's."""
    for k, v in times.items():
        print(f"  {k:5}  median {statistics.median(v):.2f} s  ({', '.join(f'{x:.2f}' for x in v)})")
    print(f"  {name} / file: {statistics.median(times[name]) / statistics.median(times['file']):.2f}")


def child(kind: str, path: Path, out: Path, pretty: bool) -> None:
    """One call in this process (``--child``): prints its time in seconds."""
    import mecenat

    report = mecenat.Scenario.from_json(path).compute()
    t = time.perf_counter()
    text = report.to_json(pretty=pretty) if kind == "str" else report.to_json(out, pretty=pretty)
    seconds = time.perf_counter() - t
    del text
    print(f"{seconds:.4f}")


def fresh(n: int, rows: int, data: Path, out: Path, pretty: bool) -> None:
    """``n`` calls of each kind, each in a process of its own, alternated."""
    times: dict[str, list[float]] = {"str": [], "file": []}
    for _ in range(n):
        for kind in times:
            cmd = [sys.executable, __file__, "--child", kind, "--rows", str(rows), "--data", str(data)]
            run = subprocess.run(cmd + ([] if pretty else ["--compact"]), check=True, capture_output=True, text=True)
            times[kind].append(float(run.stdout.split()[-1]))
            out.unlink(missing_ok=True)
    print(f"  fresh processes, {n} of each:")
    show(times, "str")


def main() -> None:
    import mecenat

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--data", type=Path, default=ROOT / "bench-data")
    ap.add_argument("--compact", action="store_true", help="compact JSON instead of pretty")
    ap.add_argument("--fresh", type=int, default=0, metavar="N", help="also N calls of each in fresh processes")
    ap.add_argument("--child", choices=["str", "file"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    pretty = not args.compact
    out = args.data / "bench_json.out.json"
    path = scenario_file(args.rows, args.data)
    if args.child:
        child(args.child, path, out, pretty)
        return
    report = mecenat.Scenario.from_json(path).compute()
    report.to_json(out, pretty=pretty)
    assert report.to_json(pretty=pretty) == out.read_text(encoding="utf-8"), "str and file differ"
    out.unlink()
    print(f"{args.rows:,} entries, {'pretty' if pretty else 'compact'} JSON, {args.repeat} rounds (after one warm-up):")
    # Two series, each alternating one text with the file: the str of two bytes a character
    # (the default text, when it holds a character beyond Latin-1), then the ASCII one.
    for name, ascii in (("str", False), ("ascii", True)):
        times: dict[str, list[float]] = {name: [], "file": []}
        for round_ in range(args.repeat + 1):
            t = time.perf_counter()
            text = report.to_json(pretty=pretty, ensure_ascii=ascii)
            a = time.perf_counter() - t
            del text
            t = time.perf_counter()
            report.to_json(out, pretty=pretty)
            b = time.perf_counter() - t
            os.unlink(out)
            if round_:
                times[name].append(a)
                times["file"].append(b)
        show(times, name)
    del report
    if args.fresh:
        fresh(args.fresh, args.rows, args.data, out, pretty)

if __name__ == "__main__":
    main()
