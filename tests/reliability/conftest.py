"""Fixtures of the reliability suite and the line that reports how many fuzz cases ran."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import reliability_kit as kit  # noqa: E402


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not kit.STATS:
        return
    xfailed = {report.nodeid.split("::")[-1].split("[")[0] for report in terminalreporter.stats.get("xfailed", [])}
    terminalreporter.section("reliability fuzzing")
    for line in kit.summary_lines(xfailed):
        terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A module-wide scratch folder (hypothesis tests cannot use the function-scoped tmp_path)."""
    return tmp_path_factory.mktemp("reliability")


# --------------------------------------------------------------------------------------------
# Whole analyses, run once per session and shared by the interrupt, determinism, injection and
# privacy tests (each run costs seconds).

import subprocess  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402


@dataclass
class Run:
    output: Path
    seconds: float
    exit_code: int
    log: str


@pytest.fixture(scope="session")
def analysis_ready():
    missing = kit.missing_modules(kit.ANALYSIS_MODULES + kit.VIEW_MODULES)
    # a module that cannot be imported is a broken refactor, not work to come: fail, never skip
    assert not missing, f"analyse cannot run; modules that do not import: {', '.join(missing)}"


def _check_run(run: Run) -> Run:
    assert run.exit_code == 0, run.log[-3000:]
    return run


@pytest.fixture(scope="session")
def reference_runs(tmp_path_factory, analysis_ready):
    """`samverkan analyse data/sodertorn-2009` twice, in two processes with different hash seeds.

    The second run writes over the output of a third run that was killed (SIGKILL) after 1.5 s, so
    comparing the two also shows that an interrupted output is completed by the next run."""
    import os
    import signal

    base = tmp_path_factory.mktemp("reference")
    first_out, second_out = base / "run-seed-1", base / "run-seed-2-over-killed"

    def start(out, seed):
        return subprocess.Popen(
            kit.cli_command("analyse", kit.SODERTORN, "-o", out, "-q"),
            env=kit.cli_env(PYTHONHASHSEED=seed),
            cwd=kit.ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )

    clock = time.perf_counter()
    first = start(first_out, "1")
    killed = start(second_out, "3")
    try:
        killed.wait(timeout=1.5)
        second_over_killed = False  # it finished first: the second run simply overwrites a whole output
    except subprocess.TimeoutExpired:
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait()
        second_over_killed = True
    log, _ = first.communicate(timeout=900)
    runs = [Run(first_out, time.perf_counter() - clock, first.returncode, log)]
    clock = time.perf_counter()
    second = start(second_out, "2")
    log, _ = second.communicate(timeout=900)
    runs.append(Run(second_out, time.perf_counter() - clock, second.returncode, log))
    runs[1].over_killed = second_over_killed
    return [_check_run(run) for run in runs]


def invoke_run(output: Path, *args) -> Run:
    start = time.perf_counter()
    result = kit.invoke(*args)
    log = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        log += "".join(traceback.format_exception(result.exception))
    return _check_run(Run(output, time.perf_counter() - start, result.exit_code, log))


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "fientligt-paket"
    planted = kit.build_hostile_package(folder)
    planted["package"] = folder
    return planted


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory, hostile, analysis_ready):
    """analyse on the hostile package, without pseudonymisation (views and report included)."""
    out = tmp_path_factory.mktemp("hostile-out") / "ut"
    return invoke_run(out, "analyse", hostile["package"], "-o", out, "-q")


@pytest.fixture(scope="session")
def pseudonymised_runs(tmp_path_factory, hostile, analysis_ready):
    """analyse --pseudonymise on the hostile package, twice (the second without views, to compare tables)."""
    base = tmp_path_factory.mktemp("pseudonymised")
    first = invoke_run(base / "a", "analyse", hostile["package"], "-o", base / "a", "-q", "--pseudonymise")
    second = invoke_run(base / "b", "analyse", hostile["package"], "-o", base / "b", "-q", "--pseudonymise", "--no-views")
    return first, second


@pytest.fixture(scope="session")
def hostile_compare(tmp_path_factory, hostile, analysis_ready):
    """compare on the hostile package and Örebro 2014 (few null-model samples: the tables' safety,
    not their values, is under test)."""
    missing = kit.missing_modules(kit.COMPARE_MODULES)
    assert not missing, f"compare cannot run; modules that do not import: {', '.join(missing)}"
    out = tmp_path_factory.mktemp("hostile-compare") / "jämförelse"
    return invoke_run(out, "compare", hostile["package"], kit.OREBRO, "-o", out, "--samples", "5")
