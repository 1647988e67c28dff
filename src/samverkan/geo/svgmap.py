"""Inline SVG maps from plain data: municipalities by state and value, counties by a key figure.

Both functions take dictionaries keyed by shape code (``"0126"``, ``"01"``), so a caller feeds
them from any table (``result.coverage``, ``result.white_spots``, a comparison). Every shape is one
``<path>`` with a ``<title>`` (its name, for hover and screen readers), ``data-code``,
``tabindex="0"`` and ``role="button"`` (keyboard: Tab, Enter). Colours are presentation attributes
(``fill=``), never ``style=``, so a strict Content-Security-Policy holds. The projection is
equirectangular with cos(latitude) scaling (:func:`samverkan.geo.shapes.project`).

States of a municipality (``states``)
-------------------------------------
``covered``
    At least one effort reaches the target group; filled on the sequential scale by ``values``.
``effort-gap``
    No effort, but active projects do (white with a grey hatching).
``white-spot``
    No effort and no active project (white with a dark red hatching: *vit fläck*).
``no-data``
    In the region but nothing to say (light grey).
Municipalities drawn only for context (neighbours) are grey and carry ``class="context"``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping
from html import escape

from ..text.maps import MAP_DRAWING_TEXTS
from .shapes import Shape, bbox, county_shapes, project
from .shapes import attribution as bundled_attribution

__all__ = [
    "CONTEXT",
    "EFFORT_GAP",
    "NO_DATA",
    "SCALE",
    "TEXTS",
    "WHITE_SPOT",
    "colour_scale",
    "county_map_svg",
    "municipality_map_svg",
    "path_data",
    "resolve_counties",
]

SCALE = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")  # ColorBrewer YlGnBu, 5 classes
WHITE_SPOT = "#b2182b"
EFFORT_GAP = "#8c8c8c"
CONTEXT = "#dcdcdc"
NO_DATA = "#f0f0f0"
SEA = "#eef4f8"

TEXTS = MAP_DRAWING_TEXTS  # the words live in text/maps.py


def _t(lang: str) -> dict:
    return TEXTS["sv" if lang == "sv" else "en"]


def _num(x: float) -> str:
    text = f"{x:.1f}"
    return text.removesuffix(".0")


def path_data(shape: Shape, to_xy) -> str:
    """The ``d`` attribute of `shape` under the projection `to_xy` (0.1 px precision, repeated points dropped)."""
    parts = []
    for polygon in shape.polygons:
        for ring in polygon:
            points, last = [], None
            for lon, lat in ring:
                x, y = to_xy(lon, lat)
                point = (_num(x), _num(y))
                if point != last:
                    points.append(point)
                    last = point
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
    return "".join(parts)


def colour_scale(values: Iterable[float], *, classes: int = 5, fmt=None) -> tuple:
    """A sequential scale for non-negative `values`: (value → colour, legend [(label, colour)]).

    Up to `classes` distinct integer values get one class each; otherwise equal intervals from the
    smallest to the largest value (labels "a–b", numbers written by `fmt`, default 3 significant
    digits). Zero and missing values get no colour (None).

    Examples
    --------
    >>> colour, legend = colour_scale([1, 2, 3])
    >>> [label for label, _ in legend], colour(0) is None, colour(3) == SCALE[-1]
    (['1', '2', '3'], True, True)
    """
    finite = sorted({float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v)) and v > 0})
    if not finite:
        return (lambda v: None), []
    palette = SCALE[-classes:] if classes <= len(SCALE) else SCALE
    if all(v.is_integer() for v in finite) and len(finite) <= classes and finite[-1] <= classes:
        steps = [int(v) for v in range(1, int(finite[-1]) + 1)]
        colours = palette[-len(steps) :] if len(steps) > 1 else palette[-1:]
        table = dict(zip(steps, colours))

        def colour(v):
            if v is None or (isinstance(v, float) and math.isnan(v)) or v <= 0:
                return None
            return table.get(round(v), colours[-1])

        return colour, [(str(s), c) for s, c in table.items()]
    lo, hi = finite[0], finite[-1]
    n = len(palette)
    integer = all(v.is_integer() for v in finite)
    if integer:  # integer bins of equal width: 1–2, 3–4, …
        step = max(1, math.ceil((hi - lo + 1) / n))
        edges = [(lo + i * step, lo + (i + 1) * step - 1) for i in range(n) if lo + i * step <= hi]
        used = palette[n - len(edges) :]

        def colour(v):
            if v is None or (isinstance(v, float) and math.isnan(v)) or v <= 0:
                return None
            return used[min(len(used) - 1, max(0, int((round(v) - lo) // step)))]

        legend = [(f"{int(a)}–{int(min(b, hi))}" if min(b, hi) > a else f"{int(a)}", c) for (a, b), c in zip(edges, used)]
        return colour, legend
    width = (hi - lo) / n if hi > lo else 1.0

    def colour(v):
        if v is None or (isinstance(v, float) and math.isnan(v)) or v <= 0:
            return None
        return palette[min(n - 1, max(0, int((v - lo) / width)))] if hi > lo else palette[-1]

    fmt = fmt or (lambda v: f"{v:.3g}")
    legend = [(f"{fmt(lo + i * width)}–{fmt(lo + (i + 1) * width)}", c) for i, c in enumerate(palette)] if hi > lo else [(fmt(hi), palette[-1])]
    return colour, legend


def value_scale(values: Iterable[float], *, classes: int = 5, fmt=None) -> tuple:
    """A sequential scale for any real `values` (z-scores may be negative): equal intervals from the
    smallest to the largest finite value; (value → colour or None when missing, legend).

    Examples
    --------
    >>> colour, legend = value_scale([-2.0, 0.0, 2.0], fmt=lambda v: f"{v:g}")
    >>> colour(-2.0) == SCALE[-5], colour(2.0) == SCALE[-1], colour(None), legend[0][0]
    (True, True, None, '-2–-1.2')
    """
    finite = sorted({float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))})
    if not finite:
        return (lambda v: None), []
    if finite[0] > 0:
        return colour_scale(finite, classes=classes, fmt=fmt)
    palette = SCALE[-classes:] if classes <= len(SCALE) else SCALE
    lo, hi, n = finite[0], finite[-1], len(palette)
    width = (hi - lo) / n if hi > lo else 1.0

    def colour(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return palette[min(n - 1, max(0, int((v - lo) / width)))] if hi > lo else palette[-1]

    fmt = fmt or (lambda v: f"{v:.3g}")
    legend = [(f"{fmt(lo + i * width)}–{fmt(lo + (i + 1) * width)}", c) for i, c in enumerate(palette)] if hi > lo else [(fmt(hi), palette[-1])]
    return colour, legend


def _patterns(prefix: str) -> str:
    return (
        f'<defs><pattern id="{prefix}-white-spot" patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(45)">'
        f'<rect width="7" height="7" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="7" stroke="{WHITE_SPOT}" stroke-width="2.2"/></pattern>'
        f'<pattern id="{prefix}-effort-gap" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(-45)">'
        f'<rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="{EFFORT_GAP}" stroke-width="1"/></pattern></defs>'
    )


def fill_for(state: str, value, colour, prefix: str) -> str:
    """The ``fill`` of a region municipality in `state` with `value` under the scale `colour`."""
    if state in ("white-spot", "effort-gap"):
        return f"url(#{prefix}-{state})"
    if state == "covered":
        return colour(value) or SCALE[0]
    return NO_DATA


def _legend(items, x: float, y: float, width: float) -> tuple[str, float]:
    """Legend rows of (label, fill) laid out left to right, wrapping at `width`; returns svg and height."""
    out, cx, cy, row = [], x, y, 18
    for label, fill in items:
        w = 22 + 6.2 * len(label) + 14
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + row
        out.append(f'<rect x="{_num(cx)}" y="{_num(cy)}" width="16" height="12" fill="{fill}" stroke="#555" stroke-width="0.6"/><text x="{_num(cx + 21)}" y="{_num(cy + 10)}">{escape(label)}</text>')
        cx += w
    return "".join(out), cy + row - y


def municipality_map_svg(
    shapes: Mapping[str, Shape],
    region: Iterable[str],
    *,
    states: Mapping[str, str] | None = None,
    values: Mapping[str, float] | None = None,
    lang: str = "sv",
    width: float = 640,
    title: str | None = None,
    source: str | None = None,
    value_label: str | None = None,
    context: bool = True,
    labels: bool = True,
    id_prefix: str = "sv",
    scale_values=None,
    max_height: float | None = None,
) -> str:
    """An inline SVG of the region's municipalities, coloured by state and value, neighbours greyed.

    Parameters
    ----------
    shapes : mapping code → Shape
        E.g. :func:`samverkan.geo.shapes.municipality_shapes`.
    region : iterable of str
        Codes of the region's municipalities; the map's box is theirs, widened by 8 %.
    states : mapping code → str, optional
        ``covered``, ``effort-gap``, ``white-spot`` or ``no-data`` (the default); see the module.
    values : mapping code → number, optional
        The count shown for ``covered`` municipalities (e.g. efforts for the target group).
    lang : {"sv", "en"}
    width : float
        Width in px; the height follows the projection (plus the legend).
    title : str, optional
        The SVG's accessible name (``<title>`` and ``aria-label``).
    source : str, optional
        The source line; default the bundled shapes' attribution.
    value_label : str, optional
        Heading of the value legend ("insatser").
    context : bool
        Draw neighbouring municipalities (grey) inside the box.
    labels : bool
        Write the region municipalities' names on the map.
    id_prefix : str
        Prefix of the pattern ids (when several maps share a page).
    scale_values : iterable of numbers, optional
        Values the colour scale spans (default `values`), so several maps can share one scale.
    max_height : float, optional
        Narrow the map so that its shapes are at most this tall (a tall region stays on screen).

    Returns
    -------
    str
        ``<svg>`` markup; every name is escaped.
    """
    t = _t(lang)
    states = dict(states or {})
    values = dict(values or {})
    region = [c for c in dict.fromkeys(region) if c in shapes]
    if not region:
        raise ValueError("none of the region's municipalities has a shape")
    box = bbox([shapes[c] for c in region], pad=0.08)
    to_xy, height = project(box, width)
    if max_height and height > max_height:
        width = max(280.0, width * max_height / height)
        to_xy, height = project(box, width)
    colour, scale_legend = colour_scale(scale_values if scale_values is not None else values.values())
    x0, y0, x1, y1 = box
    paths = [f'<rect class="sea" x="0" y="0" width="{_num(width)}" height="{_num(height)}" fill="{SEA}"/>']
    in_region = set(region)
    if context:
        for code, shape in shapes.items():
            if code in in_region:
                continue
            a, b, c, d = shape.bounds()
            if c < x0 or a > x1 or d < y0 or b > y1:
                continue
            paths.append(
                f'<path class="context" data-code="{escape(code)}" d="{path_data(shape, to_xy)}" fill="{CONTEXT}" stroke="#ffffff" stroke-width="0.8"><title>{escape(shape.name)}</title></path>'
            )
    texts = []
    for code in region:
        shape = shapes[code]
        state = states.get(code, "no-data")
        value = values.get(code)
        paths.append(
            f'<path class="muni" data-code="{escape(code)}" data-state="{escape(state)}" tabindex="0" role="button" '
            f'aria-label="{escape(shape.name)}" d="{path_data(shape, to_xy)}" fill="{fill_for(state, value, colour, id_prefix)}" '
            f'stroke="#333333" stroke-width="1"><title>{escape(shape.name)}</title></path>'
        )
        if labels:
            cx, cy = to_xy(*shape.centre())
            texts.append(f'<text x="{_num(cx)}" y="{_num(cy)}" text-anchor="middle">{escape(shape.name)}</text>')
    items = [(label, c) for label, c in scale_legend]
    state_items = [(t["white-spot"], f"url(#{id_prefix}-white-spot)"), (t["effort-gap"], f"url(#{id_prefix}-effort-gap)")]
    if context:
        state_items.append((t["context"], CONTEXT))
    canvas = max(width, 560.0)  # the legend and the source line need room even beside a narrow region
    legend_top = height + 10
    head = f'<text x="8" y="{_num(legend_top + 10)}" font-weight="bold">{escape(value_label or t["covered"])}</text>'
    scale_svg, h1 = _legend(items, 8 + 7.2 * len(value_label or t["covered"]) + 10, legend_top, canvas - 120)
    state_svg, h2 = _legend(state_items, 8, legend_top + max(h1, 18) + 2, canvas - 16)
    source_y = legend_top + max(h1, 18) + 2 + h2 + 12
    source = source if source is not None else bundled_attribution(lang)
    lines = textwrap.wrap(source, width=max(40, int((canvas - 16) / 4.9))) or [""]
    source_svg = "".join(f'<tspan x="8" dy="{0 if i == 0 else 11}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    total = source_y + 8 + 11 * (len(lines) - 1)
    label = escape(title or t["map"])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="samverkan-map" viewBox="0 0 {_num(canvas)} {_num(total)}" '
        f'width="{_num(canvas)}" height="{_num(total)}" role="group" aria-label="{label}" font-family="sans-serif" font-size="11">'
        f"<title>{label}</title>{_patterns(id_prefix)}"
        f'<clipPath id="{id_prefix}-clip"><rect x="0" y="0" width="{_num(width)}" height="{_num(height)}"/></clipPath>'
        f'<g class="shapes" clip-path="url(#{id_prefix}-clip)">{"".join(paths)}</g>'
        f'<g class="labels" pointer-events="none" stroke="#ffffff" stroke-width="3" paint-order="stroke" fill="#111">{"".join(texts)}</g>'
        f'<g class="legend">{head}{scale_svg}{state_svg}</g>'
        f'<text class="source" x="8" y="{_num(source_y)}" font-size="9" fill="#555">{source_svg}</text></svg>'
    )


def county_map_svg(
    values: Mapping[str, float | None],
    *,
    links: Iterable[tuple[str, str, float]] = (),
    lang: str = "sv",
    width: float = 360,
    title: str | None = None,
    value_label: str | None = None,
    source: str | None = None,
    fmt=None,
    shapes: Mapping[str, Shape] | None = None,
    id_prefix: str = "cm",
    max_links: int = 40,
) -> str:
    """An inline SVG of Sweden's counties coloured by a key figure, with lines between county centres.

    Parameters
    ----------
    values : mapping county code → number or None
        Keys as returned by :func:`samverkan.geo.names.county_code` ("01"); a county without a
        value is light grey ("ingen uppgift").
    links : iterable of (code, code, count)
        E.g. projects shared between two counties; drawn as lines whose width grows with the count
        (1 px to 8 px: 1 + 7 · count / largest count). Only the `max_links` strongest are drawn
        (ties at the cut are all kept); the legend says how many of how many.
    fmt : callable, optional
        Formats a value for the titles and the legend (default: 3 significant digits).
    shapes : mapping, optional
        Default the bundled counties.

    Returns
    -------
    str
        ``<svg>`` markup; each county is a ``<path data-code="01">`` with ``<title>`` "name: value".
    """
    t = _t(lang)
    shapes = shapes or county_shapes()
    fmt = fmt or (lambda v: f"{v:.3g}")
    box = bbox(shapes.values(), pad=0.02)
    to_xy, height = project(box, width)
    colour, scale_legend = value_scale([v for v in values.values() if v is not None], classes=5, fmt=fmt)  # negative values too (z-scores)
    paths = []
    for code, shape in shapes.items():
        value = values.get(code)
        fill = (colour(value) or SCALE[0]) if value is not None else NO_DATA
        shown = f"{shape.name}: {fmt(value)}" if value is not None else f"{shape.name}: {t['no-data']}"
        paths.append(
            f'<path class="county" data-code="{escape(code)}" tabindex="0" role="img" aria-label="{escape(shown)}" '
            f'd="{path_data(shape, to_xy)}" fill="{fill}" stroke="#ffffff" stroke-width="0.8"><title>{escape(shown)}</title></path>'
        )
    lines = []
    links = [(a, b, n) for a, b, n in links if a in shapes and b in shapes and a != b and n]
    top = max((n for *_, n in links), default=0)
    every = len(links)
    if max_links is not None and len(links) > max_links:
        cut = sorted((n for *_, n in links), reverse=True)[max_links - 1]
        links = [link for link in links if link[2] >= cut]
    for a, b, n in sorted(links, key=lambda link: (link[2], link[0], link[1])):
        (xa, ya), (xb, yb) = to_xy(*shapes[a].centre()), to_xy(*shapes[b].centre())
        w = 1 + 7 * n / top
        lines.append(
            f'<line x1="{_num(xa)}" y1="{_num(ya)}" x2="{_num(xb)}" y2="{_num(yb)}" stroke="#d95f02" stroke-opacity="{0.35 + 0.5 * n / top:.2f}" '
            f'stroke-width="{w:.1f}" stroke-linecap="round"><title>{escape(shapes[a].name)} – {escape(shapes[b].name)}: {_num(n)}</title></line>'
        )
    legend_top = height + 10
    head = escape(value_label or "")
    scale_svg, h1 = _legend(scale_legend + [(t["no-data"], NO_DATA)], 8, legend_top + (16 if head else 0), width - 16)
    extra = ""
    shown = "" if len(links) == every else ("; " + t["shown"].format(n=len(links), total=every))
    y = legend_top + (16 if head else 0) + h1
    if links:
        extra = (
            f'<line x1="8" y1="{_num(y + 6)}" x2="30" y2="{_num(y + 6)}" stroke="#d95f02" stroke-width="4"/>'
            f'<text x="36" y="{_num(y + 10)}">{escape(t["links"])} (max {_num(top)}{escape(shown)})</text>'
        )
        y += 20
    source = source if source is not None else bundled_attribution(lang)
    label = escape(title or t["map"])
    wrapped = textwrap.wrap(source, width=max(30, int((width - 16) / 4.4))) or [""]
    source_svg = "".join(f'<tspan x="8" dy="{0 if i == 0 else 10}">{escape(line)}</tspan>' for i, line in enumerate(wrapped))
    total = y + 22 + 10 * (len(wrapped) - 1)
    head_svg = f'<text x="8" y="{_num(legend_top + 10)}" font-weight="bold">{head}</text>' if head else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="samverkan-county-map" viewBox="0 0 {_num(width)} {_num(total)}" '
        f'width="{_num(width)}" height="{_num(total)}" role="group" aria-label="{label}" font-family="sans-serif" font-size="11">'
        f'<title>{label}</title><g class="shapes">{"".join(paths)}</g><g class="links">{"".join(lines)}</g>'
        f'<g class="legend">{head_svg}{scale_svg}{extra}</g>'
        f'<text class="source" x="8" y="{_num(y + 12)}" font-size="8" fill="#555">{source_svg}</text></svg>'
    )


def resolve_counties(values: Mapping, links: Iterable[tuple] = ()) -> tuple[dict, list, list]:
    """County names or codes as packages write them ("Västerbottens län", "Stockholm", "01") → county codes.

    Parameters
    ----------
    values : mapping name → value
        E.g. a comparison's key figure per region (``compare --by region``).
    links : iterable of (name, name, count)
        E.g. projects shared between two regions.

    Returns
    -------
    (dict, list, list)
        Values by county code, links by county codes (counts of pairs that land on the same two
        counties are added), and the names that are no Swedish county (in input order; left off the
        map, never guessed). A name that lands on a county already given a value is also listed.

    Examples
    --------
    >>> resolve_counties({"Västerbottens län": 1.5, "Stockholm": 2.0, "Nordland": 3.0}, [("Stockholms län", "Västerbotten", 4)])
    ({'24': 1.5, '01': 2.0}, [('01', '24', 4)], ['Nordland'])
    """
    from .names import county_code

    out, unmatched = {}, []
    for name, value in values.items():
        code = county_code(name)
        if code is None or code in out:
            unmatched.append(name)
            continue
        out[code] = value
    pairs: dict = {}
    for a, b, n in links:
        ca, cb = county_code(a), county_code(b)
        if ca is None or cb is None or ca == cb:
            for name, code in ((a, ca), (b, cb)):
                if code is None and name not in unmatched:
                    unmatched.append(name)
            continue
        key = tuple(sorted((ca, cb)))
        pairs[key] = pairs.get(key, 0) + n
    return out, [(a, b, n) for (a, b), n in pairs.items()], unmatched
