"""The exception hierarchy of mecenat.

::

    MecenatError
    ├── ScenarioError (also a ValueError): the input cannot be used as a whole
    │   ├── InputTypeError (also a TypeError): a value of a refused type (float, datetime…)
    │   └── StrictError: strict mode, and rows were rejected (located at the first one)
    ├── ParameterError: an embedded legal parameter is invalid (a defect of the build)
    └── FileError (also an OSError): a file cannot be read or written

The extension module raises these classes (it imports this module); they are re-exported
by :mod:`mecenat`.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "MecenatError",
    "ScenarioError",
    "InputTypeError",
    "ParameterError",
    "StrictError",
    "FileError",
]


class MecenatError(Exception):
    """Base class of every error raised by mecenat.

    >>> import mecenat
    >>> try:
    ...     mecenat.Scenario.from_json('{"companies": [{"id": "C1", "nme": "X"}]}')
    ... except mecenat.MecenatError as e:
    ...     print(type(e).__name__, e.table, e.key)
    ScenarioError companies nme
    """

    @property
    def message(self) -> str:
        """The error's message (``str(error)``)."""
        return str(self.args[0]) if self.args else ""


class ScenarioError(MecenatError, ValueError):
    """The scenario cannot be used: malformed JSON, an unknown table or key, a float where
    a decimal is expected, duplicate ids, overlapping fiscal years…

    The attributes say where, when known (``None`` otherwise): ``table`` (as in
    scenario-format.md, e.g. ``"time_entries"``), ``row`` (1-based within the table),
    ``key`` (the column), ``cell`` (``"Temps!C42"`` for a workbook) and ``value`` (the
    offending value as text).

    Rows that are merely unusable are not errors: they are *rejected* and listed in
    :attr:`mecenat.Report.rejected` (see :class:`StrictError`).
    """

    table: str | None
    row: int | None
    key: str | None
    cell: str | None
    value: str | None

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        row: int | None = None,
        key: str | None = None,
        cell: str | None = None,
        value: str | None = None,
    ) -> None:
        super().__init__(message)
        self.table = table
        self.row = row
        self.key = key
        self.cell = cell
        self.value = value


class InputTypeError(ScenarioError, TypeError):
    """A value of a type that is refused at the boundary, with its location.

    A ``float`` (money never goes through binary floating point: pass a
    ``decimal.Decimal``, a decimal string or an ``int``), a ``datetime.datetime`` (pass a
    ``datetime.date``), or an unsupported type. Both a :class:`ScenarioError` and a
    ``TypeError``.
    """


class ParameterError(MecenatError):
    """An embedded legal parameter file is invalid: a defect of the build, not of the
    input. ``parameter`` names it."""

    parameter: str | None

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


class StrictError(ScenarioError):
    """Strict mode (``compute(..., strict=True)``) and some rows were rejected: a data
    error, so ``except mecenat.ScenarioError`` (or ``ValueError``) catches it.

    ``table``, ``row``, ``cell``, ``key`` and ``value`` locate the first rejection;
    ``count`` is how many, ``first`` the first one as text, and ``rejected`` all of them
    (:class:`mecenat.Rejection` records) when known.
    """

    count: int
    first: str
    rejected: tuple[Any, ...]

    def __init__(
        self,
        message: str,
        *,
        count: int = 0,
        first: str = "",
        rejected: tuple[Any, ...] = (),
        table: str | None = None,
        row: int | None = None,
        key: str | None = None,
        cell: str | None = None,
        value: str | None = None,
    ) -> None:
        super().__init__(message, table=table, row=row, key=key, cell=cell, value=value)
        self.count = count
        self.first = first
        self.rejected = rejected


class FileError(MecenatError, OSError):
    """A file cannot be read or written. Also an ``OSError``; ``filename`` is the path."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.filename = path

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# Shown (and pickled) as mecenat.ScenarioError etc., where users import them from.
for _cls in (MecenatError, ScenarioError, InputTypeError, ParameterError, StrictError, FileError):
    _cls.__module__ = "mecenat"
del _cls
