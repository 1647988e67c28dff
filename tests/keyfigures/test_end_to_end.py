"""Issue 14's acceptance, through ``samverkan`` as a user runs it (the main CLI group, CliRunner):

Kolada API JSON and a plain long CSV import into a copy of the Södertörn package; it validates;
``analyse`` writes key_figures.csv with values equal to the input; the report shows the
indicator; ``compare`` of two packages with key figures carries them. And issue 13's: the
analysis writes map.html/.svg/.png whose white spots are white_spots.csv's.
"""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from click.testing import CliRunner

from samverkan.cli import main

from .conftest import DATA

KOLADA = {
    "values": [
        {"kpi": "N00914", "municipality": code, "period": year, "values": [{"gender": "T", "status": "", "value": value}, {"gender": "K", "status": "", "value": value + 1}]}
        for code, base in (("0126", 20.0), ("0136", 18.5), ("0127", 30.25), ("0138", 12.0), ("0181", 25.0), ("0192", 15.5))
        for year, value in ((2008, base), (2010, base + 1.5))
    ]
}
LONG = "area;indicator;period;value;indicator_name;unit\n0126;X1;2009;1,5;Andel i arbete;procent\n0136;X1;2009;2,25;Andel i arbete;procent\n9999;X1;2009;7;Andel i arbete;procent\n"


def _rows(path):
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    package = tmp / "sodertorn"
    shutil.copytree(DATA / "sodertorn-2009", package)
    (package / "key_figures.csv").unlink(missing_ok=True)
    kolada, long = tmp / "kolada.json", tmp / "long.csv"
    kolada.write_text(json.dumps(KOLADA), encoding="utf-8")
    long.write_text(LONG, encoding="utf-8")
    runner = CliRunner()
    steps = {
        "kolada": runner.invoke(main, ["key-figures", "import", str(kolada), "-o", str(package), "--name", "N00914=Andel utrikes födda"]),
        "long": runner.invoke(main, ["key-figures", "import", str(long), "-o", str(package)]),
        "validate": runner.invoke(main, ["validate", str(package)]),
        "analyse": runner.invoke(main, ["analyse", str(package), "-o", str(tmp / "out"), "-q"]),
        "compare": runner.invoke(main, ["compare", str(package), str(DATA / "orebro-2014"), "-o", str(tmp / "cmp"), "--samples", "3", "--rank-by", "kf_N00914"]),
    }
    return tmp, steps


def test_every_step_succeeds(run):
    _, steps = run
    for name, result in steps.items():
        assert result.exit_code == 0, (name, result.output)
    assert "24 key figure row(s); 24 added" in steps["kolada"].output  # six municipalities × two years × T and K
    assert "27 key figure row(s); 3 added" in steps["long"].output  # the package now holds 24 + 3


def test_analyse_writes_key_figures_equal_to_the_input(run):
    tmp, _ = run
    rows = _rows(tmp / "out" / "key_figures.csv")
    got = {(r["area"], r["indicator"], r["period"], r["gender"]): float(r["value"]) for r in rows}
    expected = {(e["municipality"], e["kpi"], str(e["period"]), v["gender"]): v["value"] for e in KOLADA["values"] for v in e["values"]}
    expected |= {("0126", "X1", "2009", "T"): 1.5, ("0136", "X1", "2009", "T"): 2.25, ("9999", "X1", "2009", "T"): 7.0}
    assert got == expected
    # the area that matches nothing is kept, and said so
    assert [r["matched"] for r in rows if r["area"] == "9999"] == ["false"]
    assert (tmp / "out" / "key_figure_phases.csv").exists() and (tmp / "out" / "key_figure_phase_summary.csv").exists()


def test_the_report_shows_the_indicator(run):
    tmp, _ = run
    page = (tmp / "out" / "index.html").read_text(encoding="utf-8")
    assert 'id="key-figures"' in page and "Andel utrikes födda" in page and "Andel i arbete" in page
    assert "samvariation, inte effekt" in page  # six municipalities: the scatter, with its caveat
    assert page.count('class="kf-scatter"') == 1  # X1 has two municipalities: no scatter, and it says so
    assert "bara 2 kommuner har både värde och nätverkstal" in page
    assert "9999" in page  # the unmatched area is named


def test_compare_carries_the_key_figures(run):
    tmp, _ = run
    rows = _rows(tmp / "cmp" / "comparison.csv")
    sodertorn = next(r for r in rows if r["region"] == "sodertorn")
    # median over the six municipalities in the latest period (2010): 21.5, 20, 31.75, 13.5, 26.5, 17
    assert float(sodertorn["kf_N00914"]) == pytest.approx(20.75)
    assert sodertorn["kf_N00914_how"] == "median" and sodertorn["kf_N00914_period"] == "2010" and sodertorn["kf_N00914_n"] == "6"
    orebro = next(r for r in rows if r["region"] == "orebro-2014")
    assert orebro["kf_N00914"] == ""  # Örebro has no such figure: ranked last
    long = _rows(tmp / "cmp" / "key_figures.csv")
    assert {r["region"] for r in long} == {"sodertorn", "orebro-2014"}
    page = (tmp / "cmp" / "index.html").read_text(encoding="utf-8")
    assert 'id="county-map"' in page and "median över 6 kommuner" in page


def test_analyse_writes_the_maps_and_their_white_spots_are_white_spots_csv(run):
    tmp, _ = run
    out = tmp / "out"
    for name in ("map.html", "map.svg", "map.png"):
        assert (out / name).stat().st_size > 0, name
    page = (out / "map.html").read_text(encoding="utf-8")
    data = json.loads(page.split('<script type="application/json" id="map-data">', 1)[1].split("</script>", 1)[0])
    names = {m["code"]: m["name"] for m in data["municipalities"]}
    assert sorted(names.values()) == sorted(["Botkyrka", "Haninge", "Huddinge", "Nacka", "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö", "Värmdö"])
    on_map = {(g, code) for g, row in data["cells"].items() if g != "__all__" for code, cell in row.items() if cell["state"] in ("white-spot", "effort-gap")}
    in_csv = {(r["target_group"], r["municipality"]) for r in _rows(out / "white_spots.csv") if r["kind"] in ("white-spot", "effort-gap")}
    assert on_map == in_csv and len(in_csv) > 0
    report = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="map"' in report and "Kartunderlag" in report and 'href="map.html"' in report
    assert 'href="index.html"' in page and 'href="efforts.html"' in page
