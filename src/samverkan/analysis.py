"""The analysis a user runs: from a package to every table and figure, in one result object.

:func:`analyse` computes (metrics live in :mod:`samverkan.metrics`); :func:`write_analysis` writes
the tables (CSV, JSON, one Excel workbook). Views and the HTML report are written by
:mod:`samverkan.views` and :mod:`samverkan.report` from the same result; nothing is computed twice.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__, timeline
from .graph.projection import SUB_PROJECT_MODES, DENSE_PROJECT_PARTNERS, CollaborationGraph, dense_contacts, dense_projects, merge_sub_projects, project_organisations, time_window
from .io.output import atomic_write_text, output_path, write_csv, write_xlsx
from .text.catalogue import bridging_in_words, findings_in_words, label_groups, white_spots_in_words
from .metrics.key_players import KEY_PLAYER_COLUMNS
from .metrics.suggestions import MISSING_TIE_COLUMNS, SUGGESTION_COLUMNS
from .text.notes import computation_notes, dense_project_notes

__all__ = ["AnalysisOptions", "AnalysisResult", "analyse", "write_analysis", "GROUPINGS"]

GROUPINGS = ("type", "level", "municipality", "region")


@dataclass(frozen=True)
class AnalysisOptions:
    """What the user asked for; every option has a documented default."""

    lang: str = "sv"
    group_by: str = "type"
    as_of: dt.date | None = None
    period: tuple[dt.date, dt.date] | None = None
    seed: int = 42
    sample: int | None = None  # betweenness sources; None = exact up to the documented size
    pseudonymise: bool = False
    top_bridging: int = 10
    sub_projects: str = "separate"  # or "merge": see graph.projection.merge_sub_projects
    title: str | None = None  # None: the package's own title (never its folder name)
    geo: str | None = None  # --geo: a GeoJSON of the user's own areas for map.html (default: Sweden's municipalities)
    geo_key: str | None = None  # --geo-key: the property of --geo holding the code or name the package uses
    without: tuple[str, ...] = ()  # organisations (ids or names) analysed as if they had left: samverkan.whatif
    key_players: int = 3  # key-player sets of sizes 1 … this (Borgatti 2006); 0 = none

    @property
    def window(self) -> tuple[dt.date | None, dt.date | None]:
        return time_window(self.as_of, self.period)


@dataclass
class AnalysisResult:
    """Everything one analysis found, ready to be written or shown."""

    package: object
    options: AnalysisOptions
    graph: CollaborationGraph
    organisations: pd.DataFrame
    ties: pd.DataFrame
    projects: pd.DataFrame
    findings: pd.DataFrame
    white_spots: pd.DataFrame
    coverage: pd.DataFrame
    bridging: pd.DataFrame
    block_density: pd.DataFrame
    contact_ties: pd.DataFrame
    summary: dict
    timings: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    key_figures: pd.DataFrame = field(default_factory=pd.DataFrame)  # key_figures.csv: each key figure beside its area's network figures
    key_players: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=KEY_PLAYER_COLUMNS))
    suggestions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SUGGESTION_COLUMNS))
    missing_ties: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MISSING_TIE_COLUMNS))
    whatif: dict = field(default_factory=dict)  # before → after facts when options.without (samverkan.whatif.whatif_facts)
    key_player_facts: list = field(default_factory=list)  # per key_players row: components / reach (metrics.key_players)
    key_figure_phases: pd.DataFrame | None = None  # key_figure_phases.csv, computed once with key_figures (None: not computed)
    key_figure_phase_summary: pd.DataFrame | None = None  # key_figure_phase_summary.csv (None: not computed)
    coverage_by_kind: dict | None = None  # {"effort": matrix, "project": matrix}: coverage counted apart, as the map shows it (None: not computed)

    @property
    def title(self) -> str:
        """The title pages carry: ``--title``, else the package's own (README heading, mapping description)."""
        return self.summary.get("title") or "samverkan"

    def _repr_html_(self) -> str:  # a notebook shows the headline figures
        from html import escape

        keys = ("organisations", "projects", "ties", "density", "components", "findings", "white_spots", "as_of")
        rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(self.summary.get(k)))}</td></tr>" for k in keys)
        return f"<b>{escape(self.title)}</b><table>{rows}</table>"


def _progress(callback, message: str) -> None:
    if callback is not None:
        callback(message)


def analyse(package, options: AnalysisOptions = AnalysisOptions(), *, progress=None, path_worker=None) -> AnalysisResult:
    """Run every metric and check on a validated package.

    Parameters
    ----------
    package : Package
        As returned by :func:`samverkan.io.package.read_package`.
    options : AnalysisOptions
    progress : callable, optional
        Called with a short text before each long step (the CLI shows it).
    path_worker : samverkan.parallel.Standby, optional
        The path searches' worker, forked before the package was read
        (:func:`samverkan.metrics.centrality.path_worker_on_standby`); used or let go here.

    Notes
    -----
    The objects that exist when it starts (the package's cells: H2020 holds millions of texts in
    object arrays) are left out of garbage collection meanwhile (:func:`gc.freeze`): each full
    collection would walk all of them again, while the rules and sentences make many small dicts
    and lists (about half a CPU second on H2020). They are unfrozen afterwards, so garbage among
    them is collected as before; when the caller has frozen objects itself nothing is changed.
    """
    if gc.get_freeze_count():
        return _analyse(package, options, progress=progress, path_worker=path_worker)
    gc.freeze()
    try:
        return _analyse(package, options, progress=progress, path_worker=path_worker)
    finally:
        gc.unfreeze()


def _analyse(package, options: AnalysisOptions, *, progress, path_worker=None) -> AnalysisResult:
    from .graph.multimode import contact_graph
    from .metrics import bridging, density, groups, ownership, white_spots
    from .privacy import pseudonymise_package

    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    whatif: dict = {}
    if options.without:  # analysed as if these organisations had left; the report opens with before → after
        from .whatif import resolve_organisations, whatif_facts, without_organisations

        _progress(progress, "what if: the network without the organisations named")
        removed = resolve_organisations(package, options.without)
        before = package
        package = without_organisations(package, removed)
        whatif = whatif_facts(before, package, removed=removed, as_of=reference_date_of(before, options)[0], seed=options.seed)
        lap("whatif")
    if options.pseudonymise:
        package = pseudonymise_package(package, lang=options.lang)
    if options.sub_projects not in SUB_PROJECT_MODES:
        from .errors import UsageError

        raise UsageError(f"sub-projects are counted 'separate' or 'merge', not '{options.sub_projects}'")
    start, end = options.window
    _progress(progress, "projecting organisations × projects")
    graph = project_organisations(merge_sub_projects(package) if options.sub_projects == "merge" else package, start=start, end=end)
    lap("project")
    if options.group_by not in graph.nodes.columns:
        from .errors import UsageError

        raise UsageError(
            f"cannot group by '{options.group_by}': organisations have no such column; use one of {', '.join(c for c in graph.nodes.columns if c not in ('id', 'name', 'aliases', 'parent'))}"
        )

    # the path searches start first: on a large graph they run in a worker while this process
    # computes everything that does not need them, and are collected at the end
    pending = bridging.start_organisation_metrics(graph, group_by=options.group_by, seed=options.seed, sample=options.sample, path_worker=path_worker)
    try:
        _progress(progress, "collaboration density")
        summary = density.network_summary(graph)
        blocks = label_groups(groups.block_density(graph, options.group_by), options.lang)
        ei = label_groups(groups.ei_index(graph, options.group_by), options.lang)
        lap("density")

        _progress(progress, "ownership gaps and white spots")
        as_of, as_of_reason = reference_date_of(package, options)
        facts = ownership.ownership_findings(package, as_of=as_of)
        facts = _with_status_notes(facts, package, as_of)
        projects = ownership.project_table(package, facts)
        raw_spots = white_spots.white_spots(package, findings=facts, as_of=as_of)
        spots = white_spots_in_words(raw_spots, package, options.lang)
        findings = findings_in_words(facts, package, options.lang)  # the table the outputs write: facts in words
        # the coverage matrix and, for the map, efforts and projects counted apart: one pass over the cells
        coverage, by_effort, by_project = white_spots.coverage_matrices(package, as_of=as_of, includes=(("effort", "project"), ("effort",), ("project",)))
        lap("ownership")
        contact_ties = contact_graph(package, start=start, end=end)
        lap("contacts")

        _progress(progress, "key players, suggestions and missing ties")
        from .metrics.key_players import compute_key_players
        from .text.catalogue import key_player_notes

        players = compute_key_players(graph, package, options)
        lap("key_players")
        suggested = _suggestions(package, raw_spots, as_of)
        missing = _missing_ties(package, as_of)
        lap("suggestions")

        # what does not need the path measures, done while they run
        breadth = density.cross_sector_breadth(graph, "type").to_numpy()
        ties = ties_table(graph)
        repetition = _repetition(package, graph)
        # programme-wide projects set aside, said so
        dense_notes = dense_project_notes(dense_projects(graph), dense_contacts(contact_ties.attrs.get("dense_projects", {}), package.projects), options.lang, limit=DENSE_PROJECT_PARTNERS)

        _progress(progress, "bridging actors: centrality, structural holes, brokerage, communities")
        metrics, metric_notes = pending.result()
    finally:
        pending.cancel()
    metrics["cross_sector_breadth"] = breadth
    lap("metrics")
    ranked = bridging_in_words(bridging.rank_bridging_actors(metrics, top=options.top_bridging), options.lang)
    lap("bridging")

    summary = _summary(package, graph, summary, ei, metric_notes, findings, spots, options)
    summary["as_of"] = as_of.date().isoformat() if as_of is not None else None
    summary["as_of_reason"] = as_of_reason
    summary["as_of_explained"] = timeline.REASONS["sv" if options.lang == "sv" else "en"][as_of_reason]
    summary["sub_projects"] = options.sub_projects
    summary["title"] = options.title or getattr(package, "title", "") or ""
    notes = computation_notes(bridging.method_facts(metric_notes, metrics, n=graph.n, group_by=options.group_by), options.lang)
    notes += dense_notes
    notes += key_player_notes(players, options.lang)
    summary["key_players"] = _plain([{**row, "facts": facts} for row, facts in zip(players.table.to_dict("records"), players.facts)])
    summary["key_player_notes"] = _plain(players.notes)
    summary["suggestions"] = int(len(suggested))
    summary["missing_ties"] = int(len(missing))
    summary["without"] = list(whatif.get("removed", []))
    if whatif:
        summary["whatif"] = _plain(whatif)
    summary["repetition"] = repetition
    summary["notes"] = list(notes)  # how each figure was computed: exact or sampled, with the error
    result = AnalysisResult(
        package=package,
        options=options,
        graph=graph,
        organisations=metrics,
        ties=ties,
        projects=projects,
        findings=findings,
        white_spots=spots,
        coverage=coverage,
        bridging=ranked,
        block_density=blocks,
        contact_ties=contact_ties,
        summary=summary,
        timings=timings,
        notes=notes,
        key_players=players.table,
        suggestions=suggested,
        missing_ties=missing,
        whatif=whatif,
        key_player_facts=players.facts,
        coverage_by_kind={"effort": by_effort, "project": by_project},
    )
    if len(getattr(package, "tables", {}).get("key_figures", ())):
        from .metrics.key_figures import key_figure_outputs

        outputs = key_figure_outputs(result)  # kept, so the tables and the report do not compute them again
        result.key_figures = outputs["key_figures.csv"]
        result.key_figure_phases = outputs["key_figure_phases.csv"]
        result.key_figure_phase_summary = outputs["key_figure_phase_summary.csv"]
    return result


def ties_table(graph) -> pd.DataFrame:
    """ties.csv: the graph's ties without the positions ``i``, ``j``, each end's name after its id.

    A name is that of the organisation whose id the end holds (``source`` → ``source_name``). The
    projection writes the ends as the ids at positions ``i`` and ``j``; when that holds (checked),
    every id is unique and every name is text, the names are taken by position from one typed
    array of the organisations' names instead of looking up 800,000 ids (H2020) in a dict.
    """
    ties = graph.edges.drop(columns=["i", "j"])
    if not _copy_on_write():  # (pandas 2 without copy-on-write: a dropped frame may share its columns)
        ties = ties.copy()
    ids, names = graph.nodes["id"], graph.nodes["name"]
    name_list = names.tolist()
    at = {}
    if len(ties) and ids.is_unique and all(type(v) is str for v in name_list):
        node_ids = ids.to_numpy(dtype=object)
        at = {end: graph.edges[position].to_numpy(dtype=np.int64) for end, position in (("source", "i"), ("target", "j"))}
        if not all(np.array_equal(ties[end].to_numpy(dtype=object), node_ids[position]) for end, position in at.items()):
            at = {}
    if at:
        typed = pd.Series(np.array(name_list, dtype=object)).array  # typed once (as Series.map types its result)
        ties.insert(1, "source_name", pd.Series(typed.take(at["source"]), index=ties.index))
        ties.insert(3, "target_name", pd.Series(typed.take(at["target"]), index=ties.index))
        return ties
    lookup = dict(zip(ids, names))
    ties.insert(1, "source_name", ties["source"].map(lookup))
    ties.insert(3, "target_name", ties["target"].map(lookup))
    return ties


def _copy_on_write() -> bool:
    """Whether pandas copies a column before changing it in any frame that shares it (always from pandas 3)."""
    return int(pd.__version__.split(".")[0]) >= 3 or bool(pd.get_option("mode.copy_on_write"))


def key_figure_phase_tables(result: AnalysisResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``key_figure_phases.csv`` and ``key_figure_phase_summary.csv`` of `result`: those :func:`analyse`
    kept, else computed from the package (a result built by hand)."""
    if result.key_figure_phases is not None and result.key_figure_phase_summary is not None:
        return result.key_figure_phases, result.key_figure_phase_summary
    from .metrics.key_figures import key_figure_phases, phase_summary

    phases = key_figure_phases(result.package)
    return phases, phase_summary(phases)


def _repetition(package, graph) -> dict:
    """ "More of the same" (:func:`samverkan.metrics.repetition.repetition`) on the analysed ties.

    Ties are the graph's own (so the count agrees with every other page); the project measure
    leaves out the roles the graph leaves out (benchmarking).
    """
    from .graph.projection import DEFAULT_EXCLUDED_ROLES
    from .metrics.repetition import repetition

    parts = package.participations
    if "role" in parts.columns:
        parts = parts[~parts["role"].astype(str).isin(DEFAULT_EXCLUDED_ROLES)]
    projects = package.projects
    return repetition(parts, projects if len(projects) else None, shared_projects=graph.edges["shared_projects"].to_numpy())


def _suggestions(package, raw_spots, as_of) -> pd.DataFrame:
    """suggestions.csv: :func:`samverkan.metrics.suggestions.suggestions` plus the organisation's name."""
    from .metrics.suggestions import suggestions

    frame = suggestions(package, spots=raw_spots, as_of=as_of)
    orgs = package.organisations if len(frame) else package.organisations.iloc[:1]  # (no row, as in EU data: one name gives the column its type)
    names = dict(zip(orgs["id"].astype(str), orgs["name"].astype(str)))
    frame.insert(3, "organisation_name", frame["organisation"].map(names).fillna(""))
    return frame


def _missing_ties(package, as_of) -> pd.DataFrame:
    """missing_ties.csv: :func:`samverkan.metrics.suggestions.missing_ties` plus both names."""
    from .metrics.suggestions import missing_ties

    frame = missing_ties(package, as_of=as_of)
    orgs = package.organisations if len(frame) else package.organisations.iloc[:1]  # (no row, as in EU data: one name gives the column its type)
    names = dict(zip(orgs["id"].astype(str), orgs["name"].astype(str)))
    frame.insert(1, "name_a", frame["organisation_a"].map(names).fillna(""))
    frame.insert(3, "name_b", frame["organisation_b"].map(names).fillna(""))
    return frame


def reference_date_of(package, options: AnalysisOptions):
    """The date that decides what is running, and the reason code (:func:`samverkan.timeline.reference_date`).

    ``--as-of`` wins; with ``--period`` its end; otherwise today or the data's latest date.
    """
    if options.as_of is not None:
        return timeline.reference_date(package, options.as_of)
    if options.period:
        return timeline.reference_date(package, options.period[1])[0], "period-end"
    return timeline.reference_date(package)


STATUS_RULE = "status-dates-disagree"


def _with_status_notes(findings: pd.DataFrame, package, as_of) -> pd.DataFrame:
    """The findings plus one info note (facts) per project whose status and dates disagree at ``as_of``."""
    projects = package.projects
    if as_of is None or not len(projects) or "status" not in projects.columns:
        return findings
    status = projects["status"].fillna("").astype(str).str.strip().str.lower()
    start, end = pd.to_datetime(projects["start"], errors="coerce"), pd.to_datetime(projects["end"], errors="coerce")
    odd = timeline.status_date_disagreements(status, start, end, as_of)
    if not odd.any():
        return findings
    rows = []
    for k in np.flatnonzero(odd).tolist():
        if end.iloc[k] < as_of:
            when = ("past", end.iloc[k].date().isoformat())
        elif pd.notna(start.iloc[k]) and start.iloc[k] > as_of:
            when = ("starts", start.iloc[k].date().isoformat())
        else:
            when = ("future", end.iloc[k].date().isoformat())
        rows.append(
            {
                "rule": STATUS_RULE,
                "severity": "info",
                "project": str(projects["id"].iloc[k]),
                "project_name": str(projects["name"].iloc[k]),
                "organisations": "",
                "facts": {"text": STATUS_RULE, "status": status.iloc[k], "when": when},
            }
        )
    notes = pd.DataFrame(rows).reindex(columns=findings.columns, fill_value="")
    from .metrics.ownership import keep_tables  # project_table reads the tables ownership_findings read

    return keep_tables(pd.concat([findings, notes], ignore_index=True) if len(findings) else notes, findings)


def _plain(value):
    """JSON-safe plain values: numpy to Python, NaN to None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.isoformat()[:10]
    if isinstance(value, pd.DataFrame):
        return _plain(value.to_dict())
    if isinstance(value, pd.Series):
        return _plain(value.to_dict())
    return value


def _summary(package, graph, network: dict, ei: dict, metric_notes, findings, spots, options) -> dict:
    summary = {
        "package": package.name,
        "organisations": int(graph.n),
        "projects": int(len(package.projects)),
        "participations": int(len(package.participations)),
        "contacts": int(len(package.contacts)),
    }
    summary.update({k: v for k, v in network.items() if k not in ("organisations",)})
    summary["organisations"] = int(graph.n)
    if isinstance(metric_notes, dict):
        for key, value in metric_notes.items():
            if key != "notes":
                summary[key] = value
    summary["group_by"] = options.group_by
    summary["ei_index"] = ei.get("network") if isinstance(ei, dict) else ei
    summary["ei_index_by_group"] = ei.get("groups") if isinstance(ei, dict) else None
    summary["findings"] = int(len(findings))
    summary["findings_by_rule"] = findings["rule"].value_counts().sort_index().to_dict() if len(findings) else {}
    summary["white_spots"] = int(len(spots))
    summary["as_of"] = options.as_of
    summary["period"] = list(options.period) if options.period else None
    summary["seed"] = options.seed
    summary["pseudonymised"] = options.pseudonymise
    summary["lang"] = options.lang
    summary["samverkan_version"] = __version__
    return _plain(summary)


# Excel is for reading, the CSV files for every row: a sheet beyond this many rows keeps its
# most important rows (strongest ties, most central organisations) and the notes sheet says so.
# openpyxl writes about 100,000 cells a second here, so this keeps H2020's workbook to seconds.
XLSX_MAX_ROWS = 5_000
_XLSX_ORDER = {"ties": "weight", "organisations": "betweenness", "bridging": "score"}

OUTPUT_TABLES = {
    "organisations": "organisations.csv",
    "ties": "ties.csv",
    "projects": "projects.csv",
    "findings": "findings.csv",
    "white_spots": "white_spots.csv",
    "bridging": "bridging_actors.csv",
    "contact_ties": "contact_ties.csv",
    "key_players": "key_players.csv",
    "suggestions": "suggestions.csv",
    "missing_ties": "missing_ties.csv",
}


def _highest(frame: pd.DataFrame, key: str, n: int) -> pd.DataFrame:
    """``frame.sort_values(key, ascending=False, kind="stable").head(n)``, sorting only the rows
    that can be among the first ``n`` (ties.csv of a large package has 800,000 rows).

    Rows below the n-th highest value, and missing values when there are n others, cannot be
    among them; the rest keep their order, so the stable sort orders them as before.
    """
    values = frame[key]
    if len(frame) > n and isinstance(values.dtype, np.dtype) and values.dtype.kind in "iuf":
        numbers = values.to_numpy()
        present = ~np.isnan(numbers) if numbers.dtype.kind == "f" else np.ones(len(numbers), dtype=bool)
        if present.sum() >= n:
            threshold = np.partition(numbers[present], present.sum() - n)[present.sum() - n]
            frame = frame[present & (numbers >= threshold)]
    return frame.sort_values(key, ascending=False, kind="stable").head(n)


def _with_group_column(square: pd.DataFrame, group_by: str) -> pd.DataFrame:
    """The block density square with its groups as the first column, named ``group_by``.

    Group values are data: a group called like the column ("region" under ``--group-by region``)
    or "index" must not collide with it, so the column is then named ``"<group_by> (group)"``.
    """
    label = str(group_by)
    taken = {str(c) for c in square.columns}
    while label in taken:
        label = f"{label} (group)"
    out = square.copy()
    out.index.name = None
    out.insert(0, label, out.index.to_numpy(dtype=object))
    return out.reset_index(drop=True)


def write_analysis(result: AnalysisResult, directory: Path, *, workbook: bool = True) -> list[Path]:
    """Write the tables, summary.json and analysis.xlsx into ``directory`` (each file atomically).

    ``workbook=False``: without analysis.xlsx, which :func:`write_workbook` then writes (in
    another process, beside the tables).

    The cyclic garbage collector is paused meanwhile: the cells are many short-lived texts and
    lists without cycles, and each of its runs would walk every object of the analysis again
    (in the forked tables worker, touching pages it would otherwise share with its parent).
    """
    from .io.tables import cyclic_gc_paused

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with cyclic_gc_paused():
        frames = _output_frames(result)
        written = [write_csv(frame, output_path(directory, filename)) for _, filename, frame in frames]
        summary_text = json.dumps(result.summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        written.append(atomic_write_text(output_path(directory, "summary.json"), summary_text))
        if workbook:
            written.append(_write_workbook(result, directory, frames))
    return written


def write_workbook(result: AnalysisResult, directory: Path) -> Path:
    """analysis.xlsx alone: the summary and every table of :func:`write_analysis` as sheets."""
    from .io.tables import cyclic_gc_paused

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with cyclic_gc_paused():
        return _write_workbook(result, directory, _output_frames(result))


def _output_frames(result: AnalysisResult) -> list[tuple[str, str, pd.DataFrame]]:
    """(sheet name, CSV file name, table) of every table written, in the workbook's order."""
    frames = [(attribute, filename, getattr(result, attribute)) for attribute, filename in OUTPUT_TABLES.items()]
    frames.append(("coverage", "coverage.csv", result.coverage.reset_index()))
    frames.append(("block_density", "block_density.csv", _with_group_column(result.block_density, result.options.group_by)))
    if len(result.key_figures):  # with the package's key figures: beside the network, and before/during/after
        phases, summary = key_figure_phase_tables(result)
        tables = {"key_figures.csv": result.key_figures, "key_figure_phases.csv": phases, "key_figure_phase_summary.csv": summary}
        frames += [(filename.removesuffix(".csv"), filename, frame) for filename, frame in tables.items()]
    return frames


def _write_workbook(result: AnalysisResult, directory: Path, frames) -> Path:
    sheets = {name: frame for name, _, frame in frames}
    notes = []
    for name, frame in list(sheets.items()):
        if len(frame) > XLSX_MAX_ROWS:
            key = _XLSX_ORDER.get(name)
            sheets[name] = _highest(frame, key, XLSX_MAX_ROWS) if key in frame.columns else frame.head(XLSX_MAX_ROWS)
            how = f", the highest by {key}" if key in frame.columns else ", the first"
            notes.append({"sheet": name, "note": f"{XLSX_MAX_ROWS:,} of {len(frame):,} rows{how}; every row is in {OUTPUT_TABLES.get(name, name + '.csv')}"})
    summary_sheet = pd.DataFrame({"figure": list(result.summary), "value": [json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for v in result.summary.values()]})
    if notes:
        sheets["notes"] = pd.DataFrame(notes)
    return write_xlsx({"summary": summary_sheet, **sheets}, output_path(directory, "analysis.xlsx"))
