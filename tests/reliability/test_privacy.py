"""Personal data: contacts are personal data under the GDPR (docs/data-format.md, "Personal data").

* With ``--pseudonymise`` no contact name or e-mail address of contacts.csv appears in any output
  file: CSV, JSON, GraphML/GEXF, SVG, HTML (also inside the report's embedded page), and the text
  and XML of every Excel workbook. Pseudonyms are stable (two runs give identical tables), and the
  report and summary.json say pseudonymisation was used.
* Without it, the shared views and the report (HTML) never show an e-mail address.

The package is Södertörn 2009 with made-up personal names and addresses planted on every contact
(``reliability_kit.build_hostile_package``).
"""

from __future__ import annotations


import lxml.html

import reliability_kit as kit
from samverkan.io.package import read_package
from samverkan.privacy import pseudonymise_package


def _leaks(folder, needles, suffixes=None):
    found = {}
    for path in kit.visible_files(folder):
        if suffixes and path.suffix.lower() not in suffixes:
            continue
        text = kit.searchable_text(path)
        hits = sorted({n for n in needles if n in text})
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


def test_pseudonymised_outputs_hold_no_contact_name_or_email(hostile, pseudonymised_runs):
    first, _ = pseudonymised_runs
    names = [name for name, _ in hostile["persons"]]
    files = kit.visible_files(first.output)
    assert {p.suffix for p in files} >= {".csv", ".json", ".xlsx", ".html"}, [p.name for p in files]
    assert not _leaks(first.output, names + hostile["emails"])


def test_pseudonymised_tables_are_stable_across_runs(pseudonymised_runs):
    first, second = pseudonymised_runs
    compared = 0
    for path in kit.visible_files(second.output):
        if path.suffix in (".csv", ".json"):
            other = first.output / path.relative_to(second.output)
            assert other.read_bytes() == path.read_bytes(), f"{path.name} differs between two pseudonymised runs"
            compared += 1
    assert compared >= 5


def test_pseudonyms_are_stable_and_keep_references():
    package = read_package(kit.SODERTORN)
    a, b = pseudonymise_package(package), pseudonymise_package(package)
    for name in package.tables:
        assert a.tables[name].equals(b.tables[name]), name
    contacts = set(a.contacts["id"])
    assert {c for c in a.participations["contact"] if c} <= contacts, "a participation lost its contact"
    assert not set(package.contacts["id"]) & contacts, "original contact ids survive pseudonymisation"
    assert not set(package.contacts["name"]) & set(a.contacts["name"])
    assert not any(a.contacts["email"])


def test_the_report_says_pseudonymisation_was_used(pseudonymised_runs):
    first, _ = pseudonymised_runs
    assert kit.json_load(first.output / "summary.json")["pseudonymised"] is True
    report = first.output / "index.html"
    assert report.is_file()
    text = lxml.html.fromstring(report.read_text(encoding="utf-8")).text_content().lower()
    assert "pseudonym" in text, "index.html does not tell the reader that contacts were pseudonymised"


def test_the_report_without_pseudonymisation_does_not_claim_it(hostile_run):
    assert kit.json_load(hostile_run.output / "summary.json")["pseudonymised"] is False


def test_views_and_report_never_show_an_email(hostile, hostile_run):
    """Without --pseudonymise: no e-mail address of contacts.csv in any HTML page (nor in its
    embedded pages and scripts), nor in the static figure."""
    html_files = [p for p in kit.visible_files(hostile_run.output) if p.suffix in (".html", ".svg")]
    assert {p.name for p in html_files} >= {"index.html", "network.html"}, [p.name for p in html_files]
    assert not _leaks(hostile_run.output, hostile["emails"], suffixes={".html", ".svg"})


def test_the_example_packages_show_no_email_in_html(reference_runs):
    emails = [e for e in read_package(kit.SODERTORN).contacts["email"] if e]
    assert emails, "the example has e-mail addresses to look for"
    assert not _leaks(reference_runs[0].output, emails, suffixes={".html", ".svg"})


def test_shared_exports_hold_no_email(hostile, hostile_run):
    """Graph exports and the summary are made to be passed on (Gephi, colleagues): no e-mail either."""
    leaks = _leaks(hostile_run.output, hostile["emails"], suffixes={".graphml", ".gexf", ".json"})
    assert not leaks


def test_comparison_pages_never_show_an_email(hostile, hostile_compare):
    assert not _leaks(hostile_compare.output, hostile["emails"], suffixes={".html", ".svg"})


def test_pseudonymised_outputs_hold_no_contact_repeated_in_another_table(tmp_path, analysis_ready):
    from samverkan.io.package import write_package

    folder = tmp_path / "paket"
    planted = kit.build_hostile_package(folder)
    package = read_package(folder)
    (name, email), (other_name, other_email) = planted["persons"][:2]
    package.tables["organisations"]["kontaktperson"] = name
    package.tables["organisations"]["kontakt e-post"] = other_email
    write_package(package, folder)
    out = tmp_path / "ut"
    result = kit.invoke("analyse", folder, "-o", out, "-q", "--pseudonymise")
    kit.assert_clean_exit(result, allowed=(0,))
    assert not _leaks(out, [name, email, other_name, other_email])
