"""igraph without its matplotlib backend: samverkan never draws with igraph, and ``import igraph``
would import matplotlib.pyplot (0.5–1 s of a small run)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_igraph_is_loaded_without_matplotlib_which_still_loads_and_draws_afterwards(tmp_path):
    out = _run(
        "import sys\n"
        "from samverkan.graph.igraph_module import igraph_module\n"
        "ig = igraph_module()\n"
        "g = ig.Graph(n=4, edges=[(0, 1), (2, 3)])  # two pieces\n"
        "print('pieces', len(g.connected_components()), 'ecount', g.ecount())\n"
        "print('matplotlib loaded', any(m == 'matplotlib' or m.startswith('matplotlib.') for m in sys.modules))\n"
        "print('same module', igraph_module() is ig is sys.modules['igraph'])\n"
        "import matplotlib\n"
        "from matplotlib.figure import Figure\n"
        "from matplotlib.backends.backend_agg import FigureCanvasAgg\n"
        "figure = Figure(figsize=(1, 1)); FigureCanvasAgg(figure); figure.subplots().plot([0, 1], [1, 0])\n"
        f"figure.savefig({str(tmp_path / 'f.png')!r})\n"
        "print('real matplotlib', hasattr(matplotlib, 'rcParams'), 'pyplot' , 'matplotlib.pyplot' in sys.modules)\n"
    )
    assert "pieces 2 ecount 2" in out
    assert "matplotlib loaded False" in out
    assert "same module True" in out
    assert "real matplotlib True pyplot False" in out
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_with_matplotlib_loaded_first_igraph_is_imported_as_usual():
    out = _run(
        "import sys\nimport matplotlib\nfrom samverkan.graph.igraph_module import igraph_module\n"
        "ig = igraph_module()\n"
        "print('ok', ig.Graph(n=2, edges=[(0, 1)]).ecount(), sys.modules['matplotlib'] is matplotlib)\n"
    )
    assert "ok 1 True" in out


def test_a_blocked_matplotlib_stays_blocked():
    # a caller that marked matplotlib as missing itself keeps its mark
    out = _run("import sys\nsys.modules['matplotlib'] = None\nfrom samverkan.graph.igraph_module import igraph_module\nigraph_module()\nprint('kept', sys.modules['matplotlib'] is None)\n")
    assert "kept True" in out


def test_samverkan_imports_igraph_only_through_igraph_module():
    """Every ``import igraph`` in the package goes through graph/igraph_module.py (the first import decides)."""
    import re

    offenders = []
    for path in (ROOT / "src" / "samverkan").rglob("*.py"):
        if path.name == "igraph_module.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*(import igraph\b|from igraph\b)", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
