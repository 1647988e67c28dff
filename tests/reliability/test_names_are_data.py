"""Names are data (issue 17, items 5, 6, 8, 10, 16, 17): never commands, never substrings.

* ``--pseudonymise`` replaces contacts where they are referenced, not text equal to a name.
* Names and values printed to the terminal cannot set its title or clear its screen.
"""

from __future__ import annotations

import pandas as pd

import reliability_kit as kit
from samverkan.io.package import read_package, write_package
from samverkan.privacy import pseudonymise_package
from samverkan.terminal import escape

TALLY = "names are data"


def test_a_contact_named_like_a_place_does_not_rewrite_the_place():
    package = read_package(kit.OREBRO)
    contacts = package.contacts.copy()
    contacts.loc[contacts.index[0], "name"] = "Örebro"
    package.tables["contacts"] = contacts
    regions_before = package.organisations["region"].tolist()
    names_before = package.organisations["name"].tolist()
    assert any("Örebro" in str(n) for n in names_before)
    out = pseudonymise_package(package)
    assert out.organisations["region"].tolist() == regions_before
    assert out.organisations["name"].tolist() == names_before
    assert "Örebro" not in set(out.contacts["name"])


def test_a_contact_in_a_person_column_is_replaced_by_identity():
    package = read_package(kit.SODERTORN)
    name, email = package.contacts["name"].iloc[0], "anna.andersson@example.se"
    contacts = package.contacts.copy()
    contacts.loc[contacts.index[0], "email"] = email
    package.tables["contacts"] = contacts
    organisations = package.organisations.copy()
    organisations["kontaktperson"] = name
    organisations["anteckning"] = f"ring {email} eller {name}s kollega"  # free text: only the address goes
    package.tables["organisations"] = organisations
    out = pseudonymise_package(package)
    assert name not in set(out.organisations["kontaktperson"])
    assert all(email not in v for v in out.organisations["anteckning"])
    assert all(f"{name}s kollega" in v for v in out.organisations["anteckning"])


def test_control_characters_are_escaped():
    hostile = "Örebro\x1b]0;pwned\x07\x1b[2J\u202e\x9b"
    shown = escape(hostile)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown and "\x9b" not in shown
    assert shown.startswith("Örebro\\x1b]0;pwned\\x07") and escape("a\nb\tc") == "a\nb\tc"


def test_validate_prints_hostile_values_escaped(tmp_path):
    folder = kit.copy_package(kit.SODERTORN, tmp_path / "pkg")
    package = read_package(folder)
    organisations = package.organisations.copy()
    organisations.loc[organisations.index[0], "type"] = "\x1b]0;pwned\x07\x1b[2J"
    package.tables["organisations"] = organisations
    write_package(package, folder)
    with kit.case(TALLY):
        result = kit.invoke("validate", folder)
        kit.assert_clean_exit(result)
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_the_ego_name_is_printed_escaped(analysis_ready):
    with kit.case(TALLY, timeout=120):
        result = kit.invoke("view", kit.SODERTORN, "--ego", "\x1b]0;pwned\x07nobody", "-o", "/nonexistent-dir-for-test/x.html")
        kit.assert_clean_exit(result, allowed=(2,))
    assert "\x1b" not in result.output and "\x07" not in result.output
