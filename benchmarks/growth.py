"""Growth table: samverkan on ¼×, ½×, 1×, 2× and 4× Horizon 2020, stage by stage.

The scaled packages are built from the H2020 package (``samverkan import`` output) by copying
projects: ¼× and ½× keep a seeded random share of the projects (and the organisations in
them); 2× and 4× add copies of every project under new ids in which each participant is, with
probability 0.9, a new organisation (a copy of the original under a new id) and otherwise the
original (shared) organisation. Deterministic for a seed.

For each scale, in a fresh process: read + validate, project, analyse (every metric), write the
tables, each with seconds and the process's peak memory so far; the floor (incidence B from the
participation table and B·Bᵀ); the ratio of end to end (a new ``samverkan analyse`` process,
imports included; peak memory of it and its path worker) to the floor.

    .venv/bin/python benchmarks/growth.py /tmp/h2020 --scales 0.25 0.5 1 2 4
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue as queue_module
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def scaled_package(source: Path, factor: float, target: Path, *, seed: int = 7, shared: float = 0.1) -> None:
    """Write a package ``factor`` × the size of ``source`` (see the module docstring)."""
    read = lambda name: pd.read_csv(source / f"{name}.csv", dtype=str, keep_default_na=False)
    tables = {p.stem: read(p.stem) for p in source.glob("*.csv")}
    projects, organisations, participations = tables["projects"], tables["organisations"], tables["participations"]
    rng = np.random.default_rng(seed)
    if factor < 1:
        keep = set(projects["id"][rng.random(len(projects)) < factor])
        if "parent" in projects:  # parents of kept projects stay
            keep |= set(projects.loc[projects["id"].isin(keep), "parent"]) - {""}
        projects = projects[projects["id"].isin(keep)]
        participations = participations[participations["project"].isin(keep)]
        referenced = set(participations["organisation"])  # and organisations other tables name
        for name, columns in (("contacts", ["organisation"]), ("efforts", ["organisation"]), ("ties", ["source", "target"])):
            for column in columns:
                if name in tables and column in tables[name]:
                    referenced |= set(tables[name][column])
        organisations = organisations[organisations["id"].isin(referenced)]
    else:
        copies = round(factor) - 1
        p_parts, o_parts, r_parts = [projects], [organisations], [participations]
        for c in range(1, copies + 1):
            suffix = f"~{c}"
            p = projects.copy()
            p["id"] = p["id"] + suffix
            r = participations.copy()
            r["project"] = r["project"] + suffix
            new = rng.random(len(r)) >= shared
            r.loc[new, "organisation"] = r.loc[new, "organisation"] + suffix
            o = organisations[organisations["id"].isin(set(participations["organisation"][new]))].copy()
            o["id"] = o["id"] + suffix
            o["name"] = o["name"] + suffix
            p_parts.append(p), o_parts.append(o), r_parts.append(r)
        projects, organisations, participations = (pd.concat(x, ignore_index=True) for x in (p_parts, o_parts, r_parts))
    tables.update(projects=projects, organisations=organisations, participations=participations)
    if "ties" in tables and len(tables["ties"]):
        ids = set(organisations["id"])
        ties = tables["ties"]
        tables["ties"] = ties[ties["source"].isin(ids) & ties["target"].isin(ids)]
    target.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(target / f"{name}.csv", index=False)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stages(path: Path, queue) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import scipy.sparse as sp

    from samverkan.analysis import AnalysisOptions, analyse, write_analysis
    from samverkan.graph.projection import project_organisations
    from samverkan.io.package import validate_package

    rows = []

    def timed(name, function, *args):
        start = time.perf_counter()
        value = function(*args)
        rows.append((name, time.perf_counter() - start, _peak_mb()))
        return value

    package, problems = timed("read + validate", validate_package, path)
    if package is None:
        raise SystemExit("\n".join(map(str, problems[:5])))

    def floor():
        organisations = pd.Index(package.organisations["id"])
        projects = pd.Index(package.projects["id"])
        r = organisations.get_indexer(package.participations["organisation"])
        c = projects.get_indexer(package.participations["project"])
        B = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(organisations), len(projects)))
        return sp.triu(B @ B.T, k=1).tocsr()

    timed("floor: B and B·Bᵀ", floor)
    G = timed("project", project_organisations, package)
    result = timed("analyse (all metrics)", analyse, package, AnalysisOptions())
    with tempfile.TemporaryDirectory() as tmp:
        timed("write tables", write_analysis, result, Path(tmp))
    queue.put((G.n, G.m, rows))


def _cli_analyse(path: Path, out: Path) -> tuple[float, float]:
    """A new ``samverkan analyse`` process: seconds and peak memory of it plus its children (MB)."""
    command = [sys.executable, "-m", "samverkan.cli", "analyse", str(path), "-o", str(out)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
    return seconds, children


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path, help="the H2020 package (samverkan import output)")
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 0.5, 1, 2, 4])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "samverkan-growth")
    args = parser.parse_args(argv)
    context = mp.get_context("spawn")
    print(f"{'scale':>5} {'orgs':>8} {'ties':>10}  stage seconds (peak MB)")
    previous = None
    for factor in args.scales:
        path = args.work / f"x{factor:g}"
        if not (path / "participations.csv").exists():
            scaled_package(args.package, factor, path)
        queue = context.Queue()
        process = context.Process(target=_stages, args=(path, queue))
        process.start()
        outcome = None
        while outcome is None and (process.is_alive() or not queue.empty()):
            try:
                outcome = queue.get(timeout=5)
            except queue_module.Empty:  # still working
                continue
        process.join()
        if outcome is None:
            print(f"{factor:>5g}: the benchmark process failed (exit code {process.exitcode})")
            continue
        n, m, rows = outcome
        end_to_end, cli_peak = _cli_analyse(path, args.work / f"out-x{factor:g}")
        floor = {name: s for name, s, _ in rows}["floor: B and B·Bᵀ"]
        stages = "; ".join(f"{name} {s:.2f} s ({mb:,.0f} MB)" for name, s, mb in rows)
        growth = f", ×{end_to_end / previous:.2f} the time of the previous scale" if previous else ""
        print(f"{factor:>5g} {n:>8,} {m:>10,}  {stages}")
        print(f"{'':>26}CLI analyse end to end {end_to_end:.1f} s (largest process {cli_peak:,.0f} MB); floor {floor:.2f} s; ratio {end_to_end / floor:.0f}×{growth}", flush=True)
        previous = end_to_end
    return 0


if __name__ == "__main__":
    sys.exit(main())
