"""A tiny package to check key figures against by hand.

organisations  hu (Huddinge kommun, 0126), ngo (a non-profit in 0126), ha (Haninge kommun, 0136),
               lst (Länsstyrelsen, region "Stockholms län", no municipality), x (other, nowhere),
               far (Örebro kommun, 1880, only benchmarking)
projects       p1 2010-01-01..2011-06-30: hu owner, ngo partner, far benchmark
               p2 (no dates): ha partner, lst funder
               p3 (no dates): lst partner, x partner
collaboration  hu–ngo (p1); ha–lst (p2); lst–x (p3): the largest component is {ha, lst, x}
efforts        e1 offered by ngo, open to 0136
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"

TINY = {
    "organisations.csv": (
        "id,name,type,municipality,region\n"
        "hu,Huddinge kommun,municipality,0126,Stockholms län\n"
        "ngo,Föreningen,ngo,0126,\n"
        "ha,Haninge kommun,municipality,0136,Stockholms län\n"
        "lst,Länsstyrelsen,county_admin_board,,Stockholms län\n"
        "x,Annan,other,,\n"
        "far,Örebro kommun,municipality,1880,Örebro län\n"
    ),
    "projects.csv": ("id,name,start,end\np1,Projekt 1,2010-01-01,2011-06-30\np2,Projekt 2,,\np3,Projekt 3,,\n"),
    "participations.csv": ("project,organisation,role\np1,hu,owner\np1,ngo,partner\np1,far,benchmark\np2,ha,partner\np2,lst,funder\np3,lst,partner\np3,x,partner\n"),
    "contacts.csv": "id,name,organisation\n",
    "efforts.csv": "id,name,organisation,municipalities\ne1,Insats,ngo,0136\n",
}


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny(tmp_path) -> Path:
    return write(tmp_path / "tiny", TINY)


@pytest.fixture
def sodertorn(tmp_path) -> Path:
    """A copy of the bundled Södertörn package without its key figures (so imports start empty)."""
    target = tmp_path / "sodertorn"
    shutil.copytree(DATA / "sodertorn-2009", target)
    (target / "key_figures.csv").unlink(missing_ok=True)
    return target
