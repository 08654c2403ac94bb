"""One reading of text cells in every face (issue 12, item 4): Python values go through the
same raw cells as JSON and Excel, so the demo written with French text forms ("1 234,50"
with no-break spaces, "0,5", "31/12/2025") as Python strings, or as Decimal and date
objects, gives the same report as the demo's JSON; an ambiguous text is refused alike."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import mecenat
from conftest import DEMO

NUMBER_KEYS = {
    "turnover", "tax_due", "amount", "rate", "years_left", "annual_gross_salary",
    "annual_employer_charges", "annual_working_days", "annual_working_hours",
    "hours_per_day", "days", "hours", "value", "quantity",
}
DATE_KEYS = {"start", "end", "origin_end", "from", "date"}
Tables = dict[str, list[dict[str, Any]]]


def demo() -> Tables:
    """The demo with an opening balance and a numeric setting (every kind of number)."""
    s: Tables = json.loads(DEMO.read_text(encoding="utf-8"))
    s["carryforwards"] = [{"company": "OCTET", "kind": "donations", "origin_end": "2024-12-31",
                           "amount": "12500.00", "rate": "0.60", "years_left": "4"}]
    s["settings"].append({"key": "fte_hours", "value": "1607"})
    return s


def french_number(t: str) -> str:
    """1234567.50 as 1 234 567,50 (no-break spaces)."""
    sign, t = ("-", t[1:]) if t.startswith("-") else ("", t)
    whole, _, frac = t.partition(".")
    groups = f"{int(whole):,}".replace(",", "\u00a0")
    return sign + groups + ("," + frac if frac else "")


def is_number(table: str, key: str, v: Any) -> bool:
    return (isinstance(v, str) and key in NUMBER_KEYS
            and (table != "settings" or v.isdigit()))


def rewritten(s: Tables, number: Any, day: Any) -> tuple[Tables, int]:
    out = copy.deepcopy(s)
    changed = 0
    for table, rows in out.items():
        for row in rows:
            for k, v in row.items():
                if is_number(table, k, v):
                    new = number(v)
                elif k in DATE_KEYS and isinstance(v, str):
                    new = day(v)
                else:
                    continue
                changed += new != v
                row[k] = new
    return out, changed


def french_date(t: str) -> str:
    return f"{t[8:10]}/{t[5:7]}/{t[0:4]}"


def report_json(s: mecenat.Scenario) -> Any:
    return json.loads(mecenat.compute(s).to_json())


def test_french_strings_and_python_objects_give_the_json_report() -> None:
    s = demo()
    want = report_json(mecenat.Scenario.from_json(json.dumps(s)))
    assert want["rejected"] == []
    french, changed = rewritten(s, french_number, french_date)
    assert changed > 3000
    assert french["fiscal_years"][0]["turnover"] == "21\u00a0480\u00a0000,00"
    assert french["fiscal_years"][0]["end"] == "31/12/2025"
    assert report_json(mecenat.Scenario.from_tables(**french)) == want
    # The same French texts as JSON strings.
    assert report_json(mecenat.Scenario.from_json(json.dumps(french))) == want
    # Python objects (settings stay text).
    objects, _ = rewritten(s, Decimal, date.fromisoformat)
    objects["settings"] = s["settings"]  # in place: the tables keep their order
    assert report_json(mecenat.Scenario.from_tables(**objects)) == want


def test_an_ambiguous_text_is_refused_as_in_json() -> None:
    rows = [
        {"company": "C1", "beneficiary": "A1", "date": "02/01/2025", "amount": "1 234,50"},
        {"company": "C1", "beneficiary": "A1", "date": "2025-01-03", "amount": "1.234,56"},
    ]
    from_py = mecenat.Scenario.from_tables(donations=rows)
    from_json = mecenat.Scenario.from_json(json.dumps({"donations": rows}))
    for s in (from_py, from_json):
        (r,) = s.rejections
        assert (r.table, r.row, r.key, r.value) == ("donations", 2, "amount", "1.234,56")
        assert r.kind == mecenat.RejectionKind.NOT_A_NUMBER
        assert "ambiguous" in r.reason
    assert from_py.rejections[0].reason == from_json.rejections[0].reason
