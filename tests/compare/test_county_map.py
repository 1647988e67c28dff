"""The comparison's county map: regions named as packages write counties land on the right shapes,
coloured by the ranking figure, with shared projects as links and an accessible table."""

from __future__ import annotations

import re

import pandas as pd
from lxml import html as lxml_html

from samverkan.compare.county_map import county_map_block, county_map_data
from samverkan.compare.regions import key_figure_columns, region_key_figure_tables, split_package
from samverkan.compare.run import compare_regions
from samverkan.compare.config import CompareOptions

from .helpers import make_package


def _package():
    organisations = [
        {"id": "a", "region": "Västerbottens län"},
        {"id": "b", "region": "Västerbottens län"},
        {"id": "c", "region": "Stockholms län"},
        {"id": "d", "region": "Stockholms län"},
        {"id": "e", "region": "Nordland"},
    ]
    parts = [("p1", "a", "owner"), ("p1", "b", "partner"), ("p1", "c", "partner"), ("p2", "c", "owner"), ("p2", "d", "partner"), ("p3", "a", "owner"), ("p3", "d", "partner"), ("p3", "e", "partner")]
    package = make_package(parts, organisations=organisations)
    package.tables["key_figures"] = pd.DataFrame(
        {
            "area": ["24", "01", "0180", "0126", "2480"],
            "indicator": ["N1"] * 5,
            "period": ["2020"] * 5,
            "value": [5.0, 9.0, 1.0, 3.0, 100.0],
            "indicator_name": [""] * 5,
            "unit": [""] * 5,
            "gender": ["T"] * 5,
            "source": [""] * 5,
        }
    )
    return package


def test_counties_land_on_their_shapes_with_links_and_key_figures():
    package = _package()
    regions = split_package(package, "county")
    result = compare_regions(regions, CompareOptions(samples=0, min_organisations=1, rank_by="kf_N1"))
    data = county_map_data(result)
    assert data["column"] == "kf_N1"
    # a region cut from a package takes its own county's value (never a neighbour's or a municipality's)
    assert data["values"] == {"24": 5.0, "01": 9.0}
    assert data["regions"] == {"24": "Västerbottens län", "01": "Stockholms län"}
    assert data["unmatched"] == ["Nordland"]  # no Swedish county: named, never guessed
    # p1 (a, b, c) and p3 (a, d) are shared by Västerbotten and Stockholm: two projects
    assert data["links"] == [("01", "24", 2)]
    block = str(county_map_block(result))
    tree = lxml_html.fromstring(block)
    assert tree.xpath('//path[@data-code="24"]/title/text()')[0].startswith("Västerbottens län: 5")
    assert [r.xpath("string(th)") for r in tree.xpath('//table[@id="t-county-map"]/tbody/tr')] == ["Stockholms län", "Västerbottens län"]
    assert "länets värde" in block and "Nordland" in block
    assert not re.search(r"https?://", block)


def test_region_key_figures_say_value_or_median():
    package = _package()
    package.tables["organisations"].loc[package.tables["organisations"]["id"] == "c", ["type", "municipality"]] = ["municipality", "0180"]
    package.tables["organisations"].loc[package.tables["organisations"]["id"] == "d", ["type", "municipality"]] = ["municipality", "0126"]
    regions = split_package(package, "county")
    tables = region_key_figure_tables(regions)
    columns, long = key_figure_columns(tables, regions.labels)
    row = columns.set_index("region").loc["Stockholms län"]
    assert (row["kf_N1"], row["kf_N1_how"]) == (9.0, "value")  # the county's own value wins over the median of 0180 and 0126
    package.tables["key_figures"] = package.tables["key_figures"][package.tables["key_figures"]["area"] != "01"]
    columns, _ = key_figure_columns(region_key_figure_tables(split_package(package, "county")), regions.labels)
    row = columns.set_index("region").loc["Stockholms län"]
    assert (row["kf_N1"], row["kf_N1_how"], row["kf_N1_n"]) == (2.0, "median", 2)


def test_no_map_when_no_region_is_a_county():
    package = make_package([("p", "a", "owner"), ("p", "b", "partner")], organisations=[{"id": "a", "region": "Atlantis"}, {"id": "b", "region": "Lemuria"}])
    result = compare_regions(split_package(package, "county"), CompareOptions(samples=0, min_organisations=1))
    assert county_map_data(result) is None and str(county_map_block(result)) == ""
