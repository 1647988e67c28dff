"""Determinism: the same input gives byte-identical tables, whatever the process, hash seed,
global random state or input format.

* Two runs of ``samverkan analyse data/sodertorn-2009`` in separate processes with different
  ``PYTHONHASHSEED`` write byte-identical CSV, JSON and GraphML files (summary.json included).
* :func:`samverkan.analysis.analyse` uses its own seeds: disturbing Python's and numpy's global
  random state between two calls changes nothing.
* The same package read from CSV files and from an Excel workbook gives the same tables.
"""

from __future__ import annotations

import json
import random
import re
import shutil

import numpy as np
import pandas as pd
import pytest

import reliability_kit as kit

BYTE_IDENTICAL = (".csv", ".json", ".graphml")


def test_two_processes_write_identical_tables(reference_runs):
    first, second = (run.output for run in reference_runs)
    names = sorted(p.name for p in kit.visible_files(first))
    assert names == sorted(p.name for p in kit.visible_files(second))
    assert "summary.json" in names and any(n.endswith(".csv") for n in names)
    different = [n for n in names if n.endswith(BYTE_IDENTICAL) and (first / n).read_bytes() != (second / n).read_bytes()]
    assert not different, f"differ between two runs (PYTHONHASHSEED 1 and 2): {different}"


def test_two_processes_write_identical_pages(reference_runs):
    """Views and report too (they carry no time stamp), so a shared report can be checked by hash."""
    first, second = (run.output for run in reference_runs)
    different = [p.name for p in kit.visible_files(first) if p.suffix in (".html", ".svg", ".gexf") and p.read_bytes() != (second / p.name).read_bytes()]
    assert not different, f"differ between two runs: {different}"


def _frames(result):
    out = {}
    for name, value in vars(result).items():
        if isinstance(value, pd.DataFrame):
            out[name] = value.reset_index(drop=True)
    return out


def test_analysis_ignores_global_random_state(analysis_ready):
    kit.require(kit.ANALYSIS_MODULES)
    from samverkan.analysis import AnalysisOptions, analyse
    from samverkan.io.package import read_package

    package = read_package(kit.SODERTORN)
    results = []
    for seed in (1, 999):
        random.seed(seed)
        np.random.seed(seed)
        try:
            results.append(analyse(package, AnalysisOptions(seed=42)))
        except NotImplementedError as exc:  # pragma: no cover - a stub not written yet
            pytest.skip(str(exc))
    a, b = (_frames(r) for r in results)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    assert json.dumps(results[0].summary, sort_keys=True, default=str) == json.dumps(results[1].summary, sort_keys=True, default=str)


def test_csv_and_excel_input_give_the_same_tables(tmp_path, analysis_ready):
    from samverkan.io.package import read_package, write_package

    workbook = write_package(read_package(kit.SODERTORN), tmp_path / "sodertorn-2009.xlsx")
    outputs = []
    for source, out in ((kit.SODERTORN, tmp_path / "from-csv"), (workbook, tmp_path / "from-xlsx")):
        result = kit.invoke("analyse", source, "-o", out, "-q", "--no-views")
        if result.exit_code == 3 and kit.stub_in_output(result.output):
            pytest.skip(result.output[-300:])
        kit.assert_clean_exit(result, allowed=(0,))
        outputs.append(out)
    first, second = outputs
    for path in kit.visible_files(first):
        if path.suffix == ".csv":
            assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    summary_a, summary_b = kit.json_load(first / "summary.json"), kit.json_load(second / "summary.json")
    for key in ("package", "title"):  # the package's name and title (a CSV folder's README heading) may differ
        summary_a.pop(key, None)
        summary_b.pop(key, None)
    assert summary_a == summary_b


# --------------------------------------------------------------------------------------------
# Small random packages: every valid package analyses, with the same result whatever the global
# random state (isolates, one organisation, no projects, benchmark-only projects, parents, ties...)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from samverkan.model import LEVELS, ORG_TYPES, ROLES, STATUSES, TIE_TYPES  # noqa: E402

_names = st.sampled_from(["Huddinge kommun", "Region Örebro län", "AF", "Företag 0180 AB", "Ideell förening", "x", "Å", *kit.HOSTILE_NAMES]) | (
    kit.one_line_nasty_text.map(lambda s: re.sub("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]", "", s)[:40]).filter(lambda s: s.strip())  # control characters and U+FFFE: their own tests
)


@st.composite
def small_packages(draw):
    n_orgs = draw(st.integers(1, 7))
    organisations = [["id", "name", "type", "level", "municipality", "region", "parent"]]
    for i in range(n_orgs):
        parent = f"o{draw(st.integers(0, i - 1))}" if i and draw(st.booleans()) and draw(st.booleans()) else ""
        organisations.append(
            [
                f"o{i}",
                draw(_names),
                draw(st.sampled_from([*ORG_TYPES, ""])),
                draw(st.sampled_from([*LEVELS, ""])),
                draw(st.sampled_from(["0180", "1880", "Huddinge", ""])),
                draw(st.sampled_from(["Stockholms län", "Örebro län", ""])),
                parent,
            ]
        )
    n_projects = draw(st.integers(0, 4))
    projects = [["id", "name", "start", "end", "status", "budget", "parent"]]
    participations = [["project", "organisation", "role", "contact"]]
    contacts = [["id", "name", "organisation", "title", "email"]]
    for i in range(n_orgs):
        if draw(st.booleans()):
            contacts.append([f"c{i}", f"Person {i}", f"o{i}", draw(st.sampled_from(["Samordnare", ""])), f"person{i}@example.se"])
    for j in range(n_projects):
        start = draw(st.sampled_from(["", "2013-01-01", "2014-03-01"]))
        end = draw(st.sampled_from(["", "2014-12-31", "2015-06-30"]))
        parent = f"p{draw(st.integers(0, j - 1))}" if j and draw(st.booleans()) else ""
        projects.append([f"p{j}", draw(_names), start, end, draw(st.sampled_from([*STATUSES, ""])), draw(st.sampled_from(["", "1500000", "0"])), parent])
        members = draw(st.lists(st.integers(0, n_orgs - 1), max_size=5))
        for m in members:
            contact = f"c{m}" if any(c[0] == f"c{m}" for c in contacts[1:]) and draw(st.booleans()) else ""
            participations.append([f"p{j}", f"o{m}", draw(st.sampled_from(sorted(ROLES))), contact])
    ties = [["source", "target", "type", "weight", "directed"]]
    for a, b in draw(st.lists(st.tuples(st.integers(0, n_orgs - 1), st.integers(0, n_orgs - 1)), max_size=4)):
        if a != b:
            ties.append([f"o{a}", f"o{b}", draw(st.sampled_from([*TIE_TYPES, ""])), draw(st.sampled_from(["", "1", "2,5"])), draw(st.sampled_from(["true", "false", ""]))])
    return {"organisations": organisations, "projects": projects, "participations": participations, "contacts": contacts, "ties": ties}


@given(
    tables=small_packages(),
    options=st.sampled_from(
        [
            (),
            ("--group-by", "level"),
            ("--group-by", "municipality", "--lang", "en"),
            ("--as-of", "2014-06-30"),
            ("--period", "2014-01-01", "2014-12-31"),
            ("--sample", "2", "--seed", "7"),
            ("--pseudonymise",),
        ]
    ),
)
@settings(kit.FUZZ, max_examples=kit.examples(10))
def test_small_packages_analyse_the_same_every_time(workdir, tables, options):
    if len(tables["participations"]) == 1 and ("--as-of" in options or "--period" in options):
        options = ()  # the known bug pinned by test_dated_analysis_without_participations
    folder = workdir / "small"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, rows in tables.items():
        (folder / f"{name}.csv").write_bytes(kit.csv_bytes(rows))
    package, problems = kit.validate_checked(folder)
    assert package is not None, [str(p) for p in problems if p.is_error][:5]
    with kit.case("test_small_packages_analyse_the_same_every_time", timeout=60):
        outputs = []
        for state in (1, 2):
            random.seed(state)
            np.random.seed(state)
            out = workdir / f"small-out-{state}"
            shutil.rmtree(out, ignore_errors=True)
            result = kit.invoke("analyse", folder, "-o", out, "-q", "--no-views", *options)
            kit.assert_clean_exit(result, allowed=(0,))
            outputs.append(out)
        names = sorted(p.name for p in kit.visible_files(outputs[0]))
        assert names == sorted(p.name for p in kit.visible_files(outputs[1])) and "summary.json" in names
        for name in names:
            if name.endswith((".csv", ".json")):
                assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


def test_dated_analysis_without_participations(tmp_path, analysis_ready):
    folder = tmp_path / "band"
    folder.mkdir()
    tables = {
        "organisations": [["id", "name"], ["o0", "Huddinge kommun"], ["o1", "Botkyrka kommun"], ["o2", "Arbetsförmedlingen"]],
        "projects": [["id", "name", "start", "end"]],
        "participations": [["project", "organisation", "role"]],
        "contacts": [["id", "organisation"]],
        "ties": [["source", "target", "weight"], ["o2", "o0", "2"], ["o1", "o2", "1"]],
    }
    for name, rows in tables.items():
        (folder / f"{name}.csv").write_bytes(kit.csv_bytes(rows))
    assert kit.validate_checked(folder)[0] is not None
    for option in (("--as-of", "2014-01-01"), ("--period", "2014-01-01", "2014-12-31")):
        result = kit.invoke("analyse", folder, "-o", tmp_path / "ut", "-q", "--no-views", *option)
        kit.assert_clean_exit(result, allowed=(0,))
