"""Names are data (issue 17, items 5, 6, 8, 10, 16, 17): never commands, never substrings.

* ``--pseudonymise`` replaces contacts where they are referenced, not text equal to a name.
* Names and values printed to the terminal cannot set its title or clear its screen.
"""

from __future__ import annotations

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


def _package_with(tmp_path, change):
    folder = kit.copy_package(kit.SODERTORN, tmp_path / "pkg")
    package = read_package(folder)
    change(package)
    write_package(package, folder)
    return folder


def test_nfc_and_nfd_ids_are_one_organisation_with_a_note(tmp_path):
    import unicodedata

    from samverkan.io.package import validate_package

    def change(package):
        old = package.organisations["id"].iloc[0]
        organisations = package.organisations.copy()
        organisations.loc[organisations.index[0], "id"] = "örebro-kommun"
        package.tables["organisations"] = organisations
        participations = package.participations.copy()
        participations["organisation"] = participations["organisation"].replace(old, unicodedata.normalize("NFD", "örebro-kommun"))
        package.tables["participations"] = participations

    folder = _package_with(tmp_path, change)
    package, problems = validate_package(folder)
    assert package is not None, [str(p) for p in problems if p.is_error]
    assert any(p.code == "unicode-form" for p in problems), sorted({p.code for p in problems})
    assert "örebro-kommun" in set(package.participations["organisation"])


def test_a_bar_in_an_id_is_refused(tmp_path):
    from samverkan.io.package import validate_package

    def change(package):
        projects = package.projects.copy()
        old = projects["id"].iloc[0]
        projects.loc[projects.index[0], "id"] = "p|1"
        package.tables["projects"] = projects
        participations = package.participations.copy()
        participations["project"] = participations["project"].replace(old, "p|1")
        package.tables["participations"] = participations

    package, problems = validate_package(_package_with(tmp_path, change))
    assert package is None and any(p.code == "bad-id" and p.value == "p|1" for p in problems)


def test_alias_cycles_are_refused_naming_both_lines(tmp_path):
    table = tmp_path / "flat.csv"
    table.write_text("project,organisation,role\nP1,Org A,lead\nP1,Org B,partner\n", encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[project]\nid = "project"\n[organisation]\nname = "organisation"\n[participation]\nrole = "role"\n[aliases]\n"Org A" = "Org B"\n"Org B" = "Org A"\n', encoding="utf-8")
    with kit.case(TALLY):
        result = kit.invoke("import", table, "--map", mapping, "-o", tmp_path / "pkg")
        kit.assert_clean_exit(result, allowed=(1,))
    assert "map.toml:8" in result.output and "map.toml:9" in result.output and "circle" in result.output
    assert not (tmp_path / "pkg").exists()


def test_group_values_named_like_the_column(tmp_path, analysis_ready):
    import csv

    for value in ("region", "index"):

        def change(package, value=value):
            organisations = package.organisations.copy()
            organisations.loc[organisations.index[:3], "region"] = value
            package.tables["organisations"] = organisations

        folder = _package_with(tmp_path / value, change)
        with kit.case(TALLY, timeout=120):
            result = kit.invoke("analyse", folder, "-o", tmp_path / value / "out", "--group-by", "region", "--no-views", "-q")
            kit.assert_clean_exit(result, allowed=(0,))
        with open(tmp_path / value / "out" / "block_density.csv", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        groups = [row[0] for row in rows[1:]]
        assert rows[0][1:] == groups, "the square is not square: a column shifted"
        assert value in groups


def test_absurd_weights_and_negative_budgets_are_errors(tmp_path):
    from samverkan.io.package import validate_package

    def change(package):
        ties = package.ties.copy()
        ties.loc[ties.index[0], "weight"] = 1e308
        package.tables["ties"] = ties
        projects = package.projects.copy()
        projects.loc[projects.index[0], "budget"] = -5
        package.tables["projects"] = projects

    package, problems = validate_package(_package_with(tmp_path, change))
    codes = {p.code for p in problems if p.is_error}
    assert package is None and {"bad-weight", "bad-budget"} <= codes


def test_a_fifo_or_folder_named_like_a_table_is_an_error(tmp_path):
    import os

    from samverkan.io.package import validate_package

    for kind in ("fifo", "folder"):
        folder = kit.copy_package(kit.SODERTORN, tmp_path / kind)
        (folder / "ties.csv").unlink()
        if kind == "fifo":
            os.mkfifo(folder / "ties.csv")
        else:
            (folder / "ties.csv").mkdir()
        package, problems = validate_package(folder)
        assert package is None and any(p.code == "not-a-file" for p in problems)


def test_quiet_is_quiet(tmp_path, analysis_ready):
    import warnings

    from samverkan.io import output

    real = output.write_csv

    def noisy(*args, **kwargs):
        warnings.warn("Glyph 128512 missing from font(s) DejaVu Sans.", UserWarning, stacklevel=2)
        return real(*args, **kwargs)

    import sys

    from samverkan import analysis

    original = analysis.write_csv
    analysis.write_csv = noisy
    with warnings.catch_warnings():  # shown as a terminal would show them (pytest records them otherwise)
        warnings.simplefilter("always")
        warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: sys.stderr.write(warnings.formatwarning(message, category, filename, lineno))
        result = _invoke_restoring(analysis, original, tmp_path)
    kit.assert_clean_exit(result, allowed=(0,))
    assert "Glyph" not in result.output and "Warning" not in result.output


def _invoke_restoring(analysis, original, tmp_path):
    try:
        return kit.invoke("analyse", kit.SODERTORN, "-o", tmp_path / "out", "-q", "--no-views")
    finally:
        analysis.write_csv = original
