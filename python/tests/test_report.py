"""The typed report: records, tables and frames say exactly what the JSON report says."""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import mecenat
from mecenat._report import _flat_kinds
from conftest import DEMO, golden_cases, load_case

OBJECTS = {"programme", "policies", "warnings", "assumptions", "disclaimer"}


@pytest.fixture(scope="module")
def demo() -> mecenat.Report:
    return mecenat.compute(mecenat.Scenario.from_json(DEMO))


def flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def same(py: Any, js: Any, where: str) -> None:
    """A converted value against the JSON value: Decimals keep the report's exact text."""
    if isinstance(py, Decimal):
        assert isinstance(js, str) and str(py) == js, where
    elif isinstance(py, date):
        assert js == py.isoformat(), where
    elif isinstance(py, list):
        assert isinstance(js, list) and len(py) == len(js), where
        for i, (a, b) in enumerate(zip(py, js)):
            same(a, b, f"{where}[{i}]")
    elif isinstance(py, dict):
        assert isinstance(js, dict) and set(py) == set(js), where
        for k in py:
            same(py[k], js[k], f"{where}.{k}")
    else:
        assert type(py) is type(js) and py == js, f"{where}: {py!r} != {js!r}"


def check_tables(report: mecenat.Report) -> None:
    js = json.loads(report.to_json())
    names = set(report._raw.field_names())
    assert names == set(js), "field_names and JSON agree"
    unknown = names - set(mecenat.TABLES) - OBJECTS
    assert not unknown, f"report fields this package does not type yet: {unknown}"
    for name in mecenat.TABLES:
        rows = report.table(name)
        assert len(rows) == len(js[name]) == len(getattr(report, name)), name
        kinds = _flat_kinds(mecenat.TABLES[name])
        for i, (row, jrow) in enumerate(zip(rows, js[name])):
            flat = flatten(jrow)
            # An optional nested record that is null (a reference's supplied_by): its
            # dotted columns are null.
            for k in [k for k, v in flat.items() if v is None and k not in kinds]:
                dotted = [c for c in kinds if c.startswith(k + ".")]
                if not dotted:
                    continue  # a map's key with a null value
                assert all(row[c] is None for c in dotted), k
                del flat[k]
                for c in dotted:
                    flat[c] = None
            assert set(flat) <= set(row), f"{name}[{i}] columns"
            for k in set(row) - set(flat):
                # A map's key present in other rows only: absent here (json_normalize does
                # the same).
                kind = _flat_kinds(mecenat.TABLES[name]).get(k.split(".")[0])
                assert kind is not None and kind.mapping and row[k] is None, k
            for k in flat:
                same(row[k], flat[k], f"{name}[{i}].{k}")


def test_demo_tables_match_the_json(demo: mecenat.Report) -> None:
    check_tables(demo)


@pytest.mark.parametrize("path", golden_cases())
def test_case_tables_match_the_json(path: Path) -> None:
    case = load_case(path)
    check_tables(mecenat.compute(mecenat.Scenario.from_json(json.dumps(case["scenario"]))))


def test_records_know_every_column(demo: mecenat.Report) -> None:
    """Each record class types exactly the columns the core produces (a new field of the
    core fails here until the package types it)."""
    for name, cls in mecenat.TABLES.items():
        # As the records read them (an optional nested record's columns always dotted).
        cols = demo._cols(name)
        if not cols:
            continue
        kinds = _flat_kinds(cls)
        assert set(cols) == set(kinds), f"{name}: {set(cols) ^ set(kinds)}"


def test_records_equal_their_json(demo: mecenat.Report) -> None:
    js = json.loads(demo.to_json())
    for name in mecenat.TABLES:
        for rec, jrow in zip(getattr(demo, name), js[name]):
            same(to_plain(rec), jrow, name)
    same(to_plain(demo.programme), js["programme"], "programme")
    same(to_plain(demo.policies), js["policies"], "policies")
    assert list(demo.warnings) == js["warnings"]
    assert list(demo.assumptions) == js["assumptions"]
    assert demo.disclaimer == js["disclaimer"]


def to_plain(v: Any) -> Any:
    if isinstance(v, enum.Enum):
        return v.value
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: to_plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, tuple):
        return [to_plain(x) for x in v]
    if isinstance(v, Mapping):
        return {k: to_plain(x) for k, x in v.items()}
    return v


def test_fiscal_year_fields_are_typed(demo: mecenat.Report) -> None:
    fy = demo.fiscal_years[0]
    assert isinstance(fy, mecenat.FiscalYear)
    assert isinstance(fy.start, date) and isinstance(fy.end, date)
    assert isinstance(fy.reduction, Decimal) and isinstance(fy.ceiling, Decimal)
    assert isinstance(fy.donations, mecenat.Donations)
    assert isinstance(fy.donations.total, Decimal)
    assert fy.tax_due is None or isinstance(fy.tax_due, Decimal)
    assert all(isinstance(v, Decimal) for v in fy.reduction_by_rate.values())
    assert isinstance(fy.declaration_required, bool)
    assert isinstance(fy.form_2069_rci_reduction, int)
    assert sum(fy.reduction_by_rate.values()) == fy.reduction


def test_absent_figures_are_none() -> None:
    s = mecenat.Scenario.from_json(
        '{"companies": [{"id": "C1", "name": "X"}], "fiscal_years": [{"company": "C1",'
        ' "start": "2025-01-01", "end": "2025-12-31", "turnover": "1000000"}]}'
    )
    fy = mecenat.compute(s).fiscal_years[0]
    assert fy.tax_due is None and fy.reduction_used is None
    assert fy.reduction == Decimal("0.00")


def test_records_are_read_only(demo: mecenat.Report) -> None:
    fy = demo.fiscal_years[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fy.reduction = Decimal(0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        fy.reduction_by_rate["0.60"] = Decimal(0)  # type: ignore[index]
    with pytest.raises(AttributeError):
        demo.entries = []  # type: ignore[misc]
    with pytest.raises(TypeError):
        demo.entries[0] = demo.entries[1]  # type: ignore[index]


def test_records_behave_as_a_sequence(demo: mecenat.Report) -> None:
    entries = demo.entries
    n = len(entries)
    assert n == 1609
    assert entries[-1] == entries[n - 1]
    assert entries[-1].row == n
    assert entries[0] is entries[0]  # built once
    assert entries[2:4] == (entries[2], entries[3])
    assert list(entries)[5] == entries[5]
    assert entries == list(entries)
    assert entries != list(entries)[:-1]
    assert entries[0] in entries
    with pytest.raises(IndexError):
        entries[n]
    with pytest.raises(IndexError):
        entries[-n - 1]
    assert "Entry" in repr(entries)
    assert repr(demo.reduction_ledger) == "Records[LedgerLine]([])"


def test_to_json_to_a_file(demo: mecenat.Report, tmp_path: Path) -> None:
    p = tmp_path / "r.json"
    assert demo.to_json(p) is None
    assert json.loads(p.read_text(encoding="utf-8")) == json.loads(demo.to_json())
    compact = demo.to_json(pretty=False)
    assert "\n" not in compact and json.loads(compact) == json.loads(demo.to_json())


def test_table_flattens_nested_objects(demo: mecenat.Report) -> None:
    row = demo.table("fiscal_years")[0]
    fy = demo.fiscal_years[0]
    assert row["donations.total"] == fy.donations.total
    assert row["reduction_by_rate.0.60"] == fy.reduction_by_rate["0.60"]
    receipt = demo.table("receipts")[0]
    assert isinstance(receipt["employees"], list)
    assert all(isinstance(e["value"], Decimal) for e in receipt["employees"])


def test_unknown_table_is_a_key_error(demo: mecenat.Report) -> None:
    with pytest.raises(KeyError, match="entries"):
        demo.table("entrie")


def test_cap_method_option() -> None:
    s = mecenat.Scenario.from_json(DEMO)
    assert mecenat.compute(s).policies.cap_method == "rate"
    assert mecenat.compute(s, cap_method="period").policies.cap_method == "period"
    assert s.compute(cap_method="period").policies.cap_method == "period"
    with pytest.raises(ValueError, match="cap_method"):
        mecenat.compute(s, cap_method="monthly")  # type: ignore[arg-type]
