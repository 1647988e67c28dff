"""Coverage matrix and white spots on a tiny Jämtland package worked out by hand."""

from pathlib import Path

import pandas as pd
import pytest

from samverkan.errors import UsageError
from samverkan.io.package import read_package
from samverkan.metrics.ownership import ownership_findings
from samverkan.metrics.white_spots import WHITE_SPOT_COLUMNS, WHITE_SPOT_KINDS, coverage_matrix, municipalities, municipality_key, white_spots
from samverkan.text.catalogue import white_spots_in_words

from .graphs_density import org, package, part

ORGS = [
    org("are", "Åre kommun", "municipality", municipality="2321"),
    org("ostersund", "Östersunds kommun", "municipality", municipality="2380", aliases="Östersund"),
    org("krokom", "Krokoms kommun", "municipality", municipality="2309"),
    org("region", "Region Jämtland Härjedalen", "region", municipality="2380"),
    org("af", "Arbetsförmedlingen", "state_agency"),
    org("umea", "Umeå kommun", "municipality", municipality="2480"),  # only benchmarks
]
TARGET_GROUPS = [
    {"id": "unga", "name": "Unga som varken arbetar eller studerar"},
    {"id": "nyanlanda", "name": "Nyanlända"},
    {"id": "funk", "name": "Unga vuxna med funktionsnedsättning"},
]
EFFORTS = [
    {"id": "e1", "name": "Sommarjobb i Åre", "organisation": "are", "target_groups": "unga", "municipalities": "2321|Östersund"},
    {"id": "e2", "name": "Jobbgaranti för ungdomar", "organisation": "af", "target_groups": "unga|nyanlanda", "municipalities": "2380"},
    {"id": "e3", "name": "SFI", "organisation": "ostersund", "target_groups": "nyanlanda", "municipalities": "Östersunds kommun"},
]
PROJECTS = [
    {"id": "p1", "name": "Jobbspår Jämtland", "start": "2015-01-01", "end": "2015-12-31", "status": "active", "target_groups": "nyanlanda"},
    {"id": "p2", "name": "Förstudie funktionsnedsättning", "start": "2013-01-01", "end": "2013-12-31", "status": "ended", "target_groups": "funk"},
]
PARTICIPATIONS = [
    part("p1", "region", "owner", "c1"),
    part("p1", "region", "steering", "c2"),
    part("p1", "krokom", "working", "c3"),
    part("p1", "umea", "benchmark", "c4"),
    part("p2", "region", "owner", "c1"),
    part("p2", "region", "steering", "c2"),
    part("p2", "are", "working", "c5"),
]
AS_OF = "2015-06-30"


def make(participations=PARTICIPATIONS, efforts=EFFORTS, projects=PROJECTS, target_groups=TARGET_GROUPS):
    return package(organisations=ORGS, target_groups=target_groups, efforts=efforts, projects=projects, participations=participations)


def test_municipality_keys():
    assert municipality_key("126") == "0126"  # Excel dropped the leading zero
    assert municipality_key(" 0126") == "0126"
    assert municipality_key("Östersunds  Kommun") == "östersunds"
    assert municipality_key("Stockholms stad") == "stockholms"
    assert municipality_key("") == "" and municipality_key(None) == ""


def test_municipalities_of_the_package():
    table = municipalities(make())
    # Umeå only benchmarks: left out. Swedish order of the names: Krokom, Åre, Östersund.
    assert table.values.tolist() == [["2309", "Krokoms kommun"], ["2321", "Åre kommun"], ["2380", "Östersunds kommun"]]


def test_coverage_matrix_by_hand():
    matrix = coverage_matrix(make(), as_of=AS_OF)
    assert list(matrix.index) == ["unga", "nyanlanda", "funk"]
    assert list(matrix.columns) == ["2309", "2321", "2380"]
    # unga: Åre e1; Östersund e1 (as "Östersund") + e2
    # nyanlända: Krokom takes part in p1 (active, addresses nyanlända); Östersund e2 + e3 ("Östersunds kommun")
    # funk: only p2, which ended 2013
    assert matrix.to_numpy().tolist() == [[0, 1, 2], [1, 0, 2], [0, 0, 0]]
    assert matrix.index.name == "target_group" and matrix.columns.name == "municipality"
    assert matrix.attrs["municipality_names"]["2321"] == "Åre kommun"
    assert matrix.attrs["target_group_names"]["funk"] == "Unga vuxna med funktionsnedsättning"


def test_coverage_matrix_counts_only_what_is_asked():
    assert coverage_matrix(make(), as_of=AS_OF, include=("effort",)).to_numpy().tolist() == [[0, 1, 2], [0, 0, 2], [0, 0, 0]]
    assert coverage_matrix(make(), as_of=AS_OF, include=("project",)).to_numpy().tolist() == [[0, 0, 0], [1, 0, 0], [0, 0, 0]]


def test_a_project_covers_only_while_it_is_active():
    assert coverage_matrix(make(), as_of="2013-06-30").loc["funk"].tolist() == [0, 1, 0]  # p2 with Åre
    assert coverage_matrix(make(), as_of="2013-06-30").loc["nyanlanda", "2309"] == 0  # p1 not started


def test_a_participation_that_has_ended_does_not_cover():
    rows = [dict(r, end="2015-03-31") if r["organisation"] == "krokom" else r for r in PARTICIPATIONS]
    assert coverage_matrix(make(rows), as_of=AS_OF).loc["nyanlanda", "2309"] == 0


def worded(pkg, lang="sv", **options):
    """The white spots with their sentences, as the outputs write them."""
    return white_spots_in_words(white_spots(pkg, **options), pkg, lang)


def test_white_spots_by_hand():
    assert list(white_spots(make(), as_of=AS_OF).columns) == WHITE_SPOT_COLUMNS  # facts: no message, no language
    spots = worded(make(), as_of=AS_OF)
    assert spots[["kind", "target_group", "municipality", "detail"]].values.tolist() == [
        ["target-group-without-project", "unga", "", ""],
        ["target-group-without-project", "funk", "", "p2"],
        ["white-spot", "unga", "2309", ""],
        ["white-spot", "nyanlanda", "2321", ""],
        ["white-spot", "funk", "2309", ""],
        ["white-spot", "funk", "2321", ""],
        ["white-spot", "funk", "2380", ""],
        ["effort-gap", "nyanlanda", "2309", "p1"],
    ]
    first = spots.iloc[2]
    assert (first["target_group_name"], first["municipality_name"]) == ("Unga som varken arbetar eller studerar", "Krokoms kommun")
    assert first["message"] == "Vit fläck: ingen insats och inget aktivt projekt når målgruppen ”Unga som varken arbetar eller studerar” i Krokoms kommun per 2015-06-30."
    assert (
        spots.iloc[1]["message"]
        == "Inget aktivt projekt riktar sig till målgruppen ”Unga vuxna med funktionsnedsättning” per 2015-06-30. Projekt som inte är aktiva då: ”Förstudie funktionsnedsättning”."
    )
    assert spots.iloc[7]["message"] == "Ingen insats i insatskartan når målgruppen ”Nyanlända” i Krokoms kommun; bara projekt gör det per 2015-06-30: ”Jobbspår Jämtland”."


def test_white_spot_cells_are_the_zeros_of_the_coverage_matrix():
    pkg = make()
    matrix = coverage_matrix(pkg, as_of=AS_OF)
    zeros = {(g, k) for g in matrix.index for k in matrix.columns if matrix.loc[g, k] == 0}
    spots = white_spots(pkg, as_of=AS_OF)
    cells = spots[spots["kind"] == "white-spot"]
    assert set(zip(cells["target_group"], cells["municipality"])) == zeros


def test_white_spots_in_english():
    spots = worded(make(), "en", as_of=AS_OF)
    assert spots.iloc[2]["message"] == "White spot: no effort and no active project reaches the target group “Unga som varken arbetar eller studerar” in Krokoms kommun as of 2015-06-30."
    with pytest.raises(UsageError):
        worded(make(), "fi")


def test_effort_gaps_can_be_left_out():
    spots = white_spots(make(), as_of=AS_OF, include_effort_gaps=False)
    assert "effort-gap" not in set(spots["kind"])


def test_target_group_addressed_only_by_projects_with_serious_gaps():
    rows = [r for r in PARTICIPATIONS if not (r["project"] == "p1" and r["role"] == "steering")]  # p1 loses its steering group
    pkg = make(rows)
    spots = worded(pkg, as_of=AS_OF)
    gap = spots[spots["kind"] == "target-group-only-gap-projects"]
    assert gap[["target_group", "detail"]].values.tolist() == [["nyanlanda", "p1"]]
    assert gap.iloc[0]["message"] == "Målgruppen ”Nyanlända” nås per 2015-06-30 bara av projekt med allvarliga brister i ägarskap eller styrning: ”Jobbspår Jämtland”."
    # the same with findings passed in
    findings = ownership_findings(pkg, as_of=AS_OF)
    pd.testing.assert_frame_equal(worded(pkg, as_of=AS_OF, findings=findings), spots)


def test_not_only_gap_projects_when_one_active_project_is_sound():
    p3 = {"id": "p3", "name": "Välkommen till Östersund", "start": "2015-01-01", "status": "active", "target_groups": "nyanlanda"}
    rows = [r for r in PARTICIPATIONS if not (r["project"] == "p1" and r["role"] == "steering")]
    rows += [part("p3", "ostersund", "owner", "c6"), part("p3", "ostersund", "steering", "c6"), part("p3", "af", "steering", "c7")]
    spots = white_spots(make(rows, projects=PROJECTS + [p3]), as_of=AS_OF)
    assert "target-group-only-gap-projects" not in set(spots["kind"])
    assert "target-group-without-project" in set(spots["kind"])  # unga and funk still


def test_without_a_map_of_efforts_no_cell_is_judged():
    spots = white_spots(make(efforts=[]), as_of=AS_OF)
    assert set(spots["kind"]) == {"target-group-without-project"}


def test_as_of_defaults_to_the_latest_date_in_the_data():
    # latest date: p1 ends 2015-12-31; p1 is active on its last day
    assert worded(make()).iloc[2]["message"].endswith("i Krokoms kommun per 2015-12-31.")
    assert coverage_matrix(make()).equals(coverage_matrix(make(), as_of="2015-12-31"))


def test_target_groups_only_named_by_projects_are_included():
    projects = PROJECTS + [{"id": "p4", "name": "Äldre arbetssökande", "start": "2015-01-01", "status": "active", "target_groups": "aldre"}]
    rows = PARTICIPATIONS + [part("p4", "are", "owner", "c5"), part("p4", "are", "steering", "c5")]
    matrix = coverage_matrix(make(rows, projects=projects), as_of=AS_OF)
    assert list(matrix.index) == ["unga", "nyanlanda", "funk", "aldre"]
    assert matrix.loc["aldre"].tolist() == [0, 1, 0]


def test_municipality_names_resolve_to_codes_and_unknown_names_stay_names():
    efforts = [
        {"id": "e1", "name": "Praktik", "organisation": "are", "target_groups": "unga", "municipalities": "Åre|Krokom kommun|Bräcke"},
    ]
    matrix = coverage_matrix(make(efforts=efforts), as_of=AS_OF)
    # "Åre" → 2321 (organisation name without "kommun"), "Krokom kommun" → 2309 ("Krokoms kommun" without
    # the genitive s), "Bräcke" has no organisation: it stays a name of its own
    assert matrix.loc["unga"].to_dict() == {"2309": 1, "2321": 1, "2380": 0, "bräcke": 1}
    assert matrix.attrs["municipality_names"]["bräcke"] == "Bräcke"


def test_ambiguous_names_are_not_resolved():
    orgs = ORGS + [org("are-bolag", "Åre kommun", "municipality", municipality="9999")]
    pkg = package(
        organisations=orgs,
        target_groups=TARGET_GROUPS,
        efforts=[{"id": "e1", "name": "x", "organisation": "are", "target_groups": "unga", "municipalities": "Åre kommun"}],
        projects=[],
        participations=[],
    )
    assert "åre" in coverage_matrix(pkg).columns


def test_kinds_are_documented_in_order():
    from samverkan.text.catalogue import WHITE_SPOT_TEXTS

    assert WHITE_SPOT_KINDS == ("target-group-without-project", "target-group-only-gap-projects", "white-spot", "effort-gap")
    assert WHITE_SPOT_TEXTS["sv"].keys() == WHITE_SPOT_TEXTS["en"].keys()
    assert set(WHITE_SPOT_KINDS) <= set(WHITE_SPOT_TEXTS["sv"])


DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize("name", ["sodertorn-2009", "orebro-2014"])
def test_example_packages_run(name):
    if not (DATA / name).is_dir():
        pytest.skip(f"{name} is not there")
    try:
        pkg = read_package(DATA / name)
    except Exception as exc:  # being written by another engineer
        pytest.skip(f"{name} does not read yet: {exc}")
    matrix = coverage_matrix(pkg)
    spots = white_spots(pkg)
    assert list(spots.columns) == WHITE_SPOT_COLUMNS
    assert set(spots["kind"]) <= set(WHITE_SPOT_KINDS)
    cells = spots[spots["kind"] == "white-spot"]
    zeros = {(g, k) for g in matrix.index for k in matrix.columns if matrix.loc[g, k] == 0} if len(pkg.efforts) else set()
    assert set(zip(cells["target_group"], cells["municipality"])) == zeros


# --- no target group anywhere (as in Horizon 2020): nothing to look for, skipped (issue 16) ------


def test_names_target_groups():
    from samverkan.metrics.white_spots import names_target_groups

    assert names_target_groups(make())
    assert not names_target_groups(make(efforts=[], projects=[{**p, "target_groups": ""} for p in PROJECTS], target_groups=[]))
    assert not names_target_groups(make(efforts=[{**e, "target_groups": " | "} for e in EFFORTS], projects=[{**p, "target_groups": "|"} for p in PROJECTS], target_groups=[]))
    assert names_target_groups(make(efforts=[], projects=[{**p, "target_groups": ""} for p in PROJECTS]))  # the table names them
    assert names_target_groups(make(efforts=[], projects=[PROJECTS[0], {**PROJECTS[1], "target_groups": ""}], target_groups=[]))
    assert names_target_groups(make(projects=[{**p, "target_groups": ""} for p in PROJECTS], target_groups=[]))  # the efforts name them


def test_without_target_groups_the_skipped_work_would_have_found_nothing(monkeypatch):
    from samverkan.metrics import suggestions as sg
    from samverkan.metrics import white_spots as ws

    # municipalities, efforts and projects but no target group: the coverage matrix still lists the municipalities
    pkg = make(efforts=[{**e, "target_groups": ""} for e in EFFORTS], projects=[{**p, "target_groups": ""} for p in PROJECTS], target_groups=[])
    quick = (coverage_matrix(pkg, as_of=AS_OF), white_spots(pkg, as_of=AS_OF), sg.suggestions(pkg, as_of=AS_OF), sg.missing_ties(pkg, as_of=AS_OF))
    assert quick[0].shape == (0, 3) and list(quick[0].columns) == ["2309", "2321", "2380"]  # Krokom, Åre, Östersund (Umeå only benchmarks)
    assert quick[0].attrs["municipality_names"]["2321"] == "Åre kommun" and quick[1].empty and quick[2].empty and quick[3].empty
    monkeypatch.setattr(ws, "names_target_groups", lambda package: True)
    monkeypatch.setattr(sg, "names_target_groups", lambda package: True)
    full = (coverage_matrix(pkg, as_of=AS_OF), white_spots(pkg, as_of=AS_OF), sg.suggestions(pkg, as_of=AS_OF), sg.missing_ties(pkg, as_of=AS_OF))
    for a, b in zip(quick, full):
        pd.testing.assert_frame_equal(a, b)
        assert a.attrs == b.attrs
