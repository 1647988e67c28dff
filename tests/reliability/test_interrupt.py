"""Killing ``samverkan analyse`` at any moment leaves, for every output, the previous complete file or none.

``samverkan analyse data/sodertorn-2009 -o OUT`` is started in a subprocess and killed with SIGKILL
(no clean-up can run) at several moments spread over a normal run. Then every file in OUT whose
name does not start with '.' (temporary names do) must be complete: CSV with the header and row
count of a reference run, JSON that loads to the reference value, workbooks with the reference
sheets and rows, HTML/SVG/XML that parse and end properly, PNG with its end chunk. Half of the runs
start from an OUT that already holds a complete earlier output, which must survive whole.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import lxml.etree
import lxml.html

import reliability_kit as kit


def check_complete(path: Path, reference: Path) -> None:
    """``path`` is a whole output, equal in content to the reference output of the same name."""
    name = path.name
    assert reference.exists(), f"{name}: not an output of a complete run (a partial or stray file?)"
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows, expected = kit.read_csv_rows(path), kit.read_csv_rows(reference)
        assert rows[:1] == expected[:1] and len(rows) == len(expected), f"{name}: {len(rows)} rows, a complete run writes {len(expected)}"
    elif suffix == ".json":
        assert kit.json_load(path) == kit.json_load(reference), f"{name}: not the complete JSON"
    elif suffix == ".xlsx":
        import openpyxl

        workbook, expected = openpyxl.load_workbook(path, read_only=True), openpyxl.load_workbook(reference, read_only=True)
        try:
            assert workbook.sheetnames == expected.sheetnames
            for sheet in workbook.sheetnames:
                assert sum(1 for _ in workbook[sheet].iter_rows()) == sum(1 for _ in expected[sheet].iter_rows()), f"{name}[{sheet}]"
        finally:
            workbook.close()
            expected.close()
    elif suffix == ".html":
        text = path.read_text(encoding="utf-8")
        assert text.rstrip().lower().endswith("</html>"), f"{name}: cut short"
        lxml.html.fromstring(text)
        assert abs(len(text) - len(reference.read_text(encoding="utf-8"))) < 0.01 * len(text) + 200, f"{name}: size differs from a complete run"
    elif suffix in (".svg", ".graphml", ".gexf", ".xml"):
        lxml.etree.parse(str(path))
    elif suffix == ".png":
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82"), f"{name}: cut short"
    else:
        assert path.stat().st_size == reference.stat().st_size, f"{name}: size differs from a complete run"


def number_of(out: Path) -> int:
    return int(out.name.rsplit("-", 1)[1])


def _kill_after(seconds: float, out: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        kit.cli_command("analyse", kit.SODERTORN, "-o", out, "-q"), env=kit.cli_env(), cwd=kit.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    process.kill_at = time.perf_counter() + seconds  # type: ignore[attr-defined]
    return process


def test_a_killed_run_leaves_complete_files_or_none(reference_runs, tmp_path):
    reference = reference_runs[0].output
    duration = reference_runs[1].seconds  # a lone run (the first ran beside the killed one)
    moments = sorted({0.3, *(round(duration * f, 2) for f in (0.45, 0.55, 0.65, 0.75, 0.85, 0.95))})  # most of a run is start-up; writing comes last
    cases = []
    for number, moment in enumerate(moments):
        out = tmp_path / f"kill-{number}"
        if number % 2:  # half of the runs overwrite a complete earlier output
            shutil.copytree(reference, out)
        cases.append((moment, out))
    finished = 0
    for batch in range(0, len(cases), 2):  # two at a time: timing stays close to a lone run
        running = [(_kill_after(moment, out), moment, out) for moment, out in cases[batch : batch + 2]]
        outcomes = []
        for process, _moment, _out in running:
            delay = process.kill_at - time.perf_counter()  # type: ignore[attr-defined]
            try:
                outcomes.append(process.wait(timeout=max(delay, 0)))
                finished += 1
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                outcomes.append(None)
        for (_process, moment, out), code in zip(running, outcomes):
            with kit.case("kill points", timeout=60):
                visible = kit.visible_files(out) if out.exists() else []
                for path in visible:
                    check_complete(path, reference / path.relative_to(out))
                total = len(kit.visible_files(reference))
                if number_of(out) % 2:  # copytree kept the reference's times: newer files were rewritten
                    rewritten = sum(p.stat().st_mtime_ns != (reference / p.relative_to(out)).stat().st_mtime_ns for p in visible)
                    state = f"over an earlier output: {rewritten}/{total} files rewritten"
                else:
                    state = f"fresh: {len(visible)}/{total} files"
                kit.outcome("kill points", f"{'finished' if code is not None else 'killed'} at {moment:.1f} s, {state}")
                if code is not None:  # the run ended on its own before the kill: it must be whole
                    assert code == 0 and len(visible) == len(kit.visible_files(reference))
    assert finished < len(cases), "every run finished before it could be killed: the test proved nothing"


def test_a_run_after_a_kill_completes_the_output(reference_runs):
    """The second reference run wrote over the output of a run killed after 1.5 s (stale temporary
    files included): its output is whole and equal to the first run's."""
    first, second = reference_runs
    assert sorted(p.name for p in kit.visible_files(second.output)) == sorted(p.name for p in kit.visible_files(first.output))
    for path in kit.visible_files(second.output):
        check_complete(path, first.output / path.name)
