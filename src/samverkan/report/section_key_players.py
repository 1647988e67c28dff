"""Report sections "Nyckelaktörer" / "Key players", "Tänk om" / "What if" and "Förslag" / "Suggestions".

The engines are :mod:`samverkan.metrics.key_players`, :mod:`samverkan.whatif` and
:mod:`samverkan.metrics.suggestions`; they return facts and codes. This module (a) runs the key-player
search the way the analysis wants it (:func:`compute_key_players`), (b) words its notes, and (c) renders
the three report sections and the before → after block that opens the report under ``--without``.
Every sentence uses names from the package and numbers through :mod:`samverkan.text.format`; words
live in :data:`samverkan.text.catalogue.KEY_PLAYER_TEXTS`.

Candidates
----------
Organisations that only take part as benchmarking (every participation has role ``benchmark``) and
have no collaboration tie are left out of the key-player network: the projection excludes
benchmarking, so they are isolates that would only inflate n (and every one of them would be a
"component"). A note says how many were left out.

Size guard
----------
Above :data:`KEY_PLAYERS_LIMIT` organisations key players are skipped with a note (sentence in the
report, ``key_player_notes`` in summary.json). Below it the engine's own limits apply (exact search up
to C(n, k) ≤ 200,000, heuristic above, one start above 3,000 organisations, greedy-only fragmentation
above 10,000), each with a note.
"""

from __future__ import annotations

import html as _html


from ..metrics.key_players import KEY_PLAYERS_LIMIT, benchmark_only, compute_key_players  # noqa: F401  (re-exported)
from ..text import report as _report_texts
from ..text.catalogue import KEY_PLAYER_TEXTS, join_names, key_player_notes, quote
from ..text.format import format_int, format_number, format_percent

__all__ = ["KEY_PLAYERS_LIMIT", "benchmark_only", "compute_key_players", "key_player_notes", "section_key_players", "section_suggestions", "section_whatif", "whatif_opening"]


# The section titles are looked up by the report's own ``T.text``: registered once from the catalogue.
for _lang in ("sv", "en"):
    for _key in ("sec_key_players", "sec_whatif", "sec_suggestions"):
        _report_texts.TEXTS[_lang].setdefault(_key, KEY_PLAYER_TEXTS[_lang][_key])


# -- report sections -----------------------------------------------------------------------------


def _t(report, key: str, **values) -> str:
    """Our sentence as HTML; ``values`` are already HTML."""
    template = _html.escape(KEY_PLAYER_TEXTS[report.lang][key], quote=False)
    return template.format(**values) if values else template


def _names_html(report, names) -> str:
    return report.e(join_names(report.lang, [str(n) for n in names]))


def _count(report, n: int) -> str:
    key = f"kp_count_{n}" if n in (1, 2, 3) else "kp_count_n"
    return _t(report, key, n=format_int(n, report.lang))


def section_key_players(report) -> str:
    """Plain sentences per key-player set, then the table."""
    result, lang = report.result, report.lang
    table = getattr(result, "key_players", None)
    facts = list(getattr(result, "key_player_facts", None) or [])
    notes = report.summary.get("key_player_notes") or []
    parts = [f"<p>{_t(report, 'kp_intro')}</p>"]
    if table is None or not len(table):
        parts.append(f"<p>{_t(report, 'kp_none')}</p>")
        for line in key_player_notes(notes, lang):
            parts.append(f'<p class="note">{report.e(line)}</p>')
        return "\n".join(parts)
    sentences = []
    for row, fact in zip(table.to_dict("records"), facts + [{}] * (len(table) - len(facts))):
        names = [n for n in str(row["names"]).split("|") if n]
        k = int(row["size"])
        if row["kind"] == "fragment" and fact:
            before, after = int(fact.get("components_before", 0)), int(fact.get("components_after", 0))
            key = "kp_fragment" if after > before else "kp_fragment_one"
            left = format_int(int(fact["left"]), lang) if "left" in fact else "–"
            sentences.append(
                _t(
                    report,
                    key,
                    names=_names_html(report, names),
                    leave="leaves" if len(names) == 1 else "leave",
                    parts=format_int(after, lang),
                    before=format_int(before, lang),
                    largest=format_int(int(fact.get("largest_after", 0)), lang),
                    left=left,
                )
            )
        elif row["kind"] == "reach" and fact:
            reached, outside = int(fact.get("reached", 0)), int(fact.get("outside", 0))
            if outside and reached >= outside:
                sentences.append(_t(report, "kp_reach_all", count=_count(report, k), reach="reaches" if k == 1 else "reach", names=_names_html(report, names)))
            else:
                sentences.append(
                    _t(
                        report,
                        "kp_reach",
                        count=_count(report, k),
                        reach="reaches" if k == 1 else "reach",
                        reached=format_int(reached, lang),
                        outside=format_int(outside, lang),
                        share=format_percent(reached / outside if outside else float("nan"), lang),
                        names=_names_html(report, names),
                    )
                )
    parts.append("<ul>" + "".join(f"<li>{s}</li>" for s in sentences) + "</ul>")
    head = "".join(f"<th>{_t(report, k)}</th>" for k in ("kp_col_kind", "kp_col_size", "kp_col_names", "kp_col_score", "kp_col_method"))
    rows = []
    for row in table.to_dict("records"):
        names = [n for n in str(row["names"]).split("|") if n]
        rows.append(
            f'<tr><td>{_t(report, "kind." + str(row["kind"]))}</td><td class="num">{format_int(int(row["size"]), lang)}</td>'
            f'<td>{_names_html(report, names)}</td><td class="num">{format_number(float(row["score"]), lang, 3)}</td>'
            f"<td>{_t(report, 'method.' + str(row['method']))}</td></tr>"
        )
    parts.append(f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    parts.append(f"<p>{_t(report, 'kp_table')}</p>")
    for line in key_player_notes(notes, lang):
        parts.append(f'<p class="note">{report.e(line)}</p>')
    return "\n".join(parts)


def _figure(value, lang: str, *, integer: bool = False) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return format_int(int(value), lang) if integer else format_number(float(value), lang, 3)


def whatif_opening(report) -> str:
    """The before → after block that opens the report under ``--without`` (empty otherwise)."""
    facts = report.summary.get("whatif") or getattr(report.result, "whatif", None) or {}
    if not facts or not facts.get("removed"):
        return ""
    lang = report.lang
    names = [n or i for n, i in zip(facts.get("removed_names") or [], facts.get("removed") or [])] or list(facts.get("removed") or [])
    before, after = facts.get("before") or {}, facts.get("after") or {}
    rows = []
    for key, label, integer in (
        ("organisations", "wi_organisations", True),
        ("ties", "wi_ties", True),
        ("components", "wi_components", True),
        ("largest_component", "wi_largest", True),
        ("density", "wi_density", False),
        ("mean_distance", "wi_distance", False),
    ):
        rows.append(
            f'<tr><th scope="row">{_t(report, label)}</th><td class="num">{_figure(before.get(key), lang, integer=integer)}</td>'
            f'<td class="num">{_figure(after.get(key), lang, integer=integer)}</td></tr>'
        )
    head = f"<tr><th>{_t(report, 'wi_figure')}</th><th>{_t(report, 'wi_before')}</th><th>{_t(report, 'wi_after')}</th></tr>"
    lines = [f"<p><strong>{_t(report, 'wi_intro', names=_names_html(report, names))}</strong></p>", f'<table class="data whatif"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>']
    projects = []
    for key, text in (("projects_without_owner", "wi_no_owner"), ("projects_without_steering", "wi_no_steering"), ("projects_without_organisations", "wi_empty_projects")):
        ids = facts.get(key) or []
        if ids:
            quoted = join_names(lang, [quote(lang, report.project_name(p)) for p in ids])
            projects.append(f"<li>{_t(report, text, projects=report.e(quoted))}</li>")
    lines.append(f"<ul>{''.join(projects)}</ul>" if projects else f"<p>{_t(report, 'wi_no_projects')}</p>")
    title = _t(report, "wi_title", names=_names_html(report, names))
    return f'<section class="report-section whatif-opening" id="whatif-opening" aria-labelledby="whatif-opening-title"><h2 id="whatif-opening-title">{title}</h2>' + "\n".join(lines) + "</section>"


def section_whatif(report) -> str:
    """The what-if section: the before → after block, or how to ask for one."""
    block = whatif_opening(report)
    return block or f"<p>{_t(report, 'wi_none')}</p>"


def _place(name: str, lang: str) -> str:
    """A municipality as people read it: its name, also when the package gives only the code."""
    name = str(name or "")
    if name.isdigit():
        from ..geo.names import municipality_name
        from ..text.catalogue import WHITE_SPOT_TEXTS

        return municipality_name(name) or WHITE_SPOT_TEXTS[lang]["municipality_code"].format(code=name)
    return name


def section_suggestions(report, *, spots: int = 8, ties: int = 5) -> str:
    """Top suggestions per white spot and the pairs that might want to know each other, worded as suggestions."""
    result, lang = report.result, report.lang
    frame = getattr(result, "suggestions", None)
    parts = [f"<p>{_t(report, 'sg_intro')}</p>"]
    white = getattr(result, "white_spots", None)
    labels: dict = {}
    if white is not None and len(white) and {"target_group", "municipality"} <= set(white.columns):
        for row in white.itertuples(index=False):
            group = getattr(row, "target_group_name", "") or row.target_group
            place = getattr(row, "municipality_name", "") or row.municipality
            labels[(str(row.target_group), str(row.municipality))] = (str(group), str(place))
    if frame is None or not len(frame):
        parts.append(f"<p>{_t(report, 'sg_none')}</p>")
    else:
        items = []
        for (group, place), cell in frame.groupby(["target_group", "municipality"], sort=False):
            if len(items) >= spots:
                break
            group_name, place_name = labels.get((str(group), str(place)), (report.target_group_names.get(str(group), str(group)), str(place)))
            place_name = _place(place_name, lang)
            who = [_t(report, "sg_item", name=report.e(report.org_name(r.organisation)), reason=_t(report, "reason." + str(r.reason))) for r in cell.head(3).itertuples(index=False)]
            items.append("<li>" + _t(report, "sg_spot", group=report.e(quote(lang, group_name)), place=report.e(place_name), suggestions=join_names(lang, who)) + "</li>")
        parts.append("<ul>" + "".join(items) + "</ul>")
        parts.append(f"<p>{_t(report, 'sg_more')}</p>")
    missing = getattr(result, "missing_ties", None)
    parts.append(f"<h3>{_t(report, 'sg_ties_title')}</h3>")
    if missing is None or not len(missing):
        parts.append(f"<p>{_t(report, 'sg_ties_none')}</p>")
    else:
        rows = [
            "<li>"
            + _t(
                report,
                "sg_tie",
                a=report.e(report.org_name(r.organisation_a)),
                b=report.e(report.org_name(r.organisation_b)),
                shared=format_int(int(r.shared), lang),
                overlap=format_number(float(r.overlap), lang, 2),
            )
            + "</li>"
            for r in missing.head(ties).itertuples(index=False)
        ]
        parts.append("<ul>" + "".join(rows) + "</ul>")
    return "\n".join(parts)
