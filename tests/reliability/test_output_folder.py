"""An output folder is samverkan's or nobody's (issue 17, items 1-4 and 11).

Every run writes its whole set into a fresh temporary folder beside the target and swaps it in
at the end; a manifest (``.samverkan-output.json``) marks the folder as samverkan's. These tests
try what the adversarial review did: outputs aimed at a package, an empty ``-o``, a rerun with
fewer files, kill -9 / SIGTERM in the middle, a full disk, two runs at once, a failed import.
Each counts its attempts in the fuzz summary ("output folder"), with the files lost and mixed
sets found (both must be 0).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import reliability_kit as kit

from samverkan.io.output import MANIFEST_NAME, file_checksums, read_manifest

TALLY = "output folder"


@pytest.fixture(autouse=True)
def _counted():
    """Every test here is one counted case of the fuzz summary."""
    with kit.case(TALLY, timeout=300):
        yield


def _analyse(*args):
    return kit.invoke("analyse", kit.SODERTORN, *args)


def _whole(folder: Path) -> bool:
    """The folder holds exactly the set its manifest lists, byte for byte (no mixed set)."""
    manifest = read_manifest(folder)
    return manifest is not None and manifest["files"] == file_checksums(folder)


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".samverkan-tmp-" in p.name or ".samverkan-lock" in p.name or p.name.endswith(".part"))


@pytest.fixture(scope="module")
def tables_run(tmp_path_factory, analysis_ready):
    """One complete --no-views analysis, copied by the tests that need a previous set."""
    out = tmp_path_factory.mktemp("previous") / "out"
    result = _analyse("-o", out, "-q", "--no-views")
    kit.assert_clean_exit(result, allowed=(0,))
    assert _whole(out)
    return out


def _copy(previous: Path, where: Path) -> Path:
    shutil.copytree(previous, where)
    return where


# -- item 1: never into a package; -o "" ------------------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_analyse_never_writes_into_a_package(tmp_path, force, analysis_ready):
    package = kit.copy_package(kit.OREBRO, tmp_path / "orebro")
    before = kit.snapshot(package)
    result = _analyse("-o", package, "-q", *(["--force"] if force else []))
    kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
    assert "holds a package" in result.output
    assert kit.snapshot(package) == before
    assert _leftovers(tmp_path) == []


def test_a_package_workbook_in_the_folder_is_a_package(tmp_path, analysis_ready):
    from samverkan.io.package import read_package, write_package

    folder = tmp_path / "mixed"
    folder.mkdir()
    write_package(read_package(kit.SODERTORN), folder / "paket.xlsx")
    before = kit.snapshot(folder)
    result = _analyse("-o", folder, "-q", "--force")
    kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
    assert "paket.xlsx" in result.output and kit.snapshot(folder) == before


@pytest.mark.parametrize("output", ["", " "])
def test_an_empty_output_is_refused(output, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _analyse("-o", output, "-q")
    kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
    assert "empty" in result.output and list(tmp_path.iterdir()) == []


def test_a_foreign_non_empty_folder_needs_force(tmp_path, analysis_ready):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    result = _analyse("-o", folder, "-q", "--no-views")
    kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
    assert "--force" in result.output and (folder / "notes.txt").read_text() == "my notes"
    result = _analyse("-o", folder, "-q", "--no-views", "--force")
    kit.assert_clean_exit(result, allowed=(0,), tally=TALLY)
    assert _whole(folder) and not (folder / "notes.txt").exists()


# -- items 2, 3: a rerun replaces the whole set ---------------------------------------------------


def test_a_rerun_leaves_no_stale_file(tables_run, tmp_path):
    out = _copy(tables_run, tmp_path / "out")
    (out / "index.html").write_text("<html>Anna Andersson, a real contact</html>")  # an older, named report
    (out / "efforts.html").write_text("<html>another package's efforts</html>")
    (out / ".ties.csv.abc123.part").write_text("half a table")  # a temporary file of an old version
    result = _analyse("-o", out, "-q", "--no-views", "--pseudonymise")
    kit.assert_clean_exit(result, allowed=(0,), tally=TALLY)
    names = {p.name for p in out.iterdir()}
    assert not names & {"index.html", "efforts.html", ".ties.csv.abc123.part"}
    assert _whole(out) and _leftovers(tmp_path) == []
    assert read_manifest(out)["command"] == "analyse" and read_manifest(out)["package"]


def test_the_manifest_is_time_free_and_relative(tables_run, tmp_path):
    manifest = json.loads((tables_run / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert set(manifest) == {"tool", "command", "version", "package", "files"}
    assert str(tmp_path.parent) not in json.dumps(manifest) and not Path(manifest["package"]).is_absolute()


# -- item 4: kill, SIGTERM, worker, full disk, two runs at once ----------------------------------


def _start(out: Path, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        kit.cli_command("analyse", kit.SODERTORN, "-o", out, "-q", *extra), env=kit.cli_env(), cwd=kit.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def _wait_for_temporary(parent: Path, process: subprocess.Popen, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if any(".samverkan-tmp-" in p.name and any(Path(p).iterdir()) for p in parent.iterdir() if p.is_dir()):
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGINT"])
def test_a_killed_run_leaves_the_previous_set_and_no_temporary_files(how, tables_run, tmp_path):
    out = _copy(tables_run, tmp_path / "out")
    before = file_checksums(out)
    process = _start(out)
    writing = _wait_for_temporary(tmp_path, process)
    process.send_signal(getattr(signal, how))
    code = process.wait(timeout=60)
    kit.outcome(TALLY, f"{how} {'while writing' if writing else 'after the run'}")
    assert file_checksums(out) == before or _whole(out), "a mixed set"
    assert _whole(out)
    if how == "SIGKILL":
        # the forked worker dies with its parent (PR_SET_PDEATHSIG): nothing of the group is left
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("a worker of the killed run was still alive 5 s later")
        # the next run removes the dead run's temporary folder and lock
        result = _analyse("-o", out, "-q", "--no-views")
        kit.assert_clean_exit(result, allowed=(0,), tally=TALLY)
    else:
        assert code in (130, 143, -signal.SIGTERM, 0), code
    assert _leftovers(tmp_path) == [] and _whole(out)


def test_a_full_disk_leaves_the_previous_set_and_names_the_file(tables_run, tmp_path, monkeypatch):
    from samverkan.io import output

    out = _copy(tables_run, tmp_path / "out")
    before = file_checksums(out)
    monkeypatch.setenv("SAMVERKAN_WORKERS", "1")
    real_fsync, calls = os.fsync, []

    def full(fd):
        calls.append(fd)
        if len(calls) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(output.os, "fsync", full)
    result = _analyse("-o", out, "-q", "--no-views")
    monkeypatch.setattr(output.os, "fsync", real_fsync)
    kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
    assert "No space left on device" in result.output
    assert ".samverkan-tmp-" in result.output or any(name in result.output for name in ("csv", "json", "xlsx")), result.output
    assert file_checksums(out) == before and _leftovers(tmp_path) == []


def test_a_second_run_into_the_same_folder_is_refused(tables_run, tmp_path):
    out = _copy(tables_run, tmp_path / "out")
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / ".out.samverkan-lock").write_text(str(holder.pid))
        result = _analyse("-o", out, "-q", "--no-views")
        kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
        assert f"process {holder.pid}" in result.output and _whole(out)
    finally:
        holder.kill()
        holder.wait()
    result = _analyse("-o", out, "-q", "--no-views")  # the lock of a dead run is taken over
    kit.assert_clean_exit(result, allowed=(0,), tally=TALLY)
    assert _leftovers(tmp_path) == []


def test_two_concurrent_runs_give_one_whole_set(tables_run, tmp_path):
    out = tmp_path / "out"
    first, second = _start(out, "--no-views"), _start(out, "--no-views")
    codes = sorted([first.wait(timeout=120), second.wait(timeout=120)])
    messages = first.stderr.read().decode() + second.stderr.read().decode()
    first.stderr.close(), second.stderr.close()
    kit.outcome(TALLY, f"two at once: exit {codes}")
    assert codes in ([0, 0], [0, 2]), messages
    if codes == [0, 2]:
        assert "another samverkan run" in messages or "not written by samverkan" in messages, messages
    assert _whole(out) and _leftovers(tmp_path) == []


# -- item 11: other commands ---------------------------------------------------------------------


def test_compare_into_an_analysis_folder_needs_force(tables_run, tmp_path):
    out = _copy(tables_run, tmp_path / "out")
    before = kit.snapshot(out)
    result = kit.invoke("compare", kit.OREBRO, kit.SODERTORN, "-o", out, "--samples", "2")
    kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
    assert "samverkan analyse" in result.output and kit.snapshot(out) == before


def test_compare_config_pointing_at_a_package_is_refused(tmp_path):
    package = kit.copy_package(kit.OREBRO, tmp_path / "orebro")
    before = kit.snapshot(package)
    config = tmp_path / "samverkan.toml"
    config.write_text(f'output = "orebro"\n\n[[packages]]\npath = "{kit.OREBRO}"\n\n[[packages]]\npath = "{kit.SODERTORN}"\n', encoding="utf-8")
    result = kit.invoke("compare", "--config", config, "--force")
    kit.assert_clean_exit(result, allowed=(1, 2), tally=TALLY)
    assert kit.snapshot(package) == before


def test_view_into_an_analysis_folder_needs_force(tables_run, tmp_path, analysis_ready):
    out = _copy(tables_run, tmp_path / "out")
    before = kit.snapshot(out)
    result = kit.invoke("view", kit.SODERTORN, "-o", out / "index.html")
    kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
    assert kit.snapshot(out) == before
    package = kit.copy_package(kit.SODERTORN, tmp_path / "pkg")
    before = kit.snapshot(package)
    result = kit.invoke("view", kit.SODERTORN, "-o", package / "view.html", "--force")
    kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
    assert kit.snapshot(package) == before


def test_a_failed_import_leaves_nothing_and_a_good_one_a_whole_package(tmp_path):
    table = tmp_path / "flat.csv"
    table.write_text("project,organisation,role\nP1,Org A,lead\nP1,Org B,partner\n", encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[project]\nid = "project"\n[organisation]\nname = "organisation"\n[participation]\nrole = "role"\n', encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text("[" * 100_000, encoding="utf-8")
    result = kit.invoke("import", table, "--map", bad, "-o", tmp_path / "pkg")
    kit.assert_clean_exit(result, allowed=(1, 2), tally=TALLY)
    assert not (tmp_path / "pkg").exists() and _leftovers(tmp_path) == []
    result = kit.invoke("import", table, "--map", mapping, "-o", tmp_path / "pkg")
    kit.assert_clean_exit(result, allowed=(0, 1, 2), tally=TALLY)
    if result.exit_code == 0:
        assert _whole(tmp_path / "pkg") and read_manifest(tmp_path / "pkg")["command"] == "import"
    else:
        assert not (tmp_path / "pkg").exists()
    assert _leftovers(tmp_path) == []


def test_init_writes_a_whole_package(tmp_path):
    result = kit.invoke("init", tmp_path / "blank")
    kit.assert_clean_exit(result, allowed=(0,), tally=TALLY)
    assert (tmp_path / "blank" / "organisations.csv").exists() and _leftovers(tmp_path) == []
    result = kit.invoke("init", tmp_path / "blank")
    kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)


def test_view_never_replaces_an_html_file_samverkan_did_not_write(tmp_path, analysis_ready):
    """The single-file guard: someone's own page in a folder of their own is not overwritten."""
    folder = tmp_path / "mina-sidor"
    folder.mkdir()
    theirs = folder / "natverk.html"
    theirs.write_text("<!doctype html><title>Min egen sida</title>", encoding="utf-8")
    before = kit.snapshot(folder)
    result = kit.invoke("view", kit.SODERTORN, "-o", theirs)
    kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
    assert "not written by samverkan" in result.output and "--force" in result.output
    assert kit.snapshot(folder) == before
    ours = folder / "samverkan.html"
    result = kit.invoke("view", kit.SODERTORN, "-o", ours)
    kit.assert_clean_exit(result, allowed=(0,), tally=TALLY)
    result = kit.invoke("view", kit.SODERTORN, "-o", ours, "--max-nodes", "5")  # its own page: replaced without --force
    kit.assert_clean_exit(result, allowed=(0,), tally=TALLY)
    result = kit.invoke("view", kit.SODERTORN, "-o", theirs, "--force")
    kit.assert_clean_exit(result, allowed=(0,), tally=TALLY)
    assert "samverkan" in theirs.read_text(encoding="utf-8")
    assert _leftovers(folder) == []


def test_compare_into_a_package_is_refused_even_with_force(tmp_path):
    package = kit.copy_package(kit.OREBRO, tmp_path / "orebro")
    before = kit.snapshot(package)
    for extra in ([], ["--force"]):
        result = kit.invoke("compare", kit.OREBRO, kit.SODERTORN, "-o", package, "--samples", "2", *extra)
        kit.assert_clean_exit(result, allowed=(2,), tally=TALLY)
        assert "holds a package" in result.output
    assert kit.snapshot(package) == before


def _flat(tmp_path: Path, rows: str) -> tuple[Path, Path]:
    table = tmp_path / "flat.csv"
    table.write_text("project,organisation,role\n" + rows, encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[project]\nid = "project"\n[organisation]\nname = "organisation"\n[participation]\nrole = "role"\n', encoding="utf-8")
    return table, mapping


@pytest.mark.parametrize("failing_call", [1, 2, 4, 7])
def test_import_force_onto_a_package_is_whole_or_nothing(failing_call, tmp_path, monkeypatch):
    """A write error in the middle of ``import --force`` leaves the old package exactly as it was
    (a hand-made package without a manifest, which --force may replace), and no temporary files."""
    from samverkan.io import output

    old = kit.copy_package(kit.SODERTORN, tmp_path / "pkg")
    before = kit.snapshot(old)
    table, mapping = _flat(tmp_path, "P1,Org A,lead\nP1,Org B,partner\nP2,Org B,lead\nP2,Org C,partner\n")
    real_fsync, calls = os.fsync, []

    def failing(fd):
        calls.append(fd)
        if len(calls) == failing_call:
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(output.os, "fsync", failing)
    result = kit.invoke("import", table, "--map", mapping, "-o", old, "--force")
    monkeypatch.setattr(output.os, "fsync", real_fsync)
    kit.assert_clean_exit(result, allowed=(1, 2), tally=TALLY)
    kit.outcome(TALLY, f"import --force, write error at fsync {failing_call}")
    assert kit.snapshot(old) == before, "the old package was changed by a failed import"
    assert _leftovers(tmp_path) == []
    result = kit.invoke("import", table, "--map", mapping, "-o", old, "--force")  # and without the error: the new one, whole
    kit.assert_clean_exit(result, allowed=(0,), tally=TALLY)
    assert _whole(old) and read_manifest(old)["command"] == "import" and _leftovers(tmp_path) == []
    assert not (old / "ties.csv").exists() or (old / "ties.csv").read_text(encoding="utf-8") != (kit.SODERTORN / "ties.csv").read_text(encoding="utf-8")


def test_import_force_killed_mid_write_leaves_the_old_package(tmp_path):
    """kill -9 during ``import --force`` (a real process, killed once it has started writing)."""
    old = kit.copy_package(kit.SODERTORN, tmp_path / "pkg")
    before = kit.snapshot(old)
    rows = "".join(f"P{k // 40},Org {k % 400},{'lead' if k % 40 == 0 else 'partner'}\n" for k in range(20_000))
    table, mapping = _flat(tmp_path, rows)
    process = subprocess.Popen(kit.cli_command("import", table, "--map", mapping, "-o", old, "--force"), env=kit.cli_env(), cwd=kit.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(".samverkan-tmp-" in p.name for p in tmp_path.iterdir()):
            break
        time.sleep(0.005)
    process.kill()
    process.wait(timeout=30)
    kit.outcome(TALLY, "import --force killed while writing" if process.returncode == -9 else f"import --force exit {process.returncode}")
    if process.returncode == -9:
        assert kit.snapshot(old) == before
    else:  # finished before the kill: the new package, whole
        assert _whole(old)
    table2, _ = _flat(tmp_path, "P1,Org A,lead\nP1,Org B,partner\n")
    result = kit.invoke("import", table2, "--map", mapping, "-o", old, "--force")  # the next run clears the dead run's files
    kit.assert_clean_exit(result, allowed=(0,), tally=TALLY)
    assert _whole(old) and _leftovers(tmp_path) == []
