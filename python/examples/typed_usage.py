"""A typed tour of the Python API, checked by ``mypy --strict`` (scripts/test-extra.sh) and
run by the test suite (python/tests/test_typed_example.py).

    python python/examples/typed_usage.py [OUT_DIR]

It builds a scenario, computes it, reads the report as records, Arrow, pandas and polars,
builds a what-if scenario from edited tables, and writes the summary, the journal and the
receipts into OUT_DIR (a temporary directory by default).
"""

from __future__ import annotations

import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa

import mecenat


def staff_time(report: mecenat.Report) -> Decimal:
    """The retained staff time of every fiscal year, from the typed records."""
    return sum((fy.donations.staff_time for fy in report.fiscal_years), Decimal(0))


def main(out: Path) -> None:
    scenario = mecenat.Scenario.example()
    report = mecenat.compute(scenario, cap_method="rate")

    # Frames: Arrow-backed pandas, polars and Arrow share the same exact columns.
    name: mecenat.TableName = "entries"
    table: pa.Table = report.to_arrow(name)
    fast: pd.DataFrame = report.to_pandas(name, dtype_backend="pyarrow")
    exact: pd.DataFrame = report.to_pandas(name)
    frame: pl.DataFrame = report.to_polars(name)
    assert table.num_rows == len(fast) == len(exact) == frame.height == len(report.entries)
    assert fast["value"].sum() == staff_time(report) == Decimal("478.90")

    # What-if: the same scenario with a smaller cash gift, without JSON.
    tables = scenario.to_tables()
    tables["donations"][0]["amount"] = Decimal("10000")
    what_if = mecenat.compute(mecenat.Scenario.from_tables(tables))
    before, after = report.fiscal_years[0].reduction, what_if.fiscal_years[0].reduction
    print(f"reduction {before} → {after} with a 10,000 € gift")

    frames = scenario.to_tables("pandas")
    assert len(frames["time_entries"]) == 2

    # Documents: the French summary, the FEC-like journal, the PDF receipts.
    out.mkdir(parents=True, exist_ok=True)
    (out / "synthese.txt").write_text(report.summary(), encoding="utf-8")
    report.journal_csv(out / "journal.csv")
    paths: list[str] = report.write_receipts(out / "recus", force=True)
    file_name, pdf = report.receipt_pdf(0)
    assert pdf.startswith(b"%PDF") and paths[0].endswith(file_name)
    book = mecenat.template(tables=tables)
    read_back: dict[str, pd.DataFrame] = mecenat.read_excel(book)
    assert mecenat.Scenario.from_tables(read_back).row_counts["donations"] == 1
    print(f"{len(paths)} receipt(s), journal and summary in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()))
