"""Type stubs of the extension module `mecenat._mecenat` (crates/mecenat-py).

The public API is the `mecenat` package, which wraps these with typed records and data
frame conversions; this module is its thin layer over the Rust core. Checked against the
built module by `python -m mypy.stubtest mecenat._mecenat`.
"""

import os
from collections.abc import Sequence
from typing import Any, final

__all__ = [
    "Scenario",
    "Report",
    "compute",
    "template_bytes",
    "write_template",
    "filled_template_bytes",
]

_Path = str | os.PathLike[str]

#: A table spec: `(name, rows)` with rows a sequence of dicts, or
#: `(name, columns, nrows, from_frame)` with columns `(key, epoch_days, values)` triples.
_Spec = tuple[Any, ...]

@final
class Scenario:
    """A validated scenario."""

    @staticmethod
    def from_json(text: str | bytes) -> Scenario: ...
    @staticmethod
    def read_json(path: _Path) -> Scenario: ...
    @staticmethod
    def from_tables(tables: Sequence[_Spec], nulls: tuple[object, ...]) -> Scenario: ...
    @staticmethod
    def read_excel(path: _Path) -> Scenario: ...
    @staticmethod
    def from_excel_bytes(data: bytes) -> Scenario: ...
    def row_counts(self) -> list[tuple[str, int]]: ...
    def rejections(self) -> list[dict[str, Any]]: ...

@final
class Report:
    """A computed report."""

    def to_json(self, pretty: bool = True) -> str: ...
    def write_json(self, path: _Path, pretty: bool = True) -> None: ...
    def field_names(self) -> list[str]: ...
    def field(self, name: str) -> Any: ...
    def length(self, name: str) -> int: ...
    def columns(self, name: str) -> list[tuple[str, list[Any]]]: ...
    def excel_bytes(self, lang: str) -> bytes: ...
    def write_excel(self, path: _Path, lang: str) -> None: ...

def compute(scenario: Scenario, cap_method: str | None = None, strict: bool = False) -> Report:
    """Computes the report of a scenario, the interpreter released meanwhile."""

def template_bytes(lang: str) -> bytes: ...
def write_template(path: _Path, lang: str) -> None: ...
def filled_template_bytes(tables: Sequence[_Spec], nulls: tuple[object, ...], lang: str) -> bytes: ...
