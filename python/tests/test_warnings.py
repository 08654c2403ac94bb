"""Rejected rows are never silent: compute() warns, with how many, where, the first reason
and what to do."""

from __future__ import annotations

import json
import warnings

import pytest

import mecenat

SCENARIO = {
    "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
    "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                      "turnover": "2000000"}],
    "beneficiaries": [{"id": "A1", "name": "Association Exemple"}],
    "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                   "annual_employer_charges": "21600", "annual_working_days": "218"}],
    "time_entries": [
        {"employee": "E9", "beneficiary": "A1", "date": "2025-03-03", "days": "1"},
        {"employee": "E1", "beneficiary": "A1", "date": "2025-03-04", "days": "1"},
        {"employee": "E8", "beneficiary": "A1", "date": "2025-03-05", "days": "1"},
    ],
    "donations": [{"company": "C1", "beneficiary": "A9", "date": "2025-04-01",
                   "amount": "500"}],
}


def test_rejected_rows_warn_with_counts_tables_first_reason_and_remedies() -> None:
    s = mecenat.Scenario.from_json(json.dumps(SCENARIO))
    with pytest.warns(mecenat.RejectedRowsWarning) as caught:
        report = mecenat.compute(s)
    assert len(caught) == 1
    w = caught[0]
    text = str(w.message)
    assert text.startswith("3 input rows rejected")
    assert "time_entries: 2" in text and "donations: 1" in text
    first = report.rejected[0]
    assert f"first: {first.table} row {first.row}: {first.reason}" in text
    assert 'report.to_pandas("rejected")' in text and "strict=True" in text
    assert issubclass(mecenat.RejectedRowsWarning, UserWarning)
    assert w.filename == __file__  # points at the caller's line
    with pytest.warns(mecenat.RejectedRowsWarning) as caught:
        s.compute()
    assert caught[0].filename == __file__


def test_no_warning_without_rejections_nor_in_strict_mode() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mecenat.compute(mecenat.Scenario.example())
        s = mecenat.Scenario.from_json(json.dumps(SCENARIO))
        with pytest.raises(mecenat.StrictError):
            mecenat.compute(s, strict=True)


def test_one_row_is_said_in_the_singular() -> None:
    one = {**SCENARIO, "time_entries": SCENARIO["time_entries"][1:2]}
    with pytest.warns(mecenat.RejectedRowsWarning, match=r"^1 input row rejected, .*donations: 1"):
        mecenat.compute(mecenat.Scenario.from_json(json.dumps(one)))
