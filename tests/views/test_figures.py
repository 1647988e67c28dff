"""Static figures: PNG at 200 dpi and SVG, 17 cm wide, deterministic, no personal data."""

from __future__ import annotations

import struct

import pytest
from views_samples import XSS_IMG, make_small_graph

from samverkan.views.figures import FIGURE_WIDTH_CM, write_static_figures

pytest.importorskip("matplotlib")


def _png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_writes_png_and_svg_at_a4_text_width(small_graph, tmp_path):
    paths = write_static_figures(small_graph, tmp_path / "figur.v1", title="Samverkan på Södertörn", lang="sv", size_by="degree")
    assert [p.name for p in paths] == ["figur.v1.png", "figur.v1.svg"]
    width, height = _png_size(paths[0])
    assert width == pytest.approx(FIGURE_WIDTH_CM / 2.54 * 200, abs=2)
    assert 0.6 < height / width < 1.4
    svg = paths[1].read_text(encoding="utf-8")
    assert "Samverkan på Södertörn" in svg  # text stays text (svg.fonttype none)
    assert "kommun" in svg  # legend in Swedish
    assert "@exempel.se" not in svg
    assert XSS_IMG not in svg


def test_same_input_same_bytes(tmp_path):
    a = write_static_figures(make_small_graph(), tmp_path / "a", title="T", lang="en", size_by="betweenness")
    b = write_static_figures(make_small_graph(), tmp_path / "b", title="T", lang="en", size_by="betweenness")
    assert a[0].read_bytes() == b[0].read_bytes()
    assert a[1].read_bytes() == b[1].read_bytes()


def test_large_graph_is_drawn_as_backbone_with_a_caption(synthetic_graph, tmp_path):
    png, svg = write_static_figures(synthetic_graph, tmp_path / "stor", title="Stort", lang="sv", size_by="degree", max_nodes=200)
    assert png.stat().st_size > 20_000
    assert "Visar de 200 mest centrala av 3\u202f000 organisationer." in svg.read_text(encoding="utf-8")


def test_lines_of_a_backbone_run_as_in_the_whole_graph():
    """A subgraph view of a small part of a graph reports its edges in the order of a set (which
    changes with string hashing from run to run); the figure takes them in the graph's order."""
    import networkx as nx

    from samverkan.views.figures import _edges_among

    G = nx.relabel_nodes(nx.barabasi_albert_graph(200, 3, seed=5), lambda i: f"org{i:03d}")
    keep = [f"org{i:03d}" for i in (150, 3, 77, 0, 12, 1, 2, 40, 9)]
    expected = [(u, v) for u, v in G.edges() if u in keep and v in keep]
    assert [(u, v) for u, v, _ in _edges_among(G, G.subgraph(keep))] == expected
    assert list(_edges_among(G, G)) == list(G.edges(data=True))
