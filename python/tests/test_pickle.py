"""Pickling, copying and plain-data conversion of scenarios, reports and records: what
multiprocessing, caches and data frames need."""

from __future__ import annotations

import copy
import dataclasses
import json
import multiprocessing
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import mecenat
from conftest import DEMO, golden_cases, load_case


@pytest.fixture(scope="module")
def demo() -> mecenat.Report:
    return mecenat.compute(mecenat.Scenario.from_json(DEMO))


def round_trip(v: Any) -> Any:
    return pickle.loads(pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL))


def every_record(report: mecenat.Report) -> list[Any]:
    out: list[Any] = [report.programme, report.policies]
    for name in report.tables:
        out.extend(getattr(report, name)[:50])
    return out


def test_every_record_pickles_deep_copies_and_hashes(demo: mecenat.Report) -> None:
    records = every_record(demo)
    assert {type(r) for r in records} >= {mecenat.FiscalYear, mecenat.Impact,
                                          mecenat.ProjectImpact, mecenat.Receipt}
    for r in records:
        assert round_trip(r) == r, type(r).__name__
        assert copy.deepcopy(r) == r and copy.copy(r) == r
        assert hash(round_trip(r)) == hash(r)
    fy = demo.fiscal_years[0]
    back = round_trip(fy)
    assert isinstance(back.reduction_by_rate, mecenat.FrozenDict)
    entry = demo.entries[0]
    assert round_trip(entry).status is entry.status
    assert isinstance(entry.status, mecenat.Status)
    assert len({*demo.fiscal_years, *demo.fiscal_years}) == len(demo.fiscal_years)


def test_asdict_and_data_frames_of_records(demo: mecenat.Report) -> None:
    fy = demo.fiscal_years[0]
    d = dataclasses.asdict(fy)
    assert d["donations"]["total"] == fy.donations.total
    assert d["reduction_by_rate"] == dict(fy.reduction_by_rate)
    df = pd.DataFrame(demo.fiscal_years)
    assert len(df) == len(demo.fiscal_years)
    assert df["reduction"].tolist() == [f.reduction for f in demo.fiscal_years]
    impacts = pd.DataFrame(demo.beneficiaries)
    assert len(impacts) == len(demo.beneficiaries)
    assert json.dumps(dict(fy.reduction_by_rate), default=str)


def test_frozen_dict_is_read_only_and_hashable() -> None:
    m = mecenat.FrozenDict({"a": Decimal("1.00")})
    for change in (lambda: m.update(b=1), lambda: m.pop("a"), lambda: m.clear(),
                   lambda: m.setdefault("b", 1), lambda: m.popitem(),
                   lambda: m.__delitem__("a"), lambda: m.__setitem__("a", 2)):
        with pytest.raises(TypeError, match="read-only"):
            change()
    with pytest.raises(TypeError):
        m |= {"b": 2}  # type: ignore[misc]
    assert m == {"a": Decimal("1.00")} and hash(m) == hash(mecenat.FrozenDict(a=Decimal("1")))
    assert round_trip(m) == m and type(round_trip(m)) is mecenat.FrozenDict
    assert json.loads(json.dumps(m, default=str)) == {"a": "1.00"}


def test_records_lists_pickle_as_tuples(demo: mecenat.Report) -> None:
    back = round_trip(demo.fiscal_years)
    assert isinstance(back, tuple) and back == tuple(demo.fiscal_years)


@pytest.mark.parametrize("path", golden_cases()[:6])
def test_scenarios_round_trip_from_every_source(path: Path, tmp_path: Path) -> None:
    case = load_case(path)
    text = json.dumps(case["scenario"])
    file = tmp_path / "s.json"
    file.write_text(text, encoding="utf-8")
    book = mecenat.template(tables=case["scenario"])
    book_file = tmp_path / "s.xlsx"
    book_file.write_bytes(book)
    sources = {
        "text": mecenat.Scenario.from_json(text),
        "bytes": mecenat.Scenario.from_json(text.encode()),
        "file": mecenat.Scenario.from_json(file),
        "tables": mecenat.Scenario.from_tables(case["scenario"]),
        "excel": mecenat.Scenario.from_excel(book),
        "excel_file": mecenat.Scenario.from_excel(book_file),
    }
    for how, s in sources.items():
        back = round_trip(s)
        assert back == s, how
        assert back.row_counts == s.row_counts
        assert mecenat.compute(back) == mecenat.compute(s), how
        assert copy.deepcopy(s) == s
    assert sources["text"] == sources["tables"] == sources["file"]


def test_a_scenario_of_typed_values_pickles_exactly() -> None:
    from datetime import date

    s = mecenat.Scenario.from_tables(
        companies=[{"id": "C1", "name": "X"}],
        fiscal_years=[{"company": "C1", "start": date(2025, 1, 1), "end": date(2025, 12, 31),
                       "turnover": Decimal("2000000.50"), "tax_due": 10**20}],
    )
    assert round_trip(s) == s
    assert round_trip(round_trip(s)) == s
    other = mecenat.Scenario.from_tables(
        companies=[{"id": "C1", "name": "X"}],
        fiscal_years=[{"company": "C1", "start": date(2025, 1, 1), "end": date(2025, 12, 31),
                       "turnover": Decimal("2000000.51")}],
    )
    assert other != s


def test_a_scenario_whose_file_changed_refuses_to_pickle(tmp_path: Path) -> None:
    p = tmp_path / "s.json"
    p.write_text('{"companies": [{"id": "C1", "name": "X"}]}', encoding="utf-8")
    s = mecenat.Scenario.from_json(p)
    p.write_text('{"companies": [{"id": "C2", "name": "Y"}, {"id": "C3", "name": "Z"}]}',
                 encoding="utf-8")
    with pytest.raises(pickle.PicklingError, match="changed"):
        pickle.dumps(s)


def test_reports_round_trip_equal(demo: mecenat.Report) -> None:
    data = pickle.dumps(demo)
    back = pickle.loads(data)
    assert back == demo and demo == back
    assert back.to_json() == demo.to_json()  # pretty: byte-identical to the core's
    assert back.to_json(pretty=False) == demo.to_json(pretty=False)
    for name in demo.tables:
        assert back.table(name) == demo.table(name), name
        assert getattr(back, name) == getattr(demo, name), name
    assert back.programme == demo.programme and back.warnings == demo.warnings
    assert back.to_pandas("entries").equals(demo.to_pandas("entries"))
    assert back.to_polars("fiscal_years").equals(demo.to_polars("fiscal_years"))
    assert repr(back) == repr(demo)
    assert back.to_excel()[:2] == b"PK"
    assert round_trip(back) == demo
    other = mecenat.compute(mecenat.Scenario.from_json(DEMO), cap_method="period")
    assert other != demo


def test_a_report_pickles_as_compact_json_without_building_records(
    demo: mecenat.Report,
) -> None:
    fresh = mecenat.compute(mecenat.Scenario.example())
    data = pickle.dumps(fresh)
    assert fresh.to_json(pretty=False).encode() in data
    assert fresh.to_json(pretty=True).encode() not in data
    # Nothing converted to pickle it: no record built, no table read but the rejections'
    # count (compute's warning).
    assert all(r._cache is None for r in fresh._records.values())
    assert set(fresh._columns) <= {"rejected"}


def test_an_unpickled_report_gives_the_core_bytes_and_columns() -> None:
    for p in golden_cases():
        case = load_case(p.values[0])
        r = mecenat.compute(mecenat.Scenario.from_json(json.dumps(case["scenario"])))
        back = round_trip(r)
        assert back.to_json() == r.to_json(), p.id
        assert back._raw.field_names() == r._raw.field_names()
        for name in r.tables:
            assert back._raw.columns(name) == r._raw.columns(name), (p.id, name)
            assert back._raw.length(name) == r._raw.length(name)


def _company(i: int) -> mecenat.Report:
    s = mecenat.Scenario.from_tables(
        companies=[{"id": f"C{i}", "name": f"Société {i}"}],
        fiscal_years=[{"company": f"C{i}", "start": "2025-01-01", "end": "2025-12-31",
                       "turnover": str(1_000_000 * (i + 1)), "tax_due": "50000"}],
        beneficiaries=[{"id": "A1", "name": "Association"}],
        donations=[{"company": f"C{i}", "beneficiary": "A1", "date": "2025-06-01",
                    "amount": str(1000 * (i + 1))}],
    )
    return mecenat.compute(s)


def test_a_process_pool_returns_reports() -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        reports = pool.map(_company, range(20))
    assert [r.fiscal_years[0].company for r in reports] == [f"C{i}" for i in range(20)]
    assert [r.fiscal_years[0].reduction for r in reports] == [
        Decimal(600 * (i + 1)).quantize(Decimal("0.01")) for i in range(20)
    ]
    assert reports[3] == _company(3)
