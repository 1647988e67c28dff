"""Ownership rules: for each rule a tiny package where it fires and one where it must not."""

from pathlib import Path

import pandas as pd
import pytest

from samverkan.errors import UsageError
from samverkan.text.catalogue import finding_messages, findings_in_words
from samverkan.io.package import read_package
from samverkan.metrics.ownership import (
    DEFAULT_THRESHOLDS,
    FINDING_COLUMNS,
    PROJECT_TABLE_COLUMNS,
    RULES,
    SEVERITIES,
    OwnershipThresholds,
    active_projects,
    default_as_of,
    ownership_findings,
    project_frame,
    project_table,
)

from .graphs_density import org, package, part

ORGS = [
    org("region", "Region Örebro län", "region"),
    org("orebro", "Örebro kommun", "municipality", municipality="1880"),
    org("af", "Arbetsförmedlingen", "state_agency"),
    org("lst", "Länsstyrelsen Örebro län", "county_admin_board"),
    org("ostsam", "Regionförbundet Östsam", "region"),
]
CONTACTS = [
    {"id": "c-agare", "name": "Regiondirektör, Region Örebro län", "organisation": "region"},
    {"id": "c-styr", "name": "Utvecklingsdirektör, Region Örebro län", "organisation": "region"},
    {"id": "c-pl", "name": "Projektledare, Region Örebro län", "organisation": "region"},
    {"id": "c-orebro-chef", "name": "Arbetsmarknadschef, Örebro kommun", "organisation": "orebro"},
    {"id": "c-orebro", "name": "Enhetschef, Örebro kommun", "organisation": "orebro"},
    {"id": "c-af", "name": "Samverkansansvarig, Arbetsförmedlingen", "organisation": "af"},
    {"id": "c-ostsam", "name": "Samordnare, Östsam", "organisation": "ostsam"},
]
P1 = {"id": "p1", "name": "Förstudie kompetensförsörjning i Örebro län", "start": "2014-03-01", "status": "active"}


def well_run():
    """Owner in the steering group, implementers in it, contacts everywhere: no finding."""
    return [
        part("p1", "region", "owner", "c-agare"),
        part("p1", "region", "steering", "c-styr"),
        part("p1", "orebro", "steering", "c-orebro-chef"),
        part("p1", "region", "lead", "c-pl"),
        part("p1", "orebro", "working", "c-orebro"),
        part("p1", "ostsam", "benchmark", "c-ostsam"),
    ]


def make(participations=None, projects=None, **tables):
    return package(organisations=ORGS, contacts=CONTACTS, projects=projects or [P1], participations=well_run() if participations is None else participations, **tables)


def rules(pkg, **options):
    f = ownership_findings(pkg, **options)
    return [(p, r) for p, r in zip(f["project"], f["rule"])]


def worded(pkg, lang="sv", **options):
    """The findings with their sentences, as the outputs write them."""
    return findings_in_words(ownership_findings(pkg, **options), pkg, lang)


def finding(pkg, rule, project=None, lang="sv", **options):
    f = worded(pkg, lang, **options)
    rows = f[(f["rule"] == rule) & ((f["project"] == project) if project is not None else True)]
    assert len(rows) == 1, f.to_string()
    return rows.iloc[0]


def without(rows, **match):
    return [r for r in rows if not all(r.get(k) == v for k, v in match.items())]


def test_a_well_run_project_has_no_findings():
    f = ownership_findings(make())
    assert list(f.columns) == FINDING_COLUMNS
    assert f.empty


def test_every_rule_has_a_severity_and_texts():
    from samverkan.text.catalogue import FINDING_TEXTS

    assert set(SEVERITIES) == set(RULES)
    assert set(SEVERITIES.values()) <= {"error", "warning", "info"}
    assert FINDING_TEXTS["sv"].keys() == FINDING_TEXTS["en"].keys()


# --- no-owner / owner-from-parent / multiple-owners -------------------------------------------


def test_no_owner_fires():
    row = finding(make(without(well_run(), role="owner")), "no-owner")
    assert (row["severity"], row["project"], row["organisations"]) == ("error", "p1", "")
    assert row["message"] == "”Förstudie kompetensförsörjning i Örebro län” saknar projektägare: ingen organisation har rollen projektägare."
    assert row["project_name"] == P1["name"]


def test_no_owner_in_english():
    row = finding(make(without(well_run(), role="owner")), "no-owner", lang="en")
    assert row["message"] == "“Förstudie kompetensförsörjning i Örebro län” has no owner: no organisation holds the owner role."


def test_benchmarking_owner_does_not_count():
    rows = without(well_run(), role="owner") + [part("p1", "ostsam", "owner", "c-ostsam")]
    thresholds = OwnershipThresholds(excluded_roles=("benchmark",))
    assert ("p1", "no-owner") not in rules(make(rows), thresholds=thresholds)
    # but an organisation that only benchmarks is never an owner: drop Östsam's owner row's role to benchmark
    assert ("p1", "no-owner") in rules(make(without(well_run(), role="owner")))


SUB = {"id": "p1-a", "name": "Delprojekt: Kartläggning av målgrupper", "start": "2014-04-01", "parent": "p1", "status": "active"}
SUBSUB = {"id": "p1-a-i", "name": "Delaktivitet: Enkät till skolor i Åsbro", "start": "2014-05-01", "parent": "p1-a", "status": "active"}


def test_sub_project_inherits_owner_and_steering_from_its_parent():
    rows = well_run() + [part("p1-a", "region", "lead", "c-pl"), part("p1-a", "orebro", "working", "c-orebro")]
    pkg = make(rows, projects=[P1, SUB])
    assert rules(pkg) == [("p1-a", "owner-from-parent"), ("p1-a", "steering-from-parent")]
    row = finding(pkg, "owner-from-parent")
    assert row["severity"] == "info" and row["organisations"] == "region"
    assert (
        row["message"]
        == "Delprojektet ”Delprojekt: Kartläggning av målgrupper” har ingen egen projektägare; ägarskapet ligger hos huvudprojektet ”Förstudie kompetensförsörjning i Örebro län” (Region Örebro län)."
    )


def test_grandchild_inherits_from_the_nearest_ancestor_with_the_role():
    rows = well_run() + [part("p1-a", "orebro", "owner", "c-orebro-chef"), part("p1-a", "orebro", "working", "c-orebro"), part("p1-a-i", "orebro", "working", "c-orebro")]
    pkg = make(rows, projects=[P1, SUB, SUBSUB])
    owner = finding(pkg, "owner-from-parent", "p1-a-i")
    assert owner["organisations"] == "orebro"  # from p1-a, not from p1
    steering = finding(pkg, "steering-from-parent", "p1-a-i")
    assert steering["organisations"] == "region|orebro"  # p1-a has none, so p1's


def test_without_inheritance_sub_projects_need_their_own_roles():
    rows = well_run() + [part("p1-a", "region", "lead", "c-pl"), part("p1-a", "orebro", "working", "c-orebro")]
    found = rules(make(rows, projects=[P1, SUB]), thresholds=OwnershipThresholds(inherit_from_parent=False))
    assert ("p1-a", "no-owner") in found and ("p1-a", "no-steering-group") in found
    assert ("p1-a", "owner-from-parent") not in found


def test_no_owner_anywhere_in_the_family():
    rows = without(well_run(), role="owner") + [part("p1-a", "orebro", "working", "c-orebro")]
    row = finding(make(rows, projects=[P1, SUB]), "no-owner", "p1-a")
    assert row["message"].endswith("varken i projektet eller i huvudprojektet.")


def test_multiple_owners_fires():
    row = finding(make(well_run() + [part("p1", "af", "owner", "c-af"), part("p1", "af", "steering", "c-af")]), "multiple-owners")
    assert (row["severity"], row["organisations"]) == ("warning", "region|af")
    assert "2 projektägare (Region Örebro län och Arbetsförmedlingen)" in row["message"]


def test_one_owner_with_two_owner_rows_is_not_multiple():
    assert rules(make(well_run() + [part("p1", "region", "owner", "c-styr")])) == []


# --- steering ---------------------------------------------------------------------------------


def test_no_steering_group_fires():
    row = finding(make(without(well_run(), role="steering")), "no-steering-group")
    assert (row["severity"], row["organisations"]) == ("error", "")
    assert row["message"] == "”Förstudie kompetensförsörjning i Örebro län” har ingen styrgrupp."


def test_sub_project_covered_by_parent_steering_gets_no_no_steering_group():
    rows = well_run() + [part("p1-a", "region", "owner", "c-agare"), part("p1-a", "orebro", "working", "c-orebro")]
    found = rules(make(rows, projects=[P1, SUB]))
    assert ("p1-a", "no-steering-group") not in found
    assert ("p1-a", "steering-from-parent") in found


def test_owner_not_in_steering_fires():
    rows = without(well_run(), role="steering", organisation="region")
    row = finding(make(rows), "owner-not-in-steering")
    assert (row["severity"], row["organisations"]) == ("warning", "region")
    assert row["message"] == "Projektägaren Region Örebro län sitter inte i styrgruppen för ”Förstudie kompetensförsörjning i Örebro län”."


def test_owner_not_in_steering_needs_a_steering_group():
    found = rules(make(without(well_run(), role="steering")))
    assert ("p1", "owner-not-in-steering") not in found and ("p1", "implementers-outside-steering") not in found


def test_owner_not_in_steering_is_reported_once_for_a_family():
    rows = without(well_run(), role="steering", organisation="region") + [part("p1-a", "orebro", "working", "c-orebro")]
    found = rules(make(rows, projects=[P1, SUB]))
    assert ("p1", "owner-not-in-steering") in found
    assert ("p1-a", "owner-not-in-steering") not in found  # owner and steering both inherited


def test_sub_project_owner_outside_the_inherited_steering_group():
    rows = well_run() + [part("p1-a", "af", "owner", "c-af")]
    row = finding(make(rows, projects=[P1, SUB]), "owner-not-in-steering", "p1-a")
    assert row["organisations"] == "af"
    assert row["message"].endswith("(huvudprojektets styrgrupp, ”Förstudie kompetensförsörjning i Örebro län”).")


def test_implementers_outside_steering_fires():
    row = finding(make(well_run() + [part("p1", "af", "working", "c-af"), part("p1", "lst", "working", "")]), "implementers-outside-steering")
    assert row["organisations"] == "af|lst"
    # implementers: region (lead), orebro, af, lst (working) = 4; outside: af, lst
    assert (
        row["message"]
        == "2 av 4 organisationer som genomför ”Förstudie kompetensförsörjning i Örebro län” (projektledning eller projektgrupp) sitter inte i styrgruppen: Arbetsförmedlingen och Länsstyrelsen Örebro län."
    )


def test_implementers_outside_steering_threshold():
    rows = well_run() + [part("p1", "af", "working", "c-af")]
    assert ("p1", "implementers-outside-steering") in rules(make(rows))
    assert rules(make(rows), thresholds=OwnershipThresholds(implementers_outside_min=2)) == []
    # a partner (not an implementer role) outside the steering group is fine
    assert rules(make(well_run() + [part("p1", "af", "partner", "c-af")])) == []


# --- contacts and key persons -----------------------------------------------------------------


def test_role_without_contact_fires():
    rows = [dict(r, contact="") if r["role"] in ("owner", "steering") and r["organisation"] == "region" else r for r in well_run()]
    row = finding(make(rows), "role-without-contact")
    assert (row["severity"], row["organisations"]) == ("info", "region")
    assert row["message"] == "Ingen kontaktperson är angiven för projektägare Region Örebro län; styrgrupp Region Örebro län i ”Förstudie kompetensförsörjning i Örebro län”."


def test_role_without_contact_not_for_working_roles_or_when_another_row_names_one():
    rows = [dict(r, contact="") if r["role"] == "working" else r for r in well_run()]
    assert rules(make(rows)) == []
    assert rules(make(well_run() + [part("p1", "region", "owner", "")])) == []


def test_role_without_contact_lists_roles_in_order_and_organisations_as_they_appear():
    # rows out of order: the items follow contact_roles (owner, lead, steering), the organisations
    # of one role the order of their first row; the organisations column lists them in the order
    # of the items, each once
    rows = [
        part("p1", "orebro", "steering", ""),
        part("p1", "region", "steering", ""),
        part("p1", "region", "owner", ""),
        part("p1", "af", "lead", ""),
        part("p1", "ostsam", "working", "c-ostsam"),
    ]
    row = finding(make(rows), "role-without-contact")
    assert row["organisations"] == "region|af|orebro"
    assert row["message"] == (
        "Ingen kontaktperson är angiven för projektägare Region Örebro län; projektledning Arbetsförmedlingen; "
        "styrgrupp Örebro kommun och Region Örebro län i ”Förstudie kompetensförsörjning i Örebro län”."
    )
    thresholds = OwnershipThresholds(contact_roles=("steering", "owner"))
    message = finding(make(rows), "role-without-contact", thresholds=thresholds, lang="en")["message"]
    assert message == "No contact person is given for steering group Örebro kommun and Region Örebro län; owner Region Örebro län in “Förstudie kompetensförsörjning i Örebro län”."


def test_key_person_across_projects_fires():
    p2 = {"id": "p2", "name": "Jobbspår för unga i Örebro", "start": "2014-06-01", "status": "active"}
    rows = (
        well_run()
        + [part("p1", "af", "working", "c-af")]
        + [part("p2", "orebro", "owner", "c-orebro-chef"), part("p2", "orebro", "steering", "c-orebro-chef"), part("p2", "af", "steering", "c-af"), part("p2", "af", "working", "c-af")]
    )
    f = worded(make(rows, projects=[P1, p2]))
    key = f[f["rule"] == "key-person-dependency"]
    assert key[["project", "organisations"]].values.tolist() == [["", "af"]]
    assert key.iloc[0]["message"] == (
        "Alla 3 deltaganden för Arbetsförmedlingen i 2 projekt (”Förstudie kompetensförsörjning i Örebro län” och ”Jobbspår för unga i Örebro”) "
        "bärs av samma kontaktperson, Samverkansansvarig, Arbetsförmedlingen; organisationens medverkan hänger på en person."
    )
    assert f.iloc[0]["rule"] == "key-person-dependency"  # findings about no single project come first
    # with a threshold of 3 projects it does not fire
    assert "key-person-dependency" not in set(ownership_findings(make(rows, projects=[P1, p2]), thresholds=OwnershipThresholds(key_person_min_projects=3))["rule"])


def test_key_person_not_when_an_organisation_has_two_contacts_or_one_project():
    p2 = {"id": "p2", "name": "Jobbspår", "start": "2014-06-01", "status": "active"}
    rows = well_run() + [part("p1", "af", "working", "c-af"), part("p2", "af", "owner", "c-af"), part("p2", "af", "steering", ""), part("p2", "orebro", "steering", "c-orebro-chef")]
    assert "key-person-dependency" not in set(ownership_findings(make(rows, projects=[P1, p2]))["rule"])  # one of af's rows has no contact
    assert "key-person-dependency" not in set(ownership_findings(make(well_run() + [part("p1", "af", "working", "c-af")]))["rule"])


def one_person_region():
    # the project leader also represents the owner and sits in the steering group
    return [
        part("p1", "region", "owner", "c-pl"),
        part("p1", "region", "steering", "c-pl"),
        part("p1", "orebro", "steering", "c-orebro-chef"),
        part("p1", "region", "lead", "c-pl"),
        part("p1", "orebro", "working", "c-orebro"),
        part("p1", "ostsam", "benchmark", "c-ostsam"),
    ]


def test_key_person_in_a_project_fires():
    # 5 participations (benchmarking not counted), 3 carried by the project leader: 3 > 0.5 · 5
    f = worded(make(one_person_region()))
    key = f[f["rule"] == "key-person-dependency"]
    assert key[["project", "organisations"]].values.tolist() == [["p1", "region"]]
    assert key.iloc[0]["message"] == "Projektledare, Region Örebro län står för 3 av 5 deltaganden i ”Förstudie kompetensförsörjning i Örebro län”; projektet hänger på en person."


def test_key_person_in_a_project_not_at_exactly_half_or_in_small_projects():
    half = one_person_region() + [part("p1", "af", "working", "c-af")]  # 3 of 6 is not more than half
    assert "key-person-dependency" not in set(ownership_findings(make(half))["rule"])
    small = [part("p1", "region", "owner", "c-pl"), part("p1", "region", "steering", "c-pl")]  # 2 participations < 3
    assert "key-person-dependency" not in set(ownership_findings(make(small))["rule"])
    assert "key-person-dependency" not in set(ownership_findings(make(one_person_region()), thresholds=OwnershipThresholds(key_person_min_participations=6))["rule"])


def test_findings_with_equal_keys_keep_the_order_they_were_found_in():
    # with a share of 0.3 both contacts carry 1 of 3 participations, both for the region: two
    # findings with the same project, rule and organisations, in the order of the contacts' first rows
    rows = [part("p1", "region", "owner", "c-agare"), part("p1", "region", "steering", "c-styr"), part("p1", "orebro", "working", "")]
    thresholds = OwnershipThresholds(key_person_project_share=0.3)
    for order in (rows, [rows[1], rows[0], rows[2]]):
        f = worded(make(order), thresholds=thresholds)
        key = f[f["rule"] == "key-person-dependency"]
        assert key["organisations"].tolist() == ["region", "region"]
        names = [CONTACTS[[c["id"] for c in CONTACTS].index(r["contact"])]["name"] for r in order[:2]]
        assert [m.split(" står för ")[0] for m in key["message"]] == names


# --- single organisation ----------------------------------------------------------------------


def test_single_organisation_project_fires():
    rows = [part("p1", "region", "owner", "c-agare"), part("p1", "region", "steering", "c-styr"), part("p1", "ostsam", "benchmark", "c-ostsam")]
    row = finding(make(rows), "single-organisation-project")
    assert (row["severity"], row["organisations"]) == ("warning", "region")  # benchmarking does not count
    assert row["message"] == "Bara en organisation (Region Örebro län) deltar i ”Förstudie kompetensförsörjning i Örebro län” (omvärldsbevakning oräknad); projektet är inget samarbete."


def test_project_without_participations():
    found = rules(make([]))
    assert found == [("p1", "no-owner"), ("p1", "no-steering-group"), ("p1", "single-organisation-project")]
    assert "Ingen organisation deltar" in finding(make([]), "single-organisation-project")["message"]


# --- ended without receiver -------------------------------------------------------------------

ENDED = dict(P1, end="2014-09-30", status="ended")


def test_ended_without_receiver_fires():
    row = finding(make(projects=[ENDED]), "ended-without-receiver")
    assert (row["severity"], row["organisations"]) == ("warning", "region|orebro")
    assert row["message"] == (
        "”Förstudie kompetensförsörjning i Örebro län” är avslutat (slutdatum 2014-09-30) och ingen av dess ägare eller "
        "styrgruppsorganisationer (Region Örebro län och Örebro kommun) äger eller styr något senare eller pågående projekt, "
        "så långt uppgifterna visar; det syns inte vem som tar hand om resultaten."
    )


def test_results_taken_up_by_a_later_project():
    later = {"id": "p2", "name": "Genomförandeprojekt: Unga till jobb", "start": "2015-01-01", "status": "planned"}
    rows = well_run() + [part("p2", "orebro", "owner", "c-orebro-chef"), part("p2", "af", "steering", "c-af"), part("p2", "orebro", "steering", "c-orebro-chef")]
    assert ("p1", "ended-without-receiver") not in rules(make(rows, projects=[ENDED, later]))


def test_results_taken_up_by_an_ongoing_project_that_started_earlier():
    ongoing = {"id": "p0", "name": "Regional samverkan kring unga", "start": "2012-01-01", "status": "active"}
    rows = well_run() + [part("p0", "region", "steering", "c-styr"), part("p0", "af", "owner", "c-af")]
    assert ("p1", "ended-without-receiver") not in rules(make(rows, projects=[ENDED, ongoing]))


def test_an_earlier_ended_project_or_a_working_role_is_no_receiver():
    earlier = {"id": "p0", "name": "Tidigare förstudie", "start": "2012-01-01", "end": "2012-12-31", "status": "ended"}
    later = {"id": "p2", "name": "Senare projekt", "start": "2015-01-01"}
    rows = well_run() + [part("p0", "region", "owner", "c-agare"), part("p2", "orebro", "working", "c-orebro"), part("p2", "ostsam", "owner", "c-ostsam"), part("p2", "region", "benchmark", "c-pl")]
    found = rules(make(rows, projects=[earlier, ENDED, later]))
    assert ("p1", "ended-without-receiver") in found


def test_an_equally_late_start_in_another_family_and_in_the_own_family():
    # The region's latest start, 2014-06-01, is both in p1's family (its sub-project) and in p2:
    # p2 still starts after p1 (2014-03-01), so p1's results have a receiver. For p2 the latest
    # start elsewhere is not later than its own, but p1's family ends later (2014-09-30).
    sub = {"id": "p1-a", "name": "Delprojekt", "start": "2014-06-01", "end": "2014-06-30", "parent": "p1", "status": "ended"}
    p2 = {"id": "p2", "name": "Annat projekt", "start": "2014-06-01", "end": "2014-06-30", "status": "ended"}
    rows = well_run() + [part("p1-a", "region", "owner", "c-agare"), part("p2", "region", "owner", "c-agare")]
    found = rules(make(rows, projects=[ENDED, sub, p2]))
    assert ("p1", "ended-without-receiver") not in found and ("p2", "ended-without-receiver") not in found
    # the same dates in two families and nothing else: neither is a receiver of the other
    twin = dict(ENDED, id="p2", name="Tvilling")
    rows = well_run() + [part("p2", "region", "owner", "c-agare")]
    found = rules(make(rows, projects=[ENDED, twin]))
    assert ("p1", "ended-without-receiver") in found and ("p2", "ended-without-receiver") in found


def test_own_sub_projects_are_no_receivers_and_are_not_judged_themselves():
    sub = {"id": "p1-a", "name": "Delprojekt: Spridning", "start": "2014-09-01", "end": "2014-09-30", "parent": "p1", "status": "ended"}
    rows = well_run() + [part("p1-a", "region", "owner", "c-agare"), part("p1-a", "orebro", "working", "c-orebro")]
    found = rules(make(rows, projects=[ENDED, sub]))
    assert ("p1", "ended-without-receiver") in found
    assert ("p1-a", "ended-without-receiver") not in found


def test_ended_by_date_before_as_of_and_cancelled_projects():
    by_date = dict(P1, end="2014-09-30", status="")
    assert ("p1", "ended-without-receiver") in rules(make(projects=[by_date]), as_of="2014-12-31")
    assert ("p1", "ended-without-receiver") not in rules(make(projects=[by_date]), as_of="2014-06-30")
    cancelled = dict(P1, end="2014-09-30", status="cancelled")
    assert ("p1", "ended-without-receiver") not in rules(make(projects=[cancelled]), as_of="2014-12-31")


def test_ended_without_owner_or_steering():
    rows = [part("p1", "orebro", "working", "c-orebro"), part("p1", "af", "working", "c-af")]
    row = finding(make(rows, projects=[dict(P1, status="ended")]), "ended-without-receiver")
    assert row["organisations"] == ""
    assert (
        row["message"]
        == "”Förstudie kompetensförsörjning i Örebro län” är avslutat (status avslutat) och har varken projektägare eller styrgrupp som kan ta hand om resultaten, så långt uppgifterna visar."
    )


# --- as_of, ordering, options -----------------------------------------------------------------


def test_as_of_defaults_to_the_latest_date_in_the_data_not_the_clock():
    projects = [dict(P1, end="2014-09-30", status=""), {"id": "p2", "name": "Senare", "start": "2014-10-01", "end": "2014-12-31"}]
    rows = well_run() + [part("p2", "af", "owner", "c-af"), part("p2", "af", "steering", "c-af", end="2015-02-28")]
    pkg = make(rows, projects=projects)
    assert default_as_of(pkg) == pd.Timestamp("2015-02-28")  # a participation's end date counts too
    assert ("p1", "ended-without-receiver") in rules(pkg)  # ended 2014-09-30 < 2015-02-28
    assert default_as_of(package()) is None


def test_findings_are_sorted_by_project_then_rule_and_deterministic():
    projects = [{"id": "b", "name": "Bävern"}, {"id": "a", "name": "Älgen"}]
    pkg = make([part("b", "orebro", "working", "")], projects=projects)
    f = ownership_findings(pkg)
    assert list(zip(f["project"], f["rule"])) == [
        ("a", "no-owner"),
        ("a", "no-steering-group"),
        ("a", "single-organisation-project"),
        ("b", "no-owner"),
        ("b", "no-steering-group"),
        ("b", "single-organisation-project"),
    ]
    pd.testing.assert_frame_equal(f, ownership_findings(pkg))


def test_severities_can_be_overridden():
    pkg = make(without(well_run(), role="steering"))
    assert finding(pkg, "no-steering-group", severities={"no-steering-group": "warning"})["severity"] == "warning"
    with pytest.raises(ValueError, match="no-such-rule"):
        ownership_findings(pkg, severities={"no-such-rule": "error"})


def test_unknown_language():
    with pytest.raises(UsageError, match="Unknown language"):
        finding_messages(ownership_findings(make(without(well_run(), role="owner"))), make(), "de")


def test_findings_are_facts_without_words():
    f = ownership_findings(make(without(well_run(), role="owner")))
    row = f[f["rule"] == "no-owner"].iloc[0]
    assert row["facts"] == {"text": "no-owner", "in_parents": False}
    assert "message" not in f.columns


def test_thresholds_are_frozen():
    with pytest.raises(AttributeError):
        DEFAULT_THRESHOLDS.key_person_min_projects = 5


def test_active_projects():
    projects = project_frame(
        package(
            projects=[
                {"id": "dated", "name": "a", "start": "2014-01-01", "end": "2014-12-31", "status": "ended"},
                {"id": "open", "name": "b", "start": "2014-01-01"},
                {"id": "future", "name": "c", "start": "2015-01-01", "status": "planned"},
                {"id": "undated-active", "name": "d", "status": "active"},
                {"id": "undated-ended", "name": "e", "status": "ended"},
                {"id": "started-ended", "name": "f", "start": "2014-01-01", "status": "ended"},
                {"id": "cancelled", "name": "g", "start": "2014-01-01", "status": "cancelled"},
            ]
        )
    )
    active = active_projects(projects, pd.Timestamp("2014-06-30"))
    assert active.to_dict() == {"dated": True, "open": True, "future": False, "undated-active": True, "undated-ended": False, "started-ended": False, "cancelled": False}


# --- project table ----------------------------------------------------------------------------


def test_project_table():
    rows = well_run() + [part("p1-a", "orebro", "working", "c-orebro")]
    pkg = make(rows, projects=[P1, SUB])
    f = ownership_findings(pkg)
    table = project_table(pkg, f)
    assert list(table.columns) == PROJECT_TABLE_COLUMNS
    p1 = table.iloc[0]
    assert (p1["id"], p1["organisations"], p1["owners"], p1["owner_names"], p1["leads"], p1["steering"], p1["working"], p1["findings"], p1["worst_severity"]) == (
        "p1",
        2,
        "region",
        "Region Örebro län",
        "region",
        2,
        1,
        0,
        "",
    )  # 2 organisations: Östsam only benchmarks
    sub = table.iloc[1]
    # p1-a: owner-from-parent (info), steering-from-parent (info), single-organisation-project (warning)
    assert (sub["parent"], sub["organisations"], sub["owners"], sub["findings"], sub["worst_severity"]) == ("p1", 1, "", 3, "warning")
    assert project_table(pkg)["findings"].tolist() == [0, 0]


# --- the example packages (whatever their exact contents) -------------------------------------

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize("name", ["sodertorn-2009", "orebro-2014"])
def test_example_packages_run(name):
    if not (DATA / name).is_dir():
        pytest.skip(f"{name} is not there")
    try:
        pkg = read_package(DATA / name)
    except Exception as exc:  # being written by another engineer
        pytest.skip(f"{name} does not read yet: {exc}")
    for lang in ("sv", "en"):
        facts = ownership_findings(pkg)
        assert list(facts.columns) == FINDING_COLUMNS
        f = findings_in_words(facts, pkg, lang)
        assert set(f["rule"]) <= set(RULES)
        assert f["message"].str.len().gt(0).all()
    table = project_table(pkg, f)
    assert len(table) == len(pkg.projects)
    assert table["findings"].sum() == (f["project"] != "").sum()


def test_every_rule_is_one_registered_function():
    from samverkan.metrics import ownership

    registered = [code for codes in ownership._RULE_FUNCTIONS for code in codes]
    assert sorted(registered) == sorted(RULES)


def test_runs_of_equal_keys():
    import numpy as np

    from samverkan.metrics.ownership import _runs

    starts, ends = _runs(np.array([4, 4, 2, 2, 2, 7]), np.array([0, 1, 1, 1, 1, 1]))
    assert (starts.tolist(), ends.tolist()) == ([0, 1, 2, 5], [1, 2, 5, 6])
    assert [a.tolist() for a in _runs(np.array([3]))] == [[0], [1]]
    assert [a.tolist() for a in _runs(np.array([], dtype=int))] == [[], []]


def test_text_columns_are_stripped_and_empty_where_missing():
    from samverkan.metrics.ownership import text_column

    frame = pd.DataFrame({"all_text": [" a ", "b", ""], "mixed": [" a ", None, float("nan")], "numbers": [7, 8.5, pd.NA]}, dtype=object)
    assert text_column(frame, "all_text").tolist() == ["a", "b", ""]
    assert text_column(frame, "mixed").tolist() == ["a", "", ""]
    assert text_column(frame, "numbers").tolist() == ["7", "8.5", ""]
    assert text_column(frame, "absent").tolist() == ["", "", ""]


def test_a_cycle_of_parents_ends_instead_of_looping():
    # the reader rejects such packages; the rules must still finish
    projects = [{"id": "a", "name": "A", "parent": "b"}, {"id": "b", "name": "B", "parent": "a"}]
    found = rules(make([part("a", "orebro", "working", "c-orebro")], projects=projects))
    assert ("a", "no-owner") in found and ("b", "no-owner") in found
    assert project_frame(make([], projects=projects))["root"].to_dict() == {"a": "a", "b": "b"}


# --- partners listed in part (projects.partial) -------------------------------------------------


def test_gaps_an_unlisted_partner_may_fill_are_info_on_partial_projects():
    # p1 lists only some partners (as Interreg lists only the Swedish ones); p2 lists all
    partial = {**P1, "partial": True}
    full = {"id": "p2", "name": "Hela listan", "start": "2014-03-01", "status": "active"}
    rows = [r for r in well_run() if r["role"] not in ("owner", "steering")] + [part("p2", "region", "working", "c-agare")]
    f = worded(make(rows, projects=[partial, full]), "en")
    on_partial = f[f["project"] == "p1"].set_index("rule")
    on_full = f[f["project"] == "p2"].set_index("rule")
    for rule in ("no-owner", "no-steering-group"):
        assert on_partial.loc[rule, "severity"] == "info"
        assert on_partial.loc[rule, "message"].endswith("Only some of the project's partners are listed, so what is missing may lie with one that is not.")
        assert on_full.loc[rule, "severity"] == "error"
        assert "Only some" not in on_full.loc[rule, "message"]
    assert on_full.loc["single-organisation-project", "severity"] == "warning"
    assert (
        worded(make(rows, projects=[partial, full]), "sv")
        .query("project == 'p1' and rule == 'no-owner'")["message"]
        .iloc[0]
        .endswith("Bara en del av projektets partner finns i underlaget, så det som saknas kan finnas hos någon som inte är med.")
    )


# --- reading the participations once (issue 16) -------------------------------------------------


def test_participation_rows_read_any_value_as_text_columns_do():
    import numpy as np

    from samverkan.metrics.ownership import _sorted_codes, participation_rows, text_column

    raw = pd.DataFrame(
        {
            "project": [" p1", "p1", None, "p2", 1, 1.0, True, pd.NaT, "p1"],
            "organisation": ["a", "a ", "b", "", "c", "d", "e", "f", "a"],
            "contact": [None, float("nan"), "", "x", "y", "y", "y", "y", ""],
            "role": ["owner", "owner", "owner", "lead", "lead", "lead", "lead", "lead", "benchmark"],
        },
        dtype=object,
    )
    projects = pd.DataFrame(index=pd.Index(["p1", "p2", "1", "1.0", "True", "NaT"], name="id"))
    text = pd.DataFrame({c: text_column(raw, c) for c in raw.columns})  # the definition: text as text_column reads it
    expected = text[text["project"].isin(projects.index) & (text["organisation"] != "") & (text["role"] != "benchmark")].drop_duplicates().reset_index(drop=True)
    got = participation_rows(raw, projects, ("benchmark",))
    assert got.to_dict("list") == expected.to_dict("list") and list(got.columns) == list(expected.columns)
    assert got["project"].tolist() == ["p1", "1", "1.0", "True", "NaT"]  # 1, 1.0 and True stay three ids
    assert participation_rows(raw.iloc[:0], projects, ("benchmark",)).empty
    for values in (np.array(["b", "a", "b", "c", "a"], dtype=object), np.array([], dtype=object), np.array(["b", 1, "a"], dtype=object)):
        codes, distinct = _sorted_codes(values)
        expected_codes, expected_distinct = pd.factorize(values, sort=True)
        assert codes.tolist() == expected_codes.tolist() and list(distinct) == list(expected_distinct)


def test_project_table_reuses_what_ownership_findings_read_only_for_the_same_tables():
    from samverkan.metrics.ownership import _shared, keep_tables

    rows = well_run() + [part("p1-a", "orebro", "working", "c-orebro")]
    pkg = make(rows, projects=[P1, SUB])
    f = ownership_findings(pkg)
    assert _shared(f, pkg, DEFAULT_THRESHOLDS.excluded_roles) is not None
    assert _shared(f.copy(), pkg, DEFAULT_THRESHOLDS.excluded_roles) is None
    reused, read_again = project_table(pkg, f), project_table(pkg, f.copy())
    pd.testing.assert_frame_equal(reused, read_again)
    noted = keep_tables(pd.concat([f, f.iloc[:1]], ignore_index=True), f)  # the findings plus a note
    assert _shared(noted, pkg, DEFAULT_THRESHOLDS.excluded_roles) is not None
    pd.testing.assert_frame_equal(project_table(pkg, noted), project_table(pkg, noted.copy()))
    # another package (other tables), or other roles left out: read again
    other = make(rows + [part("p1-a", "af", "owner", "c-af")], projects=[P1, SUB])
    assert _shared(f, other, DEFAULT_THRESHOLDS.excluded_roles) is None
    assert project_table(other, f).loc[1, "owners"] == "af"
    everyone = OwnershipThresholds(excluded_roles=())
    assert _shared(f, pkg, everyone.excluded_roles) is None
    assert project_table(pkg, f, thresholds=everyone).loc[0, "organisations"] == 3  # Östsam's benchmarking counts now
