"""The rest of the library from Python: scenario.to_tables and a new scenario from edited
tables, read_excel to frames, report.summary, receipts, the journal export."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import mecenat
from conftest import DEMO, OWN_CASES, ROOT, SHARED_CASES, case_files, load_case

# The CLI built last (a stale release build would print an older summary).
CLI = max(
    (ROOT / "target" / p / "mecenat" for p in ("release", "debug")),
    key=lambda p: p.stat().st_mtime if p.exists() else 0.0,
)


def scenarios() -> list[mecenat.Scenario]:
    out = [mecenat.Scenario.from_json(DEMO)]
    for p in case_files(SHARED_CASES) + case_files(OWN_CASES):
        out.append(mecenat.Scenario.from_json(json.dumps(load_case(p)["scenario"])))
    return out


def test_to_tables_round_trips_every_case() -> None:
    for s in scenarios():
        for as_ in ("dicts", "pandas", "polars"):
            tables = s.to_tables(as_)  # type: ignore[call-overload]
            back = mecenat.Scenario.from_tables(tables)
            assert back == s, as_
            assert mecenat.compute(back).to_json() == mecenat.compute(s).to_json(), as_


def test_to_tables_types_cells() -> None:
    tables = mecenat.Scenario.example().to_tables()
    assert list(tables) == ["companies", "fiscal_years", "beneficiaries", "employees",
                            "time_entries", "donations"]
    fy = tables["fiscal_years"][0]
    assert fy["start"] == dt.date(2025, 1, 1) and fy["turnover"] == Decimal("5500000")
    assert tables["time_entries"][1]["hours"] == Decimal("3.5")
    assert tables["companies"][0]["siren"] == "552100554"  # text stays text
    frames = mecenat.Scenario.example().to_tables("pandas")
    assert frames["time_entries"]["days"].tolist() == [Decimal("1"), None]
    pl_frames = mecenat.Scenario.example().to_tables("polars")
    assert pl_frames["donations"]["amount"].to_list() == [Decimal("46000")]


def test_to_tables_of_tables_excel_and_pickles() -> None:
    s = mecenat.Scenario.from_tables(mecenat.Scenario.example().to_tables())
    assert mecenat.Scenario.from_tables(s.to_tables()) == s
    book = mecenat.template(tables=s.to_tables())
    x = mecenat.Scenario.from_excel(book)
    # A workbook's scenario remembers its cells (Temps!C42): the one rebuilt from its
    # tables does not, so the two compare by their reports' figures.
    # The workbook has every sheet, so its report's `inputs` lists the empty tables too.
    again = mecenat.Scenario.from_tables(x.to_tables())
    assert figures(mecenat.compute(again)) == figures(mecenat.compute(s))
    assert pickle.loads(pickle.dumps(x)).to_tables() == x.to_tables()


def figures(report: mecenat.Report) -> dict[str, object]:
    """The report's JSON without `inputs` (which lists the tables given, empty or not)."""
    d = json.loads(report.to_json())
    del d["inputs"]
    assert isinstance(d, dict)
    return d


def test_what_if_from_edited_tables() -> None:
    """Halve the cash gift: 23,000 + 478.90 of time = 23,478.90 retained (within the
    27,500 ceiling), reduction 60 % = 14,087.34 instead of 16,500 (capped)."""
    tables = mecenat.Scenario.example().to_tables("pandas")
    tables["donations"]["amount"] = [Decimal("23000")]
    r = mecenat.compute(mecenat.Scenario.from_tables(tables))
    assert r.fiscal_years[0].reduction == Decimal("14087.34")
    assert r.fiscal_years[0].excess == Decimal("0.00")


def test_read_excel_to_frames(tmp_path: Path) -> None:
    s = mecenat.Scenario.from_json(DEMO)
    path = tmp_path / "s.xlsx"
    mecenat.template(path, tables=s.to_tables())
    frames = mecenat.read_excel(path)
    assert isinstance(frames["time_entries"], pd.DataFrame)
    assert len(frames["time_entries"]) == s.row_counts["time_entries"]
    from_frames = mecenat.compute(mecenat.Scenario.from_tables(frames))
    assert figures(from_frames) == figures(mecenat.compute(s))
    pl_frames = mecenat.read_excel(path.read_bytes(), "polars")
    assert isinstance(pl_frames["employees"], pl.DataFrame)
    rows = mecenat.read_excel(io_file(path), "dicts")
    assert rows["companies"][0]["id"] == s.to_tables()["companies"][0]["id"]
    with pytest.raises(FileNotFoundError):
        mecenat.read_excel(tmp_path / "nope.xlsx")


def io_file(path: Path):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(path.read_bytes())


def test_summary_is_the_cli_text() -> None:
    r = mecenat.compute(mecenat.Scenario.example())
    text = r.summary()
    assert text.startswith("mecenat — mécénat de compétences (art. 238 bis CGI)")
    # The example's figures in French typography: donations 46 478,90 €, ceiling
    # 27 500,00 €, reduction 16 500,00 €.
    assert "46 478,90 €" in text and "27 500,00 €" in text and "16 500,00 €" in text
    if CLI.exists():
        out = subprocess.run([str(CLI), "compute", str(DEMO), "--format", "text"],
                             capture_output=True, text=True, check=False)
        if out.returncode == 0:
            assert mecenat.compute(mecenat.Scenario.from_json(DEMO)).summary() == out.stdout


def test_journal_csv(tmp_path: Path) -> None:
    r = mecenat.compute(mecenat.Scenario.example())
    text = r.journal_csv()
    lines = text.split("\r\n")
    assert lines[0].startswith("JournalCode;")
    # One entry of 478.90 of time: a debit on 864 and a credit on 871 (class 8, PCA 2018).
    amounts = [ln.split(";") for ln in lines[1:] if ln]
    assert len(amounts) == 2
    assert any("478,90" in ln for ln in lines[1:])
    p = tmp_path / "journal.csv"
    assert r.journal_csv(p) is None
    assert p.read_bytes().decode("utf-8") == text
    assert r.journal_csv(beneficiary="A1") == text
    with pytest.raises(mecenat.ScenarioError, match="A9"):
        r.journal_csv(beneficiary="A9")
    with pytest.raises(FileNotFoundError):
        r.journal_csv(tmp_path / "no" / "j.csv")


def test_receipts(tmp_path: Path) -> None:
    r = mecenat.compute(mecenat.Scenario.from_json(DEMO))
    paths = r.write_receipts(tmp_path / "recus")
    assert len(paths) == len(r.receipts) > 0
    first = Path(paths[0])
    assert first.read_bytes().startswith(b"%PDF-")
    name, pdf = r.receipt_pdf(0)
    assert first.name == name and pdf == first.read_bytes()
    with pytest.raises(FileExistsError):
        r.write_receipts(tmp_path / "recus")
    assert r.write_receipts(tmp_path / "recus", force=True) == paths
    with pytest.raises(IndexError):
        r.receipt_pdf(len(r.receipts))
    # An unpickled report computes them again from its scenario.
    back = pickle.loads(pickle.dumps(r))
    assert back.receipt_pdf(0)[1] == pdf and back.summary() == r.summary()
