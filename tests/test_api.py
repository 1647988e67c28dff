"""The Python API: samverkan.read_package / analyse / compare, and result.write."""

import sys
from pathlib import Path

import pandas as pd
import pytest

import samverkan
from samverkan.pipeline import run_analysis

ROOT = Path(__file__).resolve().parents[1]
SODERTORN = ROOT / "data" / "sodertorn-2009"


def test_the_curated_names():
    for name in ("read_package", "analyse", "compare", "AnalysisResult", "CompareResult", "InputError", "UsageError"):
        assert name in samverkan.__all__ and getattr(samverkan, name) is not None
    assert callable(samverkan.compare)
    import importlib

    importlib.import_module("samverkan.compare.run")  # importing the subpackage keeps samverkan.compare callable
    assert callable(samverkan.compare)


def test_analyse_writes_nothing_and_equals_the_cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = samverkan.analyse(str(SODERTORN), lang="en")
    assert list(tmp_path.iterdir()) == []
    for frame in (a.organisations, a.ties, a.projects, a.findings, a.white_spots):
        assert isinstance(frame, pd.DataFrame)
    assert a.summary["as_of"] == "2010-12-31" and a.summary["as_of_reason"] == "latest-in-data"
    assert a.title == "Södertörn 2009: Introduktion Södertörn"
    written = a.write(tmp_path / "api", views=False, workers=False)
    from samverkan.analysis import AnalysisOptions

    _, cli = run_analysis(samverkan.read_package(SODERTORN), tmp_path / "cli", AnalysisOptions(lang="en"), views=False)
    assert sorted(p.name for p in written) == sorted(p.name for p in cli)
    for name in ("organisations.csv", "ties.csv", "findings.csv", "white_spots.csv", "summary.json"):
        assert (tmp_path / "api" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


def test_analyse_refuses_bad_options():
    with pytest.raises(samverkan.UsageError, match="not a date"):
        samverkan.analyse(SODERTORN, as_of="30.06.2010x")
    with pytest.raises(samverkan.UsageError, match="either as_of or period"):
        samverkan.analyse(SODERTORN, as_of="2010-06-30", period=("2009-01-01", "2009-12-31"))
    with pytest.raises(samverkan.UsageError, match="'separate' or 'merge'"):
        samverkan.analyse(SODERTORN, sub_projects="fold")


def test_sub_projects_merge_counts_a_family_once():
    separate = samverkan.analyse(SODERTORN, lang="en")
    merged = samverkan.analyse(SODERTORN, lang="en", sub_projects="merge")
    assert separate.summary["sub_projects"] == "separate" and merged.summary["sub_projects"] == "merge"
    # every Södertörn project is the main project or one of its sub-activities: merged, each pair shares one project
    assert separate.ties["shared_projects"].max() > 1
    assert set(merged.ties.loc[merged.ties["tie_type"] != "direct", "shared_projects"].unique()) <= {0, 1}


def test_title_given_wins():
    assert samverkan.analyse(SODERTORN, title="Mitt projekt").summary["title"] == "Mitt projekt"


def test_write_uses_no_worker_in_an_interactive_session(monkeypatch):
    from samverkan import pipeline

    monkeypatch.setitem(sys.modules, "IPython", object())
    assert pipeline._interactive()
