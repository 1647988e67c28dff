"""The installed command's quick exit (samverkan.entry): exit codes and every line of output survive it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _samverkan(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "samverkan", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


def test_version_and_usage_errors_keep_their_exit_codes():
    shown = _samverkan("--version")
    assert shown.returncode == 0 and "samverkan, version" in shown.stdout
    wrong = _samverkan("no-such-command")
    assert wrong.returncode == 2 and "No such command" in wrong.stderr


def test_an_analysis_ends_with_every_line_printed_and_every_file_written(tmp_path):
    out = tmp_path / "sod"
    done = _samverkan("analyse", str(ROOT / "data" / "sodertorn-2009"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    # the last line is printed after the outputs are in place: a quick exit must not lose it
    assert done.stdout.rstrip().splitlines()[-1].startswith("Rapport: ")
    assert (out / "index.html").is_file() and (out / "summary.json").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name != "sod"]  # no temporary folder left beside it


def test_a_failing_analysis_reports_the_problem_and_exits_non_zero(tmp_path):
    failed = _samverkan("analyse", str(tmp_path / "missing"), "-o", str(tmp_path / "out"))
    assert failed.returncode != 0 and "missing" in failed.stderr and "Traceback" not in failed.stderr


def test_a_ctrl_c_outside_a_commands_own_handling_ends_with_130_and_no_traceback(monkeypatch, capsys):
    """A KeyboardInterrupt that escapes click (a Ctrl-C as it unwinds) ends as one inside a command does."""
    import pytest

    from samverkan import cli, entry

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "main", interrupted)
    assert entry.cli_exit_code(["analyse"]) == 130
    assert cli.INTERRUPTED in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        cli.run_main()
    assert stop.value.code == 130 and cli.INTERRUPTED in capsys.readouterr().err
