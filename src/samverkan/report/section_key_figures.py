"""The report's key-figure section: each indicator over the periods, beside the network.

:func:`sections` returns the entry for ``ReportDraft._sections``'s ``sections`` list (nothing when the
package has no key figures), so ``report/build.py`` needs one line::

    *section_key_figures.sections(self),

Per indicator (gender T, the total, when the table has it; else the first gender):

- a table of the areas over the periods with the change since each area's first period
  (:func:`samverkan.metrics.key_figures.change_since_first`, as in ``key_figures.csv``);
- small multiples: one small line chart per area (inline SVG, each on its own scale, first and last
  value written out; the periods the area's projects ran are shaded);
- a scatter of one network figure (:data:`NETWORK_FIGURES`: the first that varies most) against the
  indicator across the municipalities, with n and the sentence that it shows association, not
  effect; fewer than five municipalities: no scatter, and it says so
  (:func:`samverkan.metrics.key_figures.key_figure_scatter`);
- before / during / after the projects that cover each municipality
  (:func:`samverkan.metrics.key_figures.phase_summary`).

Every word is in :data:`TEXTS` (Swedish and English); numbers go through :mod:`samverkan.text.format`;
values from the data are escaped.
"""

from __future__ import annotations

import html as _html
import math

import pandas as pd

from ..text import report as T
from ..text.format import format_int, format_number, format_percent

__all__ = ["TEXTS", "sections", "section_key_figures", "small_multiples_svg", "scatter_svg"]

TEXTS = {
    "sv": {
        "sec_key_figures": "Nyckeltal bredvid nätverket",
        "kf_intro": "Paketet har {n_ind} nyckeltal för {n_areas} områden ({periods}). Tabellen visar värdet per period och förändringen sedan områdets första period; samma siffror finns i key_figures.csv, med områdets nätverkstal bredvid.",
        "kf_unmatched": "Områden som inte motsvarar någon organisation, insats eller vit fläck i paketet (behålls, utan nätverkstal): {areas}.",
        "kf_area": "Område",
        "kf_change": "Förändring sedan {first}",
        "kf_change_share": "Förändring i procent",
        "kf_table_caption": "{name}{unit}, kön: {gender}. Förändring: värdet i sista perioden minus värdet i områdets första period.",
        "kf_multiples": "Utveckling per område",
        "kf_multiples_caption": "Ett litet diagram per område, vart och ett med egen skala (första och sista värdet utskrivna). Skuggat: perioder då projekt som täcker kommunen pågick.",
        "kf_scatter": "Nätverk och nyckeltal",
        "kf_scatter_text": "Varje punkt är en kommun (n = {n}, {period}): {x} (vågrätt) mot {name} (lodrätt). Diagrammet visar samvariation, inte effekt: det säger inte att samverkan ger högre eller lägre värden.",
        "kf_no_scatter": "Inget spridningsdiagram: bara {n} kommuner har både värde och nätverkstal, och det behövs minst fem.",
        "kf_x_mean_betweenness": "medelmellanheten för kommunens organisationer",
        "kf_x_projects": "projekt som kommunens organisationer deltar i",
        "kf_x_efforts": "insatser i kommunen",
        "kf_x_organisations": "organisationer i kommunen",
        "kf_phases": "Före, under och efter projekten",
        "kf_phases_caption": "Medelvärdet av nyckeltalet i perioderna före, under och efter de daterade projekt som täcker kommunen (antal perioder inom parentes).",
        "kf_before": "Före",
        "kf_during": "Under",
        "kf_after": "Efter",
        "kf_span": "Projektens tid",
        "kf_no_phases": "Inga daterade projekt täcker områdena, så före och efter kan inte visas.",
        "kf_association": "Nyckeltalen visar samvariation med nätverket, aldrig effekt.",
    },
    "en": {
        "sec_key_figures": "Key figures beside the network",
        "kf_intro": "The package has {n_ind} key figure(s) for {n_areas} areas ({periods}). The table shows the value per period and the change since the area's first period; key_figures.csv has the same numbers, with the area's network figures beside them.",
        "kf_unmatched": "Areas that match no organisation, effort or white spot of the package (kept, without network figures): {areas}.",
        "kf_area": "Area",
        "kf_change": "Change since {first}",
        "kf_change_share": "Change in per cent",
        "kf_table_caption": "{name}{unit}, gender: {gender}. Change: the value in the last period minus the value in the area's first period.",
        "kf_multiples": "Over time, per area",
        "kf_multiples_caption": "One small chart per area, each on its own scale (first and last value written out). Shaded: periods when projects covering the municipality ran.",
        "kf_scatter": "Network and key figure",
        "kf_scatter_text": "Each point is a municipality (n = {n}, {period}): {x} (across) against {name} (up). The chart shows association, not effect: it does not say that collaboration raises or lowers the values.",
        "kf_no_scatter": "No scatter: only {n} municipalities have both a value and network figures, and it takes at least five.",
        "kf_x_mean_betweenness": "the mean betweenness of its organisations",
        "kf_x_projects": "projects its organisations take part in",
        "kf_x_efforts": "efforts in the municipality",
        "kf_x_organisations": "organisations in the municipality",
        "kf_phases": "Before, during and after the projects",
        "kf_phases_caption": "The mean of the key figure in the periods before, during and after the dated projects that cover the municipality (number of periods in brackets).",
        "kf_before": "Before",
        "kf_during": "During",
        "kf_after": "After",
        "kf_span": "Projects ran",
        "kf_no_phases": "No dated projects cover the areas, so before and after cannot be shown.",
        "kf_association": "Key figures show association with the network, never effect.",
    },
}

for _lang, _texts in TEXTS.items():  # the section title is looked up in the report's catalogue like the others
    for _key, _value in _texts.items():
        T.TEXTS[_lang].setdefault(_key, _value)


def _t(lang: str) -> dict:
    return TEXTS["sv" if lang == "sv" else "en"]


def _e(value) -> str:
    return _html.escape("" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value), quote=True)


def sections(report) -> list[tuple]:
    """``[("key-figures", "sec_key_figures", build)]`` when the analysis has key figures, else ``[]``."""
    table = getattr(report.result, "key_figures", None)
    if table is None or not len(table):
        return []
    return [("key-figures", "sec_key_figures", lambda: section_key_figures(report.result, report.lang))]


def _gender(rows: pd.DataFrame) -> str:
    genders = [str(g) for g in dict.fromkeys(rows["gender"])]
    return "T" if "T" in genders else genders[0]


def _area_label(rows: pd.DataFrame) -> dict:
    names = {}
    for area, name in zip(rows["area"].astype(str), rows["area_name"]):
        names.setdefault(area, str(name) if isinstance(name, str) and name else area)
    return names


def section_key_figures(result, lang: str) -> str:
    """The section's HTML for an analysis with key figures."""
    from ..analysis import key_figure_phase_tables
    from ..metrics.key_figures import key_figure_scatter

    t = _t(lang)
    table = result.key_figures
    indicators = list(dict.fromkeys(table["indicator"].astype(str)))
    periods = sorted(set(table["period"].astype(str)))
    period_text = periods[0] if len(periods) == 1 else f"{periods[0]}–{periods[-1]}"
    parts = [
        f"<p>{_e(t['kf_intro'].format(n_ind=format_int(len(indicators), lang), n_areas=format_int(table['area'].nunique(), lang), periods=period_text))}</p>",
        f'<p class="note">{_e(t["kf_association"])}</p>',
    ]
    unmatched = sorted(set(table.loc[~table["matched"].astype(bool), "area"].astype(str))) if "matched" in table.columns else []
    if unmatched:
        parts.append(f'<p class="note">{_e(t["kf_unmatched"].format(areas=", ".join(unmatched)))}</p>')
    phases, summary = key_figure_phase_tables(result)  # as analyse computed them for the tables
    summary = summary if len(phases) else pd.DataFrame()
    spans = _spans(phases)
    for indicator in indicators:
        rows = table[table["indicator"].astype(str) == indicator]
        gender = _gender(rows)
        rows = rows[rows["gender"].astype(str) == gender]
        names = rows["indicator_name"].dropna().astype(str) if "indicator_name" in rows.columns else pd.Series([], dtype=object)
        name = next((n for n in names if n), indicator)
        units = rows["unit"].dropna().astype(str) if "unit" in rows.columns else pd.Series([], dtype=object)
        unit = next((u for u in units if u), "")
        parts.append(f'<h3 id="kf-{_e(indicator)}">{_e(name)} <span class="small muted">({_e(indicator)})</span></h3>')
        parts.append(_period_table(rows, name, unit, gender, lang))
        parts.append(f"<h4>{_e(t['kf_multiples'])}</h4>")
        parts.append(small_multiples_svg(rows, lang, spans=spans))
        parts.append(f'<p class="small muted">{_e(t["kf_multiples_caption"])}</p>')
        parts.append(f"<h4>{_e(t['kf_scatter'])}</h4>")
        network = _network_figure(table, indicator, gender)
        scatter = key_figure_scatter(table, indicator, network=network, gender=gender)
        if scatter["enough"]:
            parts.append(scatter_svg(scatter, name, lang))
            parts.append(f"<p>{_e(t['kf_scatter_text'].format(n=format_int(scatter['n'], lang), period=scatter['period'], name=name, x=t['kf_x_' + network]))}</p>")
        else:
            parts.append(f'<p class="muted">{_e(t["kf_no_scatter"].format(n=format_int(scatter["n"], lang)))}</p>')
        parts.append(f"<h4>{_e(t['kf_phases'])}</h4>")
        parts.append(_phase_table(summary, indicator, gender, _area_label(rows), lang))
    return "\n".join(parts)


def _period_table(rows: pd.DataFrame, name: str, unit: str, gender: str, lang: str) -> str:
    from ..metrics.key_figures import change_since_first

    t = _t(lang)
    periods = sorted(set(rows["period"].astype(str)))
    labels = _area_label(rows)
    changes = change_since_first(rows[["indicator", "area", "gender", "period", "value"]])
    value = {(str(a), str(p)): v for a, p, v in zip(rows["area"], rows["period"], rows["value"])}
    head = "".join(f'<th scope="col" class="num">{_e(p)}</th>' for p in periods)
    first = periods[0] if periods else ""
    body = []
    for area in sorted(labels, key=lambda a: T.sort_key(labels[a])):
        mine = changes[changes["area"].astype(str) == area]
        last = mine.iloc[-1] if len(mine) else None
        cells = "".join(f'<td class="num" data-sort="{_e(value.get((area, p), ""))}">{_e(format_number(value.get((area, p)), lang))}</td>' for p in periods)
        change = format_number(last["change"], lang) if last is not None else "–"
        share = format_percent(last["change_share"], lang) if last is not None else "–"
        note = f' <span class="small muted">({_e(last["first_period"])})</span>' if last is not None and str(last["first_period"]) != first else ""
        body.append(f'<tr><th scope="row">{_e(labels[area])}</th>{cells}<td class="num">{_e(change)}{note}</td><td class="num">{_e(share)}</td></tr>')
    caption = t["kf_table_caption"].format(name=name, unit=f" ({unit})" if unit else "", gender=gender)
    return (
        f'<div class="table-wrap"><table class="sortable key-figures"><caption>{_e(caption)}</caption>'
        f'<thead><tr><th scope="col">{_e(t["kf_area"])}</th>{head}<th scope="col" class="num">{_e(t["kf_change"].format(first=first))}</th>'
        f'<th scope="col" class="num">{_e(t["kf_change_share"])}</th></tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def _spans(phases: pd.DataFrame) -> dict:
    """area → (first, last) period that is "during" its projects."""
    if phases is None or not len(phases):
        return {}
    during = phases[phases["phase"] == "during"]
    out = {}
    for area, group in during.groupby(during["area"].astype(str)):
        values = sorted(group["period"].astype(str))
        out[area] = (values[0], values[-1])
    return out


def small_multiples_svg(rows: pd.DataFrame, lang: str, *, spans: dict | None = None, width: int = 180, height: int = 84) -> str:
    """One small line chart per area (inline SVG in a wrapping grid), each on its own scale."""
    labels = _area_label(rows)
    periods = sorted(set(rows["period"].astype(str)))
    if not periods:
        return ""
    x_of = {p: 8 + (width - 16) * (k / max(1, len(periods) - 1)) for k, p in enumerate(periods)}
    charts = []
    for area in sorted(labels, key=lambda a: T.sort_key(labels[a])):
        mine = rows[rows["area"].astype(str) == area].sort_values("period")
        points = [(str(p), float(v)) for p, v in zip(mine["period"], mine["value"]) if pd.notna(v)]
        if not points:
            continue
        low, high = min(v for _, v in points), max(v for _, v in points)
        spread = (high - low) or 1.0
        top, bottom = 18, height - 16

        def y(v, low=low, high=high, spread=spread, top=top, bottom=bottom):
            return bottom - (bottom - top) * ((v - low) / spread if high > low else 0.5)

        shade = ""
        span = (spans or {}).get(area)
        if span and span[0] in x_of and span[1] in x_of:
            x0, x1 = x_of[span[0]], x_of[span[1]]
            shade = f'<rect x="{x0 - 3:.1f}" y="{top - 2}" width="{max(6.0, x1 - x0 + 6):.1f}" height="{bottom - top + 4}" fill="#e8f1f8"/>'
        path = " ".join(f"{x_of[p]:.1f},{y(v):.1f}" for p, v in points)
        first, last = points[0], points[-1]
        title = f"{labels[area]}: {first[0]} {format_number(first[1], lang)} → {last[0]} {format_number(last[1], lang)}"
        charts.append(
            f'<svg class="kf-multiple" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{_e(title)}">'
            f"<title>{_e(title)}</title>{shade}"
            f'<text x="4" y="12" font-size="11" font-weight="600" fill="#1a1a1a">{_e(labels[area][:30])}</text>'
            f'<polyline points="{path}" fill="none" stroke="#1c6e8c" stroke-width="1.8"/>'
            + "".join(f'<circle cx="{x_of[p]:.1f}" cy="{y(v):.1f}" r="1.8" fill="#1c6e8c"/>' for p, v in points)
            + f'<text x="{x_of[first[0]]:.1f}" y="{height - 3}" font-size="9" fill="#5a6270">{_e(format_number(first[1], lang))}</text>'
            f'<text x="{x_of[last[0]]:.1f}" y="{height - 3}" font-size="9" fill="#5a6270" text-anchor="end">{_e(format_number(last[1], lang))}</text>'
            "</svg>"
        )
    return f'<div class="kf-multiples" style="display:flex;flex-wrap:wrap;gap:.5rem">{"".join(charts)}</div>'


def scatter_svg(scatter: dict, name: str, lang: str, *, width: int = 460, height: int = 300) -> str:
    """The scatter of :func:`~samverkan.metrics.key_figures.key_figure_scatter` as inline SVG, points named."""
    t = _t(lang)
    points = scatter["points"]
    xs, ys = points["x"].astype(float).tolist(), points["y"].astype(float).tolist()
    left, right, top, bottom = 64, width - 16, 14, height - 40

    def scale(values, a, b):
        low, high = min(values), max(values)
        if high == low:
            return lambda v: (a + b) / 2
        return lambda v: a + (b - a) * (v - low) / (high - low)

    sx, sy = scale(xs, left + 8, right - 8), scale(ys, bottom - 8, top + 8)
    marks = []
    for area, label, x, y in zip(points["area"], points["area_name"], xs, ys):
        title = f"{label or area}: {format_number(x, lang)}, {format_number(y, lang)}"
        near_right = sx(x) > left + 0.7 * (right - left)  # names of points on the right end left of them, inside the picture
        anchor, dx = ("end", -6) if near_right else ("start", 6)
        marks.append(
            f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4.5" fill="#1c6e8c" fill-opacity="0.8"><title>{_e(title)}</title></circle>'
            f'<text x="{sx(x) + dx:.1f}" y="{sy(y) + 3:.1f}" font-size="9" fill="#39424e" text-anchor="{anchor}">{_e(str(label or area).replace(" kommun", "")[:22])}</text>'
        )
    axes = (
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#888"/>'
        f'<text x="{(left + right) / 2:.0f}" y="{height - 8}" font-size="11" text-anchor="middle" fill="#1a1a1a">{_e(t["kf_x_" + scatter["network"]])}</text>'
        f'<text x="14" y="{(top + bottom) / 2:.0f}" font-size="11" text-anchor="middle" fill="#1a1a1a" transform="rotate(-90 14 {(top + bottom) / 2:.0f})">{_e(name[:40])}</text>'
        f'<text x="{left}" y="{bottom + 14}" font-size="9" fill="#5a6270">{_e(format_number(min(xs), lang))}</text>'
        f'<text x="{right}" y="{bottom + 14}" font-size="9" fill="#5a6270" text-anchor="end">{_e(format_number(max(xs), lang))}</text>'
        f'<text x="{left - 4}" y="{bottom}" font-size="9" fill="#5a6270" text-anchor="end">{_e(format_number(min(ys), lang))}</text>'
        f'<text x="{left - 4}" y="{top + 8}" font-size="9" fill="#5a6270" text-anchor="end">{_e(format_number(max(ys), lang))}</text>'
    )
    label = t["kf_scatter_text"].format(n=format_int(scatter["n"], lang), period=scatter["period"], name=name, x=t["kf_x_" + scatter["network"]])
    return f'<svg class="kf-scatter" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{_e(label)}">{axes}{"".join(marks)}</svg>'


NETWORK_FIGURES = ("mean_betweenness", "projects", "efforts", "organisations")  # in this order of preference


def _network_figure(table: pd.DataFrame, indicator: str, gender: str) -> str:
    """The network figure the scatter uses: the first of :data:`NETWORK_FIGURES` that varies most
    across the municipalities (a figure that is 0 almost everywhere says nothing)."""
    rows = table[(table["indicator"].astype(str) == indicator) & (table["gender"].astype(str) == gender) & (table["area_kind"] == "municipality")]
    spread = {c: rows[c].dropna().nunique() for c in NETWORK_FIGURES if c in rows.columns}
    if not spread:
        return NETWORK_FIGURES[0]
    most = max(spread.values())
    return next(c for c in NETWORK_FIGURES if spread.get(c) == most)


def _phase_table(summary: pd.DataFrame, indicator: str, gender: str, labels: dict, lang: str) -> str:
    t = _t(lang)
    if summary is None or not len(summary):
        return f'<p class="muted">{_e(t["kf_no_phases"])}</p>'
    mine = summary[(summary["indicator"].astype(str) == indicator) & (summary["gender"].astype(str) == gender)]
    if not len(mine):
        return f'<p class="muted">{_e(t["kf_no_phases"])}</p>'
    areas = mine["area"].astype(str)
    first: dict[tuple, tuple] = {}  # (area, phase) → (mean, periods) of its first row
    for key in zip(areas, mine["phase"], mine["mean"], mine["periods"]):
        first.setdefault(key[:2], key[2:])
    body = []
    for area in sorted(set(areas), key=lambda a: T.sort_key(labels.get(a, a))):
        cells = []
        for phase in ("before", "during", "after"):
            if (area, phase) in first:
                mean, periods = first[area, phase]
                cells.append(f'<td class="num">{_e(format_number(mean, lang))} <span class="small muted">({_e(format_int(periods, lang))})</span></td>')
            else:
                cells.append('<td class="num">–</td>')
        body.append(f'<tr><th scope="row">{_e(labels.get(area, area))}</th>{"".join(cells)}</tr>')
    head = "".join(f'<th scope="col" class="num">{_e(t[k])}</th>' for k in ("kf_before", "kf_during", "kf_after"))
    return (
        f'<div class="table-wrap"><table class="sortable key-figure-phases"><caption>{_e(t["kf_phases_caption"])}</caption>'
        f'<thead><tr><th scope="col">{_e(t["kf_area"])}</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )
