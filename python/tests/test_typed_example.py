"""The typed example (python/examples/typed_usage.py, checked by mypy --strict in
scripts/test-extra.sh) runs and writes what it says."""

from __future__ import annotations

import runpy
from pathlib import Path

from conftest import ROOT


def test_the_typed_example_runs(tmp_path: Path) -> None:
    example = runpy.run_path(str(ROOT / "python" / "examples" / "typed_usage.py"))
    example["main"](tmp_path)
    assert (tmp_path / "synthese.txt").read_text(encoding="utf-8").startswith("mecenat")
    assert (tmp_path / "journal.csv").read_bytes().startswith(b"JournalCode;")
    assert len(list((tmp_path / "recus").glob("*.pdf"))) == 1
