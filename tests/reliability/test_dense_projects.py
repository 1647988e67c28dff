"""A programme-wide project (issue 17, item 12) is set aside from the collaboration graph, said so.

A project with 3,000 partners would add 4.5 million ties one by one; above
``DENSE_PROJECT_PARTNERS`` its clique is left out of the projection, the project stays in
projects.csv and a note in the outputs names it.
"""

from __future__ import annotations

import pandas as pd
import reliability_kit as kit

from samverkan.analysis import AnalysisOptions, analyse
from samverkan.graph.projection import DENSE_PROJECT_PARTNERS, project_organisations
from samverkan.io.package import read_package


def _with_programme(partners: int):
    package = read_package(kit.SODERTORN)
    organisations = package.organisations
    new = pd.DataFrame({c: [""] * partners for c in organisations.columns})
    new["id"] = [f"org-{k}" for k in range(partners)]
    new["name"] = [f"Organisation {k}" for k in range(partners)]
    new["type"] = "business"
    package.tables["organisations"] = pd.concat([organisations, new], ignore_index=True)
    row = package.projects.iloc[[0]].copy()
    row["id"], row["name"] = "programme", "Programme-wide"
    package.tables["projects"] = pd.concat([package.projects, row], ignore_index=True)
    part = package.participations
    rows = pd.DataFrame({c: [""] * partners for c in part.columns})
    rows["project"], rows["organisation"], rows["role"] = "programme", new["id"], "partner"
    # two organisations of the package take part too: their other ties must stay as they were
    rows.loc[0, "organisation"], rows.loc[1, "organisation"] = organisations["id"].iloc[0], organisations["id"].iloc[1]
    package.tables["participations"] = pd.concat([part, rows], ignore_index=True)
    return package


def test_a_project_of_3000_partners_is_set_aside_and_named():
    plain = project_organisations(read_package(kit.SODERTORN))
    package = _with_programme(3000)
    graph = project_organisations(package)
    assert graph.m == plain.m  # the 4.5 million ties of the clique are not built; the others are as before
    assert graph.edges[["source", "target", "shared_projects"]].reset_index(drop=True).equals(plain.edges[["source", "target", "shared_projects"]].reset_index(drop=True))
    assert graph.projects.loc[graph.projects["id"] == "programme", "dense"].item()
    result = analyse(package, AnalysisOptions(lang="en"))
    assert any("Programme-wide" in note and str(DENSE_PROJECT_PARTNERS) in note for note in result.notes)
    assert "programme" in set(result.projects["id"]) if "id" in result.projects.columns else True


def test_a_project_at_the_limit_is_projected():
    graph = project_organisations(_with_programme(DENSE_PROJECT_PARTNERS))  # exactly the limit: projected
    n = DENSE_PROJECT_PARTNERS
    assert graph.m >= n * (n - 1) // 2


def _with_programme_and_contacts(partners: int):
    """The programme of :func:`_with_programme` with one contact person per partner on its rows."""
    package = _with_programme(partners)
    contacts = package.contacts
    new = pd.DataFrame({c: [""] * partners for c in contacts.columns})
    new["id"] = [f"person-{k}" for k in range(partners)]
    new["name"] = [f"Person {k}" for k in range(partners)]
    part = package.participations
    programme = part["project"] == "programme"
    new["organisation"] = part.loc[programme, "organisation"].to_numpy()
    package.tables["contacts"] = pd.concat([contacts, new], ignore_index=True)
    part.loc[programme, "contact"] = new["id"].to_numpy()
    return package


def test_the_contacts_of_a_dense_project_are_set_aside_and_named():
    from samverkan.graph.multimode import contact_graph

    plain = contact_graph(read_package(kit.SODERTORN))
    package = _with_programme_and_contacts(3000)
    ties = contact_graph(package)
    assert len(ties) == len(plain)  # not 4.5 million contact pairs
    assert ties.attrs["dense_projects"] == {"programme": 3000}
    result = analyse(package, AnalysisOptions(lang="sv"))
    assert len(result.contact_ties) == len(plain)
    assert any("kontaktpersoner" in note and "Programme-wide" in note for note in result.notes)


def test_analyse_of_a_3000_partner_project_with_contacts_finishes_and_says_so(tmp_path):
    """A real run (hang guard 120 s: it used to run out of time and memory): outputs, the notes,
    and a network page small enough to open."""
    import json

    from samverkan.io.package import write_package

    folder = write_package(_with_programme_and_contacts(3000), tmp_path / "programme")
    result = kit.run_cli("analyse", folder, "-o", tmp_path / "ut", "-q", "--lang", "en", timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads((tmp_path / "ut" / "summary.json").read_text(encoding="utf-8"))
    notes = " ".join(summary["notes"])
    assert "Programme-wide" in notes and "contacts of the project" in notes and "set aside from the collaboration network" in notes
    network = tmp_path / "ut" / "network.html"
    assert network.exists() and network.stat().st_size < 15_000_000, network.stat().st_size
    report = tmp_path / "ut" / "index.html"
    assert report.stat().st_size < 30_000_000 and "Programme-wide" in report.read_text(encoding="utf-8")
