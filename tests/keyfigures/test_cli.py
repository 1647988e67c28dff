"""``samverkan key-figures import`` as a user runs it (CliRunner), on a copy of the Södertörn package."""

from __future__ import annotations

import json

from click.testing import CliRunner

from samverkan.io.key_figures import key_figures_of
from samverkan.io.package import read_package
from samverkan.keyfigures_cli import key_figures


def test_import_kolada_json_then_the_package_validates(sodertorn, tmp_path):
    file = tmp_path / "kolada.json"
    file.write_text(json.dumps({"values": [{"kpi": "N00914", "municipality": "0126", "period": 2009, "values": [{"gender": "T", "status": "", "value": 21.5}]}]}), encoding="utf-8")
    result = CliRunner().invoke(key_figures, ["import", str(file), "-o", str(sodertorn)])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "without a name (shown by id; give one with --name ID=TEXT): N00914" in result.output
    assert key_figures_of(read_package(sodertorn))["value"].tolist() == [21.5]


def test_import_with_a_name_and_a_conflict_refused_with_the_reason(sodertorn, tmp_path):
    file = tmp_path / "long.csv"
    file.write_text("area,indicator,period,value\n0126,N1,2009,1\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(key_figures, ["import", str(file), "-o", str(sodertorn), "--name", "N1=Ett nyckeltal"]).exit_code == 0
    assert key_figures_of(read_package(sodertorn))["indicator_name"].tolist() == ["Ett nyckeltal"]
    file.write_text("area,indicator,period,value\n0126,N1,2009,2\n", encoding="utf-8")
    result = runner.invoke(key_figures, ["import", str(file), "-o", str(sodertorn)])
    assert result.exit_code == 1
    assert "error: the package already has 1 for 0126/N1/2009/T; the file gives 2" in result.output
    assert "use --replace" in result.output and "Nothing was written." in result.output
    assert runner.invoke(key_figures, ["import", str(file), "-o", str(sodertorn), "--replace"]).exit_code == 0
    assert key_figures_of(read_package(sodertorn))["value"].tolist() == [2.0]


def test_usage_errors_exit_2_with_a_message(sodertorn, tmp_path):
    runner = CliRunner()
    result = runner.invoke(key_figures, ["import", str(tmp_path / "missing.json"), "-o", str(sodertorn)])
    assert result.exit_code == 2 and "Error: no such file" in result.output
    file = tmp_path / "long.csv"
    file.write_text("area,indicator,period,value\n0126,N1,2009,1\n", encoding="utf-8")
    result = runner.invoke(key_figures, ["import", str(file), "-o", str(sodertorn), "--name", "N1"])
    assert result.exit_code == 2 and "write ID=TEXT" in result.output


def test_every_command_has_help():
    runner = CliRunner()
    for args in (["--help"], ["import", "--help"]):
        result = runner.invoke(key_figures, args)
        assert result.exit_code == 0 and len(result.output) > 200
