"""Pseudonymised contacts: no name, e-mail or personal id survives; pseudonyms are stable."""

from pathlib import Path

from samverkan.io.package import read_package
from samverkan.privacy import pseudonymise_package

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "sodertorn-2009"


def test_pseudonyms_replace_names_emails_and_ids_and_are_stable():
    package = read_package(EXAMPLE)
    first = pseudonymise_package(package)
    second = pseudonymise_package(read_package(EXAMPLE))
    assert first.contacts.equals(second.contacts)
    assert (first.contacts["email"] == "").all()
    assert not set(first.contacts["name"]) & set(package.contacts["name"])
    assert not set(first.contacts["id"]) & set(package.contacts["id"])
    # participations point at the new ids, and every named contact is still there
    named = first.participations["contact"][first.participations["contact"] != ""]
    assert set(named) <= set(first.contacts["id"])
    assert (first.participations["contact"] != "").sum() == (package.participations["contact"] != "").sum()
    # role and organisation stay
    assert first.contacts["organisation"].tolist() == package.contacts["organisation"].tolist()
    # the input package is untouched
    assert package.contacts["name"].iloc[0] == read_package(EXAMPLE).contacts["name"].iloc[0]


def test_english_pseudonyms():
    package = pseudonymise_package(read_package(EXAMPLE), lang="en")
    assert package.contacts["name"].str.contains(r"\(contact \d+\)").all()
