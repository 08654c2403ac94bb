"""mecenat: French skills sponsorship (mécénat de compétences) arithmetic, to the cent.

Consultants' donated time valued at cost price (salary + employer charges, capped at
3 × PASS), the art. 238 bis CGI tax reduction (60 %, 40 % above 2 M€, within
max(20,000 €; 0.5 % of turnover), excess carried five years), its imputation on corporate
tax, receipts and declarations, and for the beneficiary, contributions in kind and impact.
*Not tax advice: every report says which rules and parameters it applied.*

A scenario is a set of tables (docs/tables.md): read it from JSON, from an Excel
workbook, or build it from lists of dicts or data frames; compute it; read the report as
typed records, tables, data frames, JSON or a workbook.

>>> from decimal import Decimal
>>> from datetime import date
>>> import mecenat
>>> scenario = mecenat.Scenario.from_tables(
...     companies=[{"id": "C1", "name": "Exemple Conseil SAS"}],
...     fiscal_years=[{"company": "C1", "start": date(2025, 1, 1), "end": date(2025, 12, 31),
...                    "turnover": Decimal("2000000")}],
...     beneficiaries=[{"id": "A1", "name": "Association Exemple"}],
...     employees=[{"id": "E1", "company": "C1", "annual_gross_salary": 48000,
...                 "annual_employer_charges": "21600", "annual_working_days": 218}],
...     time_entries=[{"employee": "E1", "beneficiary": "A1", "date": date(2025, 3, 3),
...                    "days": Decimal("1")}],
... )
>>> report = mecenat.compute(scenario)
>>> report.entries[0].value
Decimal('319.27')
>>> report.fiscal_years[0].reduction
Decimal('191.56')

Money never goes through binary floating point: a ``float`` is refused with a
:class:`TypeError` (:class:`InputTypeError`) saying what to pass instead.

>>> mecenat.Scenario.from_tables(companies=[{"id": "C1", "name": "X"}],
...     fiscal_years=[{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
...                    "turnover": 2000000.0}])
Traceback (most recent call last):
    ...
mecenat.InputTypeError: fiscal_years row 1, key "turnover": 2000000.0 is a float: ...
"""

from __future__ import annotations

import os
import re
import warnings
from collections import Counter
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from typing import IO, TYPE_CHECKING, Any, Literal, overload

from . import _mecenat
from ._errors import (
    FileError,
    FileExistsFileError,
    FileNotFoundFileError,
    InputTypeError,
    IsADirectoryFileError,
    MecenatError,
    NotADirectoryFileError,
    ParameterError,
    PermissionFileError,
    RejectedRowsWarning,
    ScenarioError,
    StrictError,
)
from ._records import (
    AccountToCreate,
    CarriedOrder,
    FixedCeilingProration,
    RetentionOrder,
    DeclarationTotal,
    JournalAccounts,
    ReceiptsDeclared,
    AnnexRate,
    AnnexText,
    Assumption,
    BenchLine,
    Conversion,
    RejectionKind,
    Forecast,
    ForecastYear,
    Imputation,
    PeriodCap,
    Retention,
    YearLaw,
    Chart,
    CompanyProgramme,
    CounterpartCheck,
    CvnMethod,
    Declaration,
    DeclarationGift,
    DeclarationGiftKind,
    DonationKind,
    Donations,
    Entry,
    FiscalYear,
    FrozenDict,
    Gift,
    GoodsLine,
    Impact,
    InputCount,
    JournalCategory,
    JournalLine,
    LedgerLine,
    OutputTotal,
    Policies,
    Programme,
    ProgrammeTotals,
    ProjectImpact,
    PaymentMethod,
    Receipt,
    ReceiptCashGift,
    ReceiptEmployee,
    ReceiptGood,
    ReconciliationLine,
    Reference,
    Rejection,
    Status,
    SuppliedBy,
)
from ._report import TABLES, Records, Report, TableName, _from_dict
from ._tables import null_markers, table_spec

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars

try:
    __version__ = version("mecenat")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "AnnexRate",
    "AnnexText",
    "Assumption",
    "BenchLine",
    "Conversion",
    "RejectionKind",
    "Forecast",
    "ForecastYear",
    "Imputation",
    "PeriodCap",
    "Retention",
    "YearLaw",
    "CapMethod",
    "CarriedOrder",
    "Chart",
    "FixedCeilingProration",
    "RetentionOrder",
    "AccountToCreate",
    "DeclarationTotal",
    "JournalAccounts",
    "ReceiptsDeclared",
    "CompanyProgramme",
    "CounterpartCheck",
    "CvnMethod",
    "Declaration",
    "DeclarationGift",
    "DeclarationGiftKind",
    "DonationKind",
    "Donations",
    "Entry",
    "FileError",
    "FileExistsFileError",
    "FileNotFoundFileError",
    "FiscalYear",
    "FrozenDict",
    "Gift",
    "GoodsLine",
    "Impact",
    "InputCount",
    "InputTypeError",
    "IsADirectoryFileError",
    "JournalCategory",
    "JournalLine",
    "Lang",
    "LedgerLine",
    "MecenatError",
    "NotADirectoryFileError",
    "OutputTotal",
    "ParameterError",
    "PermissionFileError",
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
    "Records",
    "Reference",
    "RejectedRowsWarning",
    "Rejection",
    "Report",
    "Scenario",
    "ScenarioError",
    "Status",
    "StrictError",
    "SuppliedBy",
    "TABLES",
    "Table",
    "TableName",
    "compute",
    "read_excel",
    "template",
]

#: A table: rows as dicts, a dict of columns, or a pandas or polars DataFrame.
Table = Any

CapMethod = Literal["rate", "period"]
Lang = Literal["fr", "en"]


_EXAMPLE = """{
  "companies": [{"id": "C1", "name": "Exemple Conseil SAS", "siren": "552100554",
                 "legal_form": "SAS", "address": "1 rue de la Paix, 75002 Paris"}],
  "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                    "turnover": "5500000", "tax_due": "120000"}],
  "beneficiaries": [{"id": "A1", "name": "Association Exemple", "rna": "W751000001",
                     "address": "2 rue du Bac, 75007 Paris"}],
  "employees": [{"id": "E1", "company": "C1", "name": "Camille Martin",
                 "annual_gross_salary": "48000", "annual_employer_charges": "21600",
                 "annual_working_days": "218"}],
  "time_entries": [
    {"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1",
     "project": "Atelier CV"},
    {"employee": "E1", "beneficiary": "A1", "date": "2025-03-10", "hours": "3.5",
     "project": "Atelier CV"}],
  "donations": [{"company": "C1", "beneficiary": "A1", "date": "2025-06-01",
                 "amount": "46000"}]
}"""


def _looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


class Scenario:
    """A validated scenario: the input tables of docs/tables.md, typed by the core.

    Build one with :meth:`from_json`, :meth:`from_excel` or :meth:`from_tables`; compute it
    with :func:`mecenat.compute`. Rows that cannot be used are kept with their reason (see
    :attr:`rejections` and :attr:`Report.rejected`); problems of the whole scenario raise
    :class:`ScenarioError` with ``.table``, ``.row``, ``.key``, ``.cell`` and ``.value``.

    >>> import mecenat
    >>> s = mecenat.Scenario.from_json('{"companies": [{"id": "C1", "name": "X"}]}')
    >>> s.row_counts
    {'companies': 1}
    """

    __slots__ = ("_raw", "_source")

    def __init__(self, raw: _mecenat.Scenario) -> None:
        """Wraps the extension's scenario; use the ``from_*`` constructors instead."""
        if not isinstance(raw, _mecenat.Scenario):
            raise TypeError(
                "use Scenario.from_json, Scenario.from_excel or Scenario.from_tables"
            )
        self._raw = raw
        # What the scenario was built from, for pickling: ("json", text or bytes),
        # ("excel", bytes), ("json_file" or "excel_file", path, (size, mtime_ns)), or
        # ("tables",) (the extension keeps the raw tables).
        self._source: tuple[Any, ...] | None = None

    @classmethod
    def _made(cls, raw: _mecenat.Scenario, *source: Any) -> Scenario:
        s = cls(raw)
        s._source = source
        return s

    # -------------------------------------------------------------- pickling, equality

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as what it was built from: its JSON text, its workbook's bytes, or its
        tables (compact bytes); unpickled, it is validated again into an equal scenario.
        A scenario read from a file is pickled as the file's bytes, and refuses to be if
        the file changed since it was read."""
        return (_unpickle_scenario, self._state())

    def _state(self) -> tuple[str, str | bytes]:
        src = self._source
        if src is None:
            raise TypeError("only a Scenario built by Scenario.from_* can be pickled")
        kind = src[0]
        if kind in ("json", "excel"):
            return (kind, src[1])
        if kind == "tables":
            data = self._raw.tables_state()
            assert data is not None
            return (kind, data)
        path, seen = src[1], src[2]
        import pickle

        try:
            with open(path, "rb") as f:
                data = f.read()
            now = _fingerprint(path)
        except OSError as e:
            raise pickle.PicklingError(
                f"cannot pickle the scenario read from {path}: the file cannot be read "
                f"again ({e.strerror})"
            ) from e
        if now != seen:
            raise pickle.PicklingError(
                f"cannot pickle the scenario read from {path}: the file changed since; "
                "read it again (Scenario.from_json / from_excel) to pickle what it holds now"
            )
        return ("json" if kind == "json_file" else "excel", data)

    def _input_path(self) -> str | None:
        """The file the scenario was read from, if any: never written over by a report."""
        src = self._source
        if src is not None and src[0] in ("json_file", "excel_file"):
            return str(src[1])
        return None

    def __eq__(self, other: object) -> bool:
        """Scenarios are equal when their validated tables are."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return self._raw == other._raw

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def from_json(cls, source: str | bytes | os.PathLike[str]) -> Scenario:
        """A scenario from JSON: a path (``str`` or ``os.PathLike``) to a ``.json`` file, or
        the JSON text itself (``str`` starting with ``{``, or ``bytes``).

        Money, rates and quantities are JSON strings (``"1234.50"``) or integers; a JSON
        float is refused. Raises :class:`ScenarioError` for malformed JSON or an invalid
        scenario, :class:`FileError` when the file cannot be read.

        >>> import mecenat
        >>> s = mecenat.Scenario.from_json('''{"companies": [{"id": "C1", "name": "X"}],
        ...   "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
        ...                     "turnover": 2000000.5}]}''')
        Traceback (most recent call last):
            ...
        mecenat.ScenarioError: invalid scenario (table fiscal_years, row 1, ...
        """
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = source if isinstance(source, bytes) else bytes(source)
            return cls._made(_mecenat.Scenario.from_json(data), "json", data)
        if isinstance(source, str) and _looks_like_json(source):
            return cls._made(_mecenat.Scenario.from_json(source), "json", source)
        if isinstance(source, (str, os.PathLike)):
            path = os.fspath(source)
            raw = _mecenat.Scenario.read_json(path)
            return cls._made(raw, "json_file", path, _fingerprint(path))
        raise TypeError(
            f"from_json takes a path, JSON text or bytes, not {type(source).__name__}"
        )

    @classmethod
    def from_excel(
        cls, source: str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]
    ) -> Scenario:
        """A scenario from an Excel workbook (.xlsx): a path, the file's bytes, or a binary
        file object. Sheets are named after the tables, in French (the template's) or
        English; rejections and errors name the cell (``Temps!C42``).

        >>> import mecenat
        >>> s = mecenat.Scenario.from_excel(mecenat.template())        # an empty template
        >>> s.row_counts["companies"]
        0

        Typically: ``mecenat.Scenario.from_excel("scenario.xlsx")``.
        """
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = source if isinstance(source, bytes) else bytes(source)
            return cls._made(_mecenat.Scenario.from_excel_bytes(data), "excel", data)
        if isinstance(source, (str, os.PathLike)):
            path = os.fspath(source)
            raw = _mecenat.Scenario.read_excel(path)
            return cls._made(raw, "excel_file", path, _fingerprint(path))
        if hasattr(source, "read"):
            data = bytes(source.read())
            return cls._made(_mecenat.Scenario.from_excel_bytes(data), "excel", data)
        raise TypeError(
            f"from_excel takes a path, bytes or a binary file, not {type(source).__name__}"
        )

    @classmethod
    def from_tables(
        cls,
        tables: Mapping[str, Table] | None = None,
        /,
        *,
        extra_columns: Literal["error", "ignore"] = "error",
        **named: Table,
    ) -> Scenario:
        """A scenario from Python tables, one keyword per table of docs/tables.md
        (``companies``, ``fiscal_years``, ``carryforwards``, ``beneficiaries``,
        ``employees``, ``time_entries``, ``donations``, ``counterparts``, ``bench``,
        ``rates``, ``outputs``, ``settings``, ``law``), or a mapping of them. ``law`` holds
        legal values the library does not know yet (e.g. next year's PASS): rows of
        ``parameter``, ``since``, ``value``, ``reference`` (see docs/law.md).

        Each table is a list of dicts (one per row), a dict of columns, or a pandas or
        polars DataFrame (its index is ignored). Values: ``str``; ``int``;
        ``decimal.Decimal`` (NaN and infinities refused); ``bool``; ``None`` (absent);
        ``datetime.date`` (a ``datetime.datetime`` is refused: pass ``.date()``). Money,
        rates and quantities may also be decimal strings (``"1234.50"``); a ``float`` is
        refused with :class:`InputTypeError` (a ``TypeError``): binary floating point cannot
        hold cents exactly. In data frames, missing values (``None``, ``NaN``, ``pd.NA``,
        ``pd.NaT``) are absent, a float column is refused unless it is entirely missing, and
        a datetime column is read as dates when every value is at midnight.

        Columns are named by their key (``employee``) or by the header the Excel template
        writes for it (``Salarié``, ``Date``, ``Jours``…, any case or accents, as the
        workbook importer reads them). Pyarrow-backed frames
        (``pd.read_csv(..., dtype_backend="pyarrow")``: ``date32[pyarrow]``,
        ``decimal128[pyarrow]``…) are read like numpy-backed ones; an index named after a
        column of the table (``df.set_index("id")``) is read as that column, any other
        index is ignored.

        Unknown tables and keys, and every rule of the scenario, are checked by the core:
        :class:`ScenarioError` with ``.table``, ``.row``, ``.key`` and ``.value``. An
        unknown column is an error naming it (most are typos); with
        ``extra_columns="ignore"``, columns that name no key of their table are dropped
        (a frame that knowingly carries other columns).

        >>> import pandas as pd
        >>> from decimal import Decimal
        >>> import mecenat
        >>> entries = pd.DataFrame({
        ...     "employee": ["E1", "E1"], "beneficiary": ["A1", "A1"],
        ...     "date": pd.to_datetime(["2025-03-03", "2025-03-04"]),
        ...     "days": [Decimal("1"), None], "hours": [None, Decimal("3.5")]})
        >>> s = mecenat.Scenario.from_tables(
        ...     companies=[{"id": "C1", "name": "Exemple Conseil SAS"}],
        ...     fiscal_years=[{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
        ...                    "turnover": "2000000"}],
        ...     beneficiaries=[{"id": "A1", "name": "Association Exemple"}],
        ...     employees=[{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
        ...                 "annual_employer_charges": "21600", "annual_working_days": "218"}],
        ...     time_entries=entries)
        >>> [e.value for e in mecenat.compute(s).entries]
        [Decimal('319.27'), Decimal('159.63')]
        """
        items: list[tuple[str, Table]] = []
        if tables is not None:
            if not isinstance(tables, Mapping):
                raise TypeError("from_tables takes a mapping of tables and/or keywords")
            items.extend(tables.items())
        for name, table in named.items():
            if tables is not None and name in tables:
                raise TypeError(f"table {name!r} given twice")
            items.append((name, table))
        if extra_columns not in ("error", "ignore"):
            raise ValueError(
                f"extra_columns must be 'error' or 'ignore', not {extra_columns!r}"
            )
        specs = [table_spec(name, table) for name, table in items]
        raw = _mecenat.Scenario.from_tables(specs, null_markers(), extra_columns == "ignore")
        return cls._made(raw, "tables")

    @overload
    def to_tables(self, as_: Literal["dicts"] = "dicts") -> dict[str, list[dict[str, Any]]]: ...

    @overload
    def to_tables(self, as_: Literal["pandas"]) -> dict[str, pandas.DataFrame]: ...

    @overload
    def to_tables(self, as_: Literal["polars"]) -> dict[str, polars.DataFrame]: ...

    def to_tables(
        self, as_: Literal["dicts", "pandas", "polars"] = "dicts"
    ) -> dict[str, Any]:
        """The scenario's input tables, by name (input order), as :meth:`from_tables` takes
        them back: lists of dicts (``as_="dicts"``, one per row, the cells as given), or
        pandas or polars data frames. Money, rates and quantities are
        :class:`decimal.Decimal` (a JSON text such as ``"48000"`` read as the scenario
        reads it), dates :class:`datetime.date`, the other cells as given.

        Edit them and build a new scenario, for what-if analysis without JSON:

        >>> import mecenat
        >>> from decimal import Decimal
        >>> tables = mecenat.Scenario.example().to_tables()
        >>> tables["donations"][0]["amount"]
        Decimal('46000')
        >>> tables["donations"][0]["amount"] = Decimal("10000")
        >>> what_if = mecenat.Scenario.from_tables(tables)
        >>> mecenat.compute(what_if).fiscal_years[0].reduction
        Decimal('6287.34')
        """
        if as_ not in ("dicts", "pandas", "polars"):
            raise ValueError(f"as_ must be 'dicts', 'pandas' or 'polars', not {as_!r}")
        kind, data = self._state()
        return _typed_tables(_mecenat.raw_tables(kind, data), as_)

    @classmethod
    def example(cls) -> Scenario:
        """A small ready-made scenario to try the API: one company (turnover 5.5 M€, tax
        due 120,000 €), one association, one consultant lending a day and a half, and a
        46,000 € cash gift.

        >>> import mecenat
        >>> report = mecenat.compute(mecenat.Scenario.example())
        >>> fy = report.fiscal_years[0]
        >>> fy.donations.total, fy.ceiling, fy.reduction, fy.excess
        (Decimal('46478.90'), Decimal('27500.00'), Decimal('16500.00'), Decimal('18978.90'))
        """
        return cls.from_json(_EXAMPLE)

    @property
    def row_counts(self) -> dict[str, int]:
        """Rows read per table, in input order."""
        return dict(self._raw.row_counts())

    @property
    def rejections(self) -> tuple[Rejection, ...]:
        """Rows rejected while typing the tables (the computation may reject more: see
        :attr:`Report.rejected`)."""
        return tuple(_from_dict(Rejection, d) for d in self._raw.rejections())

    def compute(self, *, cap_method: CapMethod | None = None, strict: bool = False) -> Report:
        """Same as :func:`mecenat.compute` (``mecenat.compute(self, ...)``)."""
        return _compute(self, cap_method, strict, stacklevel=3)

    def __repr__(self) -> str:
        return repr(self._raw)


def _typed_tables(
    raw: list[tuple[str, list[dict[str, Any]]]], as_: str
) -> dict[str, Any]:
    """Raw tables with their text decimals and dates typed by the columns' kinds (as the
    Excel template declares them), as dicts or frames."""
    out: dict[str, Any] = {}
    for name, rows in raw:
        kinds = {key: kind for key, _fr, kind in (_mecenat.table_columns(name) or [])}
        convs = {key: _CELL[k] for key, k in kinds.items() if k in _CELL}
        if convs:
            for row in rows:
                for key, conv in convs.items():
                    if key in row:
                        row[key] = conv(row[key])
        out[name] = rows if as_ == "dicts" else _frame(rows, as_)
    return out


_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _decimal_cell(v: Any) -> Any:
    if isinstance(v, str) and _DECIMAL_TEXT.fullmatch(v.strip()):
        return Decimal(v.strip())
    if isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v)
    return v


def _date_cell(v: Any) -> Any:
    if isinstance(v, str) and len(v) == 10:
        try:
            return date.fromisoformat(v)
        except ValueError:
            return v
    return v


_CELL = {
    "money": _decimal_cell,
    "quantity": _decimal_cell,
    "units": _decimal_cell,
    "rate": _decimal_cell,
    "date": _date_cell,
}


def _frame(rows: list[dict[str, Any]], as_: str) -> Any:
    """Rows as a pandas or polars frame, column by column: exact types (Decimal objects
    or ``pl.Decimal``, dates), never a float (pandas would turn integers with a gap into
    floats, which :meth:`Scenario.from_tables` refuses)."""
    keys: dict[str, None] = {}
    for r in rows:
        keys.update(dict.fromkeys(r))
    cols = {k: [r.get(k) for r in rows] for k in keys}
    if as_ == "polars":
        import polars as pl

        return pl.DataFrame([pl.Series(k, v, strict=False) for k, v in cols.items()])
    import pandas as pd

    data = {}
    for k, v in cols.items():
        present = [x for x in v if x is not None]
        if present and all(isinstance(x, str) for x in present):
            data[k] = pd.Series(v)
        elif present and all(type(x) is int for x in present):
            data[k] = pd.Series(v, dtype="Int64" if len(present) < len(v) else "int64")
        else:
            data[k] = pd.Series(v, dtype=object)
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


@overload
def read_excel(
    source: str | os.PathLike[str] | bytes | IO[bytes], as_: Literal["pandas"] = "pandas"
) -> dict[str, pandas.DataFrame]: ...


@overload
def read_excel(
    source: str | os.PathLike[str] | bytes | IO[bytes], as_: Literal["polars"]
) -> dict[str, polars.DataFrame]: ...


@overload
def read_excel(
    source: str | os.PathLike[str] | bytes | IO[bytes], as_: Literal["dicts"]
) -> dict[str, list[dict[str, Any]]]: ...


def read_excel(
    source: str | os.PathLike[str] | bytes | IO[bytes],
    as_: Literal["pandas", "polars", "dicts"] = "pandas",
) -> dict[str, Any]:
    """The tables of a scenario workbook (the template, or any workbook whose sheets and
    headers are named after the tables, in French or English) as data frames, by table
    name (``"time_entries"``, not ``"Temps"``), read by the same importer as
    :meth:`Scenario.from_excel`: every Excel number converted once to an exact decimal,
    dates from date cells or text, French labels of closed lists as their codes, keys
    for headers. Nothing is validated: edit the frames, then
    ``Scenario.from_tables(frames)``. ``as_``: ``"pandas"`` (default), ``"polars"`` or
    ``"dicts"``.

    >>> import mecenat
    >>> book = mecenat.template(tables={"companies": [{"id": "C1", "name": "X"}]})
    >>> frames = mecenat.read_excel(book)
    >>> frames["companies"].to_dict("records")
    [{'id': 'C1', 'name': 'X'}]
    >>> mecenat.Scenario.from_tables(frames).row_counts["companies"]
    1
    """
    if as_ not in ("dicts", "pandas", "polars"):
        raise ValueError(f"as_ must be 'pandas', 'polars' or 'dicts', not {as_!r}")
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = _mecenat.raw_tables("excel", bytes(source))
    elif isinstance(source, (str, os.PathLike)):
        raw = _mecenat.read_excel_tables(os.fspath(source))
    elif hasattr(source, "read"):
        raw = _mecenat.raw_tables("excel", bytes(source.read()))
    else:
        raise TypeError(
            f"read_excel takes a path, bytes or a binary file, not {type(source).__name__}"
        )
    return _typed_tables(raw, as_)


def _fingerprint(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns)


def _unpickle_scenario(kind: str, data: str | bytes) -> Scenario:
    if kind == "json":
        return Scenario.from_json(data)
    if kind == "excel":
        assert isinstance(data, bytes)
        return Scenario.from_excel(data)
    assert isinstance(data, bytes)
    return Scenario._made(_mecenat.Scenario.from_tables_state(data), "tables")


def compute(
    scenario: Scenario, *, cap_method: CapMethod | None = None, strict: bool = False
) -> Report:
    """Computes the report of a scenario; the interpreter is released meanwhile, so other
    Python threads run.

    ``cap_method``: how the 3 × PASS salary cap is read, ``"rate"`` (the annual cost rate,
    conservative) or ``"period"`` (3 × PMSS per employee and calendar month); ``None``
    (default) takes the scenario's ``cap_method`` setting, else ``"rate"`` — as the command
    line does. ``strict``: raise :class:`StrictError` (with every rejection in
    ``.rejected``) when any input row is rejected; otherwise rejected rows (which count in
    no figure) are listed in ``report.rejected`` and announced by a
    :class:`RejectedRowsWarning` (how many, of which tables, the first reason).

    >>> import mecenat
    >>> s = mecenat.Scenario.from_json('''{
    ...   "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
    ...   "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
    ...                     "turnover": "2000000"}],
    ...   "beneficiaries": [{"id": "A1", "name": "Association Exemple"}],
    ...   "donations": [{"company": "C1", "beneficiary": "A9", "date": "2025-04-01",
    ...                  "amount": "500"}]}''')
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     report = mecenat.compute(s)
    >>> print(caught[0].message)                                  # doctest: +ELLIPSIS
    1 input row rejected, counted in no figure (donations: 1); first: donations row 1: ...A9...
    >>> [r.reason for r in report.rejected]                        # doctest: +ELLIPSIS
    ['...A9...']
    >>> mecenat.compute(s, strict=True)
    Traceback (most recent call last):
        ...
    mecenat.StrictError: 1 row(s) rejected (strict mode); first: donations row 1: ...
    """
    return _compute(scenario, cap_method, strict, stacklevel=3)


def _compute(
    scenario: Scenario, cap_method: CapMethod | None, strict: bool, *, stacklevel: int
) -> Report:
    if not isinstance(scenario, Scenario):
        raise TypeError(
            f"compute takes a mecenat.Scenario, not {type(scenario).__name__} "
            "(build one with Scenario.from_json, from_excel or from_tables)"
        )
    if cap_method is not None and cap_method not in ("rate", "period"):
        raise ValueError(f"cap_method must be 'rate' or 'period', not {cap_method!r}")
    report = Report(_mecenat.compute(scenario._raw, cap_method, False), scenario)
    if not strict and len(report.rejected):
        _warn_rejected(report, stacklevel + 1)
    if strict and len(report.rejected):
        rejected = tuple(report.rejected)
        first = rejected[0]
        cell = f" ({first.cell})" if first.cell else ""
        first_text = f"{first.table} row {first.row}{cell}: {first.reason}"
        raise StrictError(
            f"{len(rejected)} row(s) rejected (strict mode); first: {first_text}",
            count=len(rejected),
            first=first_text,
            rejected=rejected,
            table=first.table,
            row=first.row,
            key=first.key,
            cell=first.cell,
            value=first.value,
        )
    return report


def _warn_rejected(report: Report, stacklevel: int) -> None:
    """The :class:`RejectedRowsWarning` of a report with rejected rows."""
    n = len(report.rejected)
    per_table = Counter(report._cols("rejected").get("table", []))
    tables = ", ".join(f"{t}: {k}" for t, k in per_table.items())
    first = report.rejected[0]
    cell = f" ({first.cell})" if first.cell else ""
    rows = "row" if n == 1 else "rows"
    warnings.warn(
        RejectedRowsWarning(
            f"{n} input {rows} rejected, counted in no figure ({tables}); first: "
            f"{first.table} row {first.row}{cell}: {first.reason}. See them with "
            'report.rejected or report.to_pandas("rejected"), or pass strict=True to fail '
            "instead"
        ),
        stacklevel=stacklevel,
    )


@overload
def template(
    path: None = None, lang: Lang = "fr", *, tables: Mapping[str, Table] | None = None
) -> bytes: ...


@overload
def template(
    path: str | os.PathLike[str] | IO[bytes],
    lang: Lang = "fr",
    *,
    tables: Mapping[str, Table] | None = None,
) -> None: ...


def template(
    path: str | os.PathLike[str] | IO[bytes] | None = None,
    lang: Lang = "fr",
    *,
    tables: Mapping[str, Table] | None = None,
) -> bytes | None:
    """The input workbook (.xlsx): an instructions sheet, then one sheet per table, French
    sheet names and headers by default (``lang="en"`` for English), with formats and
    dropdowns. Written to ``path`` (a path or a binary file), or returned as bytes when
    ``path`` is None.

    With ``tables`` (as :meth:`Scenario.from_tables` takes them), the template comes filled
    with those rows, ready to be edited in Excel and read back with
    :meth:`Scenario.from_excel`.

    >>> import mecenat
    >>> book = mecenat.template(tables={"companies": [{"id": "C1", "name": "X"}]})
    >>> mecenat.Scenario.from_excel(book).row_counts["companies"]
    1

    Typically: ``mecenat.template("modele.xlsx")``, or ``lang="en"`` for English sheets.
    """
    if tables is None:
        data = None if path is not None and isinstance(path, (str, os.PathLike)) else (
            _mecenat.template_bytes(lang)
        )
    else:
        specs = [table_spec(name, table) for name, table in tables.items()]
        data = _mecenat.filled_template_bytes(specs, null_markers(), lang)
    if path is None:
        assert data is not None
        return data
    if isinstance(path, (str, os.PathLike)):
        if data is None:
            _mecenat.write_template(os.fspath(path), lang)
        else:
            with open(path, "wb") as f:
                f.write(data)
        return None
    path.write(data if data is not None else _mecenat.template_bytes(lang))
    return None


def __dir__() -> list[str]:
    """The API only (no module leftovers such as ``annotations`` or ``os``)."""
    return sorted([*__all__, "__version__"])
