"""Typed, read-only records of the report (frozen dataclasses).

Each class mirrors one record of the JSON report (docs/report.md): money, rates and
quantities are :class:`decimal.Decimal` (exact, as the report's text), dates
:class:`datetime.date`, an absent figure ``None``, closed lists of codes (statuses, kinds)
:class:`enum.StrEnum` members that compare equal to their text (``Status.RETAINED ==
"retained"``). Maps whose keys are data (such as ``reduction_by_rate``) are
:class:`FrozenDict`: read-only and hashable, so records are hashable, pickle, deep-copy and
go through :func:`dataclasses.asdict` (and ``pandas.DataFrame(report.fiscal_years)``).

The fields' annotations are also the conversion schema: :mod:`mecenat._report` reads them
to turn the report's text into Decimals, dates and enum members; a test checks them
against the JSON report, key by key and type by type (python/tests/test_schema.py).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import html as _html
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import Enum
import typing
from typing import Any, NoReturn, TypeVar

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - Python 3.10

    class StrEnum(str, Enum):
        """:class:`enum.StrEnum` of Python 3.11: members are strings, ``str()`` is the
        value."""

        def __str__(self) -> str:
            return str.__str__(self)

        def __format__(self, spec: str) -> str:
            return str.__format__(str(self), spec)


__all__ = [
    "AccountToCreate",
    "CarriedOrder",
    "FixedCeilingProration",
    "RetentionOrder",
    "DeclarationTotal",
    "JournalAccounts",
    "ReceiptsDeclared",
    "AnnexRate",
    "AnnexText",
    "BenchLine",
    "Assumption",
    "Conversion",
    "RejectionKind",
    "Forecast",
    "ForecastYear",
    "Imputation",
    "PeriodCap",
    "Retention",
    "YearLaw",
    "Chart",
    "CompanyProgramme",
    "CounterpartCheck",
    "CvnMethod",
    "Declaration",
    "DeclarationGift",
    "DeclarationGiftKind",
    "DonationKind",
    "Donations",
    "Entry",
    "FiscalYear",
    "FrozenDict",
    "Gift",
    "GoodsLine",
    "Impact",
    "InputCount",
    "JournalCategory",
    "JournalLine",
    "LedgerLine",
    "OutputTotal",
    "Policies",
    "Programme",
    "ProgrammeTotals",
    "ProjectImpact",
    "PaymentMethod",
    "Receipt",
    "ReceiptCashGift",
    "ReceiptEmployee",
    "ReceiptGood",
    "ReconciliationLine",
    "Reference",
    "Rejection",
    "Status",
    "StrEnum",
    "SuppliedBy",
]

_K = TypeVar("_K")
_V = TypeVar("_V")

# ------------------------------------------------------------------ codes


class Status(StrEnum):
    """Status of a time entry, a gift or a good (``entry.status``)."""

    #: Counts for the company.
    RETAINED = "retained"
    #: Valid but gives no reduction.
    EXCLUDED = "excluded"
    #: Unusable row.
    REJECTED = "rejected"


class DonationKind(StrEnum):
    """Kind of a donation row (``gift.kind``)."""

    #: Money.
    CASH = "cash"
    #: Goods or services other than staff time.
    IN_KIND = "in_kind"


class PaymentMethod(StrEnum):
    """How a cash gift was paid (``receipt.cash_gifts[i].payment_method``)."""

    #: Remise d'espèces.
    CASH_IN_HAND = "cash_in_hand"
    #: Chèque.
    CHEQUE = "cheque"
    #: Virement, prélèvement, carte bancaire.
    TRANSFER = "transfer"
    #: Autre.
    OTHER = "other"


class DeclarationGiftKind(StrEnum):
    """Kind of a gift line of a declaration (``declaration.gifts[i].kind``)."""

    #: Staff time, grouped by month.
    STAFF_TIME = "staff_time"
    #: Money.
    CASH = "cash"
    #: Goods or services other than staff time.
    IN_KIND = "in_kind"


class CvnMethod(StrEnum):
    """How a beneficiary values contributions in kind for its own accounts."""

    #: The company's cost-price value.
    DONOR_COST = "donor_cost"
    #: SMIC horaire brut on the date worked.
    SMIC = "smic"
    #: SMIC × (1 + k).
    SMIC_LOADED = "smic_loaded"
    #: A dated rate from the ``rates`` table.
    RATE = "rate"


class JournalCategory(StrEnum):
    """Category of a class-8 journal line."""

    #: Staff lent by companies.
    STAFF_LENT = "staff_lent"
    #: Volunteers' own time.
    VOLUNTEERS = "volunteers"


class RejectionKind(StrEnum):
    """Why a row is rejected, as a stable code (``rejection.kind``), beside the readable
    ``reason``: what a program tests. The same codes as the core's (a test checks)."""

    MISSING = "missing"
    NOT_TEXT = "not_text"
    NOT_A_NUMBER = "not_a_number"
    CLOCK_TIME = "clock_time"
    TOO_MANY_DECIMALS = "too_many_decimals"
    NEGATIVE = "negative"
    NOT_POSITIVE = "not_positive"
    TOO_LARGE = "too_large"
    OUT_OF_BOUNDS = "out_of_bounds"
    NOT_A_DATE = "not_a_date"
    NOT_A_BOOLEAN = "not_a_boolean"
    NOT_IN_LIST = "not_in_list"
    BOTH_GIVEN = "both_given"
    NEITHER_GIVEN = "neither_given"
    END_BEFORE_START = "end_before_start"
    REQUIRED_WITH = "required_with"
    NOT_APPLICABLE = "not_applicable"
    INVALID_SETTING = "invalid_setting"
    UNKNOWN_COMPANY = "unknown_company"
    UNKNOWN_BENEFICIARY = "unknown_beneficiary"
    UNKNOWN_EMPLOYEE = "unknown_employee"
    NO_PAY_ROW = "no_pay_row"
    OUTSIDE_FISCAL_YEARS = "outside_fiscal_years"
    NO_PASS = "no_pass"
    NO_FISCAL_YEAR = "no_fiscal_year"
    NOT_BEFORE_FIRST_YEAR = "not_before_first_year"
    TOO_MANY_YEARS_LEFT = "too_many_years_left"
    EXPIRED = "expired"
    NOT_A_LEGAL_RATE = "not_a_legal_rate"


class Conversion(StrEnum):
    """How a time entry's quantity meets its pay row's basis."""

    DAYS = "days"
    HOURS = "hours"
    HOURS_TO_DAYS = "hours_to_days"
    DAYS_TO_HOURS = "days_to_hours"


class Assumption(StrEnum):
    """The assumption of a forecast (rules-company §8)."""

    NO_NEW_GIFTS = "no_new_gifts"
    SAME_GIFTS_EACH_YEAR = "same_gifts_each_year"


class Chart(StrEnum):
    """Chart of accounts used for the class-8 journal."""

    #: PCA 2018 (ANC 2018-06), default.
    PCA2018 = "pca2018"
    #: The 1999 chart (CRC 1999-01), with 870 and 875 swapped.
    PCA1999 = "pca1999"


class JournalAccounts(StrEnum):
    """Which accounts the class-8 journal posts to (setting ``journal_accounts``)."""

    #: The chart's own accounts (864 / 871, 864 / 875 in PCA 2018), default.
    CHART = "chart"
    #: The sub-accounts 8642 / 8711 and 8641, which the association creates first.
    SUB_ACCOUNTS = "sub_accounts"


class RetentionOrder(StrEnum):
    """The order a fiscal year's gifts are retained in under its ceiling (policy)."""

    #: The year's ``aid60``, ``std60``, ``std40`` (the highest rate first), then the
    #: carried excesses.
    HIGHEST_RATE_FIRST = "highest_rate_first"


class CarriedOrder(StrEnum):
    """The order carried excesses fill the headroom left under a ceiling (policy)."""

    #: The oldest origin first; within one origin, 60 % before 40 %.
    OLDEST_ORIGIN_FIRST = "oldest_origin_first"


class FixedCeilingProration(StrEnum):
    """Whether the fixed part of the ceiling is prorated for a year not 12 months long."""

    #: Never prorated: the fixed amount holds for a short or a long year alike.
    NOT_PRORATED = "not_prorated"


# ------------------------------------------------------------------ frozen mapping


class FrozenDict(dict[_K, _V]):
    """A read-only, hashable :class:`dict` (the maps of the records, such as
    ``reduction_by_rate``): it reads, compares, prints and serializes (``json.dumps``) as a
    dict; it refuses to change; it hashes, pickles and deep-copies.

    >>> from mecenat import FrozenDict
    >>> m = FrozenDict({"0.60": 1})
    >>> m["0.60"], m == {"0.60": 1}, hash(m) == hash(FrozenDict({"0.60": 1}))
    (1, True, True)
    >>> m["0.40"] = 2
    Traceback (most recent call last):
        ...
    TypeError: FrozenDict is read-only
    """

    __slots__ = ("_hash",)
    _hash: int

    def _refuse(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} is read-only")

    def __setitem__(self, key: _K, value: _V) -> NoReturn:
        self._refuse()

    def __delitem__(self, key: _K) -> NoReturn:
        self._refuse()

    def __ior__(self, other: Any) -> NoReturn:  # type: ignore[misc]
        self._refuse()

    def clear(self) -> NoReturn:
        self._refuse()

    def pop(self, *args: Any) -> NoReturn:
        self._refuse()

    def popitem(self) -> NoReturn:
        self._refuse()

    def setdefault(self, *args: Any) -> NoReturn:
        self._refuse()

    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        self._refuse()

    def __hash__(self) -> int:  # type: ignore[override]
        try:
            return self._hash
        except AttributeError:
            h = hash(frozenset(self.items()))
            object.__setattr__(self, "_hash", h)
            return h

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))

    def __copy__(self) -> FrozenDict[_K, _V]:
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"


# ------------------------------------------------------------------ records


def _html_value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, tuple):
        return f"{len(v)} élément(s)"
    if isinstance(v, Mapping):
        return ", ".join(f"{_html.escape(str(k))}: {_html_value(x)}" for k, x in v.items())
    if isinstance(v, _Record):
        return ", ".join(
            f"{f.name}={_html_value(getattr(v, f.name))}"
            for f in dataclasses.fields(typing.cast(Any, v))
        )
    return _html.escape(str(v))


class _Record:
    """What every record shares: pickling by its fields, a notebook view."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        # Compact and version-independent: the class and its field values, in order.
        me: Any = self
        return (type(self), tuple(getattr(self, f.name) for f in dataclasses.fields(me)))

    def _repr_html_(self) -> str:
        """The record as a two-column HTML table (field, value), for notebooks."""
        me: Any = self
        rows = "".join(
            f"<tr><th style='text-align:left'>{f.name}</th><td>"
            f"{_html_value(getattr(self, f.name))}</td></tr>"
            for f in dataclasses.fields(me)
        )
        return (
            f"<table class='mecenat-record'><caption>{type(self).__name__}</caption>"
            f"{rows}</table>"
        )


def _multiline_repr(self: Any) -> str:
    """``Class(\n    field=value,\n    ...\n)``: one field per line."""
    lines = [f"    {f.name}={getattr(self, f.name)!r}," for f in dataclasses.fields(self)]
    return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


def _absent_ok(default: Any = None) -> Any:
    """A field that older reports may lack (a later addition to the core's report): read
    as ``default`` when absent."""
    return dataclasses.field(default=default, metadata={"absent_ok": True})


_record = dataclasses.dataclass(frozen=True, slots=True)



@_record
class Donations(_Record):
    """Donations of a fiscal year, by kind and by rate bucket.

    Attributes:
        staff_time: Staff time at cost price.
        cash: Cash gifts.
        in_kind: In-kind gifts other than staff time.
        total: Sum of the three.
        aid60: Gifts to aid to people in difficulty (60 % whatever the amount).
        std60: Other gifts up to the threshold (60 %).
        std40: Other gifts above the threshold (40 %).
    """

    staff_time: Decimal
    cash: Decimal
    in_kind: Decimal
    total: Decimal
    aid60: Decimal
    std60: Decimal
    std40: Decimal


@_record
class YearLaw(_Record):
    """The legal values in force in a fiscal year, as the computation used them
    (``fiscal_year.law``).

    Attributes:
        reduction_rate: The standard rate of the reduction.
        reduced_rate: The reduced rate above the threshold, where the regime has the 40 %
            tranche.
        reduced_rate_threshold: The threshold of the reduced rate, where the regime has it.
        ceiling_fixed: The fixed amount of the ceiling (0 where the regime has none).
        ceiling_turnover_rate: The ceiling's share of turnover.
        salary_cap_multiple: The salary cap's multiple of the PASS, where the cap is in
            force.
        counterparts_tolerance: The counterparts' tolerance.
        declaration_threshold: Donations above this total must be declared.
    """

    reduction_rate: Decimal
    reduced_rate: Decimal | None
    reduced_rate_threshold: Decimal | None
    ceiling_fixed: Decimal
    ceiling_turnover_rate: Decimal
    salary_cap_multiple: Decimal | None
    counterparts_tolerance: Decimal
    declaration_threshold: Decimal | None


@_record
class Retention(_Record):
    """The retention of a fiscal year (rules-company §4): the current year's buckets
    first, then the carried excesses in the headroom left (``fiscal_year.retention``).

    Attributes:
        aid60: Retained of the ``aid60`` bucket.
        std60: Retained of the ``std60`` bucket.
        std40: Retained of the ``std40`` bucket.
        headroom_after_current: Headroom left after the current year's donations.
        carried_available: Carried excesses available at the opening (all origins).
        excess_standard: This year's excess at the standard rate (aid60 and std60 not
            retained).
        excess_reduced: This year's excess at the reduced rate (std40 not retained).
        reduction_own: The reduction earned by this year's own donations (carried excesses
            left out).
    """

    aid60: Decimal
    std60: Decimal
    std40: Decimal
    headroom_after_current: Decimal
    carried_available: Decimal
    excess_standard: Decimal
    excess_reduced: Decimal
    reduction_own: Decimal


@_record
class Imputation(_Record):
    """The imputation of a fiscal year's reductions on its tax due (rules-company §5,
    ``fiscal_year.imputation``); every figure is ``None`` when it is not computed (no tax
    due, this year or before).

    Attributes:
        carried_available: Unused reductions carried from earlier years, available at the
            opening.
        carried_used: Of which imputed this year (oldest first).
        current_used: This year's reduction imputed.
        current_unused: This year's reduction left unused (carried).
    """

    carried_available: Decimal | None
    carried_used: Decimal | None
    current_used: Decimal | None
    current_unused: Decimal | None


@_record
class PeriodCap(_Record):
    """An employee's calendar month under the period policy (``cap_method = "period"``)
    whose retained entries exceeded the cap: their values were scaled down to it
    (``report.period_caps``).

    Attributes:
        employee: Employee id.
        month: The month (``2025-03``).
        cap: The month's cap (the multiple × PMSS of the month).
        uncapped: The month's retained entries at their uncapped values.
        rows: The rows of those entries in ``time_entries`` (their values now add up to
            the cap).
    """

    employee: str
    month: str
    cap: Decimal
    uncapped: Decimal
    rows: tuple[int, ...]


@_record
class ForecastYear(_Record):
    """One projected fiscal year of a forecast (``forecast.years``): a projection.

    Attributes:
        start: First day.
        end: Closing date.
        opening: Carried excess at the opening.
        gifts: The year's donations (by the assumption).
        retained_current: Of which retained under the ceiling.
        retained_carried: Carried excess used.
        reduction: The year's reduction (per rate, rounded to the cent, summed).
        expired: Carried excess expired at the year's end.
        closing: Carried excess at the closing: opening + gifts − retained − expired.
    """

    start: _dt.date
    end: _dt.date
    opening: Decimal
    gifts: Decimal
    retained_current: Decimal
    retained_carried: Decimal
    reduction: Decimal
    expired: Decimal
    closing: Decimal


@_record
class Forecast(_Record):
    """A company's forecast of its donations ledger under one assumption
    (``report.forecast``, rules-company §8): a projection, never one of the year's figures.

    Attributes:
        company: Company id.
        assumption: ``no_new_gifts`` or ``same_gifts_each_year``.
        after: Label of the last fiscal year given.
        carried_at_start: The excess carried at that year's closing.
        carried_used: Of which used over the projected years.
        carried_expired: Of which expired over the projected years (used + expired =
            carried at start).
        years: The five projected fiscal years.
    """

    company: str
    assumption: Assumption
    after: str
    carried_at_start: Decimal
    carried_used: Decimal
    carried_expired: Decimal
    years: tuple[ForecastYear, ...]


@_record
class FiscalYear(_Record):
    """The figures of one fiscal year of one company (``report.fiscal_years``).

    >>> import mecenat
    >>> fy = mecenat.compute(mecenat.Scenario.example()).fiscal_years[0]
    >>> fy.ceiling, fy.reduction, fy.tax_due, fy.reduction_used
    (Decimal('27500.00'), Decimal('16500.00'), Decimal('120000.00'), Decimal('16500.00'))
    >>> fy.donations.staff_time, dict(fy.reduction_by_rate)
    (Decimal('478.90'), {'0.40': Decimal('0.00'), '0.60': Decimal('16500.00')})

    Attributes:
        company: Company id.
        label: Fiscal year label.
        start: First day.
        end: Closing date.
        regime: ``pre2019``, ``2019`` or ``2020``.
        turnover: Turnover excluding VAT.
        donations: Donations.
        ceiling: max(fixed, 5 ‰ of turnover).
        retained_current: This year's donations kept under the ceiling.
        retained_carried: Carried excesses used this year.
        retained_by_rate: Retained amounts by rate (current and carried).
        reduction: The year's tax reduction.
        reduction_by_rate: The reduction by rate.
        excess: This year's donations carried forward.
        donations_expired: Carried excesses that expired at this year's end.
        donations_carried_closing: All unused excess still alive after this year.
        tax_due: IS due before the reduction, when given.
        reduction_used: Reduction imputed on the tax due.
        reduction_expired: Unused reductions that expired at this year's end.
        reduction_carried_closing: Unused reductions carried after this year.
        form_2069_rci_reduction: Form 2069-RCI-SD line: the year's reduction in whole
            euros.
        declaration_required: Donations total above the declaration threshold.
        counterparts: Counterparts received this year.
        counterparts_warning: Some beneficiary's counterparts exceed the tolerance (or
            came with no gift).
        excluded: Value of gifts excluded (refused, ineligible beneficiary), not in
            ``donations``.
        headroom: What more could be retained this year: ceiling − retained_current −
            retained_carried (rules-company §8).
        marginal_rate: The rate one more euro given this year to an ordinary beneficiary
            would earn this year (``0.00`` without headroom; the reduced rate once the
            threshold is reached).
        marginal_rate_aid: The same for a beneficiary under the aid-to-people-in-difficulty
            exception.
        law: The law in force in this fiscal year (chosen by its closing date).
        retention: How the year's donations and the carried excesses were retained under
            the ceiling.
        imputation: How the reductions were imputed on the tax due (its figures are
            ``None`` when the imputation is not computed).
    """

    company: str
    label: str
    start: _dt.date
    end: _dt.date
    regime: str
    turnover: Decimal
    donations: Donations
    ceiling: Decimal
    retained_current: Decimal
    retained_carried: Decimal
    retained_by_rate: Mapping[str, Decimal]
    reduction: Decimal
    reduction_by_rate: Mapping[str, Decimal]
    excess: Decimal
    donations_expired: Decimal
    donations_carried_closing: Decimal
    tax_due: Decimal | None
    reduction_used: Decimal | None
    reduction_expired: Decimal | None
    reduction_carried_closing: Decimal | None
    form_2069_rci_reduction: int
    declaration_required: bool
    counterparts: Decimal
    counterparts_warning: bool
    excluded: Decimal
    headroom: Decimal
    marginal_rate: Decimal
    marginal_rate_aid: Decimal
    law: YearLaw
    retention: Retention
    imputation: Imputation

    __repr__ = _multiline_repr


@_record
class Entry(_Record):
    """One time entry as valued (``report.entries``, input order).

    ``status`` is ``"retained"``, ``"excluded"`` or ``"rejected"``; ``reason`` says why
    when not retained.

    Attributes:
        row: 1-based row in ``time_entries``.
        employee: Employee id (staff lent).
        volunteer: Volunteer (own time).
        beneficiary: Beneficiary id.
        date: Date.
        company: Company id.
        fiscal_year: Fiscal year label.
        days: Days given (days, or hours / hours per day).
        hours: Hours given (hours, or days × hours per day).
        annual_cost: Annual cost (salary + charges) of the pay row used.
        cost_cap: The cap applied to the annual cost (rate policy), when in force.
        annual_units: Annual working units the cost is divided by (days or hours).
        units: The quantity in those units.
        conversion: How the quantity given meets the pay row's basis (staff lent):
            ``days`` or ``hours`` (the same unit), ``hours_to_days`` or ``days_to_hours``.
        hours_per_day: The hours per day used to convert days and hours.
        value: Value at cost price, rounded to the cent.
        status: Retained, excluded or rejected.
        reason: Why excluded or rejected.
        project: Project.
        activity: Activity.
    """

    row: int
    employee: str | None
    volunteer: str | None
    beneficiary: str | None
    date: _dt.date | None
    company: str | None
    fiscal_year: str | None
    days: Decimal | None
    hours: Decimal | None
    annual_cost: Decimal | None
    cost_cap: Decimal | None
    annual_units: Decimal | None
    units: Decimal | None
    conversion: Conversion | None
    hours_per_day: Decimal | None
    value: Decimal | None
    status: Status
    reason: str | None
    project: str | None
    activity: str | None


@_record
class Gift(_Record):
    """One cash or in-kind donation row (``report.gifts``).

    Attributes:
        row: 1-based row in ``donations``.
        company: Company id.
        beneficiary: Beneficiary id.
        date: Date.
        kind: cash or in_kind.
        amount: Amount.
        fiscal_year: Fiscal year label.
        status: Retained, excluded or rejected.
        reason: Why excluded or rejected.
    """

    row: int
    company: str
    beneficiary: str
    date: _dt.date
    kind: DonationKind
    amount: Decimal
    fiscal_year: str | None
    status: Status
    reason: str | None


@_record
class Impact(_Record):
    """Impact of one beneficiary in one calendar year (``report.beneficiaries``).

    Attributes:
        beneficiary: Beneficiary id.
        period: Calendar year.
        hours: Hours given.
        days: Days given.
        fte: Full-time equivalents.
        volunteers: Distinct people.
        companies: Distinct lending companies.
        projects: Distinct projects.
        value_donor_cost: Σ company cost-price values.
        value_cvn: Value for the beneficiary's accounts (its method).
        value_market: Value at market rates, when a rate table covers every entry.
        cvn_method: The beneficiary's valuation method.
        avg_days_per_volunteer: days / volunteers.
        rotation: Volunteers per project: the mean, over the period's projects, of the
            distinct people on each; absent when no entry names a project.
        value_market_label: What ``value_market`` is (present with it): never added to
            the other values.
        outputs: Declared outputs of the period by unit, for every unit the beneficiary
            declares in any period: absent (``null``) when none was declared in this
            one, never zero.
    """

    beneficiary: str
    period: str
    hours: Decimal
    days: Decimal
    fte: Decimal
    volunteers: int
    companies: int
    projects: int
    value_donor_cost: Decimal
    value_cvn: Decimal | None
    value_market: Decimal | None
    cvn_method: CvnMethod
    avg_days_per_volunteer: Decimal
    rotation: Decimal | None
    value_market_label: str | None
    outputs: Mapping[str, Decimal | None]


@_record
class ProjectImpact(_Record):
    """Impact of one project of a beneficiary in one calendar year (``report.projects``).

    Attributes:
        beneficiary: Beneficiary id.
        period: Calendar year.
        project: Project name.
        hours: Hours given.
        days: Days given.
        volunteers: Distinct people.
        companies: Distinct lending companies.
        rotation: Rotation: the people who carried the project (= ``volunteers``).
        value_donor_cost: Σ company cost-price values.
        value_cvn: Value for the beneficiary's accounts, absent when an entry has none.
        value_market: Value at market rates, absent without a rate for every entry.
        first_entry: First day with an entry.
        last_entry: Last day with an entry.
        active_weeks: ISO weeks from the first entry's to the last entry's, inclusive.
        weeks_with_entries: ISO weeks with at least one entry.
        continuity: weeks_with_entries / active_weeks.
        outputs: Declared outputs of the project by unit (every unit the beneficiary
            declares; ``null`` when this project declared none of it).
    """

    beneficiary: str
    period: str
    project: str
    hours: Decimal
    days: Decimal
    volunteers: int
    companies: int
    rotation: Decimal
    value_donor_cost: Decimal
    value_cvn: Decimal | None
    value_market: Decimal | None
    first_entry: _dt.date
    last_entry: _dt.date
    active_weeks: int
    weeks_with_entries: int
    continuity: Decimal
    outputs: Mapping[str, Decimal | None]


@_record
class OutputTotal(_Record):
    """Declared outcomes summed per beneficiary, period, project and unit
    (``report.outputs``).

    Attributes:
        beneficiary: Beneficiary id.
        period: Calendar year.
        project: Project, when the rows name one.
        unit: Unit from the closed list.
        quantity: Sum of the quantities declared.
        rows: Rows declared.
    """

    beneficiary: str
    period: str
    project: str | None
    unit: str
    quantity: Decimal
    rows: int


@_record
class CompanyProgramme(_Record):
    """A company's skills-sponsorship programme in one fiscal year.

    Attributes:
        company: Company id.
        fiscal_year: Fiscal year label.
        start: First day.
        end: Closing date.
        volunteers: Distinct employees who gave time.
        eligible_headcount: Eligible headcount (setting ``eligible_headcount``), when
            given.
        participation_rate: volunteers / eligible headcount, when the headcount is
            given.
        hours: Hours given.
        days: Days given.
        value: Value at cost price (every entry counted in impact, eligible beneficiary
            or not).
        value_retained: Of which retained for the tax reduction.
        projects: Distinct projects supported (per beneficiary).
        beneficiaries: Distinct beneficiaries supported.
        beneficiaries_supported: Their ids, in table order.
        bench_days: Bench days (bench table), absent without one.
        bench_days_donated: Days donated during bench, absent without a bench table.
        bench_share_donated: Share of bench time donated, absent without bench days.
    """

    company: str
    fiscal_year: str
    start: _dt.date
    end: _dt.date
    volunteers: int
    eligible_headcount: Decimal | None
    participation_rate: Decimal | None
    hours: Decimal
    days: Decimal
    value: Decimal
    value_retained: Decimal
    projects: int
    beneficiaries: int
    beneficiaries_supported: tuple[str, ...]
    bench_days: Decimal | None
    bench_days_donated: Decimal | None
    bench_share_donated: Decimal | None


@_record
class ProgrammeTotals(_Record):
    """Totals of the time given in a period (or overall).

    Attributes:
        period: Calendar year, or ``all``.
        hours: Hours given.
        hours_staff_lent: Of which staff lent by companies.
        hours_volunteers: Of which volunteers' own time.
        days: Days given.
        fte: Full-time equivalents: hours / (FTE hours × calendar years covered, first
            to last).
        volunteers: Distinct people (not a sum: one person may help several
            beneficiaries).
        companies: Distinct lending companies.
        beneficiaries: Distinct beneficiaries that received time.
        projects: Distinct projects (beneficiary × project pairs).
        value_donor_cost: Σ value_donor_cost.
        value_cvn: Σ value_cvn, absent when some row has none.
        value_market: Σ value_market, absent when some row has none.
    """

    period: str
    hours: Decimal
    hours_staff_lent: Decimal
    hours_volunteers: Decimal
    days: Decimal
    fte: Decimal
    volunteers: int
    companies: int
    beneficiaries: int
    projects: int
    value_donor_cost: Decimal
    value_cvn: Decimal | None
    value_market: Decimal | None


@_record
class Programme(_Record):
    """The programme view (``report.programme``): per company and fiscal year, per
    calendar year, and in all.

    Attributes:
        companies: Per company (table order) and fiscal year.
        periods: Per calendar year.
        totals: Whole scenario (all years): distinct counts over every period.
    """

    companies: tuple[CompanyProgramme, ...]
    periods: tuple[ProgrammeTotals, ...]
    totals: ProgrammeTotals


@_record
class AnnexRate(_Record):
    """A rate quoted in the annex text.

    Attributes:
        what: What it is (``smic_hourly``, a rate id…).
        value: Value.
        unit: Unit.
        since: In force since, when dated.
        source: Source.
    """

    what: str
    value: str
    unit: str
    since: _dt.date | None
    source: str


@_record
class AnnexText(_Record):
    """The annex paragraph on contributions in kind of a beneficiary (``report.annex``).

    Attributes:
        beneficiary: Beneficiary id.
        period: Calendar year.
        cvn_method: Valuation method.
        rates: The dated values used (SMIC, rates).
        text: The text, in French (nature, counting method, valuation method, amounts).
        beneficiary_name: Beneficiary name (the title of its annex).
    """

    beneficiary: str
    period: str
    cvn_method: CvnMethod
    rates: tuple[AnnexRate, ...]
    text: str
    beneficiary_name: str


@_record
class ReconciliationLine(_Record):
    """Company side against receipt side, per company, fiscal year and beneficiary
    (``report.reconciliation``).

    Attributes:
        company: Company id.
        fiscal_year: Fiscal year label.
        beneficiary: Beneficiary id.
        staff_time: Retained staff time (Σ retained entries' values).
        in_kind_gifts: Retained in-kind gifts.
        company_in_kind: staff_time + in_kind_gifts: what the company declares in kind.
        company_cash: Retained cash gifts.
        receipt_in_kind: The receipt's in-kind amount (absent when no receipt was
            issued).
        receipt_cash: The receipt's cash amount (absent when no receipt was issued).
        difference: receipt_in_kind − company_in_kind (absent without a receipt).
        ok: Both amounts of the receipt equal the company's.
    """

    company: str
    fiscal_year: str
    beneficiary: str
    staff_time: Decimal
    in_kind_gifts: Decimal
    company_in_kind: Decimal
    company_cash: Decimal
    receipt_in_kind: Decimal | None
    receipt_cash: Decimal | None
    difference: Decimal | None
    ok: bool


@_record
class GoodsLine(_Record):
    """An in-kind good or service received, for the beneficiary's accountant
    (``report.goods_for_accountant``).

    Attributes:
        beneficiary: Beneficiary id.
        period: Calendar year.
        company: Company id.
        row: 1-based row in ``donations``.
        date: Date received.
        description: Description.
        amount: Amount (the company's valuation).
        status: retained or excluded (beneficiary not eligible).
        accounts: Where an accountant would record it, by the chart in force.
    """

    beneficiary: str
    period: str
    company: str
    row: int
    date: _dt.date
    description: str
    amount: Decimal
    status: Status
    accounts: str


@_record
class ReceiptEmployee(_Record):
    """An employee made available, on a receipt.

    Attributes:
        employee: Employee id.
        name: Name (or id when no name is given).
        days: Days given.
        hours: Hours given.
        value: Value at cost price.
    """

    employee: str
    name: str
    days: Decimal
    hours: Decimal
    value: Decimal


@_record
class ReceiptGood(_Record):
    """An in-kind good or service, on a receipt.

    Attributes:
        date: Date.
        description: Description.
        amount: Amount.
    """

    date: _dt.date
    description: str
    amount: Decimal


@_record
class ReceiptCashGift(_Record):
    """A cash gift, on a receipt.

    Attributes:
        date: Date paid.
        amount: Amount.
        payment_method: Means of payment, when given.
    """

    date: _dt.date
    amount: Decimal
    payment_method: PaymentMethod | None


@_record
class Receipt(_Record):
    """The data of one receipt, Cerfa 16216 / 2041-MEC-SD (``report.receipts``).

    Attributes:
        company: Company id.
        beneficiary: Beneficiary id.
        fiscal_year: Fiscal year label (the period).
        period_start: Period start.
        period_end: Period end.
        cash: Cash received.
        cash_words: Cash in words.
        in_kind: In-kind: staff time + in-kind gifts.
        in_kind_words: In-kind in French words.
        staff_time: Of which staff time.
        goods_value: Of which goods and services.
        employees: Employees made available.
        goods: Goods and services given.
        company_name: Company name, legal form, SIREN, address.
        company_legal_form: Legal form.
        company_siren: SIREN.
        company_address: Address.
        beneficiary_name: Beneficiary name.
        beneficiary_siren: Beneficiary SIREN.
        beneficiary_rna: Beneficiary RNA.
        beneficiary_address: Beneficiary address.
        beneficiary_object: Beneficiary object.
        beneficiary_category: Eligibility category.
        number: The receipt's number (prefix, year, rank: ``2025-0001``).
        cash_gifts: Each cash gift: date, amount, means of payment.
        beneficiary_aid_to_people_in_difficulty: The beneficiary gives free aid to people
            in difficulty (the form's mention).
        beneficiary_recognition_decree: For a public-utility body, the date of its
            recognition decree, when given.
    """

    company: str
    beneficiary: str
    fiscal_year: str
    period_start: _dt.date
    period_end: _dt.date
    cash: Decimal
    cash_words: str
    in_kind: Decimal
    in_kind_words: str
    staff_time: Decimal
    goods_value: Decimal
    employees: tuple[ReceiptEmployee, ...]
    goods: tuple[ReceiptGood, ...]
    company_name: str
    company_legal_form: str | None
    company_siren: str | None
    company_address: str | None
    beneficiary_name: str
    beneficiary_siren: str | None
    beneficiary_rna: str | None
    beneficiary_address: str | None
    beneficiary_object: str | None
    beneficiary_category: str
    number: str
    cash_gifts: tuple[ReceiptCashGift, ...]
    beneficiary_aid_to_people_in_difficulty: bool
    beneficiary_recognition_decree: _dt.date | None


@_record
class JournalLine(_Record):
    """A balanced class-8 journal line for a beneficiary's accounts (``report.journal``).

    Attributes:
        beneficiary: Beneficiary id.
        period: Calendar year.
        category: ``staff_lent`` or ``volunteers``.
        debit_account: Debit account (86x).
        credit_account: Credit account (87x).
        amount: Amount.
        label: Label.
        debit_label: Debit account's name.
        credit_label: Credit account's name.
        date: Last day of the period (the entry's date).
    """

    beneficiary: str
    period: str
    category: JournalCategory
    debit_account: str
    credit_account: str
    amount: Decimal
    label: str
    debit_label: str
    credit_label: str
    date: _dt.date


@_record
class BenchLine(_Record):
    """Bench (intercontract) economics of a company's fiscal year (``report.bench``).

    Attributes:
        company: Company id.
        fiscal_year: Fiscal year label.
        bench_days: Weekdays on the bench.
        bench_cost: Bench days at uncapped daily cost.
        donated_days: Retained days donated during bench.
        donated_value: Their retained value.
        donated_share: donated_days / bench_days.
        reduction_attributable: Reduction attributable to those days.
        net_cost: Uncapped cost of the donated days minus the reduction attributable.
        donated_cost: Uncapped cost of the donated days (sum of their entries' uncapped
            values).
        reduction_share: Share of that cost the reduction covers this year.
        reduction_share_if_excess_used: The same if the year's own excess were used in
            later years at its rates.
        idle_day_cost: Cost of an idle bench day: bench_cost / bench_days.
        donated_day_net_cost: Net cost of a donated bench day: net_cost / donated_days.
    """

    company: str
    fiscal_year: str
    bench_days: Decimal
    bench_cost: Decimal
    donated_days: Decimal
    donated_value: Decimal
    donated_share: Decimal | None
    reduction_attributable: Decimal
    net_cost: Decimal
    donated_cost: Decimal
    reduction_share: Decimal | None
    reduction_share_if_excess_used: Decimal | None
    idle_day_cost: Decimal | None
    donated_day_net_cost: Decimal | None


@_record
class DeclarationGift(_Record):
    """A gift line of a declaration.

    Attributes:
        kind: ``staff_time``, ``cash`` or ``in_kind``.
        date: Date (first day of the staff time of the month).
        date_end: Last day, for staff time grouped by month.
        amount: Amount.
        description: Description.
    """

    kind: DeclarationGiftKind
    date: _dt.date
    date_end: _dt.date | None
    amount: Decimal
    description: str | None


@_record
class Declaration(_Record):
    """The declaration list of gifts above 10,000 EUR for one beneficiary
    (``report.declarations``).

    Attributes:
        company: Company id.
        fiscal_year: Fiscal year label.
        beneficiary: Beneficiary id.
        beneficiary_name: Name.
        siren: SIREN.
        rna: RNA.
        address: Address.
        gifts: Gifts.
        total: Total of the gifts.
        counterparts: Counterparts received from that beneficiary.
        identifier: The identifier section III asks for: the SIREN, else the RNA.
        intermediary_name: The intermediary organism the gifts went through, when given.
        intermediary_siren: Its SIREN.
        intermediary_rna: Its RNA.
    """

    company: str
    fiscal_year: str
    beneficiary: str
    beneficiary_name: str
    siren: str | None
    rna: str | None
    address: str | None
    gifts: tuple[DeclarationGift, ...]
    total: Decimal
    counterparts: Decimal
    identifier: str | None
    intermediary_name: str | None
    intermediary_siren: str | None
    intermediary_rna: str | None


@_record
class DeclarationTotal(_Record):
    """The subtotal of one fiscal year's list of gifts for form 2069-RCI-SD section III
    (``report.declaration_totals``).

    Attributes:
        company: Company id.
        fiscal_year: Fiscal year label.
        start: First day of the fiscal year.
        end: Closing date.
        beneficiaries: Final beneficiaries listed.
        gifts: Gift lines listed.
        total: Sum of the listed gifts.
        counterparts: Sum of the counterparts received from those beneficiaries.
    """

    company: str
    fiscal_year: str
    start: _dt.date
    end: _dt.date
    beneficiaries: int
    gifts: int
    total: Decimal
    counterparts: Decimal


@_record
class ReceiptsDeclared(_Record):
    """The non-profit's yearly declaration of receipts (art. 222 bis CGI) for one
    beneficiary and calendar year (``report.receipts_declared``): the receipts of the
    report whose period ends in that year.

    Attributes:
        beneficiary: Beneficiary id.
        year: Calendar year.
        article: Article of the gifts (``238 bis``: company gifts).
        receipts: Number of receipts.
        cash: Cash stated on them.
        in_kind: In-kind amounts stated on them (staff time included).
        total: cash + in_kind.
        beneficiary_name: Name of the beneficiary.
    """

    beneficiary: str
    year: str
    article: str
    receipts: int
    cash: Decimal
    in_kind: Decimal
    total: Decimal
    beneficiary_name: str


@_record
class CounterpartCheck(_Record):
    """Counterparts of one beneficiary in a company's fiscal year
    (``report.counterparts``).

    Attributes:
        company: Company id.
        fiscal_year: Fiscal year label.
        beneficiary: Beneficiary id.
        counterparts: Counterparts' value.
        gifts: Retained gifts to that beneficiary (staff time included).
        ratio: counterparts / gifts, absent with no gift.
        warning: Above the tolerance, or with no gift.
    """

    company: str
    fiscal_year: str
    beneficiary: str
    counterparts: Decimal
    gifts: Decimal
    ratio: Decimal | None
    warning: bool


@_record
class LedgerLine(_Record):
    """One origin in a carry-forward ledger (``report.donations_ledger``,
    ``report.reduction_ledger``).

    Attributes:
        company: Company id.
        fiscal_year: Fiscal year label.
        origin: Origin fiscal year label (or ``opening`` for a balance given).
        origin_end: Origin closing date.
        rate: Rate (donations ledger).
        opening: Balance at the start of the year.
        added: Added this year (this year's excess or unused reduction).
        used: Used this year.
        expired: Expired at this year's end.
        closing: Balance after this year.
        usable_until: Closing date of the last fiscal year it can be used in: that
            year's ``end`` when the scenario gives it, otherwise projected with 12-month
            fiscal years.
        last_usable_year: Whether this fiscal year is the last one it can be used in
            (what is left of it at this year's end expires).
    """

    company: str
    fiscal_year: str
    origin: str
    origin_end: _dt.date
    rate: Decimal | None
    opening: Decimal
    added: Decimal
    used: Decimal
    expired: Decimal
    closing: Decimal
    usable_until: _dt.date
    last_usable_year: bool


@_record
class Rejection(_Record):
    """An input row that cannot be used, and why (``report.rejected``).

    Attributes:
        table: Table name (``time_entries``).
        row: 1-based row within the table.
        reason: Why the row cannot be used.
        cell: Excel cell (``Temps!C42``) when the row came from a workbook.
        key: The offending key, when one is to blame.
        value: The offending value, as seen.
        kind: The same as a stable code (:class:`RejectionKind`, e.g.
            ``unknown_employee``).
    """

    table: str
    row: int
    reason: str
    kind: RejectionKind
    cell: str | None
    key: str | None
    value: str | None


@_record
class InputCount(_Record):
    """Rows read and rejected per table (``report.inputs``).

    Attributes:
        table: Table.
        rows: Rows read.
        rejected: Rows rejected.
    """

    table: str
    rows: int
    rejected: int


@_record
class Policies(_Record):
    """The policies in force where the law is unsettled (``report.policies``).

    Attributes:
        cap_method: ``rate`` or ``period``.
        retention_order: Order current-year buckets are retained in (a code:
            ``highest_rate_first``).
        carried_order: Order carried excesses are used in (``oldest_origin_first``).
        fixed_ceiling_proration: Whether the fixed ceiling is prorated for a short or
            long fiscal year (``not_prorated``).
        chart: Chart of accounts of the journal.
        journal_accounts: Which accounts the journal posts to: ``chart`` (the chart's own,
            default) or ``sub_accounts``.
        accounts_to_create: The accounts to create in the association's chart before
            importing the journal (the sub-accounts; none under ``chart``).
    """

    cap_method: str
    retention_order: RetentionOrder
    carried_order: CarriedOrder
    fixed_ceiling_proration: FixedCeilingProration
    chart: Chart
    journal_accounts: JournalAccounts
    accounts_to_create: tuple[AccountToCreate, ...]


@_record
class AccountToCreate(_Record):
    """An account the journal posts to that the official chart does not list
    (``report.policies.accounts_to_create``): created under its parent before importing.

    Attributes:
        account: Account number (``8642``).
        label: Its name.
        parent: The chart's account it goes under (``864``).
    """

    account: str
    label: str
    parent: str


@_record
class SuppliedBy(_Record):
    """Where a legal value the scenario supplied comes from (``Reference.supplied_by``).

    Attributes:
        table: Always ``"law"``.
        row: 1-based row in that table.
    """

    table: str
    row: int


@_record
class Reference(_Record):
    """A legal parameter value used, with its source (``report.references``).

    Attributes:
        parameter: Parameter name.
        value: Value.
        since: In force since.
        source: Legal source.
        description: What it is.
        description_fr: What it is, in French (``None`` only for a parameter without one:
            none of the embedded ones).
        supplied_by: The row of the scenario's ``law`` table that supplied the value;
            ``None`` for a value of the library.
    """

    parameter: str
    value: str
    since: _dt.date
    source: str
    description: str
    description_fr: str | None = _absent_ok()
    supplied_by: SuppliedBy | None = _absent_ok()
