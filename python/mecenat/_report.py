"""The report: typed, read-only, lazily converted views of the core's report."""

from __future__ import annotations

import dataclasses
import enum
import functools
import html
import json
import os
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, Generic, Literal, TypeVar, Union, overload

from . import _mecenat
from ._records import (
    AnnexText,
    BenchLine,
    Forecast,
    PeriodCap,
    CounterpartCheck,
    Declaration,
    DeclarationTotal,
    Entry,
    FiscalYear,
    Gift,
    GoodsLine,
    Impact,
    InputCount,
    JournalLine,
    LedgerLine,
    OutputTotal,
    Policies,
    Programme,
    ProjectImpact,
    Receipt,
    ReceiptsDeclared,
    ReconciliationLine,
    Reference,
    Rejection,
    FrozenDict,
    _Record,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars
    import pyarrow

    from . import Scenario

__all__ = ["Report", "Records", "TABLES", "TableName"]

T = TypeVar("T")

#: The name of a list of records of the report (``report.table(name)``,
#: ``report.to_pandas(name)``): editors offer them.
#: The per-beneficiary formats of the journal (:meth:`Report.journal_files`).
JournalFormat = Literal["fec", "paheko"]

TableName = Literal[
    "fiscal_years",
    "forecast",
    "entries",
    "gifts",
    "beneficiaries",
    "receipts",
    "journal",
    "bench",
    "projects",
    "outputs",
    "annex",
    "reconciliation",
    "goods_for_accountant",
    "declarations",
    "counterparts",
    "donations_ledger",
    "reduction_ledger",
    "period_caps",
    "rejected",
    "inputs",
    "references",
    "receipts_declared",
    "declaration_totals",
]

#: The report's lists of records, by name, with their record class.
TABLES: Mapping[TableName, type[Any]] = types.MappingProxyType(
    {
        "fiscal_years": FiscalYear,
        "forecast": Forecast,
        "entries": Entry,
        "gifts": Gift,
        "beneficiaries": Impact,
        "receipts": Receipt,
        "journal": JournalLine,
        "bench": BenchLine,
        "projects": ProjectImpact,
        "outputs": OutputTotal,
        "annex": AnnexText,
        "reconciliation": ReconciliationLine,
        "goods_for_accountant": GoodsLine,
        "declarations": Declaration,
        "counterparts": CounterpartCheck,
        "donations_ledger": LedgerLine,
        "reduction_ledger": LedgerLine,
        "period_caps": PeriodCap,
        "rejected": Rejection,
        "inputs": InputCount,
        "references": Reference,
        "receipts_declared": ReceiptsDeclared,
        "declaration_totals": DeclarationTotal,
    }
)

# ------------------------------------------------------------------ value conversion

_Conv = Callable[[Any], Any]
_MISSING = object()


@functools.lru_cache(maxsize=1 << 16)
def _dec(text: str) -> Decimal:
    return Decimal(text)


@functools.lru_cache(maxsize=1 << 12)
def _date(text: str) -> date:
    return date.fromisoformat(text)


def _opt(conv: _Conv) -> _Conv:
    def f(v: Any) -> Any:
        return None if v is None else conv(v)

    return f


def _ident(v: Any) -> Any:
    return v


class _Kind:
    """How one field converts, from its annotation."""

    __slots__ = (
        "conv", "scalar", "decimal", "date", "record", "mapping", "value", "py", "enum", "optional"
    )

    def __init__(self, tp: Any) -> None:
        self.conv: _Conv
        self.value: _Kind | None = None  # a mapping's values
        self.record: type[Any] | None = None  # nested struct (flattened columns)
        self.mapping = False
        self.decimal = False
        self.date = False
        self.scalar = True
        self.py: type[Any] | None = None  # the Python scalar type, for frames
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        optional = False
        if origin in (Union, types.UnionType) and type(None) in args:
            optional = True
            rest = [a for a in args if a is not type(None)]
            tp = rest[0] if len(rest) == 1 else Any
            origin = typing.get_origin(tp)
            args = typing.get_args(tp)
        conv: _Conv = _ident
        self.enum: type[enum.Enum] | None = None
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            self.enum, self.py = tp, str
            conv = _enum_conv(tp)
        elif tp is Decimal:
            conv, self.decimal, self.py = _dec, True, Decimal
        elif tp is date:
            conv, self.date, self.py = _date, True, date
        elif tp in (str, int, bool):
            self.py = tp
        elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
            self.record, self.scalar = tp, False
            conv = _record_conv(tp)
        elif origin is tuple:
            self.scalar = False
            item = args[0]
            if isinstance(item, type) and dataclasses.is_dataclass(item):
                conv = _records_conv(item)
            else:
                conv = tuple
        elif isinstance(origin, type) and issubclass(origin, Mapping):
            self.mapping, self.scalar = True, False
            self.value = _Kind(args[1])
            conv = _mapping_conv(self.value.conv)
        self.optional = optional
        self.conv = _opt(conv) if optional else conv


def _enum_conv(cls: type[enum.Enum]) -> _Conv:
    """Text to the enum's member; a code this package does not know yet stays text (a
    newer core), never lost (the schema test fails on it)."""
    members = {m.value: m for m in cls}

    def conv(v: Any) -> Any:
        return members.get(v, v)

    return conv


def _record_conv(cls: type[Any]) -> _Conv:
    def conv(v: Any) -> Any:
        return _from_dict(cls, v)

    return conv


def _records_conv(cls: type[Any]) -> _Conv:
    def conv(v: Any) -> Any:
        return tuple(_from_dict(cls, x) for x in v)

    return conv


def _mapping_conv(value_conv: _Conv) -> _Conv:
    def conv(v: Any) -> Any:
        return FrozenDict({k: value_conv(x) for k, x in v.items()})

    return conv


_SCHEMAS: dict[type[Any], tuple[tuple[str, _Kind], ...]] = {}


def _schema(cls: type[Any]) -> tuple[tuple[str, _Kind], ...]:
    s = _SCHEMAS.get(cls)
    if s is None:
        hints = typing.get_type_hints(cls)
        s = _SCHEMAS[cls] = tuple(
            (f.name, _Kind(hints[f.name])) for f in dataclasses.fields(cls)
        )
    return s


def _from_dict(cls: type[T], d: Mapping[str, Any]) -> T:
    """A record from the report's plain objects (as ``json.loads`` gives them)."""
    return cls(*[k.conv(d.get(name)) for name, k in _schema(cls)])


def _bulk(values: list[Any], conv: _Conv) -> list[Any]:
    """Converts a column, each distinct value once (Decimals and dates are immutable, so
    equal cells share one object)."""
    memo: dict[Any, Any] = {None: None}
    get = memo.get
    out: list[Any] = []
    append = out.append
    for v in values:
        r = get(v, _MISSING)
        if r is _MISSING:
            r = memo[v] = conv(v)
        append(r)
    return out


def _to_plain(v: Any) -> Any:
    """A record (or tuple of records, or mapping) as dicts and lists, for tables."""
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: _to_plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, tuple):
        return [_to_plain(x) for x in v]
    if isinstance(v, Mapping):
        return {k: _to_plain(x) for k, x in v.items()}
    if isinstance(v, enum.Enum):
        return v.value
    return v


# ------------------------------------------------------------------ records


class Records(Sequence[T], Generic[T]):
    """A read-only sequence of report records, built on demand from the report's columns.

    Indexing, slicing, ``len`` and iteration work as on a tuple; a record is converted
    (Decimals, dates) the first time it is read. Equality compares element by element
    with any sequence.

    >>> import mecenat
    >>> report = mecenat.compute(mecenat.Scenario.example())
    >>> len(report.entries), report.entries[0].value, report.entries[-1].hours
    (2, Decimal('319.27'), Decimal('3.5'))
    >>> sum(e.value for e in report.entries if e.status == "retained")
    Decimal('478.90')
    """

    __slots__ = ("_cls", "_load", "_columns", "_n", "_getters", "_cache")

    def __init__(
        self,
        cls: type[T],
        columns: Mapping[str, list[Any]] | Callable[[], Mapping[str, list[Any]]],
        n: int,
    ) -> None:
        """Records of class ``cls`` over ``n`` rows of ``columns`` (or a function giving
        them, called on first access to a record)."""
        self._cls = cls
        self._load = columns if callable(columns) else None
        self._columns: Mapping[str, list[Any]] = {} if callable(columns) else columns
        self._n = n
        self._getters: list[Callable[[int], Any]] | None = None
        self._cache: list[Any] | None = None

    def _make_getters(self, cls: type[Any], prefix: str) -> list[Callable[[int], Any]]:
        if self._load is not None:
            self._columns, self._load = self._load(), None
        getters: list[Callable[[int], Any]] = []
        for name, kind in _schema(cls):
            path = prefix + name
            # A nested record comes as dotted columns; an optional one that is null in some
            # rows also has a column of its own name (all null) beside them.
            if kind.record is not None and (
                path not in self._columns
                or any(c.startswith(path + ".") for c in self._columns)
            ):
                sub = self._make_getters(kind.record, path + ".")
                rec = kind.record

                def g(
                    i: int,
                    rec: type[Any] = rec,
                    sub: list[Callable[[int], Any]] = sub,
                    optional: bool = kind.optional,
                ) -> Any:
                    values = [s(i) for s in sub]
                    # An optional nested record absent from the row (every column null).
                    if optional and all(v is None for v in values):
                        return None
                    return rec(*values)

                getters.append(g)
                continue
            col = self._columns.get(path)
            if col is None:
                getters.append(lambda i: None)
                continue

            def g2(i: int, col: list[Any] = col, conv: _Conv = kind.conv) -> Any:
                return conv(col[i])

            getters.append(g2)
        return getters

    def _row(self, i: int) -> T:
        if self._cache is None:
            self._getters = self._make_getters(self._cls, "")
            self._cache = [_MISSING] * self._n
        r = self._cache[i]
        if r is _MISSING:
            assert self._getters is not None
            r = self._cache[i] = self._cls(*[g(i) for g in self._getters])
        return typing.cast(T, r)

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[T, ...]: ...

    def __getitem__(self, i: int | slice) -> T | tuple[T, ...]:
        if isinstance(i, slice):
            return tuple(self._row(j) for j in range(*i.indices(self._n)))
        j = i.__index__()
        if j < 0:
            j += self._n
        if not 0 <= j < self._n:
            raise IndexError("record index out of range")
        return self._row(j)

    def __iter__(self) -> Iterator[T]:
        for i in range(self._n):
            yield self._row(i)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(other) == self._n and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        name = self._cls.__name__
        if self._n == 0:
            return f"Records[{name}]([])"
        return f"Records[{name}]({self._n} records, first: {self._row(0)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # A list of records pickles as a tuple of them (records pickle on their own).
        return (tuple, (tuple(self),))

    #: Rows shown by :meth:`_repr_html_`.
    HTML_ROWS = 10

    def _repr_html_(self) -> str:
        """The first rows as an HTML table (nested records as dotted columns), for
        notebooks."""
        names = [name for name, _ in _flat_names(self._cls)]
        head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
        body = []
        for rec in self[: self.HTML_ROWS]:
            cells = "".join(
                f"<td>{_html_cell(_dotted(rec, n))}</td>" for n in names
            )
            body.append(f"<tr>{cells}</tr>")
        more = self._n - min(self._n, self.HTML_ROWS)
        caption = f"{self._n} × {self._cls.__name__}" + (
            f" (les {self.HTML_ROWS} premiers ; {more} autres)" if more else ""
        )
        return (
            f"<table class='mecenat-records'><caption>{html.escape(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )


def _flat_names(cls: type[Any], prefix: str = "") -> list[tuple[str, _Kind]]:
    out: list[tuple[str, _Kind]] = []
    for name, kind in _schema(cls):
        if kind.record is not None:
            out += _flat_names(kind.record, f"{prefix}{name}.")
        else:
            out.append((prefix + name, kind))
    return out


def _dotted(rec: Any, path: str) -> Any:
    for part in path.split("."):
        rec = getattr(rec, part) if rec is not None else None
    return rec


def _fr_money(v: Decimal | None) -> str:
    """A figure as a French reader writes it: ``16\u00a0500,00``."""
    if v is None:
        return "—"
    sign = "-" if v < 0 else ""
    whole, _, cents = f"{abs(v):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + _NBSP.join(groups) + "," + cents


_NBSP = "\u00a0"


def _html_cell(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, enum.Enum):
        return html.escape(str(v.value))
    if isinstance(v, tuple):
        return f"{len(v)} élément(s)"
    if isinstance(v, Mapping):
        return ", ".join(f"{html.escape(str(k))}: {_html_cell(x)}" for k, x in v.items())
    if isinstance(v, _Record):
        return html.escape(repr(v))
    return html.escape(str(v))


# ------------------------------------------------------------------ the report


class Report:
    """The result of :func:`mecenat.compute`: every figure, typed and read-only.

    Lists of records (``fiscal_years``, ``entries``, ``receipts``, ``beneficiaries``,
    ``rejected``, ``references`` and the others of :data:`mecenat.TABLES`) are sequences
    of frozen dataclasses whose money, rates and quantities are :class:`decimal.Decimal`,
    dates :class:`datetime.date`, absent figures ``None``. They are converted from the core's
    report on first use only, so a report of a million entries costs nothing until read.

    Reports compare by their figures (``==``), and pickle (for :mod:`multiprocessing`, caches)
    as their compact JSON and their scenario, without converting a record; a report rebuilt
    from a pickle reads the same (see :meth:`__reduce__`). In a notebook, a report shows its
    summary per fiscal year (``_repr_html_``).

    >>> import mecenat
    >>> s = mecenat.Scenario.from_json('''{
    ...   "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
    ...   "fiscal_years": [{"company": "C1", "start": "2024-01-01", "end": "2024-12-31",
    ...                     "turnover": "5500000"}],
    ...   "beneficiaries": [{"id": "A1", "name": "Association Exemple"}],
    ...   "donations": [{"company": "C1", "beneficiary": "A1", "date": "2024-03-01",
    ...                  "amount": "46000"}]}''')
    >>> report = mecenat.compute(s)
    >>> fy = report.fiscal_years[0]
    >>> fy.ceiling, fy.reduction, fy.excess, fy.tax_due
    (Decimal('27500.00'), Decimal('16500.00'), Decimal('18500.00'), None)
    >>> report.table("fiscal_years")[0]["donations.cash"]
    Decimal('46000.00')
    """

    __slots__ = ("_raw", "_columns", "_records", "_objects", "_scenario")

    def __init__(
        self, raw: _mecenat.Report | _JsonReport, scenario: Scenario | None = None
    ) -> None:
        """Wraps the extension's report (``mecenat.compute`` builds it); ``scenario``: the
        scenario it was computed from, pickled with it (for :meth:`to_excel`)."""
        self._raw = raw
        self._scenario = scenario
        self._columns: dict[str, dict[str, list[Any]]] = {}
        self._records: dict[str, Records[Any]] = {}
        self._objects: dict[str, Any] = {}

    # -------------------------------------------------------------- pickling, equality

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as the report's own compact JSON bytes (no record is built) and the
        scenario (its source: JSON, workbook or tables), which :meth:`to_excel` needs."""
        return (_unpickle_report, (self._raw.json_bytes(False), self._scenario))

    def __eq__(self, other: object) -> bool:
        """Two reports are equal when every figure is (the JSON reports are identical)."""
        if not isinstance(other, Report):
            return NotImplemented
        a, b = self._raw, other._raw
        if a is b:
            return True
        if isinstance(a, _mecenat.Report) and isinstance(b, _mecenat.Report) and not a == b:
            return False  # the core's comparison is quick; its "equal" is checked below
        # Exactly: the same JSON, so 1.5 and 1.50 days differ as the reports print them.
        return a.json_bytes(False) == b.json_bytes(False)

    __hash__ = None  # type: ignore[assignment]

    @property
    def tables(self) -> tuple[TableName, ...]:
        """The names of the report's lists of records (:data:`mecenat.TABLES`), for
        :meth:`table`, :meth:`to_pandas` and :meth:`to_polars`."""
        return tuple(TABLES)

    # -------------------------------------------------------------- raw access

    def _cols(self, name: str) -> dict[str, list[Any]]:
        c = self._columns.get(name)
        if c is None:
            if name not in TABLES:
                raise KeyError(
                    f"no table {name!r} in the report (tables: {', '.join(TABLES)})"
                )
            c = dict(self._raw.columns(name))
            cls = typing.cast(Mapping[str, type[Any]], TABLES)[name]
            _optional_records_dotted(c, cls, self._raw.length(name))
            self._columns[name] = c
        return c

    def _recs(self, name: str) -> Records[Any]:
        r = self._records.get(name)
        if r is None:
            if name not in TABLES:
                raise KeyError(name)
            n = self._raw.length(name)
            cls = typing.cast(Mapping[str, type[Any]], TABLES)[name]
            r = self._records[name] = Records(cls, lambda: self._cols(name), n)
        return r

    def _object(self, name: str) -> Any:
        if name not in self._objects:
            self._objects[name] = self._raw.field(name)
        return self._objects[name]

    # -------------------------------------------------------------- records

    @property
    def fiscal_years(self) -> Records[FiscalYear]:
        """Per company (companies table order), then by date."""
        return self._recs("fiscal_years")

    @property
    def entries(self) -> Records[Entry]:
        """One per time entry, in input order."""
        return self._recs("entries")

    @property
    def gifts(self) -> Records[Gift]:
        """One per cash or in-kind donation row, in input order."""
        return self._recs("gifts")

    @property
    def beneficiaries(self) -> Records[Impact]:
        """Impact per beneficiary (table order) and calendar year."""
        return self._recs("beneficiaries")

    @property
    def receipts(self) -> Records[Receipt]:
        """Receipt data per company, fiscal year and beneficiary."""
        return self._recs("receipts")

    @property
    def journal(self) -> Records[JournalLine]:
        """Class-8 journal lines for the beneficiaries' accounts."""
        return self._recs("journal")

    @property
    def forecast(self) -> Records[Forecast]:
        """The forecast of each company's donations ledger, per assumption (a projection,
        never one of the year's figures)."""
        return self._recs("forecast")

    @property
    def period_caps(self) -> Records[PeriodCap]:
        """The months the period policy scaled down (empty under the ``rate`` policy)."""
        return self._recs("period_caps")

    @property
    def bench(self) -> Records[BenchLine]:
        """Bench (intercontract) economics per company and fiscal year."""
        return self._recs("bench")

    @property
    def projects(self) -> Records[ProjectImpact]:
        """Impact per beneficiary, calendar year and project."""
        return self._recs("projects")

    @property
    def outputs(self) -> Records[OutputTotal]:
        """Declared outcomes, summed."""
        return self._recs("outputs")

    @property
    def annex(self) -> Records[AnnexText]:
        """Annex paragraphs on contributions in kind, per beneficiary and period."""
        return self._recs("annex")

    @property
    def reconciliation(self) -> Records[ReconciliationLine]:
        """Company side against receipts, per company, fiscal year and beneficiary."""
        return self._recs("reconciliation")

    @property
    def goods_for_accountant(self) -> Records[GoodsLine]:
        """In-kind goods and services received, for the beneficiaries' accountants."""
        return self._recs("goods_for_accountant")

    @property
    def declarations(self) -> Records[Declaration]:
        """The lists of gifts above 10,000 EUR (annex of 2069-RCI-SD)."""
        return self._recs("declarations")

    @property
    def receipts_declared(self) -> Records[ReceiptsDeclared]:
        """The non-profits' yearly declaration of receipts (art. 222 bis CGI), per
        beneficiary and calendar year."""
        return self._recs("receipts_declared")

    @property
    def declaration_totals(self) -> Records[DeclarationTotal]:
        """Per company and fiscal year with a declaration list, its subtotal (form
        2069-RCI-SD section III)."""
        return self._recs("declaration_totals")

    @property
    def counterparts(self) -> Records[CounterpartCheck]:
        """Counterparts per company, fiscal year and beneficiary, with their ratio."""
        return self._recs("counterparts")

    @property
    def donations_ledger(self) -> Records[LedgerLine]:
        """Carry-forward of excess donations (report en base)."""
        return self._recs("donations_ledger")

    @property
    def reduction_ledger(self) -> Records[LedgerLine]:
        """Carry-forward of unused reduction (report en impôt)."""
        return self._recs("reduction_ledger")

    @property
    def rejected(self) -> Records[Rejection]:
        """Every unusable row of every table, in table then row order."""
        return self._recs("rejected")

    @property
    def inputs(self) -> Records[InputCount]:
        """Rows read and rejected per table: nothing is lost."""
        return self._recs("inputs")

    @property
    def references(self) -> Records[Reference]:
        """Every legal parameter value used, with its source."""
        return self._recs("references")

    # -------------------------------------------------------------- objects

    @property
    def programme(self) -> Programme:
        """The programme view: per company and fiscal year, per period, in all."""
        return _from_dict(Programme, self._object("programme"))

    @property
    def policies(self) -> Policies:
        """The policies in force where the law is unsettled."""
        return _from_dict(Policies, self._object("policies"))

    @property
    def warnings(self) -> tuple[str, ...]:
        """Warnings (extrapolated parameters, counterparts…)."""
        return tuple(self._object("warnings"))

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Assumptions made where the law is silent."""
        return tuple(self._object("assumptions"))

    @property
    def disclaimer(self) -> str:
        """Not tax advice."""
        return str(self._object("disclaimer"))

    # -------------------------------------------------------------- outputs

    @overload
    def to_json(
        self, path: None = None, *, pretty: bool = True, ensure_ascii: bool = False
    ) -> str: ...

    @overload
    def to_json(self, path: str | os.PathLike[str], *, pretty: bool = True) -> None: ...

    def to_json(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        pretty: bool = True,
        ensure_ascii: bool = False,
    ) -> str | None:
        """The report as JSON (the contract of docs/report.md: money as strings with
        two decimals, absent figures ``null``): returned as text, or written to ``path``
        (atomically: a temporary file next to it, renamed into place once complete; never
        over the file the scenario was read from, which raises :class:`FileError`).

        ``ensure_ascii=True`` (text only) escapes every character beyond ASCII (``é`` as
        ``\\u00e9``), as :func:`json.dumps` does by default: the same document, in a
        ``str`` of one byte a character. The default text is the file's, character for
        character; when it holds a character beyond Latin-1 (the journal's ``–`` and
        ``€``), CPython stores the whole ``str`` at two bytes a character, twice the file.

        >>> import json, mecenat
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> json.loads(report.to_json())["fiscal_years"][0]["reduction"]
        '16500.00'
        >>> report.to_json("report.json")                            # doctest: +SKIP
        """
        if path is None:
            return self._raw.to_json(pretty, ensure_ascii)
        if ensure_ascii:
            raise ValueError(
                "ensure_ascii applies to the text only: a file is written in UTF-8, as the "
                "command line writes it (use report.to_json(ensure_ascii=True) and write it)"
            )
        scenario = self._scenario
        source = scenario._input_path() if scenario is not None else None
        self._raw.write_json(os.fspath(path), pretty, source)
        return None

    def to_json_bytes(self, *, pretty: bool = True) -> bytes:
        """The report's JSON as UTF-8 bytes, exactly what :meth:`to_json` writes to a file:
        built with the interpreter released, in half the memory of the ``str`` when the
        text holds a character beyond Latin-1 (``€``, ``–``: the ``str`` then takes two
        bytes a character): the way to hand the JSON to a parser, a socket or an archive.

        >>> import mecenat
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> report.to_json_bytes() == report.to_json().encode("utf-8")
        True
        """
        return self._raw.json_bytes(pretty)

    @overload
    def to_excel(self, path_or_file: None = None, *, lang: str = "fr") -> bytes: ...

    @overload
    def to_excel(
        self, path_or_file: str | os.PathLike[str] | IO[bytes], *, lang: str = "fr"
    ) -> None: ...

    def to_excel(
        self,
        path_or_file: str | os.PathLike[str] | IO[bytes] | None = None,
        *,
        lang: str = "fr",
    ) -> bytes | None:
        """The auditable report workbook (.xlsx): written to a path or a binary file, or
        returned as bytes when none is given. ``lang``: ``"fr"`` (default) or ``"en"``.

        >>> import mecenat
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> report.to_excel()[:2]
        b'PK'
        >>> report.to_excel("rapport.xlsx", lang="fr")                # doctest: +SKIP
        """
        if path_or_file is None:
            return self._raw.excel_bytes(lang)
        if isinstance(path_or_file, (str, os.PathLike)):
            self._raw.write_excel(os.fspath(path_or_file), lang)
            return None
        path_or_file.write(self._raw.excel_bytes(lang))
        return None

    def annex_text(
        self, beneficiary: str | None = None, *, format: Literal["text", "markdown"] = "text"
    ) -> str:
        """The annex on contributions in kind as a document, in French, for one
        beneficiary (by id) or all: ``format="text"`` (default) or ``"markdown"``; empty
        when the report has no annex for them. (``report.annex`` gives its paragraphs as
        records.)

        >>> import mecenat
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> report.annex_text(format="markdown").splitlines()[0]
        '# Annexe aux comptes : contributions volontaires en nature'
        """
        return self._raw.annex_document(beneficiary, format)

    # -------------------------------------------------------------- tables and frames

    def _flat_columns(self, name: TableName) -> list[tuple[str, _Kind | None, list[Any]]]:
        """The table's columns as the core gives them (money as exact text), maps spread
        into one column per key (``reduction_by_rate.0.60``; ``None`` where a row lacks
        the key), each with its kind (``None`` for a column this package does not know)."""
        cols = self._cols(name)
        kinds = _flat_kinds(TABLES[name])
        if not cols:
            return [(c, k, []) for c, k in kinds.items() if not k.mapping]
        out: list[tuple[str, _Kind | None, list[Any]]] = []
        for col, values in cols.items():
            kind = kinds.get(col)
            if kind is not None and kind.mapping:
                keys: dict[str, None] = {}
                for v in values:
                    if v:
                        keys.update(dict.fromkeys(v))
                for k in keys:
                    sub = [None if m is None else m.get(k) for m in values]
                    out.append((f"{col}.{k}", kind.value, sub))
            else:
                out.append((col, kind, values))
        return out

    def _converted(self, name: TableName) -> dict[str, list[Any]]:
        """Every column of a table, converted (Decimal, date); maps spread by key."""
        return {col: _convert(kind, values) for col, kind, values in self._flat_columns(name)}

    def table(self, name: TableName) -> list[dict[str, Any]]:
        """A list of records as a list of dicts (one per row), values converted as in the
        records (Decimal, date, None). Nested objects are flattened with dotted names
        (``"donations.cash"``, ``"reduction_by_rate.0.60"``); nested lists (a receipt's
        ``employees``) stay lists of dicts. ``name`` is one of :data:`mecenat.TABLES`.

        >>> import mecenat
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> row = report.table("fiscal_years")[0]
        >>> row["reduction"], row["donations.staff_time"], row["reduction_by_rate.0.60"]
        (Decimal('16500.00'), Decimal('478.90'), Decimal('16500.00'))
        >>> report.table("receipts")[0]["employees"][0]["value"]
        Decimal('478.90')
        """
        cols = self._converted(name)
        keys = list(cols)
        return [dict(zip(keys, row)) for row in zip(*cols.values())]

    def to_arrow(self, name: TableName) -> pyarrow.Table:
        """A list of records as a pyarrow Table (columns as in :meth:`table`), built in
        Rust with the interpreter released, straight into Arrow buffers.

        Money is ``decimal128(38, 2)``, quantities and rates ``decimal128(38, s)`` at the
        column's largest scale (exact: no float anywhere), dates ``date32``, statuses and
        other closed lists ``dictionary<int32, string>``, text ``string``, counts
        ``int64``, flags ``bool``; nested lists (a receipt's ``employees``) are lists of
        structs. Needs pyarrow (``pip install pyarrow``).

        >>> import mecenat
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> t = report.to_arrow("entries")
        >>> t.schema.field("value").type, t.schema.field("date").type
        (Decimal128Type(decimal128(38, 2)), DataType(date32[day]))
        >>> str(t["value"][0].as_py())
        '319.27'
        """
        from . import _arrow

        if name not in TABLES:
            raise KeyError(f"no table {name!r} in the report (tables: {', '.join(TABLES)})")
        kinds = _flat_kinds(TABLES[name])
        if isinstance(self._raw, _mecenat.Report):
            leaves, spread = _arrow.plan(kinds)
            chunks = self._raw.arrow_columns(name, leaves, spread)
            return _arrow.table_from_chunks(chunks, kinds)
        return _arrow.table_from_columns(self._flat_columns(name), kinds)

    def to_pandas(
        self, name: TableName, *, dtype_backend: Literal["pyarrow"] | None = None
    ) -> pandas.DataFrame:
        """A list of records as a pandas DataFrame (columns as in :meth:`table`).

        By default, money, rates and quantities are ``object`` columns of
        :class:`decimal.Decimal` (never float), dates ``object`` columns of
        :class:`datetime.date`, counts ``int64`` (``Int64`` when some are missing), flags
        ``bool`` (``boolean``): exact, and what ``sum`` or ``groupby`` of Decimals give.

        With ``dtype_backend="pyarrow"`` (pandas' own convention), the columns are those
        of :meth:`to_arrow` as ``pd.ArrowDtype``: ``decimal128(38, 2)[pyarrow]`` money,
        ``date32[day][pyarrow]`` dates (``.dt`` works), dictionary-encoded statuses,
        ``string[pyarrow]`` text: several times faster and smaller for large tables, and
        ``describe()`` treats money as numbers.

        >>> import mecenat
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> df = report.to_pandas("entries")
        >>> df.groupby("project")["value"].sum()["Atelier CV"]
        Decimal('478.90')
        >>> fast = report.to_pandas("entries", dtype_backend="pyarrow")
        >>> str(fast["value"].dtype), fast["date"].dt.month.tolist()
        ('decimal128(38, 2)[pyarrow]', [3, 3])
        """
        import pandas as pd

        if dtype_backend is not None:
            if dtype_backend != "pyarrow":
                raise ValueError(
                    f"dtype_backend must be \"pyarrow\" or None (Decimal objects), not "
                    f"{dtype_backend!r}: money never goes through float, so pandas' "
                    "\"numpy_nullable\" backend has no exact type for it"
                )
            return self.to_arrow(name).to_pandas(types_mapper=pd.ArrowDtype)

        data: dict[str, Any] = {}
        for col, kind, raw in self._flat_columns(name):
            values = _convert(kind, raw)
            data[col] = pd.Series(values, dtype=_pandas_dtype(kind, values))
        return pd.DataFrame(data)

    def to_polars(self, name: TableName) -> polars.DataFrame:
        """A list of records as a polars DataFrame (columns as in :meth:`table`).

        Money, rates and quantities are ``pl.Decimal`` columns (exact; the scale is the
        largest of the column, e.g. 2 for money), dates ``pl.Date``, counts ``pl.Int64``,
        flags ``pl.Boolean``, text ``pl.String``; nested lists are lists of structs.

        When pyarrow is installed, the frame shares :meth:`to_arrow`'s columns (built in
        Rust; statuses are then ``pl.Categorical``, polars' dictionary type).

        >>> import mecenat, polars as pl
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> df = report.to_polars("entries")
        >>> df.schema["value"], df["value"].sum()
        (Decimal(precision=38, scale=2), Decimal('478.90'))
        """
        import polars as pl

        try:
            import pyarrow  # noqa: F401
        except ImportError:
            pass
        else:
            frame = pl.from_arrow(self.to_arrow(name), rechunk=False)
            assert isinstance(frame, pl.DataFrame)
            return frame

        series = []
        for col, kind, values in self._flat_columns(name):
            if kind is None:
                series.append(pl.Series(col, values, strict=False))
            elif kind.decimal:
                # Parsed by polars from the exact text, at the column's largest scale (a
                # smaller one would truncate).
                text = pl.Series(col, values, dtype=pl.String)
                scale = text.str.extract(r"\.(\d+)$", 1).str.len_chars().max()
                scale = int(scale) if isinstance(scale, int) else 0
                series.append(text.str.to_decimal(scale=scale).cast(pl.Decimal(38, scale)))
            elif kind.date:
                series.append(pl.Series(col, values, dtype=pl.String).str.to_date("%Y-%m-%d"))
            elif kind.py is not None:
                dtype = {str: pl.String, int: pl.Int64, bool: pl.Boolean}[kind.py]
                series.append(pl.Series(col, values, dtype=dtype))
            else:
                series.append(pl.Series(col, [_to_plain(kind.conv(v)) for v in values],
                                        strict=False))
        return pl.DataFrame(series)

    # -------------------------------------------------------------- documents

    def summary(self) -> str:
        """The French text summary of the report, as ``mecenat compute`` prints it on a
        terminal: per company and fiscal year, the donations, the ceiling, the amounts
        retained, the reduction, the excess carried forward and the tax, then the
        warnings.

        >>> import mecenat
        >>> text = mecenat.compute(mecenat.Scenario.example()).summary()
        >>> print(text.splitlines()[0])
        mecenat — mécénat de compétences (art. 238 bis CGI)
        >>> "Réduction d'impôt" in text and "16 500,00 €" in text
        True
        """
        return self._raw.summary()

    @overload
    def journal_csv(
        self, path: None = None, *, beneficiary: str | None = None
    ) -> str: ...

    @overload
    def journal_csv(
        self, path: str | os.PathLike[str], *, beneficiary: str | None = None
    ) -> None: ...

    def journal_csv(
        self, path: str | os.PathLike[str] | None = None, *, beneficiary: str | None = None
    ) -> str | None:
        """The class-8 journal (contributions in kind) as a FEC-like file for an accounting
        package, as ``mecenat journal`` writes it: semicolons, amounts ``1234,50``, dates
        ``AAAAMMJJ``, CRLF line ends; for one ``beneficiary`` (its id) or all. Returned as
        text, or written to ``path`` (UTF-8; never over the scenario).

        >>> import mecenat
        >>> fec = mecenat.compute(mecenat.Scenario.example()).journal_csv()
        >>> fec.splitlines()[0].split(";")[:3]
        ['JournalCode', 'JournalLib', 'EcritureNum']
        >>> [line.split(";")[4] for line in fec.splitlines()[1:]]         # doctest: +SKIP
        """
        self._check_journal_beneficiary(beneficiary)
        text = self._raw.journal_fec(beneficiary)
        if path is None:
            return text
        _write_text(os.fspath(path), text)
        return None

    def _check_journal_beneficiary(self, beneficiary: str | None) -> None:
        """A ``ScenarioError`` when ``beneficiary`` received no time (as ``mecenat
        journal --beneficiary`` refuses it)."""
        if beneficiary is None:
            return
        known = {b.beneficiary for b in self.beneficiaries} | {
            j.beneficiary for j in self.journal
        }
        if beneficiary not in known:
            from ._errors import ScenarioError

            raise ScenarioError(
                f"beneficiary {beneficiary!r} received no time: no journal line "
                f"(beneficiaries with lines: {', '.join(sorted(known)) or 'none'})",
                table="beneficiaries",
                value=beneficiary,
            )

    def _journal_scenario(self) -> Any:
        """The extension's scenario the report was computed from (its beneficiaries'
        SIREN or RNA name the journal files)."""
        if self._scenario is None:
            from ._errors import MecenatError

            raise MecenatError(
                "this report has no scenario: the journal files are named after the "
                "beneficiaries' SIREN or RNA; use mecenat.compute(scenario)"
            )
        return self._scenario._raw

    def journal_files(
        self, format: JournalFormat = "fec", *, beneficiary: str | None = None
    ) -> dict[str, bytes]:
        """The class-8 journal as one file per beneficiary and calendar year, the bytes
        ``mecenat journal -f fec|paheko`` writes, by file name; nothing is written.

        ``format="fec"``: a FEC (LPF art. A47 A-1) named ``<SIREN>FEC<AAAAMMJJ>.txt``
        (the beneficiary's RNA when it has no SIREN, its id when it has neither, with a
        warning), tab-separated, UTF-8, the 18 FEC columns, a debit (86) and a credit
        (87) line per entry. ``format="paheko"``: a CSV for Paheko's import of entries,
        layout "simplifié", named ``<SIREN>-paheko-<année>.csv``, UTF-8 with a BOM,
        semicolons. For one ``beneficiary`` (its id) or all. The accounts are those of
        the scenario's settings (``journal_accounts = "sub_accounts"`` posts to 8642 /
        8711 / 8641, the CLI's ``--sub-accounts``).

        >>> import mecenat
        >>> files = mecenat.compute(mecenat.Scenario.example()).journal_files("fec")
        >>> name = next(iter(files))
        >>> name.endswith(".txt"), "FEC" in name
        (True, True)
        >>> header = files[name].decode("utf-8").splitlines()[0].split("\\t")
        >>> len(header), header[0]
        (18, 'JournalCode')
        >>> paheko = mecenat.compute(mecenat.Scenario.example()).journal_files("paheko")
        >>> next(iter(paheko.values()))[:3]
        b'\\xef\\xbb\\xbf'
        """
        self._check_journal_beneficiary(beneficiary)
        files = self._raw.journal_files(self._journal_scenario(), format, beneficiary)
        out: dict[str, bytes] = {}
        for name, data, note in files:
            _journal_note(note)
            out[name] = data
        return out

    def write_journal(
        self,
        directory: str | os.PathLike[str],
        format: JournalFormat = "fec",
        *,
        beneficiary: str | None = None,
        force: bool = False,
    ) -> list[str]:
        """Writes :meth:`journal_files` into ``directory`` (created if missing), as
        ``mecenat journal -f fec|paheko -o DIR`` does, and returns the paths written.
        Files already there are refused (``FileExistsError``, nothing is written) unless
        ``force``; a symbolic link in the way always is; each file is written atomically
        (a temporary file, then renamed). The work runs with the interpreter released.

        >>> import mecenat, os, tempfile
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> d = tempfile.mkdtemp()
        >>> paths = report.write_journal(d, "fec")
        >>> [os.path.basename(p) for p in paths] == list(report.journal_files("fec"))
        True
        >>> try:
        ...     report.write_journal(d, "fec")
        ... except FileExistsError as e:
        ...     print("refused:", "already exist" in str(e))
        refused: True
        >>> report.write_journal(d, "fec", force=True) == paths
        True
        """
        self._check_journal_beneficiary(beneficiary)
        written = self._raw.write_journal(
            self._journal_scenario(), os.fspath(directory), format, beneficiary, force
        )
        for _, note in written:
            _journal_note(note)
        return [path for path, _ in written]

    def write_receipts(
        self,
        directory: str | os.PathLike[str],
        *,
        force: bool = False,
        hide_employee_values: bool = False,
    ) -> list[str]:
        """Writes one PDF receipt (Cerfa 16216 content: the beneficiary, the company, the
        amounts in figures and in French words, the employees made available) per
        receipt of the report into ``directory`` (created if missing), and returns the
        paths written, in the report's order. Files already there are refused (nothing
        is written) unless ``force``; each file is written atomically.
        ``hide_employee_values`` prints each employee's name and time without their value
        (it reveals their pay cost); the total stays.

        >>> import mecenat, tempfile
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> paths = report.write_receipts(tempfile.mkdtemp())
        >>> len(paths), paths[0].endswith(".pdf")
        (1, True)
        """
        return self._raw.write_receipts(os.fspath(directory), force, hide_employee_values)

    def receipt_pdf(self, index: int) -> tuple[str, bytes]:
        """The PDF of one receipt (``report.receipts[index]``) and the file name
        :meth:`write_receipts` gives it, without writing anything.

        >>> import mecenat
        >>> name, pdf = mecenat.compute(mecenat.Scenario.example()).receipt_pdf(0)
        >>> pdf[:5], name.endswith(".pdf")
        (b'%PDF-', True)
        """
        n = len(self.receipts)
        i = index.__index__()
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"no receipt {index} (the report has {n})")
        return self._raw.receipt_pdf(i)

    def __repr__(self) -> str:
        return repr(self._raw)

    def _repr_html_(self) -> str:
        """A short summary for notebooks: per fiscal year, the company, the year, the
        donations, the ceiling, the reduction and the excess carried forward; then the
        counts of rejected rows and warnings."""
        head = "".join(
            f"<th>{h}</th>"
            for h in ("Société", "Exercice", "Dons", "Plafond", "Réduction", "Excédent reporté")
        )
        rows = []
        for fy in self.fiscal_years:
            cells = [html.escape(fy.company), html.escape(fy.label)] + [
                _fr_money(v) for v in (fy.donations.total, fy.ceiling, fy.reduction, fy.excess)
            ]
            tds = "".join(
                f"<td style='text-align:{'left' if i < 2 else 'right'}'>{c}</td>"
                for i, c in enumerate(cells)
            )
            rows.append(f"<tr>{tds}</tr>")
        n_rej, n_warn = len(self.rejected), len(self.warnings)
        notes = f"Lignes rejetées : {n_rej} · Avertissements : {n_warn}"
        if n_rej:
            notes += " (voir <code>report.to_pandas(\"rejected\")</code>)"
        return (
            "<div class='mecenat-report'><table><caption>mecenat — réduction d'impôt "
            "(art. 238 bis CGI), montants en euros</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p>{notes}</p></div>"
        )


def _journal_note(note: str | None) -> None:
    """Why a journal file's name does not follow the rule, as a warning (``mecenat
    journal`` prints it on stderr)."""
    if note is not None:
        import warnings

        warnings.warn(f"mecenat: {note}", stacklevel=3)


def _unpickle_report(data: bytes, scenario: Scenario | None) -> Report:
    return Report(_JsonReport(data, scenario), scenario)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    if c > 0xFFFF:
        c -= 0x10000
        return "\\u%04x\\u%04x" % (0xD800 | (c >> 10), 0xDC00 | (c & 0x3FF))
    return "\\u%04x" % c


def _ascii_escaped(text: str) -> str:
    """JSON text with every character beyond ASCII escaped as json.dumps escapes it (the
    extension's ``to_json(ensure_ascii=True)``, for a report read back from its JSON)."""
    return _NON_ASCII.sub(_escape, text)


class _JsonReport:
    """A report read back from its compact JSON bytes (an unpickled :class:`Report`): the
    same interface as the extension's report, parsed on first use. The workbook needs the
    core's report, so :meth:`excel_bytes` computes it again from the scenario."""

    __slots__ = ("_bytes", "_obj", "_scenario", "_core")

    def __init__(self, data: bytes, scenario: Scenario | None) -> None:
        self._bytes = bytes(data)
        self._obj: dict[str, Any] | None = None
        self._scenario = scenario
        self._core: _mecenat.Report | None = None

    def _data(self) -> dict[str, Any]:
        if self._obj is None:
            obj = json.loads(self._bytes)
            assert isinstance(obj, dict)
            self._obj = obj
        return self._obj

    def json_bytes(self, pretty: bool = False) -> bytes:
        if not pretty:
            return self._bytes
        # serde_json's pretty layout is json.dumps' with indent=2 (same escapes, "[]" and
        # "{}" when empty): the test checks the bytes against the core's.
        return json.dumps(self._data(), indent=2, ensure_ascii=False).encode("utf-8")

    def to_json(self, pretty: bool = True, ensure_ascii: bool = False) -> str:
        text = self.json_bytes(pretty).decode("utf-8")
        return _ascii_escaped(text) if ensure_ascii else text

    def write_json(self, path: str, pretty: bool = True, input: str | None = None) -> None:
        _mecenat.write_file(path, self.json_bytes(pretty), input)

    def field_names(self) -> list[str]:
        return list(self._data())

    def field(self, name: str) -> Any:
        return self._data()[name]

    def length(self, name: str) -> int:
        return len(self._data()[name])

    def columns(self, name: str) -> list[tuple[str, list[Any]]]:
        rows = self._data()[name]
        cls = typing.cast(Mapping[str, type[Any]], TABLES).get(name)
        cols: dict[str, list[Any]] = {}
        for i, row in enumerate(rows):
            _spread(row, cls, "", cols, i)
        n = len(rows)
        for values in cols.values():
            values.extend([None] * (n - len(values)))
        return list(cols.items())

    def summary(self) -> str:
        return self._core_report().summary()

    def journal_fec(self, beneficiary: str | None = None) -> str:
        return self._core_report().journal_fec(beneficiary)

    def write_receipts(
        self, dir: str, force: bool = False, hide_employee_values: bool = False
    ) -> list[str]:
        return self._core_report().write_receipts(dir, force, hide_employee_values)

    def journal_files(
        self, scenario: _mecenat.Scenario, format: str, beneficiary: str | None = None
    ) -> list[tuple[str, bytes, str | None]]:
        return self._core_report().journal_files(scenario, format, beneficiary)

    def write_journal(
        self,
        scenario: _mecenat.Scenario,
        dir: str,
        format: str,
        beneficiary: str | None = None,
        force: bool = False,
    ) -> list[tuple[str, str | None]]:
        return self._core_report().write_journal(scenario, dir, format, beneficiary, force)

    def receipt_pdf(self, index: int) -> tuple[str, bytes]:
        return self._core_report().receipt_pdf(index)

    def _core_report(self) -> _mecenat.Report:
        if self._core is None:
            from ._errors import MecenatError

            if self._scenario is None:
                raise MecenatError(
                    "this report was unpickled without its scenario: the workbook, the "
                    "summary, the journal and the receipts need mecenat.compute(scenario)"
                )
            cap = self._data()["policies"]["cap_method"]
            self._core = _mecenat.compute(self._scenario._raw, cap, False)
        return self._core

    def excel_bytes(self, lang: str) -> bytes:
        return self._core_report().excel_bytes(lang)

    def annex_document(self, beneficiary: str | None = None, format: str = "text") -> str:
        return self._core_report().annex_document(beneficiary, format)

    def write_excel(self, path: str, lang: str) -> None:
        self._core_report().write_excel(path, lang)

    def __repr__(self) -> str:
        d = self._data()
        return (
            f"<mecenat.Report fiscal_years={len(d['fiscal_years'])} "
            f"entries={len(d['entries'])} receipts={len(d['receipts'])} "
            f"rejected={len(d['rejected'])}>"
        )


def _optional_records_dotted(cols: dict[str, list[Any]], cls: type[Any], n: int) -> None:
    """Columns of an optional nested record (``Reference.supplied_by``) always dotted: the
    extension writes a null one as a column of the field's own name, a present one as its
    dotted columns; here the null column goes and every dotted column is there (null where
    the record is)."""
    for name, kind in _schema(cls):
        if kind.record is None or not kind.optional:
            continue
        cols.pop(name, None)
        for sub in _flat_kinds(kind.record):
            col = cols.setdefault(f"{name}.{sub}", [None] * n)
            if len(col) < n:
                col.extend([None] * (n - len(col)))


def _spread(
    row: Mapping[str, Any], cls: type[Any] | None, prefix: str, cols: dict[str, list[Any]], i: int
) -> None:
    """One JSON object into columns as the extension gives them: nested records flattened
    with dotted names, maps and lists kept whole."""
    kinds = dict(_schema(cls)) if cls is not None else {}
    for k, v in row.items():
        kind = kinds.get(k)
        if isinstance(v, dict) and kind is not None and kind.record is not None:
            _spread(v, kind.record, f"{prefix}{k}.", cols, i)
            continue
        col = cols.get(prefix + k)
        if col is None:
            col = cols[prefix + k] = [None] * i
        elif len(col) < i:
            col.extend([None] * (i - len(col)))
        col.append(v)


def _convert(kind: _Kind | None, values: list[Any]) -> list[Any]:
    """A column of the core's values converted to the record's types."""
    if kind is None:
        return values
    if kind.scalar:
        return _bulk(values, kind.conv) if kind.decimal or kind.date else values
    return [_to_plain(kind.conv(v)) for v in values]


def _pandas_dtype(kind: _Kind | None, values: list[Any]) -> Any:
    if kind is None or kind.py is None or kind.py in (Decimal, date):
        return object
    if kind.py is str:
        return object
    missing = any(v is None for v in values)
    if kind.py is bool:
        return "boolean" if missing else bool
    return "Int64" if missing else "int64"


_FLAT: dict[type[Any], dict[str, _Kind]] = {}


def _flat_kinds(cls: type[Any]) -> dict[str, _Kind]:
    """The kind of each column of a table: nested records flattened with dotted names."""
    cached = _FLAT.get(cls)
    if cached is not None:
        return cached
    out: dict[str, _Kind] = {}
    _FLAT[cls] = out
    for name, kind in _schema(cls):
        if kind.record is not None:
            for sub, k in _flat_kinds(kind.record).items():
                out[f"{name}.{sub}"] = k
        else:
            out[name] = kind
    return out


def _write_text(path: str, text: str) -> None:
    """Writes a text file (UTF-8) as a whole: into a temporary file beside it, then
    renamed, so that a failure never leaves a truncated file."""
    import tempfile

    from ._errors import FileError

    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".mecenat-", dir=directory)
    except OSError as e:
        raise FileError(f"{path}: {e.strerror}", path=path, errno=e.errno) from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise FileError(f"{path}: {e.strerror}", path=path, errno=e.errno) from e
