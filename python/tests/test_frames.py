"""Data frames in (pandas, polars, dicts of columns) and out (to_pandas, to_polars)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

import mecenat
from conftest import DEMO

STATIC: dict[str, list[dict[str, Any]]] = {
    "companies": [{"id": "C1", "name": "Exemple Conseil SAS", "siren": "552100554"}],
    "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                      "turnover": "2000000", "tax_due": "30000"}],
    "beneficiaries": [{"id": "A1", "name": "Association Exemple"},
                      {"id": "A2", "name": "Fondation Exemple", "eligible": False}],
    "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                   "annual_employer_charges": "21600", "annual_working_days": "218"},
                  {"id": "E2", "company": "C1", "annual_gross_salary": "60000",
                   "annual_employer_charges": "27000", "annual_working_hours": "1607"}],
}

ENTRIES = [
    {"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1", "project": "P1"},
    {"employee": "E1", "beneficiary": "A1", "date": "2025-03-04", "hours": "3.5"},
    {"employee": "E2", "beneficiary": "A2", "date": "2025-03-05", "hours": "7", "project": "P2"},
    {"employee": "E2", "beneficiary": "A1", "date": "2025-03-06", "days": "0.5",
     "status": "refused"},
    {"employee": "E9", "beneficiary": "A1", "date": "2025-03-07", "days": "1"},
]


def reference() -> Any:
    return json.loads(mecenat.compute(
        mecenat.Scenario.from_tables(STATIC, time_entries=ENTRIES)).to_json())


def report_of(entries: Any) -> Any:
    return json.loads(mecenat.compute(
        mecenat.Scenario.from_tables(STATIC, time_entries=entries)).to_json())


def test_pandas_frame_with_analyst_types() -> None:
    """Dates as datetime64 (midnight), quantities as Decimal objects with None, text as the
    default string dtype: the same report as the JSON-like rows."""
    df = pd.DataFrame(ENTRIES)
    df["date"] = pd.to_datetime(df["date"])
    for col in ("days", "hours"):
        df[col] = df[col].map(lambda x: None if pd.isna(x) else Decimal(x))
    assert df["date"].dtype.kind == "M"
    assert report_of(df) == reference()


def test_pandas_frame_of_text_with_nan_gaps() -> None:
    df = pd.DataFrame(ENTRIES)  # missing keys are NaN in object/str columns
    assert df["days"].isna().any()
    assert report_of(df) == reference()


def test_pandas_nullable_and_category_dtypes() -> None:
    df = pd.DataFrame(ENTRIES)
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[s]")
    df["employee"] = df["employee"].astype("category")
    df["beneficiary"] = df["beneficiary"].astype("string")
    df["project"] = df["project"].astype("string")  # pd.NA for gaps
    assert report_of(df) == reference()
    # Integers as a nullable Int64 column (pd.NA for gaps).
    emp = pd.DataFrame(STATIC["employees"])
    emp["annual_gross_salary"] = pd.array([48000, 60000], dtype="Int64")
    emp["annual_working_days"] = pd.array([218, None], dtype="Int64")
    emp["annual_working_hours"] = pd.array([None, 1607], dtype="Int64")
    got = json.loads(mecenat.compute(mecenat.Scenario.from_tables(
        {**STATIC, "employees": emp}, time_entries=ENTRIES)).to_json())
    assert got == reference()


def test_pandas_index_is_ignored_and_datetime_nat_is_absent() -> None:
    df = pd.DataFrame(ENTRIES, index=[10, 20, 30, 40, 50])
    df["date"] = pd.to_datetime(df["date"])
    df.loc[50, "date"] = pd.NaT
    got = report_of(df)
    assert got["entries"][:4] == reference()["entries"][:4]
    [rejected] = got["rejected"]
    assert (rejected["table"], rejected["row"], rejected["key"]) == ("time_entries", 5, "date")


def test_polars_frame_with_native_types() -> None:
    df = pl.DataFrame(ENTRIES).with_columns(
        pl.col("date").str.to_date(),
        pl.col("days").cast(pl.Decimal(10, 2)),
        pl.col("hours").cast(pl.Decimal(10, 2)),
        pl.col("employee").cast(pl.Categorical),
    )
    assert report_of(df) == reference()
    assert report_of(df.lazy()) == reference()
    # Datetimes at midnight are dates.
    df2 = df.with_columns(pl.col("date").cast(pl.Datetime("ms")))
    assert report_of(df2) == reference()


def test_dict_of_columns() -> None:
    cols = {k: [e.get(k) for e in ENTRIES] for k in
            ("employee", "beneficiary", "date", "days", "hours", "project", "status")}
    assert report_of(cols) == reference()


def test_generators_and_tuples_of_rows() -> None:
    assert report_of(tuple(ENTRIES)) == reference()
    assert report_of(e for e in ENTRIES) == reference()


@pytest.fixture(scope="module")
def demo() -> mecenat.Report:
    return mecenat.compute(mecenat.Scenario.from_json(DEMO))


def test_to_pandas_keeps_money_exact(demo: mecenat.Report) -> None:
    for name in mecenat.TABLES:
        df = demo.to_pandas(name)
        assert len(df) == len(getattr(demo, name))
        for col in df.columns:
            assert df[col].dtype.kind != "f", f"{name}.{col} is float"
    df = demo.to_pandas("entries")
    assert df["value"].dtype == object
    assert all(isinstance(v, Decimal) for v in df["value"].dropna())
    assert df["row"].dtype == np.int64
    retained = df[df["status"] == "retained"]
    total = sum(retained["value"], Decimal(0))
    assert total == sum(fy.donations.staff_time for fy in demo.fiscal_years)
    fy = demo.to_pandas("fiscal_years")
    assert fy["declaration_required"].dtype == bool
    assert isinstance(fy["start"].iloc[0], dt.date)
    assert fy["reduction"].tolist() == [f.reduction for f in demo.fiscal_years]
    empty = demo.to_pandas("reduction_ledger")
    assert len(empty) == 0 and "closing" in empty.columns


def test_to_polars_keeps_money_exact(demo: mecenat.Report) -> None:
    for name in mecenat.TABLES:
        df = demo.to_polars(name)
        assert df.height == len(getattr(demo, name))
        for col, dtype in df.schema.items():
            assert not dtype.is_float(), f"{name}.{col} is float"
    df = demo.to_polars("entries")
    assert df.schema["value"] == pl.Decimal(38, 2)
    assert df.schema["date"] == pl.Date
    total = df.filter(pl.col("status") == "retained")["value"].sum()
    assert Decimal(str(total)) == sum(fy.donations.staff_time for fy in demo.fiscal_years)
    fy = demo.to_polars("fiscal_years")
    assert fy["reduction"].to_list() == [f.reduction for f in demo.fiscal_years]


def test_a_report_frame_goes_back_in() -> None:
    """A table of one report, as a frame, is valid input again (dates and decimals)."""
    report = mecenat.compute(mecenat.Scenario.from_tables(STATIC, time_entries=ENTRIES))
    df = report.to_pandas("entries")
    retained = df[df["status"] == "retained"][["employee", "beneficiary", "date", "hours"]]
    again = mecenat.compute(mecenat.Scenario.from_tables(STATIC, time_entries=retained))
    assert [e.status for e in again.entries] == ["retained"] * len(retained)
    assert again.fiscal_years[0].donations == report.fiscal_years[0].donations
