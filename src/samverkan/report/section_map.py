"""The report's map section: ``map.svg`` (our own print map) inline, with its source line.

:func:`sections` returns the entry for ``ReportDraft._sections``'s ``sections`` list (nothing when the
analysis wrote no map), so ``report/build.py`` needs one line::

    *section_map.sections(self),

The map is the same file ``analyse`` writes beside the report (:func:`samverkan.views.map_page.write_maps`,
called before the report); it is inlined through :func:`samverkan.report.html.clean_svg` (no
prolog, scripts, handlers or outside links), so the report stays one offline file.
"""

from __future__ import annotations

import html as _html

from ..text import report as T
from .html import clean_svg, scrub_emails

__all__ = ["TEXTS", "sections", "section_map"]

TEXTS = {
    "sv": {
        "sec_map": "Karta: insatser och vita fläckar",
        "map_intro": "Kartan visar hur många insatser som når varje kommun, en liten karta per målgrupp och en för alla målgrupper. Vita, streckade kommuner är vita fläckar: ingen insats och inget aktivt projekt för målgruppen där, samma celler som i tabellen över vita fläckar.",
        "map_open": "Öppna den interaktiva kartan (map.html): välj målgrupp eller organisation och klicka på en kommun.",
        "map_caption": "Insatser per målgrupp och kommun (map.svg, map.png för Word och PowerPoint).",
    },
    "en": {
        "sec_map": "Map: efforts and white spots",
        "map_intro": "The map shows how many efforts reach each municipality, one small map per target group and one for all target groups. White, hatched municipalities are white spots: no effort and no active project for the target group there, the same cells as in the white-spot table.",
        "map_open": "Open the interactive map (map.html): choose a target group or an organisation and click a municipality.",
        "map_caption": "Efforts per target group and municipality (map.svg, map.png for Word and PowerPoint).",
    },
}

for _lang, _texts in TEXTS.items():  # our words in the report's catalogue, so the section title is looked up as the others are
    for _key, _value in _texts.items():
        T.TEXTS[_lang].setdefault(_key, _value)


def _map_svg(report) -> str | None:
    directory = getattr(report, "directory", None)
    if directory is None or not (directory / "map.svg").is_file():
        return None
    return (directory / "map.svg").read_text(encoding="utf-8")


def sections(report) -> list[tuple]:
    """``[("map", "sec_map", build)]`` when ``map.svg`` lies beside the report, else ``[]``."""
    svg = _map_svg(report)
    if not svg:
        return []
    return [("map", "sec_map", lambda: section_map(report, svg))]


def section_map(report, svg: str) -> str:
    """The section's HTML: a sentence, the link to map.html, the map inline and its source line."""
    from ..geo.shapes import attribution

    lang = report.lang
    text = TEXTS["sv" if lang == "sv" else "en"]
    parts = [f"<p>{_html.escape(text['map_intro'], quote=False)}</p>"]
    if (report.directory / "map.html").is_file():
        parts.append(f'<p class="screen-only"><a href="map.html">{_html.escape(text["map_open"], quote=False)}</a></p>')
    inline = clean_svg(scrub_emails(svg, T.text(lang, "email_removed")))
    own_shapes = getattr(getattr(report, "options", None), "geo", None)  # the user's shapes: map.svg carries their source line
    source = "" if own_shapes else _html.escape(attribution(lang), quote=False)
    source_line = f'<br><span class="small">{source}</span>' if source else ""
    parts.append(f'<figure class="network-figure map-figure">{inline}<figcaption>{_html.escape(text["map_caption"], quote=False)}{source_line}</figcaption></figure>')
    return "\n".join(parts)
