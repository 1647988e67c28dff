"""map.html, map.svg, map.png from real analyses: the map says what white_spots.csv says."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

import samverkan.geo

from samverkan.views.map_page import (
    ALL,
    json_for_script,
    map_facts,
    match_shapes,
    write_map_html,
    write_map_png,
    write_map_svg,
)
from samverkan.geo.shapes import Shape, load_user_shapes

WHITE = ("white-spot", "effort-gap")


def _page_data(path):
    doc = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    return doc, json.loads(doc.xpath('//script[@id="map-data"]')[0].text)


def _csv_cells(result, tmp_path):
    from samverkan.analysis import write_analysis

    write_analysis(result, tmp_path / "out")
    with open(tmp_path / "out" / "white_spots.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {(r["target_group"], r["municipality"].zfill(4)): r["kind"] for r in rows if r["kind"] in WHITE}


@pytest.mark.parametrize("package", ["sodertorn", "orebro"])
def test_map_white_spots_equal_white_spots_csv(package, request, tmp_path):
    result = request.getfixturevalue(package)
    path = tmp_path / "map.html"
    facts = write_map_html(result, path)
    assert isinstance(facts, dict)
    _, data = _page_data(path)
    on_map = {(g, code): cell["state"] for g, row in data["cells"].items() if g != ALL for code, cell in row.items() if cell["state"] in WHITE}
    assert on_map == _csv_cells(result, tmp_path)
    # every region municipality is a path with a title and keyboard access
    doc = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    paths = doc.xpath('//path[contains(@class, "muni")]')
    assert sorted(p.get("data-code") for p in paths) == sorted(m["code"] for m in data["municipalities"])
    assert all(p.get("tabindex") == "0" and p.xpath("string(title)") for p in paths)


def test_sodertorn_facts(sodertorn, tmp_path):
    facts = map_facts(sodertorn)
    names = {m["code"]: m["name"] for m in facts["municipalities"]}
    assert names == {
        "0127": "Botkyrka",
        "0136": "Haninge",
        "0126": "Huddinge",
        "0182": "Nacka",
        "0140": "Nykvarn",
        "0192": "Nynäshamn",
        "0128": "Salem",
        "0181": "Södertälje",
        "0138": "Tyresö",
        "0120": "Värmdö",
    }
    # efforts + projects per cell add up to the report's coverage matrix
    for g in sodertorn.coverage.index:
        for key in sodertorn.coverage.columns:
            cell = facts["cells"][g][key]
            assert cell["efforts"] + cell["projects"] == sodertorn.coverage.at[g, key]
    # effort-gaps on Södertörn: 16 (white_spots.csv), no cell without any effort or project
    assert len(facts["white_spot_cells"]) == 16
    # Huddinge's card: its efforts (efforts.csv rows naming 0126), the projects it takes part in, with owners
    card = facts["cards"]["0126"]
    assert {e["name"] for e in card["efforts"]} >= {"SFI – svenska för invandrare", "Instegsjobb", "Hälsosamtal för nyanlända"}
    intro = [p for p in card["projects"] if p["name"] == "Introduktion Södertörn"]
    assert intro and intro[0]["owner"] == "Huddinge kommun"
    assert {o["name"] for o in card["organisations"]} == {"Huddinge kommun"}
    # ego: Arbetsförmedlingen offers Instegsjobb in all ten municipalities
    af = next(o for o in facts["organisations"] if o["id"] == "af")
    assert len(af["effort_codes"]) == 10
    ksl = next(o for o in facts["organisations"] if o["id"] == "ksl")
    assert ksl["effort_codes"] == ["0126", "0136", "0182"] and len(ksl["project_codes"]) == 10


def test_orebro_map(orebro, tmp_path):
    facts = write_map_html(orebro, tmp_path / "map.html", lang="en")
    assert {m["name"] for m in facts["municipalities"]} >= {"Örebro", "Lindesberg", "Karlskoga"}
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "white spot: no effort for the target group" in page


def test_page_is_offline_and_has_a_hash_csp(sodertorn, tmp_path):
    path = tmp_path / "map.html"
    write_map_html(sodertorn, path)
    page = path.read_text(encoding="utf-8")
    csp = lxml_html.fromstring(page).xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    # the page kit's policy: scripts only by hash, nothing from the network
    from samverkan.views.kit import asset, content_security_policy

    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "default-src 'none'" in csp and "unsafe-inline" not in script_src and "script-src 'sha256-" in csp
    assert csp == content_security_policy([asset("kit.js"), (Path(samverkan.geo.__file__).parent / "assets" / "map.js").read_text(encoding="utf-8")])
    assert '<style media="print">' in page  # the kit's print sheet
    assert 'href="index.html"' not in page  # written alone: no sibling pages to link to
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert " style=" not in page  # presentation attributes only: the CSP holds
    assert "vit fläck: ingen insats för målgruppen" in page and "Valmyndigheten" in page


def test_json_for_script_cannot_close_the_script():
    text = json_for_script({"name": "</script><script>alert(1)</script> & <!--"})
    assert "</" not in text and "<!--" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & <!--"}


def test_names_from_input_are_escaped(sodertorn, tmp_path):
    import copy

    result = copy.copy(sodertorn)
    result.package = copy.deepcopy(sodertorn.package)
    orgs = result.package.tables["organisations"]
    orgs.loc[orgs["id"] == "af", "name"] = "<img src=x onerror=alert(1)>"
    path = tmp_path / "map.html"
    write_map_html(result, path)
    page = path.read_text(encoding="utf-8")
    assert "<img" not in page
    _, data = _page_data(path)
    assert any(o["name"] == "<img src=x onerror=alert(1)>" for o in data["organisations"])


def test_print_maps(sodertorn, tmp_path):
    assert isinstance(write_map_png(sodertorn, tmp_path / "map.png"), dict)
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    write_map_svg(sodertorn, tmp_path / "map.svg")
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert "vit fläck: ingen insats för målgruppen" in svg and "Valmyndigheten" in svg


def test_no_municipalities_gives_a_reason(sodertorn, tmp_path):
    import copy

    import pandas as pd

    result = copy.copy(sodertorn)
    result.coverage = pd.DataFrame(index=sodertorn.coverage.index)
    reason = write_map_html(result, tmp_path / "map.html")
    assert isinstance(reason, str) and "kommun" in reason
    assert not (tmp_path / "map.html").exists()


def test_user_shapes_matched_by_code_or_name(tmp_path):
    square = [[[10, 60], [11, 60], [11, 61], [10, 61], [10, 60]]]
    geo = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"kommunenummer": "0301", "navn": "Oslo"}, "geometry": {"type": "Polygon", "coordinates": square}},
            {"type": "Feature", "properties": {"kommunenummer": "4601", "navn": "Bergen"}, "geometry": {"type": "Polygon", "coordinates": [[[5, 60], [6, 60], [6, 61], [5, 60]]]}},
        ],
    }
    path = tmp_path / "norge.geojson"
    path.write_text(json.dumps(geo), encoding="utf-8")
    shapes, reason = load_user_shapes(path, "kommunenummer")
    assert reason is None and set(shapes) == {"0301", "4601"} and shapes["0301"].name == "Oslo"
    assert match_shapes(["0301", "bergen", "Trondheim"], shapes) == {"0301": "0301", "bergen": "4601"}
    none, why = load_user_shapes(path, "fylke")
    assert none == {} and "fylke" in why and "kommunenummer" in why
    assert load_user_shapes(tmp_path / "missing.geojson", "x")[1].endswith("no such file")
    (tmp_path / "bad.geojson").write_text("{not json", encoding="utf-8")
    assert "not a GeoJSON" in load_user_shapes(tmp_path / "bad.geojson", "x")[1]
    assert isinstance(shapes["0301"], Shape)


def test_write_maps_writes_three_files_or_says_why(sodertorn, tmp_path):
    from samverkan.views.map_page import write_maps

    written = write_maps(sodertorn, tmp_path / "out")
    assert [p.name for p in written] == ["map.html", "map.svg", "map.png"] and all(p.stat().st_size for p in written)
    reason = write_maps(sodertorn, tmp_path / "none", geo=tmp_path / "missing.geojson", geo_key="id")
    assert reason.startswith("Ingen karta: ") and "no such file" in reason
    assert not (tmp_path / "none").exists()


def test_card_marks_projects_not_active(sodertorn):
    facts = map_facts(sodertorn)
    projects = {p["name"]: p["active"] for p in facts["cards"]["0120"]["projects"]}
    # as of 2010-12-31 (the latest date in the package) status "ended" wins (samverkan.timeline):
    # the card agrees with white_spots.csv, which lists Introduktion Södertörn as not active then
    assert projects["Introduktion Södertörn"] is False
    assert projects["Delaktivitet 1: Kartläggning av befintliga insatser och inventering av behov"] is False


def test_user_shapes_keyed_by_name_draw_the_package(sodertorn, tmp_path):
    from samverkan.geo.shapes import municipality_shapes

    bundled = municipality_shapes()
    features = [
        {
            "type": "Feature",
            "properties": {"namn": f"{bundled[c].name} kommun"},
            "geometry": {"type": "MultiPolygon", "coordinates": [[list(map(list, ring)) for ring in poly] for poly in bundled[c].polygons]},
        }
        for c in ("0126", "0136", "0127")
    ]
    path = tmp_path / "own.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    shapes, reason = load_user_shapes(path, "namn")
    assert reason is None
    facts = write_map_html(sodertorn, tmp_path / "map.html", shapes=shapes, source="Egna former")
    assert {m["key"]: m["code"] for m in facts["municipalities"]} == {"0126": "Huddinge kommun", "0136": "Haninge kommun", "0127": "Botkyrka kommun"}
    doc, _ = _page_data(tmp_path / "map.html")
    assert len(doc.xpath('//path[contains(@class, "muni")]')) == 3 and not doc.xpath('//path[@class="context"]')
    assert "Egna former" in (tmp_path / "map.html").read_text(encoding="utf-8")


def test_write_maps_links_the_report_and_the_efforts_page(sodertorn, tmp_path):
    from samverkan.views.map_page import write_maps

    written = write_maps(sodertorn, tmp_path)
    assert [p.name for p in written] == ["map.html", "map.svg", "map.png"]
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    nav = lxml_html.fromstring(page).xpath('//nav[@class="map-links"]/a/@href')
    assert nav == ["index.html", "efforts.html"]


@pytest.mark.parametrize("package", ["sodertorn", "orebro"])
def test_facts_from_the_analysis_coverage_equal_facts_counted_again(package, request):
    """The map reads the efforts and projects the analysis counted apart; counting them again gives the same facts."""
    import dataclasses

    result = request.getfixturevalue(package)
    assert set(result.coverage_by_kind) == {"effort", "project"}
    again = dataclasses.replace(result, coverage_by_kind=None)
    assert json.dumps(map_facts(result), sort_keys=True, default=str) == json.dumps(map_facts(again), sort_keys=True, default=str)
    # the two parts add up to the coverage the white spots are read from
    total = result.coverage_by_kind["effort"].add(result.coverage_by_kind["project"], fill_value=0)
    assert (total.reindex(index=result.coverage.index, columns=result.coverage.columns, fill_value=0) == result.coverage).all().all()


def test_report_drafted_before_the_map_and_figure_equals_the_report_written_at_once(sodertorn, tmp_path):
    """analyse builds the report's sections while the map and the figure are drawn (report.draft_report); the page is the same."""
    import copy

    from samverkan.report import draft_report, write_report
    from samverkan.views.map_page import write_maps

    figure = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>'
    result = copy.deepcopy(sodertorn)
    early = tmp_path / "early"
    early.mkdir()
    draft = draft_report(result, early)  # no map.svg yet
    assert "map" not in draft._built and "summary" in draft._built
    write_maps(result, early)
    result.notes.append("en anteckning som kom efter utkastet")  # the appendix is built last: it sees it
    write_report(result, early, figure_svg=figure, draft=draft)
    at_once = tmp_path / "at-once"
    write_maps(result, at_once)
    write_report(result, at_once, figure_svg=figure)
    page = (early / "index.html").read_text(encoding="utf-8")
    assert page == (at_once / "index.html").read_text(encoding="utf-8")
    assert 'id="map"' in page and "en anteckning som kom efter utkastet" in page
