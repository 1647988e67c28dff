"""Key figures beside the network, on the tiny package of conftest.py, every number worked out by hand.

Areas in the tiny package:
  0126  hu, ngo        projects {p1} (far's benchmarking does not count)   efforts {e1} (offered by ngo)
  0136  ha             projects {p2}                                          efforts {e1} (open to 0136)
  01    hu, ngo, ha, lst (lst by its region "Stockholms län")  projects {p1, p2, p3}  efforts {e1}
  1880  far            projects {} (benchmarking only)                         efforts {}
  9999  nothing: kept, matched False
Largest component {ha, lst, x}: share 0126 = 0/2, 0136 = 1/1, 01 = 2/4 (ha, lst), 1880 = 0/1.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from samverkan.graph.projection import project_organisations
from samverkan.io.package import read_package
from samverkan.metrics.key_figures import (
    KEY_FIGURE_TABLE_COLUMNS,
    area_organisations,
    coverage_spans,
    key_figure_phases,
    key_figure_table,
    phase_summary,
    rank_regions,
    region_key_figures,
)

from .conftest import TINY, write

FIGURES = (
    "area,indicator,period,value,gender,indicator_name\n"
    "0126,N1,2009,10,,Andel\n"
    "0126,N1,2010,12,,Andel\n"
    "0126,N1,2010,14,K,Andel\n"
    "0126,N1,2011,13,,Andel\n"
    "0126,N1,2012,15,,Andel\n"  # 2013 is missing on purpose
    "0126,N1,2014,16,,Andel\n"
    "0126,N1,2011-06,1,,Andel\n"
    "0126,N1,2011-07,2,,Andel\n"
    "0136,N1,2010,20,,Andel\n"
    "01,N1,2010,17,,Andel\n"
    "1880,N1,2010,30,,Andel\n"
    "9999,N1,2010,99,,Andel\n"
)


@pytest.fixture
def package(tmp_path):
    files = dict(TINY)
    files["key_figures.csv"] = FIGURES
    return read_package(write(tmp_path / "p", files))


def _pieces(package):
    graph = project_organisations(package)
    # betweenness given by hand (the join is tested here, not the measure): lst 0.5, others 0
    organisations = pd.DataFrame({"id": ["hu", "ngo", "ha", "lst", "x", "far"], "betweenness": [0.0, 0.25, 0.0, 0.5, 0.0, 0.0]})
    white_spots = pd.DataFrame({"kind": ["effort-gap"] * 3, "municipality": ["0126", "0126", "0136"]})
    return {"package": package, "graph": graph, "organisations": organisations, "white_spots": white_spots}


def test_areas_hold_their_organisations(package):
    areas = area_organisations(package)
    assert areas["0126"] == {"hu", "ngo"}
    assert areas["0136"] == {"ha"}
    assert areas["01"] == {"hu", "ngo", "ha", "lst"}  # lst by its region, the others by their codes
    assert areas["1880"] == {"far"} and areas["18"] == {"far"}
    assert "9999" not in areas


def test_one_row_per_area_indicator_period_gender_with_the_network_beside(package):
    table = key_figure_table(**_pieces(package))
    assert list(table.columns) == KEY_FIGURE_TABLE_COLUMNS
    assert len(table) == 12
    by = table.set_index(["area", "period", "gender"])
    row = by.loc[("0126", "2010", "T")]
    assert (row["value"], row["organisations"], row["projects"], row["efforts"], row["white_spots"]) == (12.0, 2, 1, 1, 2)
    assert row["share_in_largest_component"] == 0.0
    assert row["mean_betweenness"] == pytest.approx(0.125)  # (0 + 0.25) / 2
    assert by.loc[("0126", "2010", "K"), "value"] == 14.0  # genders are kept apart
    ha = by.loc[("0136", "2010", "T")]
    assert (ha["organisations"], ha["projects"], ha["efforts"], ha["share_in_largest_component"], ha["white_spots"]) == (1, 1, 1, 1.0, 1)
    county = by.loc[("01", "2010", "T")]
    assert (county["area_kind"], county["area_name"], county["organisations"], county["projects"], county["white_spots"]) == ("county", "Stockholms län", 4, 3, 3)
    assert county["share_in_largest_component"] == 0.5
    assert county["mean_betweenness"] == pytest.approx(0.75 / 4)
    far = by.loc[("1880", "2010", "T")]
    assert (far["organisations"], far["projects"], far["efforts"]) == (1, 0, 0)


def test_an_area_that_matches_no_organisation_is_kept_and_said_so(package):
    table = key_figure_table(**_pieces(package))
    row = table[table["area"] == "9999"].iloc[0]
    assert row["value"] == 99.0 and not row["matched"] and row["area_kind"] == "none"
    assert row["organisations"] == 0 and math.isnan(row["share_in_largest_component"]) and math.isnan(row["mean_betweenness"])
    assert table.attrs["unmatched_areas"] == ["9999"]
    assert table.loc[table["area"] != "9999", "matched"].all()


def test_a_result_object_gives_the_same_table(package):
    class Result:  # what AnalysisResult offers
        pass

    result = Result()
    for name, value in _pieces(package).items():
        setattr(result, name, value)
    pd.testing.assert_frame_equal(key_figure_table(result), key_figure_table(**_pieces(package)))


def test_before_during_after_the_projects_that_cover_a_municipality(package):
    spans = coverage_spans(package).set_index("area")
    # 0126: p1 2010-01-01..2011-06-30; 0136 and 1880 have no dated project (far only watches)
    assert list(spans.index) == ["0126"]
    assert spans.loc["0126", "start"] == pd.Timestamp("2010-01-01") and spans.loc["0126", "end"] == pd.Timestamp("2011-06-30")
    phases = key_figure_phases(package)
    got = {(a, p, g): ph for a, p, g, ph in zip(phases["area"], phases["period"], phases["gender"], phases["phase"])}
    assert got[("0126", "2009", "T")] == "before"
    assert got[("0126", "2010", "T")] == "during" and got[("0126", "2011", "T")] == "during"
    assert got[("0126", "2011-06", "T")] == "during" and got[("0126", "2011-07", "T")] == "after"
    assert got[("0126", "2012", "T")] == "after" and got[("0126", "2014", "T")] == "after"
    assert got[("0136", "2010", "T")] == "" and got[("01", "2010", "T")] == ""


def test_phase_summary_uses_only_the_periods_there_are(package):
    summary = phase_summary(key_figure_phases(package))
    after = summary[(summary["area"] == "0126") & (summary["gender"] == "T") & (summary["phase"] == "after")].iloc[0]
    # after: 2011-07 (2), 2012 (15), 2014 (16); 2013 is missing and nothing is made up for it
    assert after["periods"] == 3 and after["mean"] == pytest.approx(11.0)
    assert (after["first_period"], after["last_period"], after["last_value"]) == ("2011-07", "2014", 16.0)
    assert summary[(summary["area"] == "0126") & (summary["gender"] == "T")]["phase"].tolist() == ["before", "during", "after"]


def test_region_summary_value_or_median_and_says_which(package):
    table = region_key_figures(package).set_index(["period", "gender"])
    assert table.loc[("2010", "T"), "how"] == "value" and table.loc[("2010", "T"), "value"] == 17.0  # the county's own figure
    # 2009: no county figure; median over the region's municipalities that have one (only 0126)
    assert table.loc[("2009", "T"), "how"] == "median" and table.loc[("2009", "T"), "n_areas"] == 1
    without_county = region_key_figures(package, key_figures=None, municipalities=["0126", "0136"])
    figures = without_county.set_index(["period", "gender"])
    assert figures.loc[("2010", "T"), "value"] == 17.0
    from samverkan.io.key_figures import key_figures_of

    only_municipalities = key_figures_of(package)
    only_municipalities = only_municipalities[only_municipalities["area"] != "01"]
    median = region_key_figures(package, key_figures=only_municipalities).set_index(["period", "gender"])
    # 2010 T: 0126 = 12, 0136 = 20 (1880 is a benchmarking contact, 9999 nobody's): median 16
    assert (median.loc[("2010", "T"), "value"], median.loc[("2010", "T"), "how"], median.loc[("2010", "T"), "n_areas"]) == (16.0, "median", 2)


def test_regions_ranked_by_a_key_figure():
    a = pd.DataFrame({"indicator": ["N1", "N1"], "period": ["2009", "2010"], "gender": ["T", "T"], "value": [1.0, 5.0], "how": ["median", "median"], "n_areas": [3, 3]})
    b = pd.DataFrame({"indicator": ["N1"], "period": ["2010"], "gender": ["T"], "value": [7.0], "how": ["value"], "n_areas": [1]})
    c = a.iloc[0:0]
    ranked = rank_regions({"A": a, "B": b, "C": c}, "N1")
    assert ranked["region"].tolist() == ["B", "A", "C"]
    assert ranked["rank"].tolist()[:2] == [1.0, 2.0] and math.isnan(ranked["rank"].iloc[2])
    assert rank_regions({"A": a, "B": b}, "N1", period="2009")["region"].tolist() == ["A", "B"]


def test_a_package_without_key_figures_gives_empty_tables(tmp_path):
    package = read_package(write(tmp_path / "p", TINY))
    assert key_figure_table(package=package).empty
    assert key_figure_phases(package).empty and region_key_figures(package).empty


@pytest.mark.parametrize("name, rows, areas", [("sodertorn-2009", 110, 10), ("orebro-2014", 108, 12)])
def test_the_bundled_packages_carry_real_key_figures_that_join_the_network(name, rows, areas):
    from samverkan.analysis import analyse

    from .conftest import DATA

    package = read_package(DATA / name)
    table = key_figure_table(analyse(package))
    written = pd.read_csv(DATA / name / "key_figures.csv", dtype={"area": str, "period": str})
    assert len(table) == rows and table["area"].nunique() == areas
    merged = table.merge(written, on=["area", "indicator", "period"], suffixes=("", "_file"))
    assert len(merged) == rows and (merged["value"] == merged["value_file"]).all()  # values equal the input
    if name == "sodertorn-2009":
        assert table["matched"].all()  # every Södertörn municipality is an organisation of the package
        phases = key_figure_phases(package)
        huddinge = phases[phases["area"] == "0126"].set_index("period")["phase"]
        assert (huddinge["2008"], huddinge["2009"], huddinge["2010"], huddinge["2011"]) == ("before", "during", "during", "after")
    else:  # only Örebro and Lindesberg are organisations; the other ten are reached by efforts
        assert sorted(table.loc[table["organisations"] > 0, "area"].unique()) == ["1880", "1885"]
        assert table["matched"].all() and (table["efforts"] > 0).all()


def test_change_since_the_first_period_skips_nothing_and_invents_nothing(package):
    from samverkan.io.key_figures import key_figures_of
    from samverkan.metrics.key_figures import change_since_first

    figures = key_figures_of(package)
    yearly = figures[(figures["area"] == "0126") & (figures["gender"] == "T") & (figures["period"].str.len() == 4)]
    out = change_since_first(yearly).set_index("period")
    # first 2009 = 10: 2010 12 (+2, +20 %), 2012 15 (+5), 2014 16 (+6, +60 %); 2013 absent
    assert out.loc["2010", "change"] == 2 and out.loc["2010", "change_share"] == pytest.approx(0.2)
    assert out.loc["2014", "change"] == 6 and out.loc["2014", "change_share"] == pytest.approx(0.6)
    assert "2013" not in out.index and set(out["first_period"]) == {"2009"}


def test_scatter_needs_five_municipalities_and_says_association(package):
    from samverkan.metrics.key_figures import key_figure_scatter

    scatter = key_figure_scatter(key_figure_table(**_pieces(package)), "N1", network="organisations")
    # 2014 is the latest period: only 0126 has it
    assert scatter["period"] == "2014" and scatter["n"] == 1 and not scatter["enough"] and scatter["association_only"]
    in_2010 = key_figure_scatter(key_figure_table(**_pieces(package)), "N1", network="organisations", period="2010")
    # 0126 (2 organisations, 12), 0136 (1, 20), 1880 (1, 30); 9999 matches nothing, 01 is a county
    assert sorted(zip(in_2010["points"]["area"], in_2010["points"]["x"], in_2010["points"]["y"])) == [("0126", 2.0, 12.0), ("0136", 1.0, 20.0), ("1880", 1.0, 30.0)]


def test_outputs_of_an_analysis(package):
    from samverkan.metrics.key_figures import key_figure_outputs

    class Result:
        pass

    result = Result()
    for name, value in _pieces(package).items():
        setattr(result, name, value)
    outputs = key_figure_outputs(result)
    assert list(outputs) == ["key_figures.csv", "key_figure_phases.csv", "key_figure_phase_summary.csv"]
    table = outputs["key_figures.csv"]
    assert len(table) == 12 and {"change", "change_share", "first_period"} <= set(table.columns)
    assert table.attrs["unmatched_areas"] == ["9999"]
