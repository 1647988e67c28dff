"""Benchmark samverkan stage by stage on the bundled examples, Interreg and Horizon 2020.

Prints, per dataset and stage, the median seconds over repeated runs and the peak memory of the
process that ran it, plus the ratio of samverkan's projection to a bare sparse product B·Bᵀ
measured in the same run, and for the regional packages the ratio of ``samverkan analyse`` to a
bare ``import pandas, scipy, networkx, igraph`` (both in new interpreters). Tests assert
behaviour; speed lives here.

    .venv/bin/python benchmarks/run.py                 # everything (takes a few minutes)
    .venv/bin/python benchmarks/run.py --quick         # examples and Interreg only
    .venv/bin/python benchmarks/run.py --repeat 5
    .venv/bin/python benchmarks/run.py h2020 --growth --accuracy   # + growth table (¼×…4×) and
                                                                # betweenness accuracy against exact values
    .venv/bin/python benchmarks/run.py h2020 --cli-only --accuracy # the acceptance figures only (end to end,
                                                                # floor, memory, accuracy)

``--growth`` and ``--accuracy`` need the H2020 package written by ``samverkan import`` (``--h2020-package``,
default /tmp/h2020; see benchmarks/growth.py and benchmarks/accuracy.py); exact betweenness is
computed once into ~/.cache/samverkan-bench by benchmarks/exact_betweenness.py (minutes).
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


def _bare_product(package) -> float:
    """The bare product the issue measures against: incidence B from the participation table, then B·Bᵀ.

    Starts, like samverkan's projection, from the table in memory: ids to positions, a binary
    organisations × projects matrix, the product and its upper triangle (each pair once).
    """
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    start = time.perf_counter()
    organisations = pd.Index(package.organisations["id"])
    projects = pd.Index(package.projects["id"])
    rows = organisations.get_indexer(package.participations["organisation"])
    cols = projects.get_indexer(package.participations["project"])
    B = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(organisations), len(projects)))
    sp.triu(B @ B.T, k=1).tocsr()
    return time.perf_counter() - start


def _read_participations(path: Path) -> float:
    """Reading participations.csv with pandas: what the issue's 0.2 s "including reading the file" adds."""
    import pandas as pd

    start = time.perf_counter()
    pd.read_csv(path / "participations.csv", usecols=["project", "organisation"], dtype=str, keep_default_na=False)
    return time.perf_counter() - start


_PEAK_REPORTER = (
    "import resource, sys\n"
    "def report():\n"
    "    # VmHWM: this process's own high-water mark; ru_maxrss would keep the (large) benchmark\n"
    "    # process's peak that the child inherited through fork before exec\n"
    "    try:\n"
    "        own = next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:'))\n"
    "    except (OSError, StopIteration):\n"
    "        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    print(f'@@peak {own}', file=sys.stderr)\n"
    "sys.argv = ['samverkan'] + sys.argv[1:]\n"
    "from samverkan.entry import cli_exit_code, quick_exit\n"
    "code = cli_exit_code()\n"
    "report()\n"
    "quick_exit(code)  # as the installed command ends\n"
)


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants together (kB, Linux /proc).

    Pages a forked worker shares copy-on-write with its parent are counted in both, so this is
    an upper bound on what the run needs. The descendants are found through each thread's
    ``children`` file, so a poll reads a handful of files instead of every process on the
    machine: the full scan took about 10 ms per poll, a sixth of a core stolen from the command
    being timed. Where the kernel has no ``children`` files, every process's parent is read.
    """
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _rss_kb(pid)
        stack.extend(_children(pid))
    return total


def _rss_kb(pid: int) -> int:
    """VmRSS of one process in kB (0 once it has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)


def _children(pid: int) -> list[int]:
    """The child processes of ``pid``, from /proc/PID/task/*/children or, failing that, a scan of /proc."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except FileNotFoundError:
            return _children_by_scan(pid)
        except OSError:
            continue
    return found


def _children_by_scan(parent: int) -> list[int]:
    """The child processes of ``parent`` found by reading every process's parent id (kernels without ``children``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            found.append(int(entry.name))
    return found


def _new_interpreter_env() -> dict:
    """The environment of a timed new interpreter: samverkan from ROOT/src, its compiled modules kept.

    An installed package has its .pyc files; with PYTHONDONTWRITEBYTECODE set (as in some CI
    and sandboxes) every run would compile samverkan's sources again (~0.3 s), which no user pays.
    The first run writes them into src/samverkan/**/__pycache__ (ignored by git).
    """
    import os

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _cli(stages: dict, name: str, *args: str) -> None:
    """Time a whole ``samverkan`` command as a user runs it: a new interpreter, imports included.

    Also records the command's own peak memory and, sampled every 50 ms, the peak of all its
    processes together (the command and its forked workers).
    """
    import subprocess

    command = [sys.executable, "-c", _PEAK_REPORTER, *args]
    cpu_before = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_new_interpreter_env())
    tree_peak = 0
    while process.poll() is None:
        if sys.platform.startswith("linux"):
            tree_peak = max(tree_peak, _tree_rss_kb(process.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    _, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"samverkan {' '.join(args)} failed ({process.returncode}):\n{stderr[-2000:]}")
    stages.setdefault(name, []).append(elapsed)
    cpu = _children_cpu() - cpu_before
    if cpu > 0:
        stages.setdefault(f"CPU seconds of {name} (all its processes)", []).append(cpu)
    peaks = [int(line.split()[1]) for line in stderr.splitlines() if line.startswith("@@peak ")]
    if peaks:
        stages.setdefault("peak memory of a CLI process (MB)", []).append(max(peaks) / 1024)
    if tree_peak:
        stages.setdefault("peak memory of all processes of a CLI command (MB)", []).append(tree_peak / 1024)


def _children_cpu() -> float:
    """User + system CPU seconds of every finished child process and its waited-for descendants (0 where unknown)."""
    try:
        import resource

        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    except (ImportError, OSError):  # Windows
        return 0.0
    return usage.ru_utime + usage.ru_stime


def _bare_import(stages: dict) -> None:
    """The floor of a small run: a new interpreter that only imports the libraries (issue 16: analyse ≤ 2× this)."""
    import subprocess

    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import pandas, scipy, networkx, igraph"], check=True, env=_new_interpreter_env())
    stages.setdefault(BARE_IMPORT, []).append(time.perf_counter() - start)


BARE_IMPORT = "bare: import pandas, scipy, networkx, igraph (new interpreter)"
CLI_ANALYSE = "CLI: samverkan analyse (end to end)"


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


def _one_dataset(name: str, repeat: int, views: bool, queue, cli_only: bool = False) -> None:
    """Run every stage ``repeat`` times in this (child) process; report medians and peak memory.

    ``cli_only``: only what the acceptance figures need (the floor, the CLI commands and their
    memory), without the in-process stages and the networkx side-by-side (minutes on H2020).
    """
    sys.path.insert(0, str(ROOT / "src"))
    from samverkan.analysis import AnalysisOptions, analyse, write_analysis
    from samverkan.graph.projection import project_organisations
    from samverkan.io.package import validate_package, write_package
    from samverkan.metrics import bridging, brokerage, centrality, communities, density, groups, ownership, structural_holes, white_spots

    import igraph  # noqa: F401 - imported before timing: stages measure work, the CLI rows include imports

    kind, source, mapping = DATASETS[name]
    stages: dict[str, list[float]] = {}
    facts: dict = {}
    notes: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for run in range(repeat):
            if kind == "flat":
                from samverkan.io.flat_import import import_flat_table
                from samverkan.io.mapping import load_mapping

                result = _timed(stages, "import (read + build)", import_flat_table, source, load_mapping(mapping))
                _timed(stages, "write package", write_package, result.package, tmp / "package")
                path = tmp / "package"
                facts["import_counts"] = result.counts
                if not cli_only:
                    _cli(stages, "CLI: samverkan import (end to end)", "import", str(source), "--map", str(mapping), "-o", str(tmp / f"cli-package-{run}"))
            else:
                path = source
            package, problems = _timed(stages, "read + validate", validate_package, path)
            G = _timed(stages, "project", project_organisations, package)
            stages.setdefault("bare: B from the table, B·Bᵀ", []).append(_bare_product(package))
            stages.setdefault("bare: reading participations.csv", []).append(_read_participations(path))
            if cli_only:
                _cli(stages, CLI_ANALYSE, "analyse", str(path), "-o", str(tmp / f"cli-out-{run}"))
                if kind == "package":
                    _bare_import(stages)
                continue
            _timed(stages, "metrics: path measures (betweenness ×2, closeness), one core", centrality.path_measures, G, seed=42)
            _timed(stages, "metrics: structural holes", structural_holes.structural_holes, G)
            _timed(stages, "metrics: brokerage roles", brokerage.brokerage, G, groups="type")
            _timed(stages, "metrics: Louvain communities", communities.louvain, G, seed=42)
            metrics, notes = _timed(stages, "metrics: bridging table (all; path measures on the 2nd core)", bridging.organisation_metrics, G, group_by="type", seed=42)
            _timed(stages, "metrics: density", density.network_summary, G)
            labels = G.nodes["type"].replace("", "(unknown)").reset_index(drop=True)
            _timed(stages, "metrics: block density + E-I", lambda: (groups.block_density(G, labels), groups.ei_index(G, labels)))
            findings = _timed(stages, "metrics: ownership", ownership.ownership_findings, package)
            _timed(stages, "metrics: white spots", white_spots.white_spots, package, findings=findings)
            result = _timed(stages, "analyse (all of the above)", analyse, package, AnalysisOptions())
            _timed(stages, "write tables", write_analysis, result, tmp / "out")
            if views:
                from samverkan.pipeline import write_views

                facts_views = _timed(stages, "views + report", write_views, result, tmp / "out")
                for stage, seconds in facts_views.get("timings", {}).items():
                    stages.setdefault(f"  of which {stage}", []).append(seconds)
            if name in COMPARE_BY:
                from samverkan.compare import run as compare_run

                _timed(stages, f"compare --by {COMPARE_BY[name]}", compare_run.run_compare, [path], tmp / "cmp", by=COMPARE_BY[name])
            _cli(stages, CLI_ANALYSE, "analyse", str(path), "-o", str(tmp / f"cli-out-{run}"))
            if kind == "package":  # a regional package: its run against the libraries' import alone
                _bare_import(stages)
            if name in COMPARE_BY:
                _cli(stages, f"CLI: samverkan compare --by {COMPARE_BY[name]} (end to end)", "compare", str(path), "--by", COMPARE_BY[name], "-o", str(tmp / f"cli-cmp-{run}"))
            _side_by_side(stages, G)
        facts.update(
            {"organisations": G.n, "ties": G.m, "projects": len(package.projects), "participations": len(package.participations), "notes": notes.get("notes", []) if isinstance(notes, dict) else []}
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    facts["cli_peak"] = max(stages.get("peak memory of a CLI process (MB)", [0]))
    facts["tree_peak"] = max(stages.get("peak memory of all processes of a CLI command (MB)", [0]))
    queue.put((name, {k: statistics.median(v) for k, v in stages.items()}, peak_mb, facts))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip Horizon 2020")
    parser.add_argument("--no-views", action="store_true")
    parser.add_argument("--cli-only", action="store_true", help="only the floor and the CLI commands end to end (the acceptance figures; skips in-process stages and the networkx comparison)")
    parser.add_argument("--growth", action="store_true", help="print the growth table (¼×, ½×, 1×, 2×, 4× H2020)")
    parser.add_argument("--accuracy", action="store_true", help="betweenness accuracy against exact values on H2020")
    parser.add_argument("--h2020-package", type=Path, default=Path(tempfile.gettempdir()) / "h2020")
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
        process = context.Process(target=_one_dataset, args=(name, args.repeat, not args.no_views, queue, args.cli_only))
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
        cli_peak = medians.pop("peak memory of a CLI process (MB)", None)  # the largest over runs, not a median
        cli_peak = facts.get("cli_peak", cli_peak)
        tree_peak = medians.pop("peak memory of all processes of a CLI command (MB)", None)
        tree_peak = facts.get("tree_peak", tree_peak)
        print(f"  {'stage':<72} {'median s':>9}")
        for stage, seconds in medians.items():
            print(f"  {stage:<72} {seconds:>9.3f}")
        bare = medians["bare: B from the table, B·Bᵀ"]
        read = medians["bare: reading participations.csv"]
        print(f"  projection / bare sparse product: {medians['project'] / bare:.1f}×  (both from the table in memory)")
        print(f"  projection / bare sparse product including reading participations.csv: {(medians['project'] + read) / (bare + read):.1f}×")
        if BARE_IMPORT in medians:
            run, floor = medians[CLI_ANALYSE], medians[BARE_IMPORT]
            print(f"  samverkan analyse / bare import: {run:.2f} s / {floor:.2f} s = {run / floor:.1f}×  (both new interpreters; goal ≤ 2×)")
        print(f"  peak memory (RSS) of the benchmark process: {peak_mb:,.0f} MB")
        if cli_peak is not None:
            print(f"  peak memory (RSS) of the largest samverkan CLI process: {cli_peak:,.0f} MB")
        if tree_peak:
            print(f"  peak memory (RSS) of all processes of a samverkan CLI command together (upper bound): {tree_peak:,.0f} MB")
        end_to_end = medians.get("CLI: samverkan analyse (end to end)")
        if end_to_end is not None:
            floor = bare + read
            print(f"  samverkan analyse end to end: {end_to_end:.2f} s; floor (read participations.csv, B, B·Bᵀ): {floor:.3f} s; ratio {end_to_end / floor:.0f}×")
        print(f"  (medians of {args.repeat} runs)")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args.growth:
        import growth

        print("\ngrowth (copies of H2020 projects, 90 % new organisations):")
        growth.main([str(args.h2020_package)])
    if args.accuracy:
        import accuracy

        print("\nbetweenness against exact values:")
        accuracy.main([str(args.h2020_package), "--name", "h2020", "--sources", "512", "--seeds", "1", "2", "3"])  # what analyse uses
    return 0


if __name__ == "__main__":
    sys.exit(main())
