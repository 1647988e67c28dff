"""Small, safe building blocks for the report's HTML: escaping, tables, colours, inlined assets.

Every text that comes from the data goes through :func:`esc`, which removes e-mail addresses and
escapes ``& < > " '``, so a name such as ``<img src=x onerror=alert(1)>`` is shown as text and can
neither open an element nor leave an attribute. The page itself (head, Content-Security-Policy,
inline CSS and scripts) comes from the page kit, :mod:`samverkan.views.kit`.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from importlib import resources

from ..views.embed import json_for_script

__all__ = [
    "EMAIL_RE",
    "esc",
    "scrub_emails",
    "Cell",
    "Header",
    "table",
    "heat_colour",
    "text_colour",
    "json_for_script",
    "read_asset",
    "inline_scripts",
    "clean_svg",
]

# Local part, @, a domain with at least one dot. Deliberately generous: better one false positive
# in a project name than an address in a report that is handed to politicians. The look-behind
# starts a match only where a run of local-part characters begins, so the search stays linear
# on long texts (a 1 MB network page with minified JavaScript) instead of quadratic.
_LOCAL = r"[\w.!#$%'*+/=?^`{|}~-]"
EMAIL_RE = re.compile(rf"(?<!{_LOCAL}){_LOCAL}+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


_LOCAL_RUN = re.compile(f"{_LOCAL}*")
_LONG_TEXT = 50_000  # characters; from here on, only the surroundings of each "@" are searched


def scrub_emails(value: str, replacement: str = "[…]") -> str:
    """``value`` with every e-mail address replaced.

    >>> scrub_emails("Mejla anna.svensson@huddinge.se eller ring", "[e-post]")
    'Mejla [e-post] eller ring'
    """
    if "@" not in value:
        return value
    if len(value) < _LONG_TEXT:
        return EMAIL_RE.sub(replacement, value)
    return _scrub_long(value, replacement)


def _scrub_long(value: str, replacement: str) -> str:
    """``EMAIL_RE.sub(replacement, value)``, visiting only the "@" signs of a long text.

    An address holds exactly one "@", and starts where the run of local-part characters before
    that "@" starts (the look-behind allows no other start). So each "@" has one possible match,
    tried with ``EMAIL_RE.match`` there; one that starts inside the previous match is skipped, as
    ``sub`` continues after a match. A network page of 4 MB has a few dozen "@" signs.
    """
    backwards = value[::-1]
    size = len(value)
    out: list[str] = []
    done = 0  # value[:done] is in out
    at = value.find("@")
    while at >= 0:
        run = _LOCAL_RUN.match(backwards, size - at).end() - (size - at)  # local-part characters before "@"
        start = at - run
        if run and start >= done:
            match = EMAIL_RE.match(value, start)
            if match is not None:
                out.append(value[done:start])
                out.append(replacement)
                done = match.end()
        at = value.find("@", max(at + 1, done))
    out.append(value[done:])
    return "".join(out)


def esc(value, replacement: str = "[…]") -> str:
    """Text from the data, safe in HTML text and in quoted attributes; e-mail addresses removed.

    ``None`` and NaN give an empty string.

    >>> esc('<img src=x onerror="alert(1)"> & a@b.se')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; […]'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(scrub_emails(str(value), replacement), quote=True)


@dataclass(frozen=True)
class Cell:
    """One table cell: ``html`` is already safe (escaped); ``sort`` and ``title`` are plain text."""

    html: str
    sort: str | None = None
    cls: str | None = None
    style: str | None = None
    title: str | None = None
    row_header: bool = False

    def render(self) -> str:
        tag = "th" if self.row_header else "td"
        attrs = ' scope="row"' if self.row_header else ""
        if self.sort is not None:
            attrs += f' data-sort="{html.escape(self.sort, quote=True)}"'
        if self.cls:
            attrs += f' class="{self.cls}"'
        if self.style:
            attrs += f' style="{self.style}"'
        if self.title:
            attrs += f' title="{esc(self.title)}"'
        return f"<{tag}{attrs}>{self.html}</{tag}>"


@dataclass(frozen=True)
class Header:
    """A column header: ``label`` is plain text (escaped here); ``numeric`` right-aligns the column."""

    label: str
    numeric: bool = False
    title: str | None = None


def table(headers, rows, *, sortable: bool = True, caption: str | None = None, cls: str = "", label: str | None = None) -> str:
    """An HTML table in a scrolling wrapper.

    Parameters
    ----------
    headers : list of Header or str
        Plain-text column headers (escaped here).
    rows : list of list of Cell or str
        Cells; a ``str`` is taken as already-escaped HTML.
    sortable : bool
        Give the headers buttons that sort the table (the report's script does the sorting).
    caption : str, optional
        Already-escaped HTML for a ``<caption>``.
    cls : str
        Extra classes for the table.
    label : str, optional
        Plain-text accessible name of the scrolling region.
    """
    headers = [h if isinstance(h, Header) else Header(str(h)) for h in headers]
    classes = " ".join(c for c in ("data", "sortable" if sortable else "", cls) if c)
    region = f' role="region" aria-label="{esc(label)}" tabindex="0"' if label else ""
    out = [f'<div class="table-wrap"{region}>', f'<table class="{classes}">']
    if caption:
        out.append(f"<caption>{caption}</caption>")
    out.append("<thead><tr>")
    for h in headers:
        th_cls = ' class="num"' if h.numeric else ""
        title = f' title="{esc(h.title)}"' if h.title else ""
        if sortable:
            out.append(f'<th scope="col"{th_cls} aria-sort="none"{title}><button type="button">{esc(h.label)}</button></th>')
        else:
            out.append(f'<th scope="col"{th_cls}{title}>{esc(h.label)}</th>')
    out.append("</tr></thead>\n<tbody>")
    for row in rows:
        cells = []
        for h, cell in zip(headers, row):
            if isinstance(cell, Cell):
                if h.numeric and not (cell.cls and "num" in cell.cls.split()):
                    cell = Cell(cell.html, cell.sort, ((cell.cls or "") + " num").strip(), cell.style, cell.title, cell.row_header)
                cells.append(cell.render())
            else:
                cells.append(f"<td{' class=num' if h.numeric else ''}>{cell}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


# Sequential blue scale (ColorBrewer "Blues", 9 classes, light to dark): colour-blind safe and
# printable in greyscale.
_BLUES = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def heat_colour(value: float, maximum: float) -> str:
    """Background colour for ``value`` on a 0…``maximum`` blue scale (interpolated, ``#rrggbb``).

    >>> heat_colour(0, 1), heat_colour(1, 1), heat_colour(0.5, 1)
    ('#f7fbff', '#08306b', '#6baed6')
    """
    if maximum is None or not math.isfinite(maximum) or maximum <= 0 or not math.isfinite(value):
        return _BLUES[0]
    share = min(1.0, max(0.0, value / maximum))
    position = share * (len(_BLUES) - 1)
    low = int(math.floor(position))
    high = min(low + 1, len(_BLUES) - 1)
    t = position - low
    a, b = _rgb(_BLUES[low]), _rgb(_BLUES[high])
    mixed = tuple(round(x + (y - x) * t) for x, y in zip(a, b))
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG relative luminance).

    Pure black is used: with it every background has a contrast of at least 4.5 with one of the
    two (WCAG AA for normal text); a softer black would leave a band of mid-blues below 4.5.

    >>> text_colour("#08306b"), text_colour("#f7fbff")
    ('#ffffff', '#000000')
    """
    lum = _luminance(background)
    contrast_white = 1.05 / (lum + 0.05)
    contrast_black = (lum + 0.05) / 0.05
    return "#ffffff" if contrast_white >= contrast_black else "#000000"


def read_asset(name: str) -> str:
    """The text of a file in ``samverkan/report/assets`` (our own CSS and JavaScript)."""
    return resources.files("samverkan.report").joinpath("assets").joinpath(name).read_text(encoding="utf-8")


_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


def inline_scripts(page: str) -> list[str]:
    """The code of every executable inline ``<script>`` in an HTML page (data blocks left out).

    A page embedded in ``<iframe srcdoc>`` inherits the report's Content-Security-Policy, so its
    scripts must be allowed by hash there too.
    """
    out = []
    for attributes, code in _SCRIPT_RE.findall(page):
        kind = re.search(r"""type\s*=\s*["']?([^"'\s>]+)""", attributes, re.IGNORECASE)
        if kind and kind.group(1).lower() not in ("text/javascript", "module", "application/javascript"):
            continue
        if re.search(r"\bsrc\s*=", attributes, re.IGNORECASE):
            continue
        out.append(code)
    return out


_SVG_DROP = (
    re.compile(r"<\?xml[^>]*\?>", re.IGNORECASE),
    re.compile(r"<!DOCTYPE[^>]*>", re.IGNORECASE),
    re.compile(r"<metadata\b.*?</metadata\s*>", re.IGNORECASE | re.DOTALL),
    re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL),
    re.compile(r"<foreignObject\b.*?</foreignObject\s*>", re.IGNORECASE | re.DOTALL),
    re.compile(r"<!--.*?-->", re.DOTALL),
)
_SVG_ATTRIBUTE_DROP = (
    re.compile(r"""\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE),
    re.compile(r"""\s+xmlns(:\w+)?\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE),
    re.compile(r"""\s+(xlink:)?href\s*=\s*("\s*(?!#)[^"]*"|'\s*(?!#)[^']*')""", re.IGNORECASE),
)


def clean_svg(svg: str) -> str:
    """An SVG document made fit to inline in HTML, offline and deterministic.

    Drops the XML prolog and DOCTYPE (which names a DTD on the web), ``<metadata>`` (matplotlib
    writes the creation time there), comments, scripts, ``foreignObject``, event-handler
    attributes, namespace declarations (the HTML parser does not need them) and every link that
    is not to an element of the same picture (``href="#..."``).

    >>> clean_svg('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="x()"><use href="http://e/x.svg"/><use href="#a"/></svg>')
    '<svg><use/><use href="#a"/></svg>'
    """
    text = svg
    for pattern in _SVG_DROP:
        text = pattern.sub("", text)
    for pattern in _SVG_ATTRIBUTE_DROP:
        text = pattern.sub("", text)
    text = re.sub(r"url\(\s*['\"]?(?!#)[^)]*\)", "none", text, flags=re.IGNORECASE)
    return text.strip()
