"""Regions: splitting one package, several packages, and the links between regions, checked by hand."""

import pytest

from samverkan.compare.regions import inter_region, regions_from_packages, split_package
from samverkan.errors import UsageError

from .helpers import example_paths, make_package


def split_example():
    # a, b (X) and f ("x ", the same region spelt otherwise); c, d (Y); e has no region.
    #   p1: a, b, c    p2: c, d    p3: a, e    p4: f alone    p5: b, d (and g benchmarking, Y)
    organisations = [
        {"id": "a", "region": "X"},
        {"id": "b", "region": "X"},
        {"id": "c", "region": "Y"},
        {"id": "d", "region": "Y"},
        {"id": "e", "region": ""},
        {"id": "f", "region": "x "},
        {"id": "g", "region": "Y"},
    ]
    rows = [
        ("p1", "a", "owner"),
        ("p1", "b", "partner"),
        ("p1", "c", "partner"),
        ("p2", "c", "owner"),
        ("p2", "d", "partner"),
        ("p3", "a", "owner"),
        ("p3", "e", "partner"),
        ("p4", "f", "owner"),
        ("p5", "b", "owner"),
        ("p5", "d", "partner"),
        ("p5", "g", "benchmark"),
    ]
    return make_package(rows, organisations=organisations)


def test_split_by_attribute_builds_each_regions_sub_network():
    regions = split_package(split_example(), "region")
    assert regions.labels == ["X", "Y"]  # "x " is X after trimming and case-folding; most common spelling names it
    x, y = regions.regions
    assert sorted(x.members) == ["a", "b", "f"] and sorted(y.members) == ["c", "d", "g"]
    # X: participations of a, b, f only; projects with at least one of them (p1 keeps only a and b)
    assert sorted(x.package.projects["id"]) == ["p1", "p3", "p4", "p5"]
    assert sorted(map(tuple, x.package.participations[["project", "organisation"]].values.tolist())) == [("p1", "a"), ("p1", "b"), ("p3", "a"), ("p4", "f"), ("p5", "b")]
    assert sorted(y.package.projects["id"]) == ["p1", "p2", "p5"]
    assert x.whole is not None and len(x.whole.projects) == 5  # ownership is judged on whole projects
    assert any("'X', 'x'" in n for n in regions.notes)
    assert any("1 organisation(s) have no value" in n for n in regions.notes)


def test_inter_region_links_by_hand():
    links = inter_region(split_package(split_example(), "region"))
    # X–Y pairs sharing a project: p1 (a, c), (b, c); p5 (b, d). g only benchmarks, e has no region.
    assert len(links.links) == 1
    link = links.links.iloc[0]
    assert (link.region_a, link.region_b) == ("X", "Y")
    assert link.shared_projects == 2  # p1, p5
    assert link.organisation_pairs == 3
    assert (link.organisations_a, link.organisations_b) == (2, 2)  # {a, b}, {c, d}
    assert link.shared_organisations == 0
    # partners on the other side: b {c, d}, c {a, b}: 2 each; a {c}, d {b}: 1 each; ties by name
    assert link.bridging_organisations == "B (2); C (2); A (1)"
    per = links.per_region.set_index("region")
    assert per.loc["X", "outside_share"] == pytest.approx(2 / 3)  # a, b of a, b, f
    assert per.loc["Y", "outside_share"] == pytest.approx(2 / 3)  # c, d of c, d, g (g only benchmarks)
    assert per.loc["X", "linked_regions"] == 1 and per.loc["Y", "outside_organisations"] == 2


def test_select_keeps_other_regions_as_elsewhere():
    regions = split_package(split_example(), "region", select=["y"])
    assert regions.labels == ["Y"]
    links = inter_region(regions)
    assert links.links.iloc[0][["region_a", "region_b"]].tolist() == ["Y", "X"]  # compared regions first
    assert links.per_region.iloc[0]["outside_share"] == pytest.approx(2 / 3)
    with pytest.raises(UsageError, match="no organisation has region = 'Z'"):
        split_package(split_example(), "region", select=["Z"])


def test_split_column_names_and_errors():
    pkg = split_example()
    pkg.tables["organisations"]["nuts2"] = ["SE11", "SE11", "SE12", "SE12", "", "SE11", "SE12"]
    assert split_package(pkg, "NUTS2").by == "nuts2"
    assert split_package(pkg, "län").by == "region"  # Swedish name of the region column
    assert split_package(pkg, "nuts2", labels={"SE11": "Stockholm"}).labels == ["SE12", "Stockholm"]
    with pytest.raises(UsageError, match="cannot split by 'nuts3'.*use one of type, level, municipality, region, nuts2"):
        split_package(pkg, "nuts3")
    pkg.tables["organisations"]["empty"] = ""
    with pytest.raises(UsageError, match="no organisation has a value in 'empty'"):
        split_package(pkg, "empty")


def two_packages():
    # A lists a and s; B lists s and b (s is of both). q1 = {a, s} in A, q2 = {s, b} in B,
    # q3 = {s} alone in A: present in both regions through s, but with no pair of different organisations.
    a = make_package([("q1", "a", "owner"), ("q1", "s", "partner"), ("q3", "s", "owner")], name="A")
    b = make_package([("q2", "s", "owner"), ("q2", "b", "partner")], name="B")
    return a, b


def test_packages_as_regions_with_a_shared_organisation():
    regions = regions_from_packages(list(two_packages()))
    assert regions.labels == ["A", "B"]
    assert any("1 organisation(s) are in more than one package" in n for n in regions.notes)
    # s is in both packages, but q1 is only A's project and q2 only B's: no project is joint,
    # so there is no link and nobody works outside their region (issue 12)
    assert inter_region(regions).links.empty
    per = inter_region(regions).per_region.set_index("region")
    assert per.loc["A", "outside_share"] == 0.0 and per.loc["B", "outside_share"] == 0.0


def test_packages_are_linked_by_the_same_project_id():
    # q1 is listed in both packages: a (only A) and b (only B) take part in it, so A and B share one project
    a = make_package([("q1", "a", "owner"), ("q3", "s", "owner")], name="A")
    b = make_package([("q1", "b", "partner"), ("q2", "s", "owner"), ("q2", "b", "partner")], name="B")
    regions = regions_from_packages([a, b])
    link = inter_region(regions).links.iloc[0]
    assert (link.region_a, link.region_b, link.shared_projects, link.organisation_pairs) == ("A", "B", 1, 1)
    per = inter_region(regions).per_region.set_index("region")
    assert per.loc["A", "outside_share"] == 0.5 and per.loc["B", "outside_share"] == 0.5  # a of {a, s}; b of {s, b}
    assert ((per["outside_share"] >= 0) & (per["outside_share"] <= 1)).all()


def test_package_labels_and_errors():
    a, b = two_packages()
    assert regions_from_packages([a, b], labels=["Norr", "Syd"]).labels == ["Norr", "Syd"]
    with pytest.raises(UsageError, match="both named 'A'"):
        regions_from_packages([a, a])
    with pytest.raises(UsageError, match="1 labels for 2 packages"):
        regions_from_packages([a, b], labels=["x"])
    with pytest.raises(UsageError, match="no such package"):
        regions_from_packages(["/no/such/folder"])


def test_time_window_limits_the_links():
    # p1 (2014) links X and Y; p2 (2020) links them again. As of 2016 neither is active.
    organisations = [{"id": "a", "region": "X"}, {"id": "c", "region": "Y"}]
    rows = [("p1", "a", "owner"), ("p1", "c", "partner"), ("p2", "a", "owner"), ("p2", "c", "partner")]
    projects = [{"id": "p1", "start": "2014-01-01", "end": "2014-12-31"}, {"id": "p2", "start": "2020-01-01", "end": "2020-12-31"}]
    regions = split_package(make_package(rows, organisations=organisations, projects=projects), "region")
    assert inter_region(regions).links.iloc[0].shared_projects == 2
    assert inter_region(regions, start="2014-06-01", end="2014-06-01").links.iloc[0].shared_projects == 1
    assert inter_region(regions, start="2016-06-01", end="2016-06-01").links.empty


def test_bundled_examples_share_no_project():
    # Arbetsförmedlingen is in both example packages, but no project id is: no joint project
    regions = regions_from_packages(example_paths())
    assert inter_region(regions).links.empty
