"""The pipeline's choices for large views: what is drawn stays honest."""

import sys

import numpy as np
import pandas as pd

from samverkan.views.selection import view_edges as _view_edges


def test_view_edges_keep_the_strongest_and_every_organisations_own_strongest_tie():
    rng = np.random.default_rng(1)
    pairs = {tuple(sorted(rng.choice(60, 2, replace=False))) for _ in range(400)}
    edges = pd.DataFrame(sorted(pairs), columns=["i", "j"])
    edges["shared_projects"] = rng.integers(1, 6, len(edges))
    edges["weight"] = rng.random(len(edges))
    chosen = _view_edges(edges, 20)
    strongest = edges.sort_values(["shared_projects", "weight"], ascending=False).head(20)
    assert set(strongest.index) <= set(chosen.index)
    tied = set(edges["i"]) | set(edges["j"])
    assert tied == set(chosen["i"]) | set(chosen["j"])  # nobody with ties is drawn as an isolate
    assert len(chosen) < len(edges)
    assert _view_edges(edges, 10_000) is edges


def test_swedish_method_notes_say_what_was_sampled_and_its_error():
    from samverkan.text.notes import computation_notes

    unsampled = {"exact": True, "sources": None, "relative_error": None, "top": 0, "calibration": None}
    facts = {
        "n": 35871,
        "group_by": "type",
        "seed": 42,
        "modularity": 0.409,
        "communities_min2": 258,
        "measures": {
            "betweenness": {"exact": False, "sources": 256, "relative_error": 0.223, "top": 50, "calibration": None},
            "betweenness_weighted": unsampled,
            "closeness": unsampled,
        },
        "notes": ["unweighted betweenness estimated from 256 of 35,871 organisations"],
    }
    notes = computation_notes(facts, "sv")
    assert notes[0].endswith("skattad från 256 slumpvis valda startorganisationer av 35\u202f871 (frö 42); mediant relativt standardfel 22,3 % bland de 50 högsta")
    assert "exakt beräknad för alla 35\u202f871" in notes[1]
    assert "258 grupper med minst två organisationer; modularitet 0,409" in notes[3]
    assert computation_notes(facts, "en") == facts["notes"]  # the metric modules' own sentences


# --- the views' graphs are cut before networkx sees them: the pages stay the same -------------

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from .graph.test_projection import make_package  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"


def _reference_labels(keys, labels, separator):
    """What _view_metrics did per organisation before: a sort of its own labels."""
    frame = pd.DataFrame({"k": keys, "v": labels})
    return frame.groupby("k")["v"].agg(lambda s: separator.join(sorted(set(s))))


def test_sorted_labels_are_those_of_a_sort_per_key():
    from samverkan.views.selection import sorted_labels as _sorted_labels

    rng = np.random.default_rng(3)
    words = ["Ö", "a", "B", "b", "Å", "ä", "z", "Z 2", "z 10", "北京", "\ud800x", "owner: P1", "owner: P1 "]
    keys = pd.Series(rng.choice(["o1", "o2", "o3", "o4", None], 300), dtype=object)
    labels = pd.Series(rng.choice(words, 300), dtype=object)
    for separator in ("|", " | "):
        got = _sorted_labels(keys, labels, separator)
        expected = _reference_labels(keys[keys.notna()], labels[keys.notna()], separator)
        assert got.sort_index().to_dict() == expected.to_dict()
    assert _sorted_labels(pd.Series([None], dtype=object), pd.Series(["x"], dtype=object), "|").empty


def test_two_mode_ties_are_the_groupby_of_before():
    from samverkan.graph.multimode import two_mode_ties

    pkg = make_package([("p2", "b", "owner"), ("p1", "a", "partner"), ("p1", "a", "owner"), ("p1", "a", "owner"), ("p2", "c", "steering"), ("p1", "b", "Ö-roll"), ("p3", "a", "benchmark")])
    pairs = pkg.participations[["organisation", "project", "role"]].drop_duplicates().sort_values(["organisation", "project", "role"], kind="stable")
    before = pairs.groupby(["organisation", "project"], sort=True)["role"].agg("|".join)
    ties = two_mode_ties(pkg)
    assert list(zip(ties["organisation"], ties["project"], ties["role"])) == [(o, p, r) for (o, p), r in before.items()]
    assert [(o, p, r) for (o, p), r in before.items()] == [("a", "p1", "owner|partner"), ("a", "p3", "benchmark"), ("b", "p1", "Ö-roll"), ("b", "p2", "owner"), ("c", "p2", "steering")]
    assert two_mode_ties(pkg, exclude_roles=["owner"])["role"].tolist() == ["partner", "benchmark", "Ö-roll", "steering"]


@pytest.fixture(scope="module")
def sodertorn():
    from samverkan.analysis import AnalysisOptions, analyse
    from samverkan.io.package import read_package

    return analyse(read_package(DATA / "sodertorn-2009"), AnalysisOptions())


def test_network_view_of_the_backbone_only_is_the_page_of_before(sodertorn, tmp_path, monkeypatch):
    """The view graph holds only the backbone; the page and the figure are those drawn from a
    graph of every organisation with the same ties (how the view was built before)."""
    import samverkan.views.selection as selection
    from samverkan.graph.export import graph_with_metrics
    from samverkan.views.figures import write_static_figures
    from samverkan.views.network import write_network_html

    monkeypatch.setattr(selection, "VIEW_MAX_EDGES", 25)  # the strongest ties and each one's own strongest
    result, graph, size_by, max_nodes = sodertorn, sodertorn.graph, "betweenness", 12
    metrics = selection.view_metrics(result)
    cut = selection.view_graph(result, metrics, size_by=size_by, max_nodes=max_nodes)
    values = metrics[size_by].astype(float).where(lambda v: v.notna() & (v.abs() != float("inf")), 0.0)
    order = sorted(range(graph.n), key=lambda k: (-values.iloc[k], str(graph.nodes["id"].iloc[k])))
    keep = set(order[:max_nodes])
    mask = graph.edges["i"].isin(keep) & graph.edges["j"].isin(keep)
    whole = graph_with_metrics(graph, metrics, edges=selection.view_edges(graph.edges[mask.to_numpy()], 25))
    whole.graph["edges_total"] = graph.m
    assert cut.number_of_nodes() == max_nodes < whole.number_of_nodes() and cut.graph["nodes_total"] == graph.n
    pages = []
    for name, G in (("cut", cut), ("whole", whole)):
        facts = write_network_html(G, tmp_path / f"{name}.html", title="T", size_by=size_by, max_nodes=max_nodes)
        write_static_figures(G, tmp_path / name, title="T", size_by=size_by, max_nodes=5)
        pages.append(facts)
    assert pages[0] == pages[1] and pages[0]["nodes_total"] == graph.n and pages[0]["backbone"]
    assert (tmp_path / "cut.html").read_bytes() == (tmp_path / "whole.html").read_bytes()
    assert (tmp_path / "cut.svg").read_bytes() == (tmp_path / "whole.svg").read_bytes()


def _two_mode_package():
    rows = [(f"p{k % 9}", f"o{k % 23}", ["owner", "partner", "steering", "styrgrupp"][k % 4]) for k in range(70)]
    rows += [("p9", "o1", "partner"), ("p9", "o2", "owner")]
    pkg = make_package(rows, organisations=[f"o{k}" for k in range(25)])  # o23, o24 take part in nothing
    projects = pkg.tables["projects"]
    # p1 and p9 have no name: a drawn one is shown by its id, one beyond the backbone by its node key
    projects["name"] = ["Alfa & <b>", "", "Åtgärd", "beta", "Öppen", "x\x0by", "Gamma", "delta", "Epsilon", ""][: len(projects)]
    pkg.tables["organisations"]["municipality"] = ["Huddinge", "", "Tyresö", "Botkyrka", "Haninge"] * 5
    return pkg


@pytest.mark.parametrize("max_nodes", [8, 15, 1500])
def test_two_mode_view_of_the_backbone_only_is_the_page_of_before(tmp_path, max_nodes):
    """Orgs and projects beyond the backbone are never built, yet the page (degrees, participants,
    every project an organisation is in, named as before) is the one drawn from the whole graph."""
    from samverkan.graph.multimode import two_mode_graph
    from samverkan.views.selection import view_two_mode as _view_two_mode
    from samverkan.views.network import write_two_mode_html

    pkg = _two_mode_package()
    whole = two_mode_graph(pkg)
    cut = _view_two_mode(pkg, max_nodes=max_nodes)
    if max_nodes < whole.number_of_nodes():
        assert cut.number_of_nodes() == max_nodes and cut.graph == {"nodes_total": whole.number_of_nodes(), "edges_total": whole.number_of_edges()}
    facts = [write_two_mode_html(G, tmp_path / f"{name}.html", title="T", max_nodes=max_nodes) for name, G in (("cut", cut), ("whole", whole))]
    assert facts[0] == facts[1]
    assert (tmp_path / "cut.html").read_bytes() == (tmp_path / "whole.html").read_bytes()


def test_two_mode_view_builds_the_whole_graph_when_a_name_would_change(tmp_path):
    from samverkan.graph.multimode import two_mode_graph
    from samverkan.views.selection import view_two_mode as _view_two_mode

    pkg = _two_mode_package()
    assert "nodes_total" in _view_two_mode(pkg, max_nodes=15).graph
    pkg.tables["projects"].loc[9, "name"] = "  padded name  "  # beyond the backbone: listed unstripped
    assert "nodes_total" not in _view_two_mode(pkg, max_nodes=15).graph
    assert _view_two_mode(pkg, max_nodes=15).number_of_nodes() == two_mode_graph(pkg).number_of_nodes()


def _reference_project_ids_and_names(organisations, projects, project_names):
    """What view_metrics did before: drop duplicate rows, sort by all three, join per organisation."""
    pairs = pd.DataFrame({"o": organisations, "n": project_names.astype(str).str.replace("|", "/", regex=False).str.strip(), "i": projects.astype(str).str.replace("|", "/", regex=False).str.strip()})
    pairs = pairs[organisations.notna().to_numpy()].drop_duplicates().sort_values(["o", "n", "i"], kind="stable")
    grouped = pairs.groupby("o", sort=False)
    return grouped["i"].agg("|".join), grouped["n"].agg("|".join)


@pytest.mark.parametrize("seed", range(5))
def test_project_ids_and_names_are_the_groupby_join_of_before(seed):
    from samverkan.views.selection import _project_ids_and_names

    rng = np.random.default_rng(seed)
    words = ["Ö", "a", "B", "b|c", " Å ", "ä", "z", "Z 2", "z 10", "北京", "\ud800x", "owner: P1", "", " "]
    project_ids = [f"p{k}" for k in range(12)] + ["p|1", " p2"]
    name_of = {p: rng.choice(words) for p in project_ids}
    name_of["p3"] = name_of["p4"]  # two projects sharing a name
    n = 200
    organisations = pd.Series(rng.choice(["o1", "o2", "o3", "Ö4", "o5", None], n), dtype=object)
    projects = pd.Series([project_ids[k] for k in rng.integers(0, len(project_ids), n)], dtype=object)
    project_names = projects.map(lambda p: None if p == "p5" else name_of[p]).fillna(projects)
    ids, names = _project_ids_and_names(organisations, projects, project_names)
    expected_ids, expected_names = _reference_project_ids_and_names(organisations, projects, project_names)
    assert ids.to_dict() == expected_ids.to_dict() and names.to_dict() == expected_names.to_dict()
    assert list(ids.index) == list(expected_ids.index)
    none = pd.Series([None, None], dtype=object)
    assert _project_ids_and_names(none, pd.Series(["p1", "p2"], dtype=object), pd.Series(["a", "b"], dtype=object))[0].empty


def _take_in_worker(jobs, name):
    return jobs.take(name)


def _take_and_die(jobs, name):
    import os

    jobs.take(name)
    os._exit(3)  # taken, never delivered


def test_shared_jobs_are_each_taken_once_by_the_worker_or_here(monkeypatch):
    from samverkan.parallel import Background
    from samverkan.pipeline import _SharedJobs

    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    jobs = _SharedJobs(("exports", "figures"), shared=True)
    worker = Background(_take_in_worker, (jobs, "exports"), fork_only=True)
    assert worker.result() is True
    if worker.ran_in_worker:  # (Linux) the worker's mark is seen here: not done twice
        assert not jobs.take("exports")
    assert jobs.take("figures") and not jobs.take("figures") and not jobs.take("figures", again=True)
    # without a worker: each once, here
    local = _SharedJobs(("exports",), shared=False)
    assert local.take("exports") and not local.take("exports") and not local.take("exports", again=True)


def test_a_job_taken_by_a_worker_that_died_is_done_here(monkeypatch):
    import sys

    from samverkan.parallel import Background
    from samverkan.pipeline import _SharedJobs

    if not sys.platform.startswith("linux"):
        pytest.skip("forked workers: Linux")
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    jobs = _SharedJobs(("exports",), shared=True)
    worker = Background(_take_and_die, (jobs, "exports"), fork_only=True)
    worker._process.join()
    assert not jobs.take("exports")  # the worker's mark: not to be done twice while it may be at work
    assert jobs.take("exports", again=True)  # its function, run here once it is gone, does it


def test_outputs_are_the_same_whichever_process_writes_the_figure_and_exports(sodertorn, tmp_path, monkeypatch):
    """A slow tables worker leaves the figure and the exports to this process; the files are those of one process."""
    import copy

    from samverkan import pipeline

    monkeypatch.setenv("SAMVERKAN_WORKERS", "1")
    pipeline.write_result(copy.deepcopy(sodertorn), tmp_path / "one")
    # the worker writes its tables only once this process has asked for the shared jobs
    import multiprocessing
    import os

    asked = multiprocessing.get_context("fork").Event() if sys.platform.startswith("linux") else None
    home, original_write, original_take = os.getpid(), pipeline.write_analysis, pipeline._SharedJobs.take

    def slow(*args, **kwargs):
        if asked is not None and os.getpid() != home:
            asked.wait(60)
        return original_write(*args, **kwargs)

    def take(self, name, **kwargs):
        taken = original_take(self, name, **kwargs)
        if asked is not None and os.getpid() == home:
            asked.set()
        return taken

    monkeypatch.setattr(pipeline, "write_analysis", slow)  # (a forked worker inherits the patches)
    monkeypatch.setattr(pipeline._SharedJobs, "take", take)
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    result = copy.deepcopy(sodertorn)
    pipeline.write_result(result, tmp_path / "two")
    assert result.timings.get("views_figures_here", 0) > 0 or not sys.platform.startswith("linux")
    one = {p.name: p.read_bytes() for p in sorted((tmp_path / "one").iterdir()) if p.suffix != ".xlsx"}
    two = {p.name: p.read_bytes() for p in sorted((tmp_path / "two").iterdir()) if p.suffix != ".xlsx"}
    assert one == two


@pytest.mark.parametrize("seed", range(4))
def test_label_columns_of_text_are_those_of_the_general_path(seed):
    """view_metrics' roles, projects, project_ids and project_names: the one-factorization path for
    text cells gives the same columns (values, type, order) as the per-row path it replaces."""
    from samverkan.views.selection import _label_columns, _label_columns_general

    rng = np.random.default_rng(seed)
    words = ["Ö", "a", "B", "b|c", " Å ", "ä", "z", "Z 2", "z 10", "北京", "\ud800x", "owner: P1", "", " ", "a: b"]
    if seed % 2:  # every name as the page writes it (no "|", no padding): the projects column from the pairs
        words = [w for w in words if w == w.replace("|", "/").strip()]
    project_ids = [f"p{k}" for k in range(12)] + ["p|1", " p2", "p2"]
    projects = pd.DataFrame({"id": project_ids + ["p0"], "name": [str(rng.choice(words)) for _ in project_ids] + ["last wins"]})
    projects.loc[5, "name"] = None  # no name: the id stands in
    n = 300
    participations = pd.DataFrame(
        {
            "organisation": pd.Series(rng.choice(["o1", "o2", "o3", "Ö4", "o5", None], n), dtype=object),
            "project": [str(rng.choice(project_ids + ["unknown"])) for _ in range(n)],
            "role": rng.choice(["owner", "lead", "a", "a:", "working"], n).tolist(),
        }
    )
    ids = pd.Series(["o1", "o2", "o3", "Ö4", "o5", "o6"])
    fast = _label_columns(participations, projects, ids)
    general = _label_columns_general(participations, projects, ids)
    assert fast is not None and list(fast) == list(general)
    for column in general:
        pd.testing.assert_series_equal(fast[column], general[column])
    # a cell that is not text: the general path decides
    participations["role"] = participations["role"].astype(object)
    participations.loc[0, "role"] = 3
    assert _label_columns(participations, projects, ids) is None


@pytest.mark.parametrize("seed", range(4))
def test_strongest_rows_are_the_ties_view_edges_picks(seed):
    """view_graph takes the view's ties by position from the sort keys alone: the same rows, in the
    same order, as view_edges of the ties inside (equal keys, missing weights, -0.0 included)."""
    from samverkan.views.selection import _strongest_rows, view_edges

    rng = np.random.default_rng(seed)
    m = 400
    weight = rng.choice([0.5, 1.0, 2.0, -0.0, 0.0, np.nan], m)
    edges = pd.DataFrame({"source": [f"s{k}" for k in range(m)], "i": rng.integers(0, 30, m), "j": rng.integers(0, 30, m), "shared_projects": rng.integers(1, 4, m), "weight": weight})
    rows = np.sort(rng.choice(m, 250, replace=False))
    for limit in (10, 100, 250, 300):
        got = edges.iloc[_strongest_rows(edges, rows, limit)]
        pd.testing.assert_frame_equal(got, view_edges(edges.iloc[rows], limit))
    edges["weight"] = edges["weight"].astype(object)  # not a number column: view_edges decides
    assert _strongest_rows(edges, rows, 10) is None


def test_standby_writers_only_for_small_packages_and_the_files_are_the_same_either_way(tmp_path, monkeypatch):
    """A small package's writers' worker is forked before the analysis (parallel.Standby); a large one's after it."""
    from samverkan import pipeline
    from samverkan.analysis import AnalysisOptions
    from samverkan.io.package import read_package

    source = Path(__file__).resolve().parents[1] / "data" / "sodertorn-2009"
    package = read_package(source)
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    linux = sys.platform.startswith("linux")
    standby = pipeline.standby_writers(source)  # as the CLI does, before reading the package
    assert (standby is not None) == linux
    pipeline.run_analysis(package, tmp_path / "standby", AnalysisOptions(), standby=standby)
    if standby is not None:
        assert standby.worker.ran_in_worker
    started = []
    original = pipeline._StandbyWriters.start

    def start():
        started.append(original())
        return started[-1]

    monkeypatch.setattr(pipeline._StandbyWriters, "start", start)
    pipeline.run_analysis(package, tmp_path / "own", AnalysisOptions())  # the API's way: forked before the analysis
    assert len(started) == 1
    monkeypatch.setattr(pipeline, "STANDBY_MAX_BYTES", 0)
    assert pipeline.standby_writers(source) is None
    monkeypatch.setattr(pipeline, "STANDBY_MAX_ORGANISATIONS", 0)  # as for H2020: the worker is forked after the analysis
    given = original()
    pipeline.run_analysis(package, tmp_path / "after", AnalysisOptions(), standby=given)  # let go: the package is large
    assert len(started) == 1 and (given is None or given.worker._process is None)
    outputs = [{p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir()) if p.suffix != ".xlsx"} for name in ("standby", "own", "after")]
    assert outputs[0] == outputs[1] == outputs[2] and {"map.svg", "map.png", "map.html", "network.png", "index.html"} <= set(outputs[0])


def test_a_path_worker_only_for_large_files_and_let_go_when_the_graph_is_small(tmp_path, monkeypatch):
    """pipeline.standby_path_worker: forked before reading when the files are large; run_analysis uses it or lets it go."""
    from samverkan import pipeline
    from samverkan.analysis import AnalysisOptions
    from samverkan.io.package import read_package

    source = Path(__file__).resolve().parents[1] / "data" / "sodertorn-2009"
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    assert pipeline.standby_path_worker(source) is None  # 68 kB: searched exactly, here
    monkeypatch.setattr(pipeline, "STANDBY_MAX_BYTES", 0)
    worker = pipeline.standby_path_worker(source)
    assert (worker is not None) == sys.platform.startswith("linux")
    package = read_package(source)
    pipeline.run_analysis(package, tmp_path / "with", AnalysisOptions(), views=False, path_worker=worker)
    assert worker is None or worker._process is None  # Södertörn's graph is small: let go
    pipeline.run_analysis(package, tmp_path / "without", AnalysisOptions(), views=False)
    outputs = [{p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir()) if p.suffix != ".xlsx"} for name in ("with", "without")]
    assert outputs[0] == outputs[1]


def test_analyse_from_the_cli_with_the_path_worker_forked_before_reading_writes_the_same_files(tmp_path, monkeypatch):
    """The command as a user runs it, with a package counted as large: the path worker, forked before
    the package is read, is sent the ties and its measures are the ones computed here."""
    from click.testing import CliRunner

    from samverkan import pipeline
    from samverkan.cli import main
    from samverkan.metrics import centrality

    source = Path(__file__).resolve().parents[1] / "data" / "sodertorn-2009"
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    runner = CliRunner()
    assert runner.invoke(main, ["analyse", str(source), "-o", str(tmp_path / "as-usual"), "-q"]).exit_code == 0
    sent = []
    original = centrality.path_worker_on_standby

    def forked():
        worker = original()
        sent.append(worker)
        return worker

    monkeypatch.setattr(pipeline, "STANDBY_MAX_BYTES", 0)  # Södertörn's 68 kB counted as large
    monkeypatch.setattr(centrality, "BACKGROUND_MIN_TIES", 1)  # and its 121 ties searched in the worker
    monkeypatch.setattr(centrality, "path_worker_on_standby", forked)
    assert runner.invoke(main, ["analyse", str(source), "-o", str(tmp_path / "large"), "-q"]).exit_code == 0
    assert len(sent) == 1 and (sent[0] is None or sent[0].ran_in_worker)
    assert (sent[0] is not None) == sys.platform.startswith("linux")
    outputs = [{p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir()) if p.suffix != ".xlsx"} for name in ("as-usual", "large")]
    assert outputs[0] == outputs[1]
