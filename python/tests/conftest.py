"""Shared helpers of the Python test suite: where the cases are, and how a report is
compared with a golden case (report-format.md)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

import mecenat

ROOT = Path(__file__).resolve().parents[2]
SHARED_CASES = ROOT / ".." / "shared" / "cases"
OWN_CASES = ROOT / "fixtures" / "cases"
BAD = ROOT / "fixtures" / "bad"
DEMO = ROOT / "fixtures" / "demo" / "scenario.json"


def case_files(directory: Path) -> list[Path]:
    """The case files of a directory; a directory with none fails (a runner that finds no
    case must not pass)."""
    files = sorted(directory.glob("*.json"))
    assert files, f"no case in {directory}"
    return files


def golden_cases() -> list[Any]:
    files = case_files(SHARED_CASES)
    assert len(files) >= 11, f"expected the 11 shared cases, found {len(files)}"
    return [
        pytest.param(p, id=f"{p.parent.name}/{p.stem}")
        for p in files + case_files(OWN_CASES)
    ]


def load_case(path: Path) -> dict[str, Any]:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(case, dict)
    return case


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def compare(expect: Any, actual: Any, path: str = "") -> list[str]:
    """report-format.md: objects on the keys the case names, recursively; arrays element
    by element with the same length; decimals compare as numbers."""
    errors: list[str] = []
    if isinstance(expect, dict) and isinstance(actual, dict):
        for k, v in expect.items():
            if k not in actual:
                errors.append(f"{path}.{k}: missing in the report")
            else:
                errors += compare(v, actual[k], f"{path}.{k}")
    elif isinstance(expect, list) and isinstance(actual, list):
        if len(expect) != len(actual):
            errors.append(f"{path}: expected {len(expect)} elements, report has {len(actual)}")
        for i, (e, a) in enumerate(zip(expect, actual)):
            errors += compare(e, a, f"{path}[{i}]")
    elif isinstance(expect, str) and isinstance(actual, str):
        de, da = _decimal(expect), _decimal(actual)
        same = de == da if de is not None and da is not None else expect == actual
        if not same:
            errors.append(f"{path}: expected {expect!r}, got {actual!r}")
    elif type(expect) is not type(actual) or expect != actual:
        errors.append(f"{path}: expected {expect!r}, got {actual!r}")
    return errors


def synthetic_scenario(n: int, *, employees: int = 10, name: str = "A",
                       employee: str = "E") -> mecenat.Scenario:
    """One company, one beneficiary called `name`, `employees` employees (ids starting with
    `employee`) and `n` one-day time entries spread over 2025."""
    people = [{"id": f"{employee}{i}", "company": "C1", "annual_gross_salary": 40000 + i,
               "annual_employer_charges": "18000", "annual_working_days": "218"}
              for i in range(employees)]
    entries = {
        "employee": [f"{employee}{i % employees}" for i in range(n)],
        "beneficiary": ["A1"] * n,
        "date": [f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
        "days": ["1"] * n,
    }
    return mecenat.Scenario.from_tables(
        companies=[{"id": "C1", "name": "X"}],
        fiscal_years=[{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                       "turnover": "50000000"}],
        beneficiaries=[{"id": "A1", "name": name}],
        employees=people, time_entries=entries)
