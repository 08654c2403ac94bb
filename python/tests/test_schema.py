"""The record classes (python/mecenat/_records.py, written by hand) against the report the
core writes: for every object of every list of the JSON report, recursively, the record's
fields are exactly the object's keys (none missing, none extra) and every value has the
field's type: Decimal for money text, date for ISO dates, int, bool, str, a member of the
field's enum for codes, ``None`` only where the field is Optional. A field the core adds,
drops, renames or retypes fails here until the record follows.

Reports: the demo, every golden case (../shared/cases and fixtures/cases) and every
bad-input scenario that computes, under both cap methods, and one scenario read from a
workbook (so that rejections carry their cell)."""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Union

import pytest

import mecenat
from conftest import BAD, DEMO, case_files, golden_cases, load_case

#: Members of the report that are one object (a record) rather than a list of them.
OBJECTS: dict[str, type[Any]] = {"programme": mecenat.Programme, "policies": mecenat.Policies}
#: Members of the report that are plain values.
PLAIN = {"warnings": tuple[str, ...], "assumptions": tuple[str, ...], "disclaimer": str}


class Checker:
    """Checks JSON values against record annotations, collecting every discrepancy and
    which fields were seen with a value (so that a field never exercised is known)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.seen: dict[type[Any], set[str]] = defaultdict(set)
        self.seen_null: dict[type[Any], set[str]] = defaultdict(set)

    def record(self, cls: type[Any], obj: Any, where: str) -> None:
        if not isinstance(obj, dict):
            self.errors.append(f"{where}: expected an object for {cls.__name__}, got {obj!r}")
            return
        fields = {f.name: f for f in dataclasses.fields(cls)}
        hints = typing.get_type_hints(cls)
        for name, f in fields.items():
            if name not in obj and not f.metadata.get("absent_ok"):
                self.errors.append(
                    f"{where}: {cls.__name__}.{name} is not in the report's object"
                )
        for key in obj:
            if key not in fields:
                self.errors.append(
                    f"{where}: the report's key {key!r} is not a field of {cls.__name__}"
                )
        for name in fields.keys() & obj.keys():
            v = obj[name]
            (self.seen_null if v is None else self.seen)[cls].add(name)
            self.value(hints[name], v, f"{where}.{name}")

    def value(self, tp: Any, v: Any, where: str) -> None:
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (Union, types.UnionType):
            if v is None:
                if type(None) not in args:
                    self.errors.append(f"{where}: null, but the field is not Optional")
                return
            rest = [a for a in args if a is not type(None)]
            if len(rest) != 1:
                self.errors.append(f"{where}: ambiguous annotation {tp}")
                return
            tp = rest[0]
            origin, args = typing.get_origin(tp), typing.get_args(tp)
        if v is None:
            self.errors.append(f"{where}: null, but the field is not Optional ({tp})")
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            codes = {m.value for m in tp}
            if not isinstance(v, str) or v not in codes:
                self.errors.append(f"{where}: {v!r} is not a code of {tp.__name__} {codes}")
        elif tp is Decimal:
            ok = isinstance(v, str)
            if ok:
                try:
                    ok = Decimal(v).is_finite() and str(Decimal(v)) == v
                except InvalidOperation:
                    ok = False
            if not ok:
                self.errors.append(f"{where}: {v!r} is not decimal text")
        elif tp is date:
            ok = isinstance(v, str)
            if ok:
                try:
                    ok = date.fromisoformat(v).isoformat() == v
                except ValueError:
                    ok = False
            if not ok:
                self.errors.append(f"{where}: {v!r} is not an ISO date")
        elif tp in (int, bool, str):
            if type(v) is not tp:
                self.errors.append(f"{where}: {v!r} is not a {tp.__name__}")
        elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
            self.record(tp, v, where)
        elif origin is tuple:
            if not isinstance(v, list):
                self.errors.append(f"{where}: {v!r} is not a list")
                return
            for i, x in enumerate(v):
                self.value(args[0], x, f"{where}[{i}]")
        elif isinstance(origin, type) and issubclass(origin, Mapping):
            if not isinstance(v, dict):
                self.errors.append(f"{where}: {v!r} is not an object")
                return
            for k, x in v.items():
                self.value(args[1], x, f"{where}[{k!r}]")
        else:
            self.errors.append(f"{where}: unsupported annotation {tp}")

    def report(self, js: dict[str, Any], where: str) -> None:
        expected = set(mecenat.TABLES) | set(OBJECTS) | set(PLAIN)
        for k in set(js) - expected:
            self.errors.append(f"{where}: the report's member {k!r} is not typed by mecenat")
        for k in expected - set(js):
            self.errors.append(f"{where}: mecenat types {k!r}, which the report lacks")
        for name, cls in mecenat.TABLES.items():
            for i, obj in enumerate(js.get(name, [])):
                self.record(cls, obj, f"{where}:{name}[{i}]")
        for name, cls in OBJECTS.items():
            if name in js:
                self.record(cls, js[name], f"{where}:{name}")
        for name, tp in PLAIN.items():
            if name in js:
                self.value(tp, js[name], f"{where}:{name}")


def objects_typed(tp: Any, v: Any, where: str, errors: list[str]) -> None:
    """The Python side: a record's value is of its annotation's type (enum members, not
    text; FrozenDicts; tuples)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        if v is None:
            return
        tp = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(tp), typing.get_args(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if type(v) is not tp:
            errors.append(f"{where}: {type(v).__name__}, expected {tp.__name__}")
            return
        hints = typing.get_type_hints(tp)
        for f in dataclasses.fields(tp):
            objects_typed(hints[f.name], getattr(v, f.name), f"{where}.{f.name}", errors)
    elif origin is tuple:
        if type(v) is not tuple:
            errors.append(f"{where}: {type(v).__name__}, expected a tuple")
            return
        for i, x in enumerate(v):
            objects_typed(args[0], x, f"{where}[{i}]", errors)
    elif isinstance(origin, type) and issubclass(origin, Mapping):
        if type(v) is not mecenat.FrozenDict:
            errors.append(f"{where}: {type(v).__name__}, expected a FrozenDict")
            return
        for k, x in v.items():
            objects_typed(args[1], x, f"{where}[{k!r}]", errors)
    elif type(v) is not tp:
        errors.append(f"{where}: {v!r} is a {type(v).__name__}, expected {tp}")


# ------------------------------------------------------------------ the reports


def scenarios() -> list[tuple[str, mecenat.Scenario]]:
    out = [("demo", mecenat.Scenario.from_json(DEMO))]
    for p in golden_cases():
        path: Path = p.values[0]
        case = load_case(path)
        out.append((path.stem, mecenat.Scenario.from_json(json.dumps(case["scenario"]))))
    for path in case_files(BAD):
        if path.name.endswith(".expect.json"):
            continue
        try:
            out.append((f"bad/{path.stem}", mecenat.Scenario.from_json(path)))
        except mecenat.ScenarioError:
            pass  # refused as a whole: no report
    # From a workbook, so that rejections name their cell.
    rejecting = load_case(BAD / "date_outside_fiscal_years.json")
    book = mecenat.template(tables=rejecting)
    out.append(("xlsx/date_outside_fiscal_years", mecenat.Scenario.from_excel(book)))
    return out


@pytest.fixture(scope="module")
def reports() -> list[tuple[str, mecenat.Report]]:
    out = []
    for name, s in scenarios():
        for cap in ("rate", "period"):
            out.append((f"{name}/{cap}", mecenat.compute(s, cap_method=cap)))
    return out


def test_records_match_the_json_report_exactly(reports: list[tuple[str, mecenat.Report]]) -> None:
    checker = Checker()
    for where, report in reports:
        checker.report(json.loads(report.to_json(pretty=False)), where)
    assert not checker.errors, "\n".join(checker.errors[:40])
    # Every record class, and every field of it, was seen with a value in some report: no
    # field passes unchecked because the cases never fill it.
    classes: set[type[Any]] = set()

    def walk(cls: type[Any]) -> None:
        if cls in classes:
            return
        classes.add(cls)
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            for a in (hints[f.name], *typing.get_args(hints[f.name])):
                for b in (a, *typing.get_args(a)):
                    if isinstance(b, type) and dataclasses.is_dataclass(b):
                        walk(b)

    for cls in [*mecenat.TABLES.values(), *OBJECTS.values()]:
        walk(cls)
    # Fields a core without them does not write yet (absent_ok) are not required here.
    unseen = sorted(
        f"{cls.__name__}.{f.name}"
        for cls in classes
        for f in dataclasses.fields(cls)
        if f.name not in checker.seen[cls] and not f.metadata.get("absent_ok")
    )
    assert not unseen, f"fields never given a value by any report: {unseen}"


def test_records_hold_their_annotated_types(reports: list[tuple[str, mecenat.Report]]) -> None:
    errors: list[str] = []
    for where, report in reports:
        for name, cls in mecenat.TABLES.items():
            for i, rec in enumerate(getattr(report, name)):
                objects_typed(cls, rec, f"{where}:{name}[{i}]", errors)
        for name, cls in OBJECTS.items():
            objects_typed(cls, getattr(report, name), f"{where}:{name}", errors)
        if len(errors) > 40:
            break
    assert not errors, "\n".join(errors[:40])


def test_statuses_and_kinds_are_str_enums() -> None:
    assert mecenat.Status.RETAINED == "retained" and isinstance(mecenat.Status.RETAINED, str)
    assert str(mecenat.Status.REJECTED) == "rejected" and f"{mecenat.DonationKind.CASH}" == "cash"
    report = mecenat.compute(mecenat.Scenario.example())
    assert report.entries[0].status is mecenat.Status.RETAINED
    assert report.entries[0].status == "retained"
    assert report.gifts[0].kind is mecenat.DonationKind.CASH
    assert report.to_pandas("entries")["status"].tolist() == ["retained", "retained"]


# ------------------------------------------------------------------ the checker can fail


@dataclasses.dataclass(frozen=True)
class _Sample:
    amount: Decimal
    day: date
    count: int
    note: str | None
    status: mecenat.Status
    by_rate: Mapping[str, Decimal]


def test_the_checker_catches_every_kind_of_drift() -> None:
    good = {"amount": "1.50", "day": "2025-03-03", "count": 2, "note": None,
            "status": "retained", "by_rate": {"0.60": "1.00"}}
    c = Checker()
    c.record(_Sample, good, "ok")
    assert c.errors == []
    for bad, what in [
        ({k: v for k, v in good.items() if k != "count"}, "count is not in"),
        ({**good, "kind": "unknown_employee"}, "'kind' is not a field"),
        ({**good, "amount": 1.5}, "not decimal text"),
        ({**good, "day": "03/03/2025"}, "not an ISO date"),
        ({**good, "count": True}, "not a int"),
        ({**good, "count": None}, "not Optional"),
        ({**good, "status": "lost"}, "not a code"),
        ({**good, "by_rate": {"0.60": 1}}, "not decimal text"),
    ]:
        c = Checker()
        c.record(_Sample, bad, "bad")
        assert any(what in e for e in c.errors), (what, c.errors)


def test_a_rejection_kind_from_a_newer_core_is_read() -> None:
    """``kind`` is a :class:`mecenat.RejectionKind`; a code this package does not know yet
    (a newer core) is kept as text, never lost."""
    from mecenat._report import _from_dict

    row = {"table": "time_entries", "row": 3, "reason": "x", "kind": "unknown_employee",
           "cell": None, "key": None, "value": None}
    kind = _from_dict(mecenat.Rejection, row).kind
    assert kind is mecenat.RejectionKind.UNKNOWN_EMPLOYEE and kind == "unknown_employee"
    assert _from_dict(mecenat.Rejection, {**row, "kind": "a_newer_kind"}).kind == "a_newer_kind"
    c = Checker()
    c.record(mecenat.Rejection, row, "new")
    assert c.errors == []
    c.record(mecenat.Rejection, {k: v for k, v in row.items() if k != "kind"}, "old")
    assert c.errors, "a rejection without its kind is a drift"
