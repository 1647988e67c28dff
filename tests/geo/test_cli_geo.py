"""``samverkan analyse`` writes the maps; ``--geo FILE --geo-key PROPERTY`` brings a user's own shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli import main

DATA = Path(__file__).resolve().parents[2] / "data"

OWN = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"namn": "Huddinge"}, "geometry": {"type": "Polygon", "coordinates": [[[17.9, 59.2], [18.1, 59.2], [18.1, 59.3], [17.9, 59.2]]]}},
    ],
}


@pytest.fixture(scope="module")
def own_shapes(tmp_path_factory):
    path = tmp_path_factory.mktemp("geo") / "own.geojson"
    path.write_text(json.dumps(OWN), encoding="utf-8")
    return path


def test_geo_options_need_each_other(tmp_path, own_shapes):
    runner = CliRunner()
    result = runner.invoke(main, ["analyse", str(DATA / "sodertorn-2009"), "-o", str(tmp_path / "a"), "--geo-key", "namn"])
    assert result.exit_code == 2 and "--geo-key needs --geo FILE" in result.output
    result = runner.invoke(main, ["analyse", str(DATA / "sodertorn-2009"), "-o", str(tmp_path / "b"), "--geo", str(own_shapes)])
    assert result.exit_code == 2 and "--geo needs --geo-key PROPERTY" in result.output


def test_own_shapes_by_name_and_one_sentence_when_they_do_not_fit(tmp_path, own_shapes):
    runner = CliRunner()
    result = runner.invoke(main, ["analyse", str(DATA / "sodertorn-2009"), "-o", str(tmp_path / "own"), "--geo", str(own_shapes), "--geo-key", "namn"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "own" / "map.html").read_text(encoding="utf-8")
    assert page.count('class="muni') == 1 and "Huddinge" in page  # the one shape the user gave
    report = (tmp_path / "own" / "index.html").read_text(encoding="utf-8")
    assert "Valmyndigheten" not in report.split('id="map"', 1)[1].split("</section>", 1)[0]  # not the bundled shapes' source
    result = runner.invoke(main, ["analyse", str(DATA / "sodertorn-2009"), "-o", str(tmp_path / "none"), "--geo", str(own_shapes), "--geo-key", "nope"])
    assert result.exit_code == 0, result.output
    assert result.output.count("Ingen karta: ") == 1 and "no feature has the property 'nope'" in result.output
    assert not (tmp_path / "none" / "map.html").exists() and 'id="map"' not in (tmp_path / "none" / "index.html").read_text(encoding="utf-8")


def test_orebro_gets_its_map_too(tmp_path):
    result = CliRunner().invoke(main, ["analyse", str(DATA / "orebro-2014"), "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0, result.output
    for name in ("map.html", "map.svg", "map.png"):
        assert (tmp_path / "o" / name).stat().st_size > 0
    page = (tmp_path / "o" / "map.html").read_text(encoding="utf-8")
    assert 'class="muni' in page and "Örebro" in page
