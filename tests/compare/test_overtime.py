"""One region at two times: a hand-made pair of snapshots with every number worked out."""

import datetime as dt
import math

import pytest

from samverkan.compare import OverTimeSpec, run_compare
from samverkan.compare.overtime import SUMMARY_COLUMNS, Snapshot, compare_snapshots

from .helpers import make_package

# Organisations a–e. Projects and who takes part (owner first):
#   old1  2014          a (owner), b, c      (e only benchmarks: never a tie)
#   old2  2014-03..06   c (owner), d
#   long  2014-06..2016-06  c (owner), d     (active in both periods)
#   new1  2016          a (owner), b
#   new2  2016-02..     b (owner), c, e
#   new3  2016-03..     d (owner) alone
PROJECTS = [
    {"id": "old1", "start": "2014-01-01", "end": "2014-12-31"},
    {"id": "old2", "start": "2014-03-01", "end": "2014-06-30"},
    {"id": "long", "start": "2014-06-01", "end": "2016-06-30"},
    {"id": "new1", "start": "2016-01-01", "end": "2016-12-31"},
    {"id": "new2", "start": "2016-02-01", "end": "2016-12-31"},
    {"id": "new3", "start": "2016-03-01", "end": "2016-12-31"},
]
ROWS = [
    ("old1", "a", "owner"),
    ("old1", "b", "partner"),
    ("old1", "c", "partner"),
    ("old1", "e", "benchmark"),
    ("old2", "c", "owner"),
    ("old2", "d", "partner"),
    ("long", "c", "owner"),
    ("long", "d", "partner"),
    ("new1", "a", "owner"),
    ("new1", "b", "partner"),
    ("new2", "b", "owner"),
    ("new2", "c", "partner"),
    ("new2", "e", "partner"),
    ("new3", "d", "owner"),
]
PERIOD_1 = (dt.date(2014, 1, 1), dt.date(2014, 12, 31))
PERIOD_2 = (dt.date(2016, 1, 1), dt.date(2016, 12, 31))


def snapshots():
    package = make_package(ROWS, projects=PROJECTS, name="region")
    return Snapshot("2014", package, *PERIOD_1), Snapshot("2016", package, *PERIOD_2)


def test_hand_made_pair_of_snapshots():
    result = compare_snapshots(*snapshots(), region="R")
    s = result.summary
    assert list(s) == SUMMARY_COLUMNS
    # Snapshot 1: old1, old2, long → ties ab, ac, bc, cd (4) among a, b, c, d.
    # Snapshot 2: long, new1, new2, new3 → ties ab, bc, be, ce, cd (5) among a–e.
    assert (s["organisations_1"], s["organisations_2"], s["projects_1"], s["projects_2"]) == (4, 5, 3, 4)
    assert (s["ties_1"], s["ties_2"]) == (4, 5)
    # persisting ab, bc, cd; appearing be, ce; disappearing ac; Jaccard 3 / 6
    assert (s["ties_persisting"], s["ties_appearing"], s["ties_disappearing"]) == (3, 2, 1)
    assert s["jaccard"] == 0.5
    # New projects (active in 2 only): new1, new2, new3; with pairs: new1 (ab), new2 (bc, be, ce).
    # Repeat rates: new1 1/1, new2 1/3 → mean 2/3; pooled (1 + 1) / (1 + 3) = 0.5.
    assert (s["new_projects"], s["new_projects_with_pairs"]) == (3, 2)
    assert s["repeat_rate_mean"] == pytest.approx(2 / 3)
    assert s["repeat_rate_pooled"] == 0.5
    # new1's partners {a, b} were together in old1: same partner set; new2's were not: 1/2.
    assert s["share_same_partner_set"] == 0.5
    assert s["share_all_pairs_repeat"] == 0.5
    # Owners: 2014 {a, c}; 2016 {a, b, c, d}: persisting a, c; new b, d; gone none.
    assert (s["owners_1"], s["owners_2"], s["owners_persisting"], s["owners_new"], s["owners_gone"]) == (2, 4, 2, 2, 0)


def test_the_lists_behind_the_counts():
    result = compare_snapshots(*snapshots(), region="R")
    status = {(r.source, r.target): r.status for r in result.ties.itertuples()}
    assert status == {("a", "b"): "persisting", ("b", "c"): "persisting", ("c", "d"): "persisting", ("b", "e"): "appearing", ("c", "e"): "appearing", ("a", "c"): "disappearing"}
    assert result.ties.iloc[0].source_name == "A"
    cd = result.ties[(result.ties.source == "c") & (result.ties.target == "d")].iloc[0]
    assert (cd.shared_projects_1, cd.shared_projects_2) == (2, 1)  # old2 and long; then long
    projects = result.projects.set_index("project")
    assert projects.loc["new1", "repeat_rate"] == 1.0 and bool(projects.loc["new1", "same_partner_set"])
    assert projects.loc["new2", "repeat_rate"] == pytest.approx(1 / 3)
    assert math.isnan(projects.loc["new3", "repeat_rate"]) and projects.loc["new3", "pairs"] == 0
    owners = dict(zip(result.owners.organisation, result.owners.status))
    assert owners == {"a": "persisting", "c": "persisting", "b": "new", "d": "new"}


def test_as_of_time_points_give_the_same_snapshots_here():
    package = make_package(ROWS, projects=PROJECTS)
    day_1, day_2 = dt.date(2014, 6, 15), dt.date(2016, 6, 15)  # every project of each period is active then
    result = compare_snapshots(Snapshot("1", package, day_1, day_1), Snapshot("2", package, day_2, day_2))
    assert (result.summary["ties_persisting"], result.summary["ties_appearing"], result.summary["ties_disappearing"]) == (3, 2, 1)


def test_two_packages_of_one_region_match_by_id():
    # The 2014 package and the 2016 package of the same region, whole (no window).
    before = make_package([r for r in ROWS if r[0] in ("old1", "old2", "long")], projects=PROJECTS[:3])
    after = make_package([r for r in ROWS if r[0] in ("long", "new1", "new2", "new3")], projects=PROJECTS[2:])
    s = compare_snapshots(Snapshot("2014", before), Snapshot("2016", after)).summary
    assert (s["ties_persisting"], s["ties_appearing"], s["ties_disappearing"], s["new_projects"]) == (3, 2, 1, 3)
    assert s["repeat_rate_pooled"] == 0.5


def test_empty_snapshots_do_not_fail():
    package = make_package(ROWS, projects=PROJECTS)
    s = compare_snapshots(Snapshot("a", package, dt.date(2000, 1, 1), dt.date(2000, 1, 1)), Snapshot("b", package, dt.date(2001, 1, 1), dt.date(2001, 1, 1))).summary
    assert s["ties_1"] == s["ties_2"] == 0 and math.isnan(s["jaccard"]) and math.isnan(s["repeat_rate_mean"])


def test_over_time_in_a_whole_comparison(tmp_path):
    # Two regions split by municipality, followed between the two periods.
    organisations = [{"id": o, "municipality": "M1" if o in "abc" else "M2"} for o in "abcde"]
    package = make_package(ROWS, organisations=organisations, projects=PROJECTS, name="region")
    result = run_compare([package], tmp_path, by="municipality", samples=5, overtime=OverTimeSpec(periods=(PERIOD_1, PERIOD_2), labels=("2014", "2016")))
    assert result.overtime["region"].tolist() == ["M1", "M2"]
    m1 = result.overtime.set_index("region").loc["M1"]
    # within M1 = {a, b, c}: 2014 ab, ac, bc; 2016 ab, bc → persisting 2, disappearing 1
    assert (m1.ties_persisting, m1.ties_appearing, m1.ties_disappearing) == (2, 0, 1)
    for name in ("overtime.csv", "overtime_ties.csv", "overtime_projects.csv", "overtime_owners.csv"):
        assert (tmp_path / name).exists()
    assert "Över tid" in (tmp_path / "index.html").read_text(encoding="utf-8")
