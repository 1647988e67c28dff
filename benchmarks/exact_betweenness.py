"""Exact betweenness of a samverkan package, computed once and cached for the accuracy benchmark.

Brandes' algorithm, every organisation a source. Default engine ``samverkan``: the compiled
searches of ``samverkan.metrics.path_kernels`` over merged twins (every twin class a source,
weighted by its size; threads on every core), which agree with igraph to 1e-11 on H2020 sources
and take about 2 minutes for H2020 on 2 cores. ``--engine igraph`` splits igraph over worker
processes instead (each runs a slice of sources; an hour on 2 cores). Deterministic: no sampling. The values stay out of the repository; they are rebuilt into ``--cache`` (default
``~/.cache/samverkan-bench``) as ``<name>-betweenness[-weighted].npy`` (raw, unnormalised
sums over unordered pairs, in node order of ``project_organisations``).

    .venv/bin/python benchmarks/exact_betweenness.py /tmp/h2020 --name h2020 --workers 2
    .venv/bin/python benchmarks/exact_betweenness.py /tmp/h2020 --name h2020 --weighted

Unweighted on Horizon 2020 (35,871 organisations, 796,670 ties): 110 s with the samverkan engine on 2 cores.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path.home() / ".cache" / "samverkan-bench"


def load_graph(package_path: Path):
    sys.path.insert(0, str(ROOT / "src"))
    from samverkan.graph.projection import project_organisations
    from samverkan.io.package import validate_package

    package, _ = validate_package(package_path)
    return project_organisations(package)


def _slice(args):
    n, i, j, lengths, sources = args
    import igraph as ig

    g = ig.Graph(n=n, edges=list(zip(i.tolist(), j.tolist())), directed=False)
    return np.asarray(g.betweenness(directed=False, weights=None if lengths is None else lengths.tolist(), sources=sources.tolist()), dtype=float)


def _ties(G, *, weighted: bool):
    """Tie ends and, weighted, lengths 1/weight (ties of weight 0 left out), as samverkan searches them."""
    i = G.edges["i"].to_numpy(np.int64)
    j = G.edges["j"].to_numpy(np.int64)
    if not weighted:
        return i, j, None
    w = G.edges["weight"].to_numpy(float)
    keep = w > 0
    return i[keep], j[keep], 1.0 / w[keep]


def exact_raw(G, *, weighted: bool, workers: int) -> np.ndarray:
    i, j, lengths = _ties(G, weighted=weighted)
    # interleaved slices: equal work per worker whatever the order of organisations
    pieces = 8 * workers
    jobs = [(G.n, i, j, lengths, np.arange(p, G.n, pieces)) for p in range(pieces)]
    with mp.get_context("fork" if sys.platform.startswith("linux") else "spawn").Pool(workers) as pool:
        parts = pool.map(_slice, jobs, chunksize=1)
    # igraph halves source-restricted sums on undirected graphs, so the slices add up to the exact values
    return np.sum(parts, axis=0)


def exact_by_kernel(G, *, weighted: bool) -> np.ndarray:
    """Exact raw betweenness with samverkan's compiled searches: every component is 'small'."""
    from samverkan.metrics.betweenness_estimate import sampled_paths

    i, j, lengths = _ties(G, weighted=weighted)
    result = sampled_paths(G.n, i, j, k=max(G.n, 1), seed=0, lengths=lengths, batches=2)
    assert result.facts["sampled_organisations"] == 0
    return result.betweenness


def cached(package_path: Path, name: str, *, weighted: bool, cache: Path = DEFAULT_CACHE) -> np.ndarray | None:
    path = cache / f"{name}-betweenness{'-weighted' if weighted else ''}.npy"
    return np.load(path) if path.exists() else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path)
    parser.add_argument("--name", required=True)
    parser.add_argument("--weighted", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engine", choices=["samverkan", "igraph"], default="samverkan")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args(argv)
    G = load_graph(args.package)
    start = time.perf_counter()
    raw = exact_raw(G, weighted=args.weighted, workers=args.workers) if args.engine == "igraph" else exact_by_kernel(G, weighted=args.weighted)
    args.cache.mkdir(parents=True, exist_ok=True)
    out = args.cache / f"{args.name}-betweenness{'-weighted' if args.weighted else ''}.npy"
    np.save(out, raw)
    print(f"{out}: n={G.n:,} m={G.m:,} {time.perf_counter() - start:.1f} s ({args.engine})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
