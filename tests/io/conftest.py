"""A small valid package, written as users write it, and helpers to break it one way at a time.

The package (Swedish file and column names, as a Swedish user exports them from Excel):

organisations  kommun-a, region-x, forening-b, enhet-a1 (a unit of kommun-a)
contacts       k1 at kommun-a, k2 at region-x
projects       p1 (2014), p2 (2015, part of p1)
participations p1: kommun-a owner (k1), region-x steering (k2); p2: forening-b partner
target_groups  unga, nyanlanda
ties           kommun-a → region-x, agreement, weight 2.5, directed

Data rows start on row 2 (the header is row 1), so the n-th data row is row n + 1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

VALID: dict[str, str] = {
    "organisationer.csv": (
        "id,namn,typ,nivå,kommun,förälder\n"
        "kommun-a,Kommun A,kommun,lokal,0180,\n"
        "region-x,Region X,region,regional,,\n"
        "forening-b,Föreningen B,förening,,,\n"
        "enhet-a1,Enhet A1,kommun,lokal,0180,kommun-a\n"
    ),
    "kontakter.csv": ("id,namn,organisation,titel\nk1,Anna Åberg,kommun-a,Projektledare\nk2,Bo Öst,region-x,\n"),
    "projekt.csv": (
        'id,namn,startdatum,slutdatum,budget,status,målgrupper,förälder\np1,Projekt 1,2014-03-01,2014-12-31,"1 500 000,50",avslutat,unga,\np2,Projekt 2,2015-01-01,,,pågående,unga|nyanlanda,p1\n'
    ),
    "deltagande.csv": ("projekt,organisation,kontakt,roll\np1,kommun-a,k1,projektägare\np1,region-x,k2,styrgrupp\np2,forening-b,,samverkanspart\n"),
    "målgrupper.csv": "id,namn\nunga,Unga 16–24\nnyanlanda,Nyanlända\n",
    "relationer.csv": 'från,till,typ,vikt,riktad\nkommun-a,region-x,avtal,"2,5",ja\n',
}


def write_folder(folder: Path, files: dict[str, str | bytes | None], *, encoding: str = "utf-8") -> Path:
    """Write ``files`` (name → text, bytes, or None to leave the file out) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if content is None:
            continue
        data = content if isinstance(content, bytes) else content.encode(encoding)
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def valid_files() -> dict[str, str]:
    """The valid package as file name → text."""
    return dict(VALID)


@pytest.fixture
def valid_folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "paket", VALID)


@pytest.fixture
def broken_folder(tmp_path: Path):
    """``broken_folder(changes)``: the valid package with some files replaced, added or removed.

    ``changes`` is a dict (file name → new text, bytes, or None to remove the file) or a
    function that gets the valid files and returns such a dict.
    """

    def make(changes) -> Path:
        files: dict = dict(VALID)
        files.update(changes(dict(VALID)) if callable(changes) else changes)
        return write_folder(tmp_path / "paket", files)

    return make


@pytest.fixture(name="write_folder")
def write_folder_fixture():
    return write_folder


@pytest.fixture(name="snapshot")
def snapshot_fixture():
    return snapshot


def snapshot(path: Path) -> dict[str, tuple[bytes, int, int]]:
    """Bytes, modification time (ns) and mode of every file under ``path`` (or of ``path``)."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    out = {}
    for file in files:
        stat = os.stat(file)
        out[str(file)] = (file.read_bytes(), stat.st_mtime_ns, stat.st_mode)
    return out
