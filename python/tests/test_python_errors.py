"""Errors that fit Python: float hints in the caller's terms (plain Python, numpy scalar,
pandas, polars), NaN named as a missing id, file errors that are FileNotFoundError,
PermissionError… with errno and filename."""

from __future__ import annotations

import errno
import os
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest

import mecenat

COMPANY = [{"id": "C1", "name": "X"}]


def employees(value: object) -> list[dict[str, object]]:
    return [{"id": "E1", "company": "C1", "annual_working_days": value}]


def refusal(**tables: object) -> mecenat.InputTypeError:
    with pytest.raises(mecenat.InputTypeError) as info:
        mecenat.Scenario.from_tables(companies=COMPANY, **tables)
    return info.value


def test_a_numpy_float_is_shown_as_its_number_with_a_numpy_hint() -> None:
    for v in (np.float64(218.0), np.float32(218.0)):
        e = refusal(employees=employees(v))
        text = str(e)
        assert "np.float" not in text, text
        assert "numpy" in text and 'Decimal("218.0")' in text and "Decimal(str(x))" in text
        assert (e.table, e.row, e.key) == ("employees", 1, "annual_working_days")


def test_a_plain_float_gets_the_plain_hint() -> None:
    text = str(refusal(employees=employees(218.5)))
    assert 'Decimal("218.5")' in text and "numpy" not in text and "pd." not in text


def test_a_polars_float_column_gets_polars_code() -> None:
    df = pl.DataFrame({"id": ["E1"], "company": ["C1"], "annual_working_days": [218.0]})
    text = str(refusal(employees=df))
    assert "pl.col('annual_working_days')" in text and "pl.String" in text
    assert "pd." not in text and ".map(" not in text


def test_the_polars_hint_works() -> None:
    df = pl.DataFrame({"x": [218.0]})
    fixed = df.with_columns(pl.col("x").cast(pl.Decimal(scale=2)))
    assert str(fixed["x"][0]) == "218.00"


def test_a_pandas_float_column_gets_pandas_code() -> None:
    df = pd.DataFrame({"id": ["E1"], "company": ["C1"], "annual_working_days": [218.0]})
    text = str(refusal(employees=df))
    assert "pd.read_csv" in text and "df['annual_working_days'].map" in text
    assert "np.float" not in text


def test_nan_in_an_id_column_is_a_missing_id() -> None:
    # pandas reads numeric ids with an empty cell as float64.
    df = pd.DataFrame({"id": [1.0, np.nan], "company": ["C1", "C1"]})
    e = refusal(employees=df)
    assert "missing id" in str(e) and "row 2 is missing" in str(e)
    assert "dtype={'id': str}" in str(e) and "money" not in str(e)
    # A NaN in rows (from DataFrame.to_dict) is a missing id, not a float to convert.
    rows = [{"id": "E1", "company": float("nan")}]
    e = refusal(employees=rows)
    assert "missing id" in str(e) and "Decimal" not in str(e), str(e)
    e = refusal(employees=employees(np.float64("nan")))
    assert "missing value" in str(e), str(e)


def test_a_missing_file_is_a_file_not_found_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(FileNotFoundError) as info:
        mecenat.Scenario.from_json(missing)
    e = info.value
    assert isinstance(e, mecenat.FileError) and isinstance(e, OSError)
    assert e.errno == errno.ENOENT and e.filename == str(missing)
    assert "nope.json" in str(e)
    with pytest.raises(FileNotFoundError):
        mecenat.Scenario.from_excel(tmp_path / "nope.xlsx")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is type(e) and back.errno == e.errno and back.filename == e.filename
    assert str(back) == str(e)


def test_a_directory_is_an_is_a_directory_error(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError) as info:
        mecenat.Scenario.from_json(tmp_path)
    assert isinstance(info.value, mecenat.FileError)
    assert info.value.errno == errno.EISDIR


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_a_permission_error(tmp_path: Path) -> None:
    p = tmp_path / "secret.json"
    p.write_text("{}", encoding="utf-8")
    p.chmod(0)
    with pytest.raises(PermissionError) as info:
        mecenat.Scenario.from_json(p)
    assert isinstance(info.value, mecenat.FileError) and info.value.errno == errno.EACCES


def test_writing_into_a_missing_directory_is_a_file_not_found_error(tmp_path: Path) -> None:
    report = mecenat.compute(mecenat.Scenario.example())
    with pytest.raises(FileNotFoundError) as info:
        report.to_json(tmp_path / "no" / "r.json")
    assert isinstance(info.value, mecenat.FileError)


def test_a_file_error_without_errno_stays_a_plain_file_error() -> None:
    e = mecenat.FileError("zip is corrupt", path="x.xlsx")
    assert type(e) is mecenat.FileError and e.errno is None and e.filename == "x.xlsx"
    e2 = mecenat.FileError("gone", path="y", errno=errno.ENOENT)
    assert type(e2) is mecenat.FileNotFoundFileError


def test_the_documents_raise_os_errors_by_errno(tmp_path: Path) -> None:
    report = mecenat.compute(mecenat.Scenario.example())
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError) as info:
        report.write_receipts(a_file / "recus")
    assert isinstance(info.value, mecenat.FileError) and info.value.errno == errno.ENOTDIR
    report.write_receipts(tmp_path / "recus")
    with pytest.raises(FileExistsError) as exists:
        report.write_receipts(tmp_path / "recus")
    assert exists.value.errno == errno.EEXIST and "already exist" in str(exists.value)
    with pytest.raises(IsADirectoryError):
        mecenat.read_excel(tmp_path)
    with pytest.raises(FileNotFoundError):
        report.journal_csv(tmp_path / "no" / "journal.csv")
