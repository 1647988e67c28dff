"""The CLI as a user meets it: help everywhere, exit codes, messages, nothing overwritten."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data"


def commands():
    return sorted(main.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_with_examples(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert main.commands[name].help, f"{name} has no help"
    assert "Example" in result.output, f"{name} --help shows no example"


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "samverkan, version" in result.output


@pytest.mark.parametrize("name", ["orebro-2014", "sodertorn-2009"])
def test_examples_validate_cleanly(name):
    result = CliRunner().invoke(main, ["validate", str(EXAMPLES / name)])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_validate_reports_every_problem_and_exits_1(tmp_path):
    package = tmp_path / "paket"
    shutil.copytree(EXAMPLES / "orebro-2014", package)
    participations = package / "participations.csv"
    text = participations.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    role = header.index("role")
    cells = text[1].split(",")
    cells[role] = "styrgrup"
    text[1] = ",".join(cells)
    participations.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(package)])
    assert result.exit_code == 1
    assert "participations.csv:2:role: error: unknown role (value 'styrgrup'); did you mean 'styrgrupp'?" in result.output
    assert result.output.strip().splitlines()[-1].startswith("1 error(s)")
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(tmp_path / "missing")]).exit_code == 2
    (tmp_path / "file.txt").write_text("x")
    result = runner.invoke(main, ["validate", str(tmp_path / "file.txt")])
    assert result.exit_code == 2 and "neither a folder" in result.output
    assert runner.invoke(main, ["analyse"]).exit_code == 2


def test_init_writes_a_valid_template_and_never_overwrites(tmp_path):
    runner = CliRunner()
    for target in (tmp_path / "paket", tmp_path / "paket.xlsx"):
        result = runner.invoke(main, ["init", str(target)])
        assert result.exit_code == 0, result.output
        assert runner.invoke(main, ["validate", str(target)]).exit_code == 0
        again = runner.invoke(main, ["init", str(target)])
        assert again.exit_code == 2 and "already exists" in again.output
    assert (tmp_path / "paket" / "förklaring.csv").read_text(encoding="utf-8").count("\n") > 30


def test_the_cli_says_before_slow_work_what_will_be_sampled():
    import pandas as pd

    from samverkan.analysis import AnalysisOptions
    from samverkan.metrics.centrality import DEFAULT_SOURCES
    from samverkan.pipeline import sampling_plan

    class Big:
        organisations = pd.DataFrame({"id": [str(i) for i in range(6000)]})

    class Small:
        organisations = pd.DataFrame({"id": ["a", "b"]})

    assert sampling_plan(Small, AnalysisOptions()) is None
    assert "6\u202f000 organisationer" in sampling_plan(Big, AnalysisOptions())
    assert f"{DEFAULT_SOURCES} sampled sources" in sampling_plan(Big, AnalysisOptions(lang="en"))
    assert "--sample" in sampling_plan(Small, AnalysisOptions(sample=50, lang="en"))


def test_demo_writes_both_reports_and_the_comparison(tmp_path):
    result = CliRunner().invoke(main, ["demo", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("orebro-2014", "sodertorn-2009"):
        for output in ("index.html", "network.html", "organisations.csv", "findings.csv", "summary.json", "analysis.xlsx", "graph.gexf"):
            assert (tmp_path / name / output).stat().st_size > 0, f"{name}/{output}"
    assert (tmp_path / "comparison" / "index.html").exists()
    assert "Rapport:" in result.output and "Jämförelse:" in result.output


def test_view_ego_by_name_and_a_helpful_error_for_an_unknown_one(tmp_path):
    runner = CliRunner()
    out = tmp_path / "huddinge.html"
    result = runner.invoke(main, ["view", str(EXAMPLES / "sodertorn-2009"), "--ego", "Huddinge kommun", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Huddinge kommun" in out.read_text(encoding="utf-8")
    result = runner.invoke(main, ["view", str(EXAMPLES / "sodertorn-2009"), "--ego", "Hudinge kommun", "-o", str(out)])
    assert result.exit_code == 2 and "did you mean 'Huddinge kommun'" in result.output


def test_an_unknown_size_metric_is_refused_before_any_output(tmp_path):
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["analyse", str(EXAMPLES / "orebro-2014"), "-o", str(out), "--size-by", "betweeness"])
    assert result.exit_code == 2
    assert "did you mean 'betweenness'?" in result.output
    assert not out.exists()


INTERREG = ROOT.parent / "shared" / "data" / "interreg-se-2021-2027" / "interreg_swedish_partners.csv"


@pytest.mark.skipif(not INTERREG.exists(), reason="../shared/data is not beside the project")
def test_interreg_as_a_user_runs_it_import_compare_by_nuts2_and_analyse(tmp_path):
    # the bundled mapping corrects the NUTS2 spellings and marks the projects as partly listed
    import csv

    package = tmp_path / "interreg"
    result = CliRunner().invoke(main, ["import", str(INTERREG), "--map", str(EXAMPLES / "mappings" / "interreg.toml"), "-o", str(package)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["compare", str(package), "--by", "nuts2", "-o", str(tmp_path / "cmp")])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "cmp" / "comparison.csv", encoding="utf-8-sig") as handle:
        regions = {row["region"] for row in csv.DictReader(handle)}
    assert len(regions) == 8 and "Småland med öarna" in regions  # Sweden's eight NUTS2 regions
    result = CliRunner().invoke(main, ["analyse", str(package), "--lang", "en", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "out" / "findings.csv", encoding="utf-8-sig") as handle:
        no_owner = [row for row in csv.DictReader(handle) if row["rule"] == "no-owner"]
    assert no_owner and all(row["severity"] == "info" and "Only some of the project's partners are listed" in row["message"] for row in no_owner)


def test_problems_file_receives_every_problem_and_totals_are_true(tmp_path):
    import csv

    table = tmp_path / "flat.csv"
    rows = ["projekt;organisation;roll;start"] + [f"p{k};Org {k};partner;bad-{k}" for k in range(80)] + ["p1;Org 1;lead;01.06.2020 00:00"]
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[source]\ndescription = "Testprogrammet"\n[project]\nid = "projekt"\nstart = "start"\n[organisation]\nname = "organisation"\n'
        '[participation]\nrole = "roll"\n[roles]\npartner = "partner"\nlead = "owner"\n',
        encoding="utf-8",
    )
    problems = tmp_path / "problems.csv"
    result = CliRunner().invoke(main, ["import", str(table), "--map", str(mapping), "-o", str(tmp_path / "pkg"), "--problems", str(problems)])
    assert result.exit_code == 0, result.output
    with open(problems, encoding="utf-8") as handle:
        listed = list(csv.DictReader(handle))
    assert list(listed[0]) == ["file", "row", "column", "severity", "code", "message", "value", "hint"]
    bad = [r for r in listed if r["code"] == "bad-date"]
    assert bad and all(r["column"] == "start" for r in bad)
    assert f"0 error(s), {len(listed)} warning(s)" in result.output
    assert (tmp_path / "pkg" / "README.md").read_text(encoding="utf-8").startswith("# Testprogrammet")
    import samverkan

    pkg = samverkan.read_package(tmp_path / "pkg")
    assert pkg.title == "Testprogrammet"
    assert str(pkg.projects.set_index("id").loc["p1", "start"].date()) == "2020-06-01"  # DD.MM.YYYY HH:MM read


def test_an_empty_package_is_reported_as_empty(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path / "tom")]).exit_code == 0
    result = runner.invoke(main, ["validate", str(tmp_path / "tom"), "--problems", str(tmp_path / "p.csv")])
    assert "the package is empty" in result.output
    assert "empty-package" in (tmp_path / "p.csv").read_text(encoding="utf-8")


def test_analyse_takes_title_and_sub_projects(tmp_path):
    import json

    result = CliRunner().invoke(main, ["analyse", str(EXAMPLES / "sodertorn-2009"), "-o", str(tmp_path / "out"), "--no-views", "-q", "--title", "Min titel", "--sub-projects", "merge"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["title"] == "Min titel" and summary["sub_projects"] == "merge" and summary["as_of"] == "2010-12-31"
