"""Colours, shapes and sizes shared by the interactive pages and the static figures."""

from __future__ import annotations

import functools
import math
from collections import Counter
from numbers import Real

from samverkan.model import ORG_TYPES, canonical_org_type, canonical_role

__all__ = [
    "TYPE_ORDER",
    "PNG_OPTIONS",
    "TYPE_COLOURS",
    "CATEGORY_PALETTE",
    "OTHER_COLOUR",
    "ROLE_COLOURS",
    "MIN_NODE_PX",
    "MAX_NODE_PX",
    "node_type",
    "role_key",
    "main_role",
    "scale_sizes",
    "edge_width",
    "darker",
    "Category",
    "categorise",
]

TYPE_ORDER = (*ORG_TYPES, "project")

# Public sector in blues and purples, civil society in greens, academia red, business orange.
TYPE_COLOURS = {
    "municipality": "#2f6db5",
    "region": "#17a2b8",
    "county_council": "#6f5bb5",
    "state_agency": "#8c564b",
    "county_admin_board": "#c49c6a",
    "association_of_local_authorities": "#8fb8e0",
    "ngo": "#2ca02c",
    "social_economy": "#9bd08a",
    "academia": "#d62728",
    "business": "#ff7f0e",
    "funder": "#b5b31d",
    "other": "#8a8a8a",
    "project": "#f2c14e",
}

# For colouring by community, region or any other category (tableau-like, colour-blind aware order).
CATEGORY_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#1b9e77",
    "#a0cbe8",
    "#ffbe7d",
    "#8cd17d",
    "#d37295",
    "#86bcb6",
    "#d4a6c8",
)
OTHER_COLOUR = "#bdbdbd"

ROLE_COLOURS = {
    "owner": "#c0392b",
    "lead": "#e67e22",
    "steering": "#8e44ad",
    "reference": "#16a085",
    "working": "#2980b9",
    "partner": "#7f8c8d",
    "support": "#27ae60",
    "funder": "#b5b31d",
    "evaluator": "#d35400",
    "benchmark": "#95a5a6",
    "other": "#b0b0b0",
}

MIN_NODE_PX = 7.0
MAX_NODE_PX = 38.0


def node_type(attrs: dict) -> str:
    """The canonical type of a node (``"other"`` when missing or unknown)."""
    raw = attrs.get("type")
    if raw is None or (isinstance(raw, float) and math.isnan(raw)) or str(raw).strip() == "":
        return "other"
    raw = str(raw).strip()
    if raw in TYPE_COLOURS:
        return raw
    return canonical_org_type(raw) or "other"


def role_key(role) -> str:
    """The canonical code of one role spelling (``"styrgrupp"`` -> ``"steering"``), else ``"other"``.

    Examples
    --------
    >>> [role_key(r) for r in ("Projektägare", "styrgrupp", "kaffekokare", None)]
    ['owner', 'steering', 'other', 'other']
    """
    text = "" if role is None else str(role).strip()
    return _role_code(text) if text else "other"


@functools.lru_cache(maxsize=4096)
def _role_code(text: str) -> str:
    """:func:`role_key` of a stripped, non-blank spelling (a view asks for the same few spellings thousands of times)."""
    return canonical_role(text) or "other"


def main_role(roles) -> str:
    """The weightiest of several roles, in the order of :data:`ROLE_COLOURS` (owner first).

    Examples
    --------
    >>> main_role(["partner", "styrgrupp"])
    'steering'
    """
    keys = [role_key(r) for r in roles] or ["other"]
    order = list(ROLE_COLOURS)
    return min(keys, key=order.index)


def scale_sizes(values: dict, *, min_px: float = MIN_NODE_PX, max_px: float = MAX_NODE_PX) -> dict:
    """Node radii in pixels, so that the node *area* is proportional to the value.

    Parameters
    ----------
    values : dict
        ``{node: float}``; negative values are shifted so the smallest is 0.
    min_px, max_px : float, optional
        Radius of the smallest and of the largest value.

    Returns
    -------
    dict
        ``{node: float}`` rounded to 0.1 px.

    Examples
    --------
    >>> scale_sizes({"a": 0, "b": 1, "c": 4}, min_px=10, max_px=30)
    {'a': 10.0, 'b': 20.0, 'c': 30.0}
    """
    if not values:
        return {}
    low = min(values.values())
    shift = -low if low < 0 else 0.0
    top = max(values.values()) + shift
    if top <= 0:
        return {n: round((min_px + max_px) / 3, 1) for n in values}
    return {n: round(min_px + (max_px - min_px) * math.sqrt((v + shift) / top), 1) for n, v in values.items()}


def edge_width(shared_projects) -> float:
    """Line width for an edge from its number of shared projects: 1 px for one, up to 8 px.

    Examples
    --------
    >>> [edge_width(n) for n in (None, 1, 2, 4, 100)]
    [1.0, 1.0, 2.5, 4.0, 8.0]
    """
    if not isinstance(shared_projects, Real) or isinstance(shared_projects, bool) or not shared_projects > 1:
        return 1.0
    return round(min(8.0, 1.0 + 1.5 * math.log2(float(shared_projects))), 1)


def darker(colour: str, factor: float = 0.7) -> str:
    """A darker shade of a ``#rrggbb`` colour (for borders).

    Examples
    --------
    >>> darker("#ffffff", 0.5)
    '#808080'
    """
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


class Category:
    """One entry of a colour legend: a key, its label, colour and how many nodes have it."""

    __slots__ = ("key", "label", "colour", "count")

    def __init__(self, key: str, label: str, colour: str, count: int):
        self.key, self.label, self.colour, self.count = key, label, colour, count

    def __repr__(self) -> str:
        return f"Category({self.key!r}, {self.label!r}, {self.colour!r}, {self.count})"


def categorise(values: dict, *, colours: dict | None = None, order=None, labels=None, max_categories: int = 12, other_label: str = "other", missing_label: str = "–"):
    """Give every node a colour by a categorical value, and build the legend.

    Parameters
    ----------
    values : dict
        ``{node: value}``; ``None`` means missing.
    colours : dict, optional
        Fixed colours per value (e.g. :data:`TYPE_COLOURS`); values not in it get palette colours.
    order : sequence, optional
        Legend order of known values; others follow by count, then by value.
    labels : callable, optional
        ``label(value) -> str`` for the legend.
    max_categories : int, optional
        With a palette, at most this many values get their own colour; the rest share
        :data:`OTHER_COLOUR` under `other_label`.
    other_label, missing_label : str, optional
        Legend labels of the shared colour and of missing values.

    Returns
    -------
    (dict, list of Category)
        ``{node: colour}`` and the legend entries, in legend order.

    Examples
    --------
    >>> node_colour, legend = categorise({"a": "x", "b": "x", "c": "y"})
    >>> legend
    [Category('x', 'x', '#4e79a7', 2), Category('y', 'y', '#f28e2b', 1)]
    """
    colours = colours or {}
    labels = labels or str
    counts = Counter(v for v in values.values() if v is not None)
    position = {v: i for i, v in enumerate(order or ())}
    ranked = sorted(counts, key=lambda v: (position.get(v, len(position)), -counts[v], str(v)))
    assigned: dict = {}
    palette = iter(CATEGORY_PALETTE)
    legend = []
    rest = 0
    for value in ranked:
        if value in colours:
            colour = colours[value]
        elif len([c for c in legend if c.key not in colours]) < max_categories:
            colour = next(palette, None)
            if colour is None:
                rest += counts[value]
                continue
        else:
            rest += counts[value]
            continue
        assigned[value] = colour
        legend.append(Category(str(value), labels(value), colour, counts[value]))
    missing = sum(1 for v in values.values() if v is None)
    if rest:
        legend.append(Category("__other__", other_label, OTHER_COLOUR, rest))
    if missing:
        legend.append(Category("__missing__", missing_label, OTHER_COLOUR, missing))
    node_colour = {n: assigned.get(v, OTHER_COLOUR) for n, v in values.items()}
    return node_colour, legend


PNG_OPTIONS = {"compress_level": 3}
"""How the figures' PNG files are compressed (zlib level; Pillow's default is 6). Measured on the
network figures and maps of Södertörn, Örebro, Interreg and H2020: level 3 encodes in 0.07–0.18 s
instead of 0.12–0.30 s, and the files are 5 % smaller to 17 % larger (map.png 347 → 381 kB)."""
