"""Benchmark samverkan stage by stage on the bundled examples, Interreg and Horizon 2020.

Prints, per dataset and stage, the median seconds over repeated runs and the peak memory of the
process that ran it, plus the ratio of samverkan's projection to a bare sparse product B·Bᵀ
measured in the same run. Tests assert behaviour; speed lives here.

    .venv/bin/python benchmarks/run.py                 # everything (takes a few minutes)
    .venv/bin/python benchmarks/run.py --quick         # examples and Interreg only
    .venv/bin/python benchmarks/run.py --repeat 5
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
DATASETS = {
    "orebro-2014": ("package", ROOT / "data" / "orebro-2014", None),
    "sodertorn-2009": ("package", ROOT / "data" / "sodertorn-2009", None),
    "interreg": ("flat", SHARED / "interreg-se-2021-2027" / "interreg_swedish_partners.csv", ROOT / "data" / "mappings" / "interreg.toml"),
    "h2020": ("flat", SHARED / "cordis-h2020" / "h2020.csv.gz", ROOT / "data" / "mappings" / "cordis-h2020.toml"),
}
COMPARE_BY = {"interreg": "nuts2", "h2020": "country"}


def _timed(stages: dict, name: str, function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    stages.setdefault(name, []).append(time.perf_counter() - start)
    return value


def _bare_product(B):
    start = time.perf_counter()
    import scipy.sparse as sp

    counts = sp.triu(B @ B.T, k=1)
    counts.nnz  # noqa: B018 - force the product
    return time.perf_counter() - start


def _side_by_side(stages: dict, G) -> None:
    """networkx (the pure-Python model) against igraph (what samverkan runs) on the same graph."""
    import networkx as nx

    nxg = _timed(stages, "side by side: build networkx graph", G.to_networkx, node_attributes=False)
    ig = _timed(stages, "side by side: build igraph graph", G.to_igraph, weight=None)
    k = None if G.n <= 2000 else 64  # sampled sources on large graphs: networkx's exact run takes hours
    label = "exact" if k is None else f"{k} sources"
    _timed(stages, f"side by side: betweenness ({label}), networkx", nx.betweenness_centrality, nxg, k=k, seed=1)
    sources = None if k is None else list(range(0, G.n, max(1, G.n // k)))[:k]
    _timed(stages, f"side by side: betweenness ({label}), igraph", lambda: ig.betweenness(sources=sources))
    _timed(stages, "side by side: Louvain, networkx", nx.community.louvain_communities, nxg, seed=1)
    _timed(stages, "side by side: Louvain, igraph", ig.community_multilevel)


def _one_dataset(name: str, repeat: int, views: bool, queue) -> None:
    """Run every stage ``repeat`` times in this (child) process; report medians and peak memory."""
    sys.path.insert(0, str(ROOT / "src"))
    from samverkan.analysis import AnalysisOptions, analyse, write_analysis
    from samverkan.graph.projection import project_organisations
    from samverkan.io.package import read_package, validate_package, write_package
    from samverkan.metrics import bridging, density, groups, ownership, white_spots

    kind, source, mapping = DATASETS[name]
    stages: dict[str, list[float]] = {}
    facts: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for _ in range(repeat):
            if kind == "flat":
                from samverkan.io.flat_import import import_flat_table
                from samverkan.io.mapping import load_mapping

                result = _timed(stages, "import (read + build)", import_flat_table, source, load_mapping(mapping))
                _timed(stages, "write package", write_package, result.package, tmp / "package")
                path = tmp / "package"
                facts["import_counts"] = result.counts
            else:
                path = source
            package, problems = _timed(stages, "read + validate", validate_package, path)
            G = _timed(stages, "project", project_organisations, package)
            stages.setdefault("bare B·Bᵀ", []).append(_bare_product(G.incidence))
            metrics, notes = _timed(stages, "metrics: bridging (centrality, holes, brokerage, communities)", bridging.organisation_metrics, G, group_by="type", seed=42)
            _timed(stages, "metrics: density", density.network_summary, G)
            labels = G.nodes["type"].replace("", "(unknown)").reset_index(drop=True)
            _timed(stages, "metrics: block density + E-I", lambda: (groups.block_density(G, labels), groups.ei_index(G, labels)))
            findings = _timed(stages, "metrics: ownership", ownership.ownership_findings, package)
            _timed(stages, "metrics: white spots", white_spots.white_spots, package, findings=findings)
            result = _timed(stages, "analyse (all of the above)", analyse, package, AnalysisOptions())
            _timed(stages, "write tables", write_analysis, result, tmp / "out")
            if views:
                from samverkan.pipeline import write_views

                _timed(stages, "views + report", write_views, result, tmp / "out")
            if name in COMPARE_BY:
                from samverkan.compare import run as compare_run

                _timed(stages, f"compare --by {COMPARE_BY[name]}", compare_run.run_compare, [path], tmp / "cmp", by=COMPARE_BY[name])
            _side_by_side(stages, G)
        facts.update({"organisations": G.n, "ties": G.m, "projects": len(package.projects), "participations": len(package.participations), "notes": notes.get("notes", []) if isinstance(notes, dict) else []})
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((name, {k: statistics.median(v) for k, v in stages.items()}, peak_mb, facts))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip Horizon 2020")
    parser.add_argument("--no-views", action="store_true")
    parser.add_argument("datasets", nargs="*", default=None)
    args = parser.parse_args(argv)
    names = args.datasets or [n for n in DATASETS if not (args.quick and n == "h2020")]
    context = mp.get_context("spawn")
    for name in names:
        kind, source, _ = DATASETS[name]
        if not source.exists():
            print(f"{name}: skipped ({source} is absent)")
            continue
        queue = context.Queue()
        process = context.Process(target=_one_dataset, args=(name, args.repeat, not args.no_views, queue))
        process.start()
        outcome = None
        while outcome is None:
            try:
                outcome = queue.get(timeout=5)
            except Exception:  # queue.Empty: still working, unless the child died
                if not process.is_alive():
                    print(f"{name}: the benchmark process failed (exit code {process.exitcode})")
                    break
        process.join()
        if outcome is None:
            continue
        name, medians, peak_mb, facts = outcome
        print(f"\n{name}: {facts['organisations']:,} organisations, {facts['ties']:,} ties, {facts['projects']:,} projects, {facts['participations']:,} participations")
        if "import_counts" in facts:
            print("  import counts: " + ", ".join(f"{k}={v:,}" if isinstance(v, int) else f"{k}={v}" for k, v in facts["import_counts"].items()))
        for note in facts["notes"]:
            print(f"  note: {note}")
        print(f"  {'stage':<64} {'median s':>9}")
        for stage, seconds in medians.items():
            print(f"  {stage:<64} {seconds:>9.3f}")
        ratio = medians["project"] / medians["bare B·Bᵀ"] if medians.get("bare B·Bᵀ") else float("nan")
        print(f"  projection / bare sparse product: {ratio:.1f}×")
        print(f"  peak memory (RSS): {peak_mb:,.0f} MB  (median of {args.repeat} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
