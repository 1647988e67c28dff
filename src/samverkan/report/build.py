"""The report: one self-contained HTML page that a development officer can hand on.

:func:`write_report` turns an :class:`~samverkan.analysis.AnalysisResult` into ``index.html``:
a plain-language summary first, then density, bridging actors, ownership gaps and white spots,
communities, every project's parties by role, and the network itself. It computes nothing: every
figure comes from the result; the report only selects, orders, formats and explains.

The page opens from a USB stick on a locked-down laptop: no file is fetched from anywhere
(fonts come from the system, CSS and JavaScript are inline, a Content-Security-Policy forbids
every request), and the links to the sibling files (``network.html``, ``analysis.xlsx``, the CSV
files) are relative. Every text from the data is escaped and stripped of e-mail addresses. The
same result always gives the same bytes: nothing depends on the clock, and everything is sorted.
"""

from __future__ import annotations

import heapq
import html as _html
import math
from collections import Counter
from collections.abc import Mapping
from numbers import Integral, Real
from pathlib import Path

import numpy as np
import pandas as pd

from .confidence import confidence_paragraph
from .. import __version__
from ..io.output import atomic_write_text, output_path
from ..geo import county_name, municipality_name
from ..text import report as T
from . import section_key_players as _kp
from ..views.kit import Markup, Page, render_page
from . import plain, section_key_figures, section_map
from .html import (
    Cell,
    Header,
    clean_svg,
    esc,
    heat_colour,
    inline_scripts,
    read_asset,
    scrub_emails,
    table,
    text_colour,
)

__all__ = ["write_report", "render_report", "draft_report", "ReportDraft", "MAX_ORGANISATIONS", "MAX_PROJECTS", "MAX_COMMUNITIES", "MAX_MEMBERS", "MAX_GROUPS"]

MAX_ORGANISATIONS = 50  # rows of the organisations table (top by betweenness)
MAX_PROJECTS = 40  # a package with more projects shows only projects with gaps, one by one
MAX_GAP_PROJECTS = 30  # projects with gaps shown one by one in a large package
MAX_FINDING_PROJECTS = 30  # projects in "projects with gaps"
MAX_RULE_EXAMPLES = 3  # project names per rule in "gaps and notes by rule"
MAX_COMMUNITIES = 12  # community cards
MAX_MEMBERS = 15  # names per community card
MAX_ALONE = 100  # names of organisations that form a community on their own
MAX_GROUPS = 30  # rows and columns of the block-density heat map
MAX_SPOTS_PER_GROUP = 50  # white spots listed per target group
MAX_COVERAGE_ROWS = 400  # rows of the coverage matrix

ORGANISATION_COLUMNS = (
    "name",
    "type",
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "constraint",
    "effective_size",
    "participation_coefficient",
    "cross_sector_breadth",
    "community",
    "articulation_point",
    "removal_disconnects",
)
INTEGER_COLUMNS = {"degree", "components", "organisations", "findings", "steering", "working", "removal_disconnects", "cross_sector_breadth", "shared_projects", "rank"}


def write_report(result, directory, *, network_html: str | Page | None = None, figure_svg: str | None = None, views: dict | None = None, draft: ReportDraft | None = None) -> Path:
    """Write the report ``directory/index.html`` for an analysis result.

    Parameters
    ----------
    result : samverkan.analysis.AnalysisResult
        What :func:`samverkan.analysis.analyse` returned; its ``options.lang`` ("sv" or "en")
        chooses the language.
    directory : path-like
        The output folder (created if needed). Files already in it (``network.html``,
        ``analysis.xlsx``, the CSV files ...) are linked by relative links.
    network_html : samverkan.views.kit.Page or str, optional
        The self-contained interactive network page as the view returned it (its scripts are
        allowed by hash in the report's CSP); shown in an ``<iframe srcdoc>`` on screen.
    figure_svg : str, optional
        The static network figure as SVG text; shown inline when printing (and on screen when
        there is no interactive page).
    views : dict, optional
        Facts the network view returned (``nodes_shown``, ``nodes_total``, ``backbone`` ...).
    draft : ReportDraft, optional
        The same report begun earlier (:func:`draft_report`, with the same ``result``,
        ``directory``, ``network_html`` and ``views``): only the sections that read the files
        beside it and the run's notes are built now.

    Returns
    -------
    pathlib.Path
        The path of ``index.html``, written atomically as UTF-8.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if draft is None:
        draft = ReportDraft(result, directory=directory, network_html=network_html, figure_svg=figure_svg, views=views)
    else:
        draft.figure_svg = figure_svg
    return atomic_write_text(output_path(directory, "index.html"), draft.render())


def draft_report(result, directory, *, network_html: str | Page | None = None, views: dict | None = None) -> ReportDraft:
    """Begin the report of :func:`write_report` while the figures and the map are still being drawn.

    Every section that depends only on the analysis is built now; :func:`write_report` with
    ``draft=`` then builds the map, the network and the appendix, which read the files written
    beside the report (``map.svg``, the file list) and the run's notes, and writes the page. The
    page is the same as when it is written in one go.
    """
    draft = ReportDraft(result, directory=Path(directory), network_html=network_html, figure_svg=None, views=views)
    draft.build_ahead()
    return draft


def render_report(result, *, directory=None, network_html: str | Page | None = None, figure_svg: str | None = None, views: dict | None = None) -> str:
    """The report page as text (see :func:`write_report`); ``directory`` is only read to link its files."""
    return ReportDraft(result, directory=directory, network_html=network_html, figure_svg=figure_svg, views=views).render()


# ----------------------------------------------------------------------------------------------
# Plain helpers (no computation: reading, selecting and formatting values)


def _frame(value) -> pd.DataFrame:
    return value if isinstance(value, pd.DataFrame) else pd.DataFrame()


def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, (list, tuple, set, dict)):
        return len(value) == 0
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _number(value) -> float | None:
    """A finite float, or None."""
    if value is None or isinstance(value, (bool, str)):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, tuple)):
        try:
            value = value.item()
        except (TypeError, ValueError):
            return None
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _is_bool(value) -> bool:
    return isinstance(value, bool) or type(value).__name__ in ("bool_", "bool")


def _text_of(value) -> str:
    return "" if _missing(value) else str(value)


def _split(value) -> list[str]:
    """A list cell: a list, or ``|``-joined text."""
    if _missing(value):
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if not _missing(v)]
    return [part.strip() for part in str(value).split("|") if part.strip()]


def _records(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")``, built column by column (several times faster)."""
    if not len(frame):
        return []
    if not frame.columns.is_unique or not len(frame.columns):
        return frame.to_dict("records")
    columns = list(frame.columns)
    return [dict(zip(columns, row)) for row in zip(*(_values(frame[c]) for c in columns))]


# A large package has 100,000 findings and 35,000 organisations, of which the report shows a few
# hundred. The helpers below read whole columns at once (no record dictionaries) and pick the rows
# shown before any of them is formatted; each gives exactly what the plain per-row code gives.


def _values(series: pd.Series) -> list:
    """A column's values exactly as ``DataFrame.to_dict("records")`` gives them (native scalars)."""
    if series.dtype != object and not isinstance(series.dtype, pd.api.extensions.ExtensionDtype):
        return series.tolist()  # numbers, booleans and dates: what itertuples gives
    if pd.api.types.infer_dtype(series, skipna=False) == "string":  # text (a string dtype may have gaps)
        values = series.tolist()  # boxing leaves text as it is, and makes pd.NA None
        return [None if v is pd.NA else v for v in values] if series.dtype != object and series.hasnans else values
    return [row[0] for row in series.to_frame(name=0).to_dict("records")]


def _column(frame: pd.DataFrame, column: str) -> list:
    """``[record.get(column) for record in _records(frame)]``, column-wise."""
    return _values(frame[column]) if column in frame.columns else [None] * len(frame)


def _all_text(values) -> bool:
    """Whether every value is exactly a ``str`` (checked at C speed: no Python code per value)."""
    return set(map(type, values)) <= {str}


def _strs(values) -> list[str]:
    """``str`` of every value."""
    if _all_text(values):
        return list(values)
    return [v if type(v) is str else str(v) for v in values]


def _texts(values) -> list[str]:
    """``_text_of`` of every value (plain text takes a fast path)."""
    if _all_text(values) and all(map(str.strip, values)):  # text, none of it blank: as it is
        return list(values)
    return [(v if v.strip() else "") if type(v) is str else _text_of(v) for v in values]


def _mapped(values, function) -> list:
    """``[function(v) for v in values]``, calling ``function`` once per distinct value."""
    if _all_text(values):  # the usual case: text, looked up directly
        results = {v: function(v) for v in set(values)}
        return list(map(results.__getitem__, values))
    cache: dict = {}
    out = []
    for v in values:
        try:
            key = (type(v), v)
            result = cache.get(key, cache)
            if result is cache:
                result = cache[key] = function(v)
        except TypeError:  # unhashable
            result = function(v)
        out.append(result)
    return out


def _sort_key(value) -> str:
    """``T.sort_key``, faster for plain ASCII text (already NFC; casefold is lower; no letter to translate)."""
    return value.lower() if type(value) is str and value.isascii() else T.sort_key(value)


def _codes(values) -> np.ndarray:
    """Integer codes that order as the values do (equal values, equal codes); missing values last.

    The codes pandas sorts by (``sort_values`` with several keys), so a stable sort on them
    orders exactly as ``sort_values(..., kind="stable")`` does.
    """
    codes, uniques = pd.factorize(np.asarray(list(values), dtype=object), sort=True)
    return np.where(codes < 0, len(uniques), codes)


def _stable_order(*keys) -> np.ndarray:
    """``sorted(range(n), key=lambda k: tuple(key[k] for key in keys))`` for numeric keys, vectorised."""
    return np.lexsort(tuple(np.asarray(key) for key in reversed(keys)))


def _numbers(values) -> np.ndarray:
    """Integer or float keys as a numeric array; other values (huge integers ...) as sort codes."""
    array = np.asarray(values)
    return array if array.dtype.kind in "iuf" and len(array) else _codes(values)


def _refine_order(order: np.ndarray, keys, values) -> np.ndarray:
    """``order`` re-sorted by ``values`` (text, missing last), stably, among rows equal in every key.

    The same as adding ``values`` as the last key, without sorting every value when (as usual)
    few rows are equal in the other keys.
    """
    if len(order) < 2:
        return order
    same = np.ones(len(order) - 1, dtype=bool)
    for key in keys:
        ordered = np.asarray(key)[order]
        same &= ordered[1:] == ordered[:-1]
    if not same.any():
        return order
    edges = np.diff(np.concatenate(([0], same.astype(np.int8), [0])))
    order = order.copy()
    for start, end in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
        run = order[start : end + 1].tolist()
        order[start : end + 1] = sorted(run, key=lambda k: (0, values[k]) if isinstance(values[k], str) else (1, ""))
    return order


def _smallest(candidates, n: int, key):
    """``sorted(candidates, key=key)[:n]`` (stable), without sorting more than needed."""
    return heapq.nsmallest(n, candidates, key=key)


class ReportDraft:
    """The report of one analysis: its sections built from the result, then the page.

    :func:`draft_report` builds the sections that need only the result ahead
    (:meth:`build_ahead`); :meth:`render` builds the rest and assembles the page.
    """

    def __init__(self, result, *, directory, network_html, figure_svg, views):
        self._built: dict[str, str] = {}
        self.result = result
        options = getattr(result, "options", None)
        self.options = options
        self.lang = T.language(getattr(options, "lang", "sv"))
        self.summary: dict = dict(getattr(result, "summary", None) or {})
        self.package = getattr(result, "package", None)
        self.tables: dict = dict(getattr(self.package, "tables", None) or {})
        self.directory = Path(directory) if directory is not None else None
        self.network_html = network_html
        self.figure_svg = figure_svg
        self.views = dict(views or {})
        self.group_by = str(getattr(options, "group_by", None) or self.summary.get("group_by") or "type")
        self.organisations = _frame(getattr(result, "organisations", None))
        self.findings = _frame(getattr(result, "findings", None))
        self.white_spots = _frame(getattr(result, "white_spots", None))
        self.bridging = _frame(getattr(result, "bridging", None))
        self.projects = _frame(getattr(result, "projects", None))
        self.coverage = _frame(getattr(result, "coverage", None))
        self.block_density = _frame(getattr(result, "block_density", None))
        self.graph = getattr(result, "graph", None)
        self.org_names = self._names("organisations")
        if len(self.organisations) and {"id", "name"} <= set(self.organisations.columns):
            for i, n in zip(_strs(self.organisations["id"].tolist()), _texts(self.organisations["name"].tolist())):
                self.org_names.setdefault(i, n or i)
        self.project_names = self._names("projects")
        self.target_group_names = self._names("target_groups")

    # -- words and numbers ---------------------------------------------------------------------

    def t(self, key: str, **values) -> str:
        """Our sentence as HTML, with ``values`` (already HTML) filled in."""
        return _html.escape(T.text(self.lang, key), quote=False).format(**values) if values else _html.escape(T.text(self.lang, key), quote=False)

    def e(self, value) -> str:
        """Data as HTML text: escaped, e-mail addresses removed."""
        return esc(value, T.text(self.lang, "email_removed"))

    def num(self, value, digits: int = 3) -> str:
        return T.format_number(_number(value), self.lang, digits)

    def int(self, value) -> str:
        number = _number(value)
        return "–" if number is None else T.format_int(round(number), self.lang)

    def pct(self, value) -> str:
        return T.format_percent(_number(value), self.lang)

    def plural(self, n, noun: str) -> str:
        return T.plural(self.lang, int(n), noun)

    def group_value_label(self, value) -> str:
        """A group label as people read it (organisation types and levels translated)."""
        text = _text_of(value)
        if self.group_by == "type":
            return T.type_label(self.lang, text)
        if self.group_by == "level":
            return T.level_label(self.lang, text)
        return text

    @staticmethod
    def reasons(value) -> list[str]:
        """The reasons of a bridging actor: a list, or text joined with ``|`` or ``"; "``."""
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value if not _missing(v)]
        text = _text_of(value)
        if "|" in text:
            return _split(text)
        return [part.strip() for part in text.split("; ") if part.strip()]

    @staticmethod
    def is_gap(severity) -> bool:
        """A gap (brist) is an error or a warning; info is a note (notering), never a gap."""
        return T.severity_rank(severity) >= 2

    def badge(self, severity) -> str:
        rank = T.severity_rank(severity)
        return f'<span class="badge sev-{rank}">{self.e(T.severity_label(self.lang, severity))}</span>'

    # -- data access ---------------------------------------------------------------------------

    def _table(self, name: str) -> pd.DataFrame:
        return _frame(self.tables.get(name))

    def _names(self, table_name: str) -> dict[str, str]:
        frame = self._table(table_name)
        if not len(frame) or "id" not in frame.columns:
            return {}
        names = frame["name"] if "name" in frame.columns else frame["id"]
        return {i: (n or i) for i, n in zip(_strs(frame["id"].tolist()), _texts(names.tolist()))}

    def org_name(self, org_id) -> str:
        return self.org_names.get(str(org_id), str(org_id))

    def project_name(self, project_id) -> str:
        return self.project_names.get(str(project_id), str(project_id))

    def figure(self, key: str, fallback=None):
        value = self.summary.get(key)
        return fallback if value is None else value

    # -- the page ------------------------------------------------------------------------------

    AFTER_THE_FILES = frozenset({"map", "network", "appendix"})
    """Sections that read what is finished last: map.svg, the list of files beside the report and
    the figure (network), the run's notes (appendix; the map adds one when it cannot be drawn)."""

    def build_ahead(self) -> None:
        """Build every section not in :data:`AFTER_THE_FILES` now; :meth:`render` reuses them."""
        for anchor, _, build in self._sections():
            if anchor not in self.AFTER_THE_FILES:
                self._built[anchor] = build()

    def render(self) -> str:
        sections = self._sections()
        body = []
        for anchor, title_key, build in sections:
            html = self._built[anchor] if anchor in self._built else build()
            body.append(f'<section class="report-section" id="{anchor}" aria-labelledby="{anchor}-title">\n<h2 id="{anchor}-title">{self.t(title_key)}</h2>\n{html}\n</section>')
        return self._render_page(sections, body)

    def _sections(self) -> list[tuple]:
        """(anchor, title key, build) of every section, in the page's order."""
        return [
            ("summary", "sec_summary", self.section_summary),
            ("density", "sec_density", self.section_density),
            ("bridging", "sec_bridging", self.section_bridging),
            ("gaps", "sec_gaps", self.section_gaps),
            *section_map.sections(self),  # map.svg inline with its source line (report/section_map.py)
            *section_key_figures.sections(self),  # key figures beside the network (report/section_key_figures.py)
            ("key-players", "sec_key_players", lambda: _kp.section_key_players(self)),
            ("what-if", "sec_whatif", lambda: _kp.section_whatif(self)),
            ("suggestions", "sec_suggestions", lambda: _kp.section_suggestions(self)),
            ("communities", "sec_communities", self.section_communities),
            ("projects", "sec_projects", self.section_projects),
            ("network", "sec_network", self.section_network),
            ("appendix", "sec_appendix", lambda: plain.appendix(self)),
        ]

    def _render_page(self, sections, body) -> str:
        toc = "\n".join(f'<li><a href="#{anchor}">{self.t(key)}</a></li>' for anchor, key, _ in sections)
        name = self.package_name()
        body = "\n".join(
            [
                f'<a class="skip-link" href="#main">{self.t("skip")}</a>',
                self.header(),
                '<div class="layout">',
                f'<nav class="toc" aria-label="{self.t("toc")}">\n<h2>{self.t("toc")}</h2>\n<ol>\n{toc}\n</ol>\n</nav>',
                '<main id="main" tabindex="-1">',
                _kp.whatif_opening(self),  # --without: the report opens with before → after
                *body,
                f'<footer class="report-footer"><p>{self.t("footer", version=self.e(self.version()))}</p></footer>',
                "</main>",
                "</div>",
            ]
        )
        page = render_page(
            "page.html",
            lang=self.lang,
            title=T.text(self.lang, "doc_title", name=name),
            body=Markup(body),
            styles=[read_asset("report.css")],
            scripts=[read_asset("report.js")],
            frame_scripts=self._frame_scripts(),
        )
        return page.html

    def package_name(self) -> str:
        """The report's title: ``--title``, else the package's own title; the folder name only when neither exists."""
        name = _text_of(self.summary.get("title")) or _text_of(getattr(self.package, "title", ""))
        name = name or _text_of(getattr(self.package, "name", "")) or _text_of(self.summary.get("package"))
        return name or T.text(self.lang, "unnamed")

    def version(self) -> str:
        return _text_of(self.summary.get("samverkan_version")) or __version__

    # -- 1. header -----------------------------------------------------------------------------

    def data_range(self) -> str:
        lows, highs = [], []
        for table_name in ("projects", "participations"):
            frame = self._table(table_name)
            for column, bucket in (("start", lows), ("end", highs), ("start", highs), ("end", lows)):
                if column in frame.columns and len(frame):
                    dates = pd.to_datetime(frame[column], errors="coerce").dropna()
                    if len(dates):
                        bucket.append(dates.min() if bucket is lows else dates.max())
        if not lows and not highs:
            return T.text(self.lang, "meta_no_dates")
        low = T.format_date(min(lows)) if lows else ""
        high = T.format_date(max(highs)) if highs else ""
        return f"{low} – {high}" if low != high else low

    def window(self) -> str:
        period = getattr(self.options, "period", None)
        as_of = getattr(self.options, "as_of", None)
        if period:
            return T.text(self.lang, "window_period", start=T.format_date(period[0]), end=T.format_date(period[1]))
        if as_of:
            return T.text(self.lang, "window_as_of", date=T.format_date(as_of))
        return T.text(self.lang, "window_all")

    def pseudonymised(self) -> bool:
        value = getattr(self.options, "pseudonymise", None)
        if value is None:
            value = self.summary.get("pseudonymised", False)
        return bool(value)

    def seed(self):
        seed = getattr(self.options, "seed", None)
        return self.summary.get("seed") if seed is None else seed

    def sampling_notes(self) -> list[str]:
        notes = [str(n) for n in (getattr(self.result, "notes", None) or []) if _text_of(n)]
        seen = set()
        out = []
        for note in notes:
            if note not in seen:
                seen.add(note)
                out.append(note)
        return out

    def header(self) -> str:
        group_label = T.GROUP_BY_LABELS[self.lang].get(self.group_by, self.group_by)
        items = [
            ("meta_data", self.e(self.data_range())),
            ("meta_window", self.e(self.window())),
            *([("meta_as_of", self.e(self.as_of_text()))] if self.as_of_text() else []),
            ("meta_group_by", self.e(group_label)),
            ("meta_privacy", self.t("pseudo_yes" if self.pseudonymised() else "pseudo_no")),
            ("meta_seed", self.e(self.seed() if self.seed() is not None else "–")),
            ("meta_version", f"samverkan {self.e(self.version())}"),
        ]
        meta = "\n".join(f"<div><dt>{self.t(k)}</dt><dd>{v}</dd></div>" for k, v in items)
        notes_html = ""  # how things were computed: in the appendix at the end
        return f'<header class="report-header">\n<div class="kicker">{self.t("kicker")}</div>\n<h1>{self.e(self.package_name())}</h1>\n<dl class="meta">\n{meta}\n</dl>\n{notes_html}\n</header>'

    def as_of_text(self) -> str:
        """``2026-12-05: dagens datum: …``: the reference date used and why (summary ``as_of``, ``as_of_explained``)."""
        date = _text_of(self.summary.get("as_of"))
        if not date:
            return ""
        why = _text_of(self.summary.get("as_of_explained"))
        return T.text(self.lang, "as_of_value", date=T.format_date(date), why=why) if why else T.format_date(date)

    # -- 2. summary ----------------------------------------------------------------------------

    def counts(self) -> dict:
        graph = self.graph
        return {
            "organisations": self.figure("organisations", getattr(graph, "n", None)),
            "projects": self.figure("projects", len(self._table("projects"))),
            "participations": self.figure("participations", len(self._table("participations"))),
            "ties": self.figure("ties", getattr(graph, "m", None)),
            "findings": self.figure("findings", len(self.findings)),
            "white_spots": self.figure("white_spots", len(self.white_spots)),
        }

    def sentences(self) -> list[str]:
        lang = self.lang
        c = self.counts()
        out = []
        if c["organisations"] is not None:
            out.append(
                self.t(
                    "s_size",
                    orgs=self.e(self.plural(c["organisations"], "organisation")),
                    projects=self.e(self.plural(c["projects"] or 0, "project")),
                    parts=self.e(self.plural(c["participations"] or 0, "participation")),
                )
            )
        components = _number(self.summary.get("components"))
        share = _number(self.summary.get("largest_component_share"))
        density = _number(self.summary.get("density"))
        ties = _number(c["ties"])
        first = ""
        if ties == 0:
            first = self.t("s_empty")
        elif components is not None:
            first = self.t("s_connected") if components <= 1 else self.t("s_components", n=self.int(components), share=self.e(self.pct(share)))
        if density is not None and ties != 0:
            part = self.t("s_density", density=self.num(density, 2 if density >= 0.01 else 3), pct=self.e(self.pct(density)))
            first = f"{first}; {part}" if first else part[:1].upper() + part[1:]
        if first:
            out.append(first + ".")
        mean = _number(self.summary.get("mean_degree"))
        if mean is not None and ties != 0:
            sentence = self.t("s_degree", mean=self.num(mean, 2))
            centr = _number(self.summary.get("degree_centralization"))
            if centr is not None:
                key = "s_centr_low" if centr < 0.3 else "s_centr_mid" if centr < 0.6 else "s_centr_high"
                sentence += " " + self.t(key, value=self.num(centr, 2))
            out.append(sentence + ".")
        communities = _number(self.summary.get("communities_min2", self.summary.get("communities")))
        modularity = _number(self.summary.get("modularity"))
        if communities is not None and modularity is not None and communities > 1:
            out.append(self.t("s_communities", groups=self.e(self.plural(communities, "group")), q=self.num(modularity, 2), meaning=self.t(self.modularity_key(modularity))))
        ei = _number(self.summary.get("ei_index"))
        if ei is not None:
            key = "ei_inside" if ei < -0.33 else "ei_between" if ei > 0.33 else "ei_balanced"
            group_label = T.GROUP_BY_LABELS[lang].get(self.group_by, self.group_by)
            out.append(self.t("s_ei", group_by=self.e(group_label), ei=self.num(ei, 2), meaning=self.t(key)))
        return out

    @staticmethod
    def modularity_key(q: float) -> str:
        return "mod_weak" if q < 0.3 else "mod_clear" if q < 0.5 else "mod_strong"

    def sorted_findings(self) -> pd.DataFrame:
        """Findings, most severe first, then by project name, rule and message (stable); sorted once."""
        cached = self.__dict__.get("_sorted_findings_cache")
        if cached is None:
            cached = self.__dict__["_sorted_findings_cache"] = self._sort_findings()
        return cached

    def _sort_findings(self) -> pd.DataFrame:
        f = self.findings
        if not len(f):
            return f
        f = f.reset_index(drop=True)
        severity = f["severity"].tolist() if "severity" in f.columns else [""] * len(f)
        projects = _texts(_column(f, "project"))
        names = [n or (self.project_name(p) if p else "") for n, p in zip(_texts(_column(f, "project_name")), projects)]
        keys = [
            _numbers(_mapped(severity, lambda s: -T.severity_rank(s))),
            np.array([0 if p else 1 for p in projects], dtype=np.int8),
            _codes(_mapped(names, _sort_key)),
        ]
        if "rule" in f.columns:
            keys.append(_codes(f["rule"].astype(str).tolist()))
        order = _stable_order(*keys)
        if "message" in f.columns:
            order = _refine_order(order, keys, f["message"].astype(str).tolist())
        # kept for finding_columns: the project as text, and the order of project names
        self.__dict__["_finding_keys_cache"] = {"project_text": np.asarray(projects, dtype=object)[order].tolist(), "name_order": keys[2][order]}
        return f.take(order).reset_index(drop=True)

    def finding_columns(self) -> dict[str, list]:
        """The columns of :meth:`sorted_findings` the report reads (as records give them), and their
        ``project`` as text and ``severity`` as rank."""
        cached = self.__dict__.get("_finding_columns_cache")
        if cached is None:
            f = self.sorted_findings()
            cached = {c: _column(f, c) for c in ("rule", "severity", "project", "project_name", "organisations", "message")}
            cached["project_text"] = self.__dict__["_finding_keys_cache"]["project_text"] if len(f) else []
            cached["rank"] = _mapped(cached["severity"], T.severity_rank)
            self.__dict__["_finding_columns_cache"] = cached
        return cached

    def finding_record(self, k: int) -> dict:
        """Row ``k`` of :meth:`sorted_findings`, as far as the report reads it."""
        return {c: values[k] for c, values in self.finding_columns().items()}

    def finding_groups(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """The findings by project text, in order of first appearance in :meth:`sorted_findings`:
        (project texts, rows in project order, where each project's rows start, how many)."""
        cached = self.__dict__.get("_finding_groups_cache")
        if cached is None:
            texts = self.finding_columns()["project_text"]
            codes, uniques = pd.factorize(np.asarray(texts, dtype=object))
            rows = np.argsort(codes, kind="stable")
            counts = np.bincount(codes, minlength=len(uniques))
            starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
            cached = self.__dict__["_finding_groups_cache"] = (list(uniques), rows, starts, counts)
        return cached

    def finding_project_name(self, record: dict) -> str:
        name = _text_of(record.get("project_name"))
        if name:
            return name
        project = _text_of(record.get("project"))
        return self.project_name(project) if project else ""

    def key_points(self) -> str:
        items = []
        # 1. the most severe ownership gap
        findings = self.sorted_findings()
        gaps, notes = self.gap_counts()
        if len(findings) and gaps:
            top = _records(findings.head(1))[0]
            project = self.finding_project_name(top) or T.text(self.lang, "no_project")
            message = _text_of(top.get("message")) or T.rule_label(self.lang, _text_of(top.get("rule")))
            projects_with = len(self.gap_projects())
            more = self.t("k_gap_more", n=self.e(self.plural(gaps, "gap")), projects=self.e(self.plural(projects_with, "project")))
            body = f'{self.badge(top.get("severity"))} {self.t("k_gap", project=f"<strong>{self.e(project)}</strong>", message=self.e(message))} <span class="muted">{more}</span>'
            items.append(("kp-gap", body))
        elif notes:  # notes are not gaps: no red bar
            items.append(("kp-note", self.t("k_no_gap_notes", notes=self.e(self.plural(notes, "note").capitalize()))))
        else:
            items.append(("kp-gap", self.t("k_no_gap")))
        # 2. the top bridging actor
        if len(self.bridging):
            top = _records(self.bridging.head(1))[0]
            name = _text_of(top.get("name")) or self.org_name(top.get("id"))
            reasons = self.reasons(top.get("reasons"))
            body = self.t("k_bridge", name=f"<strong>{self.e(name)}</strong>")
            body += (": " + self.e("; ".join(reasons)) if reasons else "") + "."
            items.append(("kp-bridge", body))
        else:
            items.append(("kp-bridge", self.t("k_no_bridge")))
        # 3. white spots
        spots = self.sorted_spots()
        if len(spots):
            first = _records(spots.head(1))[0]
            example = _text_of(first.get("message")) or _text_of(first.get("target_group_name"))
            body = self.t("k_spots", n=f"<strong>{self.e(self.plural(len(spots), 'white_spot'))}</strong>", example=self.e(example.rstrip(".")))
            body += "."
            groups = self.spot_groups(spots)
            if len(groups) > 1:
                name, rows = max(groups, key=lambda g: len(g[1]))  # first of the largest, in group order
                body += " " + self.t("k_spots_groups", group=self.e(name), n=self.int(len(rows)))
            items.append(("kp-spot", body))
        else:
            items.append(("kp-spot", self.t("k_no_spots")))
        lis = "\n".join(f'<li class="{cls}"><span class="kp-n" aria-hidden="true">{k}</span><p>{body}</p></li>' for k, (cls, body) in enumerate(items, 1))
        return f'<h3>{self.t("key_title")}</h3>\n<ol class="key-points">\n{lis}\n</ol>'

    def gap_counts(self) -> tuple[int, int]:
        """(gaps, notes): errors and warnings, and info findings (the terminal's and Excel's numbers)."""
        cached = self.__dict__.get("_gap_counts_cache")
        if cached is None:
            ranks = self.finding_columns()["rank"] if len(self.findings) else []
            gaps = int(np.count_nonzero(np.asarray(ranks, dtype=np.int64) >= 2)) if len(ranks) else 0
            cached = self.__dict__["_gap_counts_cache"] = (gaps, len(ranks) - gaps)
        return cached

    def gap_projects(self) -> list[str]:
        """Projects (as text) with at least one gap, in the order of :meth:`sorted_findings`."""
        columns = self.finding_columns() if len(self.findings) else {"project_text": [], "rank": []}
        seen: dict[str, None] = {}
        for project, rank in zip(columns["project_text"], columns["rank"]):
            if project and rank >= 2:
                seen.setdefault(project, None)
        return list(seen)

    def findings_tile(self, total) -> tuple[str, str]:
        """The gaps tile: errors and warnings; notes (info) are counted apart, as they are not gaps."""
        gaps, notes = self.gap_counts()
        if not notes:
            return self.int(gaps), T.text(self.lang, "tile_findings")
        return self.int(gaps), T.text(self.lang, "tile_findings_info", n=self.int(notes))

    def section_summary(self) -> str:
        c = self.counts()
        tiles = [
            (self.int(c["organisations"]), T.KEY_FIGURE_TEXTS[self.lang]["organisations"][0]),
            (self.int(c["projects"]), T.KEY_FIGURE_TEXTS[self.lang]["projects"][0]),
            (self.int(c["ties"]), T.KEY_FIGURE_TEXTS[self.lang]["ties"][0]),
            (self.num(self.summary.get("density"), 2 if (_number(self.summary.get("density")) or 1) >= 0.01 else 3), T.KEY_FIGURE_TEXTS[self.lang]["density"][0]),
            self.findings_tile(c["findings"]),
            (self.int(c["white_spots"]), T.text(self.lang, "tile_white_spots")),
        ]
        tiles_html = "\n".join(f'<div class="stat"><span class="v">{v}</span><span class="l">{self.e(label)}</span></div>' for v, label in tiles)
        sentences = " ".join(self.sentences())
        return (
            f'<p class="lead what">{self.t("what_text")}</p>\n<div class="stat-row">\n{tiles_html}\n</div>\n<p class="lead">{sentences}</p>\n'
            f"{self.key_points()}\n{plain.reading_notes(self)}\n{plain.more_of_the_same(self)}"
        )

    # -- 3. density ----------------------------------------------------------------------------

    def section_density(self) -> str:
        rows = []
        for key, kind in T.KEY_FIGURES:
            value = self.counts().get(key) if key in ("organisations", "projects", "participations", "ties") else self.summary.get(key)
            if _number(value) is None:
                continue
            label, meaning = T.KEY_FIGURE_TEXTS[self.lang][key]
            shown = self.int(value) if kind == "int" else self.pct(value) if kind == "percent" else self.num(value)
            rows.append([Cell(self.e(label)), Cell(shown, sort=repr(float(_number(value))), cls="num"), Cell(self.e(meaning))])
        parts = [f"<p>{self.t('density_intro')}</p>"]
        if rows:
            parts.append(table([T.text(self.lang, "figure"), Header(T.text(self.lang, "value"), numeric=True), T.text(self.lang, "meaning")], rows, sortable=False, cls="kv"))
        group_label = T.GROUP_BY_LABELS[self.lang].get(self.group_by, self.group_by)
        parts.append(f"<h3>{self.t('block_title', group_by=self.e(group_label))}</h3>")
        parts.append(self.block_heat_map())
        parts.append(f"<h3>{self.t('ei_title')}</h3>")
        parts.append(f"<p>{self.t('ei_explain')}</p>")
        parts.append(self.ei_table())
        return "\n".join(parts)

    def group_sizes(self) -> dict[str, int]:
        nodes = getattr(self.graph, "nodes", None)
        if not isinstance(nodes, pd.DataFrame) or self.group_by not in nodes.columns:
            return {}
        unknown = T.text(self.lang, "unknown")
        values = nodes[self.group_by].map(lambda v: _text_of(v) or unknown)
        return {str(k): int(v) for k, v in values.value_counts(sort=False).items()}

    def block_heat_map(self) -> str:
        frame = self.block_density
        if not len(frame) or not len(frame.columns):
            return f'<p class="muted">{self.t("block_none")}</p>'
        order = [str(g) for g in frame.index]
        labels = {str(g): g for g in frame.index}
        note = ""
        if len(order) > MAX_GROUPS:
            sizes = self.group_sizes()
            ranked = sorted(range(len(order)), key=lambda k: (-sizes.get(order[k], 0), k))[:MAX_GROUPS]
            keep = [order[k] for k in sorted(ranked)]
            note = f'<p class="small muted">{self.t("block_capped", shown=self.int(len(keep)), total=self.int(len(order)))}</p>'
            order = keep
        columns = {str(c): c for c in frame.columns}
        values = []
        for g in order:
            for h in order:
                if h in columns:
                    number = _number(frame.at[labels[g], columns[h]])
                    if number is not None:
                        values.append(number)
        maximum = max(values) if values else 0.0
        headers = [Header(T.text(self.lang, "group"))] + [Header(self.group_value_label(h), numeric=True) for h in order if h in columns]
        rows = []
        for g in order:
            row = [Cell(self.e(self.group_value_label(g)), row_header=True)]
            for h in order:
                if h not in columns:
                    continue
                number = _number(frame.at[labels[g], columns[h]])
                tip = f"{self.group_value_label(g)} – {self.group_value_label(h)}"
                if number is None:
                    row.append(Cell("–", sort="", cls="na", title=tip))
                else:
                    bg = heat_colour(number, maximum)
                    row.append(Cell(self.num(number, 2), sort=repr(number), style=f"background:{bg};color:{text_colour(bg)}", title=f"{tip}: {T.format_number(number, self.lang, 3)}"))
            rows.append(row)
        legend = f'<div class="legend"><span><span class="swatch ramp"></span>0 – {self.num(maximum, 2)}</span><span><span class="swatch" style="background:#f0f0f0"></span>– </span></div>'
        explain = f"<p>{self.t('block_explain', max=self.num(maximum, 2))}</p>"
        return (
            explain
            + "\n"
            + note
            + table(headers, rows, sortable=False, cls="heat", label=T.text(self.lang, "block_title", group_by=T.GROUP_BY_LABELS[self.lang].get(self.group_by, self.group_by)))
            + legend
        )

    def ei_table(self) -> str:
        overall = _number(self.summary.get("ei_index"))
        by_group = self.summary.get("ei_index_by_group")
        rows = []
        if overall is not None:
            rows.append([Cell(f"<strong>{self.t('ei_network')}</strong>", row_header=True), Cell(self.num(overall, 2), sort=repr(overall)), Cell(self.ei_bar(overall))])
        entries = []
        if isinstance(by_group, Mapping):
            entries = list(by_group.items())
        elif isinstance(by_group, pd.Series):
            entries = list(by_group.items())
        elif isinstance(by_group, (list, tuple)):
            entries = [(r.get("group"), r.get("ei_index", r.get("value"))) for r in by_group if isinstance(r, Mapping)]
        for group, value in entries:
            if isinstance(value, Mapping):
                value = next((value[k] for k in ("ei_index", "ei", "index", "value") if k in value), None)
            number = _number(value)
            rows.append(
                [
                    Cell(self.e(self.group_value_label(group)), row_header=True),
                    Cell(self.num(number, 2) if number is not None else "–", sort="" if number is None else repr(number)),
                    Cell(self.ei_bar(number) if number is not None else ""),
                ]
            )
        if not rows:
            return ""
        headers = [T.text(self.lang, "group"), Header("E-I", numeric=True), "−1 … +1"]
        return table(headers, rows, sortable=False, cls="ei")

    @staticmethod
    def ei_bar(value: float) -> str:
        value = max(-1.0, min(1.0, value))
        if value >= 0:
            left, width = 50.0, value * 50
        else:
            left, width = 50 + value * 50, -value * 50
        return f'<span class="ei-bar" aria-hidden="true"><i style="left:{left:.1f}%;width:{width:.1f}%"></i></span>'

    # -- 4. bridging ---------------------------------------------------------------------------

    def value_cell(self, column: str, value, *, context: str = "") -> Cell:
        """A table cell for any value, formatted by its column."""
        if _is_bool(value):
            return Cell(self.t("yes") if value else self.t("no"), sort="1" if value else "0")
        number = _number(value)
        if number is not None:
            if column in ("severity", "worst_severity"):
                return Cell(self.badge(number), sort=str(T.severity_rank(number)))
            if column in INTEGER_COLUMNS or float(number).is_integer() and isinstance(value, Integral):
                return Cell(self.int(number), sort=repr(number), cls="num")
            return Cell(self.num(number), sort=repr(number), cls="num")
        if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
            text = T.format_date(value)
            return Cell(self.e(text), sort=text, cls="nowrap")
        if _missing(value):
            return Cell("", sort="")
        text = str(value) if not isinstance(value, (list, tuple, set)) else "|".join(str(v) for v in value)
        if column in ("severity", "worst_severity"):
            return Cell(self.badge(text), sort=str(T.severity_rank(text)))
        if column == "type":
            label = T.type_label(self.lang, text)
            return Cell(self.e(label), sort=label)
        if column == "level":
            label = T.level_label(self.lang, text)
            return Cell(self.e(label), sort=label)
        if column == "status":
            label = T.status_label(self.lang, text)
            return Cell(self.e(label), sort=label)
        if column == "rule":
            label = T.rule_label(self.lang, text)
            return Cell(f'<span class="rule" data-rule="{self.e(text)}">{self.e(label)}</span>', sort=label)
        if column == "municipality" and text.isdigit():
            label = municipality_name(text) or text
            return Cell(self.e(label), sort=label)
        if column in ("county", "region") and text.isdigit():
            label = county_name(text) or text
            return Cell(self.e(label), sort=label)
        if column == "kind":
            label = T.kind_label(self.lang, text)
            return Cell(self.e(label), sort=label)
        if column == "parent" and context == "projects":
            name = self.project_name(text)
            return Cell(self.e(name), sort=name)
        if column in ("owners", "leads") or (column == "organisations" and context in ("findings",)):
            names = [self.org_name(v) for v in _split(text)]
            return Cell(self.e(", ".join(names)), sort=", ".join(names))
        if column == "detail" and context == "white_spots":
            names = [self.project_name(v) for v in _split(text)]
            return Cell(self.e(", ".join(names)), sort=", ".join(names))
        if column == "reasons":
            parts = self.reasons(value)
            if len(parts) > 1:
                return Cell('<ul class="cell-list">' + "".join(f"<li>{self.e(p)}</li>" for p in parts) + "</ul>", sort=text)
            return Cell(self.e(text), sort=text)
        return Cell(self.e(text), sort=None)

    def header_for(self, frame: pd.DataFrame, column: str) -> Header:
        numeric = column in INTEGER_COLUMNS or (column in frame.columns and pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]))
        return Header(T.column_label(self.lang, column), numeric=numeric)

    def section_bridging(self) -> str:
        parts = [f"<p>{self.t('bridging_intro')}</p>"]
        frame = self.bridging
        if len(frame):
            types = {}
            if {"id", "type"} <= set(self.organisations.columns):
                types = dict(zip(self.organisations["id"].astype(str).tolist(), self.organisations["type"].tolist()))
            columns = [c for c in frame.columns if c not in ("id", "rank")]
            if "type" not in columns and types:
                columns.insert(1 if "name" in columns else 0, "type")
            headers = [Header(T.text(self.lang, "rank"), numeric=True)] + [self.header_for(frame, c) for c in columns]
            rows = []
            for k, record in enumerate(_records(frame), 1):
                rank = record.get("rank", k)
                row = [Cell(self.int(rank), sort=repr(float(_number(rank) or k)), cls="num")]
                for c in columns:
                    value = record.get(c) if c in record else types.get(str(record.get("id")))
                    if c == "name" and _missing(value):
                        value = self.org_name(record.get("id"))
                    row.append(self.value_cell(c, value, context="bridging"))
                rows.append(row)
            parts.append(table(headers, rows, label=T.text(self.lang, "sec_bridging")))
            candidates = int((pd.to_numeric(self.organisations["degree"], errors="coerce") > 0).sum()) if "degree" in self.organisations.columns else len(self.organisations)
            parts.append(f"<p>{self.t('bridging_score', n=self.int(candidates))}</p>")
            parts.append(confidence_paragraph(self))
            top = _records(frame.head(1))[0]
            reasons = self.reasons(top.get("reasons"))
            if reasons:
                name = _text_of(top.get("name")) or self.org_name(top.get("id"))
                parts.append(f"<p>{self.t('bridging_lead', name=f'<strong>{self.e(name)}</strong>', score=self.num(top.get('score'), 2), reasons=self.e('; '.join(reasons)))}</p>")
        else:
            parts.append(f'<p class="muted">{self.t("bridging_none")}</p>')
        parts.append(f"<h3>{self.t('orgs_title')}</h3>")
        parts.append(self.organisations_table())
        return "\n".join(parts)

    def organisations_table(self) -> str:
        frame = self.organisations
        if not len(frame):
            return ""
        columns = [c for c in ORGANISATION_COLUMNS if c in frame.columns]
        columns += sorted(c for c in frame.columns if str(c).startswith("brokerage_") and c not in columns)
        if "name" not in columns and "id" in frame.columns:
            columns.insert(0, "id")
        ordered = frame.reset_index(drop=True)
        total = len(ordered)
        metric = "betweenness" if "betweenness" in ordered.columns else "degree" if "degree" in ordered.columns else None
        key = None
        if metric is not None:
            key = -pd.to_numeric(ordered[metric], errors="coerce").fillna(-math.inf)
            values = key.to_numpy()
            if total > MAX_ORGANISATIONS and isinstance(values.dtype, np.dtype) and values.dtype.kind in "iuf":
                # only rows that can be among the first (the order keeps their positions: stable)
                candidates = values <= np.partition(values, MAX_ORGANISATIONS - 1)[MAX_ORGANISATIONS - 1]
                ordered, key = ordered[candidates], key[candidates]
        names = ordered["name"].map(lambda v: T.sort_key(_text_of(v))) if "name" in ordered.columns else pd.Series([""] * len(ordered))
        if metric is not None:
            ordered = ordered.assign(_m=key, _n=names.to_numpy()).sort_values(["_m", "_n"], kind="stable").drop(columns=["_m", "_n"])
        else:
            ordered = ordered.assign(_n=names.to_numpy()).sort_values(["_n"], kind="stable").drop(columns=["_n"])
        shown = ordered.head(MAX_ORGANISATIONS)
        headers = [self.header_for(frame, c) for c in columns]
        rows = []
        for record in _records(shown):
            row = []
            for c in columns:
                cell = self.value_cell(c, record.get(c), context="organisations")
                if c == "name":
                    cell = Cell(cell.html, sort=cell.sort, row_header=True)
                row.append(cell)
            rows.append(row)
        parts = [f'<p class="small muted screen-only">{self.t("orgs_intro")}</p>']
        if total > MAX_ORGANISATIONS:
            parts.append(f'<p class="note">{self.t("orgs_capped", shown=self.int(MAX_ORGANISATIONS), total=self.int(total))}</p>')
        parts.append(table(headers, rows, label=T.text(self.lang, "orgs_title")))
        glossary = [(c, T.GLOSSARY[self.lang][c]) for c in columns if c in T.GLOSSARY[self.lang]]
        if glossary:
            items = "\n".join(f"<div><dt>{self.e(T.column_label(self.lang, c))}</dt><dd>{self.e(text)}</dd></div>" for c, text in glossary)
            parts.append(f'<details class="group"><summary>{self.t("glossary_title")}</summary><div class="body"><dl class="glossary">{items}</dl></div></details>')
        return "\n".join(parts)

    # -- 5. ownership gaps and white spots -----------------------------------------------------

    def section_gaps(self) -> str:
        parts = [f"<p>{self.t('gaps_intro')}</p>"]
        findings = self.sorted_findings()
        if len(findings):
            parts.append(f"<h3>{self.t('by_rule')}</h3>")
            parts.append(self.findings_by_rule(findings))
            parts.append(f"<h3>{self.t('by_project')}</h3>")
            parts.append(self.findings_by_project(findings))
        else:
            parts.append(f'<p class="note">{self.t("no_findings")}</p>')
        parts.append(f"<h3>{self.t('spots_title')}</h3>")
        parts.append(self.spots_by_group())
        parts.append(f"<h3>{self.t('coverage_title')}</h3>")
        parts.append(self.coverage_matrix())
        return "\n".join(parts)

    def findings_by_rule(self, findings: pd.DataFrame) -> str:
        """One row per rule: its name, gap or note, how many, and the first projects (most severe first)."""
        if "rule" not in findings.columns:
            return ""
        columns = self.finding_columns()
        counts: dict[str, list] = {}
        for k, (rule, severity, rank, project) in enumerate(zip(_texts(columns["rule"]), columns["severity"], columns["rank"], columns["project_text"])):
            entry = counts.get(rule)
            if entry is None:
                entry = counts[rule] = [0, 0, severity, []]
            entry[0] += 1
            if rank > entry[1]:
                entry[1] = rank
                entry[2] = severity
            if project and len(entry[3]) < MAX_RULE_EXAMPLES:
                name = self.finding_project_name(self.finding_record(k))
                if name not in entry[3]:
                    entry[3].append(name)
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
        headers = [T.column_label(self.lang, "rule"), T.text(self.lang, "kind_col"), Header(T.text(self.lang, "count"), numeric=True), T.text(self.lang, "rule_examples")]
        rows = []
        for rule, (n, rank, sev, examples) in ordered:
            label = T.rule_label(self.lang, rule)
            more = f" {T.text(self.lang, 'and_more', n=T.format_int(n - len(examples), self.lang))}" if n > len(examples) and examples else ""
            rows.append(
                [
                    Cell(f'<span class="rule" data-rule="{self.e(rule)}">{self.e(label)}</span>', sort=label, row_header=True),
                    Cell(self.badge(sev), sort=str(rank)),
                    Cell(self.int(n), sort=str(n), cls="num"),
                    Cell(self.e("; ".join(examples) + more)),
                ]
            )
        return table(headers, rows, label=T.text(self.lang, "by_rule"))

    def finding_item(self, r: dict, *, who: bool = True) -> str:
        """One finding as a list item: its badge (gap or note), its rule by name, its message."""
        orgs = [self.org_name(o) for o in _split(r.get("organisations"))] if who else []
        who_html = f'<span class="who">{self.e(T.column_label(self.lang, "organisations"))}: {self.e(", ".join(orgs))}</span>' if orgs else ""
        rule = _text_of(r.get("rule"))
        return f'<li>{self.badge(r.get("severity"))} <span class="rule" data-rule="{self.e(rule)}">{self.e(T.rule_label(self.lang, rule))}</span>: {self.e(_text_of(r.get("message")))}{who_html}</li>'

    def findings_by_project(self, findings: pd.DataFrame) -> str:
        """Only projects with gaps (errors, warnings), most and worst first, capped; the rest is in the files."""
        projects, members, starts, counts = self.finding_groups()
        rank = _numbers(self.finding_columns()["rank"])
        worst = np.maximum.reduceat(rank[members], starts)
        gaps = np.add.reduceat((rank[members] >= 2).astype(np.int64), starts)
        names = self.__dict__["_finding_keys_cache"]["name_order"][members[starts]]
        ordered = _stable_order(np.array([0 if p else 1 for p in projects], dtype=np.int8), -worst, -gaps, names, _codes(projects))
        ordered = [g for g in ordered if gaps[g] > 0]
        total = len(ordered)
        out = []
        if not total:
            out.append(f'<p class="note">{self.t("no_gap_projects")}</p>')
        elif total > MAX_FINDING_PROJECTS:
            out.append(f'<p class="note">{self.t("findings_capped", shown=self.int(MAX_FINDING_PROJECTS), total=self.int(total))}</p>')
        for g in ordered[:MAX_FINDING_PROJECTS]:
            project = projects[g]
            rows = [self.finding_record(k) for k in members[starts[g] : starts[g] + counts[g]]]
            worst_row = max(rows, key=lambda r: T.severity_rank(r.get("severity")))
            name = self.finding_project_name(rows[0]) if project else T.text(self.lang, "no_project")
            items = "".join(self.finding_item(r) for r in rows)
            out.append(
                '<details class="group">'
                f'<summary><span class="grow">{self.e(name)}</span><span class="badge count">{self.e(self.plural(int(gaps[g]), "gap"))}</span>{self.badge(worst_row.get("severity"))}</summary>'
                f'<div class="body"><ul class="findings">{items}</ul></div></details>'
            )
        out.append(f'<p class="small">{self.t("findings_files")}</p>')
        return "\n".join(out)

    def sorted_spots(self) -> pd.DataFrame:
        """White spots in target-group order, then by municipality, kind and message; sorted once."""
        cached = self.__dict__.get("_sorted_spots_cache")
        if cached is None:
            cached = self.__dict__["_sorted_spots_cache"] = self._sort_spots()
        return cached

    def _sort_spots(self) -> pd.DataFrame:
        spots = self.white_spots
        if not len(spots):
            return spots
        records = _records(spots)
        keys = [
            (self.spot_group_position(r), T.sort_key(_text_of(r.get("municipality_name")) or _text_of(r.get("municipality"))), _text_of(r.get("kind")), _text_of(r.get("message")), k)
            for k, r in enumerate(records)
        ]
        order = [k for *_, k in sorted(keys)]
        return spots.reset_index(drop=True).iloc[order].reset_index(drop=True)

    def spot_group_position(self, record: dict):
        group = _text_of(record.get("target_group"))
        known = self.__dict__.get("_target_group_positions")
        if known is None:
            known = self.__dict__["_target_group_positions"] = {g: k for k, g in enumerate(self.target_group_names)}
        if group in known:
            return (0, known[group], "")
        if not group:
            return (2, 0, "")
        return (1, 0, T.sort_key(self.spot_group_name(record)))

    def spot_group_name(self, record: dict) -> str:
        group = _text_of(record.get("target_group"))
        return _text_of(record.get("target_group_name")) or self.target_group_names.get(group) or group or T.text(self.lang, "no_target_group")

    def spot_groups(self, spots: pd.DataFrame) -> list[tuple[str, list[dict]]]:
        groups: dict[str, tuple[str, list[dict]]] = {}
        for record in _records(spots):
            key = _text_of(record.get("target_group"))
            groups.setdefault(key, (self.spot_group_name(record), []))[1].append(record)
        return list(groups.values())

    def spots_by_group(self) -> str:
        spots = self.sorted_spots()
        if not len(spots):
            return f'<p class="note">{self.t("no_spots")}</p>'
        columns = [c for c in ("kind", "municipality_name", "municipality", "message") if c in spots.columns]
        if "municipality_name" in columns and "municipality" in columns:
            columns.remove("municipality")
        out = []
        for name, rows in self.spot_groups(spots):
            headers = [self.header_for(spots, c) if c != "municipality_name" else Header(T.text(self.lang, "municipality")) for c in columns]
            body = [[self.value_cell(c, r.get(c), context="white_spots") for c in columns] for r in rows[:MAX_SPOTS_PER_GROUP]]
            more = ""
            if len(rows) > MAX_SPOTS_PER_GROUP:
                more = f'<p class="small muted">{self.t("spots_capped", n=self.int(len(rows) - MAX_SPOTS_PER_GROUP))}</p>'
            out.append(
                '<details class="group">'
                f'<summary><span class="grow">{self.e(name)}</span><span class="badge count">{self.e(self.plural(len(rows), "white_spot"))}</span></summary>'
                f'<div class="body">{table(headers, body, label=name)}{more}</div></details>'
            )
        return "\n".join(out)

    def coverage_matrix(self) -> str:
        frame = self.coverage
        if len(frame) and isinstance(frame.index, pd.RangeIndex) and len(frame.columns) and not pd.api.types.is_numeric_dtype(frame[frame.columns[0]]):
            frame = frame.set_index(frame.columns[0])
        if not len(frame) or not len(frame.columns):
            return f'<p class="muted">{self.t("coverage_none")}</p>'
        attrs = getattr(frame, "attrs", {}) or {}
        group_names = dict(self.target_group_names)
        group_names.update({str(k): str(v) for k, v in (attrs.get("target_group_names") or {}).items()})
        place_names = {str(k): str(v) for k, v in (attrs.get("municipality_names") or {}).items()}
        groups = [str(g) for g in frame.index]
        places = [str(p) for p in frame.columns]
        values = {}
        for g, g_raw in zip(groups, frame.index):
            for p, p_raw in zip(places, frame.columns):
                values[(g, p)] = _number(frame.at[g_raw, p_raw])
        finite = [v for v in values.values() if v is not None]
        maximum = max(finite) if finite else 0.0

        def group_label(g):
            return group_names.get(g, g)

        def place_label(p):
            name = place_names.get(p, p)
            if name == p:
                name = municipality_name(p) or county_name(p) or p
            return name

        transposed = len(places) > 20 and len(places) > len(groups)
        rows_keys, cols_keys = (places, groups) if transposed else (groups, places)
        row_label, col_label = (place_label, group_label) if transposed else (group_label, place_label)
        corner = T.text(self.lang, "municipality" if transposed else "target_group")
        headers = [Header(corner)] + [Header(col_label(c), numeric=True) for c in cols_keys]
        rows = []
        for r in rows_keys[:MAX_COVERAGE_ROWS]:
            row = [Cell(self.e(row_label(r)), row_header=True)]
            for c in cols_keys:
                g, p = (c, r) if transposed else (r, c)
                value = values[(g, p)]
                tip = f"{group_label(g)} – {place_label(p)}"
                if value is None:
                    row.append(Cell("–", sort="", cls="na", title=tip))
                elif value == 0:
                    row.append(Cell(f'0<span class="sr-only"> ({self.t("white_spot")})</span>', sort="0", cls="white-spot", title=f"{tip}: {T.text(self.lang, 'white_spot')}"))
                else:
                    bg = heat_colour(value, maximum)
                    row.append(
                        Cell(
                            self.int(value) if float(value).is_integer() else self.num(value),
                            sort=repr(value),
                            style=f"background:{bg};color:{text_colour(bg)}",
                            title=f"{tip}: {T.format_number(value, self.lang)}",
                        )
                    )
            rows.append(row)
        parts = [f"<p>{self.t('coverage_explain')}</p>"]
        empty = sum(1 for r in rows_keys[:MAX_COVERAGE_ROWS] for c in cols_keys if values[(c, r) if transposed else (r, c)] == 0)
        other = len(self.white_spots) - empty
        spots_text = self.t("coverage_spots_count", n=self.int(empty))
        if other > 0 and len(rows_keys) <= MAX_COVERAGE_ROWS:  # the rest are white spots no matrix cell shows
            spots_text += " " + self.t("coverage_spots_other", n=self.int(other), total=self.int(len(self.white_spots)))
        parts.append(f"<p>{spots_text}</p>")
        if len(rows_keys) > MAX_COVERAGE_ROWS:
            parts.append(f'<p class="note">{self.t("coverage_capped", shown=self.int(MAX_COVERAGE_ROWS), total=self.int(len(rows_keys)))}</p>')
        if transposed:
            parts.append(f'<p class="small muted">{self.t("coverage_transposed")}</p>')
        parts.append(f'<div class="legend"><span><span class="swatch spot"></span>{self.t("legend_spot")}</span><span><span class="swatch ramp"></span>{self.t("legend_covered")}</span></div>')
        parts.append(table(headers, rows, sortable=False, cls="heat coverage", label=T.text(self.lang, "coverage_title")))
        return "\n".join(parts)

    # -- 6. communities ------------------------------------------------------------------------

    def section_communities(self) -> str:
        seed = self.seed()
        parts = [f"<p>{self.t('communities_intro', seed=self.e(seed if seed is not None else '–'))}</p>"]
        modularity = _number(self.summary.get("modularity"))
        if modularity is not None:
            parts.append(f"<p>{self.t('modularity_line', q=self.num(modularity, 2), meaning=self.t(self.modularity_key(modularity)))}</p>")
        frame = self.organisations

        def community_key(value):
            if _missing(value):
                return None
            number = _number(value)
            return str(int(number)) if number is not None and float(number).is_integer() else str(value)

        # community -> its organisations (positions in frame)
        members: dict[str, list[int]] = {}
        labels: dict[str, object] = {}
        if len(frame) and "community" in frame.columns:
            values = _values(frame["community"])
            for k, (value, key) in enumerate(zip(values, _mapped(values, community_key))):
                if key is not None:
                    labels[key] = value
                    members.setdefault(key, []).append(k)
        if not members:
            parts.append(f'<p class="muted">{self.t("communities_none")}</p>')
            return "\n".join(parts)
        metric = "betweenness" if "betweenness" in frame.columns else "degree" if "degree" in frame.columns else None
        # members in order of: highest metric, name (or id), id
        first_key = self.descending_key(frame, metric)
        name_texts = _texts(_column(frame, "name"))
        ids = _column(frame, "id")
        id_texts = _texts(ids)
        kind_codes, kind_names = pd.factorize(np.asarray([t or "other" for t in _texts(_column(frame, "type"))], dtype=object))

        def member_order(k):
            return (first_key[k], T.sort_key(name_texts[k] or id_texts[k]), id_texts[k])

        def first_members(rows: list[int], n: int) -> list[int]:
            """``sorted(rows, key=member_order)[:n]``: only rows that can be among the first n."""
            if len(rows) > n:
                positions = np.asarray(rows)
                keys = first_key[positions]
                rows = positions[keys <= np.partition(keys, n - 1)[n - 1]].tolist()
            return _smallest(rows, n, member_order)

        def community_order(key):
            number = _number(labels[key])
            return (-len(members[key]), 0 if number is not None else 1, number if number is not None else 0, key)

        ordered = sorted(members, key=community_order)
        alone = [k for k in ordered if len(members[k]) == 1]
        ordered = [k for k in ordered if len(members[k]) > 1]
        total = len(ordered)
        if total > MAX_COMMUNITIES:
            parts.append(f'<p class="note">{self.t("communities_capped", shown=self.int(MAX_COMMUNITIES), total=self.int(total))}</p>')
        cards = []
        for key in ordered[:MAX_COMMUNITIES]:
            rows = members[key]
            shown = first_members(rows, MAX_MEMBERS)
            counted = np.bincount(kind_codes[rows], minlength=len(kind_names))
            type_counts = {kind_names[c]: int(counted[c]) for c in np.flatnonzero(counted)}

            def type_order(kv):
                return (-kv[1], T.sort_key(T.type_label(self.lang, kv[0])))

            if len({type_order(kv) for kv in type_counts.items()}) < len(type_counts):
                # equal counts and labels: the first in member order comes first
                type_counts = Counter(kind_names[kind_codes[k]] for k in sorted(rows, key=member_order))
            types = ", ".join(f"{T.type_label(self.lang, k)} ({v})" for k, v in sorted(type_counts.items(), key=type_order))
            names = "".join(f"<li>{self.e(name_texts[k] or self.org_name(ids[k]))}</li>" for k in shown)
            more = f'<li class="muted">{self.t("and_more", n=self.int(len(rows) - MAX_MEMBERS))}</li>' if len(rows) > MAX_MEMBERS else ""
            facts = f"{self.t('size')}: {self.int(len(rows))}"
            if types and "type" in frame.columns:
                facts += f" · {self.t('types')}: {self.e(types)}"
            cards.append(f'<article class="card"><h3>{self.t("community", n=self.e(key))}</h3><p class="facts">{facts}</p><ul>{names}{more}</ul></article>')
        if cards:
            parts.append('<div class="cards">\n' + "\n".join(cards) + "\n</div>")
        if alone:
            names = [name_texts[members[k][0]] or self.org_name(ids[members[k][0]]) for k in alone]
            shown = _smallest(names, MAX_ALONE, lambda n: (T.sort_key(n), n))
            more = f" {self.t('and_more', n=self.int(len(names) - MAX_ALONE))}" if len(names) > MAX_ALONE else ""
            parts.append(f'<p class="note">{self.t("communities_alone", n=self.e(self.plural(len(names), "organisation")))} {self.e(", ".join(shown))}{more}.</p>')
        return "\n".join(parts)

    @staticmethod
    def descending_key(frame: pd.DataFrame, metric: str | None) -> np.ndarray:
        """``-value`` of ``metric`` in every row (``+inf`` where it is not a finite number), so that
        ascending order puts the highest first."""
        if metric is None:
            return np.full(len(frame), math.inf)
        series = frame[metric]
        if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iuf":
            values = series.to_numpy(dtype=float)
            return np.where(np.isfinite(values), -values, math.inf)
        return np.array([math.inf if x is None else -x for x in map(_number, _values(series))], dtype=float)

    # -- 7. projects ---------------------------------------------------------------------------

    def participations(self) -> tuple[list[str], list[str], list]:
        """(project, organisation) of every participation as text, and its role as given."""
        parts = self._table("participations")
        if not len(parts) or not {"project", "organisation"} <= set(parts.columns):
            return [], [], []
        roles = parts["role"].tolist() if "role" in parts.columns else [""] * len(parts)
        return _strs(parts["project"].tolist()), _strs(parts["organisation"].tolist()), roles

    def participants_by_project(self, projects=None) -> dict[str, dict[str, list[str]]]:
        """project id -> role -> organisation ids (first appearance order, unique); only the
        ``projects`` given, when given."""
        out: dict[str, dict[str, list[str]]] = {}
        for project, org, role in zip(*self.participations()):
            if projects is not None and project not in projects:
                continue
            bucket = out.setdefault(project, {}).setdefault(_text_of(role) or "partner", [])
            if org not in bucket:
                bucket.append(org)
        return out

    def findings_by_project_id(self) -> dict[str, list[int]]:
        """project id -> its rows in :meth:`sorted_findings` (see :meth:`finding_record`)."""
        projects, members, starts, counts = self.finding_groups()
        members = members.tolist()  # sliced as a list: no numpy slice per project
        return {p: members[start : start + n] for p, start, n in zip(projects, starts.tolist(), counts.tolist()) if p}

    def section_projects(self) -> str:
        projects = self._table("projects")
        parts = [f"<p>{self.t('projects_intro')}</p>"]
        if not len(projects) or "id" not in projects.columns:
            parts.append(f'<p class="muted">{self.t("projects_none")}</p>')
            return "\n".join(parts)
        findings = self.findings_by_project_id()
        ids = _strs(projects["id"].tolist())
        total = len(ids)
        if total > MAX_PROJECTS:
            # only projects with gaps: most gaps, most organisations (distinct, in any role), name, position
            ranks = self.finding_columns()["rank"] if len(self.findings) else []
            is_gap = [r >= 2 for r in ranks]
            gap_count = {p: sum(map(is_gap.__getitem__, rows)) for p, rows in findings.items()}
            project_of, org_of, _ = self.participations()
            organisations = pd.DataFrame({"p": project_of, "o": org_of}, dtype=object).drop_duplicates()["p"].value_counts(sort=False).to_dict()
            chosen = _stable_order(
                np.array([-gap_count.get(p, 0) for p in ids], dtype=np.int64),
                np.array([-organisations.get(p, 0) for p in ids], dtype=np.int64),
                _codes(_mapped([self.project_name(p) for p in ids], _sort_key)),
            ).tolist()
            chosen = [k for k in chosen if gap_count.get(ids[k], 0) > 0][:MAX_GAP_PROJECTS]
            key = "projects_gaps_only" if chosen else "projects_none_shown"
            parts.append(f'<p class="note">{self.t(key, total=self.int(total), shown=self.int(len(chosen)))}</p>')
            if not chosen:
                return "\n".join(parts)
        else:
            chosen = list(range(total))
        participants = self.participants_by_project({ids[k] for k in chosen})
        parts.append(self.projects_overview([ids[k] for k in chosen]))
        records = dict(zip(chosen, _records(projects.iloc[chosen])))
        tg_names = self.target_group_names
        cards = []
        for number, k in enumerate(chosen, 1):
            record = records[k]
            p = ids[k]
            facts = []
            start, end = T.format_date(record.get("start")), T.format_date(record.get("end"))
            if start or end:
                facts.append(f"{self.t('period')}: {self.e(start)} – {self.e(end)}")
            if _text_of(record.get("status")):
                facts.append(f"{self.t('status')}: {self.e(T.status_label(self.lang, _text_of(record.get('status'))))}")
            if _text_of(record.get("parent")):
                facts.append(f"{self.t('part_of')}: {self.e(self.project_name(record.get('parent')))}")
            groups = [tg_names.get(g, g) for g in _split(record.get("target_groups"))]
            if groups:
                facts.append(f"{self.t('target_groups')}: {self.e(', '.join(groups))}")
            roles = participants.get(p, {})
            role_order = [r for r in T.ROLE_ORDER if r in roles] + sorted(r for r in roles if r not in T.ROLE_ORDER)
            if role_order:
                rows = []
                for role in role_order:
                    names = sorted({self.org_name(o) for o in roles[role]}, key=lambda n: (T.sort_key(n), n))
                    rows.append([Cell(self.e(T.role_label(self.lang, role)), row_header=True), Cell(self.e(", ".join(names)))])
                roles_html = table([T.text(self.lang, "role"), T.text(self.lang, "parties")], rows, sortable=False, cls="roles")
            else:
                roles_html = f'<p class="muted">{self.t("no_parties")}</p>'
            own = [self.finding_record(row) for row in findings.get(p, ())]
            own_gaps = [r for r in own if self.is_gap(r.get("severity"))]
            own_notes = [r for r in own if not self.is_gap(r.get("severity"))]
            if own_gaps:
                items = "".join(self.finding_item(r, who=False) for r in own_gaps)
                findings_html = f'<h4>{self.t("project_findings")} ({self.int(len(own_gaps))})</h4><ul class="findings">{items}</ul>'
            else:
                findings_html = f'<h4>{self.t("project_findings")}</h4><p class="muted small">{self.t("no_project_findings")}</p>'
            if own_notes:
                items = "".join(self.finding_item(r, who=False) for r in own_notes)
                findings_html += f'<h4>{self.t("project_notes")} ({self.int(len(own_notes))})</h4><ul class="findings notes">{items}</ul>'
            facts_html = "".join(f"<span>{f}</span>" for f in facts)
            card = (
                f'<article class="project" id="project-{number}"><header><h3>{self.e(self.project_name(p))}</h3>'
                f'<p class="facts">{facts_html}</p></header><div class="body">{roles_html}{findings_html}</div></article>'
            )
            if total > MAX_PROJECTS:  # a large package: one line per project, opened on demand
                gaps_here = sum(1 for r in own if self.is_gap(r.get("severity")))
                card = (
                    f'<details class="group"><summary><span class="grow">{self.e(self.project_name(p))}</span>'
                    f'<span class="badge count">{self.e(self.plural(gaps_here, "gap"))}</span></summary><div class="body">{card}</div></details>'
                )
            cards.append(card)
        parts.append("\n".join(cards))
        return "\n".join(parts)

    def projects_overview(self, chosen: list[str]) -> str:
        frame = self.projects
        if not len(frame) or "id" not in frame.columns:
            return ""
        position = {p: k for k, p in enumerate(chosen)}
        selected = frame[frame["id"].astype(str).isin(position)]
        order = sorted(range(len(selected)), key=lambda k: position[str(selected["id"].iloc[k])])
        selected = selected.iloc[order]
        hidden = {"id", "owner_names", "lead_names"}
        columns = [c for c in frame.columns if c not in hidden]
        if "owner_names" in frame.columns and "owners" in columns:
            columns[columns.index("owners")] = "owner_names"
        if "lead_names" in frame.columns and "leads" in columns:
            columns[columns.index("leads")] = "lead_names"
        labels = {"owner_names": "owners", "lead_names": "leads", "organisations": "participants"}
        headers = []
        for c in columns:
            h = self.header_for(frame, c)
            headers.append(Header(T.column_label(self.lang, labels.get(c, c)), numeric=h.numeric))
        rows = []
        for record in _records(selected):
            row = []
            for c in columns:
                cell = self.value_cell(c, record.get(c), context="projects")
                if c == "name":
                    cell = Cell(cell.html, sort=cell.sort, row_header=True)
                row.append(cell)
            rows.append(row)
        return f"<h3>{self.t('overview_title')}</h3>\n" + table(headers, rows, label=T.text(self.lang, "overview_title"))

    # -- 8. network ----------------------------------------------------------------------------

    def _network_page(self) -> str | None:
        if not self.network_html:
            return None
        cached = self.__dict__.get("_network_page_cache")
        if cached is None:  # scrubbed once: the page is megabytes on a large package
            html = self.network_html.html if isinstance(self.network_html, Page) else self.network_html
            cached = self.__dict__["_network_page_cache"] = scrub_emails(html, T.text(self.lang, "email_removed"))
        return cached

    def _frame_scripts(self) -> list[str]:
        """The scripts of the embedded network page, as the scrubbed page holds them (allowed by hash)."""
        if not self.network_html:
            return []
        if isinstance(self.network_html, Page):  # the view said which scripts it runs
            return [scrub_emails(code, T.text(self.lang, "email_removed")) for code in self.network_html.scripts]
        return inline_scripts(self._network_page())  # a page given as text (tests, older callers)

    def sibling_files(self) -> list[tuple[str, str]]:
        if self.directory is None or not self.directory.is_dir():
            return []
        out = []
        for name, sv, en in T.FILES:
            if (self.directory / name).is_file():
                out.append((name, sv if self.lang == "sv" else en))
        return out

    def section_network(self) -> str:
        parts = [f"<p>{self.t('network_intro')}</p>"]
        shown, total = _number(self.views.get("nodes_shown")), _number(self.views.get("nodes_total"))
        if self.views.get("backbone") and shown is not None and total is not None:
            parts.append(f'<p class="note">{self.t("backbone_note", shown=self.int(shown), total=self.int(total))}</p>')
        page = self._network_page()
        files = dict(self.sibling_files())
        if page:
            title = T.text(self.lang, "network_frame")
            if "network.html" in files:
                parts.append(f'<p class="screen-only"><a href="network.html" target="_blank" rel="noopener">{self.t("network_open")}</a></p>')
            parts.append(
                f'<iframe class="network-frame screen-only" title="{_html.escape(title, quote=True)}" sandbox="allow-scripts" referrerpolicy="no-referrer" srcdoc="{_html.escape(page, quote=True)}"></iframe>'
            )
        if self.figure_svg:
            svg = clean_svg(scrub_emails(self.figure_svg, T.text(self.lang, "email_removed")))
            cls = "network-figure print-only" if page else "network-figure"
            parts.append(f'<figure class="{cls}">{svg}<figcaption>{self.t("network_print")}</figcaption></figure>')
        if not page and not self.figure_svg:
            parts.append(f'<p class="muted">{self.t("network_none")}</p>')
        parts.append(f"<h3>{self.t('files_title')}</h3>")
        if files:
            items = "\n".join(f'<li><a href="{_html.escape(name, quote=True)}">{self.e(name)}</a> <span class="desc">– {self.e(desc)}</span></li>' for name, desc in files.items())
            parts.append(f'<p class="small muted">{self.t("files_intro")}</p>\n<ul class="files">\n{items}\n</ul>')
        else:
            parts.append(f'<p class="muted">{self.t("files_none")}</p>')
        return "\n".join(parts)
