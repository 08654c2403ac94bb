"""At home in a notebook: HTML views with the figures, a readable fiscal year, a clean
namespace, table names offered by completion, every record field documented."""

from __future__ import annotations

import dataclasses
import typing

import pytest

import mecenat
from conftest import DEMO


@pytest.fixture(scope="module")
def demo() -> mecenat.Report:
    return mecenat.compute(mecenat.Scenario.from_json(DEMO))


def fr(amount: object) -> str:
    """16500.00 as the HTML writes it: 16 500,00 (no-break space)."""
    whole, cents = f"{amount}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return "\u00a0".join(groups) + "," + cents


def test_report_html_summarizes_each_fiscal_year(demo: mecenat.Report) -> None:
    page = demo._repr_html_()
    assert page.startswith("<div") and "<table" in page
    for h in ("Société", "Exercice", "Dons", "Plafond", "Réduction", "Excédent reporté"):
        assert h in page
    for fy in demo.fiscal_years:
        for v in (fy.donations.total, fy.ceiling, fy.reduction, fy.excess):
            assert fr(v) in page, v
        assert fy.label in page and fy.company in page
    assert f"Lignes rejetées : {len(demo.rejected)}" in page
    assert f"Avertissements : {len(demo.warnings)}" in page


def test_report_html_counts_rejections_and_escapes() -> None:
    s = mecenat.Scenario.from_tables(
        companies=[{"id": "<C&1>", "name": "X"}],
        fiscal_years=[{"company": "<C&1>", "start": "2025-01-01", "end": "2025-12-31",
                       "turnover": "2000000"}],
        beneficiaries=[{"id": "A1", "name": "A"}],
        donations=[{"company": "<C&1>", "beneficiary": "A9", "date": "2025-04-01",
                    "amount": "500"}],
    )
    page = mecenat.compute(s)._repr_html_()
    assert "&lt;C&amp;1&gt;" in page and "<C&1>" not in page
    assert "Lignes rejetées : 1" in page and 'to_pandas("rejected")' in page


def test_records_html_shows_the_first_rows(demo: mecenat.Report) -> None:
    page = demo.entries._repr_html_()
    assert page.count("<tr>") == 1 + 10  # header and the first ten
    assert f"{len(demo.entries)} × Entry" in page and "autres" in page
    assert str(demo.entries[0].value) in page and "<th>employee</th>" in page
    fy_page = demo.fiscal_years._repr_html_()
    assert "<th>donations.total</th>" in fy_page
    assert str(demo.fiscal_years[0].reduction) in fy_page
    assert "autres" not in demo.fiscal_years._repr_html_()


def test_a_record_has_an_html_view(demo: mecenat.Report) -> None:
    fy = demo.fiscal_years[0]
    page = fy._repr_html_()
    assert "<caption>FiscalYear</caption>" in page
    assert str(fy.reduction) in page and "reduction_by_rate" in page
    assert str(demo.receipts[0].cash) in demo.receipts[0]._repr_html_()


def test_a_fiscal_year_reads_one_field_per_line(demo: mecenat.Report) -> None:
    text = repr(demo.fiscal_years[0])
    lines = text.splitlines()
    assert lines[0] == "FiscalYear(" and lines[-1] == ")"
    assert len(lines) == len(dataclasses.fields(mecenat.FiscalYear)) + 2
    assert f"    reduction={demo.fiscal_years[0].reduction!r}," in lines


def test_the_namespace_shows_the_api_only() -> None:
    names = dir(mecenat)
    for leftover in ("annotations", "os", "Mapping", "overload", "version", "_mecenat",
                     "_records", "_dt", "Any", "IO", "Literal", "warnings", "Counter"):
        assert leftover not in names, leftover
    assert not [n for n in names if n.startswith("_") and n != "__version__"]
    for api in ("Scenario", "Report", "compute", "template", "TABLES", "Status",
                "RejectedRowsWarning", "FrozenDict", "TableName", "__version__"):
        assert api in names
    for n in mecenat.__all__:
        assert hasattr(mecenat, n), n


def test_table_names_are_a_literal_and_listed(demo: mecenat.Report) -> None:
    assert typing.get_args(mecenat.TableName) == tuple(mecenat.TABLES) == demo.tables
    for method in (mecenat.Report.table, mecenat.Report.to_pandas, mecenat.Report.to_polars):
        assert method.__annotations__["name"] == "TableName"


def test_every_record_field_is_documented() -> None:
    classes = set(mecenat.TABLES.values()) | {
        mecenat.Programme, mecenat.Policies, mecenat.Donations, mecenat.CompanyProgramme,
        mecenat.ProgrammeTotals, mecenat.AnnexRate, mecenat.ReceiptEmployee,
        mecenat.ReceiptGood, mecenat.DeclarationGift, mecenat.YearLaw, mecenat.Retention,
        mecenat.Imputation, mecenat.ForecastYear, mecenat.AccountToCreate,
    }
    assert len(classes) == 36
    for cls in classes:
        doc = cls.__doc__ or ""
        assert "Attributes:" in doc, cls.__name__
        documented = doc.split("Attributes:")[1]
        for f in dataclasses.fields(cls):
            assert f"\n        {f.name}: " in documented, f"{cls.__name__}.{f.name}"
