"""The second core: same results as one process, and never a lost analysis."""

import os

import numpy as np
import pandas as pd
import pytest

from samverkan import parallel
from samverkan.graph.projection import CollaborationGraph
from samverkan.metrics import bridging, centrality


def _square(x):
    return x * x


def _fail(message):
    raise ValueError(message)


def _die():
    os._exit(3)  # a worker killed mid-way (out of memory, a signal)


def test_result_comes_from_the_worker(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    job = parallel.in_background(_square, 7)
    assert job.result() == 49
    assert job.ran_in_worker


def test_exceptions_in_the_worker_reach_the_caller(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    job = parallel.in_background(_fail, "bad tie")
    with pytest.raises(ValueError, match="bad tie"):
        job.result()


def test_a_dead_worker_is_replaced_by_running_here(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    job = parallel.in_background(_die)
    monkeypatch.setattr(job, "_function", _square)  # what "here" computes once the worker is gone
    monkeypatch.setattr(job, "_args", (5,))
    assert job.result() == 25
    assert not job.ran_in_worker


def test_one_worker_setting_runs_everything_here(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "1")
    job = parallel.in_background(_square, 3)
    assert job._process is None
    assert job.result() == 9 and not job.ran_in_worker


def test_cancel_stops_a_running_worker(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    import time

    job = parallel.in_background(time.sleep, 30)
    process = job._process
    job.cancel()
    assert not process.is_alive()


def _random_graph(n, m, seed):
    rng = np.random.default_rng(seed)
    pairs = set()
    while len(pairs) < m:
        a, b = sorted(rng.choice(n, size=2, replace=False).tolist())
        pairs.add((a, b))
    i, j = np.array(sorted(pairs)).T
    edges = pd.DataFrame({"i": i, "j": j, "source": [f"o{a}" for a in i], "target": [f"o{b}" for b in j], "shared_projects": 1, "newman_weight": rng.uniform(0.1, 2, m), "direct_weight": 0.0})
    edges["weight"] = edges["newman_weight"]
    nodes = pd.DataFrame({"id": [f"o{k}" for k in range(n)], "name": [f"Org {k}" for k in range(n)], "type": rng.choice(["municipality", "agency", "ngo"], n)})
    import scipy.sparse as sp

    return CollaborationGraph(nodes, edges, pd.DataFrame(), sp.csr_matrix((n, 0)), pd.DataFrame())


@pytest.mark.parametrize("sample", [None, 40])
def test_metrics_identical_with_and_without_the_worker(monkeypatch, sample):
    G = _random_graph(300, 1500, seed=4)
    monkeypatch.setattr(centrality, "BACKGROUND_MIN_TIES", 1)
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    started = []
    original = parallel.Background.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        started.append(self._process is not None)

    monkeypatch.setattr(parallel.Background, "__init__", spy)
    parallel_frame, parallel_notes = bridging.organisation_metrics(G, sample=sample)
    assert started == [True]
    monkeypatch.setenv("SAMVERKAN_WORKERS", "1")
    serial_frame, serial_notes = bridging.organisation_metrics(G, sample=sample)
    pd.testing.assert_frame_equal(parallel_frame, serial_frame, check_exact=True)
    assert parallel_notes == serial_notes


def test_spawn_start_as_on_windows_and_macos_gives_the_same_metrics(monkeypatch):
    import multiprocessing

    G = _random_graph(120, 500, seed=9)
    monkeypatch.setattr(centrality, "BACKGROUND_MIN_TIES", 1)
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("spawn"))
    job = centrality.path_measures_in_background(G, seed=3)
    spawned = job.result()
    assert job.ran_in_worker
    here = centrality.path_measures(G, seed=3)
    for a, b in zip(spawned, here):
        pd.testing.assert_series_equal(a.values, b.values, check_exact=True)
        assert a.note == b.note


EXAMPLE = __import__("pathlib").Path(__file__).resolve().parents[1] / "data" / "sodertorn-2009"


def _outputs(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.suffix != ".xlsx"}


def test_tables_written_by_the_worker_equal_those_written_here(tmp_path, monkeypatch):
    from samverkan.analysis import AnalysisOptions
    from samverkan.io.package import read_package
    from samverkan.pipeline import run_analysis

    package = read_package(EXAMPLE)
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    _, written_parallel = run_analysis(package, tmp_path / "two", AnalysisOptions())
    monkeypatch.setenv("SAMVERKAN_WORKERS", "1")
    _, written_serial = run_analysis(package, tmp_path / "one", AnalysisOptions())
    assert [p.name for p in written_parallel] == [p.name for p in written_serial]
    assert _outputs(tmp_path / "two") == _outputs(tmp_path / "one")


def test_a_failure_while_writing_tables_in_the_worker_reaches_the_caller(tmp_path, monkeypatch):
    from samverkan import pipeline
    from samverkan.analysis import AnalysisOptions
    from samverkan.io.package import read_package

    def broken(result, directory, **options):
        raise PermissionError(f"{directory} is read-only")

    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    monkeypatch.setattr(pipeline, "write_analysis", broken)  # a forked worker inherits the patch
    with pytest.raises(PermissionError, match="read-only"):
        pipeline.run_analysis(read_package(EXAMPLE), tmp_path / "out", AnalysisOptions())


def test_a_result_is_collected_once(monkeypatch):
    calls = []

    def count():
        calls.append(1)
        return len(calls)

    monkeypatch.setenv("SAMVERKAN_WORKERS", "1")
    job = parallel.in_background(count)
    assert job.result() == job.result() == 1 and len(calls) == 1


# Standby: a worker forked before its arguments exist (small runs: the writers import while the analysis runs)


def _prepare_colorsys():
    import colorsys  # noqa: F401  (a module nothing else here imports)


def _add_and_report(base, more, *, times=1):
    import sys

    return base + more * times, "colorsys" in sys.modules, os.getpid()


def _linux_fork():
    return parallel.can_fork()


def test_standby_prepares_in_the_worker_and_runs_the_job_there_with_the_arguments_sent_later(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    job = parallel.Standby(_add_and_report, (10,), prepare=_prepare_colorsys)
    job.send(3, times=2)
    value, prepared, pid = job.result()
    assert value == 16
    if _linux_fork():
        assert job.ran_in_worker and prepared and pid != os.getpid()
    assert job.result() == (value, prepared, pid)  # collected once


def test_standby_runs_here_without_workers_and_when_the_arguments_cannot_be_pickled(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "1")
    job = parallel.Standby(_add_and_report, (1,), prepare=_prepare_colorsys)
    assert job._process is None
    job.send(2)
    assert job.result()[0] == 3 and not job.ran_in_worker
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    job = parallel.Standby(_add_and_report, ([1],))
    job.send([lambda: None])  # a lambda does not pickle: the worker is let go, the job runs here
    value, _, pid = job.result()
    assert len(value) == 2 and pid == os.getpid() and not job.ran_in_worker


def test_standby_errors_reach_the_caller_and_a_dead_worker_is_replaced(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    job = parallel.Standby(_fail)
    job.send("bad tie")
    with pytest.raises(ValueError, match="bad tie"):
        job.result()
    job = parallel.Standby(_die)
    job.send()
    monkeypatch.setattr(job, "_function", _square)  # what "here" computes once the worker is gone
    monkeypatch.setattr(job, "_args", (6,))
    assert job.result() == 36 and not job.ran_in_worker


def test_standby_cancelled_before_its_arguments_leaves_no_worker(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    job = parallel.Standby(_square, prepare=_prepare_colorsys)
    process = job._process
    job.cancel()
    assert job._process is None and (process is None or not process.is_alive())
    with pytest.raises(RuntimeError, match="send"):
        parallel.Standby(_square, start=False).result()


def test_a_child_forked_by_a_worker_delivers_its_value_or_its_error(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    child = parallel.Child(_add_and_report, 1, 2)
    value, _, pid = child.result()
    assert value == 3 and (pid != os.getpid() or not _linux_fork())
    with pytest.raises(ValueError, match="no row"):
        parallel.Child(_fail, "no row").result()
    died = parallel.Child(_die)
    died._function, died._args = _square, (4,)  # what "here" computes once the child is gone
    assert died.result() == 16
    monkeypatch.setenv("SAMVERKAN_WORKERS", "1")
    here = parallel.Child(_add_and_report, 2, 2)
    assert here._pid is None and here.result()[2] == os.getpid()


def _first_then_later(first, later):
    return first, os.getpid(), later.get()


def _ends_without_reading(later):
    return "done"


LARGE = {"rows": list(range(200_000))}  # more than a pipe holds: the writer must not hang


@pytest.mark.parametrize("workers", ["2", "1"])
def test_later_hands_a_value_to_a_worker_already_at_work(monkeypatch, workers):
    """parallel.Later: the worker begins, the caller sets the value afterwards, the worker gets it (or it runs here)."""
    monkeypatch.setenv("SAMVERKAN_WORKERS", workers)
    later = parallel.Later()
    job = parallel.Background(_first_then_later, ("tables", later), fork_only=True)
    later.set(LARGE)
    first, pid, value = job.result()
    later.close()
    assert first == "tables" and value == LARGE
    forked = workers == "2" and parallel.can_fork()
    assert job.ran_in_worker == forked and (pid != os.getpid()) == forked


def test_later_set_never_hangs_when_the_worker_ends_unread(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    later = parallel.Later()
    job = parallel.Background(_ends_without_reading, (later,), fork_only=True)
    assert job.result() == "done"
    later.set(LARGE)  # the worker is gone: the pipe breaks instead of filling up
    later.close()
    assert later.get() == LARGE  # here, the value set


def test_later_get_before_set_in_this_process_is_an_error():
    with pytest.raises(RuntimeError, match="set"):
        parallel.Later().get()


@pytest.mark.parametrize("sample", [None, 40])
def test_a_path_worker_forked_before_the_graph_gives_the_same_measures(monkeypatch, sample):
    """centrality.path_worker_on_standby: forked before the package is read, it loads the compiled searches, then is sent the ties."""
    G = _random_graph(300, 1500, seed=5)
    monkeypatch.setattr(centrality, "BACKGROUND_MIN_TIES", 1)
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    worker = centrality.path_worker_on_standby()
    assert (worker is not None) == parallel.can_fork()
    pending = bridging.start_organisation_metrics(G, sample=sample, path_worker=worker)
    try:
        frame, notes = pending.result()
    finally:
        pending.cancel()
    assert worker is None or worker.ran_in_worker
    monkeypatch.setenv("SAMVERKAN_WORKERS", "1")
    here_frame, here_notes = bridging.organisation_metrics(G, sample=sample)
    pd.testing.assert_frame_equal(frame, here_frame, check_exact=True)
    assert notes == here_notes


def test_a_path_worker_is_let_go_when_the_graph_is_small(monkeypatch):
    monkeypatch.setenv("SAMVERKAN_WORKERS", "2")
    worker = centrality.path_worker_on_standby()
    if worker is None:
        pytest.skip("no fork here")
    G = _random_graph(40, 80, seed=2)  # below BACKGROUND_MIN_TIES: searched here
    here = centrality.path_measures(G, seed=3)
    job = centrality.path_measures_in_background(G, seed=3, standby=worker)
    assert job is not worker and worker._process is None and not job.ran_in_worker
    for a, b in zip(job.result(), here):
        pd.testing.assert_series_equal(a.values, b.values, check_exact=True)
