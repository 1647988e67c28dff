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
