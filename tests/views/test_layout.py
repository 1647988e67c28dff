"""Deterministic layout shared by pages and figures; overlap removal; backbone selection."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from samverkan.views.backbone import metric_values, select_backbone
from samverkan.views.layout import SPRING_MAX_NODES, compute_layout, remove_overlaps


def _shuffled_copy(G, seed):
    import random

    rng = random.Random(seed)
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    H = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_edges_from([(v, u, d) if rng.random() < 0.5 else (u, v, d) for u, v, d in edges])
    return H


@pytest.mark.parametrize("n", [12, SPRING_MAX_NODES + 50])
def test_layout_is_deterministic_and_ignores_insertion_order(n):
    G = nx.relabel_nodes(nx.barabasi_albert_graph(n, 2, seed=3), lambda i: f"o{i}")
    G.add_nodes_from(["isolate-a", "isolate-b"])
    G.add_edge("pair-1", "pair-2")
    first = compute_layout(G, seed=42)
    assert first == compute_layout(G, seed=42)
    assert first == compute_layout(_shuffled_copy(G, 1), seed=42)
    assert compute_layout(G, seed=1) != first
    assert set(first) == set(G)
    assert max(max(abs(x), abs(y)) for x, y in first.values()) == pytest.approx(1.0)


def test_layout_handles_tiny_graphs():
    assert compute_layout(nx.Graph()) == {}
    assert compute_layout(nx.Graph([("a", "b")])) == {"a": (-1.0, 0.0), "b": (1.0, 0.0)}
    G = nx.Graph()
    G.add_node("solo")
    assert compute_layout(G) == {"solo": (0.0, 0.0)}


def test_remove_overlaps_separates_every_pair():
    pos = {f"n{i}": (float(i % 3), float(i // 3)) for i in range(30)}  # a crowded grid
    radii = {n: 5.0 + (i % 4) for i, n in enumerate(pos)}
    out = remove_overlaps(pos, radii, padding=2.0, iterations=200)
    for a in out:
        for b in out:
            if a < b:
                d = math.dist(out[a], out[b])
                assert d >= radii[a] + radii[b] + 2.0 - 1e-6, (a, b, d)
    assert out == remove_overlaps(pos, radii, padding=2.0, iterations=200)


def test_backbone_takes_top_by_metric_ties_by_id():
    # six nodes; degrees: hub 3; a, b, c 1 each; x and y 1 each
    G = nx.Graph([("hub", "c"), ("hub", "a"), ("hub", "b"), ("x", "y")])
    assert select_backbone(G, 3) == ["hub", "a", "b"]
    nx.set_node_attributes(G, {"y": 0.9, "hub": 0.5}, "betweenness")
    assert select_backbone(G, 2, size_by="betweenness") == ["y", "hub"]
    assert len(select_backbone(G, 99)) == 6


def test_metric_values_fall_back_and_ignore_nan():
    G = nx.Graph([("a", "b", {"shared_projects": 3}), ("a", "c")])
    G.nodes["a"]["degree"] = float("nan")
    G.nodes["b"]["degree"] = 7
    assert metric_values(G, "degree") == {"a": 2.0, "b": 7.0, "c": 1.0}
    assert metric_values(G, "weighted_degree") == {"a": 4.0, "b": 3.0, "c": 1.0}
    assert metric_values(G, "eigenvector") == {"a": 0.0, "b": 0.0, "c": 0.0}


def _remove_overlaps_by_the_book(positions, radii, *, padding, iterations):
    """remove_overlaps as first written (dicts, str comparisons): the behaviour the fast one keeps."""
    nodes = sorted(positions, key=str)
    xy = {n: [float(positions[n][0]), float(positions[n][1])] for n in nodes}
    cell = 2 * max(radii[n] for n in nodes) + padding
    for _ in range(iterations):
        grid: dict = {}
        for n in nodes:
            grid.setdefault((math.floor(xy[n][0] / cell), math.floor(xy[n][1] / cell)), []).append(n)
        moved = False
        for n in nodes:
            cx, cy = math.floor(xy[n][0] / cell), math.floor(xy[n][1] / cell)
            for gx in (cx - 1, cx, cx + 1):
                for gy in (cy - 1, cy, cy + 1):
                    for m in grid.get((gx, gy), ()):
                        if str(m) <= str(n):
                            continue
                        dx, dy = xy[m][0] - xy[n][0], xy[m][1] - xy[n][1]
                        need = radii[n] + radii[m] + padding
                        dist2 = dx * dx + dy * dy
                        if dist2 >= need * need:
                            continue
                        dist = math.sqrt(dist2)
                        if dist < 1e-9:
                            angle = (sum(map(ord, str(n))) * 7 + sum(map(ord, str(m))) * 13) % 360
                            dx, dy, dist = math.cos(math.radians(angle)), math.sin(math.radians(angle)), 1.0
                            push = need / 2
                        else:
                            push = (need - dist) / 2
                        ux, uy = dx / dist, dy / dist
                        xy[n][0] -= ux * push
                        xy[n][1] -= uy * push
                        xy[m][0] += ux * push
                        xy[m][1] += uy * push
                        moved = True
        if not moved:
            break
    return {n: (xy[n][0], xy[n][1]) for n in nodes}


@pytest.mark.parametrize("filtered", [False, True], ids=["every-pair", "filtered"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_remove_overlaps_moves_every_node_as_the_plain_algorithm_does(seed, filtered, monkeypatch):
    """Bit for bit, in a crowd that never settles: ids that only differ in type (1 and "1") sort
    as equal text, nodes on the same spot, mixed int and float radii. ``filtered``: the path of
    large views (only the pairs that can overlap are measured), forced on these 404 nodes."""
    import random

    import samverkan.views.layout as layout

    monkeypatch.setattr(layout, "OVERLAP_FILTER_MIN_NODES", 2 if filtered else 10**9)

    rng = random.Random(seed)
    positions = {f"n{i}": (rng.uniform(-300, 300), rng.uniform(-300, 300)) for i in range(400)}
    positions.update({1: (5.0, 5.0), "1": (5.0, 5.0), "z": (5.0, 5.0), 2: (-40.0, 7.5)})
    radii = {n: rng.choice([3, 4.5, 8, 12.25, 30]) for n in positions}
    expected = _remove_overlaps_by_the_book(positions, radii, padding=4.0, iterations=25)
    got = remove_overlaps(positions, radii, padding=4.0, iterations=25)
    assert got == expected and list(got) == list(expected)


def test_filtered_overlap_removal_gives_the_same_bits_on_a_spread_layout(monkeypatch):
    """A layout like a large view's: most nodes settle after a few sweeps, a few keep moving
    (the filtered path measures those against every node near them)."""
    import random

    import samverkan.views.layout as layout

    rng = random.Random(7)
    positions = {f"org{i:04d}": (rng.gauss(0, 400), rng.gauss(0, 250)) for i in range(900)}
    radii = {n: rng.choice([7.0, 9.5, 14.0, 38.0 * 1.42]) for n in positions}
    monkeypatch.setattr(layout, "OVERLAP_FILTER_MIN_NODES", 10**9)
    expected = remove_overlaps(positions, radii, padding=20.0)
    monkeypatch.setattr(layout, "OVERLAP_FILTER_MIN_NODES", 2)
    assert remove_overlaps(positions, radii, padding=20.0) == expected
