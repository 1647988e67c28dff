"""The SVG maps as markup: one titled, keyboard-reachable path per shape, patterns, legend, source."""

from __future__ import annotations

from lxml import etree

from samverkan.geo.shapes import municipality_shapes, project
from samverkan.geo.svgmap import (
    SCALE,
    colour_scale,
    county_map_svg,
    municipality_map_svg,
)

REGION = ["0127", "0136", "0126", "0182", "0140", "0192", "0128", "0181", "0138", "0120"]
NS = {"s": "http://www.w3.org/2000/svg"}


def test_municipality_map():
    states = dict.fromkeys(REGION, "covered") | {"0140": "white-spot", "0128": "effort-gap"}
    svg = municipality_map_svg(municipality_shapes(), REGION, states=states, values=dict.fromkeys(REGION, 2), lang="sv")
    root = etree.fromstring(svg.encode())
    munis = root.xpath('//s:path[@class="muni"]', namespaces=NS)
    assert len(munis) == 10
    assert {p.get("data-code"): p.findtext("s:title", namespaces=NS) for p in munis}["0181"] == "Södertälje"
    assert all(p.get("tabindex") == "0" and p.get("role") == "button" for p in munis)
    fills = {p.get("data-code"): p.get("fill") for p in munis}
    assert fills["0140"] == "url(#sv-white-spot)" and fills["0128"] == "url(#sv-effort-gap)"
    assert root.xpath('//s:pattern[@id="sv-white-spot"]', namespaces=NS)
    context = root.xpath('//s:path[@class="context"]', namespaces=NS)
    assert context and "0180" in {p.get("data-code") for p in context}  # Stockholm is a neighbour
    text = " ".join(root.itertext())
    assert "vit fläck: ingen insats för målgruppen" in text and "Valmyndigheten" in text
    english = municipality_map_svg(municipality_shapes(), REGION, lang="en")
    assert "white spot: no effort for the target group" in english


def test_names_are_escaped():
    from samverkan.geo.shapes import Shape

    shapes = {"x": Shape(code="x", name="<b>&</b>", polygons=((((0, 0), (1, 0), (1, 1)),),))}
    svg = municipality_map_svg(shapes, ["x"], title="<script>", source="a < b")
    etree.fromstring(svg.encode())  # well-formed
    assert "<b>" not in svg and "<script>" not in svg


def test_colour_scale_by_hand():
    # 1..9 in five integer bins of width ceil(9/5) = 2: 1–2, 3–4, 5–6, 7–8, 9
    colour, legend = colour_scale(range(1, 10))
    assert [label for label, _ in legend] == ["1–2", "3–4", "5–6", "7–8", "9"]
    assert colour(2) == SCALE[0] and colour(9) == SCALE[4] and colour(0) is None
    colour, legend = colour_scale([0.1, 0.5])
    assert colour(0.5) == SCALE[-1]


def test_projection_keeps_proportions():
    # 1° of longitude at 60° N is half a degree of latitude: cos 60° = 0.5
    to_xy, height = project((10.0, 59.5, 12.0, 60.5), 100)
    assert round(height, 6) == 100 and [round(v, 6) for v in to_xy(12.0, 59.5)] == [100.0, 100.0]


def test_county_map_values_and_links():
    svg = county_map_svg({"01": 0.5, "24": 0.2}, links=[("01", "24", 3), ("01", "12", 1)], value_label="täthet")
    root = etree.fromstring(svg.encode())
    counties = root.xpath('//s:path[@class="county"]', namespaces=NS)
    assert len(counties) == 21
    titles = {p.get("data-code"): p.findtext("s:title", namespaces=NS) for p in counties}
    assert titles["01"] == "Stockholms län: 0.5" and titles["18"] == "Örebro län: ingen uppgift"
    lines = root.xpath('//s:g[@class="links"]/s:line', namespaces=NS)
    widths = sorted(float(x.get("stroke-width")) for x in lines)
    assert widths == [3.3, 8.0]  # width 1 + 7·count/largest: 1 → 3.33 (written 3.3), 3 → 8
