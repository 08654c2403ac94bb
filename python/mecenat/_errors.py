"""The exception hierarchy of mecenat.

::

    MecenatError
    ├── ScenarioError (also a ValueError): the input cannot be used as a whole
    │   ├── InputTypeError (also a TypeError): a value of a refused type (float, datetime…)
    │   └── StrictError: strict mode, and rows were rejected (located at the first one)
    ├── ParameterError: an embedded legal parameter is invalid (a defect of the build)
    └── FileError (also an OSError, with errno and filename): a file cannot be read or
        │           written; by its errno, one of:
        ├── FileNotFoundFileError (also a FileNotFoundError)
        ├── PermissionFileError (also a PermissionError)
        ├── IsADirectoryFileError (also an IsADirectoryError)
        ├── NotADirectoryFileError (also a NotADirectoryError)
        └── FileExistsFileError (also a FileExistsError)

The extension module raises these classes (it imports this module); they are re-exported
by :mod:`mecenat`.
"""

from __future__ import annotations

import errno as _errno
from typing import Any

__all__ = [
    "RejectedRowsWarning",
    "MecenatError",
    "ScenarioError",
    "InputTypeError",
    "ParameterError",
    "StrictError",
    "FileError",
    "FileNotFoundFileError",
    "PermissionFileError",
    "IsADirectoryFileError",
    "NotADirectoryFileError",
    "FileExistsFileError",
]


class RejectedRowsWarning(UserWarning):
    """:func:`mecenat.compute` rejected input rows (they are not in any figure): how many,
    of which tables, the first reason, and how to see them (``report.rejected``,
    ``report.to_pandas("rejected")``) or fail instead (``strict=True``). A rejection is
    never silent; silence it knowingly with :func:`warnings.filterwarnings`."""


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
    docs/tables.md, e.g. ``"time_entries"``), ``row`` (1-based within the table),
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
    """A file cannot be read or written. Also an ``OSError``: ``filename`` is the path,
    ``errno`` the OS error number when known (``None`` otherwise), ``strerror`` the message.

    Built with a known ``errno``, it is the matching subclass, so that ``except
    FileNotFoundError`` (or ``PermissionError``…) catches it as it catches ``open``'s:

    >>> import mecenat
    >>> try:
    ...     mecenat.Scenario.from_json("no/such/scenario.json")
    ... except FileNotFoundError as e:
    ...     print(type(e).__name__, e.errno == __import__("errno").ENOENT, e.filename)
    FileNotFoundFileError True no/such/scenario.json
    """

    def __new__(
        cls, message: str, *, path: str | None = None, errno: int | None = None
    ) -> FileError:
        if cls is FileError and errno is not None:
            cls = _BY_ERRNO.get(errno, FileError)
        return super().__new__(cls, message)

    def __init__(
        self, message: str, *, path: str | None = None, errno: int | None = None
    ) -> None:
        super().__init__(message)
        self.errno = errno
        self.strerror = message
        self.filename = path

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_file_error, (type(self), self.__str__(), self.filename, self.errno))


def _file_error(
    cls: type[FileError], message: str, path: str | None, errno: int | None
) -> FileError:
    e = FileError.__new__(cls, message, path=path, errno=errno)
    e.__init__(message, path=path, errno=errno)  # type: ignore[misc]
    return e


class FileNotFoundFileError(FileError, FileNotFoundError):
    """The file does not exist (``ENOENT``)."""


class PermissionFileError(FileError, PermissionError):
    """Not allowed to read or write the file (``EACCES``, ``EPERM``)."""


class IsADirectoryFileError(FileError, IsADirectoryError):
    """The path is a directory (``EISDIR``)."""


class NotADirectoryFileError(FileError, NotADirectoryError):
    """A part of the path is not a directory (``ENOTDIR``)."""


class FileExistsFileError(FileError, FileExistsError):
    """The file exists already (``EEXIST``)."""


_BY_ERRNO: dict[int, type[FileError]] = {
    _errno.ENOENT: FileNotFoundFileError,
    _errno.EACCES: PermissionFileError,
    _errno.EPERM: PermissionFileError,
    _errno.EISDIR: IsADirectoryFileError,
    _errno.ENOTDIR: NotADirectoryFileError,
    _errno.EEXIST: FileExistsFileError,
}


# Shown (and pickled) as mecenat.ScenarioError etc., where users import them from.
for _cls in (
    RejectedRowsWarning,
    MecenatError,
    ScenarioError,
    InputTypeError,
    ParameterError,
    StrictError,
    FileError,
    FileNotFoundFileError,
    PermissionFileError,
    IsADirectoryFileError,
    NotADirectoryFileError,
    FileExistsFileError,
):
    _cls.__module__ = "mecenat"
del _cls
