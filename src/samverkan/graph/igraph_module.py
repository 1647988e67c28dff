"""igraph, imported without its matplotlib drawing backend (issue 16: a small run's start-up).

``import igraph`` imports ``matplotlib.pyplot`` when matplotlib is installed
(``igraph.drawing.matplotlib.utils.find_matplotlib``, called while igraph's drawing modules are
imported): 0.5–1 s, a third of a regional package's whole ``analyse``. samverkan never draws with
igraph (its figures are drawn with matplotlib's ``Figure`` directly), so :func:`igraph_module`
imports igraph while matplotlib is marked as missing; igraph then keeps a stand-in module for
its own plotting and everything else (graphs, searches, communities) is the same. matplotlib
itself is untouched: a later ``import matplotlib`` (the figures, a user's notebook) loads the
real package.

Every module of samverkan that needs igraph gets it here, never by ``import igraph``, so the
first one to ask decides how it is loaded.
"""

from __future__ import annotations

import sys

__all__ = ["igraph_module"]

_MISSING = object()


def igraph_module():
    """The ``igraph`` package, imported without ``matplotlib.pyplot`` when matplotlib is not loaded yet.

    When igraph is loaded already it is returned as it is; when matplotlib is loaded already
    igraph is imported as usual (it then finds matplotlib, as it would anyway). Otherwise
    ``sys.modules["matplotlib"]`` is set to None for the import, so igraph's ``import matplotlib``
    fails and igraph falls back to its stand-in; the entry is removed afterwards, so nothing
    outside igraph's drawing modules sees a difference. Plotting a graph with igraph's
    matplotlib backend (``igraph.plot(..., target=ax)``) is what a process that imported igraph
    here cannot do; samverkan never does it.

    Examples
    --------
    >>> ig = igraph_module()
    >>> ig.Graph(n=3, edges=[(0, 1), (1, 2)]).ecount()
    2
    """
    loaded = sys.modules.get("igraph")
    if loaded is not None:
        return loaded
    if sys.modules.get("matplotlib") is not None:
        import igraph

        return igraph
    before = sys.modules.get("matplotlib", _MISSING)
    sys.modules["matplotlib"] = None  # import matplotlib → ImportError, caught by igraph
    try:
        import igraph
    finally:
        if sys.modules.get("matplotlib", _MISSING) is None:  # ours; a real import meanwhile is kept
            if before is _MISSING:
                del sys.modules["matplotlib"]
            else:
                sys.modules["matplotlib"] = before
    return igraph
