"""What if organisations left: the package without them, the before → after facts, and the page's counter."""

import json
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from samverkan.errors import UsageError
from samverkan.graph.projection import project_organisations
from samverkan.io.package import read_package, write_package
from samverkan.whatif import (
    network_facts,
    resolve_organisations,
    whatif_facts,
    without_organisations,
)

from .metrics.graphs_density import org, package, part

ROOT = Path(__file__).resolve().parents[1]
WHATIF_JS = ROOT / "src" / "samverkan" / "views" / "assets" / "whatif.js"


def chain():
    """a – b – c through two projects that b owns and steers; d alone; b has a contact and an effort."""
    return package(
        organisations=[org("a", "Alfa"), org("b", "Beta kommun", "municipality", municipality="0126"), org("c", "Gamma"), org("d", "Delta"), org("b1", "Beta unit", parent="b")],
        projects=[{"id": "p1", "name": "P1", "start": "2020-01-01", "end": "2030-12-31"}, {"id": "p2", "name": "P2", "start": "2020-01-01", "end": "2030-12-31"}],
        participations=[
            part("p1", "b", "owner", "cb"),
            part("p1", "b", "steering", "cb"),
            part("p1", "a", "working", "cb"),
            part("p2", "b", "owner"),
            part("p2", "c", "steering"),
            part("p2", "c", "working"),
        ],
        contacts=[{"id": "cb", "name": "Kontakt B", "organisation": "b"}],
        efforts=[{"id": "e", "name": "E", "organisation": "b", "target_groups": "g", "municipalities": "0126"}],
        ties=[{"source": "a", "target": "b", "type": "agreement"}, {"source": "c", "target": "d", "type": "agreement"}],
    )


def test_without_removes_everything_of_theirs_and_leaves_the_input_alone():
    before = chain()
    after = without_organisations(before, ["b"])
    assert after.organisations["id"].tolist() == ["a", "c", "d", "b1"]
    assert after.organisations.set_index("id").loc["b1", "parent"] == ""  # the unit stays, its parent left
    assert set(after.participations["organisation"]) == {"a", "c"}
    assert after.participations.set_index("organisation").loc["a", "contact"] == ""  # b's contact left with b
    assert after.contacts.empty and after.efforts.empty
    assert after.ties[["source", "target"]].values.tolist() == [["c", "d"]]
    assert len(before.organisations) == 5 and len(before.participations) == 6  # untouched


def test_facts_before_and_after_by_hand():
    before = chain()
    after = without_organisations(before, ["b"])
    facts = whatif_facts(before, after, removed=["b"])
    # before: a–b (p1, tie), b–c (p2), c–d (tie): one part of 4 and the unit b1 alone: 2 components
    assert (facts["before"]["components"], facts["before"]["largest_component"]) == (2, 4)
    # 3 ties among 5: density 2·3/(5·4) = 0.3; distances in a–b–c–d: 1,2,3,1,2,1 → 10/6
    assert facts["before"]["density"] == pytest.approx(0.3)
    assert facts["before"]["mean_distance"] == pytest.approx(10 / 6)
    # after: a alone, c–d, b1 alone: 3 components, largest 2; 1 tie among 4: 2/12
    assert (facts["after"]["components"], facts["after"]["largest_component"]) == (3, 2)
    assert facts["after"]["density"] == pytest.approx(2 / 12)
    assert facts["after"]["mean_distance"] == pytest.approx(1.0)
    assert facts["removed_names"] == ["Beta kommun"]
    assert facts["projects_without_owner"] == ["p1", "p2"]  # b owned both
    assert facts["projects_without_steering"] == ["p1"]  # c still steers p2
    assert facts["projects_without_organisations"] == []


def test_unknown_organisation_names_close_ids_and_names():
    with pytest.raises(UsageError) as caught:
        resolve_organisations(chain(), ["bet", "Gamma", "zzz"])
    message = str(caught.value)
    assert "no organisation has the id 'bet'" in message and "'b" in message
    assert "'zzz'" in message and "Gamma" not in message  # an exact name is accepted
    assert resolve_organisations(chain(), ["gamma", "b"]) == ["c", "b"]


@pytest.mark.parametrize("region", ["sodertorn-2009", "orebro-2014"])
def test_the_regions_without_arbetsformedlingen_are_valid_packages(region, tmp_path):
    before = read_package(ROOT / "data" / region)
    after = without_organisations(before, ["af"])
    again = read_package(write_package(after, tmp_path / "pkg"))  # every reference still resolves
    assert "af" not in set(again.organisations["id"]) and len(again.organisations) == len(before.organisations) - 1
    facts = whatif_facts(before, after, removed=["af"])
    assert facts["after"]["organisations"] == facts["before"]["organisations"] - 1
    assert facts["after"]["components"] >= facts["before"]["components"] - 1


def reference_summary(nodes, edges, hidden):
    """The page's algorithm in Python: components and largest among the shown organisations."""
    G = nx.Graph()
    G.add_nodes_from(n for n in nodes if n not in hidden)
    G.add_edges_from((a, b) for a, b in edges if a not in hidden and b not in hidden and a in G and b in G)
    parts = [len(c) for c in nx.connected_components(G)]
    return {"organisations": G.number_of_nodes(), "components": len(parts), "largest": max(parts, default=0)}


def test_whatif_js_in_chromium_equals_the_python_facts(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from browser_support import browser_session, require_browser

    require_browser()
    cases = []
    pkg = read_package(ROOT / "data" / "sodertorn-2009")
    graph = project_organisations(pkg)
    nodes = graph.nodes["id"].tolist()
    edges = list(zip(graph.edges["source"], graph.edges["target"]))
    for hidden in ([], ["af"], ["huddinge"], ["huddinge", "haninge", "af"]):
        after = network_facts(without_organisations(pkg, hidden))
        cases.append(
            {
                "nodes": nodes,
                "edges": [{"from": a, "to": b} for a, b in edges],
                "hidden": hidden,
                "expected": {"organisations": after["organisations"], "components": after["components"], "largest": after["largest_component"]},
            }
        )
    for seed in range(5):
        G = nx.gnp_random_graph(40, 0.04, seed=seed)
        rnodes = [f"n{v}" for v in G.nodes]
        redges = [(f"n{a}", f"n{b}") for a, b in G.edges]
        hidden = [f"n{v}" for v in sorted(G.nodes, key=G.degree, reverse=True)[:3]]
        cases.append(
            {
                "nodes": [{"id": v} for v in rnodes],
                "edges": [{"source": a, "target": b} for a, b in redges] + [{"source": "n0", "target": "unknown"}],
                "hidden": hidden,
                "expected": reference_summary(rnodes, redges, set(hidden)),
            }
        )
    page = tmp_path / "whatif.html"
    page.write_text("<!doctype html><meta charset='utf-8'><body data-ready='1'><script>" + WHATIF_JS.read_text(encoding="utf-8") + "</script>", encoding="utf-8")
    with browser_session() as session:
        report = session.open(page)
        assert report.ready and report.clean, report.problems()
        got = report.page.evaluate("(cases) => cases.map(c => SamverkanWhatIf.create(c.nodes, c.edges).summary(c.hidden))", json.loads(json.dumps(cases)))
        names = report.page.evaluate("() => Object.keys(window).filter(k => k.startsWith('Samverkan'))")
    for case, result in zip(cases, got):
        assert {k: result[k] for k in ("organisations", "components", "largest")} == case["expected"]
        assert result["hidden"] == len(case["hidden"])
    assert names == ["SamverkanWhatIf"]


def test_network_facts_of_an_empty_package():
    facts = network_facts(package())
    assert facts["organisations"] == 0 and facts["components"] == 0 and pd.isna(facts["density"])
