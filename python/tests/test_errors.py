"""Every error path: refused types at the boundary, invalid scenarios, files, strict mode,
and the bad-input corpus of fixtures/bad through the Python API."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

import mecenat
from conftest import BAD, case_files

COMPANY = [{"id": "C1", "name": "Exemple Conseil SAS"}]


def fiscal_year(**over: Any) -> list[dict[str, Any]]:
    row: dict[str, Any] = {"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                           "turnover": "2000000"}
    row.update(over)
    return [row]


def test_hierarchy() -> None:
    assert issubclass(mecenat.ScenarioError, mecenat.MecenatError)
    assert issubclass(mecenat.ScenarioError, ValueError)
    assert issubclass(mecenat.InputTypeError, mecenat.ScenarioError)
    assert issubclass(mecenat.InputTypeError, TypeError)
    assert issubclass(mecenat.ParameterError, mecenat.MecenatError)
    assert issubclass(mecenat.StrictError, mecenat.MecenatError)
    assert issubclass(mecenat.StrictError, mecenat.ScenarioError)
    assert issubclass(mecenat.FileError, mecenat.MecenatError)
    assert issubclass(mecenat.FileError, OSError)
    assert issubclass(mecenat.MecenatError, Exception)


# ------------------------------------------------------------------ floats


@pytest.mark.parametrize("value", [2000000.0, 0.1, float("nan"), float("inf"), np.float64(3.0)])
def test_a_float_is_a_type_error_saying_what_to_pass(value: float) -> None:
    with pytest.raises(TypeError) as info:
        mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=fiscal_year(turnover=value))
    e = info.value
    assert isinstance(e, mecenat.InputTypeError)
    assert (e.table, e.row, e.key) == ("fiscal_years", 1, "turnover")
    msg = str(e)
    assert "float" in msg and "Decimal" in msg and "string" in msg
    assert "fiscal_years" in msg and "turnover" in msg


def test_a_float_in_a_later_row_names_that_row() -> None:
    entries = [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}] * 3
    entries = [dict(e) for e in entries]
    entries[2]["days"] = 0.5
    with pytest.raises(mecenat.InputTypeError) as info:
        mecenat.Scenario.from_tables(time_entries=entries)
    assert (info.value.table, info.value.row, info.value.key) == ("time_entries", 3, "days")
    assert info.value.value == "0.5"


def test_a_float_column_of_a_pandas_frame_is_refused() -> None:
    df = pd.DataFrame({"company": ["C1", "C1"], "start": ["2025-01-01", "2026-01-01"],
                       "end": ["2025-12-31", "2026-12-31"], "turnover": [np.nan, 2e6]})
    with pytest.raises(mecenat.InputTypeError) as info:
        mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=df)
    e = info.value
    assert (e.table, e.row, e.key) == ("fiscal_years", 2, "turnover")
    assert "float64" in str(e) and "Decimal" in str(e)


def test_an_int_column_with_gaps_becomes_float_in_pandas_and_is_refused() -> None:
    rows = [{"company": "C1", "kind": "donations", "origin_end": "2024-12-31",
             "amount": "100", "years_left": 3},
            {"company": "C1", "kind": "donations", "origin_end": "2023-12-31", "amount": "100"}]
    with pytest.raises(mecenat.InputTypeError, match="years_left"):
        mecenat.Scenario.from_tables(carryforwards=pd.DataFrame(rows))
    # dtype=object keeps ints and gaps as they are.
    s = mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=fiscal_year(),
                                     carryforwards=pd.DataFrame(rows, dtype=object))
    assert s.row_counts["carryforwards"] == 2


def test_an_all_missing_float_column_is_absent() -> None:
    df = pd.DataFrame({"company": ["C1"], "start": ["2025-01-01"], "end": ["2025-12-31"],
                       "turnover": ["2000000"], "tax_due": [np.nan]})
    s = mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=df)
    assert mecenat.compute(s).fiscal_years[0].tax_due is None


def test_a_float_column_of_a_polars_frame_is_refused() -> None:
    df = pl.DataFrame({"company": ["C1"], "start": ["2025-01-01"], "end": ["2025-12-31"],
                       "turnover": [2e6]})
    with pytest.raises(mecenat.InputTypeError) as info:
        mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=df)
    assert (info.value.table, info.value.row, info.value.key) == ("fiscal_years", 1, "turnover")


def test_a_float_in_a_dict_of_columns_is_refused() -> None:
    cols = {"company": ["C1"], "start": ["2025-01-01"], "end": ["2025-12-31"],
            "turnover": [2e6]}
    with pytest.raises(mecenat.InputTypeError, match="float"):
        mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=cols)


def test_nan_is_missing_only_in_data_frames() -> None:
    # In an object column of a frame, NaN is pandas' "missing": the key is absent.
    df = pd.DataFrame({"company": ["C1"], "start": ["2025-01-01"], "end": ["2025-12-31"],
                       "turnover": ["2000000"], "tax_due": [np.nan]}, dtype=object)
    s = mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=df)
    assert mecenat.compute(s).fiscal_years[0].tax_due is None
    # In a list of dicts, a float NaN is a float.
    with pytest.raises(mecenat.InputTypeError):
        mecenat.Scenario.from_tables(companies=COMPANY,
                                     fiscal_years=fiscal_year(tax_due=float("nan")))


# ------------------------------------------------------------------ decimals and ints


@pytest.mark.parametrize("text", ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity"])
def test_decimal_nan_and_infinities_are_refused(text: str) -> None:
    with pytest.raises(mecenat.ScenarioError) as info:
        mecenat.Scenario.from_tables(companies=COMPANY,
                                     fiscal_years=fiscal_year(turnover=Decimal(text)))
    e = info.value
    assert not isinstance(e, TypeError)
    assert (e.table, e.row, e.key) == ("fiscal_years", 1, "turnover")
    assert "NaN" in str(e) or "infinit" in str(e)


def test_a_decimal_beyond_28_digits_is_refused_not_rounded() -> None:
    with pytest.raises(mecenat.ScenarioError, match="28"):
        mecenat.Scenario.from_tables(
            companies=COMPANY,
            fiscal_years=fiscal_year(turnover=Decimal("1.00000000000000000000000000001")))


def test_a_huge_int_is_refused() -> None:
    with pytest.raises(mecenat.ScenarioError, match="too large"):
        mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=fiscal_year(turnover=10**40))


def test_decimal_exponents_and_numpy_ints_are_accepted() -> None:
    s = mecenat.Scenario.from_tables(
        companies=COMPANY,
        fiscal_years=fiscal_year(turnover=Decimal("2E+6"), tax_due=np.int64(30000)))
    fy = mecenat.compute(s).fiscal_years[0]
    assert fy.turnover == Decimal("2000000") and fy.tax_due == Decimal("30000")


# ------------------------------------------------------------------ dates


def test_a_datetime_is_a_type_error() -> None:
    with pytest.raises(TypeError) as info:
        mecenat.Scenario.from_tables(
            companies=COMPANY, fiscal_years=fiscal_year(start=dt.datetime(2025, 1, 1)))
    e = info.value
    assert isinstance(e, mecenat.InputTypeError)
    assert (e.table, e.row, e.key) == ("fiscal_years", 1, "start")
    assert "datetime.date" in str(e)


def test_a_pandas_timestamp_in_a_dict_is_a_datetime() -> None:
    with pytest.raises(mecenat.InputTypeError, match="datetime"):
        mecenat.Scenario.from_tables(
            companies=COMPANY, fiscal_years=fiscal_year(start=pd.Timestamp("2025-01-01")))


def test_a_datetime_column_with_a_time_of_day_is_refused() -> None:
    df = pd.DataFrame({"company": ["C1", "C1"],
                       "start": pd.to_datetime(["2025-01-01 00:00", "2026-01-01 08:30"]),
                       "end": ["2025-12-31", "2026-12-31"], "turnover": ["1", "1"]})
    with pytest.raises(mecenat.InputTypeError) as info:
        mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=df)
    assert (info.value.row, info.value.key) == (2, "start")
    assert "time of day" in str(info.value)
    with pytest.raises(mecenat.InputTypeError, match="time of day"):
        mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=pl.DataFrame({
            "company": ["C1", "C1"], "end": ["2025-12-31", "2026-12-31"], "turnover": ["1", "1"],
            "start": [dt.datetime(2025, 1, 1), dt.datetime(2026, 1, 1, 8, 30)]}))


def test_a_time_zone_aware_column_is_refused() -> None:
    df = pd.DataFrame({"company": ["C1"], "end": ["2025-12-31"], "turnover": ["1"],
                       "start": pd.to_datetime(["2025-01-01"]).tz_localize("Europe/Paris")})
    with pytest.raises(mecenat.InputTypeError, match="time zone"):
        mecenat.Scenario.from_tables(companies=COMPANY, fiscal_years=df)


def test_an_impossible_date_text_is_a_rejection_not_an_error() -> None:
    s = mecenat.Scenario.from_tables(
        companies=COMPANY, fiscal_years=fiscal_year(),
        beneficiaries=[{"id": "A1", "name": "A"}],
        donations=[{"company": "C1", "beneficiary": "A1", "date": "2025-02-30", "amount": "1"}])
    [rej] = mecenat.compute(s).rejected
    assert (rej.table, rej.row, rej.key) == ("donations", 1, "date")
    assert "2025-02-30" in rej.reason


# ------------------------------------------------------------------ shapes and types


def test_unsupported_values_name_their_type() -> None:
    for bad in ([1], {"a": 1}, object(), b"bytes", dt.time(8, 0), 1j):
        with pytest.raises(mecenat.InputTypeError) as info:
            mecenat.Scenario.from_tables(companies=[{"id": "C1", "name": bad}])
        assert info.value.key == "name"
        assert type(bad).__name__ in str(info.value)


def test_rows_must_be_dicts_with_string_keys() -> None:
    with pytest.raises(mecenat.InputTypeError, match="row 2"):
        mecenat.Scenario.from_tables(companies=[{"id": "C1", "name": "X"}, ["C2", "Y"]])
    with pytest.raises(mecenat.InputTypeError, match="not a string"):
        mecenat.Scenario.from_tables(companies=[{1: "C1"}])
    with pytest.raises(mecenat.InputTypeError, match="list of dicts"):
        mecenat.Scenario.from_tables(companies=42)
    with pytest.raises(mecenat.InputTypeError, match="list of dicts"):
        mecenat.Scenario.from_tables(companies="C1")
    with pytest.raises(mecenat.InputTypeError, match="has 1 values"):
        mecenat.Scenario.from_tables(companies={"id": ["C1", "C2"], "name": ["X"]})
    df = pd.DataFrame([["C1", "X", "Y"]], columns=["id", "name", "name"])
    with pytest.raises(mecenat.InputTypeError, match="more than once"):
        mecenat.Scenario.from_tables(companies=df)
    with pytest.raises(TypeError, match="twice"):
        mecenat.Scenario.from_tables({"companies": COMPANY}, companies=COMPANY)


# ------------------------------------------------------------------ the core's checks


def test_unknown_key_names_table_row_and_key() -> None:
    with pytest.raises(mecenat.ScenarioError) as info:
        mecenat.Scenario.from_tables(companies=[{"id": "C1", "name": "X"},
                                                {"id": "C2", "nme": "Y"}])
    e = info.value
    assert (e.table, e.row, e.key, e.value) == ("companies", 2, "nme", "Y")
    assert e.cell is None
    assert "nme" in str(e) and "name" in str(e)


def test_unknown_key_in_a_frame_column() -> None:
    df = pd.DataFrame({"id": ["C1"], "name": ["X"], "siret": [None]})
    with pytest.raises(mecenat.ScenarioError) as info:
        mecenat.Scenario.from_tables(companies=df)
    assert (info.value.table, info.value.key) == ("companies", "siret")


def test_unknown_table() -> None:
    with pytest.raises(mecenat.ScenarioError) as info:
        mecenat.Scenario.from_tables(employes=[])
    assert info.value.table == "employes"
    assert "employees" in str(info.value)


def test_json_errors_are_scenario_errors() -> None:
    with pytest.raises(mecenat.ScenarioError, match="JSON") as info:
        mecenat.Scenario.from_json('{"companies": [')
    assert info.value.table is None
    with pytest.raises(mecenat.ScenarioError) as info:
        mecenat.Scenario.from_json(json.dumps(
            {"companies": COMPANY, "fiscal_years": fiscal_year()}).replace('"2000000"', "2000000.5"))
    e = info.value
    assert (e.table, e.row, e.key, e.value) == ("fiscal_years", 1, "turnover", "2000000.5")
    assert "float" in str(e)
    with pytest.raises(mecenat.ScenarioError):
        mecenat.Scenario.from_json(b"[1, 2]")


def test_a_missing_file_is_a_file_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(OSError) as info:
        mecenat.Scenario.from_json(missing)
    assert isinstance(info.value, mecenat.FileError)
    assert info.value.filename == str(missing)
    assert "nope.json" in str(info.value)
    with pytest.raises(mecenat.FileError):
        mecenat.Scenario.from_json(str(missing))
    with pytest.raises(mecenat.FileError):
        mecenat.Scenario.from_excel(tmp_path / "nope.xlsx")


def test_not_a_workbook_is_a_scenario_error() -> None:
    with pytest.raises(mecenat.ScenarioError):
        mecenat.Scenario.from_excel(b"this is not a zip archive")


def test_writing_into_a_missing_directory_is_a_file_error(tmp_path: Path) -> None:
    report = mecenat.compute(mecenat.Scenario.from_tables(companies=COMPANY,
                                                          fiscal_years=fiscal_year()))
    with pytest.raises(mecenat.FileError):
        report.to_excel(tmp_path / "no" / "such" / "dir.xlsx")
    with pytest.raises(mecenat.FileError):
        report.to_json(tmp_path / "no" / "such" / "dir.json")
    with pytest.raises(ValueError, match="lang"):
        report.to_excel(lang="de")  # type: ignore[arg-type]


def test_strict_mode() -> None:
    s = mecenat.Scenario.from_tables(
        companies=COMPANY, fiscal_years=fiscal_year(),
        beneficiaries=[{"id": "A1", "name": "A"}],
        donations=[{"company": "C1", "beneficiary": "A9", "date": "2025-04-01", "amount": "5"},
                   {"company": "C1", "beneficiary": "A1", "date": "2025-04-01", "amount": "5"},
                   {"company": "C1", "beneficiary": "A1", "date": "2024-04-01", "amount": "5"}])
    assert len(mecenat.compute(s).rejected) == 2
    with pytest.raises(mecenat.StrictError) as info:
        mecenat.compute(s, strict=True)
    e = info.value
    assert e.count == 2 and len(e.rejected) == 2
    assert isinstance(e.rejected[0], mecenat.Rejection)
    assert e.rejected[0].table == "donations" and e.rejected[0].row == 1
    assert "A9" in e.first and "A9" in str(e)
    # A data error: caught as a ScenarioError (and a ValueError), located at the first row.
    assert isinstance(e, mecenat.ScenarioError) and isinstance(e, ValueError)
    assert (e.table, e.row, e.key, e.value) == ("donations", 1, "beneficiary", "A9")
    try:
        mecenat.compute(s, strict=True)
    except mecenat.ScenarioError as caught:
        assert caught.rejected[1].row == 3 and caught.rejected[1].key == "date"
    else:
        raise AssertionError("strict mode did not raise")


def test_type_errors_of_the_api() -> None:
    with pytest.raises(TypeError):
        mecenat.compute({"companies": []})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mecenat.Scenario(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mecenat.Scenario.from_json(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mecenat.Scenario.from_excel(42)  # type: ignore[arg-type]


def test_errors_pickle() -> None:
    with pytest.raises(mecenat.ScenarioError) as info:
        mecenat.Scenario.from_tables(companies=[{"id": "C1", "nme": "X"}])
    e = pickle.loads(pickle.dumps(info.value))
    assert type(e) is mecenat.ScenarioError
    assert (e.table, e.row, e.key, str(e)) == ("companies", 1, "nme", str(info.value))


# ------------------------------------------------------------------ the bad-input corpus


def bad_cases() -> list[Any]:
    return [pytest.param(p, id=p.name.removesuffix(".expect.json"))
            for p in case_files(BAD) if p.name.endswith(".expect.json")]


@pytest.mark.parametrize("expect_path", bad_cases())
def test_bad_input(expect_path: Path) -> None:
    expect = json.loads(expect_path.read_text(encoding="utf-8"))
    source = expect_path.with_name(expect_path.name.replace(".expect.json", ".json"))
    if "error" in expect:
        with pytest.raises(mecenat.ScenarioError) as info:
            mecenat.compute(mecenat.Scenario.from_json(source))
        for sub in expect["error"]:
            assert sub in str(info.value)
    else:
        report = mecenat.compute(mecenat.Scenario.from_json(source))
        assert len(report.rejected) == len(expect["rejected"]), list(report.rejected)
        for want, got in zip(expect["rejected"], report.rejected):
            assert (got.table, got.row) == (want["table"], want["row"])
            for sub in want["contains"]:
                assert sub in got.reason
