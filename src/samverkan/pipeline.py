"""Whole jobs as the CLI runs them: analyse and write everything, one view, compare, the demo.

Each function takes validated inputs and options and returns what it wrote; the CLI only parses
and prints. Views and the report are imported lazily, so ``validate`` and ``import`` start fast.
"""

from __future__ import annotations

import functools
import gc
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .analysis import AnalysisOptions, AnalysisResult, analyse, write_analysis
from .errors import UsageError
from .io.output import output_path
from .parallel import Background
from .text.catalogue import finding_counts, severity_words
from .text.format import format_fixed, format_int

__all__ = ["run_analysis", "write_views", "run_view", "terminal_summary", "run_compare_cli", "run_demo"]


def _title(result: AnalysisResult) -> str:
    return result.package.name or "samverkan"


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
def write_views(result: AnalysisResult, directory: Path, *, size_by: str = "betweenness", progress=None, before_report=None, figures: bool = True) -> dict:
    """network.html, two_mode.html, network.png/.svg, efforts.html, graph exports and index.html.

    ``before_report`` is called before the report is written and returns the paths of any
    figures written elsewhere (``figures=False``: :func:`write_figures` in the tables worker);
    the report lists the output files and embeds the SVG, so they must be finished by then.
    """
    from .graph.export import EXPORT_MAX_EDGES, strongest_edges, write_graph_exports
    from .report import write_report
    from .views.efforts import write_efforts_html
    from .views.figures import write_static_figures
    from .views.network import write_network_html, write_two_mode_html

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
    metrics = _view_metrics(result)
    G = _view_graph(result, metrics, size_by=size_by, max_nodes=VIEW_MAX_NODES)
    title = _title(result)
    facts = write_network_html(G, output_path(directory, "network.html"), title=title, lang=lang, size_by=size_by, seed=result.options.seed, note=_sampling_note(result))
    lap("network_html")
    two_mode = _view_two_mode(result.package, max_nodes=VIEW_MAX_NODES)
    write_two_mode_html(two_mode, output_path(directory, "two_mode.html"), title=title, lang=lang, seed=result.options.seed, max_nodes=VIEW_MAX_NODES)
    lap("two_mode_html")
    figure_paths = list(write_static_figures(G, output_path(directory, "network"), title=title, lang=lang, size_by=size_by, seed=result.options.seed)) if figures else []
    lap("figures")
    package = result.package
    if len(package.efforts):
        write_efforts_html(package.efforts, package.organisations, package.target_groups, output_path(directory, "efforts.html"), lang=lang, coverage=result.coverage)
    if progress:
        progress("exports for Gephi, igraph, networkx")
    exported = None  # all ties
    if result.graph.m > EXPORT_MAX_EDGES:
        exported = strongest_edges(result.graph.edges, EXPORT_MAX_EDGES)
        result.notes.append(
            f"graph.graphml/.gexf/.json keep the {EXPORT_MAX_EDGES:,} strongest of {result.graph.m:,} ties (most shared projects first); ties.csv has all of them"
            if lang != "sv"
            else f"graph.graphml/.gexf/.json innehåller de {format_int(EXPORT_MAX_EDGES, 'sv')} starkaste av {format_int(result.graph.m, 'sv')} banden (flest gemensamma projekt först); ties.csv har alla"
        )
    # straight from the tables: the same files as graph_with_metrics(...) through the writers
    write_graph_exports(result.graph, metrics, edges=exported, graphml=output_path(directory, "graph.graphml"),
                        gexf=output_path(directory, "graph.gexf"), node_link=output_path(directory, "graph.json"))
    lap("exports")
    if before_report is not None:
        figure_paths += list(before_report() or [])
        lap("waiting_for_tables")
    if progress:
        progress("report")
    svg = next((p for p in figure_paths if str(p).endswith(".svg")), None)
    figure_svg = Path(svg).read_text(encoding="utf-8") if svg else None
    write_report(result, directory, network_html=facts.page, figure_svg=figure_svg, views=facts)  # the view's page and its scripts, not re-read
    lap("report")
    facts["timings"] = timings
    return facts


VIEW_MAX_NODES = 1500  # the network view's backbone size (see views.network.write_network_html)
# vis-network stays fluid to a few thousand drawn ties (../shared/notes/pyvis.md); H2020's top
# 1,500 organisations share 128,000 ties, so a large view draws the strongest of them
VIEW_MAX_EDGES = 6000


def _view_graph(result: AnalysisResult, metrics, *, size_by: str, max_nodes: int):
    """The graph the views draw: every organisation, or only the backbone when large.

    The view of a graph above ``max_nodes`` organisations shows the ``max_nodes`` highest by
    ``size_by`` (ties by id) and the ties among them (the strongest, see :func:`_view_edges`);
    only those organisations and ties are built here, so a graph of 36,000 organisations and
    800,000 ties does not become a networkx graph of that size. ``nodes_total`` and
    ``edges_total`` keep the true counts for the page's banner and the figure's caption.
    """
    from .graph.export import graph_with_metrics

    graph = result.graph
    if graph.n <= max_nodes:
        return graph_with_metrics(graph, metrics)
    values = metrics[size_by].astype(float).where(lambda v: v.notna() & (v.abs() != float("inf")), 0.0).to_numpy()
    # only organisations at or above the max_nodes-th highest value can be among the highest
    candidates = np.flatnonzero(values >= np.partition(values, graph.n - max_nodes)[graph.n - max_nodes]).tolist()
    ids = graph.nodes["id"].to_numpy(dtype=object)
    keep = sorted(sorted(candidates, key=lambda k: (-values[k], str(ids[k])))[:max_nodes])
    inside = np.zeros(graph.n, dtype=bool)
    inside[keep] = True
    mask = inside[graph.edges["i"].to_numpy()] & inside[graph.edges["j"].to_numpy()]
    G = graph_with_metrics(graph, metrics, edges=_view_edges(graph.edges[mask], VIEW_MAX_EDGES), nodes=keep)
    G.graph["nodes_total"] = int(graph.n)
    G.graph["edges_total"] = int(graph.m)
    return G


def _view_edges(edges, limit: int):
    """The strongest ``limit`` ties, plus each organisation's own strongest tie.

    Without the second part an organisation whose ties are all weaker than the cut would be
    drawn as if it had none.
    """
    if len(edges) <= limit:
        return edges
    # the order of graph.export.strongest_edges: its first `limit` are the strongest
    ranked = edges.sort_values(["shared_projects", "weight", "i", "j"], ascending=[False, False, True, True], kind="stable")
    own = set(ranked.drop_duplicates("i").index) | set(ranked.drop_duplicates("j").index)
    chosen = set(ranked.index[:limit]) | own
    return edges.loc[sorted(chosen)]


def _view_metrics(result: AnalysisResult):
    """Per-organisation metrics plus roles, projects and bridging flags for tooltips and filters.

    ``roles`` is an organisation's distinct "role: project" labels, ``projects`` its distinct
    project names, each sorted and joined (by " | " and "|").
    """
    metrics = result.organisations.copy()
    package = result.package
    names = dict(zip(package.projects["id"], package.projects["name"]))
    p = package.participations
    project_names = p["project"].map(names).fillna(p["project"])
    roles = _sorted_labels(p["organisation"], p["role"] + ": " + project_names, " | ")
    projects = _sorted_labels(p["organisation"], project_names, "|")
    metrics["roles"] = metrics["id"].map(roles).fillna("")
    metrics["projects"] = metrics["id"].map(projects).fillna("")
    metrics["bridging"] = metrics["id"].isin(set(result.bridging["id"]))
    return metrics


def _sorted_labels(keys, labels, separator: str) -> pd.Series:
    """For each key, its distinct labels in sorted order joined by ``separator``.

    The same as ``groupby(keys).agg(lambda s: separator.join(sorted(set(s))))`` (missing keys left
    out), with one sort of all labels instead of one per key. Labels are text.
    """
    key = keys.to_numpy(dtype=object)
    label = labels.to_numpy(dtype=object)
    present = keys.notna().to_numpy()
    key, label = key[present], label[present]
    if not len(key):
        return pd.Series([], dtype=object)
    codes, uniques = pd.factorize(key)
    try:  # numpy's own strings sort in C, by code point as Python's str does
        sortable = np.array(label.tolist(), dtype=np.dtypes.StringDType(coerce=False))
    except (TypeError, ValueError, UnicodeError):
        sortable = label
    by_label = np.argsort(sortable, kind="stable")
    order = by_label[np.argsort(codes[by_label], kind="stable")]
    codes, sortable = codes[order], sortable[order]
    first_of_key = np.r_[True, codes[1:] != codes[:-1]]
    distinct = first_of_key | np.r_[True, sortable[1:] != sortable[:-1]]
    texts = label[order][distinct].tolist()
    starts = np.flatnonzero(first_of_key[distinct]).tolist() + [len(texts)]
    joined = [separator.join(texts[a:b]) for a, b in zip(starts[:-1], starts[1:])]
    return pd.Series(joined, index=pd.Index(uniques[codes[first_of_key]], dtype=object), dtype=object)


def _cells(series) -> list:
    """The cells of a column as iterating it yields them (text without pandas' per-cell overhead)."""
    if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
        return series.to_numpy(dtype=object).tolist()
    return list(series)


def _view_two_mode(package, *, max_nodes: int, start=None, end=None):
    """The two-mode graph the view draws: whole, or the backbone when above ``max_nodes`` nodes.

    The backbone is what :func:`views.network.write_two_mode_html` shows of the whole graph: the
    ``max_nodes`` organisations and projects with most ties (ties by node id) and the ties among
    them, built without building the rest (H2020: 67,000 nodes). What the page says about a drawn
    node that depends on the whole graph comes along as attributes: ``degree`` (ties in the whole
    graph) and, for organisations, ``projects`` (the names of all their projects, as the page
    would list them from the whole graph). ``nodes_total`` and ``edges_total`` are the whole
    graph's counts. When a project name would not survive being passed that way (blank, or
    padded with spaces) the whole graph is built instead.
    """
    import networkx as nx

    from .graph.multimode import two_mode_graph, two_mode_ties
    from .views.attributes import display_name, split_list
    from .text.format import sort_key

    organisations, projects = package.organisations, package.projects
    org_ids, project_ids = _cells(organisations["id"]), _cells(projects["id"])
    keys = [f"org:{v}" for v in org_ids] + [f"project:{v}" for v in project_ids]  # graph.multimode.node_key
    n_orgs = len(org_ids)
    if len(keys) <= max_nodes or len(set(keys)) != len(keys):
        return two_mode_graph(package, start=start, end=end)
    ties = two_mode_ties(package, start=start, end=end)
    u = pd.Index(org_ids, dtype=object).get_indexer(ties["organisation"].to_numpy(dtype=object))
    v = pd.Index(project_ids, dtype=object).get_indexer(ties["project"].to_numpy(dtype=object))
    if (u < 0).any() or (v < 0).any():  # a tie to an organisation or project not in the tables
        return two_mode_graph(package, start=start, end=end)
    v = v + n_orgs
    degree = np.bincount(np.concatenate([u, v]), minlength=len(keys))
    # the view's backbone: highest degree first, then id as text (views.backbone.select_backbone)
    threshold = np.sort(degree)[::-1][max_nodes - 1]
    candidates = np.flatnonzero(degree >= threshold).tolist()
    kept = sorted(sorted(candidates, key=lambda n: (-degree[n], keys[n]))[:max_nodes])
    inside = np.zeros(len(keys), dtype=bool)
    inside[kept] = True

    attributes = {}
    org_columns = [_cells(organisations[c]) for c in ("name", "type", "municipality", "region")]
    project_columns = [_cells(projects[c]) for c in ("name", "region")]
    for n in kept:
        if n < n_orgs:
            name, kind, municipality, region = (c[n] for c in org_columns)
            attributes[n] = {"kind": "organisation", "name": name, "type": kind, "municipality": municipality, "region": region}
        else:
            name, region = (c[n - n_orgs] for c in project_columns)
            attributes[n] = {"kind": "project", "name": name, "type": "project", "region": region}
        attributes[n]["degree"] = int(degree[n])
    # an organisation's projects, named as the page names them from the whole graph: a drawn
    # project by its shown name, any other by its name as given (views.network._view_data)
    drawn = set(kept)
    listed: dict = {n: set() for n in kept if n < n_orgs}
    named: dict = {}
    rows = np.flatnonzero(inside[u])
    for a, b in zip(u[rows].tolist(), v[rows].tolist()):
        name = named.get(b)
        if name is None:
            name = named[b] = (display_name(keys[b], attributes[b]) if b in drawn else None) or str(project_columns[0][b - n_orgs] or keys[b])
        listed[a].add(name)
    for n, names in listed.items():
        names = sorted(names, key=sort_key)
        if split_list(names) != names:
            return two_mode_graph(package, start=start, end=end)
        attributes[n]["projects"] = names
    B = nx.Graph()
    B.add_nodes_from((keys[n], attributes[n]) for n in kept)
    both = np.flatnonzero(inside[u] & inside[v])
    roles = _cells(ties["role"])
    B.add_edges_from((keys[a], keys[b], {"role": roles[k]}) for k, a, b in zip(both.tolist(), u[both].tolist(), v[both].tolist()))
    B.graph["nodes_total"] = len(keys)
    B.graph["edges_total"] = len(ties)
    return B


def _sampling_note(result: AnalysisResult) -> str | None:
    return " ".join(result.notes) or None


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


def run_analysis(package, directory: Path, options: AnalysisOptions, *, views: bool = True, size_by: str = "betweenness", progress=None):
    """Analyse a package and write every output into ``directory``."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file; give a folder for the outputs")
    _refuse_overwriting_inputs(package, directory)
    if views:
        _check_size_by(size_by)
    result = analyse(package, options, progress=progress)
    if progress:
        progress("writing tables")
    # the tables and the views need only the finished result: on Linux a forked worker writes
    # the tables while this process draws the views (the same files either way)
    tables = Background(_tables_and_figures, (result, directory, size_by if views else None), start=views, fork_only=True)
    try:
        if views:
            # the report lists the files and embeds the figure's SVG, so it waits for them
            facts = write_views(result, directory, size_by=size_by, progress=progress, before_report=lambda: tables.result()[2], figures=False)
            result.timings.update({f"views_{k}": v for k, v in facts.pop("timings", {}).items()})
        written, result.timings["write"], _, result.timings["views_figures"] = tables.result()
    finally:
        tables.cancel()
    return result, written


def _tables_and_figures(result: AnalysisResult, directory: Path, size_by: str | None) -> tuple[list[Path], float, list[Path], float]:
    """The tables and (unless ``size_by`` is None) the static figures, with their seconds.

    Run in the tables worker, or here: neither depends on the interactive views.
    """
    clock = time.perf_counter()
    written = write_analysis(result, directory)
    seconds = time.perf_counter() - clock
    if size_by is None:
        return written, seconds, [], 0.0
    clock = time.perf_counter()
    return written, seconds, write_figures(result, directory, size_by=size_by), time.perf_counter() - clock


def write_figures(result: AnalysisResult, directory: Path, *, size_by: str = "betweenness") -> list[Path]:
    """network.png and network.svg: the figure of the same graph the network view draws."""
    from .views.figures import write_static_figures

    G = _view_graph(result, _view_metrics(result), size_by=size_by, max_nodes=VIEW_MAX_NODES)
    return list(write_static_figures(G, output_path(Path(directory), "network"), title=_title(result), lang=result.options.lang, size_by=size_by, seed=result.options.seed))


def sampling_plan(package, options: AnalysisOptions) -> str | None:
    """What will be estimated rather than computed exactly, said before slow work starts."""
    from .metrics.centrality import DEFAULT_SOURCES, DEFAULT_SOURCES_WEIGHTED, EXACT_BETWEENNESS_MAX_NODES

    n = len(package.organisations)
    sv = options.lang == "sv"
    if options.sample:
        return (f"Mellanhetscentralitet skattas från {options.sample} slumpade källor (--sample)." if sv
                else f"Betweenness is estimated from {options.sample} sampled sources (--sample).")
    if n <= EXACT_BETWEENNESS_MAX_NODES:
        return None
    if sv:
        return (f"{format_int(n, 'sv')} organisationer: " + f"mellanhets- och närhetscentralitet skattas från {DEFAULT_SOURCES} "
                f"slumpade källor ({DEFAULT_SOURCES_WEIGHTED} viktade), eftersom exakt beräkning över "
                + format_int(EXACT_BETWEENNESS_MAX_NODES, "sv") + " organisationer tar timmar; felmarginalen står i resultaten.")
    return (f"{n:,} organisations: betweenness and closeness are estimated from {DEFAULT_SOURCES} sampled sources "
            f"({DEFAULT_SOURCES_WEIGHTED} weighted), because exact computation above {EXACT_BETWEENNESS_MAX_NODES:,} "
            f"organisations takes hours; the estimated error is stated in the outputs.")


def terminal_summary(result: AnalysisResult, directory: Path) -> str:
    """A few lines for the terminal: the figures that matter and where the report is."""
    s = result.summary
    sv = result.options.lang == "sv"

    lang = result.options.lang

    def num(value, digits=3):
        return format_fixed(value, lang, digits) if isinstance(value, float) else format_int(value, lang)

    lines = [
        f"{s.get('package', '')}: {num(s['organisations'])} {'organisationer' if sv else 'organisations'}, {num(s['projects'])} {'projekt' if sv else 'projects'}, {num(s.get('ties', 0))} {'band' if sv else 'ties'}",
        f"  {'täthet' if sv else 'density'} {num(s.get('density'))}, {'medelgrad' if sv else 'mean degree'} {num(s.get('mean_degree'), 2)}, {'komponenter' if sv else 'components'} {num(s.get('components'))}, {'modularitet' if sv else 'modularity'} {num(s.get('modularity'))}",
    ]
    if len(result.bridging):
        top = ", ".join(result.bridging["name"].head(3))
        lines.append(f"  {'brobyggare' if sv else 'bridging actors'}: {top}")
    gaps, notes = finding_counts(result.findings)
    lines.append(f"  {severity_words(lang, gaps, notes)}, {'vita fläckar' if sv else 'white spots'}: {num(s.get('white_spots', 0))}")
    # how each metric was computed is in the report and summary.json; here only what was cut or estimated
    for note in result.notes:
        if any(word in note for word in ("sampl", "estimat", "strongest", "starkaste", "skatt")):
            lines.append(f"  {note}")
    report = Path(directory) / "index.html"
    lines.append(f"{'Rapport' if sv else 'Report'}: {report if report.exists() else Path(directory)}")
    return "\n".join(lines)


def run_view(package, path: Path, options: AnalysisOptions, *, ego=None, two_mode=False, size_by="betweenness", max_nodes=1500) -> dict:
    """Write one view: the organisation network, its two-mode form, or one organisation's ego network."""
    from .graph.export import graph_with_metrics
    from .io.names import NameIndex
    from .views.network import write_ego_html, write_network_html, write_two_mode_html

    _check_size_by(size_by)
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"the view is an HTML file; give a name ending in .html (not '{path.name}')")
    title = package.name or "samverkan"
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


def run_compare_cli(packages, *, output, split_by, config, lang, seed, samples, min_organisations) -> Path:
    """Compare several packages, one package split by an attribute, or what a config file names."""
    from .compare import run as compare_run

    options = {k: v for k, v in {"seed": seed, "samples": samples, "min_organisations": min_organisations, "lang": lang}.items() if v is not None}
    if config is not None:
        if packages or split_by:
            raise UsageError("with --config, give no packages or --by: the config names them")
        return compare_run.run_compare_config(config, output=output, **options).directory
    if output is None:
        raise UsageError("give an output folder with -o")
    if not packages:
        raise UsageError("give two or more packages, or one package with --by ATTRIBUTE")
    if split_by is None and len(packages) < 2:
        raise UsageError("one package alone compares with nothing: give more packages or --by ATTRIBUTE (e.g. --by region)")
    return compare_run.run_compare(list(packages), output, by=split_by, **options).directory


def run_demo(examples: Path, output: Path, *, lang: str = "sv", progress=None) -> list[str]:
    """Analyse both bundled example regions and compare them; return lines saying where output is."""
    from .io.package import read_package

    examples = Path(examples)
    names = ["orebro-2014", "sodertorn-2009"]
    lines = []
    for name in names:
        source = examples / name
        if not source.exists():
            raise UsageError(f"the example package {source} is missing; run the demo from a clone of the samverkan repository")
        if progress:
            progress(f"analysing {name}")
        result, _ = run_analysis(read_package(source), Path(output) / name, AnalysisOptions(lang=lang), progress=progress)
        lines.append(terminal_summary(result, Path(output) / name))
    if progress:
        progress("comparing the two regions")
    comparison = run_compare_cli([examples / n for n in names], output=Path(output) / "comparison", split_by=None, config=None, lang=lang, seed=42, samples=None, min_organisations=None)
    lines.append(f"{'Jämförelse' if lang == 'sv' else 'Comparison'}: {Path(comparison) / 'index.html'}")
    return lines
