"""Whole jobs as the CLI runs them: analyse and write everything, one view, compare, the demo.

Each function takes validated inputs and options and returns what it wrote; the CLI only parses
and prints. Views and the report are imported lazily, so ``validate`` and ``import`` start fast.
"""

from __future__ import annotations

import functools
import gc
import os
import time
from pathlib import Path


from .analysis import AnalysisOptions, AnalysisResult, analyse, write_analysis, write_workbook
from .errors import UsageError
from .io.output import output_path
from .parallel import Background, Later
from .text.catalogue import finding_counts, severity_words
from .text.format import as_sentences, format_fixed, format_int
from .views.selection import VIEW_MAX_EDGES, VIEW_MAX_NODES  # noqa: F401  (the views' sizes, chosen in views/)
from .views.selection import sorted_labels as _sorted_labels  # noqa: F401
from .views.selection import view_edges as _view_edges  # noqa: F401
from .views.selection import view_graph as _view_graph
from .views.selection import view_metrics as _view_metrics
from .views.selection import view_two_mode as _view_two_mode

__all__ = ["run_analysis", "write_result", "write_views", "run_view", "terminal_summary", "run_compare_cli", "run_demo"]


def _title(result: AnalysisResult) -> str:
    """``--title``, else the package's own title; never the folder name."""
    return result.title


def _heap_frozen(function):
    """Run ``function`` with the objects that exist when it starts left out of garbage collection.

    A full collection walks every object the collector tracks, and an analysis holds its tables'
    cells in object arrays (H2020: tens of millions), so each full collection while the views
    and report were written took ~0.1 s. The objects are unfrozen afterwards, so garbage among
    them is collected as before; when the caller has frozen objects itself nothing is changed.
    """

    @functools.wraps(function)
    def run(*args, **kwargs):
        if gc.get_freeze_count():
            return function(*args, **kwargs)
        gc.freeze()
        try:
            return function(*args, **kwargs)
        finally:
            gc.unfreeze()

    return run


@_heap_frozen
def write_views(
    result: AnalysisResult, directory: Path, *, size_by: str = "betweenness", progress=None, before_report=None, figures: bool = True, view=None, exports: bool = True, two_mode: bool = True, maps=None
) -> dict:
    """network.html, two_mode.html, network.png/.svg, efforts.html, graph exports and index.html.

    ``before_report`` is called before the report is written and returns the paths of any
    figures written elsewhere (``figures=False``: :func:`write_figures` in the tables worker);
    the report lists the output files and embeds the SVG, so they must be finished by then.
    ``view``: the ``(metrics, graph)`` of :func:`view_of` when the caller has it already;
    ``exports=False``, ``two_mode=False``: the graph exports and two_mode.html are written
    elsewhere (:func:`write_exports`, :func:`write_two_mode` in the tables worker or by
    ``before_report``) and, like the figures, finished when ``before_report`` returns.
    ``maps``: the map files are written elsewhere (:func:`write_map_files` in a standby
    worker); called where they would be written, it returns what :func:`write_maps` returns.
    """
    from .graph.export import EXPORT_MAX_EDGES
    from .report import draft_report, write_report
    from .views.efforts import write_efforts_html
    from .views.figures import write_static_figures
    from .views.network import write_network_html

    directory = Path(directory)
    lang = result.options.lang
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    _check_size_by(size_by)
    if progress:
        progress("network views")
    metrics, G = view if view is not None else view_of(result, size_by=size_by)
    title = _title(result)
    facts = write_network_html(G, output_path(directory, "network.html"), title=title, lang=lang, size_by=size_by, seed=result.options.seed, note=_sampling_note(result))
    lap("network_html")
    if two_mode:
        write_two_mode(result, directory)
    lap("two_mode_html")
    figure_paths = list(write_static_figures(G, output_path(directory, "network"), title=title, lang=lang, size_by=size_by, seed=result.options.seed)) if figures else []
    lap("figures")
    if progress:
        progress("exports for Gephi, igraph, networkx")
    if result.graph.m > EXPORT_MAX_EDGES:
        result.notes.append(
            f"graph.graphml/.gexf/.json keep the {EXPORT_MAX_EDGES:,} strongest of {result.graph.m:,} ties (most shared projects first); ties.csv has all of them"
            if lang != "sv"
            else f"graph.graphml/.gexf/.json innehåller de {format_int(EXPORT_MAX_EDGES, 'sv')} starkaste av {format_int(result.graph.m, 'sv')} banden (flest gemensamma projekt först); ties.csv har alla"
        )
    if exports:
        write_exports(result, directory, metrics)
    lap("exports")
    # the report's sections that need only the result, built while a worker draws the map and figures
    draft = draft_report(result, directory, network_html=facts.page, views=facts)
    lap("report_ahead")
    if before_report is not None:
        figure_paths += list(before_report() or [])
        lap("waiting_for_tables")
    if progress:
        progress("map")
    maps = maps() if maps is not None else write_map_files(result, directory)
    if isinstance(maps, str):  # one sentence why there is no map: in the report's notes and the terminal, once
        if maps not in result.notes:
            result.notes.append(maps)
    else:
        facts["maps"] = maps
    lap("map")
    package = result.package
    if len(package.efforts):  # the map's companion: it links to map.html when there is one
        write_efforts_html(
            package.efforts, package.organisations, package.target_groups, output_path(directory, "efforts.html"), lang=lang, coverage=result.coverage, map_link=not isinstance(maps, str)
        )
    if progress:
        progress("report")
    svg = next((p for p in figure_paths if str(p).endswith(".svg")), None)
    figure_svg = Path(svg).read_text(encoding="utf-8") if svg else None
    write_report(result, directory, network_html=facts.page, figure_svg=figure_svg, views=facts, draft=draft)  # the view's page and its scripts, not re-read
    lap("report")
    facts["timings"] = timings
    return facts


def write_two_mode(result: AnalysisResult, directory: Path) -> None:
    """two_mode.html: organisations and projects, with roles on the edges (the view's own selection)."""
    from .views.network import write_two_mode_html

    two_mode = _view_two_mode(result.package, max_nodes=VIEW_MAX_NODES)
    write_two_mode_html(two_mode, output_path(Path(directory), "two_mode.html"), title=_title(result), lang=result.options.lang, seed=result.options.seed, max_nodes=VIEW_MAX_NODES)


def write_map_files(result: AnalysisResult, directory: Path):
    """map.html, map.svg and map.png (:func:`samverkan.views.map_page.write_maps`): the paths, or why there is no map."""
    from .views.map_page import write_maps

    return write_maps(result, Path(directory), result.options.lang, title=_title(result), geo=result.options.geo, geo_key=result.options.geo_key)


def write_exports(result: AnalysisResult, directory: Path, metrics) -> None:
    """graph.graphml, graph.gexf and graph.json: every tie, or the strongest when there are many.

    Straight from the tables: the same files as graph_with_metrics(...) through the writers.
    One job: the three files share their preparation (H2020: 2.5 CPU-s together, 1.3–1.5 each alone).
    """
    from .graph.export import EXPORT_MAX_EDGES, strongest_edges, write_graph_exports

    exported = strongest_edges(result.graph.edges, EXPORT_MAX_EDGES) if result.graph.m > EXPORT_MAX_EDGES else None  # None: all ties
    write_graph_exports(
        result.graph, metrics, edges=exported, graphml=output_path(directory, "graph.graphml"), gexf=output_path(directory, "graph.gexf"), node_link=output_path(directory, "graph.json")
    )


def view_of(result: AnalysisResult, *, size_by: str = "betweenness"):
    """The views' per-organisation metrics and the graph that network.html and network.png draw.

    Computed once per run: the views, the exports and the figures (in the tables worker) share them.
    """
    metrics = _view_metrics(result)
    return metrics, _view_graph(result, metrics, size_by=size_by, max_nodes=VIEW_MAX_NODES)


def _sampling_note(result: AnalysisResult) -> str | None:
    """The computation notes as one paragraph of sentences (the network view's side panel)."""
    return as_sentences(result.notes) or None


def _refuse_overwriting_inputs(package, directory: Path) -> None:
    """Outputs never land on the user's input: not in a package folder, not over its workbook."""
    from .analysis import OUTPUT_TABLES

    source = Path(package.source) if package.source else None
    if source is None or not source.exists():
        return
    target = directory.resolve()
    if source.is_dir() and source.resolve() == target:
        raise UsageError(f"the outputs would be written into the package folder {source} and replace its tables; choose another -o folder")
    if source.is_file() and source.resolve().parent == target:
        names = set(OUTPUT_TABLES.values()) | {"analysis.xlsx", "summary.json", "index.html", "network.html", "two_mode.html", "efforts.html"}
        if source.name in names:
            raise UsageError(f"the output {source.name} would replace the package workbook {source}; choose another -o folder")


def _check_size_by(size_by: str) -> None:
    """Refuse an unknown ``--size-by`` before any work is done, naming the valid metrics."""
    from .io.validate import closest
    from .metrics.bridging import EXTRA_COLUMNS, METRIC_COLUMNS

    numeric = [c for c in METRIC_COLUMNS + EXTRA_COLUMNS if c not in ("id", "name", "type", "articulation_point", "community")] + ["cross_sector_breadth"]
    if size_by not in numeric:
        match = closest(size_by, numeric)
        hint = f"did you mean '{match[0]}'? " if match else ""
        raise UsageError(f"cannot size nodes by '{size_by}'; {hint}use one of {', '.join(numeric)}")


def run_analysis(package, directory: Path, options: AnalysisOptions, *, views: bool = True, size_by: str = "betweenness", progress=None, force: bool = False, standby=None, path_worker=None):
    """Analyse a package and write every output into ``directory``: the whole set or none.

    The set is written into a temporary folder beside ``directory`` and swapped in at the end
    (:func:`samverkan.io.output.output_folder`), so a rerun leaves no stale file and an
    interrupted run leaves the previous set. ``standby``: the writers' worker the caller forked
    before reading the package (:func:`standby_writers`); ``path_worker``: the path searches'
    worker forked then (:func:`standby_path_worker`). Each is used or let go here.
    """
    from .io.output import output_folder, resolve_output

    if standby is not None and (not views or not _small(package)):
        standby.cancel()
        standby = None
    try:
        final = resolve_output(directory)
        if final.exists() and not final.is_dir():
            raise UsageError(f"{directory} is a file; give a folder for the outputs")
        _refuse_overwriting_inputs(package, final)
        if views:
            _check_size_by(size_by)
        with output_folder(final, command="analyse", label=package_label(package), force=force) as temporary:
            result, written = _analyse_into(package, temporary, options, views=views, size_by=size_by, progress=progress, standby=standby, path_worker=path_worker)
    finally:
        if path_worker is not None:
            path_worker.cancel()
    return result, [final / Path(p).relative_to(temporary) for p in written]


def package_label(package) -> str:
    """A package named without the user's folders: its name, or the last part of its path."""
    if getattr(package, "name", None):
        return str(package.name)
    source = getattr(package, "source", None)
    return Path(source).name if source else ""


def _analyse_into(package, directory: Path, options: AnalysisOptions, *, views: bool, size_by: str, progress, standby=None, path_worker=None):
    if standby is None and views and _small(package):
        standby = _StandbyWriters.start()
    try:
        result = analyse(package, options, progress=progress, path_worker=path_worker)
        written = write_result(result, directory, views=views, size_by=size_by, progress=progress, standby=standby)
    finally:
        if standby is not None:
            standby.cancel()
    return result, written


STANDBY_MAX_ORGANISATIONS = 5_000
"""Up to this many organisations the writers' worker is forked before the analysis starts
(:class:`_StandbyWriters`): the analysis leaves the second core idle, the result it is sent
afterwards pickles in milliseconds. Larger packages fork the tables worker after the analysis
(it shares the result's memory) and keep the second core for the path searches."""

STANDBY_MAX_BYTES = 2_000_000
"""Before a package is read, its files' size decides whether the writers' worker is forked
already (:func:`standby_writers`; Södertörn 68 kB, Interreg 0.3 MB, Horizon 2020 8.7 MB)."""


def _small(package) -> bool:
    organisations = getattr(package, "organisations", None)
    return organisations is not None and len(organisations) <= STANDBY_MAX_ORGANISATIONS


def standby_writers(source) -> _StandbyWriters | None:
    """The writers' worker forked now, before the package at ``source`` is read, when its files are small.

    The worker imports matplotlib and the page kit while this process reads and
    analyses; hand it to :func:`run_analysis` (``standby=``), which lets it go when the package
    turns out large. None when the files are large or no worker can be forked. The caller must
    :meth:`~_StandbyWriters.cancel` it when it never reaches :func:`run_analysis`.
    """
    size = _package_bytes(source)
    return _StandbyWriters.start() if size is not None and size <= STANDBY_MAX_BYTES else None


def standby_path_worker(source):
    """The path searches' worker forked now, before the package at ``source`` is read, when its files are large.

    It loads the compiled searches while this process reads the package and builds the graph
    (:func:`samverkan.metrics.centrality.path_worker_on_standby`); hand it to
    :func:`run_analysis` (``path_worker=``), which sends it the ties or lets it go when the graph
    is small. None for small files (their graphs are searched exactly, in this process) or
    where no worker can be forked. The caller must cancel it when it never reaches
    :func:`run_analysis`.
    """
    from .metrics.centrality import path_worker_on_standby

    size = _package_bytes(source)
    if size is None or size <= STANDBY_MAX_BYTES or _interactive():
        return None
    return path_worker_on_standby()


def _package_bytes(source) -> int | None:
    """The size of the package's files (a folder's files, or one file); None when they cannot be read."""
    try:
        path = Path(source)
        files = [p for p in path.iterdir() if p.is_file()] if path.is_dir() else [path]
        return sum(p.stat().st_size for p in files)
    except OSError:
        return None


class _StandbyWriters:
    """The writers' worker of a small run, forked before its analysis (:class:`~samverkan.parallel.Standby`).

    While this process analyses, the worker imports what writing needs (matplotlib, the
    page kit: ~1 s that the analysis would otherwise wait for); :func:`write_result` then sends it
    the finished result. The worker forks a child for map.html, map.svg and map.png
    (:func:`write_map_files`; the child shares the imports) and writes the tables, the workbook,
    the network figure and whichever of two_mode.html and the exports this process has not
    taken first. This process draws the pages and the report and never imports matplotlib. The files are the same as when one
    process writes them all.
    """

    def __init__(self, jobs, worker):
        self.jobs, self.worker = jobs, worker

    @classmethod
    def start(cls) -> _StandbyWriters | None:
        """Fork the worker when that is possible (Linux, workers allowed, not interactive), else None."""
        from .parallel import Standby, can_fork

        if not can_fork() or _interactive():
            return None
        jobs = _SharedJobs(_SHARED_JOBS, shared=True)
        return cls(jobs, Standby(_writers_on_standby, (jobs,), prepare=_prepare_writers))

    def cancel(self) -> None:
        self.worker.cancel()


def _prepare_writers() -> None:
    """What the writers' worker imports while it waits: what the map child needs (the figures', the page kit, the shapes).

    openpyxl (~0.2 s) is left for the tables, imported once the map child is forked: the worker
    is then ready when a small analysis ends, and the map, the longest of the writers' jobs,
    starts at once.
    """
    import jinja2  # noqa: F401
    from matplotlib import font_manager, patheffects  # noqa: F401
    from matplotlib.backends import backend_agg, backend_svg  # noqa: F401
    from matplotlib.collections import LineCollection  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401
    from matplotlib.patches import PathPatch  # noqa: F401
    from PIL import Image

    from .geo.shapes import municipality_shapes
    from .graph import export  # noqa: F401
    from .io import package  # noqa: F401  (the result's package is unpickled here: forked before it was read)
    from .views import figures, kit, map_page  # noqa: F401

    municipality_shapes()
    font_manager.get_font(font_manager.findfont(font_manager.FontProperties()))  # loaded on the first text drawn
    Image.preinit()  # the image plugins, loaded on the first PNG saved


def _writers_on_standby(jobs, result, directory, size_by, view):
    """The writers' worker's job: the map files in a forked child, the tables and figures here.

    Returns :func:`_tables_and_figures`' tuple and :func:`write_map_files`' outcome. The shared-job
    flags come first: inherited by the fork, never pickled. Run in the caller's process (no
    worker could be forked) the map files are written one after the other.
    """
    from .parallel import Child

    maps = Child(write_map_files, result, directory) if not jobs.at_home() else None
    written = _tables_and_figures(result, directory, size_by, view, jobs)
    return (*written, maps.result() if maps is not None else write_map_files(result, directory))


def _interactive() -> bool:
    """True inside IPython/Jupyter, where forking a process that may hold threads is unsafe."""
    import sys

    return "IPython" in sys.modules or "ipykernel" in sys.modules or hasattr(sys, "ps1")


def write_result(
    result: AnalysisResult, directory: Path, *, views: bool = True, size_by: str = "betweenness", progress=None, workers: bool | None = None, standby: _StandbyWriters | None = None
) -> list[Path]:
    """Write every output of a finished analysis into ``directory``; return the paths written.

    ``workers`` None: a forked worker writes the tables while this process draws the views,
    only where that pays off (views are drawn) and is safe (Linux fork, not in an interactive
    session); False: everything here. ``standby``: the workers forked before the analysis
    (:class:`_StandbyWriters`, with views only). The files are the same either way.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file; give a folder for the outputs")
    _refuse_overwriting_inputs(result.package, directory)
    if views:
        _check_size_by(size_by)
    if workers is None:
        workers = not _interactive()
    if progress:
        progress("writing tables")
    # the tables and the views need only the finished result: on Linux a forked worker writes
    # the tables while this process draws the views (the same files either way)
    maps = None
    here_jobs = _SHARED_JOBS
    later = None
    if standby is not None and views and workers:
        # the views' metrics and graph, computed once and sent: the worker draws the figure from them
        view = view_of(result, size_by=size_by)
        jobs, tables = standby.jobs, standby.worker
        tables.send(result, directory, size_by, view)

        def maps():
            return tables.result()[4]

        here_jobs = ("two_mode", "exports")  # the figure and the workbook are the worker's, which has matplotlib and openpyxl loaded
    else:
        if standby is not None:
            standby.cancel()
        jobs = _SharedJobs(_SHARED_JOBS, shared=bool(views and workers))
        # the worker is forked first and writes the tables while this process chooses what the
        # views show (view_of, ~0.7 s on H2020); it is handed the choice for the figure and exports
        later = Later() if views and workers else None
        tables = Background(_tables_and_figures, (result, directory, size_by if views else None, later, jobs), start=views and workers, fork_only=True)
        try:
            view = view_of(result, size_by=size_by) if views else None
        except BaseException:
            tables.cancel()
            raise
        if later is not None:
            later.set(view)
    try:
        if views:
            here: dict = {}

            def before_report():
                # the figure and the exports that the worker has not begun: done here (whichever process is free first)
                for job in here_jobs:
                    if jobs.take(job):
                        clock = time.perf_counter()
                        here[job] = _shared_job(job, result, directory, size_by, view)
                        here["seconds"] = here.get("seconds", 0.0) + time.perf_counter() - clock
                return tables.result()[2] + here.get("figures", [])

            # the report lists the files and embeds the figure's SVG, so it waits for them
            facts = write_views(result, directory, size_by=size_by, progress=progress, before_report=before_report, figures=False, view=view, exports=False, two_mode=False, maps=maps)
            result.timings.update({f"views_{k}": v for k, v in facts.pop("timings", {}).items()})
        written, result.timings["write"], _, result.timings["views_figures"] = tables.result()[:4]
        if views and here.get("seconds"):
            result.timings["views_figures_here"] = here["seconds"]
    finally:
        tables.cancel()
        if later is not None:
            later.close()
    # every file of the set: the tables, and the pages, figures and exports written beside them
    views_written = [p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")] if views else []
    return sorted(set(written) | set(views_written), key=lambda p: p.name)


_SHARED_JOBS = ("two_mode", "figures", "exports", "workbook")
"""What either process may write once its own part is done: two_mode.html, the static figures,
the graph exports and analysis.xlsx (H2020: about 2.4, 2.5, 2.5 and 1.0 CPU-s). The tables
worker takes them after the CSV tables, this process after the network view and the report's
first sections; whichever is free first takes the next, so neither waits long. The longest
first: the shorter ones even out the end (H2020, traced: 9.1 s from the end of the analysis to
the report with the exports and figures shared, 8.3 s with these four)."""


class _SharedJobs:
    """Which of the shared jobs has been taken, by this process or by the forked worker.

    Each job is done once: :meth:`take` says yes to the first process that asks. The flags live
    in shared memory when a worker is forked (``shared``), else in this process.
    """

    def __init__(self, names, *, shared: bool):
        self._home = os.getpid()
        self._flags = {}
        if shared:
            try:
                import multiprocessing

                context = multiprocessing.get_context("fork")
                self._flags = {name: context.Value("b", 0) for name in names}
            except (ValueError, OSError, ImportError):  # no fork or no shared memory: the worker runs here
                self._flags = {}
        self._local = dict.fromkeys(names, 0)

    def at_home(self) -> bool:
        """True in the process that made the flags (not in the forked worker)."""
        return os.getpid() == self._home

    def take(self, name: str, *, again: bool = False) -> bool:
        """True when the calling process should do ``name`` now (and it is marked as taken by it).

        ``again``: the job may also be taken when the worker took it but never delivered (the
        worker's function running here after the worker died); never when this process did it.
        """
        mine = 2 if self.at_home() else 1
        flag = self._flags.get(name)
        if flag is None:
            if self._local[name] == 0 or (again and self._local[name] != 2):
                self._local[name] = mine
                return True
            return False
        with flag.get_lock():
            if flag.value == 0 or (again and mine == 2 and flag.value != 2):
                flag.value = mine
                return True
            return False


def _shared_job(job: str, result: AnalysisResult, directory: Path, size_by: str, view) -> list[Path]:
    """Do one of :data:`_SHARED_JOBS`; the paths of the figures (none for the others)."""
    if job == "figures":
        return write_figures(result, directory, size_by=size_by, view=view)
    if job == "two_mode":
        write_two_mode(result, directory)
        return []
    if job == "workbook":
        write_workbook(result, directory)
        return []
    write_exports(result, directory, view[0] if view is not None else _view_metrics(result))
    return []


def _tables_and_figures(result: AnalysisResult, directory: Path, size_by: str | None, view, jobs: _SharedJobs) -> tuple[list[Path], float, list[Path], float]:
    """The tables and (unless ``size_by`` is None) the static figures, with their seconds.

    Run in the tables worker, or here: neither depends on the interactive views. The shared
    jobs (:data:`_SHARED_JOBS`: two_mode.html, the figures, the graph exports, the workbook) are done here
    only when the other process has not taken them (``jobs``, :class:`_SharedJobs`; their
    seconds counted together), so the two processes stay about equally busy. ``view``: the
    views' ``(metrics, graph)`` (:func:`view_of`), or a :class:`~samverkan.parallel.Later` the
    caller sets once it has computed them while the tables are written here.
    """
    clock = time.perf_counter()
    written = write_analysis(result, directory, workbook=size_by is None)  # else the workbook is a shared job
    seconds = time.perf_counter() - clock
    if size_by is None:
        return written, seconds, [], 0.0
    clock = time.perf_counter()
    figures = []
    for job in _SHARED_JOBS:
        if jobs.take(job, again=True):
            if isinstance(view, Later):
                view = view.get()
            figures += _shared_job(job, result, directory, size_by, view)
    return written, seconds, figures, time.perf_counter() - clock


def write_figures(result: AnalysisResult, directory: Path, *, size_by: str = "betweenness", view=None) -> list[Path]:
    """network.png and network.svg: the figure of the same graph the network view draws (``view``: see :func:`write_views`)."""
    from .views.figures import write_static_figures

    _, G = view if view is not None else view_of(result, size_by=size_by)
    return list(write_static_figures(G, output_path(Path(directory), "network"), title=_title(result), lang=result.options.lang, size_by=size_by, seed=result.options.seed))


def sampling_plan(package, options: AnalysisOptions) -> str | None:
    """What will be estimated rather than computed exactly, said before slow work starts."""
    from .metrics.centrality import DEFAULT_SOURCES, DEFAULT_SOURCES_WEIGHTED, EXACT_BETWEENNESS_MAX_NODES

    n = len(package.organisations)
    sv = options.lang == "sv"
    if options.sample:
        return f"Mellanhetscentralitet skattas från {options.sample} slumpade källor (--sample)." if sv else f"Betweenness is estimated from {options.sample} sampled sources (--sample)."
    if n <= EXACT_BETWEENNESS_MAX_NODES:
        return None
    if sv:
        return (
            f"{format_int(n, 'sv')} organisationer: " + f"mellanhets- och närhetscentralitet skattas från {DEFAULT_SOURCES} "
            f"slumpade källor ({DEFAULT_SOURCES_WEIGHTED} viktade), eftersom exakt beräkning över "
            + format_int(EXACT_BETWEENNESS_MAX_NODES, "sv")
            + " organisationer tar minuter; felmarginalen och hur säker rangordningen är står i resultaten."
        )
    return (
        f"{n:,} organisations: betweenness and closeness are estimated from {DEFAULT_SOURCES} sampled sources "
        f"({DEFAULT_SOURCES_WEIGHTED} weighted), because exact computation above {EXACT_BETWEENNESS_MAX_NODES:,} "
        f"organisations takes minutes; the estimated error and how certain the ranking is are stated in the outputs."
    )


def terminal_summary(result: AnalysisResult, directory: Path) -> str:
    """A few lines for the terminal: the figures that matter and where the report is."""
    s = result.summary
    sv = result.options.lang == "sv"

    lang = result.options.lang

    def num(value, digits=3):
        return format_fixed(value, lang, digits) if isinstance(value, float) else format_int(value, lang)

    lines = [
        f"{s.get('title') or s.get('package', '')}: {num(s['organisations'])} {'organisationer' if sv else 'organisations'}, {num(s['projects'])} {'projekt' if sv else 'projects'}, {num(s.get('ties', 0))} {'band' if sv else 'ties'}",
        f"  {'täthet' if sv else 'density'} {num(s.get('density'))}, {'medelgrad' if sv else 'mean degree'} {num(s.get('mean_degree'), 2)}, {'komponenter' if sv else 'components'} {num(s.get('components'))}, {'modularitet' if sv else 'modularity'} {num(s.get('modularity'))}",
    ]
    if len(result.bridging):
        top = ", ".join(result.bridging["name"].head(3))
        lines.append(f"  {'brobyggare' if sv else 'bridging actors'}: {top}")
    gaps, notes = finding_counts(result.findings)
    lines.append(f"  {severity_words(lang, gaps, notes)}, {'vita fläckar' if sv else 'white spots'}: {num(s.get('white_spots', 0))}")
    if s.get("as_of"):  # the reference date used, and why (issue 12)
        why = s.get("as_of_explained") or ""
        lines.append(f"  {'referensdatum' if sv else 'reference date'} {s['as_of']}" + (f": {why}" if why else ""))
    # how each metric was computed is in the report and summary.json; here only what was cut or estimated
    for note in result.notes:
        if any(word in note for word in ("sampl", "estimat", "strongest", "starkaste", "skatt")) or note.startswith(("Ingen karta", "No map")):
            lines.append(f"  {note}")
    report = Path(directory) / "index.html"
    lines.append(f"{'Rapport' if sv else 'Report'}: {report if report.exists() else Path(directory)}")
    return "\n".join(lines)


def run_view(package, path: Path, options: AnalysisOptions, *, ego=None, two_mode=False, size_by="betweenness", max_nodes=1500, force: bool = False) -> dict:
    """Write one view: the organisation network, its two-mode form, or one organisation's ego network."""
    from .io.output import output_file

    _check_size_by(size_by)
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"the view is an HTML file; give a name ending in .html (not '{path.name}')")
    if max_nodes < 1:
        raise UsageError(f"--max-nodes must be 1 or more (got {max_nodes})")
    if ego and two_mode:
        raise UsageError("--ego shows one organisation's own network; --two-mode shows the whole two-mode network. Give one of them")
    with output_file(path, command="view", force=force) as target:
        return _run_view(package, target, options, ego=ego, two_mode=two_mode, size_by=size_by, max_nodes=max_nodes)


def _run_view(package, path: Path, options: AnalysisOptions, *, ego, two_mode, size_by, max_nodes) -> dict:
    from .graph.export import graph_with_metrics
    from .io.names import NameIndex
    from .views.network import write_ego_html, write_network_html, write_two_mode_html

    title = options.title or getattr(package, "title", "") or "samverkan"
    if two_mode:
        start, end = options.window
        # (the two-mode view's backbone is VIEW_MAX_NODES, whatever max_nodes says)
        B = _view_two_mode(package, max_nodes=VIEW_MAX_NODES, start=start, end=end)
        return write_two_mode_html(B, path, title=title, lang=options.lang, seed=options.seed, max_nodes=VIEW_MAX_NODES)
    result = analyse(package, options)
    G = graph_with_metrics(result.graph, _view_metrics(result)) if ego else _view_graph(result, _view_metrics(result), size_by=size_by, max_nodes=max_nodes)
    if ego:
        center = ego if ego in G else NameIndex.from_organisations(package.organisations).resolve(ego)
        if center is None:
            from .io.validate import closest

            match = closest(ego, list(package.organisations["name"]) + list(package.organisations["id"]))
            raise UsageError(f"no organisation '{ego}'" + (f"; did you mean '{match[0]}'?" if match else "; give an id or a name from organisations"))
        return write_ego_html(G, center, path, title=title, lang=options.lang, size_by=size_by, seed=options.seed)
    return write_network_html(G, path, title=title, lang=options.lang, size_by=size_by, max_nodes=max_nodes, seed=options.seed)


def run_compare_cli(packages, *, output, split_by, config, lang, seed, samples, min_organisations, rank_by=None, title=None, force: bool = False) -> Path:
    """Compare several packages, one package split by an attribute, or what a config file names."""
    from .compare import run as compare_run
    from .io.output import output_folder

    options = {k: v for k, v in {"seed": seed, "samples": samples, "min_organisations": min_organisations, "lang": lang, "rank_by": rank_by, "title": title}.items() if v is not None}
    if config is not None:
        if packages or split_by:
            raise UsageError("with --config, give no packages or --by: the config names them")
        if output is None:
            from .compare.config import load_config

            output = load_config(config).output
        if output is None:
            raise UsageError("give an output folder with -o (the config names none)")
        _refuse_inputs_as_output([], output)
        with output_folder(output, command="compare", label=Path(config).name, force=force) as temporary:
            compare_run.run_compare_config(config, output=temporary, **options)
        return Path(output)
    if output is None:
        raise UsageError("give an output folder with -o")
    if not packages:
        raise UsageError("give two or more packages, or one package with --by ATTRIBUTE")
    if split_by is None and len(packages) < 2:
        raise UsageError("one package alone compares with nothing: give more packages or --by ATTRIBUTE (e.g. --by region)")
    _refuse_inputs_as_output(packages, output)
    with output_folder(output, command="compare", label=" ".join(Path(p).name for p in packages), force=force) as temporary:
        compare_run.run_compare(list(packages), temporary, by=split_by, **options)
    return Path(output)


def _refuse_inputs_as_output(packages, output) -> None:
    from .io.output import resolve_output

    target = resolve_output(output)
    for given in packages:
        source = Path(given).resolve()
        if source == target or target in source.parents:
            raise UsageError(f"the output {output} would replace or hold the input {given}; choose another -o")


def run_demo(examples: Path, output: Path, *, lang: str = "sv", progress=None) -> list[str]:
    """Analyse both bundled example regions and compare them; return lines saying where output is."""
    from .io.package import read_package

    examples = Path(examples)
    names = ["orebro-2014", "sodertorn-2009"]
    lines = []
    for name in names:
        source = examples / name
        if not source.exists():
            raise UsageError(f"the example package {source} is missing; run the demo in the folder of a clone of the samverkan repository (it reads data/orebro-2014 and data/sodertorn-2009)")
        if progress:
            progress(f"analysing {name}")
        result, _ = run_analysis(read_package(source), Path(output) / name, AnalysisOptions(lang=lang), progress=progress)
        lines.append(terminal_summary(result, Path(output) / name))
    if progress:
        progress("comparing the two regions")
    comparison = run_compare_cli([examples / n for n in names], output=Path(output) / "comparison", split_by=None, config=None, lang=lang, seed=42, samples=None, min_organisations=None)
    lines.append(f"{'Jämförelse' if lang == 'sv' else 'Comparison'}: {Path(comparison) / 'index.html'}")
    return lines
