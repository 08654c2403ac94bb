"""The journal as FEC and Paheko files from Python (Report.journal_files, write_journal):
the same bytes as `mecenat journal -f fec|paheko -o DIR`, the files' layout, the refusal
of files already there."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

import mecenat
from conftest import DEMO, ROOT

CLIS = [ROOT / "target" / "debug" / "mecenat", ROOT / "target" / "release" / "mecenat"]


def demo() -> mecenat.Report:
    return mecenat.compute(mecenat.Scenario.from_json(DEMO))


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ".")) if text else Decimal(0)


def test_fec_files_layout() -> None:
    files = demo().journal_files("fec")
    assert files
    for name, data in files.items():
        ident, _, date = name.removesuffix(".txt").partition("FEC")
        assert name.endswith(".txt") and len(date) == 8 and date.isdigit()
        # The SIREN (9 digits) or the RNA (W and 9 characters) of the beneficiary.
        assert (len(ident) == 9 and ident.isdigit()) or (ident[0] == "W" and len(ident) == 10)
        lines = data.decode("utf-8").split("\r\n")
        assert lines[-1] == ""
        rows = [ln.split("\t") for ln in lines[:-1]]
        assert all(len(r) == 18 for r in rows)
        assert rows[0][:3] == ["JournalCode", "JournalLib", "EcritureNum"]
        entries: dict[str, Decimal] = {}
        for r in rows[1:]:
            entries[r[2]] = entries.get(r[2], Decimal(0)) + _amount(r[11]) - _amount(r[12])
            assert r[3] == r[15] and r[3][:4] == date[:4]
        assert entries and all(v == 0 for v in entries.values())
    assert "443185202FEC" in "".join(files)  # A-PANIER has a SIREN, the others an RNA


def test_paheko_files_start_with_a_bom() -> None:
    files = demo().journal_files("paheko")
    assert files
    for name, data in files.items():
        assert "-paheko-" in name and name.endswith(".csv")
        assert data.startswith(b"\xef\xbb\xbf")
        header = data[3:].decode("utf-8").splitlines()[0].split(";")
        assert header[0] == "Numéro d'écriture" and len(header) == 13


def test_one_beneficiary_and_unknown_ones() -> None:
    r = demo()
    every = r.journal_files("fec")
    one = r.journal_files("fec", beneficiary="A-PANIER")
    assert list(one) and set(one) <= set(every)
    assert all(name.startswith("443185202") for name in one)
    with pytest.raises(mecenat.ScenarioError):
        r.journal_files("fec", beneficiary="NOBODY")
    with pytest.raises(ValueError):
        r.journal_files("csv")  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["fec", "paheko"])
def test_write_journal_is_the_cli_output(tmp_path: Path, fmt: str) -> None:
    r = demo()
    paths = r.write_journal(tmp_path / "py", fmt)  # type: ignore[arg-type]
    files = r.journal_files(fmt)  # type: ignore[arg-type]
    assert [Path(p).name for p in paths] == list(files)
    for p in paths:
        assert Path(p).read_bytes() == files[Path(p).name]
    cli = next((c for c in CLIS if c.exists()), None)
    if cli is None:
        pytest.skip("no CLI built (cargo build -p mecenat-cli)")
    out = subprocess.run([str(cli), "journal", str(DEMO), "-f", fmt, "-o", str(tmp_path / "cli")],
                         capture_output=True, check=False)
    assert out.returncode == 0, out.stderr
    written = {p.name: p.read_bytes() for p in (tmp_path / "cli").iterdir()}
    assert written == files


def test_write_journal_refuses_files_there(tmp_path: Path) -> None:
    r = demo()
    paths = r.write_journal(tmp_path, "fec")
    Path(paths[0]).write_bytes(b"old")
    for p in paths[1:]:
        Path(p).unlink()
    with pytest.raises(FileExistsError) as e:
        r.write_journal(tmp_path, "fec")
    assert isinstance(e.value, mecenat.FileError) and "already exist" in str(e.value)
    # Nothing was written: the other files are still missing, the old one untouched.
    assert sorted(p.name for p in tmp_path.iterdir()) == [Path(paths[0]).name]
    assert Path(paths[0]).read_bytes() == b"old"
    assert r.write_journal(tmp_path, "fec", force=True) == paths
    assert Path(paths[0]).read_bytes() == r.journal_files("fec")[Path(paths[0]).name]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_write_journal_never_through_a_symlink(tmp_path: Path) -> None:
    r = demo()
    name = next(iter(r.journal_files("fec")))
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"keep")
    (tmp_path / name).symlink_to(target)
    with pytest.raises(mecenat.FileError, match="symbolic link"):
        r.write_journal(tmp_path, "fec", force=True)
    assert target.read_bytes() == b"keep"


def test_unpickled_report_journal(tmp_path: Path) -> None:
    import pickle

    r = demo()
    back = pickle.loads(pickle.dumps(r))
    assert back.journal_files("paheko") == r.journal_files("paheko")
