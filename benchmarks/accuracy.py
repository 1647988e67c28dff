"""Accuracy of sampled betweenness against exact values on a samverkan package (e.g. Horizon 2020).

Needs the exact values cached by ``benchmarks/exact_betweenness.py`` (same package, same
``--name``, same ``--cache``); builds them first when absent (minutes). For each method,
sample size and seed it prints the time and, against the exact ranking: how many of the exact
top 10 and top 50 are in the estimate's top 10 / top 50, and the median relative error of the
estimate among the exact top 50 (the issue's acceptance figures: 10, ≥ 47, ≤ 5 %).

    .venv/bin/python benchmarks/accuracy.py /tmp/h2020 --name h2020 --sources 256 1024 --seeds 1 2 3

Methods: ``uniform-all`` draws sources from all organisations and credits whole pairs (igraph;
samverkan before issue 16); ``samverkan`` is today's ``centrality.betweenness(sample=k)``
(sources per component larger than k, small components exact, twins merged, bisection shares,
compiled searches on every core). For ``samverkan`` it also prints the confidence statement
(how many of the 10 / 50 highest it calls certain, the margin) and whether everything it says
holds against the exact values. Timings are wall-clock seconds; on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import exact_betweenness as eb


def accuracy(exact: np.ndarray, estimate: np.ndarray) -> dict:
    """Top-10 and top-50 overlap and median relative error among the exact top 50."""
    true = np.argsort(-exact, kind="stable")
    est = np.argsort(-estimate, kind="stable")
    top50 = true[:50]
    return {
        "top10": len(set(true[:10]) & set(est[:10])),
        "top50": len(set(top50) & set(est[:50])),
        "median_rel_error_top50": float(np.median(np.abs(estimate[top50] - exact[top50]) / exact[top50])),
    }


def describe(guarantee: dict, values: np.ndarray, exact: np.ndarray) -> str:
    """The confidence statement in short, and whether all of it holds against the exact values."""
    true = np.argsort(-exact, kind="stable")
    estimated = np.argsort(-values, kind="stable")
    held = True
    parts = []
    for t in ("10", "50"):
        fact = guarantee[t]
        top = estimated[: fact["size"]]
        certain = [x for x in top if x not in fact["uncertain"]]
        held &= set(certain) <= set(true[: fact["size"]])
        held &= set(true[: fact["size"]]) <= set(top) | set(fact["sharing"]) if fact["sharing_count"] <= 20 else True
        parts.append(f"{fact['certain']}/{fact['size']} certain")
    held &= bool((np.abs(values[estimated[:50]] - exact[estimated[:50]]) <= guarantee["margin"]).all())
    return f"{', '.join(parts)}, ±{guarantee['margin']:.2g}; {'holds' if held else 'DOES NOT HOLD'}"


def uniform_all(g, n: int, k: int, seed: int) -> np.ndarray:
    """The estimator before issue 16: k sources uniform over all n organisations, scaled n/k."""
    rng = np.random.default_rng(seed)
    sources = np.sort(rng.choice(n, size=k, replace=False))
    return (n / k) * np.asarray(g.betweenness(directed=False, sources=sources.tolist()), dtype=float)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path)
    parser.add_argument("--name", required=True)
    parser.add_argument("--cache", type=Path, default=eb.DEFAULT_CACHE)
    parser.add_argument("--sources", type=int, nargs="+", default=[256, 512, 1024])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--methods", nargs="+", default=["samverkan"], choices=["uniform-all", "samverkan"])
    args = parser.parse_args(argv)
    G = eb.load_graph(args.package)
    exact = eb.cached(args.package, args.name, weighted=False, cache=args.cache)
    if exact is None:
        eb.main([str(args.package), "--name", args.name, "--cache", str(args.cache)])
        exact = eb.cached(args.package, args.name, weighted=False, cache=args.cache)
    from samverkan.metrics import centrality

    g = centrality._igraph(G)
    scale = (G.n - 1) * (G.n - 2) / 2
    print(f"{args.name}: {G.n:,} organisations, {G.m:,} ties; exact top value {exact.max() / scale:.4f}, 50th {np.sort(exact)[-50] / scale:.4f}")
    print(f"{'method':<15} {'sources':>7} {'seed':>4} {'seconds':>8} {'top10':>5} {'top50':>5} {'median rel. err top50':>22}  confidence statement")
    for method in args.methods:
        for k in args.sources:
            for seed in args.seeds:
                start = time.perf_counter()
                statement = ""
                if method == "uniform-all":
                    raw = uniform_all(g, G.n, k, seed)
                else:
                    result = centrality.betweenness(G, sample=k, seed=seed)
                    raw = result.values.to_numpy() * scale
                    statement = describe(result.facts["guarantee"], result.values.to_numpy(), exact / scale)
                seconds = time.perf_counter() - start
                a = accuracy(exact, raw)
                print(f"{method:<15} {k:>7} {seed:>4} {seconds:>8.1f} {a['top10']:>5} {a['top50']:>5} {100 * a['median_rel_error_top50']:>21.1f}%  {statement}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
