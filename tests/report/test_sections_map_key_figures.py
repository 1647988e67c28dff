"""The report's map and key-figure sections (report/section_map.py, report/section_key_figures.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from samverkan.report import section_key_figures, section_map


def test_map_section_inlines_map_svg_cleaned_with_its_source(tmp_path):
    (tmp_path / "map.svg").write_text(
        '<?xml version="1.0"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg" onload="steal()"><script>alert(1)</script><image href="https://example.invalid/x.png"/><path d="M0 0"/></svg>',
        encoding="utf-8",
    )
    report = SimpleNamespace(directory=tmp_path, lang="sv", options=SimpleNamespace(geo=None))
    [(anchor, key, build)] = section_map.sections(report)
    html = build()
    assert anchor == "map" and key == "sec_map"
    assert "<svg" in html and "<path" in html and "onload" not in html and "<script" not in html and "https://" not in html and "<?xml" not in html
    assert "Kartunderlag" in html  # the bundled shapes' source line
    assert 'href="map.html"' not in html  # no interactive map beside it


def test_no_map_section_without_map_svg(tmp_path):
    assert section_map.sections(SimpleNamespace(directory=tmp_path, lang="sv", options=None)) == []
    assert section_map.sections(SimpleNamespace(directory=None, lang="sv", options=None)) == []


def test_small_multiples_one_chart_per_area_on_its_own_scale():
    rows = pd.DataFrame({"area": ["0126", "0126", "0136"], "area_name": ["Huddinge <b>", "Huddinge <b>", "Haninge"], "period": ["2009", "2010", "2009"], "value": [1.0, 3.0, 2.5], "gender": "T"})
    svg = section_key_figures.small_multiples_svg(rows, "sv", spans={"0126": ("2010", "2010")})
    assert svg.count('class="kf-multiple"') == 2
    assert "Huddinge &lt;b&gt;: 2009 1 → 2010 3" in svg and "<b>" not in svg  # names escaped
    assert svg.count("<rect") == 1  # the period the projects ran, shaded


def test_no_section_without_key_figures():
    assert section_key_figures.sections(SimpleNamespace(result=SimpleNamespace(key_figures=pd.DataFrame()), lang="sv")) == []
