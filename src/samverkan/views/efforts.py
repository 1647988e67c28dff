"""The map of efforts: what each organisation offers, to whom and where, and the white spots.

One self-contained HTML page for case workers: a searchable, filterable, sortable table of
efforts, and the target group × municipality coverage matrix in which empty cells ("vita fläckar",
white spots) stand out. The table is written as HTML (so it reads even without JavaScript); a small
inline script adds the filters and sorting. Every text from the input is escaped.
"""

from __future__ import annotations

import html

from samverkan.geo.names import municipality_name
from samverkan.views.attributes import split_list, text_value
from samverkan.views.kit import Markup, asset, render_page
from samverkan.views.styles import node_type
from samverkan.text.views import TEXTS, check_lang, format_int, sort_key, text, type_label

__all__ = ["write_efforts_html", "coverage_matrix", "municipality_key", "municipality_names"]


def _records(table) -> list[dict]:
    if table is None:
        return []
    if hasattr(table, "to_dict"):
        return table.to_dict("records")
    return [dict(row) for row in table]


def municipality_key(value) -> str:
    """One key per municipality: a code of one to four digits zero-padded to four, else the text.

    Excel drops leading zeros, so ``126`` and ``0126`` are the same municipality.

    Examples
    --------
    >>> municipality_key(126), municipality_key(" 0126 "), municipality_key("Botkyrka")
    ('0126', '0126', 'Botkyrka')
    """
    raw = text_value(value) or ""
    return raw.zfill(4) if raw.isdigit() and len(raw) <= 4 else raw


def municipality_names(organisations) -> dict[str, str]:
    """Names for municipality codes, from the organisations of type municipality.

    A code is named after the municipality organisation that has it, a top-level one (no
    ``parent``) first, then the shortest name (``0136`` -> ``Haninge kommun``).
    """
    candidates = []
    for row in _records(organisations):
        code = municipality_key(row.get("municipality"))
        name = text_value(row.get("name"))
        if name and code.isdigit() and node_type(row) == "municipality":
            candidates.append((code, text_value(row.get("parent")) is not None, len(name), name))
    names: dict[str, str] = {}
    for code, _, _, name in sorted(candidates):
        names.setdefault(code, name)
    return names


def coverage_matrix(efforts, target_groups, municipalities) -> dict:
    """Count the efforts open to each target group in each municipality.

    Parameters
    ----------
    efforts : iterable of dict
        Rows with ``target_groups`` and ``municipalities`` (``|``-separated text).
    target_groups, municipalities : sequence of str
        Row and column keys (target-group ids, municipality names).

    Returns
    -------
    dict
        ``{(target_group, municipality): count}`` for every pair, zeros included.

    Examples
    --------
    >>> rows = [{"target_groups": "unga|nyanlanda", "municipalities": "Botkyrka"},
    ...         {"target_groups": "unga", "municipalities": "Botkyrka|Huddinge"}]
    >>> coverage_matrix(rows, ["unga", "nyanlanda"], ["Botkyrka", "Huddinge"])
    {('unga', 'Botkyrka'): 2, ('unga', 'Huddinge'): 1, ('nyanlanda', 'Botkyrka'): 1, ('nyanlanda', 'Huddinge'): 0}
    """
    counts = {(g, m): 0 for g in target_groups for m in municipalities}
    for row in efforts:
        groups = set(split_list(row.get("target_groups")))
        places = {municipality_key(m) for m in split_list(row.get("municipalities"))}
        for g in groups:
            for m in places:
                if (g, m) in counts:
                    counts[(g, m)] += 1
    return counts


def write_efforts_html(efforts, organisations, target_groups, path, *, lang="sv", municipalities=None, title=None, subtitle=None, coverage=None, map_link: bool = False) -> dict:
    """Write the map of efforts as one self-contained, offline HTML page.

    Parameters
    ----------
    efforts : pandas.DataFrame
        Columns ``id``, ``name``, ``organisation`` (organisation id), ``target_groups``
        (``|``-separated target-group ids) and ``municipalities`` (``|``-separated names).
    organisations : pandas.DataFrame
        Columns ``id``, ``name`` and optionally ``type`` and ``municipality``.
    target_groups : pandas.DataFrame or None
        Columns ``id`` and ``name``; ids without a row are shown as they are.
    path : str or os.PathLike
        The HTML file to write (UTF-8, atomically).
    lang : {"sv", "en"}, optional
        Language of the page.
    municipalities : sequence of str, optional
        Every municipality of the area (names or codes), in the order wanted. Municipalities with
        no effort at all then show as white-spot columns. By default the municipalities named by
        the efforts. Codes are shown by the name of the municipality organisation that has them.
    title, subtitle : str, optional
        Heading (by default "Insatskarta" / "Map of efforts") and a line under it.
    coverage : pandas.DataFrame, optional
        The coverage matrix of the analysis (:func:`samverkan.metrics.white_spots.coverage_matrix`:
        target groups × municipalities, efforts and active projects counted). When given, the page
        shows exactly it, so its white spots are those of the report and white_spots.csv; without it
        the page counts the efforts alone.

    Returns
    -------
    dict
        ``efforts``, ``target_groups``, ``municipalities`` (counts) and ``white_spots`` (empty
        cells of the coverage matrix).

    Raises
    ------
    UsageError
        For an unknown `lang`.
    """
    check_lang(lang)
    T = TEXTS[lang]
    esc = html.escape
    rows = _records(efforts)
    orgs = {str(text_value(r.get("id"))): r for r in _records(organisations) if text_value(r.get("id"))}
    group_names: dict[str, str] = {}
    for r in _records(target_groups):
        gid = text_value(r.get("id"))
        if gid:
            group_names[gid] = text_value(r.get("name")) or gid
    used_groups = sorted({g for r in rows for g in split_list(r.get("target_groups"))} - set(group_names), key=sort_key)
    group_ids = list(group_names) + used_groups
    group_label = {g: group_names.get(g, g) for g in group_ids}
    code_names = municipality_names(organisations)

    def place_label(key: str) -> str:
        # a code no organisation names: the official name from the bundled code list, else the code
        return code_names.get(key) or (municipality_name(key) if key.isdigit() else None) or key

    places_of_row = {id(r): list(dict.fromkeys(municipality_key(m) for m in split_list(r.get("municipalities")))) for r in rows}
    named_places = sorted({m for places_of in places_of_row.values() for m in places_of}, key=lambda m: (sort_key(place_label(m)), m))
    if municipalities is not None:
        given = list(dict.fromkeys(m for m in (municipality_key(v) for v in municipalities) if m))
        places = given + [m for m in named_places if m not in set(given)]
    else:
        places = named_places

    # ---- the table
    rows = sorted(rows, key=lambda r: (sort_key(text_value(r.get("name")) or ""), str(r.get("id"))))
    body = []
    for r in rows:
        org_id = text_value(r.get("organisation")) or ""
        org = orgs.get(org_id, {})
        org_name = text_value(org.get("name")) or org_id
        org_type = type_label(lang, node_type(org)) if org else ""
        groups = split_list(r.get("target_groups"))
        places_of = places_of_row[id(r)]
        body.append(
            f'<tr data-tg="|{esc("|".join(groups))}|" data-mun="|{esc("|".join(places_of))}|">'
            f"<td>{esc(text_value(r.get('name')) or text_value(r.get('id')) or '')}</td>"
            f"<td>{esc(org_name)}</td>"
            f"<td>{esc(org_type)}</td>"
            f"<td>{esc(', '.join(group_label.get(g, g) for g in groups))}</td>"
            f"<td>{esc(', '.join(place_label(m) for m in places_of))}</td></tr>"
        )
    headings = [T["effort"], T["organisation"], T["organisation_type"], T["target_groups"], T["municipalities"]]
    head = "".join(f'<th scope="col" aria-sort="none"><button type="button" data-col="{i}">{esc(h)}</button></th>' for i, h in enumerate(headings))
    table = f'<table class="efforts" id="efforts-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table><p class="small" id="no-rows" hidden>{esc(T["no_rows"])}</p>'

    # ---- filters
    def options(values, labels, counts):
        return "".join(f'<option value="{esc(v, quote=True)}">{esc(labels[v])} ({format_int(counts.get(v, 0), lang)})</option>' for v in values)

    group_counts = {g: sum(g in split_list(r.get("target_groups")) for r in rows) for g in group_ids}
    place_counts = {m: sum(m in places_of for places_of in places_of_row.values()) for m in places}
    filters = (
        f'<label class="field" for="filter-target-group">{esc(T["target_group"])}</label>'
        f'<select id="filter-target-group" data-filter="tg"><option value="">{esc(T["all"])}</option>'
        f"{options(group_ids, group_label, group_counts)}</select>"
        f'<label class="field" for="filter-municipality">{esc(T["municipality"])}</label>'
        f'<select id="filter-municipality" data-filter="mun"><option value="">{esc(T["all"])}</option>'
        f"{options(places, {m: place_label(m) for m in places}, place_counts)}</select>"
    )

    # ---- coverage matrix: the analysis's when given (one source for every white spot)
    if coverage is not None and len(coverage.index) and len(coverage.columns):
        shared_names = dict(coverage.attrs.get("target_group_names", {}))
        matrix_groups = [str(g) for g in coverage.index]
        places = [str(m) for m in coverage.columns]
        for g in matrix_groups:
            group_label.setdefault(g, shared_names.get(g) or group_names.get(g, g))
        place_names = dict(coverage.attrs.get("municipality_names", {}))
        code_names.update({k: v for k, v in place_names.items() if v and k not in code_names})
        counts = {(g, m): int(coverage.iat[i, j]) for i, g in enumerate(matrix_groups) for j, m in enumerate(places)}
        group_counts.update({g: sum(g in split_list(r.get("target_groups")) for r in rows) for g in matrix_groups if g not in group_counts})
    else:
        matrix_groups = group_ids
        counts = coverage_matrix(rows, group_ids, places)
    top = max(counts.values(), default=0)
    white = sum(1 for v in counts.values() if v == 0)
    matrix_head = "".join(f'<th scope="col"><span>{esc(place_label(m))}</span></th>' for m in places)
    matrix_rows = []
    for g in matrix_groups:
        cells = []
        for m in places:
            c = counts[(g, m)]
            if c == 0:
                cls = "white-spot"
                tip = f"{group_label[g]} × {place_label(m)}: {T['white_spot']}"
            else:
                cls = f"level-{min(4, 1 + (4 * (c - 1)) // max(1, top))}"
                tip = f"{group_label[g]} × {place_label(m)}: {format_int(c, lang)}"
            cells.append(f'<td class="{cls}"><button type="button" data-tg="{esc(g, quote=True)}" data-mun="{esc(m, quote=True)}" title="{esc(tip, quote=True)}">{format_int(c, lang)}</button></td>')
        matrix_rows.append(f'<tr><th scope="row">{esc(group_label[g])}</th>{"".join(cells)}<td class="total">{format_int(group_counts[g], lang)}</td></tr>')
    notes = []
    no_place = sum(1 for places_of in places_of_row.values() if not places_of)
    no_group = sum(1 for r in rows if not split_list(r.get("target_groups")))
    if no_place:
        notes.append(text(lang, "unspecified_municipalities", n=format_int(no_place, lang)))
    if no_group:
        notes.append(text(lang, "unspecified_target_groups", n=format_int(no_group, lang)))
    if coverage is not None:
        notes.insert(0, T["coverage_shared"])
    matrix = (
        f'<p class="small">{esc(T["coverage_explained"])}</p>'
        f'<p class="white-spot-summary"><span class="swatch white-spot"></span> '
        f"{esc(text(lang, 'white_spots_count', n=format_int(white, lang), total=format_int(len(counts), lang)))}</p>"
        + "".join(f'<p class="small">{esc(n)}</p>' for n in notes)
        + '<div class="matrix-wrap"><table class="coverage" id="coverage-matrix">'
        f'<thead><tr><th scope="col">{esc(T["target_group"])}</th>{matrix_head}'
        f'<th scope="col"><span>{esc(T["total"])}</span></th></tr></thead>'
        f"<tbody>{''.join(matrix_rows)}</tbody></table></div>"
    )

    data = {"lang": lang, "texts": {"counter": T["efforts_counter"]}, "total": len(rows)}
    values = {
        "kicker": esc(T["efforts_title"]) if text_value(title) else "",
        "subtitle": (f'<p class="subtitle">{esc(str(subtitle))}</p>' if text_value(subtitle) else "") + (f'<p class="small"><a href="map.html">{esc(T["map_link"])}</a></p>' if map_link else ""),
        "search_label": esc(T["efforts_search"]),
        "search_placeholder": esc(T["search_placeholder"], quote=True),
        "filters_label": esc(T["filters"]),
        "filters": filters,
        "reset_label": esc(T["reset"]),
        "counter": esc(text(lang, "efforts_counter", shown=format_int(len(rows), lang), total=format_int(len(rows), lang))),
        "sort_hint": esc(T["sort_hint"]),
        "efforts_heading": esc(T["efforts_heading"]),
        "table": table,
        "coverage_heading": esc(T["coverage"]),
        "matrix": matrix,
        "white_spot": esc(T["white_spot"]),
        "footer": esc(T["generated"]),
    }
    page = render_page(
        "efforts.html",
        lang=lang,
        title=str(title) if text_value(title) else T["efforts_title"],
        scripts=[asset("efforts.js")],
        styles=[asset("page.css") + asset("efforts.css")],
        data={"samverkan-data": data},
        **{k: Markup(v) for k, v in values.items()},
    )
    page.write(path)
    return {"efforts": len(rows), "target_groups": len(group_ids), "municipalities": len(places), "white_spots": white}
