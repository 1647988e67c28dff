"""``map.html``, ``map.svg`` and ``map.png``: efforts and white spots per municipality, from one analysis.

:func:`map_facts` turns an :class:`~samverkan.analysis.AnalysisResult` into plain facts (per
target group and municipality: efforts, active projects, state), read from the same tables the
report uses: ``result.white_spots`` decides which cells are white spots (kinds ``white-spot`` and
``effort-gap``: no effort reaches the target group there) and
:func:`samverkan.metrics.white_spots.coverage_matrix` counts efforts and projects apart (their
sum is ``result.coverage``). The page and the print map draw those facts; nothing is recomputed
in JavaScript.

"All target groups" shows the number of distinct efforts that reach a municipality; it is a white
spot only when no target group has an effort or project there.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from .styles import PNG_OPTIONS
from .embed import json_for_script  # the kit's: JSON safe inside <script type="application/json">
from ..text.maps import MAP_PAGE_TEXTS
from ..geo.names import municipality_code, normalise
from ..geo.shapes import Shape, attribution, municipality_shapes
from ..geo.svgmap import (
    CONTEXT,
    EFFORT_GAP,
    NO_DATA,
    SCALE,
    WHITE_SPOT,
    colour_scale,
    fill_for,
    municipality_map_svg,
)

__all__ = [
    "TEXTS",
    "json_for_script",
    "map_facts",
    "match_shapes",
    "render_map_html",
    "write_map_html",
    "write_map_png",
    "write_map_svg",
    "write_maps",
]

ALL = "__all__"
WHITE_KINDS = ("white-spot", "effort-gap")

TEXTS = MAP_PAGE_TEXTS  # the words live in text/maps.py


def _t(lang: str) -> dict:
    return TEXTS["sv" if lang == "sv" else "en"]


def _text(frame, column) -> pd.Series:
    if frame is None or column not in frame.columns:
        return pd.Series([""] * (0 if frame is None else len(frame)), dtype=object)
    return frame[column].astype("string").fillna("").str.strip().astype(object).reset_index(drop=True)


def _split(cell) -> list[str]:
    return [p.strip() for p in str(cell or "").split("|") if p.strip()]


def match_shapes(keys, shapes: dict[str, Shape] | None = None, names: dict | None = None) -> dict[str, str]:
    """Package municipality keys (codes or names) → shape codes; keys without a shape are left out.

    With the bundled Swedish shapes (the default) a key is matched by
    :func:`samverkan.geo.names.municipality_code`. With a user's shapes a key matches a shape whose
    code equals it, else the one shape whose normalised name equals it (``None`` when several do),
    else the one whose name equals the key's name in `names` (e.g. "Huddinge kommun" for "0126");
    a trailing "kommun", "kommune", "stad", "fylke" or "län" is ignored on both sides.

    Examples
    --------
    >>> match_shapes(["0126", "Haninge kommun", "Atlantis"])
    {'0126': '0126', 'Haninge kommun': '0136'}
    """
    if shapes is None:
        found = {k: municipality_code(k) for k in keys}
        return {k: v for k, v in found.items() if v}
    import re

    suffix = re.compile(r" (kommun|kommune|stad|fylke|län|municipality|county)$")

    def spell(value) -> str:
        return suffix.sub("", normalise(value))

    by_name: dict[str, set] = {}
    for code, shape in shapes.items():
        for spelling in {spell(shape.name), spell(code)}:
            by_name.setdefault(spelling, set()).add(code)
    out = {}
    for k in keys:
        if k in shapes:
            out[k] = k
            continue
        for candidate in (k, (names or {}).get(k)):
            hits = by_name.get(spell(candidate), set()) if candidate else set()
            if len(hits) == 1:
                out[k] = next(iter(hits))
                break
    return out


def _as_of(result):
    """The analysis' reference date (``summary["as_of"]``, decided by :func:`samverkan.timeline.reference_date`)."""
    from .. import timeline

    stated = (getattr(result, "summary", None) or {}).get("as_of")
    if stated:
        return pd.Timestamp(stated)
    options = result.options
    given = options.as_of or (options.period[1] if options.period else None)
    return timeline.reference_date(result.package, given)[0]


def map_facts(result, *, shapes: dict[str, Shape] | None = None, lang: str | None = None, source: str | None = None):
    """The facts a map of one analysis shows, or a reason (str) why there is no map.

    Parameters
    ----------
    result : AnalysisResult
    shapes : mapping code → Shape, optional
        A user's shapes (:func:`samverkan.geo.shapes.load_user_shapes`); default Sweden's municipalities.
    lang : {"sv", "en"}, optional
        Default the analysis' language.
    source : str, optional
        The source line of user shapes (default: the bundled shapes' attribution, or none).

    Returns
    -------
    dict or str
        ``municipalities`` [{key, code, name}] (region, in the coverage order), ``groups`` [{id, name}],
        ``cells`` {group id or "__all__": {code: {efforts, projects, state}}}, ``cards`` {code: {...}},
        ``organisations`` [{id, name, codes, effort_codes, project_codes}] (where it offers efforts, where
        the projects it takes part in are placed: the municipalities of their municipality participants), ``white_spot_cells`` [(group, key)], ``lang``; or a
        sentence fragment saying why there is no map (the caller writes "No map: …").
    """
    from .. import timeline
    from ..metrics.ownership import project_frame
    from ..metrics.white_spots import Municipalities, coverage_matrices

    lang = lang or result.options.lang
    t = _t(lang)
    package = result.package
    coverage = result.coverage
    keys = [str(k) for k in coverage.columns]
    if not keys:
        return t["no_place"]
    matched = match_shapes(keys, shapes, coverage.attrs.get("municipality_names"))
    if not matched:
        return t["no_shapes"].format(keys=", ".join(keys[:5]) + (" …" if len(keys) > 5 else ""))
    all_shapes = shapes if shapes is not None else municipality_shapes()
    resolver = Municipalities(package)
    as_of = _as_of(result)
    groups = [str(g) for g in coverage.index]
    group_names = coverage.attrs.get("target_group_names", {})
    by_kind = getattr(result, "coverage_by_kind", None)  # counted by the analysis at the same reference date
    apart = [by_kind["effort"], by_kind["project"]] if by_kind else coverage_matrices(package, as_of=as_of, includes=(("effort",), ("project",)), resolver=resolver)
    efforts_cov, projects_cov = (m.reindex(index=coverage.index, columns=coverage.columns, fill_value=0) for m in apart)
    spots = result.white_spots
    spot_kind = {}
    if len(spots):
        cells = spots[spots["kind"].isin(WHITE_KINDS)]
        spot_kind = {(str(g), str(k)): str(kind) for g, k, kind in zip(cells["target_group"], cells["municipality"], cells["kind"])}

    municipalities = [{"key": k, "code": matched[k], "name": all_shapes[matched[k]].name} for k in keys if k in matched]
    code_of = {m["key"]: m["code"] for m in municipalities}

    # Efforts by municipality key (resolved as the white-spot module does).
    efforts = package.tables.get("efforts")
    org_names = dict(zip(_text(package.organisations, "id"), _text(package.organisations, "name")))
    effort_rows = []
    if efforts is not None and len(efforts):
        for eid, name, org, tg, places in zip(_text(efforts, "id"), _text(efforts, "name"), _text(efforts, "organisation"), _text(efforts, "target_groups"), _text(efforts, "municipalities")):
            effort_rows.append({"id": eid, "name": name or eid, "organisation": org, "groups": _split(tg), "keys": [resolver.resolve(p) for p in _split(places)]})
    has_efforts = bool(effort_rows)

    cells: dict[str, dict] = {}
    for g in groups:
        row = {}
        for k, code in code_of.items():
            e, p = int(efforts_cov.at[g, k]), int(projects_cov.at[g, k])
            kind = spot_kind.get((g, k))
            state = kind if kind else ("covered" if (e if has_efforts else p) > 0 else "no-data")
            row[code] = {"efforts": e, "projects": p, "state": state}
        cells[g] = row
    total = {}
    for k, code in code_of.items():
        n_eff = len({r["id"] for r in effort_rows if k in r["keys"]})
        n_proj = int(projects_cov[k].sum()) if k in projects_cov.columns else 0
        states = [cells[g][code]["state"] for g in groups]
        if (n_eff if has_efforts else n_proj) > 0:
            state = "covered"
        elif states and all(s == "white-spot" for s in states):
            state = "white-spot"
        elif states and all(s in WHITE_KINDS for s in states):
            state = "effort-gap"
        else:
            state = "no-data"
        total[code] = {"efforts": n_eff, "projects": n_proj, "state": state}
    cells[ALL] = total
    if not has_efforts:  # colour by projects when the package has no map of efforts
        for row in cells.values():
            for cell in row.values():
                cell["value"] = cell["projects"]
    else:
        for row in cells.values():
            for cell in row.values():
                cell["value"] = cell["efforts"]

    # Projects and organisations by municipality.
    projects = result.projects.set_index("id") if len(result.projects) else pd.DataFrame(columns=["name", "owner_names", "status"])
    frame = project_frame(package)
    is_active = dict(zip(frame.index, timeline.active(frame["status"], frame["start"], frame["end"], as_of))) if len(frame) else {}
    project_groups = dict(zip(_text(package.projects, "id"), _text(package.projects, "target_groups")))
    parts = package.participations
    part_orgs = _text(parts, "organisation")
    part_projects = _text(parts, "project")
    org_keys = resolver.organisation_keys
    places_of_project: dict[str, set] = {}
    for org, proj in zip(part_orgs, part_projects):
        key = org_keys.get(org, "")
        if key and bool(resolver.is_municipality.get(org, False)):
            places_of_project.setdefault(proj, set()).add(key)
    orgs = package.organisations
    org_type = dict(zip(_text(orgs, "id"), _text(orgs, "type")))
    cards = {}
    for k, code in code_of.items():
        local_orgs = [o for o in org_keys.index if org_keys.get(o) == k]
        proj_ids = sorted({p for p, places in places_of_project.items() if k in places} | {p for o, p in zip(part_orgs, part_projects) if o in local_orgs})
        cards[code] = {
            "name": all_shapes[code].name,
            "efforts": [
                {"name": r["name"], "organisation": org_names.get(r["organisation"], r["organisation"]), "groups": [group_names.get(g, g) for g in r["groups"]]} for r in effort_rows if k in r["keys"]
            ],
            "projects": [
                {
                    "name": str(projects["name"].get(p, p)) if p in projects.index else p,
                    "owner": str(projects["owner_names"].get(p, "")) if p in projects.index else "",
                    "active": bool(is_active.get(p, False)),
                    "groups": [group_names.get(g, g) for g in _split(project_groups.get(p, ""))],
                }
                for p in proj_ids
            ],
            "organisations": [{"name": org_names.get(o, o), "type": org_type.get(o, "")} for o in local_orgs],
            "white_spots": [{"group": group_names.get(g, g), "kind": spot_kind[(g, k)]} for g in groups if (g, k) in spot_kind],
        }
    ego = []
    for oid, name in org_names.items():
        offered = {k for r in effort_rows if r["organisation"] == oid for k in r["keys"]}
        joined = {k for o, p in zip(part_orgs, part_projects) if o == oid for k in places_of_project.get(p, ())}
        effort_codes = sorted({code_of[k] for k in offered if k in code_of})
        project_codes = sorted({code_of[k] for k in joined if k in code_of})
        if effort_codes or project_codes:
            ego.append({"id": oid, "name": name, "codes": sorted(set(effort_codes) | set(project_codes)), "effort_codes": effort_codes, "project_codes": project_codes})
    ego.sort(key=lambda o: normalise(o["name"]))
    return {
        "lang": lang,
        "municipalities": municipalities,
        "groups": [{"id": g, "name": group_names.get(g, g)} for g in groups],
        "cells": cells,
        "cards": cards,
        "organisations": ego,
        "white_spot_cells": sorted(spot_kind),
        "has_efforts": has_efforts,
        "source": source if source is not None else (attribution(lang) if shapes is None else ""),
    }


def _asset(name: str) -> str:
    return resources.files("samverkan.geo").joinpath("assets", name).read_text(encoding="utf-8")


def _fills(facts: dict, prefix: str = "sv") -> tuple[dict, list]:
    """fill per selection and code, and the values the colour scale spans (shared by all selections)."""
    values = [c["value"] for row in facts["cells"].values() for c in row.values()]
    colour, _ = colour_scale(values)
    fills = {g: {code: fill_for(c["state"], c["value"], colour, prefix) for code, c in row.items()} for g, row in facts["cells"].items()}
    return fills, values


def render_map_html(facts: dict, *, title: str | None = None, shapes: dict[str, Shape] | None = None, links=()) -> str:
    """The page of :func:`write_map_html` as a string, from :func:`map_facts`, through the page kit.

    `links` names the sibling pages the header links to (``index.html``, ``efforts.html``) when
    they are written beside the map.
    """
    lang = facts["lang"]
    t = _t(lang)
    all_shapes = shapes if shapes is not None else municipality_shapes()
    fills, values = _fills(facts)
    region = [m["code"] for m in facts["municipalities"]]
    start = facts["cells"][ALL]
    svg = municipality_map_svg(
        all_shapes,
        region,
        states={c: v["state"] for c, v in start.items()},
        values={c: v["value"] for c, v in start.items()},
        lang=lang,
        width=640,
        title=title or t["title"],
        source=facts["source"] or "",
        value_label=t["value_label"] if facts["has_efforts"] else t["projects"].lower(),
        scale_values=values,
        context=shapes is None,
        max_height=640,
    )
    data = {k: facts[k] for k in ("municipalities", "groups", "cells", "cards", "organisations", "lang")}
    data["fills"] = fills
    data["texts"] = {k: t[k] for k in ("efforts", "projects", "organisations", "white_spots", "owner", "none", "white_spot", "effort_gap", "selected", "ended")}
    rows = []
    for m in facts["municipalities"]:
        cells = []
        for g in facts["groups"]:
            c = facts["cells"][g["id"]][m["code"]]
            note = t["white_spot"] if c["state"] == "white-spot" else t["effort_gap"] if c["state"] == "effort-gap" else ""
            cells.append({"text": f"{c['efforts']} ({c['projects']})", "note": note, "state": c["state"], "group": g["id"]})
        rows.append({"code": m["code"], "name": m["name"], "cells": cells, "total": facts["cells"][ALL][m["code"]]["efforts"]})
    from .kit import Markup, render_page

    links = [(href, t[key]) for href, key in (("index.html", "report"), ("efforts.html", "efforts_page")) if href in links]
    page = render_page(
        "map.html",
        lang=lang,
        title=title or t["title"],
        styles=[_asset("map.css")],
        scripts=[_asset("map.js")],
        data={"map-data": data},
        t=t,
        kicker=t["title"] if title else "",
        links=links,
        svg=Markup(svg),
        groups=facts["groups"],
        organisations=facts["organisations"],
        rows=rows,
        all_id=ALL,
        source=facts["source"],
    )
    return page.html


def write_map_html(result, path, lang: str | None = None, *, title: str | None = None, shapes: dict[str, Shape] | None = None, source: str | None = None):
    """Write ``map.html`` for `result`; return the facts (dict), or the reason (str) when there is no map.

    The page is self-contained and offline: the inline SVG, the data as JSON, one inline script and
    one inline style allowed by hash in a Content-Security-Policy ``<meta>``. Nothing is written
    when there is no map.
    """
    from ..io.output import atomic_write_text

    facts = map_facts(result, shapes=shapes, lang=lang, source=source)
    if isinstance(facts, str):
        return facts
    atomic_write_text(path, render_map_html(facts, title=title, shapes=shapes))
    return facts


def _figure(facts: dict, shapes: dict[str, Shape] | None, title: str | None):
    """A matplotlib figure: one small map per target group (at most six), then all target groups."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path as MplPath

    from ..geo.shapes import bbox

    lang = facts["lang"]
    t = _t(lang)
    all_shapes = shapes if shapes is not None else municipality_shapes()
    region = [m["code"] for m in facts["municipalities"]]
    box = bbox([all_shapes[c] for c in region], pad=0.08)
    values = [c["value"] for row in facts["cells"].values() for c in row.values()]
    colour, legend = colour_scale(values)
    panels = [(g["id"], g["name"]) for g in facts["groups"][:6]] + [(ALL, t["all_groups"])]
    cols = min(3, len(panels))
    rows_n = -(-len(panels) // cols)
    import math

    aspect = (box[3] - box[1]) / ((box[2] - box[0]) * math.cos(math.radians((box[1] + box[3]) / 2)))
    aspect = min(1.6, max(0.5, aspect))
    fig = Figure(figsize=(4.2 * cols, rows_n * (4.2 * aspect + 0.5) + 1.3))  # no pyplot: no global state, no GUI backend
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows_n, cols, squeeze=False)
    in_region = set(region)

    def patch(*many, **kw):
        verts, codes = [], []
        for shape in many:
            for poly in shape.polygons:
                for ring in poly:
                    verts += list(ring) + [ring[0]]
                    codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 1) + [MplPath.CLOSEPOLY]
        return PathPatch(MplPath(verts, codes), **kw)

    def add(ax, artist):  # add_artist: the limits are set by hand, add_patch would measure every curve
        ax.add_artist(artist)

    context = [s for c, s in all_shapes.items() if c not in in_region and shapes is None and not (s.bounds()[2] < box[0] or s.bounds()[0] > box[2] or s.bounds()[3] < box[1] or s.bounds()[1] > box[3])]
    for ax, (gid, gname) in zip(axes.flat, panels):
        if context:
            add(ax, patch(*context, facecolor=CONTEXT, edgecolor="white", linewidth=0.5))
        for code in region:
            cell = facts["cells"][gid][code]
            state = cell["state"]
            if state == "white-spot":
                kw = {"facecolor": "white", "hatch": "////", "edgecolor": WHITE_SPOT}
            elif state == "effort-gap":
                kw = {"facecolor": "white", "hatch": "\\\\", "edgecolor": EFFORT_GAP}
            elif state == "covered":
                kw = {"facecolor": colour(cell["value"]) or SCALE[0], "edgecolor": "#333333"}
            else:
                kw = {"facecolor": NO_DATA, "edgecolor": "#333333"}
            add(ax, patch(all_shapes[code], linewidth=0.6, **kw))
            add(ax, patch(all_shapes[code], facecolor="none", edgecolor="#333333", linewidth=0.6))
        ax.set_xlim(box[0], box[2])
        ax.set_ylim(box[1], box[3])
        ax.set_aspect(1 / math.cos(math.radians((box[1] + box[3]) / 2)))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("#eef4f8")
        name = gname if len(gname) <= 48 else gname[:46] + "…"
        ax.set_title(name, fontsize=9)
        if gid == ALL:  # names once, on the overview panel
            for code in region:
                x, y = all_shapes[code].centre()
                ax.text(
                    x, y, all_shapes[code].name, fontsize=6.5, ha="center", va="center", color="#111111", bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.7}
                )
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    handles = [Patch(facecolor=c, edgecolor="#555", label=label) for label, c in legend]
    handles += [
        Patch(facecolor="white", edgecolor=WHITE_SPOT, hatch="////", label=_svg_text(lang, "white-spot")),
        Patch(facecolor="white", edgecolor=EFFORT_GAP, hatch="\\\\", label=_svg_text(lang, "effort-gap")),
    ]
    if shapes is None:
        handles.append(Patch(facecolor=CONTEXT, edgecolor="#999", label=_svg_text(lang, "context")))
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=min(5, len(handles)),
        fontsize=8,
        frameon=False,
        title=t["value_label"] if facts["has_efforts"] else t["projects"].lower(),
        title_fontsize=8,
        bbox_to_anchor=(0.5, 0.04),
    )
    if facts["source"]:
        fig.text(0.01, 0.005, facts["source"], fontsize=6.5, color="#555555", ha="left", va="bottom")
    fig.suptitle(title or t["title"], fontsize=12)
    fig.tight_layout(rect=(0, 0.12, 1, 0.96))
    # the layout is fixed now: without an engine savefig skips a second, invisible draw of every panel
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):  # None means "the rc's engine"
        fig.set_layout_engine(None)
    return fig


def _svg_text(lang, key):
    from ..geo.svgmap import TEXTS as SVG_TEXTS

    return SVG_TEXTS["sv" if lang == "sv" else "en"][key]


def _write_figure(result, path, lang, fmt, *, title=None, shapes=None, dpi=150, source=None):
    facts = map_facts(result, shapes=shapes, lang=lang, source=source)
    if isinstance(facts, str):
        return facts
    _write_facts_figure(facts, {fmt: path}, title=title, shapes=shapes, dpi=dpi)
    return facts


def write_map_svg(result, path, lang: str | None = None, *, title: str | None = None, shapes: dict[str, Shape] | None = None, source: str | None = None):
    """Write the print map as SVG (one panel per target group, legend, source line); facts or reason."""
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "samverkan", "svg.fonttype": "none"}):
        return _write_figure(result, path, lang, "svg", title=title, shapes=shapes, source=source)


def write_map_png(result, path, lang: str | None = None, *, title: str | None = None, shapes: dict[str, Shape] | None = None, dpi: int = 150, source: str | None = None):
    """Write the print map as PNG (as :func:`write_map_svg`); facts or reason."""
    return _write_figure(result, path, lang, "png", title=title, shapes=shapes, dpi=dpi, source=source)


def write_maps(result, directory, lang: str | None = None, *, title: str | None = None, geo=None, geo_key: str | None = None, source: str | None = None):
    """Write ``map.html``, ``map.svg`` and ``map.png`` into `directory`: the one call ``analyse`` needs.

    Parameters
    ----------
    result : AnalysisResult
    directory : str or os.PathLike
    lang : {"sv", "en"}, optional
    title : str, optional
    geo : str or os.PathLike, optional
        A user's GeoJSON (``--geo``); default Sweden's municipalities (bundled).
    geo_key : str, optional
        The property of `geo` that holds the code or name the package uses (``--geo-key``); required with `geo`.
    source : str, optional
        The source line under a map of user shapes.

    Returns
    -------
    list of pathlib.Path or str
        The files written, or one sentence saying why there is no map (nothing is written then).
    """
    from pathlib import Path

    from ..geo.shapes import load_user_shapes

    t = _t(lang or result.options.lang)
    shapes = None
    if geo is not None:
        if not geo_key:
            return t["no_map"].format(reason="--geo needs --geo-key PROPERTY" if t is TEXTS["en"] else "--geo behöver --geo-key EGENSKAP")
        shapes, reason = load_user_shapes(geo, geo_key)
        if reason:
            return t["no_map"].format(reason=reason)
    facts = map_facts(result, shapes=shapes, lang=lang, source=source)
    if isinstance(facts, str):
        return t["no_map"].format(reason=facts)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    from ..io.output import atomic_write_text

    package = result.package
    links = ["index.html"] + (["efforts.html"] if len(getattr(package, "efforts", ())) else [])
    atomic_write_text(directory / "map.html", render_map_html(facts, title=title, shapes=shapes, links=links))
    written = [directory / "map.html"]
    import matplotlib

    # one figure saved twice: drawing the panels and fitting the layout is most of the map's time
    with matplotlib.rc_context({"svg.hashsalt": "samverkan", "svg.fonttype": "none"}):
        _write_facts_figure(facts, {"svg": directory / "map.svg", "png": directory / "map.png"}, title=title, shapes=shapes)
    written += [directory / "map.svg", directory / "map.png"]
    return written


def _write_facts_figure(facts, paths: dict, *, title=None, shapes=None, dpi=150):
    """Draw the print map once and save it in each format of ``paths`` (``{"svg": path, "png": path}``)."""
    import io

    from ..io.output import atomic_write_bytes

    fig = _figure(facts, shapes, title)
    for fmt, path in paths.items():
        buffer = io.BytesIO()
        options = {"metadata": {"Date": None}} if fmt == "svg" else {"metadata": {"Software": None}, "pil_kwargs": PNG_OPTIONS}
        fig.savefig(buffer, format=fmt, dpi=dpi, **options)
        atomic_write_bytes(path, buffer.getvalue())
