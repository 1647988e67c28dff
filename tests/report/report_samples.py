"""Samples for the report tests: a small analysis result built by hand, so the tests do not
depend on the metrics modules.

The figures are invented but consistent enough to read: six organisations in three projects of
"Testregionen", one of them with a hostile name (markup, a closing script tag and an e-mail
address), so every test sees untrusted text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from samverkan.analysis import AnalysisOptions, AnalysisResult
from samverkan.graph.projection import CollaborationGraph
from samverkan.io.package import empty_package

SCREENSHOTS = Path(__file__).resolve().parents[2] / "reports" / "screenshots"

XSS_NAME = "<img src=x onerror=alert(1)>Farlig AB</script><script>alert(2)</script>"
XSS_PROJECT = 'Projekt "Ö" <b>fet</b> & \u2028 kontakt: anna.svensson@example.se'
EMAIL = "anna.svensson@example.se"


def _organisations(extra: int = 0) -> pd.DataFrame:
    rows = [
        ("huddinge", "Huddinge kommun", "municipality", "local", "0126"),
        ("haninge", "Haninge kommun", "municipality", "local", "0136"),
        ("af", "Arbetsförmedlingen", "state_agency", "national", ""),
        ("lst", "Länsstyrelsen i Stockholms län", "county_admin_board", "regional", ""),
        ("evil", XSS_NAME, "business", "local", "0126"),
        ("ideell", "Ideella föreningen Örat", "ngo", "local", "0136"),
    ]
    rows += [(f"org{k:04d}", f"Organisation {k:04d}", "other", "local", "") for k in range(extra)]
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "type": [r[2] for r in rows],
            "level": [r[3] for r in rows],
            "municipality": [r[4] for r in rows],
            "region": ["Stockholms län"] * len(rows),
            "parent": [""] * len(rows),
            "aliases": [""] * len(rows),
        }
    )


def build_result(lang: str = "sv", *, extra_organisations: int = 0, extra_projects: int = 0, pseudonymise: bool = False) -> AnalysisResult:
    package = empty_package("Testregionen")
    orgs = _organisations(extra_organisations)
    projects = pd.DataFrame(
        {
            "id": ["intro", "kartlaggning", "evilproj"] + [f"p{k:04d}" for k in range(extra_projects)],
            "name": ["Introduktion Södertörn", "Kartläggning av insatser", XSS_PROJECT] + [f"Projekt {k:04d}" for k in range(extra_projects)],
            "region": "Södertörn",
            "start": pd.to_datetime(["2009-03-01", "2009-03-01", "2010-01-15"] + ["2011-01-01"] * extra_projects),
            "end": pd.to_datetime(["2010-12-31", "2009-09-30", None] + [None] * extra_projects),
            "budget": np.nan,
            "funder": "",
            "status": ["ended", "ended", "active"] + ["active"] * extra_projects,
            "target_groups": ["nyanlanda|foretag", "nyanlanda", "foretag"] + [""] * extra_projects,
            "parent": ["", "intro", ""] + [""] * extra_projects,
        }
    )
    participations = pd.DataFrame(
        [
            ("intro", "huddinge", "c1", "owner"),
            ("intro", "huddinge", "c1", "lead"),
            ("intro", "lst", "", "funder"),
            ("intro", "haninge", "", "working"),
            ("intro", "af", "", "working"),
            ("intro", "evil", "", "reference"),
            ("kartlaggning", "huddinge", "c1", "working"),
            ("kartlaggning", "af", "", "working"),
            ("evilproj", "evil", "", "owner"),
            ("evilproj", "ideell", "", "partner"),
            ("evilproj", "haninge", "", "benchmark"),
        ]
        + [(f"p{k:04d}", "huddinge", "", "owner") for k in range(extra_projects)],
        columns=["project", "organisation", "contact", "role"],
    )
    participations["start"] = pd.NaT
    participations["end"] = pd.NaT
    package.tables["organisations"] = orgs
    package.tables["projects"] = projects
    package.tables["participations"] = participations
    package.tables["target_groups"] = pd.DataFrame({"id": ["nyanlanda", "foretag"], "name": ["Nyanlända", "Företag <i>lokala</i>"]})
    package.tables["contacts"] = pd.DataFrame({"id": ["c1"], "name": ["Projektledare, Huddinge kommun"], "organisation": ["huddinge"], "title": ["Projektledare"], "email": [EMAIL]})

    n = len(orgs)
    pairs = [(0, 1), (0, 2), (0, 3), (0, 4), (1, 2), (4, 5)] + [(0, 6 + k) for k in range(extra_organisations)]
    edges = pd.DataFrame({"i": [a for a, _ in pairs], "j": [b for _, b in pairs]})
    edges["source"] = orgs["id"].to_numpy()[edges["i"]]
    edges["target"] = orgs["id"].to_numpy()[edges["j"]]
    edges["shared_projects"] = 1
    edges["newman_weight"] = 0.25
    edges["direct_weight"] = 0.0
    edges["weight"] = 0.25
    edges["shared_roles"] = ""
    edges["tie_type"] = ""
    edges["directed"] = False
    graph = CollaborationGraph(orgs, edges, pd.DataFrame(), sp.csr_matrix((n, len(projects))), projects.assign(size=2))

    rng = np.random.default_rng(7)
    betweenness = np.array([0.6, 0.1, 0.05, 0.0, 0.4, 0.0] + list(rng.random(extra_organisations) * 0.01))
    metrics = pd.DataFrame(
        {
            "id": orgs["id"],
            "name": orgs["name"],
            "type": orgs["type"],
            "degree": [4, 2, 2, 1, 2, 1] + [1] * extra_organisations,
            "weighted_degree": [1.0, 0.5, 0.5, 0.25, 0.5, 0.25] + [0.25] * extra_organisations,
            "betweenness": betweenness,
            "closeness": [0.83, 0.55, 0.55, 0.5, 0.62, 0.4] + [0.3] * extra_organisations,
            "eigenvector": [0.61, 0.4, 0.4, 0.25, 0.38, 0.12] + [0.01] * extra_organisations,
            "constraint": [0.31, 0.78, 0.78, 1.0, 0.5, 1.0] + [1.0] * extra_organisations,
            "effective_size": [3.5, 1.0, 1.0, 1.0, 2.0, 1.0] + [1.0] * extra_organisations,
            "articulation_point": [True, False, False, False, True, False] + [False] * extra_organisations,
            "community": [0, 0, 0, 0, 1, 1] + [k % 40 + 2 for k in range(extra_organisations)],
            "participation_coefficient": [0.5, 0.0, 0.0, 0.0, 0.5, 0.0] + [0.0] * extra_organisations,
            "brokerage_liaison": [3, 0, 0, 0, 1, 0] + [0] * extra_organisations,
            "cross_sector_breadth": [4, 2, 2, 1, 2, 1] + [1] * extra_organisations,
        }
    )
    findings = pd.DataFrame(
        [
            ("no-steering-group", "error", "intro", "Introduktion Södertörn", "", "Introduktion Södertörn har ingen styrgrupp."),
            ("steering-from-parent", "info", "kartlaggning", "Kartläggning av insatser", "", "Delprojektet Kartläggning av insatser har ingen egen styrgrupp."),
            ("no-steering-group", "error", "evilproj", XSS_PROJECT, "", f"{XSS_PROJECT} har ingen styrgrupp."),
            ("single-organisation-project", "warning", "evilproj", XSS_PROJECT, "evil|ideell", f"Bara {XSS_NAME} deltar; mejla {EMAIL}."),
            ("key-person-dependency", "warning", "", "", "huddinge", "Alla deltaganden för Huddinge kommun bärs av samma kontaktperson."),
        ],
        columns=["rule", "severity", "project", "project_name", "organisations", "message"],
    ).astype(object)
    white_spots = pd.DataFrame(
        [
            ("white-spot", "foretag", "Företag <i>lokala</i>", "0136", "Haninge kommun", "", "Vit fläck: ingen insats når Företag i Haninge kommun."),
            ("white-spot", "nyanlanda", "Nyanlända", "0136", "Haninge kommun", "", "Vit fläck: ingen insats når Nyanlända i Haninge kommun."),
            ("effort-gap", "nyanlanda", "Nyanlända", "0126", "Huddinge kommun", "intro", "Bara projekt når Nyanlända i Huddinge kommun."),
        ],
        columns=["kind", "target_group", "target_group_name", "municipality", "municipality_name", "detail", "message"],
    ).astype(object)
    coverage = pd.DataFrame([[2, 0], [3, 0]], index=pd.Index(["nyanlanda", "foretag"], name="target_group"), columns=pd.Index(["0126", "0136"], name="municipality"))
    coverage.attrs["target_group_names"] = {"nyanlanda": "Nyanlända", "foretag": "Företag <i>lokala</i>"}
    coverage.attrs["municipality_names"] = {"0126": "Huddinge kommun", "0136": "Haninge kommun"}
    bridging = pd.DataFrame(
        {
            "id": ["huddinge", "evil"],
            "name": ["Huddinge kommun", XSS_NAME],
            "score": [0.92, 0.55],
            "reasons": ["hög mellanhet|snittnod: nätverket faller isär utan den", "förbinder två grupperingar </script>"],
        }
    )
    groups = ["business", "county_admin_board", "municipality", "ngo", "state_agency"]
    block = pd.DataFrame(
        [[np.nan, 0.0, 0.5, 1.0, 0.0], [0.0, np.nan, 0.5, 0.0, 0.0], [0.5, 0.5, 1.0, 0.0, 1.0], [1.0, 0.0, 0.0, np.nan, 0.0], [0.0, 0.0, 1.0, 0.0, np.nan]],
        index=pd.Index(groups, dtype=object),
        columns=pd.Index(groups, dtype=object),
    )
    projects_table = pd.DataFrame(
        {
            "id": projects["id"],
            "name": projects["name"],
            "parent": projects["parent"],
            "start": projects["start"],
            "end": projects["end"],
            "status": projects["status"],
            "organisations": [5, 2, 2] + [1] * extra_projects,
            "owners": ["huddinge", "", "evil"] + ["huddinge"] * extra_projects,
            "owner_names": ["Huddinge kommun", "", XSS_NAME] + ["Huddinge kommun"] * extra_projects,
            "leads": ["huddinge", "", ""] + [""] * extra_projects,
            "lead_names": ["Huddinge kommun", "", ""] + [""] * extra_projects,
            "steering": [0, 0, 0] + [0] * extra_projects,
            "working": [2, 2, 0] + [0] * extra_projects,
            "findings": [1, 1, 2] + [0] * extra_projects,
            "worst_severity": ["error", "info", "error"] + [""] * extra_projects,
        }
    )
    summary = {
        "package": "Testregionen",
        "organisations": n,
        "projects": len(projects),
        "participations": len(participations),
        "contacts": 1,
        "ties": len(pairs),
        "density": len(pairs) / (n * (n - 1) / 2),
        "weighted_density": 0.1,
        "mean_degree": 2 * len(pairs) / n,
        "isolates": 0,
        "components": 1,
        "largest_component_size": n,
        "largest_component_share": 1.0,
        "transitivity": 0.3,
        "average_clustering": 0.2,
        "degree_centralization": 0.55,
        "modularity": 0.21,
        "communities": int(metrics["community"].nunique()),
        "group_by": "type",
        "ei_index": 0.667,
        "ei_index_by_group": {"business": 1.0, "county_admin_board": 1.0, "municipality": 0.5, "ngo": 1.0, "state_agency": 0.333},
        "findings": len(findings),
        "findings_by_rule": {"key-person-dependency": 1, "no-steering-group": 2, "single-organisation-project": 1, "steering-from-parent": 1},
        "white_spots": len(white_spots),
        "seed": 42,
        "pseudonymised": pseudonymise,
        "lang": lang,
        "samverkan_version": "0.1.0",
    }
    return AnalysisResult(
        package=package,
        options=AnalysisOptions(lang=lang, seed=42, pseudonymise=pseudonymise, as_of=dt.date(2010, 6, 30)),
        graph=graph,
        organisations=metrics,
        ties=edges.drop(columns=["i", "j"]),
        projects=projects_table,
        findings=findings,
        white_spots=white_spots,
        coverage=coverage,
        bridging=bridging,
        block_density=block,
        contact_ties=pd.DataFrame(),
        summary=summary,
        notes=["Mellanhet är exakt (alla 6 källor)."],
    )


NETWORK_HTML = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Nätverk</title>
<style>body{font-family:system-ui;margin:0;background:#f6f8fb} #net{padding:2rem}</style></head>
<body><div id="net">Nätverket: <span id="who"></span></div>
<script type="application/json" id="data">{"name":"\\u003c/script\\u003e"}</script>
<script>document.getElementById("who").textContent = JSON.parse(document.getElementById("data").textContent).name; document.body.setAttribute("data-ready", "1");</script>
</body></html>"""

FIGURE_SVG = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="200pt" height="100pt" viewBox="0 0 200 100" xmlns="http://www.w3.org/2000/svg" version="1.1">
<metadata><rdf:RDF><dc:date>2026-01-01T12:00:00</dc:date></rdf:RDF></metadata>
<circle cx="50" cy="50" r="20" fill="#2f6db5"/><circle cx="150" cy="50" r="20" fill="#d62728"/>
<line x1="70" y1="50" x2="130" y2="50" stroke="#999"/><text x="20" y="95">&lt;img src=x&gt; Huddinge</text>
</svg>"""
