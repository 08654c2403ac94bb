"""The Excel face from Python: the template, scenarios from workbooks (path, bytes, file),
the report workbook (bytes, path, file), and the round trip of the demo scenario."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

import mecenat
from conftest import DEMO


def sheet_names(book: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        return z.read("xl/workbook.xml").decode("utf-8")


def test_template_in_both_languages(tmp_path: Path) -> None:
    fr = mecenat.template()
    en = mecenat.template(lang="en")
    assert fr[:2] == en[:2] == b"PK"
    assert "Temps" in sheet_names(fr)
    assert "time_entries" in sheet_names(en)
    p = tmp_path / "modele.xlsx"
    assert mecenat.template(p) is None
    assert mecenat.Scenario.from_excel(p).row_counts["time_entries"] == 0
    buf = io.BytesIO()
    mecenat.template(buf, lang="en")
    assert mecenat.Scenario.from_excel(buf.getvalue()).row_counts["companies"] == 0
    with pytest.raises(ValueError, match="lang"):
        mecenat.template(lang="de")  # type: ignore[arg-type]


def without_empty_inputs(report: dict[str, Any]) -> dict[str, Any]:
    """The workbook has a sheet for every table, so its report counts empty tables too."""
    return {**report, "inputs": [i for i in report["inputs"] if i["rows"]]}


@pytest.fixture(scope="module")
def demo_tables() -> dict[str, list[dict[str, object]]]:
    tables = json.loads(DEMO.read_text(encoding="utf-8"))
    assert isinstance(tables, dict)
    return tables


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_demo_round_trips_through_a_workbook(
    demo_tables: dict[str, list[dict[str, object]]], lang: str, tmp_path: Path
) -> None:
    expected = without_empty_inputs(
        json.loads(mecenat.compute(mecenat.Scenario.from_tables(demo_tables)).to_json()))
    book = mecenat.template(tables=demo_tables, lang=lang)  # type: ignore[arg-type]
    p = tmp_path / "scenario.xlsx"
    p.write_bytes(book)
    for source in (book, p, str(p), io.BytesIO(book)):
        got = json.loads(mecenat.compute(mecenat.Scenario.from_excel(source)).to_json())
        assert without_empty_inputs(got) == expected


def test_rejections_from_a_workbook_name_the_cell() -> None:
    book = mecenat.template(tables={
        "companies": [{"id": "C1", "name": "X"}],
        "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                          "turnover": "2000000"}],
        "beneficiaries": [{"id": "A1", "name": "A"}],
        "donations": [{"company": "C1", "beneficiary": "A1", "date": "2025-02-30",
                       "amount": "10"}]})
    report = mecenat.compute(mecenat.Scenario.from_excel(book))
    [rej] = report.rejected
    assert rej.table == "donations" and rej.row == 1
    assert rej.cell is not None and "!" in rej.cell


def test_report_workbook_bytes_path_and_file(tmp_path: Path) -> None:
    report = mecenat.compute(mecenat.Scenario.from_json(DEMO))
    data = report.to_excel()
    assert data[:2] == b"PK"
    assert "<sheet " in sheet_names(data)
    assert "<sheet " in sheet_names(report.to_excel(lang="en"))
    p = tmp_path / "rapport.xlsx"
    assert report.to_excel(p) is None
    assert p.read_bytes()[:2] == b"PK"
    buf = io.BytesIO()
    assert report.to_excel(buf) is None
    assert buf.getvalue()[:2] == b"PK"
