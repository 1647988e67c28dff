"""Static network figures (PNG and SVG) for reports printed on A4."""

from __future__ import annotations

import io
import math
from pathlib import Path

from samverkan.views.attributes import display_name, flag_value
from samverkan.views.backbone import metric_values, select_backbone
from samverkan.io.output import atomic_write_bytes
from samverkan.views.layout import compute_layout, remove_overlaps
from samverkan.views.styles import PNG_OPTIONS, TYPE_COLOURS, TYPE_ORDER, darker, edge_width, node_type, scale_sizes
from samverkan.text.views import TEXTS, check_lang, format_int, metric_label, text, type_label

__all__ = ["write_static_figures", "FIGURE_WIDTH_CM", "FIGURE_LABELS"]

FIGURE_WIDTH_CM = 17.0
"""Width of the figures: the text width of an A4 page with 2 cm margins."""

FIGURE_LABELS = 18
"""How many nodes (by the size metric) get a name in the figure, space allowing."""


def write_static_figures(G, stem, *, title, lang="sv", size_by="degree", seed=42, max_nodes=300) -> list[Path]:
    """Draw the organisation network as ``<stem>.png`` (200 dpi) and ``<stem>.svg``.

    Parameters
    ----------
    G : networkx.Graph
        Organisation graph with the node and edge attributes described in
        :func:`samverkan.views.network.write_network_html`.
    stem : str or os.PathLike
        Output path without suffix; ``.png`` and ``.svg`` are appended (a dot in the name is kept).
    title : str
        Figure title.
    lang : {"sv", "en"}, optional
        Language of legend and captions.
    size_by : str, optional
        Node metric that sets node area and picks the labelled nodes.
    seed : int, optional
        Layout seed (the layout is the one the interactive pages use).
    max_nodes : int, optional
        Larger graphs are drawn as the backbone of the `max_nodes` nodes with the highest
        `size_by`; the caption says so (counting ``G.graph["nodes_total"]`` nodes when `G` is
        itself the backbone of a larger graph).

    Returns
    -------
    list of pathlib.Path
        The PNG and the SVG, in that order.

    Notes
    -----
    17 cm wide, colour by organisation type with a legend, names for the most central nodes that
    fit without overlapping. Matplotlib is imported here and drawn without pyplot (no global state,
    no display needed). The SVG keeps text as text, has no date and a fixed hash salt, so the same
    input gives the same bytes.
    """
    check_lang(lang)
    from matplotlib import patheffects, rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.transforms import Bbox

    T = TEXTS[lang]
    stem = Path(stem)
    total = int(G.graph.get("nodes_total", G.number_of_nodes()))  # G may be the backbone of a larger graph
    values = metric_values(G, size_by)
    backbone = total > max_nodes
    H = G.subgraph(select_backbone(G, max_nodes, size_by=size_by)) if backbone else G
    order = sorted(H.nodes, key=str)

    width_in = FIGURE_WIDTH_CM / 2.54
    plot_in = width_in - 0.2
    types = {n: node_type(H.nodes[n]) for n in order}
    present = [t for t in TYPE_ORDER if t in set(types.values())]
    legend_rows = math.ceil((len(present) + 2) / 3)
    height_in = plot_in * 0.78 + 0.55 + 0.18 * legend_rows
    fig = Figure(figsize=(width_in, height_in), dpi=200)
    FigureCanvasAgg(fig)
    legend_h = (0.18 * legend_rows + 0.12) / height_in
    title_h = 0.5 / height_in
    ax = fig.add_axes((0.01, legend_h, 0.98, 1 - legend_h - title_h))
    ax.set_axis_off()
    ax.set_aspect("equal")

    # positions in points, so node discs can be kept apart at their printed size
    radius_pt = dict(scale_sizes({n: values[n] for n in order}, min_px=1.8, max_px=7.5).items())
    unit = compute_layout(H, seed=seed)
    half_pt = plot_in * 72 * 0.45
    pos = remove_overlaps({n: (unit[n][0] * half_pt, unit[n][1] * half_pt) for n in order}, radius_pt, padding=0.8, iterations=40) if order else {}

    segments, widths = [], []
    for u, v, d in _edges_among(G, H):
        segments.append((pos[u], pos[v]))
        widths.append(0.25 + 0.2 * (edge_width(d.get("shared_projects")) - 1))
    if segments:
        order_idx = sorted(range(len(segments)), key=lambda i: (str(segments[i]), widths[i]))
        ax.add_collection(LineCollection([segments[i] for i in order_idx], linewidths=[widths[i] for i in order_idx], colors="#8a96a3", alpha=0.45, zorder=1))

    bridging = {n for n in order if flag_value(H.nodes[n].get("bridging"))}
    articulation = {n for n in order if flag_value(H.nodes[n].get("articulation_point"))}
    drawing = sorted(order, key=lambda n: (-radius_pt[n], str(n)))  # big first, small on top
    for marker, group in (("o", [n for n in drawing if n not in articulation]), ("D", [n for n in drawing if n in articulation])):
        if not group:
            continue
        ax.scatter(
            [pos[n][0] for n in group],
            [pos[n][1] for n in group],
            s=[(2 * radius_pt[n] * (0.85 if marker == "D" else 1)) ** 2 for n in group],
            c=[TYPE_COLOURS[types[n]] for n in group],
            edgecolors=["#111111" if n in bridging else darker(TYPE_COLOURS[types[n]]) for n in group],
            linewidths=[1.3 if n in bridging else 0.4 for n in group],
            marker=marker,
            zorder=2,
        )
    if order:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        pad = 12
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(min(ys) - pad, max(ys) + pad)

    # labels: most central first; one that would overlap a label already placed is left out
    ranked = sorted(order, key=lambda n: (-values[n], str(n)))
    candidates = ranked[:FIGURE_LABELS] + [n for n in ranked if n in bridging and n not in ranked[:FIGURE_LABELS]][:8]
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    to_display = ax.transData.transform
    points = fig.dpi / 72
    discs = {}
    for n in candidates:  # the discs of the labelled nodes must stay visible
        cx, cy = to_display(pos[n])
        r = radius_pt[n] * points
        discs[n] = Bbox.from_extents(cx - r, cy - r, cx + r, cy + r)
    placed = []
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for n in candidates:
        name = display_name(n, H.nodes[n])
        label = ax.annotate(
            name if len(name) <= 30 else name[:29].rstrip() + "\u2026",
            xy=pos[n],
            xytext=(0, -(radius_pt[n] + 1.5)),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=6.5,
            color="#1d2733",
            zorder=3,
            path_effects=halo,
        )
        box = label.get_window_extent(renderer=renderer)
        if box.x0 < frame.x0 + 2 or box.x1 > frame.x1 - 2:  # near the edge: align inwards
            label.set_horizontalalignment("left" if box.x0 < frame.x0 + 2 else "right")
            label.set_position((-radius_pt[n] if box.x0 < frame.x0 + 2 else radius_pt[n], -(radius_pt[n] + 1.5)))
            box = label.get_window_extent(renderer=renderer)
        box = box.expanded(1.04, 1.1)
        blocked = any(box.overlaps(other) for other in placed) or any(box.overlaps(disc) for m, disc in discs.items() if m != n)
        if blocked or box.x0 < frame.x0 or box.x1 > frame.x1:
            label.remove()
        else:
            placed.append(box)

    fig.text(0.015, 1 - 0.2 / height_in, str(title), fontsize=10, fontweight="bold", va="center", ha="left", color="#1d2733")
    caption = text(lang, "size_explained", metric=metric_label(lang, size_by))
    if backbone:
        caption = text(lang, "figure_backbone", shown=format_int(H.number_of_nodes(), lang), total=format_int(total, lang)) + " " + caption
    fig.text(0.015, 1 - 0.4 / height_in, caption, fontsize=7, va="center", ha="left", color="#5b6673")

    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor=TYPE_COLOURS[t], markeredgecolor=darker(TYPE_COLOURS[t]), markeredgewidth=0.4, label=type_label(lang, t))
        for t in present
    ]
    if bridging:
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor="white", markeredgecolor="#111111", markeredgewidth=1.3, label=T["bridging_short"]))
    if articulation:
        handles.append(Line2D([], [], marker="D", linestyle="", markersize=5, markerfacecolor="#9aa5b1", markeredgecolor="#5b6673", markeredgewidth=0.4, label=T["articulation_short"]))
    if handles:
        fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False, bbox_to_anchor=(0.5, 0.01), handletextpad=0.3, columnspacing=1.5, borderaxespad=0.2)

    png = stem.with_name(stem.name + ".png")
    svg = stem.with_name(stem.name + ".svg")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200, facecolor="white", metadata={"Software": None}, pil_kwargs=PNG_OPTIONS)
    atomic_write_bytes(png, buffer.getvalue())
    buffer = io.BytesIO()
    with rc_context({"svg.hashsalt": "samverkan", "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None, "Creator": None})
    atomic_write_bytes(svg, buffer.getvalue())
    return [png, svg]


def _edges_among(G, H):
    """The edges of `H` (a subgraph of `G`), each from the end that comes first in `G`.

    That is how ``G.edges`` reports them; a subgraph view of a small part of `G` reports them in
    the order of a set instead, which changes with Python's string hashing from run to run (and
    with it the direction of each line in the SVG).
    """
    if H is G or G.is_directed() or G.is_multigraph():
        yield from H.edges(data=True)
        return
    keep = set(H)
    seen = set()
    for u in G:
        if u not in keep:
            continue
        for v, d in G.adj[u].items():
            if v in keep and v not in seen:
                yield u, v, d
        seen.add(u)
