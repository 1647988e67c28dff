"""Small runs import only what they use (issue 16: a regional package's ``analyse`` near the bare
``import pandas, scipy, networkx, igraph``).

Each case runs in a new interpreter, does one job on the Södertörn example (22 organisations) and
prints ``sys.modules``; the test names the modules that job must not have loaded. Heavy libraries
for large graphs (numba), for one output (openpyxl: the workbook; jinja2: the pages) or for the
views are imported by the function that needs them, so a run that does not need them never pays
for them. Tests assert behaviour, not seconds; ``benchmarks/run.py`` prints the times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SODERTORN = ROOT / "data" / "sodertorn-2009"

# for large graphs only (the betweenness kernels): never loaded by a regional package
LARGE_GRAPHS_ONLY = ("numba", "llvmlite", "networkit")


def _modules_after(code: str, tmp_path: Path, **env) -> set[str]:
    """The names in ``sys.modules`` after ``code`` ran in a new interpreter (cwd ``tmp_path``)."""
    script = code + "\nimport json, sys\nprint('@@modules ' + json.dumps(sorted(sys.modules)))\n"
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""), **env}
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("@@modules "))
    return set(json.loads(line[len("@@modules ") :]))


def _loaded(modules: set[str], names) -> list[str]:
    """The packages of ``names`` (or any of their submodules) found in ``modules``."""
    return sorted(name for name in names if any(m == name or m.startswith(name + ".") for m in modules))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_analyse_of_a_regional_package_never_loads_the_large_graph_kernels(tmp_path, workers):
    # the whole command as a user runs it: every table, page, figure and map written
    code = (
        "import sys\n"
        "from samverkan.cli import main\n"
        f"sys.argv = ['samverkan', 'analyse', {str(SODERTORN)!r}, '-o', 'out', '--force', '--quiet']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
    )
    modules = _modules_after(code, tmp_path, SAMVERKAN_WORKERS=workers)
    assert (tmp_path / "out" / "index.html").is_file() and (tmp_path / "out" / "analysis.xlsx").is_file()
    assert _loaded(modules, LARGE_GRAPHS_ONLY) == []
    if workers == "2" and sys.platform.startswith("linux"):  # the workbook is written by the forked tables worker (fork: Linux only)
        assert _loaded(modules, ["openpyxl"]) == []
    # igraph is loaded without its matplotlib backend (graph/igraph_module.py) and the print map is drawn
    # without pyplot: pyplot is never imported, yet every figure is drawn
    assert _loaded(modules, ["matplotlib.pyplot"]) == []
    assert all((tmp_path / "out" / name).stat().st_size > 0 for name in ("network.png", "network.svg", "map.png", "map.svg"))
    if workers == "2" and sys.platform.startswith("linux"):  # the writers' worker, forked before the analysis, draws them
        assert _loaded(modules, ["matplotlib"]) == []


def test_analysis_without_outputs_loads_no_writer_and_no_view(tmp_path):
    code = f"import samverkan\nresult = samverkan.analyse(samverkan.read_package({str(SODERTORN)!r}))\nassert len(result.organisations)\n"
    modules = _modules_after(code, tmp_path)
    assert _loaded(modules, LARGE_GRAPHS_ONLY + ("openpyxl", "jinja2", "networkx", "samverkan.views", "samverkan.report", "samverkan.pipeline")) == []
    assert "igraph" in modules and _loaded(modules, ["matplotlib"]) == []  # igraph without its drawing backend


def test_help_and_validate_load_no_analysis_library(tmp_path):
    help_modules = _modules_after("import sys\nfrom samverkan.cli import main\nsys.argv = ['samverkan', '--help']\ntry:\n    main()\nexcept SystemExit:\n    pass\n", tmp_path)
    assert _loaded(help_modules, ("pandas", "numpy", "scipy", "igraph", "networkx", "matplotlib", "openpyxl", "jinja2", "numba")) == []
    code = f"import sys\nfrom samverkan.cli import main\nsys.argv = ['samverkan', 'validate', {str(SODERTORN)!r}]\ntry:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
    validate_modules = _modules_after(code, tmp_path)
    assert _loaded(validate_modules, ("scipy", "igraph", "networkx", "matplotlib", "openpyxl", "jinja2", "numba", "samverkan.analysis", "samverkan.views")) == []


def test_the_sampled_path_searches_load_no_scipy_stats(tmp_path):
    """The path worker of a large graph imports the estimator; its normal quantile is scipy.special's (scipy.stats costs ~0.9 s)."""
    modules = _modules_after("from samverkan.metrics import betweenness_estimate, centrality, path_kernels, twins", tmp_path)
    assert _loaded(modules, ["scipy.stats"]) == []
