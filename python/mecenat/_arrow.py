"""The report's lists of records as Arrow tables (pyarrow), from buffers built in Rust.

The extension serializes a list of records once, with the interpreter released, straight
into Arrow buffers (``crates/mecenat-py/src/arrow.rs``); this module wraps them with
``pyarrow.Array.from_buffers`` (no copy) and assembles the table:

=====================  ===============================================================
records' type          Arrow type
=====================  ===============================================================
``Decimal``            ``decimal128(38, s)``: ``s`` the column's largest scale (2 for money)
``date``               ``date32``
``str``                ``string`` (``large_string`` beyond 2 GiB of text)
an enum (statuses…)    ``dictionary<int32, string>``
``int`` / ``bool``     ``int64`` / ``bool``
nested lists           lists of structs (from each cell's JSON text)
=====================  ===============================================================

Column names are those of :meth:`mecenat.Report.table` (nested records dotted, maps spread
by key). A report read back from a pickle has no Rust report: its tables are built from
the same values through ``pyarrow.array`` (the tests check both give equal tables).
"""

from __future__ import annotations

import json
import typing
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow

    from ._report import _Kind

__all__ = ["plan", "table_from_chunks", "table_from_columns"]

#: One column from the extension: (name, kind, len, nulls, validity, data, offsets,
#: large, scale, extra).
_Col = tuple[str, str, int, int, "bytes | None", "bytes | None", "bytes | None", bool, int, Any]


def _code(kind: _Kind | None) -> str:
    if kind is None or not kind.scalar:
        return "json"
    if kind.enum is not None:
        return "dict"
    if kind.decimal:
        return "decimal"
    if kind.date:
        return "date"
    return {str: "text", int: "int", bool: "bool"}.get(kind.py, "json")  # type: ignore[arg-type]


def plan(kinds: dict[str, _Kind]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The extension's plan for a table's flattened kinds: leaf columns and spread maps,
    each with its kind code."""
    leaves: list[tuple[str, str]] = []
    spread: list[tuple[str, str]] = []
    for path, kind in kinds.items():
        if kind.mapping:
            spread.append((path, _code(kind.value)))
        else:
            leaves.append((path, _code(kind)))
    return leaves, spread


def _import_pyarrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "report.to_arrow() and to_pandas(..., dtype_backend=\"pyarrow\") need pyarrow: "
            "pip install pyarrow (to_pandas(name) without it gives Decimal objects)"
        ) from e
    return pa


def _type(pa: Any, code: str, scale: int = 2, large: bool = False) -> Any:
    return {
        "decimal": lambda: pa.decimal128(38, scale),
        "date": pa.date32,
        "text": lambda: pa.large_string() if large else pa.string(),
        "dict": lambda: pa.dictionary(pa.int32(), pa.string()),
        "int": pa.int64,
        "bool": pa.bool_,
        "json": pa.null,
    }[code]()


def _json_values(kind: _Kind | None, texts: list[str | None]) -> list[Any]:
    from ._report import _convert

    values = [None if t is None else json.loads(t) for t in texts]
    return _convert(kind, values) if kind is not None else values


def _array(pa: Any, col: _Col, kinds: dict[str, _Kind]) -> Any:
    name, code, n, nulls, validity, data, offsets, large, scale, extra = col
    valid = None if validity is None else pa.py_buffer(validity)
    if code == "json":
        return pa.array(_json_values(kinds.get(name), extra))
    if code == "text":
        return pa.Array.from_buffers(
            _type(pa, code, large=large), n,
            [valid, pa.py_buffer(offsets), pa.py_buffer(data)], null_count=nulls,
        )
    if code == "dict":
        indices = pa.Array.from_buffers(
            pa.int32(), n, [valid, pa.py_buffer(data)], null_count=nulls
        )
        return pa.DictionaryArray.from_arrays(indices, pa.array(extra, pa.string()))
    return pa.Array.from_buffers(
        _type(pa, code, scale), n, [valid, pa.py_buffer(data)], null_count=nulls
    )


def _unify(pa: Any, arrays: list[Any]) -> Any:
    """One chunked array from the chunks of a column (decimals at the largest scale,
    texts as large strings if one chunk needs it)."""
    types = {a.type for a in arrays}
    if len(types) > 1:
        if all(pa.types.is_decimal(t) for t in types):
            target = pa.decimal128(38, max(t.scale for t in types))
        elif all(pa.types.is_string(t) or pa.types.is_large_string(t) for t in types):
            target = pa.large_string()
        else:
            target = None
        if target is None:
            # Nested values whose inferred types differ between chunks: one array.
            return pa.chunked_array([pa.array([x for a in arrays for x in a.to_pylist()])])
        arrays = [a.cast(target) for a in arrays]
    return pa.chunked_array(arrays)


def table_from_chunks(
    chunks: list[list[_Col]], kinds: dict[str, _Kind]
) -> pyarrow.Table:
    """The Arrow table of the extension's chunks."""
    pa = _import_pyarrow()
    names: list[str] = []
    per_chunk: list[dict[str, Any]] = []
    lengths: list[int] = []
    for chunk in chunks:
        arrays = {c[0]: _array(pa, c, kinds) for c in chunk}
        per_chunk.append(arrays)
        lengths.append(chunk[0][2] if chunk else 0)
        names.extend(n for n in arrays if n not in names)
    if not names:
        return _empty(pa, kinds)
    # A field the records never serialize (an optional record absent from every row, e.g.
    # ``references.supplied_by`` when the scenario supplies no legal value) is a column of
    # nulls, in the records' order, as the Python path gives it.
    ordered: list[str] = []
    missing: dict[str, Any] = {}
    for path, kind in kinds.items():
        if kind.mapping:
            ordered.extend(n for n in names if n.startswith(path + ".") and n not in ordered)
        elif path in names:
            ordered.append(path)
        elif not any(n.startswith(path + ".") for n in names):
            ordered.append(path)
            missing[path] = _type(pa, _code(kind))
    ordered.extend(n for n in names if n not in ordered)
    columns = {}
    for name in ordered:
        if name in missing:
            columns[name] = pa.nulls(sum(lengths), missing[name])
            continue
        parts = []
        for arrays, n in zip(per_chunk, lengths):
            a = arrays.get(name)
            if a is None:
                other = next(x[name] for x in per_chunk if name in x)
                a = pa.nulls(n, other.type)
            parts.append(a)
        columns[name] = _unify(pa, parts)
    return pa.table(columns)


def _empty(pa: Any, kinds: dict[str, _Kind]) -> pyarrow.Table:
    return pa.table(
        {
            path: pa.array([], _type(pa, _code(kind)))
            for path, kind in kinds.items()
            if not kind.mapping
        }
    )


def _scale(values: list[Any]) -> int:
    scales = [-typing.cast(int, v.as_tuple().exponent) for v in values if v is not None]
    return max([0, *scales]) if scales else 2


def table_from_columns(
    columns: list[tuple[str, _Kind | None, list[Any]]], kinds: dict[str, _Kind]
) -> pyarrow.Table:
    """The Arrow table of a table's columns as the core gives them (money as text): the
    path of a report read back from a pickle, giving the same table as the extension."""
    from ._report import _convert

    pa = _import_pyarrow()
    if not columns or not columns[0][2]:
        return _empty(pa, kinds)
    out = {}
    for name, kind, raw in columns:
        code = _code(kind)
        if code == "json":
            values = _convert(kind, raw)
            out[name] = pa.array(values)
            continue
        values = _convert(kind, raw)
        if code == "dict":
            values = [None if v is None else getattr(v, "value", v) for v in values]
            out[name] = pa.array(values, pa.string()).dictionary_encode()
        elif code == "decimal":
            dec = typing.cast(list[Decimal | None], values)
            out[name] = pa.array(dec, pa.decimal128(38, _scale(dec)))
        else:
            out[name] = pa.array(values, _type(pa, code))
    return pa.table(out)
