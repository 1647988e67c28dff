"""Structural holes and brokerage roles from one listing of the graph's triangles.

Both measures reduce to sums over triangles (see :mod:`samverkan.metrics.structural_holes`
and :mod:`samverkan.metrics.brokerage` for the definitions and references), so the bridging
table lists the triangles once and feeds both.
"""

from __future__ import annotations

import pandas as pd

from . import brokerage as _brokerage
from . import structural_holes as _holes


def holes_and_brokerage(G, group_by: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Burt's measures on binary ties and Gould–Fernandez roles by ``group_by``, in node order.

    Returns the frames of :func:`structural_holes.structural_holes` (effective_size,
    efficiency, constraint) and :func:`brokerage.brokerage` (the five roles and
    brokerage_total), computed from one pass over the triangles.
    """
    holes = _holes._HolesAccumulator(G, None)
    broker = _brokerage._BrokerageAccumulator(G, group_by)
    for batch in _holes._triangle_batches(holes.i, holes.j, G.n):
        holes.add(batch)
        broker.add(batch)
    return holes.result(), broker.result()
