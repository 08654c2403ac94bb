"""``Report.annex_text``: the annex on contributions in kind as a document (issue 12,
item 2), the same text as the report's ``annex`` records, in plain text or Markdown."""

from __future__ import annotations

import pickle

import pytest

import mecenat
from conftest import DEMO


@pytest.fixture(scope="module")
def report() -> mecenat.Report:
    return mecenat.compute(mecenat.Scenario.from_json(DEMO))


def test_text_holds_every_paragraph(report: mecenat.Report) -> None:
    text = report.annex_text()
    assert text.startswith("ANNEXE AUX COMPTES : CONTRIBUTIONS VOLONTAIRES EN NATURE\n")
    for a in report.annex:
        assert a.text in text
        assert f"{a.beneficiary_name} — {a.period}" in text


def test_markdown_for_one_beneficiary(report: mecenat.Report) -> None:
    first = report.annex[0]
    md = report.annex_text(first.beneficiary, format="markdown")
    assert md.startswith("# Annexe aux comptes : contributions volontaires en nature\n")
    sections = [a for a in report.annex if a.beneficiary == first.beneficiary]
    assert md.count("\n## ") == len(sections)
    assert "**Nature** : " in md
    assert report.annex_text("NOPE") == ""


def test_a_bad_format_is_refused(report: mecenat.Report) -> None:
    with pytest.raises(ValueError, match="markdown"):
        report.annex_text(format="html")  # type: ignore[arg-type]


def test_an_unpickled_report_gives_the_same_annex(report: mecenat.Report) -> None:
    again = pickle.loads(pickle.dumps(report))
    assert again.annex_text(format="markdown") == report.annex_text(format="markdown")
