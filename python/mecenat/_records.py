"""Typed, read-only records of the report (frozen dataclasses).

Each class mirrors one record of the JSON report (report-format.md): money, rates and
quantities are :class:`decimal.Decimal` (exact, as the report's text), dates
:class:`datetime.date`, an absent figure ``None``. Maps whose keys are data (such as
``reduction_by_rate``) are read-only mappings.

The fields' annotations are also the conversion schema: :mod:`mecenat._report` reads them
to turn the report's text into Decimals and dates.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
import datetime as _dt
from decimal import Decimal

__all__ = [
    "AnnexRate",
    "AnnexText",
    "BenchLine",
    "CompanyProgramme",
    "CounterpartCheck",
    "Declaration",
    "DeclarationGift",
    "Donations",
    "Entry",
    "FiscalYear",
    "Gift",
    "GoodsLine",
    "Impact",
    "InputCount",
    "JournalLine",
    "LedgerLine",
    "OutputTotal",
    "Policies",
    "Programme",
    "ProgrammeTotals",
    "ProjectImpact",
    "Receipt",
    "ReceiptEmployee",
    "ReceiptGood",
    "ReconciliationLine",
    "Reference",
    "Rejection",
]

_record = dataclasses.dataclass(frozen=True, slots=True)


@_record
class Donations:
    """Donations of a fiscal year, by kind and by rate bucket."""

    staff_time: Decimal
    cash: Decimal
    in_kind: Decimal
    total: Decimal
    aid60: Decimal
    std60: Decimal
    std40: Decimal


@_record
class FiscalYear:
    """The figures of one fiscal year of one company (``report.fiscal_years``).

    >>> import mecenat
    >>> fy = mecenat.compute(mecenat.Scenario.example()).fiscal_years[0]
    >>> fy.ceiling, fy.reduction, fy.tax_due, fy.reduction_used
    (Decimal('27500.00'), Decimal('16500.00'), Decimal('120000.00'), Decimal('16500.00'))
    >>> fy.donations.staff_time, dict(fy.reduction_by_rate)
    (Decimal('478.90'), {'0.40': Decimal('0.00'), '0.60': Decimal('16500.00')})
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


@_record
class Entry:
    """One time entry as valued (``report.entries``, input order).

    ``status`` is ``"retained"``, ``"excluded"`` or ``"rejected"``; ``reason`` says why
    when not retained.
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
    value: Decimal | None
    status: str
    reason: str | None
    project: str | None
    activity: str | None


@_record
class Gift:
    """One cash or in-kind donation row (``report.gifts``)."""

    row: int
    company: str
    beneficiary: str
    date: _dt.date
    kind: str
    amount: Decimal
    fiscal_year: str | None
    status: str
    reason: str | None


@_record
class Impact:
    """Impact of one beneficiary in one calendar year (``report.beneficiaries``)."""

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
    cvn_method: str
    avg_days_per_volunteer: Decimal
    rotation: Decimal | None
    value_market_label: str | None
    outputs: Mapping[str, Decimal | None]


@_record
class ProjectImpact:
    """Impact of one project of a beneficiary in one calendar year (``report.projects``)."""

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
class OutputTotal:
    """Declared outcomes summed per beneficiary, period, project and unit
    (``report.outputs``)."""

    beneficiary: str
    period: str
    project: str | None
    unit: str
    quantity: Decimal
    rows: int


@_record
class CompanyProgramme:
    """A company's skills-sponsorship programme in one fiscal year."""

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
class ProgrammeTotals:
    """Totals of the time given in a period (or overall)."""

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
class Programme:
    """The programme view (``report.programme``): per company and fiscal year, per
    calendar year, and in all."""

    companies: tuple[CompanyProgramme, ...]
    periods: tuple[ProgrammeTotals, ...]
    totals: ProgrammeTotals


@_record
class AnnexRate:
    """A rate quoted in the annex text."""

    what: str
    value: str
    unit: str
    since: _dt.date | None
    source: str


@_record
class AnnexText:
    """The annex paragraph on contributions in kind of a beneficiary (``report.annex``)."""

    beneficiary: str
    period: str
    cvn_method: str
    rates: tuple[AnnexRate, ...]
    text: str


@_record
class ReconciliationLine:
    """Company side against receipt side, per company, fiscal year and beneficiary
    (``report.reconciliation``)."""

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
class GoodsLine:
    """An in-kind good or service received, for the beneficiary's accountant
    (``report.goods_for_accountant``)."""

    beneficiary: str
    period: str
    company: str
    row: int
    date: _dt.date
    description: str
    amount: Decimal
    status: str
    accounts: str


@_record
class ReceiptEmployee:
    """An employee made available, on a receipt."""

    employee: str
    name: str
    days: Decimal
    hours: Decimal
    value: Decimal


@_record
class ReceiptGood:
    """An in-kind good or service, on a receipt."""

    date: _dt.date
    description: str
    amount: Decimal


@_record
class Receipt:
    """The data of one receipt, Cerfa 16216 / 2041-MEC-SD (``report.receipts``)."""

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


@_record
class JournalLine:
    """A balanced class-8 journal line for a beneficiary's accounts (``report.journal``)."""

    beneficiary: str
    period: str
    category: str
    debit_account: str
    credit_account: str
    amount: Decimal
    label: str
    debit_label: str
    credit_label: str
    date: _dt.date


@_record
class BenchLine:
    """Bench (intercontract) economics of a company's fiscal year (``report.bench``)."""

    company: str
    fiscal_year: str
    bench_days: Decimal
    bench_cost: Decimal
    donated_days: Decimal
    donated_value: Decimal
    donated_share: Decimal | None
    reduction_attributable: Decimal
    net_cost: Decimal


@_record
class DeclarationGift:
    """A gift line of a declaration."""

    kind: str
    date: _dt.date
    date_end: _dt.date | None
    amount: Decimal
    description: str | None


@_record
class Declaration:
    """The declaration list of gifts above 10,000 EUR for one beneficiary
    (``report.declarations``)."""

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


@_record
class CounterpartCheck:
    """Counterparts of one beneficiary in a company's fiscal year
    (``report.counterparts``)."""

    company: str
    fiscal_year: str
    beneficiary: str
    counterparts: Decimal
    gifts: Decimal
    ratio: Decimal | None
    warning: bool


@_record
class LedgerLine:
    """One origin in a carry-forward ledger (``report.donations_ledger``,
    ``report.reduction_ledger``)."""

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
class Rejection:
    """An input row that cannot be used, and why (``report.rejected``)."""

    table: str
    row: int
    reason: str
    cell: str | None
    key: str | None
    value: str | None


@_record
class InputCount:
    """Rows read and rejected per table (``report.inputs``)."""

    table: str
    rows: int
    rejected: int


@_record
class Policies:
    """The policies in force where the law is unsettled (``report.policies``)."""

    cap_method: str
    retention_order: str
    carried_order: str
    fixed_ceiling_proration: str
    chart: str


@_record
class Reference:
    """A legal parameter value used, with its source (``report.references``)."""

    parameter: str
    value: str
    since: _dt.date
    source: str
    description: str
