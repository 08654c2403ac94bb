"""`Report.to_json()` as a `str` (written in place by the extension, crates/mecenat-py/src/
pystr/) is the text Python decodes itself from the same bytes, whatever its characters;
`to_json(path)` writes atomically and never over the scenario's own file."""

from __future__ import annotations

import json
import os
import pickle
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mecenat
from conftest import DEMO, synthetic_scenario

# Large enough for the text to take several megabytes (its entries in several blocks).
LARGE = 1 << 20


def scenario(name: str, n: int = 3, employee: str = "E") -> mecenat.Scenario:
    """A scenario whose beneficiary is called `name`, with `n` time entries (the ids of
    its 10 employees start with `employee`)."""
    return synthetic_scenario(n, name=name, employee=employee)


def same_str(ours: str, theirs: str) -> None:
    """Equal, and stored alike: CPython keeps a str at the smallest width that holds its
    characters (1, 2 or 4 bytes each) and compares widths first, so a str written at the
    wrong width would differ from an equal one, or take more memory than it."""
    assert type(ours) is str
    assert ours == theirs
    assert sys.getsizeof(ours) == sys.getsizeof(theirs)
    assert hash(ours) == hash(theirs)
    assert len(ours) == len(theirs)


def check(report: mecenat.Report, tmp_path: Path) -> str:
    p = tmp_path / "report.json"
    text = ""
    for pretty in (True, False):
        text = report.to_json(pretty=pretty)
        same_str(text, report.to_json_bytes(pretty=pretty).decode("utf-8"))
        report.to_json(p, pretty=pretty)
        same_str(text, p.read_text(encoding="utf-8"))
    return text


@pytest.mark.parametrize("name", [
    "Plain ASCII",
    "Société d'Économie Mixte",      # Latin-1
    "ÿ\u0080 and é",                  # the top and the bottom of Latin-1
    "l’association — 10\u202f€",     # the BMP: ’ — U+202F €
    "\u0100\uffff",                   # the bottom and the top of two-byte characters
    "Les amis 😀 du 🎻",              # beyond the BMP (emoji)
    "\U0010ffff é € 😀",              # the largest code point, with every width before it
])
def test_to_json_is_the_decoded_text(name: str, tmp_path: Path) -> None:
    text = check(mecenat.compute(scenario(name)), tmp_path)
    assert name in text


@pytest.mark.parametrize("wide", ["", "é", "€", "😀"])
def test_a_large_report_with_wider_characters(wide: str, tmp_path: Path) -> None:
    # The entries in three blocks (8,192 each) written into the str as they are rendered;
    # the wider characters are in the employees' ids, so spread through the whole text.
    report = mecenat.compute(scenario(f"Bénéficiaire {wide}", n=20_000, employee=f"S{wide}"))
    text = check(report, tmp_path)
    assert len(text.encode("utf-8")) > 2 * LARGE
    assert text.count(f"S{wide}") > 20_000


@pytest.mark.parametrize("wide", ["", "€"])
def test_a_str_large_enough_to_be_faulted_in_ahead(wide: str, tmp_path: Path) -> None:
    # Over 64 MiB of units, pretty and compact: the extension faults the str's pages in from its end on a
    # helper thread while it writes them from the start (pystr/prefault.rs); the text is
    # still exactly the file's, at the width of its widest character.
    report = mecenat.compute(scenario(f"Bénéficiaire {wide}", n=200_000, employee=f"S{wide}"))
    text = check(report, tmp_path)
    assert len(text) * (2 if wide else 1) > 64 << 20
    assert text.count(f"S{wide}") > 200_000
    # Two at once from two threads (each with its own helper), the interpreter released.
    with ThreadPoolExecutor(2) as pool:
        texts = list(pool.map(lambda _: report.to_json(pretty=False), range(2)))
    assert texts == [text, text]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=40))
def test_any_text_in_the_report(name: str) -> None:
    try:
        report = mecenat.compute(scenario(name))
    except mecenat.ScenarioError:
        return  # a name the scenario refuses (blank, control characters): nothing to print
    text = report.to_json()
    same_str(text, report.to_json_bytes(pretty=True).decode("utf-8"))


def python_ascii(text: str, pretty: bool) -> str:
    """What json.dumps writes of the same document, every character beyond ASCII escaped,
    in the layout of the report's writer (two-space indent, or no space at all)."""
    doc = json.loads(text)
    if pretty:
        return json.dumps(doc, indent=2, ensure_ascii=True)
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=True)


@pytest.mark.parametrize("name", ["Plain ASCII", "Société", "l’association — 10\u202f€", "Les amis 😀 du 🎻"])
@pytest.mark.parametrize("n", [3, 20_000])
def test_ensure_ascii_is_json_dumps_text(name: str, n: int) -> None:
    # The shell (the journal's labels hold – and €) and the entries' blocks (the employees'
    # ids hold the name's characters), escaped as Python escapes them: one byte a character.
    report = mecenat.compute(scenario(name, n=n, employee=f"S{name[-1]}"))
    for pretty in (True, False):
        text = report.to_json(pretty=pretty, ensure_ascii=True)
        assert text.isascii()
        assert text == python_ascii(report.to_json(pretty=pretty), pretty)
        assert json.loads(text) == json.loads(report.to_json(pretty=pretty))
        assert sys.getsizeof(text) == sys.getsizeof(text.encode("ascii").decode("ascii"))


def test_an_unpickled_report_escapes_alike() -> None:
    # A report read back from its pickle (its JSON) escapes in Python what the extension
    # escapes in Rust: the same text.
    report = mecenat.compute(scenario("Les amis 😀 – é"))
    back = pickle.loads(pickle.dumps(report))
    for pretty in (True, False):
        assert back.to_json(pretty=pretty, ensure_ascii=True) == report.to_json(
            pretty=pretty, ensure_ascii=True
        )


def test_ensure_ascii_is_for_the_text_only(tmp_path: Path) -> None:
    report = mecenat.compute(scenario("Société"))
    with pytest.raises(ValueError, match="ensure_ascii applies to the text only"):
        report.to_json(tmp_path / "r.json", ensure_ascii=True)
    assert not (tmp_path / "r.json").exists()


# ------------------------------------------------------------------ to_json(path)


def test_to_json_to_a_file_replaces_it_atomically(tmp_path: Path) -> None:
    report = mecenat.compute(mecenat.Scenario.example())
    p = tmp_path / "report.json"
    p.write_text("previous", encoding="utf-8")
    # A hard link to the previous file keeps its content: the report is written to a new
    # file renamed into place, not into the previous file truncated.
    os.link(p, tmp_path / "kept.json")
    report.to_json(p)
    assert p.read_bytes() == report.to_json_bytes()
    assert (tmp_path / "kept.json").read_text(encoding="utf-8") == "previous"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["kept.json", "report.json"]


def test_to_json_never_writes_through_a_link_or_over_a_read_only_file(tmp_path: Path) -> None:
    report = mecenat.compute(mecenat.Scenario.example())
    target = tmp_path / "elsewhere.json"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    with pytest.raises(mecenat.FileError, match="symbolic link"):
        report.to_json(link)
    target.chmod(0o444)
    with pytest.raises(mecenat.FileError, match="read-only"):
        report.to_json(target)
    assert target.read_text(encoding="utf-8") == "keep me"


def test_to_json_never_writes_over_the_scenarios_file(tmp_path: Path) -> None:
    source = tmp_path / "scenario.json"
    source.write_bytes(DEMO.read_bytes())
    before = source.read_bytes()
    report = mecenat.compute(mecenat.Scenario.from_json(source))
    os.link(source, tmp_path / "hard.json")
    for out in (source, tmp_path / "hard.json", tmp_path / "." / "scenario.json"):
        with pytest.raises(mecenat.FileError, match="scenario being read") as info:
            report.to_json(out)
        assert info.value.filename == str(out)
    assert source.read_bytes() == before
    report.to_json(tmp_path / "report.json")  # any other file is written
    assert (tmp_path / "report.json").read_bytes() == report.to_json_bytes()


def test_to_json_never_writes_over_the_scenarios_workbook(tmp_path: Path) -> None:
    book = tmp_path / "scenario.xlsx"
    mecenat.template(book, tables=json.loads(DEMO.read_text(encoding="utf-8")))
    before = book.read_bytes()
    s = mecenat.Scenario.from_excel(book)
    with pytest.raises(mecenat.FileError, match="scenario being read"):
        mecenat.compute(s).to_json(book)
    assert book.read_bytes() == before


def test_an_unpickled_report_writes_atomically_too(tmp_path: Path) -> None:
    report: Any = pickle.loads(pickle.dumps(mecenat.compute(mecenat.Scenario.example())))
    p = tmp_path / "report.json"
    p.write_text("previous", encoding="utf-8")
    os.link(p, tmp_path / "kept.json")
    report.to_json(p)
    assert p.read_text(encoding="utf-8") == report.to_json()
    assert (tmp_path / "kept.json").read_text(encoding="utf-8") == "previous"
    with pytest.raises(FileNotFoundError):
        report.to_json(tmp_path / "no" / "such.json")

