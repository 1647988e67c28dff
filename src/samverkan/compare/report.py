"""The comparison page (index.html) and the small-multiple figures (comparison.png/.svg).

The page is one self-contained UTF-8 file: no external resource of any kind (no scripts, styles,
fonts or images from elsewhere), so it can be mailed or opened offline. Every text that comes from
the data (region and organisation names, notes) is escaped with :func:`html.escape`; the data
embedded for scripts is JSON in which ``<``, ``>``, ``&`` and the line separators are written as
``\\uXXXX`` escapes, so a name such as ``</script>`` cannot end the script. Tables sort when a
header is clicked (a few lines of vanilla JavaScript); regions too thin to rank stay at the bottom,
flagged and without a rank. Figures are inline SVG. A print stylesheet hides the controls.

This module presents; it computes nothing that is not already in the :class:`CompareResult`.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..io.output import atomic_write_bytes, atomic_write_text, output_path
from ..text.format import format_fixed, format_int
from ..views.kit import Markup, Page, json_for_script, render_page

__all__ = ["write_figures", "write_report", "render_report", "network_svg", "json_for_script", "FIGURE_METRICS", "TEXTS"]

MAX_FIGURE_REGIONS = 30
MAX_NETWORK_REGIONS = 40
MAX_NETWORK_LINKS = 150
MAX_LINK_ROWS = 200

# metric -> (Swedish title, English title, Swedish sentence, English sentence)
FIGURE_METRICS: dict[str, tuple[str, str, str, str]] = {
    "density": (
        "Täthet",
        "Density",
        "Högre täthet: en större andel av alla par av organisationer arbetar ihop i något projekt; lägre: samverkan är glesare.",
        "Higher density: a larger share of all pairs of organisations work together in some project; lower: collaboration is sparser.",
    ),
    "density_z": (
        "Täthet mot nollmodellen (z)",
        "Density against the null model (z)",
        "Över 0: tätare än samma projekt och deltagarantal skulle ge slumpvis; under 0: glesare (|z| > 2 är tydligt).",
        "Above 0: denser than the same projects and partner counts would give at random; below 0: sparser (|z| > 2 is clear).",
    ),
    "mean_degree": (
        "Medelantal partner",
        "Mean number of partners",
        "Högre: varje organisation samverkar med fler andra; lägre: färre partner per organisation.",
        "Higher: each organisation works with more others; lower: fewer partners per organisation.",
    ),
    "transitivity": (
        "Klustring (transitivitet)",
        "Clustering (transitivity)",
        "Högre: partners partner arbetar också ihop (slutna grupper); lägre: öppnare, kedjeliknande samverkan.",
        "Higher: partners of partners also work together (closed groups); lower: more open, chain-like collaboration.",
    ),
    "transitivity_z": (
        "Klustring mot nollmodellen (z)",
        "Clustering against the null model (z)",
        "Över 0: mer slutna grupper än slumpen ger med samma projekt; under 0: mer öppet än väntat.",
        "Above 0: more closed groups than chance gives with the same projects; below 0: more open than expected.",
    ),
    "largest_component_share": (
        "Andel i största sammanhängande delen",
        "Share in the largest component",
        "Högre: nästan alla organisationer hänger ihop i ett nätverk; lägre: nätverket är splittrat i öar.",
        "Higher: nearly all organisations are connected in one network; lower: the network falls apart into islands.",
    ),
    "degree_centralization": (
        "Centralisering",
        "Degree centralization",
        "Högre: samverkan kretsar kring en eller några få organisationer; lägre: partnerskapen är jämnt fördelade.",
        "Higher: collaboration revolves around one or a few organisations; lower: partnerships are spread evenly.",
    ),
    "brokerage_concentration": (
        "Beroende av de tre största brobyggarna (index)",
        "Dependence on the top three brokers (index)",
        "Högre: de tre främsta brobyggarna ligger på fler av de kortaste vägarna, så nätverket hänger på få aktörer; lägre: många vägar runt dem. Ett index, ingen andel: de tre brobyggarnas vägar räknas var för sig och delas med antalet sammanhängande par, så en väg genom två av dem räknas två gånger och värdet kan överstiga 1.",
        "Higher: the top three brokers lie on more of the shortest paths, so the network hangs on a few actors; lower: many ways around them. An index, not a share: each broker's paths are counted and divided by the number of connected pairs, so a path through two of them counts twice and the value can exceed 1.",
    ),
    "ei_index": (
        "E-I-index mellan organisationstyper",
        "E-I index between organisation types",
        "Närmare +1: banden korsar organisationstyper (t.ex. kommun–företag); närmare −1: organisationer arbetar med sin egen sort.",
        "Towards +1: ties cross organisation types (e.g. municipality–business); towards −1: organisations work with their own kind.",
    ),
    "outside_share": (
        "Andel med partner i andra regioner",
        "Share with partners in other regions",
        "Högre: fler av regionens organisationer samverkar med organisationer i andra regioner; lägre: samverkan stannar inom regionen.",
        "Higher: more of the region's organisations work with organisations of other regions; lower: collaboration stays inside the region.",
    ),
}

TEXTS = {
    "sv": {
        "title": "Jämförelse av regioner",
        "intro": "Samma nyckeltal för varje region, beräknade på regionens eget samverkansnätverk (organisationer som samverkar i gemensamma projekt). Täthet och klustring beror på storleken, så de jämförs också med en nollmodell: samma projekt och samma antal deltagare, slumpvis omkopplade.",
        "nav_ranking": "Rangordning",
        "nav_null": "Nollmodell",
        "nav_figures": "Figurer",
        "nav_network": "Mellan regioner",
        "nav_overtime": "Över tid",
        "nav_method": "Definitioner",
        "notes": "Att veta",
        "ranking": "Rangordning",
        "ranking_by": "Rangordning efter {metric}",
        "ranking_higher": "Plats 1 har högst värde: {sentence}",
        "ranking_lower": "Plats 1 har lägst värde: {sentence}",
        "ranking_default": "Måttet är förvalt; välj ett annat med --rank-by (t.ex. --rank-by mean_degree).",
        "ranking_given": "Måttet är valt med --rank-by.",
        "ranking_none": "Nyckeltal per region (utan rangordning)",
        "ranking_missing": "Regioner utan värde för måttet får ingen plats.",
        "ranking_help": "Platsen följer bara måttet i rubriken. Klicka på en kolumnrubrik för att sortera tabellen (klicka igen för omvänd ordning); platserna ändras inte. Regioner med färre än {n} organisationer är för tunna för att rangordnas: de visas sist, markerade, utan plats.",
        "rank": "Plats",
        "thin": "för tunn",
        "null": "Nollmodell: är täthet och klustring högre än storleken ger?",
        "null_help": "För varje region kopplas organisationer och projekt om slumpvis {r} gånger så att varje organisation behåller sitt antal projekt och varje projekt sitt antal deltagare (curveball-algoritmen). z = (observerat − medel) / standardavvikelse; percentil = andel slumpnät med lägre värde. Tomt z: alla slumpnät blir likadana. Nollmodellen bygger bara på gemensamma projekt; direkta relationer (ties) ingår inte, så dess observerade täthet kan vara något lägre än i rangordningen.",
        "observed": "observerat",
        "null_mean": "slump, medel",
        "null_sd": "slump, sd",
        "percentile": "percentil",
        "samples": "stickprov",
        "capped": "begränsat",
        "figures": "Nyckeltal per region",
        "figures_help": "Grå staplar: regioner som är för tunna för att rangordnas.",
        "figures_capped": "Figuren visar de {k} regioner som har flest organisationer av {n}; alla finns i tabellerna och i comparison.csv.",
        "network": "Samverkan mellan regioner",
        "network_help": "Regioner är länkade när en organisation i den ena och en annan organisation i den andra deltar i samma projekt. Cirkelns storlek: antal organisationer. Linjens bredd: antal organisationspar som samverkar över gränsen.",
        "network_capped": "Nätverksbilden visar de {k} regioner som har flest organisationer och de {m} starkaste länkarna mellan dem; alla länkar finns i inter_region.csv.",
        "no_links": "Inga organisationer samverkar över regiongränserna i de här data.",
        "links_table": "Starkaste länkarna",
        "links_capped": "De {k} starkaste av {n} länkar; alla finns i inter_region.csv.",
        "overtime": "Över tid",
        "overtime_help": 'Band som finns kvar, nya och försvunna band mellan två ögonblicksbilder; Jaccard = kvarvarande band / alla band i någon av dem. Återupprepning: andelen av de nya projektens organisationspar som redan samverkade i den första ögonblicksbilden. Samma partnergrupp: nya projekt vars alla organisationer redan fanns tillsammans i ett tidigare projekt ("mer av samma").',
        "method": "Definitioner",
        "generated": "Skapad av samverkan {v}. Slumpfrö {seed}.",
        "yes": "ja",
        "no": "nej",
        "region": "Region",
    },
    "en": {
        "title": "Comparison of regions",
        "intro": "The same key figures for every region, computed on the region's own collaboration network (organisations that work together in joint projects). Density and clustering depend on size, so they are also compared with a null model: the same projects and the same numbers of partners, rewired at random.",
        "nav_ranking": "Ranking",
        "nav_null": "Null model",
        "nav_figures": "Figures",
        "nav_network": "Between regions",
        "nav_overtime": "Over time",
        "nav_method": "Definitions",
        "notes": "Good to know",
        "ranking": "Ranking",
        "ranking_by": "Ranking by {metric}",
        "ranking_higher": "Rank 1 has the highest value: {sentence}",
        "ranking_lower": "Rank 1 has the lowest value: {sentence}",
        "ranking_default": "The metric is the default; choose another with --rank-by (e.g. --rank-by mean_degree).",
        "ranking_given": "The metric was chosen with --rank-by.",
        "ranking_none": "Key figures per region (not ranked)",
        "ranking_missing": "Regions without a value for the metric get no rank.",
        "ranking_help": "The rank follows only the metric in the heading. Click a column header to sort the table (again to reverse); the ranks do not change. Regions with fewer than {n} organisations are too thin to rank: they stay at the bottom, flagged, without a rank.",
        "rank": "Rank",
        "thin": "too thin",
        "null": "Null model: are density and clustering higher than size alone gives?",
        "null_help": "For every region, organisations and projects are rewired at random {r} times so that every organisation keeps its number of projects and every project its number of partners (the curveball algorithm). z = (observed − mean) / standard deviation; percentile = share of random networks with a lower value. Empty z: every random network is the same. The null model is built from shared projects only; direct ties are left out, so its observed density can be slightly lower than in the ranking.",
        "observed": "observed",
        "null_mean": "random, mean",
        "null_sd": "random, sd",
        "percentile": "percentile",
        "samples": "samples",
        "capped": "capped",
        "figures": "Key figures per region",
        "figures_help": "Grey bars: regions too thin to rank.",
        "figures_capped": "The figure shows the {k} regions with the most organisations of {n}; all are in the tables and in comparison.csv.",
        "network": "Collaboration between regions",
        "network_help": "Regions are linked when an organisation of one and another organisation of the other take part in the same project. Circle size: number of organisations. Line width: organisation pairs that collaborate across the border.",
        "network_capped": "The drawing shows the {k} regions with the most organisations and the {m} strongest links between them; every link is in inter_region.csv.",
        "no_links": "No organisations collaborate across the regions' borders in these data.",
        "links_table": "Strongest links",
        "links_capped": "The {k} strongest of {n} links; all are in inter_region.csv.",
        "overtime": "Over time",
        "overtime_help": 'Ties that persist, appear and disappear between two snapshots; Jaccard = persisting ties / ties in either. Repeat rate: the share of the new projects\' organisation pairs that already worked together in the first snapshot. Same partner set: new projects whose organisations all took part together in one earlier project ("more of the same").',
        "method": "Definitions",
        "generated": "Made by samverkan {v}. Seed {seed}.",
        "yes": "yes",
        "no": "no",
        "region": "Region",
    },
}

# column -> (Swedish header, English header)
HEADERS = {
    "region": ("Region", "Region"),
    "organisations": ("Organisationer", "Organisations"),
    "projects": ("Projekt", "Projects"),
    "participations": ("Deltaganden", "Participations"),
    "ties": ("Band", "Ties"),
    "density": ("Täthet", "Density"),
    "density_z": ("Täthet z", "Density z"),
    "mean_degree": ("Medelantal partner", "Mean degree"),
    "components": ("Komponenter", "Components"),
    "largest_component_share": ("Största delen", "Largest component"),
    "transitivity": ("Klustring", "Transitivity"),
    "transitivity_z": ("Klustring z", "Transitivity z"),
    "degree_centralization": ("Centralisering", "Centralization"),
    "ei_index": ("E-I (typer)", "E-I (types)"),
    "cross_type_share": ("Band över typgräns", "Cross-type ties"),
    "white_spots": ("Vita fläckar", "White spots"),
    "brokerage_concentration": ("Brokoncentration", "Brokerage concentration"),
    "top_brokers": ("Främsta brobyggare", "Top brokers"),
    "outside_share": ("Partner utanför", "Outside share"),
    "linked_regions": ("Länkade regioner", "Linked regions"),
    "region_a": ("Region A", "Region A"),
    "region_b": ("Region B", "Region B"),
    "shared_projects": ("Gemensamma projekt", "Shared projects"),
    "organisation_pairs": ("Organisationspar", "Organisation pairs"),
    "bridging_organisations": ("Brobyggande organisationer", "Bridging organisations"),
    "snapshot_1": ("Bild 1", "Snapshot 1"),
    "snapshot_2": ("Bild 2", "Snapshot 2"),
    "ties_1": ("Band 1", "Ties 1"),
    "ties_2": ("Band 2", "Ties 2"),
    "ties_persisting": ("Kvar", "Persisting"),
    "ties_appearing": ("Nya", "Appearing"),
    "ties_disappearing": ("Borta", "Disappearing"),
    "jaccard": ("Jaccard", "Jaccard"),
    "new_projects": ("Nya projekt", "New projects"),
    "repeat_rate_mean": ("Återupprepning", "Repeat rate"),
    "share_same_partner_set": ("Samma partnergrupp", "Same partner set"),
    "owners_persisting": ("Ägare kvar", "Owners persisting"),
    "owners_new": ("Nya ägare", "New owners"),
    "owners_gone": ("Ägare borta", "Owners gone"),
}

RANKING_COLUMNS = [
    "organisations",
    "projects",
    "density",
    "density_z",
    "mean_degree",
    "transitivity",
    "transitivity_z",
    "largest_component_share",
    "degree_centralization",
    "brokerage_concentration",
    "ei_index",
    "cross_type_share",
    "outside_share",
    "linked_regions",
    "white_spots",
]
OVERTIME_COLUMNS = [
    "region",
    "snapshot_1",
    "snapshot_2",
    "ties_1",
    "ties_2",
    "ties_persisting",
    "ties_appearing",
    "ties_disappearing",
    "jaccard",
    "new_projects",
    "repeat_rate_mean",
    "share_same_partner_set",
    "owners_persisting",
    "owners_new",
    "owners_gone",
]
INTEGER_COLUMNS = {
    "organisations",
    "projects",
    "participations",
    "ties",
    "components",
    "white_spots",
    "linked_regions",
    "outside_organisations",
    "shared_projects",
    "organisation_pairs",
    "organisations_a",
    "organisations_b",
    "ties_1",
    "ties_2",
    "ties_persisting",
    "ties_appearing",
    "ties_disappearing",
    "new_projects",
    "owners_persisting",
    "owners_new",
    "owners_gone",
    "samples",
}


# Sentences for the table columns that have no figure: (Swedish, English)
COLUMN_SENTENCES = {
    "organisations": ("Organisationer i regionen, även de utan projekt i perioden.", "Organisations of the region, also those without projects in the period."),
    "projects": ("Projekt där minst en av regionens organisationer deltar.", "Projects in which at least one of the region's organisations takes part."),
    "cross_type_share": (
        "Högre: en större andel av banden förenar olika organisationstyper; lägre: banden stannar inom samma typ.",
        "Higher: a larger share of ties join different organisation types; lower: ties stay within one type.",
    ),
    "white_spots": (
        "Fler: fler målgrupper eller kommun × målgrupp som inga av regionens insatser eller projekt täcker.",
        "More: more target groups, or municipality × target group cells, that none of the region's efforts or projects cover.",
    ),
    "linked_regions": ("Fler: regionens organisationer samverkar med organisationer i fler andra regioner.", "More: the region's organisations work with organisations in more other regions."),
    "top_brokers": ("De tre organisationer som ligger på flest kortaste vägar mellan andra.", "The three organisations on the most shortest paths between others."),
}


def _rule_name(column: str, lang: str) -> str:
    """The catalogue's label of the ownership rule of a ``share_<rule>`` column, in `lang`
    ("share_no_steering_group" -> "Saknar styrgrupp"); an unknown rule by its words."""
    from ..metrics.ownership import RULES
    from ..text.report import rule_label
    from .figures import rule_column

    codes = {rule_column(rule): rule for rule in RULES}
    code = codes.get(column)
    return rule_label(lang, code) if code else column.removeprefix("share_").replace("_", " ")


def _rule_title(column: str, lang: str) -> tuple[str, str]:
    rule = _rule_name(column, lang)
    quoted = f"”{rule.lower()}”" if lang == "sv" else f"“{rule.lower()}”"
    if lang == "sv":
        return f"Andel projekt: {rule.lower()}", f"Högre: en större andel av regionens projekt har fyndet {quoted} (se ägarskapsreglerna); lägre: färre projekt har det."
    return f"Share of projects: {rule.lower()}", f"Higher: a larger share of the region's projects have the finding {quoted} (see the ownership rules); lower: fewer have it."


def metric_text(column: str, lang: str) -> tuple[str, str]:
    """(title, one sentence on what higher and lower mean) of a figure or column."""
    if column in FIGURE_METRICS:
        sv_title, en_title, sv_text, en_text = FIGURE_METRICS[column]
        return (sv_title, sv_text) if lang == "sv" else (en_title, en_text)
    if column.startswith("share_"):
        return _rule_title(column, lang)
    header = HEADERS.get(column)
    title = (header[0] if lang == "sv" else header[1]) if header else column
    sentence = COLUMN_SENTENCES.get(column, ("", ""))
    return title, sentence[0] if lang == "sv" else sentence[1]


def _header(column: str, lang: str) -> str:
    if column in HEADERS:
        return HEADERS[column][0 if lang == "sv" else 1]
    if column.startswith("share_"):
        rule = _rule_name(column, lang).lower()
        return f"Andel: {rule}" if lang == "sv" else f"Share: {rule}"
    return column


def _finite(value) -> bool:
    try:
        return value is not None and not pd.isna(value) and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def format_number(value, lang: str, *, integer: bool = False, digits: int = 3) -> str:
    """A number as people read it (:mod:`samverkan.text.format`); yes/no for booleans.

    Below 10 with `digits` decimals, below 100 with 2, below 1,000 with 1, then whole.

    >>> format_number(1234567, "sv", integer=True) == "1\u202f234\u202f567", format_number(0.12345, "sv"), format_number(0.12345, "en")
    (True, '0,123', '0.123')
    """
    if isinstance(value, (bool, np.bool_)):
        return TEXTS[lang]["yes"] if value else TEXTS[lang]["no"]
    if not _finite(value):
        return "–"
    number = float(value)
    if integer:
        return format_int(number, lang)
    magnitude = abs(number)
    return format_fixed(number, lang, digits if magnitude < 10 else (2 if magnitude < 100 else 1 if magnitude < 1000 else 0))


def _plain(value):
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(float(value)) else None
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value


def _records(frame: pd.DataFrame | None) -> list[dict]:
    if frame is None:
        return []
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


# --- figures -----------------------------------------------------------------------------------


def _figure_regions(comparison: pd.DataFrame) -> pd.DataFrame:
    if len(comparison) <= MAX_FIGURE_REGIONS:
        return comparison
    ranked = comparison.assign(_thin=comparison["too_thin"].astype(bool)).sort_values(["_thin", "organisations", "region"], ascending=[True, False, True], kind="mergesort")
    return ranked.head(MAX_FIGURE_REGIONS).drop(columns="_thin")


def _gap_rules() -> set[str] | None:
    """``share_<rule>`` columns of the rules that are gaps (severity error or warning), None if unknown."""
    try:
        from ..metrics.ownership import SEVERITIES
    except ImportError:  # pragma: no cover - the ownership module is part of samverkan
        return None
    from .figures import rule_column

    return {rule_column(rule) for rule, level in SEVERITIES.items() if level in ("error", "warning")}


def figure_metrics(comparison: pd.DataFrame) -> list[str]:
    """The metrics drawn: the fixed key figures, then the share of projects with each ownership gap
    (rules of severity error or warning; informational rules stay in the tables)."""
    metrics = [m for m in FIGURE_METRICS if m in comparison.columns and _has_content(comparison[m])]
    gaps = _gap_rules()
    metrics += [c for c in comparison.columns if c.startswith("share_") and (gaps is None or c in gaps) and _has_content(comparison[c])]
    return metrics


def _has_content(values: pd.Series) -> bool:
    """A panel is drawn only when some region has a value other than 0: no empty small multiples."""
    numbers = pd.to_numeric(values, errors="coerce")
    return bool((numbers.notna() & (numbers != 0)).any())


# Figures bounded by definition share one scale across regions and runs.
UNIT_METRICS = {"transitivity", "largest_component_share", "degree_centralization", "outside_share", "cross_type_share"}


def _axis_limits(metric: str, values: np.ndarray):
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if len(finite) else 0.0
    if metric in UNIT_METRICS or metric.startswith("share_"):
        return (0.0, 1.0)
    if metric == "ei_index":
        return (-1.0, 1.0)
    if metric == "brokerage_concentration":
        return (0.0, max(1.0, top * 1.05))
    return None


def write_figures(result, directory: Path) -> tuple[list[Path], str]:
    """comparison.png and comparison.svg (small multiples); returns the paths and the SVG text."""
    import io

    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend

    lang = result.options.lang
    shown = _figure_regions(result.comparison)
    metrics = figure_metrics(result.comparison)
    if not metrics:  # no figure without content
        return [], ""
    names = shown["region"].astype(str).tolist()[::-1]
    thin = shown["too_thin"].astype(bool).tolist()[::-1]
    columns = 3
    rows = max(1, math.ceil(len(metrics) / columns))
    panel = 0.75 + 0.16 * max(len(names), 2)  # inches per row of panels
    label_width = min(3.0, 0.35 + 0.065 * max((len(n) for n in names), default=4))  # inches for region names
    width = 12.0
    height = rows * panel + 0.3
    rc = {"svg.hashsalt": "samverkan", "svg.fonttype": "none", "font.size": 7.5, "axes.titlesize": 8.5, "font.family": "DejaVu Sans"}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(width, height))
        FigureCanvasAgg(fig)
        axes = fig.subplots(rows, columns, squeeze=False)
        fig.subplots_adjust(left=label_width / width, right=0.985, top=1 - 0.3 / height, bottom=0.35 / height, wspace=0.12, hspace=0.55 * 1.0 / max(panel - 0.5, 0.4))
        for k, ax in enumerate(axes.ravel()):
            if k >= len(metrics):
                ax.set_visible(False)
                continue
            metric = metrics[k]
            values = pd.to_numeric(shown[metric], errors="coerce").to_numpy(dtype=float)[::-1]
            colours = ["#b8b8b8" if t else "#2f6f9f" for t in thin]
            y = np.arange(len(names))
            ax.barh(y, np.nan_to_num(values, nan=0.0), color=colours, height=0.7)
            for yy, v in zip(y, values):
                if not math.isfinite(v):
                    ax.text(0, yy, " –", va="center", fontsize=7, color="#666666")
            ax.set_yticks(y)
            ax.set_yticklabels(names if k % columns == 0 else [""] * len(names))
            ax.set_ylim(-0.6, len(names) - 0.4)
            ax.tick_params(axis="y", length=0)
            if metric.endswith("_z"):
                for x, style in ((0, "-"), (2, ":"), (-2, ":")):
                    ax.axvline(x, color="#444444", linewidth=0.6, linestyle=style)
            else:
                ax.axvline(0, color="#444444", linewidth=0.6)
            limits = _axis_limits(metric, values)
            if limits is not None:
                ax.set_xlim(*limits)
            title, _ = metric_text(metric, lang)
            ax.set_title(title, loc="left")
            ax.spines[["top", "right"]].set_visible(False)
        svg_buffer = io.StringIO()
        fig.savefig(svg_buffer, format="svg", metadata={"Date": None})
        png_buffer = io.BytesIO()
        fig.savefig(png_buffer, format="png", dpi=110, metadata={"Software": None})
    svg_text = svg_buffer.getvalue()
    svg_path = atomic_write_text(output_path(directory, "comparison.svg"), svg_text)
    png_path = atomic_write_bytes(output_path(directory, "comparison.png"), png_buffer.getvalue())
    return [png_path, svg_path], svg_text


def inline_svg(svg_text: str) -> str:
    """An SVG file's text made fit to sit inside HTML: no XML declaration, doctype, metadata or namespace URLs."""
    text = re.sub(r"<\?xml[^>]*\?>", "", svg_text)
    text = re.sub(r"<!DOCTYPE[^>]*>", "", text, flags=re.S)
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    text = re.sub(r"<svg\b", '<svg role="img"', text, count=1)
    return text.strip()


# --- inter-region drawing ----------------------------------------------------------------------


def network_svg(comparison: pd.DataFrame, links: pd.DataFrame, *, lang: str = "sv", size: int = 640) -> tuple[str, bool]:
    """A plain SVG of regions on a circle (in table order) and the links between them.

    Returns the SVG text and whether regions or links were left out. Deterministic: positions come
    from the order of the regions only.
    """
    shown = comparison
    capped = False
    if len(shown) > MAX_NETWORK_REGIONS:
        shown = shown.sort_values(["organisations", "region"], ascending=[False, True], kind="mergesort").head(MAX_NETWORK_REGIONS)
        shown = comparison[comparison["region"].isin(set(shown["region"]))]
        capped = True
    names = shown["region"].astype(str).tolist()
    position = {}
    centre = size / 2
    radius = size / 2 - 110
    for k, name in enumerate(names):
        angle = -math.pi / 2 + 2 * math.pi * k / max(len(names), 1)
        position[name] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle), angle)
    drawn = links[links["region_a"].isin(position) & links["region_b"].isin(position)] if len(links) else links
    if len(drawn) > MAX_NETWORK_LINKS:
        drawn = drawn.head(MAX_NETWORK_LINKS)
        capped = True
    if len(drawn) < len(links):
        capped = True
    largest = float(drawn["organisation_pairs"].max()) if len(drawn) else 1.0
    biggest = float(shown["organisations"].max()) if len(shown) else 1.0
    margin = 170  # room for the names beside the circle, so no label is cut at the edge
    parts = [f'<svg class="network" viewBox="{-margin} 0 {size + 2 * margin} {size}" width="{size + 2 * margin}" height="{size}" role="img" aria-label="{html.escape(TEXTS[lang]["network"])}">']
    for link in drawn.itertuples(index=False):
        x1, y1, _ = position[link.region_a]
        x2, y2, _ = position[link.region_b]
        width = 0.6 + 6.0 * (link.organisation_pairs / largest) if largest else 1
        tip = f"{link.region_a} – {link.region_b}: {link.shared_projects} {'gemensamma projekt' if lang == 'sv' else 'shared projects'}, {link.organisation_pairs} {'organisationspar' if lang == 'sv' else 'organisation pairs'}"
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#2f6f9f" stroke-opacity="0.4" stroke-width="{width:.2f}"><title>{html.escape(tip)}</title></line>')
    thin = dict(zip(shown["region"].astype(str), shown["too_thin"].astype(bool)))
    for name in names:
        x, y, angle = position[name]
        n = float(shown.loc[shown["region"] == name, "organisations"].iloc[0])
        r = 4 + 18 * math.sqrt(n / biggest) if biggest else 4
        fill = "#b8b8b8" if thin[name] else "#2f6f9f"
        tip = f"{name}: {int(n)} {'organisationer' if lang == 'sv' else 'organisations'}"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" stroke="#ffffff" stroke-width="1"><title>{html.escape(tip)}</title></circle>')
        lx = x + (r + 4) * math.cos(angle)
        ly = y + (r + 4) * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="{anchor}" dominant-baseline="middle">{html.escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts), capped


# --- the page ----------------------------------------------------------------------------------

# The comparison's own look on top of the kit's (kit.css, print.css): same tokens, same tables.
CSS = """
body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; background: var(--paper); }
h1 { font-size: 1.6rem; margin-bottom: .2rem; color: var(--brand); } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; color: var(--brand); }
nav a { margin-right: 1rem; } .muted { font-size: .9rem; }
th, td { white-space: nowrap; } td.text, th.text { text-align: left; white-space: normal; } td.wrap { white-space: normal; text-align: left; min-width: 14rem; }
tr.thin td { background: #f3f0e6; color: var(--muted); }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; } dl.sentences dt { font-weight: 600; margin-top: .4rem; } dl.sentences dd { margin-left: 0; }
ul.notes li { margin: .2rem 0; }
"""

# Ranks are fixed when the page is written: they follow the ranking metric only, whichever
# column the reader sorts by (thin regions and regions without a value have none).
SCRIPT = """
(function () {
  document.body.setAttribute('data-ready', '1');
})();
"""


TEXT_CLASS = ' class="text"'
NUM_CLASS = ' class="num"'


def _cell(column: str, value, lang: str) -> str:
    if column in ("region", "region_a", "region_b", "snapshot_1", "snapshot_2"):
        return f'<td class="text">{html.escape(str(value))}</td>'
    if column in ("bridging_organisations", "top_brokers"):
        return f'<td class="wrap">{html.escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))}</td>'
    if isinstance(value, (bool, np.bool_)):
        return f'<td class="num" data-sort="{int(bool(value))}">{html.escape(format_number(value, lang))}</td>'
    if _finite(value):
        return f'<td class="num" data-sort="{float(value)!r}">{html.escape(format_number(value, lang, integer=column in INTEGER_COLUMNS))}</td>'
    return '<td class="num" data-sort="">–</td>'


def _table(frame: pd.DataFrame, columns: list[str], lang: str, *, table_id: str, ranked: bool = False, thin_column: str | None = None) -> str:
    texts = TEXTS[lang]
    head = []
    if ranked:
        head.append(f'<th scope="col" class="rank num" aria-sort="none"><button type="button">{html.escape(texts["rank"])}</button></th>')
    for column in columns:
        _, sentence = metric_text(column, lang)
        title = f' title="{html.escape(sentence)}"' if sentence else ""
        klass = ' class="text"' if column in ("region", "region_a", "region_b", "bridging_organisations", "top_brokers", "snapshot_1", "snapshot_2") else ' class="num"'
        head.append(f'<th scope="col"{klass}{title} aria-sort="none"><button type="button">{html.escape(_header(column, lang))}</button></th>')
    body = []
    for row in frame.to_dict("records"):
        thin = bool(row.get(thin_column)) if thin_column else False
        cells = []
        if ranked:
            rank = row.get("_rank")
            cells.append(f'<td class="rank num" data-sort="{rank}">{rank}</td>' if rank else '<td class="rank num" data-sort="">–</td>')
        for column in columns:
            cell = _cell(column, row.get(column), lang)
            if column == "region" and thin:
                cell = cell.replace("</td>", f'<span class="badge">{html.escape(texts["thin"])}</span></td>', 1)
            cells.append(cell)
        row_class = ' class="thin sort-last"' if thin else ""
        body.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    return f'<div class="table-wrap"><table class="data sortable" id="{table_id}"><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _null_table(result, lang: str) -> str:
    texts = TEXTS[lang]
    frame = result.null_model
    if frame is None or frame.empty:
        return ""
    wide = {}
    for row in frame.to_dict("records"):
        entry = wide.setdefault(row["region"], {"region": row["region"], "samples": row["samples"], "capped": row["capped"]})
        for key in ("observed", "null_mean", "null_sd", "z", "percentile"):
            entry[f"{row['metric']}_{key}"] = row[key]
    thin = dict(zip(result.comparison["region"], result.comparison["too_thin"]))
    heads = [("region", texts["region"])]
    for metric, (sv, en) in (("density", ("Täthet", "Density")), ("transitivity", ("Klustring", "Transitivity"))):
        label = sv if lang == "sv" else en
        heads += [
            (f"{metric}_observed", f"{label}: {texts['observed']}"),
            (f"{metric}_null_mean", f"{label}: {texts['null_mean']}"),
            (f"{metric}_null_sd", f"{label}: {texts['null_sd']}"),
            (f"{metric}_z", f"{label}: z"),
            (f"{metric}_percentile", f"{label}: {texts['percentile']}"),
        ]
    heads += [("samples", texts["samples"]), ("capped", texts["capped"])]
    head = "".join(f'<th scope="col"{TEXT_CLASS if key == "region" else NUM_CLASS} aria-sort="none"><button type="button">{html.escape(label)}</button></th>' for key, label in heads)
    body = []
    for region, entry in wide.items():
        cells = []
        for key, _ in heads:
            value = entry.get(key)
            if key == "region":
                cell = f'<td class="text">{html.escape(str(value))}' + (f'<span class="badge">{html.escape(texts["thin"])}</span>' if thin.get(region) else "") + "</td>"
            elif key == "capped":
                cell = _cell(key, bool(value), lang)
            else:
                cell = _cell("samples" if key == "samples" else key, value, lang)
                if key.endswith("_percentile") and _finite(value):
                    cell = f'<td class="num" data-sort="{float(value)!r}">{html.escape(format_fixed(float(value), lang, 1))}</td>'
            cells.append(cell)
        row_class = ' class="thin sort-last"' if thin.get(region) else ""
        body.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    return f'<div class="table-wrap"><table class="data sortable" id="t-null"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def render_report(result, *, figure_svg: str | None = None) -> Page:
    """The comparison page (see the module docstring), rendered through the page kit."""
    from .county_map import county_map_block

    lang = result.options.lang
    texts = TEXTS[lang]
    comparison = result.comparison
    title = f"{texts['title']}: {result.title}" if result.title else texts["title"]
    samples = result.options.samples if result.options.samples is not None else 100
    rank_by = getattr(result, "rank_by", "") or ""
    rule_columns = [c for c in comparison.columns if c.startswith("share_")]
    ranking_columns = ["region"] + [c for c in RANKING_COLUMNS if c in comparison.columns] + rule_columns + ["top_brokers"]
    if rank_by and rank_by in comparison.columns:
        ordered = result.ranked().copy()
        value = pd.to_numeric(ordered[rank_by], errors="coerce")
        ranks, k = [], 0
        for thin, v in zip(ordered["too_thin"].astype(bool), value):
            if thin or not math.isfinite(v):
                ranks.append(None)
            else:
                k += 1
                ranks.append(k)
        ordered["_rank"] = pd.Series(ranks, index=ordered.index, dtype=object)
        # the ranking metric right after the region, so the heading and the column sit together
        ranking_columns = ["region", rank_by] + [c for c in ranking_columns[1:] if c != rank_by]
    else:
        rank_by = ""
        ordered = comparison.assign(_thin=comparison["too_thin"].astype(bool)).sort_values(["_thin", "region"], kind="mergesort").drop(columns="_thin")
    sections = []
    nav = [("ranking", texts["nav_ranking"]), ("null", texts["nav_null"]), ("figures", texts["nav_figures"]), ("network", texts["nav_network"])]
    if result.overtime is not None:
        nav.append(("overtime", texts["nav_overtime"]))
    nav.append(("method", texts["nav_method"]))

    if result.notes:
        items = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
        sections.append(f'<section id="notes"><h2>{html.escape(texts["notes"])}</h2><ul class="notes">{items}</ul></section>')
    if rank_by:
        from .run import LOWER_IS_BETTER

        metric_title, metric_sentence = metric_text(rank_by, lang)
        lower = rank_by.startswith("share_") or rank_by in LOWER_IS_BETTER
        heading = texts["ranking_by"].format(metric=metric_title[:1].lower() + metric_title[1:] if lang == "sv" else metric_title)
        explained = texts["ranking_lower" if lower else "ranking_higher"].format(sentence=metric_sentence or metric_title)
        reason = texts["ranking_given" if getattr(result, "rank_by_reason", "") == "given" else "ranking_default"]
        missing = " " + texts["ranking_missing"] if any(r is None for r, t in zip(ranks, ordered["too_thin"].astype(bool)) if not t) else ""
        intro = f'<p class="ranking-metric" data-rank-by="{html.escape(rank_by, quote=True)}">{html.escape(explained)} {html.escape(reason)}{html.escape(missing)}</p>'
    else:
        heading, intro = texts["ranking_none"], ""
    sections.append(
        f'<section id="ranking"><h2>{html.escape(heading)}</h2>{intro}<p class="muted">{html.escape(texts["ranking_help"].format(n=result.options.min_organisations))}</p>'
        + _table(ordered, ranking_columns, lang, table_id="t-ranking", ranked=bool(rank_by), thin_column="too_thin")
        + "</section>"
    )
    if result.options.samples != 0:
        sections.append(f'<section id="null"><h2>{html.escape(texts["null"])}</h2><p class="muted">{html.escape(texts["null_help"].format(r=samples))}</p>{_null_table(result, lang)}</section>')
    sections.append(county_map_block(result))  # counties on a map with the ranking figure and shared projects (compare/county_map.py)
    figure_parts = [f'<section id="figures"><h2>{html.escape(texts["figures"])}</h2><p class="muted">{html.escape(texts["figures_help"])}']
    if len(comparison) > MAX_FIGURE_REGIONS:
        figure_parts.append(" " + html.escape(texts["figures_capped"].format(k=MAX_FIGURE_REGIONS, n=len(comparison))))
    figure_parts.append("</p>")
    if figure_svg and figure_metrics(comparison):
        figure_parts.append(f"<figure>{inline_svg(figure_svg)}</figure>")
    sentences = "".join(f"<dt>{html.escape(metric_text(m, lang)[0])}</dt><dd>{html.escape(metric_text(m, lang)[1])}</dd>" for m in figure_metrics(comparison))
    figure_parts.append(f'<dl class="sentences">{sentences}</dl></section>')
    sections.append("".join(figure_parts))

    links = result.inter_region
    network_parts = [f'<section id="network"><h2>{html.escape(texts["network"])}</h2><p class="muted">{html.escape(texts["network_help"])}</p>']
    if links is None or links.empty:
        network_parts.append(f"<p>{html.escape(texts['no_links'])}</p>")
    else:
        svg, capped = network_svg(comparison, links, lang=lang)
        if capped:
            network_parts.append(f'<p class="muted">{html.escape(texts["network_capped"].format(k=min(MAX_NETWORK_REGIONS, len(comparison)), m=MAX_NETWORK_LINKS))}</p>')
        network_parts.append(f"<figure>{svg}</figure>")
        network_parts.append(f"<h3>{html.escape(texts['links_table'])}</h3>")
        if len(links) > MAX_LINK_ROWS:
            network_parts.append(f'<p class="muted">{html.escape(texts["links_capped"].format(k=MAX_LINK_ROWS, n=len(links)))}</p>')
        network_parts.append(_table(links.head(MAX_LINK_ROWS), ["region_a", "region_b", "shared_projects", "organisation_pairs", "bridging_organisations"], lang, table_id="t-links"))
    network_parts.append("</section>")
    sections.append("".join(network_parts))

    if result.overtime is not None:
        columns = [c for c in OVERTIME_COLUMNS if c in result.overtime.columns]
        sections.append(
            f'<section id="overtime"><h2>{html.escape(texts["overtime"])}</h2><p class="muted">{html.escape(texts["overtime_help"])}</p>{_table(result.overtime, columns, lang, table_id="t-overtime")}</section>'
        )

    definitions = "".join(f"<dt>{html.escape(_header(c, lang))}</dt><dd>{html.escape(metric_text(c, lang)[1])}</dd>" for c in ranking_columns if metric_text(c, lang)[1])
    sections.append(
        f'<section id="method"><h2>{html.escape(texts["method"])}</h2><dl class="sentences">{definitions}</dl><p class="muted">{html.escape(texts["generated"].format(v=__version__, seed=result.options.seed))}</p></section>'
    )

    data = {
        "title": title,
        "lang": lang,
        "options": {k: _plain(v) if not isinstance(v, tuple) else [str(x) for x in v] for k, v in vars(result.options).items()},
        "regions": _records(comparison),
        "links": _records(links.head(MAX_LINK_ROWS)) if links is not None else [],
        "notes": list(result.notes),
    }
    nav_html = "".join(f'<a href="#{key}">{html.escape(label)}</a>' for key, label in nav)
    body = f'<header><h1>{html.escape(title)}</h1><p>{html.escape(texts["intro"])}</p><nav class="no-print">{nav_html}</nav></header>\n' + "\n".join(sections)
    return render_page("page.html", lang=lang, title=title, body=Markup(body), styles=[CSS], scripts=[SCRIPT], data={"samverkan-data": data})


def write_report(result, directory: Path, *, figure_svg: str | None = None) -> Path:
    """Write index.html into ``directory``."""
    return render_report(result, figure_svg=figure_svg).write(output_path(Path(directory), "index.html"))
