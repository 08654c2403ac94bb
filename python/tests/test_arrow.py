"""Arrow-fast frames: report.to_arrow (buffers built in Rust), to_pandas with the pyarrow
backend, to_polars over the same columns, and to_json releasing the interpreter."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import sys
import threading
import time
from decimal import Decimal
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import mecenat
from conftest import DEMO
from test_gil import big_scenario


@pytest.fixture(scope="module")
def demo() -> mecenat.Report:
    return mecenat.compute(mecenat.Scenario.from_json(DEMO))


def example() -> mecenat.Report:
    return mecenat.compute(mecenat.Scenario.example())


def test_entries_are_typed_exactly() -> None:
    t = example().to_arrow("entries")
    schema = t.schema
    assert schema.field("value").type == pa.decimal128(38, 2)
    assert schema.field("annual_cost").type == pa.decimal128(38, 2)
    # Quantities at the column's largest scale: days 1 and 0.4375 → scale 4.
    assert pa.types.is_decimal(schema.field("days").type)
    assert schema.field("date").type == pa.date32()
    assert schema.field("status").type == pa.dictionary(pa.int32(), pa.string())
    assert schema.field("employee").type == pa.string()
    assert schema.field("row").type == pa.int64()
    # The example: 1 day and 3.5 hours of a 48,000 + 21,600 € salary over 218 days, 7 h a
    # day: 69600 / 218 = 319.27 and 319.27 × 3.5 / 7 = 159.63 (rounded to the cent).
    assert t["value"].to_pylist() == [Decimal("319.27"), Decimal("159.63")]
    assert t["hours"].to_pylist() == [Decimal("7"), Decimal("3.5")]
    assert t["date"].to_pylist() == [dt.date(2025, 3, 3), dt.date(2025, 3, 10)]
    assert t["status"].to_pylist() == ["retained", "retained"]
    assert t["employee"].to_pylist() == ["E1", "E1"]
    assert t["volunteer"].null_count == 2


def test_every_table_equals_the_python_path(demo: mecenat.Report) -> None:
    """The Rust buffers against pyarrow.array over the same values (the path of an
    unpickled report): equal tables, every list of the demo."""
    back = pickle.loads(pickle.dumps(demo))
    for name in demo.tables:
        fast = demo.to_arrow(name)
        slow = back.to_arrow(name)
        assert fast.column_names == slow.column_names, name
        for col in fast.column_names:
            a, b = fast[col], slow[col]
            if pa.types.is_dictionary(a.type):
                a, b = a.cast(pa.string()), b.cast(pa.string())
            assert a.to_pylist() == b.to_pylist(), (name, col)
            if not pa.types.is_nested(a.type) and not pa.types.is_null(b.type):
                assert a.type == b.type, (name, col, a.type, b.type)
        assert fast.num_rows == len(demo.table(name))


def test_arrow_values_equal_the_records(demo: mecenat.Report) -> None:
    for name in ("entries", "fiscal_years", "receipts", "journal", "gifts"):
        rows = demo.table(name)
        t = demo.to_arrow(name)
        assert t.column_names == list(rows[0]) if rows else True
        for col in t.column_names:
            got = t[col].to_pylist()
            want = [r[col] for r in rows]
            if isinstance(want[0], list):
                continue  # nested lists: compared through the JSON path above
            assert got == want, (name, col)


def test_maps_are_spread_by_key(demo: mecenat.Report) -> None:
    t = demo.to_arrow("fiscal_years")
    cols = [c for c in t.column_names if c.startswith("reduction_by_rate.")]
    assert cols and all(t[c].type == pa.decimal128(38, 2) for c in cols)
    assert t["donations.total"].to_pylist() == [fy.donations.total for fy in demo.fiscal_years]


def test_an_empty_table_has_typed_columns() -> None:
    t = example().to_arrow("rejected")
    assert t.num_rows == 0
    assert "table" in t.column_names and t.schema.field("row").type == pa.int64()


def test_unknown_table() -> None:
    with pytest.raises(KeyError):
        example().to_arrow("nope")  # type: ignore[arg-type]


def test_large_entries_come_in_two_chunks_that_read_as_one() -> None:
    """Past 65,536 entries the buffers are built on both cores: the table is the same."""
    n = 70_000
    s = mecenat.Scenario.from_tables(
        companies=[{"id": "C1", "name": "X"}],
        fiscal_years=[{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                       "turnover": "2000000"}],
        beneficiaries=[{"id": "A1", "name": "A"}],
        employees=[{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                    "annual_employer_charges": "21600", "annual_working_days": "218"}],
        time_entries={"employee": ["E1"] * n, "beneficiary": ["A1"] * n,
                      "date": [dt.date(2025, 1, 1) + dt.timedelta(days=i % 365)
                               for i in range(n)],
                      "hours": [Decimal("0.25") if i % 2 else None for i in range(n)],
                      "days": [None if i % 2 else Decimal("1") for i in range(n)]},
    )
    r = mecenat.compute(s)
    t = r.to_arrow("entries")
    assert t.num_rows == n and t["value"].num_chunks == 2
    # Days given by hours are the hours over 7 hours a day: 0.25 / 7 = 0.0357 (4 decimals).
    assert t["days"][1].as_py() == Decimal("0.0357") and t["hours"][0].as_py() == Decimal("7")
    assert t["volunteer"].null_count == n and t["employee"].null_count == 0
    # 319.27 a day; a quarter hour is 319.27 × 0.25 / 7 = 11.40 (rounded to the cent).
    assert t["value"][0].as_py() == Decimal("319.27")
    assert t["value"][n - 1].as_py() == Decimal("11.40")
    assert t["date"][n - 1].as_py() == dt.date(2025, 1, 1) + dt.timedelta(days=(n - 1) % 365)
    df = r.to_pandas("entries", dtype_backend="pyarrow")
    assert len(df) == n and df["value"].sum() == r.fiscal_years[0].donations.staff_time


def test_pandas_pyarrow_backend(demo: mecenat.Report) -> None:
    df = demo.to_pandas("entries", dtype_backend="pyarrow")
    assert str(df["value"].dtype) == "decimal128(38, 2)[pyarrow]"
    assert str(df["date"].dtype) == "date32[day][pyarrow]"
    assert df["date"].dt.year.min() >= 2025  # .dt works
    retained = df[df["status"] == "retained"]["value"].sum()
    assert retained == sum(fy.donations.staff_time for fy in demo.fiscal_years)
    # Money is numbers, not objects: min, max and group sums are decimals (describe() of
    # a decimal128 column fails inside pandas 3.1 itself, see docs/python.md).
    values = [e.value for e in demo.entries if e.value is not None]
    assert df["value"].min() == min(values) and df["value"].max() == max(values)
    by = df.groupby("beneficiary")["value"].sum()
    assert str(by.dtype) == "decimal128(38, 2)[pyarrow]"
    assert by.sum() == sum(values)
    # The default stays object Decimals, exact.
    default = demo.to_pandas("entries")
    assert default["value"].dtype == object and isinstance(default["value"][0], Decimal)
    assert list(default.columns) == list(df.columns)
    with pytest.raises(ValueError, match="numpy_nullable"):
        demo.to_pandas("entries", dtype_backend="numpy_nullable")  # type: ignore[arg-type]


def test_polars_shares_the_columns(demo: mecenat.Report) -> None:
    df = demo.to_polars("entries")
    t = demo.to_arrow("entries")
    assert df.columns == t.column_names
    assert df.schema["value"] == pl.Decimal(38, 2)
    assert df.schema["date"] == pl.Date
    assert df["value"].to_list() == t["value"].to_pylist()
    total = df.filter(pl.col("status") == "retained")["value"].sum()
    assert total == sum(fy.donations.staff_time for fy in demo.fiscal_years)


def test_to_json_text_is_the_file(demo: mecenat.Report, tmp_path: Any) -> None:
    for pretty in (True, False):
        p = tmp_path / "r.json"
        demo.to_json(p, pretty=pretty)
        assert demo.to_json(pretty=pretty) == p.read_text(encoding="utf-8")
    assert json.loads(demo.to_json())["entries"][0]["value"] == str(demo.entries[0].value)
    demo.to_json(p)
    assert demo.to_json_bytes() == p.read_bytes()
    assert demo.to_json_bytes(pretty=False) == demo.to_json(pretty=False).encode("utf-8")


def ticks_while(work: Any) -> int:
    """How many times the main thread ran (a loop that releases the interpreter at each
    turn) while `work` ran in another thread, with a switch interval so long that a
    thread holding the interpreter keeps it: work that holds it lets the main thread run
    only before it starts; work that releases it lets it run all along. Counted, not timed."""
    started = threading.Event()
    done = threading.Event()

    def run() -> None:
        started.set()
        work()
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(30.0)
    try:
        t = threading.Thread(target=run)
        t.start()
        started.wait()
        ticks = 0
        while not done.is_set():
            ticks += 1
            time.sleep(0)
        t.join()
    finally:
        sys.setswitchinterval(old)
    return ticks


def test_to_json_and_to_arrow_release_the_interpreter() -> None:
    report = mecenat.compute(big_scenario(200_000))
    # A call that holds the interpreter: the main thread hardly runs.
    held = ticks_while(lambda: sorted(range(5_000_000, 0, -1)))
    assert held < 100, held
    works = {
        "to_json()": lambda: report.to_json(),
        "to_json(pretty=False)": lambda: report.to_json(pretty=False),
        "to_json(ensure_ascii=True)": lambda: report.to_json(ensure_ascii=True),
        "to_arrow": lambda: report.to_arrow("entries"),
    }
    for name, work in works.items():
        ticks = ticks_while(work)
        assert ticks > 20 * max(held, 10), (name, ticks, held)
