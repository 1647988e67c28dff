"""Who could close a white spot, and missing ties, on a tiny package worked out by hand."""

from pathlib import Path

import pytest

from samverkan.io.package import read_package
from samverkan.metrics.suggestions import (
    MISSING_TIE_COLUMNS,
    REASONS,
    SUGGESTION_COLUMNS,
    missing_ties,
    served_cells,
    suggestions,
)

from .graphs_density import org, package, part

ROOT = Path(__file__).resolve().parents[2]

# Three municipalities (A 0001, B 0002, C 0003), two target groups (unga, nya).
ORGS = [
    org("a", "A kommun", "municipality", municipality="0001"),
    org("b", "B kommun", "municipality", municipality="0002"),
    org("c", "C kommun", "municipality", municipality="0003"),
    org("af", "Arbetsförmedlingen", "state_agency"),
    org("ngo", "Föreningen", "civil_society", municipality="0003"),
    org("x", "X", "other"),
    org("y", "Y", "other"),
]
EFFORTS = [
    {"id": "e1", "name": "Unga i A", "organisation": "a", "target_groups": "unga", "municipalities": "0001"},
    {"id": "e2", "name": "Unga i A och B", "organisation": "af", "target_groups": "unga", "municipalities": "0001|0002"},
    {"id": "e3", "name": "Nya i C", "organisation": "ngo", "target_groups": "nya", "municipalities": "0003"},
    {"id": "e4", "name": "Nya i A, B, C", "organisation": "c", "target_groups": "nya", "municipalities": "0001|0002|0003"},
    {"id": "e5", "name": "Unga i B", "organisation": "x", "target_groups": "unga", "municipalities": "0002"},
    {"id": "e6", "name": "Unga i B", "organisation": "y", "target_groups": "unga", "municipalities": "0002"},
]
TARGET_GROUPS = [{"id": "unga", "name": "Unga"}, {"id": "nya", "name": "Nyanlända"}]
PROJECTS = [{"id": "p", "name": "P", "start": "2020-01-01", "end": "2020-12-31", "target_groups": ""}]
PARTICIPATIONS = [part("p", "a", "owner"), part("p", "b", "working")]


def make(participations=PARTICIPATIONS):
    return package(organisations=ORGS, efforts=EFFORTS, target_groups=TARGET_GROUPS, projects=PROJECTS, participations=participations)


def test_served_cells():
    cells, _ = served_cells(make())
    assert set(map(tuple, cells[["organisation", "target_group", "municipality"]].values)) == {
        ("a", "unga", "0001"),
        ("af", "unga", "0001"),
        ("af", "unga", "0002"),
        ("ngo", "nya", "0003"),
        ("c", "nya", "0001"),
        ("c", "nya", "0002"),
        ("c", "nya", "0003"),
        ("x", "unga", "0002"),
        ("y", "unga", "0002"),
    }


def test_suggestions_for_the_one_white_spot_by_hand():
    # cells: unga × C (0003) is covered by nobody: the only white spot; nya is covered everywhere by c.
    table = suggestions(make())
    assert list(table.columns) == SUGGESTION_COLUMNS
    assert set(table["reason"]) <= set(REASONS)
    assert set(zip(table["target_group"], table["municipality"])) == {("unga", "0003")}
    rows = {r.organisation: (r.reason, r.score) for r in table.itertuples()}
    # af offers unga in 2 of 3 places, not in C: 2 + 2/3; a and x, y offer unga in one place: 2 + 1/3
    assert rows["af"] == ("serves-group-elsewhere", pytest.approx(2 + 2 / 3))
    # c and ngo are present in C (own municipality, efforts there) and serve other groups: 1 + 0
    assert rows["c"] == ("present-in-municipality", pytest.approx(1.0))
    assert len(table) == 5  # a, x, y tie at 2 + 1/3 and all fit; c and ngo tie at 1: 'C kommun' before 'Föreningen'
    assert table["organisation"].tolist() == ["af", "a", "x", "y", "c"]


def test_at_most_per_spot():
    assert len(suggestions(make(), per_spot=2)) == 2


def test_missing_ties_by_hand():
    # x and y both serve only (unga, 0002): overlap 1; af serves (unga, 0001), (unga, 0002): with x 1/2.
    # a and b share project p, but they serve no common cell anyway.
    table = missing_ties(make())
    assert list(table.columns) == MISSING_TIE_COLUMNS
    first = table.iloc[0]
    assert (first["organisation_a"], first["organisation_b"], first["overlap"], first["shared"]) == ("x", "y", 1.0, 1)
    assert (first["target_groups"], first["municipalities"]) == ("unga", "0002")
    pairs = {(r.organisation_a, r.organisation_b): r.overlap for r in table.itertuples()}
    assert pairs[("af", "x")] == pytest.approx(0.5)
    assert pairs[("a", "af")] == pytest.approx(0.5)  # (unga, 0001) of a's one and af's two
    assert pairs[("c", "ngo")] == pytest.approx(1 / 3)


def test_a_shared_project_or_a_tie_removes_the_pair():
    tied = make(participations=PARTICIPATIONS + [part("p", "x", "working"), part("p", "y", "working")])
    assert ("x", "y") not in set(zip(missing_ties(tied)["organisation_a"], missing_ties(tied)["organisation_b"]))


def test_the_regions():
    for region in ("sodertorn-2009", "orebro-2014"):
        table = suggestions(read_package(ROOT / "data" / region))
        assert len(table) and table.groupby(["target_group", "municipality"]).size().max() <= 5
