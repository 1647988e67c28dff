"""The compiled overlap removal (views/overlap_kernel.py) moves every node exactly as the Python
sweeps do: the same bits, on layouts of every size the views meet (including the range where the
Python path filters pairs through a KD-tree), with ties in ids, nodes on the same spot, int and
float radii, and a few nodes far out (the kernel's sorted grid instead of its table)."""

from __future__ import annotations

import random
import sys

import numpy as np
import pytest

import samverkan.views.layout as layout
from samverkan.views.layout import remove_overlaps

numba = pytest.importorskip("numba")


def _both_paths(monkeypatch, positions, radii, **options):
    """(Python result, compiled result, whether the kernel ran)."""
    from samverkan.views import overlap_kernel

    monkeypatch.setattr(layout, "OVERLAP_COMPILED_MIN_NODES", 10**9)
    monkeypatch.setattr(layout, "OVERLAP_IMPORT_NUMBA_MIN_NODES", 10**9)
    python = remove_overlaps(positions, radii, **options)
    runs = []
    kernel = overlap_kernel.sweeps

    def counted(*args):
        runs.append(len(args[0]))
        return kernel(*args)

    monkeypatch.setattr(overlap_kernel, "sweeps", counted)
    monkeypatch.setattr(layout, "OVERLAP_IMPORT_NUMBA_MIN_NODES", 2)
    compiled = remove_overlaps(positions, radii, **options)
    return python, compiled, bool(runs)


def _assert_same_bits(python, compiled):
    assert list(python) == list(compiled)
    assert np.array_equal(np.array(list(python.values())), np.array(list(compiled.values())))
    assert python == compiled


def _crowd(seed, count, spread, radius_choices, *, same_spot=0, tied_ids=False):
    rng = random.Random(seed)
    positions = {f"n{i}": (rng.uniform(-spread, spread), rng.uniform(-spread, spread)) for i in range(count)}
    for i in range(same_spot):  # several nodes on one spot, and pairs on the same spot
        positions[f"s{i}"] = (5.0, 5.0)
        positions[f"t{i}"] = (rng.choice([-1.0, 1.0]) * 30.0, 12.5)
    if tied_ids:  # ids that differ only in type sort as equal text
        positions.update({1: (5.0, 5.0), "1": (5.0, 5.0), 2: (-40.0, 7.5), "2": (-40.0, 7.5)})
    radii = {n: rng.choice(radius_choices) for n in positions}
    return positions, radii


@pytest.mark.parametrize(
    "seed, count, spread, radius_choices, padding, iterations",
    [
        (1, 2, 3.0, [5.0], 0.0, 60),
        (2, 3, 1.0, [5, 7], 0, 60),
        (3, 40, 30.0, [3, 4.5, 8, 12.25, 30], 4.0, 25),
        (4, 404, 300.0, [3, 4.5, 8, 12.25, 30], 4.0, 25),
        (5, 300, 170.0, [1.8, 2.5, 4.1, 7.5], 0.8, 40),  # like the static figure
        (6, 700, 600.0, [7.0, 9.5, 14.0, 38.0 * 1.42], 20.0, 60),  # the KD-tree-filtered range
        (7, 1500, 1900.0, [7.0, 9.5, 14.0, 38.0, 53.96], 20.0, 60),  # like network.html of H2020
    ],
)
def test_compiled_overlap_removal_gives_the_python_bits(monkeypatch, seed, count, spread, radius_choices, padding, iterations):
    positions, radii = _crowd(seed, count, spread, radius_choices, same_spot=3, tied_ids=count > 3)
    python, compiled, ran = _both_paths(monkeypatch, positions, radii, padding=padding, iterations=iterations)
    assert ran
    _assert_same_bits(python, compiled)


@pytest.mark.parametrize("seed", [11, 12])
def test_compiled_overlap_removal_on_a_spread_gaussian_layout(monkeypatch, seed):
    # most nodes settle after a few sweeps, a few keep moving (as in a large view)
    rng = random.Random(seed)
    positions = {f"org{i:04d}": (rng.gauss(0, 400), rng.gauss(0, 250)) for i in range(900)}
    radii = {n: rng.choice([7.0, 9.5, 14.0, 38.0 * 1.42]) for n in positions}
    python, compiled, ran = _both_paths(monkeypatch, positions, radii, padding=20.0)
    assert ran
    _assert_same_bits(python, compiled)


@pytest.mark.parametrize("count", [30, 600])
def test_compiled_overlap_removal_with_nodes_far_out(monkeypatch, count):
    # a drawing box of far more cells than nodes: the kernel sorts the nodes by cell instead of a table
    positions, radii = _crowd(20 + count, count, 200.0, [4, 6.5, 10], same_spot=2, tied_ids=True)
    positions.update({"far": (3.0e6, -2.0e6), "far2": (3.0e6 + 1.0, -2.0e6), "far3": (-7.5e5, 4.0e6)})
    radii.update({"far": 10, "far2": 6.5, "far3": 4})
    python, compiled, ran = _both_paths(monkeypatch, positions, radii, padding=4.0)
    assert ran
    _assert_same_bits(python, compiled)


def test_compiled_overlap_removal_when_everything_is_on_one_spot(monkeypatch):
    positions = {f"n{i:03d}": (0.0, 0.0) for i in range(250)}
    radii = {n: 5.0 + (i % 3) for i, n in enumerate(positions)}
    python, compiled, ran = _both_paths(monkeypatch, positions, radii, padding=1.0, iterations=30)
    assert ran
    _assert_same_bits(python, compiled)


def test_numbers_the_kernel_would_add_differently_stay_in_python(monkeypatch):
    # float32 radii add in single precision in Python: the kernel (double precision) is not used
    positions, radii = _crowd(30, 300, 150.0, [3.0, 4.5, 8.0])
    radii = {n: np.float32(r) for n, r in radii.items()}
    python, compiled, ran = _both_paths(monkeypatch, positions, radii, padding=4.0)
    assert not ran
    assert python == compiled


def test_the_kernel_is_used_only_when_it_pays(monkeypatch):
    monkeypatch.setattr(layout, "OVERLAP_COMPILED_MIN_NODES", 200)
    monkeypatch.setattr(layout, "OVERLAP_IMPORT_NUMBA_MIN_NODES", 3000)
    monkeypatch.setitem(sys.modules, "numba", numba)  # loaded: from 200 nodes
    assert not layout._compiled_pays(199) and layout._compiled_pays(200)
    monkeypatch.delitem(sys.modules, "numba")  # not loaded: from 3,000 nodes
    assert not layout._compiled_pays(2999) and layout._compiled_pays(3000)


def test_sort_by_cell_orders_by_column_row_and_number():
    from samverkan.views.overlap_kernel import _sort_by_cell

    rng = np.random.default_rng(3)
    for count in (1, 2, 7, 64, 1001):
        gx = rng.integers(-4, 4, count)
        gy = rng.integers(-3, 3, count)
        order = np.empty(count, dtype=np.int64)
        _sort_by_cell(gx, gy, order, np.empty(count, dtype=np.int64))
        assert order.tolist() == sorted(range(count), key=lambda k: (gx[k], gy[k], k))
