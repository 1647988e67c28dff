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
    summary_a.pop("package", None)
    summary_b.pop("package", None)
    assert summary_a == summary_b
