"""Python tables (lists of dicts, dicts of columns, pandas and polars data frames) to the
table specs the extension module reads.

The extension types every cell (``str``, ``int``, ``Decimal``, ``bool``, ``None``,
``datetime.date``; a float or a datetime is refused); this module only takes columns out of
data frames cheaply, and deals with what frames do that lists do not: float columns (refused
unless entirely missing), datetime64 columns (accepted as dates when every value is at
midnight, since pandas has no date dtype), missing-value markers (NaN, ``pd.NA``, ``pd.NaT``),
pyarrow-backed columns (``pd.ArrowDtype``, as ``read_csv(dtype_backend="pyarrow")`` gives them:
taken out through Arrow), and an index named after a column of the table
(``df.set_index("id")``: read as that column). Column names are the keys or the Excel
template's French headers; the extension maps those (and drops unknown columns when asked).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any

from ._errors import InputTypeError

__all__ = ["table_spec", "null_markers"]

#: A table spec for the extension: ``(name, rows)`` or ``(name, columns, nrows, origin)``
#: with columns ``(key, epoch_days, values)`` and origin ``"pandas"``, ``"polars"`` or ``""``.
Spec = tuple[Any, ...]


def null_markers() -> tuple[object, ...]:
    """The objects that mean "missing" in data frames (compared by identity)."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return ()
    return tuple(m for m in (getattr(pd, "NA", None), getattr(pd, "NaT", None)) if m is not None)


#: Columns that hold ids (a float column there is ids that pandas turned into floats
#: because some are missing).
_ID_KEYS = frozenset({"id", "company", "employee", "volunteer", "beneficiary"})


def _float_refusal(
    table: str, key: str, row: int, value: Any, dtype: object, frame: str, missing: int | None
) -> InputTypeError:
    """A float column refused, with the fix in the frame library's own terms. ``missing``:
    the first row (1-based) that is missing, when there is one."""
    if frame == "polars":
        fix = (
            "Read the column as text (e.g. schema_overrides={%r: pl.String} in pl.read_csv) or "
            "cast it: df.with_columns(pl.col(%r).cast(pl.Decimal(scale=2)))" % (key, key)
        )
    else:
        fix = (
            "Read the column as text (e.g. dtype={%r: str} in pd.read_csv) or convert it to "
            "decimal.Decimal objects or strings, e.g. df[%r].map(lambda x: None if pd.isna(x) "
            "else Decimal(str(x)))" % (key, key)
        )
    if key in _ID_KEYS:
        gap = (
            f" (row {missing} is missing: a missing id, hence the float column)"
            if missing is not None
            else ""
        )
        message = (
            f"{table} column {key!r} holds ids but is of dtype {dtype}: a column of numbers "
            f"with missing values is read as float{gap}, and an id is text (row {row} is "
            f"{value!r}). Read ids as text, e.g. dtype={{{key!r}: str}} in pd.read_csv"
            + (" (schema_overrides in pl.read_csv)" if frame == "polars" else "")
        )
    else:
        message = (
            f"{table} column {key!r} is of dtype {dtype} (binary floating point): money, rates "
            f"and quantities never go through float (row {row} is {value!r}). {fix}"
        )
    return InputTypeError(message, table=table, row=row, key=key, value=repr(value))


def _datetime_refusal(table: str, key: str, row: int, value: Any, why: str) -> InputTypeError:
    return InputTypeError(
        f"{table} column {key!r}: {why} (row {row} is {value}); dates are calendar days: "
        "pass datetime.date values, ISO text, or a datetime column at midnight",
        table=table,
        row=row,
        key=key,
        value=str(value),
    )


def _key(table: str, key: object) -> str:
    if not isinstance(key, str):
        raise InputTypeError(
            f"{table}: the column name {key!r} is not a string", table=table, key=repr(key)
        )
    return key


def _named_index(table: str, df: Any) -> Any:
    """The frame with the levels of its index that are named after a column of the table
    (``df.set_index("id")``) moved back into columns; other indexes are ignored."""
    from . import _mecenat

    names = [n for n in df.index.names if isinstance(n, str)]
    levels = [
        n for n in names if n not in df.columns and _mecenat.column_key(table, n) is not None
    ]
    if not levels:
        return df
    if len(levels) == df.index.nlevels:
        return df.reset_index()
    return df.reset_index(level=levels)


def _arrow_column(table: str, key: str, arr: Any, dtype: object) -> tuple[str, bool, list[Any]]:
    """A pyarrow-backed column (``pd.ArrowDtype``: ``read_csv(dtype_backend="pyarrow")``)
    taken out through Arrow: dates as day numbers, decimals as ``Decimal``, floats refused
    as in numpy-backed frames."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = arr.type
    if pa.types.is_dictionary(t):
        arr = arr.cast(t.value_type)
        t = arr.type
    if pa.types.is_date(t):
        return (key, True, arr.cast(pa.date32()).cast(pa.int32()).to_pylist())
    if pa.types.is_timestamp(t):
        if t.tz is not None:
            i = _first_valid(arr)
            raise _datetime_refusal(
                table, key, i + 1, arr[i].as_py(), "datetimes with a time zone are refused"
            )
        days = pc.floor_temporal(arr, unit="day")
        off = pc.fill_null(pc.not_equal(days, arr), False)
        if pc.any(off).as_py():
            i = int(pc.index(off, True).as_py())
            raise _datetime_refusal(
                table, key, i + 1, arr[i].as_py(), "a datetime with a time of day is refused"
            )
        return (key, True, days.cast(pa.date32()).cast(pa.int32()).to_pylist())
    if pa.types.is_floating(t):
        missing = pc.is_null(arr, nan_is_null=True).to_pylist()
        if not all(missing):
            i = missing.index(False)
            gap = missing.index(True) + 1 if any(missing) else None
            raise _float_refusal(table, key, i + 1, arr[i].as_py(), dtype, "pandas", gap)
        return (key, False, [None] * len(arr))
    if pa.types.is_duration(t) or pa.types.is_time(t):
        raise InputTypeError(
            f"{table} column {key!r} holds durations or times of day ({dtype}): not a value "
            "of the scenario",
            table=table,
            row=1,
            key=key,
        )
    return (key, False, arr.to_pylist())


def _first_valid(arr: Any) -> int:
    valid = arr.is_valid().to_pylist()
    return valid.index(True) if True in valid else 0


def _pandas(table: str, df: Any) -> Spec:
    import numpy as np
    import pandas as pd

    df = _named_index(table, df)
    columns = []
    n = len(df)
    if not df.columns.is_unique:
        dup = df.columns[df.columns.duplicated()][0]
        raise InputTypeError(
            f"{table}: the column {dup!r} appears more than once", table=table, key=str(dup)
        )
    for key, s in df.items():
        key = _key(table, key)
        dtype = s.dtype
        kind = getattr(dtype, "kind", "O")
        if isinstance(dtype, pd.ArrowDtype):
            import pyarrow as pa

            columns.append(_arrow_column(table, key, pa.array(s), dtype))
        elif kind == "f" or kind == "c":
            na = s.isna().to_numpy()
            if not na.all():
                i = int(np.argmin(na))
                gap = int(np.argmax(na)) + 1 if na.any() else None
                raise _float_refusal(table, key, i + 1, s.iloc[i].item(), dtype, "pandas", gap)
            columns.append((key, False, [None] * n))
        elif kind == "M":
            if getattr(dtype, "tz", None) is not None:
                i = int(np.argmin(s.isna().to_numpy()))
                raise _datetime_refusal(
                    table, key, i + 1, s.iloc[i], "datetimes with a time zone are refused"
                )
            arr = s.to_numpy()
            days = arr.astype("datetime64[D]")
            off = (days != arr) & ~np.isnat(arr)
            if off.any():
                i = int(np.argmax(off))
                raise _datetime_refusal(
                    table, key, i + 1, s.iloc[i], "a datetime with a time of day is refused"
                )
            columns.append((key, True, days.view("int64").tolist()))
        elif kind == "m":
            i = 0
            raise InputTypeError(
                f"{table} column {key!r} holds durations ({dtype}): not a value of the "
                "scenario",
                table=table,
                row=i + 1,
                key=key,
            )
        elif str(dtype) == "category":
            columns.append((key, False, s.astype(object).tolist()))
        else:
            columns.append((key, False, s.tolist()))
    return (table, columns, n, "pandas")


def _polars(table: str, df: Any) -> Spec:
    import polars as pl

    columns = []
    n = df.height
    for s in df.get_columns():
        key = _key(table, s.name)
        dt = s.dtype
        if dt == pl.Date:
            columns.append((key, True, s.cast(pl.Int32).to_list()))
        elif dt.is_float():
            if s.null_count() + s.is_nan().sum() < n:
                missing = s.is_null() | s.is_nan()
                i = int((~missing).arg_true()[0])
                gap = int(missing.arg_true()[0]) + 1 if missing.any() else None
                raise _float_refusal(table, key, i + 1, s[i], dt, "polars", gap)
            columns.append((key, False, [None] * n))
        elif isinstance(dt, pl.Datetime):
            if dt.time_zone is not None:
                i = int(s.is_not_null().arg_true()[0]) if s.null_count() < n else 0
                raise _datetime_refusal(
                    table, key, i + 1, s[i], "datetimes with a time zone are refused"
                )
            days = s.dt.date()
            off = (days.cast(pl.Datetime(dt.time_unit)) != s).fill_null(False)
            if off.any():
                i = int(off.arg_true()[0])
                raise _datetime_refusal(
                    table, key, i + 1, s[i], "a datetime with a time of day is refused"
                )
            columns.append((key, True, days.cast(pl.Int32).to_list()))
        elif dt == pl.Categorical or isinstance(dt, pl.Enum):
            columns.append((key, False, s.cast(pl.String).to_list()))
        else:
            columns.append((key, False, s.to_list()))
    return (table, columns, n, "polars")


def _columns(table: str, data: Mapping[Any, Any]) -> Spec:
    columns = []
    n: int | None = None
    for key, values in data.items():
        key = _key(table, key)
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise InputTypeError(
                f"{table}: column {key!r} is not a sequence of values", table=table, key=key
            )
        values = list(values)
        if n is None:
            n = len(values)
        elif len(values) != n:
            raise InputTypeError(
                f"{table}: column {key!r} has {len(values)} values, the first has {n}",
                table=table,
                key=key,
            )
        columns.append((key, False, values))
    return (table, columns, n or 0, "")


def table_spec(name: str, table: Any) -> Spec:
    """The spec of one table: a list of row dicts, a dict of columns, or a data frame."""
    if not isinstance(name, str):
        raise TypeError(f"table names are strings, not {type(name).__name__}")
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(table, pd.DataFrame):
        return _pandas(name, table)
    pl = sys.modules.get("polars")
    if pl is not None:
        if isinstance(table, pl.DataFrame):
            return _polars(name, table)
        if isinstance(table, pl.LazyFrame):
            return _polars(name, table.collect())
    if isinstance(table, Mapping):
        return _columns(name, table)
    if isinstance(table, (str, bytes)) or not isinstance(table, Iterable):
        raise InputTypeError(
            f"table {name!r} is a {type(table).__name__}: pass a list of dicts (one per row), "
            "a dict of columns, or a pandas or polars DataFrame",
            table=name,
        )
    return (name, table if isinstance(table, (list, tuple)) else list(table))
