"""The comparison page's county map: Sweden's counties coloured by the ranking figure, with links.

:func:`county_map_block` returns the block (``Markup``, empty when the regions are no Swedish
counties) that :func:`samverkan.compare.report.render_report` places with one line. The data come
from :func:`county_map_data`:

- **Which county a region is.** Its name when that names a county ("Västerbottens län",
  "Stockholm", "01": :func:`samverkan.geo.names.county_code`), else, for a package compared as a
  region, the county most of its municipality organisations lie in (their four-digit code starts
  with the county's two). A region with neither, or a second region on a county already drawn,
  is left off the map and named under it, never guessed.
- **The colour** is the column the regions are ranked by (``result.rank_by``; e.g. density
  against the null model), the same numbers as the ranking table.
- **Lines** between county centres: projects shared by two regions (``inter_region.csv``'s
  ``shared_projects``), summed per pair of counties, thickness by count
  (:func:`samverkan.geo.svgmap.county_map_svg`).

An accessible table under the map gives county, region and value (and the key figures the
comparison carries, with "value" or "median" said).
"""

from __future__ import annotations

import html
import math
from collections import Counter

import pandas as pd
from markupsafe import Markup

__all__ = ["TEXTS", "county_map_data", "county_map_block", "region_county"]

TEXTS = {
    "sv": {
        "title": "Länen på kartan",
        "help": "Länen färgade efter {figure}, samma tal som i rangordningen; linjerna är projekt som regionerna delar (tjockare: fler). Tabellen under kartan har samma siffror.",
        "county": "Län",
        "region": "Region",
        "unmatched": "Inte på kartan (inget svenskt län): {names}.",
        "caption": "{figure} per län",
        "how_value": "länets värde",
        "how_median": "median över {n} kommuner",
    },
    "en": {
        "title": "The counties on a map",
        "help": "The counties coloured by {figure}, the same numbers as the ranking; the lines are projects the regions share (thicker: more). The table under the map has the same numbers.",
        "county": "County",
        "region": "Region",
        "unmatched": "Not on the map (no Swedish county): {names}.",
        "caption": "{figure} per county",
        "how_value": "the county's value",
        "how_median": "median over {n} municipalities",
    },
}


def region_county(region) -> str | None:
    """The county code of a compared region (see the module docstring), or None."""
    from ..geo.names import county_code, municipality_code

    code = county_code(region.name)
    if code:
        return code
    organisations = region.package.organisations
    if "municipality" not in organisations.columns:
        return None
    counties = Counter()
    for kind, place in zip(organisations.get("type", pd.Series([""] * len(organisations))).astype(str), organisations["municipality"].astype("string").fillna("")):
        found = municipality_code(str(place)) if str(place).strip() else None
        if found and kind == "municipality":
            counties[found[:2]] += 1
    if not counties:
        return None
    (best, n), *rest = counties.most_common()
    return best if not rest or rest[0][1] < n else None


def county_map_data(result) -> dict | None:
    """``{"values": {code: value}, "regions": {code: region}, "links": [(code, code, n)], "unmatched": [...], "column": ...}``,
    or None when no region lands on a county."""
    comparison = result.comparison
    column = result.rank_by or ("density_z" if "density_z" in comparison.columns else "mean_degree")
    if column not in comparison.columns:
        return None
    value_of = dict(zip(comparison["region"].astype(str), pd.to_numeric(comparison[column], errors="coerce")))
    values, regions, unmatched = {}, {}, []
    for region in result.regions.regions:
        code = region_county(region)
        if code is None or code in values:
            unmatched.append(region.name)
            continue
        value = value_of.get(region.name)
        values[code] = None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 10) + 0.0  # no −5.8e−15 from rounding noise
        regions[code] = region.name
    if not values:
        return None
    code_of = {name: code for code, name in regions.items()}
    pairs: Counter = Counter()
    links = result.inter_region
    if links is not None and len(links):
        for a, b, n in zip(links["region_a"].astype(str), links["region_b"].astype(str), links["shared_projects"]):
            ca, cb = code_of.get(a), code_of.get(b)
            if ca and cb and ca != cb and n:
                pairs[tuple(sorted((ca, cb)))] += int(n)
    return {"values": values, "regions": regions, "links": [(a, b, n) for (a, b), n in sorted(pairs.items())], "unmatched": unmatched, "column": column}


def county_map_block(result) -> Markup:
    """The map section of the comparison page (empty Markup when no region is a Swedish county)."""
    from ..geo.shapes import attribution, county_shapes
    from ..geo.svgmap import county_map_svg
    from ..text.format import format_number
    from .report import metric_text

    data = county_map_data(result)
    if data is None:
        return Markup("")
    lang = "sv" if result.options.lang == "sv" else "en"
    t = TEXTS[lang]
    figure = metric_text(data["column"], lang)[0]
    svg = county_map_svg(data["values"], links=data["links"], lang=lang, width=420, title=figure, value_label=figure, source=attribution(lang), fmt=lambda v: format_number(v, lang), id_prefix="cmp")
    svg = svg.replace(' xmlns="http://www.w3.org/2000/svg"', "")  # inline in HTML: no namespace needed, no address in the page
    shapes = county_shapes()
    comparison = result.comparison.set_index(result.comparison["region"].astype(str))
    kf = [c for c in comparison.columns if c.startswith("kf_") and not c.endswith(("_period", "_how", "_n"))]
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in (t["county"], t["region"])) + f'<th scope="col" class="num">{html.escape(figure)}</th>'
    head += "".join(f'<th scope="col" class="num">{html.escape(c.removeprefix("kf_"))}</th>' for c in kf)
    rows = []
    for code in sorted(data["regions"], key=lambda c: shapes[c].name if c in shapes else c):
        region = data["regions"][code]
        cells = [
            f'<th scope="row">{html.escape(shapes[code].name if code in shapes else code)}</th>',
            f"<td>{html.escape(region)}</td>",
            f'<td class="num">{html.escape(format_number(data["values"][code], lang))}</td>',
        ]
        for c in kf:
            value = comparison.at[region, c] if region in comparison.index else math.nan
            how = str(comparison.at[region, c + "_how"]) if region in comparison.index and c + "_how" in comparison.columns else ""
            period = str(comparison.at[region, c + "_period"]) if region in comparison.index and c + "_period" in comparison.columns else ""
            n = comparison.at[region, c + "_n"] if c + "_n" in comparison.columns else None
            said = t["how_value"] if how == "value" else t["how_median"].format(n=int(n)) if how == "median" and n is not None and not pd.isna(n) else how
            note = f' <span class="small muted">({html.escape(period)}, {html.escape(said)})</span>' if how else ""
            cells.append(f'<td class="num">{html.escape(format_number(value, lang))}{note}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    parts = [f'<section id="county-map"><h2>{html.escape(t["title"])}</h2><p class="muted">{html.escape(t["help"].format(figure=figure))}</p>', f'<figure class="county-map">{svg}</figure>']
    if data["unmatched"]:
        shown = ", ".join(data["unmatched"][:20]) + (" …" if len(data["unmatched"]) > 20 else "")
        parts.append(f'<p class="muted">{html.escape(t["unmatched"].format(names=shown))}</p>')
    parts.append(
        f'<div class="table-wrap"><table class="sortable" id="t-county-map"><caption>{html.escape(t["caption"].format(figure=figure))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )
    return Markup("".join(parts))
