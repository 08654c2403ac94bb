"""Real exports in: pyarrow-backed frames, a named index, the Excel template's French
headers, extra_columns="ignore"."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

import mecenat
from test_frames import ENTRIES, STATIC, reference, report_of

CSV = (
    "employee,beneficiary,date,days,hours,project\n"
    "E1,A1,2025-03-03,1,,P1\n"
    "E1,A1,2025-03-04,,3.5,\n"
    "E2,A2,2025-03-05,,7,P2\n"
    "E9,A1,2025-03-07,1,,\n"
)
ROWS = [ENTRIES[0], ENTRIES[1], ENTRIES[2], ENTRIES[4]]


def rows_report() -> Any:
    return report_of(ROWS)


def test_read_csv_with_the_pyarrow_backend() -> None:
    """read_csv(dtype_backend="pyarrow") with dates parsed: date32[pyarrow] (it crashed
    with numpy's isnat), text as string[pyarrow]; quantities read as text then decimal."""
    df = pd.read_csv(io.StringIO(CSV), dtype_backend="pyarrow", engine="pyarrow",
                     dtype={"days": "string[pyarrow]", "hours": "string[pyarrow]"})
    df["date"] = df["date"].astype(pd.ArrowDtype(pa.date32()))
    assert str(df["date"].dtype) == "date32[day][pyarrow]"
    assert report_of(df) == rows_report()


def test_pyarrow_decimal_and_timestamp_columns() -> None:
    df = pd.DataFrame(ROWS)
    df["date"] = pd.to_datetime(df["date"]).astype(pd.ArrowDtype(pa.timestamp("ms")))
    for col in ("days", "hours"):
        values = [None if pd.isna(x) else Decimal(x) for x in df[col]]
        df[col] = pd.Series(pa.array(values, pa.decimal128(10, 2)),
                            dtype=pd.ArrowDtype(pa.decimal128(10, 2)))
    df["employee"] = df["employee"].astype(pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string())))
    assert report_of(df) == rows_report()


def test_pyarrow_float_and_time_of_day_are_refused_naming_the_column() -> None:
    df = pd.DataFrame(ROWS)
    df["days"] = pd.array([1.0, None, None, 1.0], dtype=pd.ArrowDtype(pa.float64()))
    with pytest.raises(mecenat.InputTypeError) as info:
        report_of(df)
    assert info.value.key == "days" and info.value.row == 1 and "float" in str(info.value)
    df = pd.DataFrame(ROWS)
    stamps = pd.to_datetime(df["date"]) + pd.Timedelta(hours=9)
    df["date"] = stamps.astype(pd.ArrowDtype(pa.timestamp("us")))
    with pytest.raises(mecenat.InputTypeError) as info:
        report_of(df)
    assert info.value.key == "date" and "time of day" in str(info.value)
    df["date"] = stamps.dt.tz_localize("Europe/Paris").astype(
        pd.ArrowDtype(pa.timestamp("us", tz="Europe/Paris")))
    with pytest.raises(mecenat.InputTypeError, match="time zone"):
        report_of(df)


def test_a_named_index_is_read_as_its_column() -> None:
    employees = pd.DataFrame(STATIC["employees"]).set_index("id")
    got = json.loads(mecenat.compute(mecenat.Scenario.from_tables(
        {**STATIC, "employees": employees}, time_entries=ENTRIES)).to_json())
    assert got == reference()
    # Two levels, one of them a column of the table, the other not: the first is read,
    # the other ignored.
    entries = pd.DataFrame(ENTRIES)
    entries["batch"] = 7
    entries = entries.set_index(["employee", "batch"])
    assert report_of(entries) == reference()
    # An unnamed or unrelated index is ignored, as before.
    assert report_of(pd.DataFrame(ENTRIES).set_axis(range(10, 15))) == reference()


def test_french_headers_as_the_template_writes_them() -> None:
    headers = {key: fr for key, fr, _ in mecenat._mecenat.table_columns("time_entries") or []}
    assert headers["employee"] == "Salarié" and headers["date"] == "Date"
    df = pd.DataFrame(ENTRIES).rename(columns=headers)
    assert "Salarié" in df.columns
    assert report_of(df) == reference()
    # Rows with French keys, and English keys in another case, read the same.
    rows = [{headers.get(k, k): v for k, v in r.items()} for r in ENTRIES]
    assert report_of(rows) == reference()
    employees = pd.DataFrame(STATIC["employees"])
    fr = {k: f for k, f, _ in mecenat._mecenat.table_columns("employees") or []}
    got = json.loads(mecenat.compute(mecenat.Scenario.from_tables(
        {**STATIC, "employees": employees.rename(columns=fr)}, time_entries=ENTRIES)).to_json())
    assert got == reference()


def test_a_key_given_twice_is_an_error() -> None:
    df = pd.DataFrame(ENTRIES)
    df["Salarié"] = df["employee"]
    with pytest.raises(mecenat.ScenarioError, match="both stand for the key"):
        report_of(df)
    rows = [dict(r, **{"Salarié": r["employee"]}) for r in ENTRIES]
    with pytest.raises(mecenat.ScenarioError, match="stand for the key"):
        report_of(rows)


def test_extra_columns() -> None:
    df = pd.DataFrame(ENTRIES)
    df["commentaire"] = "relu"
    with pytest.raises(mecenat.ScenarioError) as info:
        report_of(df)  # default: an unknown column is an error naming it
    assert "commentaire" in str(info.value)
    got = json.loads(mecenat.compute(mecenat.Scenario.from_tables(
        STATIC, time_entries=df, extra_columns="ignore")).to_json())
    assert got == reference()
    rows = [dict(r, note="x") for r in ENTRIES]
    got = json.loads(mecenat.compute(mecenat.Scenario.from_tables(
        STATIC, time_entries=rows, extra_columns="ignore")).to_json())
    assert got == reference()
    with pytest.raises(ValueError, match="extra_columns"):
        mecenat.Scenario.from_tables(STATIC, extra_columns="drop")  # type: ignore[arg-type]
