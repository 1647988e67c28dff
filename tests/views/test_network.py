"""The network pages as files: offline, escaped, deterministic, honest about what they leave out."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import networkx as nx
import pytest
from views_samples import XSS_IMG, XSS_SCRIPT, assert_offline, make_small_graph

from samverkan.errors import UsageError
from samverkan.views.network import LABEL_TOP, write_ego_html, write_network_html, write_two_mode_html


def _data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="samverkan-data">(.*?)</script>', page, re.DOTALL)
    assert match, "data block missing"
    return json.loads(match.group(1))


def _write(G, tmp_path, name="net.html", **options):
    path = tmp_path / name
    options.setdefault("title", "Samverkan på Södertörn")
    facts = write_network_html(G, path, **options)
    return facts, path.read_text(encoding="utf-8")


def test_facts_and_page_for_a_small_graph(small_graph, tmp_path):
    facts, page = _write(small_graph, tmp_path)
    assert facts == {"nodes_shown": 20, "nodes_total": 20, "edges_shown": 31, "edges_total": 31, "backbone": False}
    data = _data(page)
    assert len(data["nodes"]) == 20 and len(data["edges"]) == 31
    assert {n["name"] for n in data["nodes"]} == {d["name"] for _, d in small_graph.nodes(data=True)}
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in page
    assert "20 organisationer visas av 20" in page
    assert 'id="banner"' not in page
    # physics off, straight edges, positions given: usable at once
    assert data["options"]["physics"] == {"enabled": False}
    assert data["options"]["edges"]["smooth"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_page_is_offline(small_graph, tmp_path):
    _, page = _write(small_graph, tmp_path)
    assert_offline(page)
    assert "bootstrap" not in page.lower()


def test_offline_check_catches_external_resources():
    with pytest.raises(AssertionError):
        assert_offline('<script src="https://cdn.example/vis.js"></script>')
    with pytest.raises(AssertionError):
        assert_offline('<link rel="stylesheet" href="https://cdn.example/b.css">')
    with pytest.raises(AssertionError):
        assert_offline("<style>body{background:url(https://x.example/a.png)}</style>")


def test_scripts_are_allowed_by_hash_in_the_csp(small_graph, tmp_path):
    _, page = _write(small_graph, tmp_path)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 4  # the kit, vis-network, ours and the what-if control; the data block is not executable
    for code in scripts:
        digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp


def test_email_is_never_written(small_graph, tmp_path):
    small_graph.add_edge("k0181", "k0126", email="kant@exempel.se", shared_projects=1)
    _, page = _write(small_graph, tmp_path)
    assert "@exempel.se" not in page
    assert "hemlig" not in page


def test_hostile_names_are_escaped_everywhere(small_graph, tmp_path):
    small_graph.nodes["k0181"]["municipality"] = XSS_IMG  # lands in a select option
    _, page = _write(small_graph, tmp_path, title=XSS_SCRIPT, subtitle=XSS_IMG, note=XSS_SCRIPT)
    assert XSS_IMG not in page
    assert XSS_SCRIPT not in page
    assert "<img" not in page.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # visible as text in option/subtitle
    names = {n["name"] for n in _data(page)["nodes"]}
    assert XSS_IMG in names and XSS_SCRIPT in names  # and round-trip intact as data


def test_same_input_gives_byte_identical_html(tmp_path):
    _write(make_small_graph(), tmp_path, "a.html")
    _write(make_small_graph(), tmp_path, "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_insertion_order_does_not_change_the_page(small_graph, tmp_path):
    G2 = nx.Graph()
    G2.add_nodes_from(reversed(list(small_graph.nodes(data=True))))
    G2.add_edges_from((v, u, d) for u, v, d in reversed(list(small_graph.edges(data=True))))
    _write(small_graph, tmp_path, "a.html")
    _write(G2, tmp_path, "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_only_important_nodes_are_labelled(tmp_path):
    G = nx.relabel_nodes(nx.barabasi_albert_graph(120, 2, seed=5), lambda i: f"o{i:03d}")
    G.nodes["o119"]["bridging"] = True
    _, page = _write(G, tmp_path)
    nodes = {n["id"]: n for n in _data(page)["nodes"]}
    labelled = {i for i, n in nodes.items() if n.get("lab")}
    degree = dict(G.degree())
    top = sorted(G, key=lambda n: (-degree[n], n))[:LABEL_TOP]
    assert labelled == set(top) | {"o119"}
    assert nodes["o119"]["borderWidth"] >= 2 and nodes["o119"]["color"]["border"] == "#111111"
    assert all("\n" in n["title"] for n in nodes.values())  # plain-text tooltips with line breaks


def test_tooltip_holds_name_type_place_metrics_and_roles(small_graph, tmp_path):
    _, page = _write(small_graph, tmp_path)
    node = next(n for n in _data(page)["nodes"] if n["id"] == "sof")
    lines = node["title"].split("\n")
    assert lines[0] == "Samordningsförbundet Östra Södertörn"
    assert "Typ: kommunförbund" in lines
    assert "Kommun: Haninge" in lines
    assert any(line.startswith("Antal samarbetspartner (grad): ") for line in lines)
    assert any(line.startswith("Mellanhetscentralitet: 0,") for line in lines)
    assert "Brobyggare" in lines
    assert "  • projektägare: Jobbspåret" in lines  # role codes as the catalogue labels them


def test_backbone_for_large_graphs(synthetic_graph, tmp_path):
    facts, page = _write(synthetic_graph, tmp_path, max_nodes=1500)
    assert facts["backbone"] is True
    assert facts["nodes_shown"] == 1500 and facts["nodes_total"] == 3000
    data = _data(page)
    ids = {n["id"] for n in data["nodes"]}
    degree = dict(synthetic_graph.degree())
    expected = sorted(synthetic_graph, key=lambda n: (-synthetic_graph.nodes[n]["degree"], n))[:1500]
    assert ids == set(expected)
    assert len(data["edges"]) == synthetic_graph.subgraph(expected).number_of_edges() == facts["edges_shown"]
    assert min(degree[n] for n in ids) >= max(degree[n] for n in synthetic_graph if n not in ids)
    banner = re.search(r'<p class="banner" id="banner"[^>]*>(.*?)</p>', page).group(1)
    assert "Visar de 1\u202f500 mest centrala av 3\u202f000 organisationer" in banner
    assert f"{facts['edges_total'] - facts['edges_shown']:,}".replace(",", "\u202f") in banner
    assert_offline(page)


def test_english_page(small_graph, tmp_path):
    _, page = _write(small_graph, tmp_path, lang="en", max_nodes=10)
    assert '<html lang="en">' in page
    assert "Showing the 10 most central of 20 organisations" in page
    assert "Find an organisation" in page
    assert ">municipality<" in page  # legend label
    assert "Visar" not in page


def test_colour_by_community_and_a_float_metric(small_graph, tmp_path):
    _, page = _write(small_graph, tmp_path, color_by="community")
    assert "Grupp 0" in page and "Färg: grupp" in page
    _, page = _write(small_graph, tmp_path, color_by="betweenness", size_by="betweenness")
    assert "Färg: mellanhetscentralitet" in page
    assert len({n["color"]["background"] for n in _data(page)["nodes"]}) > 2


def test_bad_options_raise_usage_errors(small_graph, tmp_path):
    with pytest.raises(UsageError, match="language"):
        _write(small_graph, tmp_path, lang="de")
    with pytest.raises(UsageError, match="max_nodes"):
        _write(small_graph, tmp_path, max_nodes=0)


def test_two_mode_page(two_mode_graph, tmp_path):
    path = tmp_path / "two.html"
    facts = write_two_mode_html(two_mode_graph, path, title="Organisationer och projekt")
    page = path.read_text(encoding="utf-8")
    data = _data(page)
    assert facts["nodes_shown"] == two_mode_graph.number_of_nodes()
    kinds = {n["id"]: n for n in data["nodes"]}
    assert kinds["project:p1"]["shape"] == "square" and kinds["project:p1"]["kind"] == "project"
    assert kinds["org:k0181"]["kind"] == "org"
    roles = {e["rl"] for e in data["edges"]}
    assert {"projektägare", "styrgrupp", "referensgrupp", "finansiär", "projektledning"} <= roles
    assert all(e["color"]["color"].startswith("#") for e in data["edges"])
    assert "Roll i projektet" in page
    assert "@exempel.se" not in page and XSS_IMG not in page
    assert_offline(page)


def test_ego_page(small_graph, tmp_path):
    path = tmp_path / "ego.html"
    facts = write_ego_html(small_graph, "sof", path)
    page = path.read_text(encoding="utf-8")
    data = _data(page)
    assert facts["nodes_shown"] == len(nx.ego_graph(small_graph, "sof")) == len(data["nodes"])
    assert data["ego"] == "sof"
    centre = next(n for n in data["nodes"] if n["id"] == "sof")
    assert centre["shape"] == "star" and centre["lab"]
    assert "Nätverket runt Samordningsförbundet Östra Södertörn" in page
    with pytest.raises(UsageError, match="not an organisation"):
        write_ego_html(small_graph, "nope", tmp_path / "x.html")


def test_empty_graph_writes_a_page(tmp_path):
    facts, page = _write(nx.Graph(), tmp_path)
    assert facts == {"nodes_shown": 0, "nodes_total": 0, "edges_shown": 0, "edges_total": 0, "backbone": False}
    assert "0 organisationer visas av 0" in page


def test_identical_across_processes_and_hash_seeds(tmp_path):
    """Set and dict order must not leak into the page: two interpreters, two hash seeds, one file."""
    import os
    import subprocess
    import sys

    script = (
        "import sys, networkx as nx\n"
        "from samverkan.views.network import write_network_html\n"
        "G = nx.relabel_nodes(nx.barabasi_albert_graph(420, 2, seed=9), lambda i: f'o{i}')\n"
        "for n in G: G.nodes[n].update(name=f'Org {n}', type=['ngo', 'municipality'][len(n) % 2],"
        " community=len(n), projects='A|B')\n"
        "print(write_network_html(G, sys.argv[1], title='T', max_nodes=400))\n"
    )
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"p{seed}.html"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env, capture_output=True)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_ego_metrics_come_from_the_whole_graph(tmp_path):
    # a star around "hub" plus a long tail at "a": in the ego graph of "a" (radius 1), "hub" has
    # degree 1, but in the whole graph 4, so it must be drawn larger than "b" (degree 2 in both).
    G = nx.Graph([("hub", "a"), ("hub", "x"), ("hub", "y"), ("hub", "z"), ("a", "b"), ("b", "c")])
    path = tmp_path / "ego.html"
    write_ego_html(G, "a", path)
    nodes = {n["id"]: n for n in _data(path.read_text(encoding="utf-8"))["nodes"]}
    assert set(nodes) == {"a", "hub", "b"}
    assert nodes["hub"]["size"] > nodes["b"]["size"]
    assert "Antal samarbetspartner (grad): 4" in nodes["hub"]["title"]


@pytest.mark.parametrize("quote", [True, False])
def test_filter_options_escaped_together_as_one_by_one(quote):
    # the filter options are escaped in one call over all of them: the same as one call each,
    # also for a name holding the character that joins them
    import html

    from samverkan.views.network import _escaped_all

    for texts in (["a&b", "<x>", "q\"'", "", "plain", "é"], ["nul\x00l", "<"], [], [""]):
        assert _escaped_all(texts, quote=quote) == [html.escape(t, quote=quote) for t in texts]


def test_filter_option_texts_are_escaped_with_quotes_as_their_values():
    # a project name with quotes: the option's value and its text both write them as &quot;
    from samverkan.views.network import _filters_html

    view = {"nodes": [{"id": "a", "name": "A", "kind": "org", "typeKey": "company", "pi": ["p1"], "pr": ['Förstudie "Husnyckeln" & <co>']}]}
    page = _filters_html(view, "sv")
    assert '<option value="p1">Förstudie &quot;Husnyckeln&quot; &amp; &lt;co&gt; (1)</option>' in page
