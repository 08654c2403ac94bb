"""Every golden case (../shared/cases and fixtures/cases) through the Python API, by each
way a scenario comes in: JSON text, a JSON file, Python tables (plain and typed values),
pandas data frames, and an Excel workbook (the filled template, read back)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pytest

import mecenat
from conftest import compare, golden_cases, load_case

DATE_KEYS = {"start", "end", "origin_end", "date", "from"}


def typed(scenario: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The scenario with Python values: dates as datetime.date, decimal text as Decimal
    (what a notebook would hold). Settings stay text."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table, rows in scenario.items():
        new_rows = []
        for row in rows:
            new = dict(row)
            if table != "settings":
                for k, v in row.items():
                    if not isinstance(v, str):
                        continue
                    if k in DATE_KEYS:
                        try:
                            new[k] = date.fromisoformat(v)
                        except ValueError:
                            pass  # an invalid date stays text: the core rejects it
                    elif k not in ("id", "name", "label", "siren", "rna", "cvn_factor",
                                   "intermediary_siren", "intermediary_rna"):
                        try:
                            new[k] = Decimal(v)
                        except ArithmeticError:
                            pass
            new_rows.append(new)
        out[table] = new_rows
    return out


def from_json_text(case: dict[str, Any], tmp_path: Path) -> mecenat.Scenario:
    return mecenat.Scenario.from_json(json.dumps(case["scenario"]))


def from_json_file(case: dict[str, Any], tmp_path: Path) -> mecenat.Scenario:
    p = tmp_path / "scenario.json"
    p.write_text(json.dumps(case["scenario"]), encoding="utf-8")
    return mecenat.Scenario.from_json(p)


def from_plain_tables(case: dict[str, Any], tmp_path: Path) -> mecenat.Scenario:
    return mecenat.Scenario.from_tables(**case["scenario"])


def from_typed_tables(case: dict[str, Any], tmp_path: Path) -> mecenat.Scenario:
    return mecenat.Scenario.from_tables(typed(case["scenario"]))


def from_pandas(case: dict[str, Any], tmp_path: Path) -> mecenat.Scenario:
    # dtype=object: pandas would turn an int column with gaps into float64, which is
    # refused (see test_frames.py for that error).
    frames = {t: pd.DataFrame(rows, dtype=object) for t, rows in typed(case["scenario"]).items()}
    return mecenat.Scenario.from_tables(frames)


def from_excel(case: dict[str, Any], tmp_path: Path) -> mecenat.Scenario:
    book = mecenat.template(tables=case["scenario"])
    return mecenat.Scenario.from_excel(book)


FACES: dict[str, Callable[[dict[str, Any], Path], mecenat.Scenario]] = {
    "json": from_json_text,
    "json_file": from_json_file,
    "tables": from_plain_tables,
    "typed_tables": from_typed_tables,
    "pandas": from_pandas,
    "excel": from_excel,
}


@pytest.mark.parametrize("face", list(FACES))
@pytest.mark.parametrize("path", golden_cases())
def test_golden_case(path: Path, face: str, tmp_path: Path) -> None:
    case = load_case(path)
    scenario = FACES[face](case, tmp_path)
    report = mecenat.compute(scenario)
    errors = compare(case["expect"], json.loads(report.to_json()))
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("path", golden_cases())
def test_faces_give_the_same_report(path: Path, tmp_path: Path) -> None:
    """Not only the figures a case names: the whole report is the same whichever way the
    scenario came in (Excel rows name their cells, so rejections may differ there only)."""
    case = load_case(path)
    reference = json.loads(mecenat.compute(from_json_text(case, tmp_path)).to_json())
    for face in ("tables", "typed_tables", "pandas"):
        other = json.loads(mecenat.compute(FACES[face](case, tmp_path)).to_json())
        assert other == reference, face
