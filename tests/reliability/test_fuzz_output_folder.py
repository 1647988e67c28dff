"""The output folder as one transaction, fuzzed (issue 17, item 4): whatever happens while a set
is written, the target holds the previous complete set or the new complete set, never a mix, and
no temporary file survives the next run.

Three kinds of hostile events, drawn by hypothesis (derandomised on CI like every property test):

- an error at a drawn point of an in-process write: a write error (full disk, I/O error) on a
  drawn fsync, or an exception, Ctrl-C (KeyboardInterrupt) or exit between two files;
- SIGKILL, SIGTERM or SIGINT at a drawn moment to a real process writing a set;
- two real processes writing different sets into one folder at once, started a drawn delay apart.

The writer here is samverkan's own transaction (:func:`samverkan.io.output.output_folder`) with
small synthetic sets, so hundreds of cases cost seconds; the whole-command scenarios (analyse,
import, compare, view) are in test_output_folder.py.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

import reliability_kit as kit
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.errors import UsageError
from samverkan.io import output
from samverkan.io.output import file_checksums, output_folder, read_manifest

TALLY = "output-folder scenarios"

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö0123456789-_", min_size=1, max_size=12).map(lambda n: n + ".csv")
file_sets = st.dictionaries(names, st.binary(max_size=300), min_size=1, max_size=8)


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".samverkan-tmp-" in p.name or ".samverkan-lock" in p.name or p.name.endswith(".part"))


def _whole(folder: Path) -> bool:
    manifest = read_manifest(folder)
    return manifest is not None and manifest["files"] == file_checksums(folder)


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != output.MANIFEST_NAME}


def _write_set(target: Path, files: dict[str, bytes], label: str = "") -> None:
    with output_folder(target, command="analyse", label=label) as temporary:
        for name, data in files.items():
            output.atomic_write_bytes(temporary / name, data)


class Boom(Exception):
    pass


FAILURES = st.sampled_from(["ENOSPC", "EIO", "exception", "KeyboardInterrupt", "SystemExit", "UsageError"])


@given(previous=file_sets, new=file_sets, failure=st.one_of(st.none(), st.tuples(FAILURES, st.integers(min_value=0, max_value=12))))
@settings(kit.FUZZ, max_examples=kit.examples(800))
def test_an_error_anywhere_leaves_the_previous_set_or_the_new_one(previous, new, failure, workdir, monkeypatch):
    parent = Path(os.path.join(workdir, f"case-{kit.STATS[TALLY][0]}"))
    parent.mkdir()
    target = parent / "ut"
    with kit.case(TALLY, timeout=30):
        real_fsync, calls = os.fsync, []
        # fsync is where a full disk or an I/O error shows (each file, the manifest, the folders);
        # the others do nothing here: durability against power loss is not what this test checks,
        # and hundreds of real fsyncs would cost a minute of CI
        monkeypatch.setattr(output.os, "fsync", lambda fd: None)
        _write_set(target, previous, "previous")
        before = file_checksums(target)

        def fsync(fd):
            calls.append(fd)
            if failure and failure[0] in ("ENOSPC", "EIO") and len(calls) == failure[1] + 1:
                raise OSError(getattr(errno, failure[0]), os.strerror(getattr(errno, failure[0])))

        monkeypatch.setattr(output.os, "fsync", fsync)
        failed = False
        try:
            with output_folder(target, command="analyse", label="new") as temporary:
                for k, (name, data) in enumerate(new.items()):
                    if failure and k == failure[1]:
                        kind = failure[0]
                        if kind == "exception":
                            raise Boom("a crash between two files")
                        if kind == "KeyboardInterrupt":
                            raise KeyboardInterrupt
                        if kind == "SystemExit":
                            raise SystemExit(1)
                        if kind == "UsageError":
                            raise UsageError("a usage error half-way")
                    output.atomic_write_bytes(temporary / name, data)
        except (OSError, Boom, KeyboardInterrupt, SystemExit, UsageError):
            failed = True
        finally:
            monkeypatch.setattr(output.os, "fsync", real_fsync)
        assert _whole(target), "a mixed set"
        if failed:
            assert file_checksums(target) == before and _contents(target) == previous, "the previous set was lost"
            kit.outcome(TALLY, f"in-process {failure[0]}: previous kept")
        else:
            assert _contents(target) == new, "a stale file survived or a new one is missing"
            kit.outcome(TALLY, "in-process: new set" if failure is None else f"in-process {failure[0]} after the last file: new set")
        assert _leftovers(parent) == []


def _writer(target: Path, label: str, n: int, pause: float, ready) -> None:
    """A run writing ``n`` files into ``target`` (a forked child: no interpreter start per case)."""
    ready.set()
    try:
        with output_folder(target, command="analyse", label=label) as temporary:
            for k in range(n):
                output.atomic_write_bytes(temporary / f"{label}-{k}.csv", (label * 2000).encode())
                time.sleep(pause)
    except UsageError:
        os._exit(2)  # refused (another run holds the lock): the CLI's exit code
    except KeyboardInterrupt:
        os._exit(130)
    os._exit(0)


def _start(target: Path, label: str, n: int, pause: float):
    import multiprocessing

    context = multiprocessing.get_context("fork")
    ready = context.Event()
    process = context.Process(target=_writer, args=(target, label, n, pause, ready), daemon=True)
    process.start()
    return process, ready


def _expected(label: str, n: int) -> dict[str, bytes]:
    return {f"{label}-{k}.csv": (label * 2000).encode() for k in range(n)}


@given(signal_=st.sampled_from([signal.SIGKILL, signal.SIGTERM, signal.SIGINT]), delay=st.floats(min_value=0.0, max_value=0.15), n=st.integers(min_value=1, max_value=12))
@settings(kit.FUZZ, max_examples=kit.examples(60))
def test_a_kill_at_any_moment_leaves_a_whole_set(signal_, delay, n, workdir):
    parent = Path(os.path.join(workdir, f"kill-{kit.STATS[TALLY][0]}"))
    parent.mkdir()
    target = parent / "ut"
    with kit.case(TALLY, timeout=60):
        _write_set(target, _expected("old", 3), "old")
        process, ready = _start(target, "new", n, 0.01)
        ready.wait(30)  # about to write
        time.sleep(delay)
        os.kill(process.pid, signal_)
        process.join(30)
        assert process.exitcode is not None and process.exitcode in (0, 130, -signal_), process.exitcode
        assert _whole(target), "a mixed set after a kill"
        got = _contents(target)
        assert got in (_expected("old", 3), _expected("new", n)), sorted(got)
        kit.outcome(TALLY, f"{signal.Signals(signal_).name}: {'old set kept' if got == _expected('old', 3) else 'new set whole'}")
        _write_set(target, _expected("next", 2), "next")  # the next run clears what the killed one left
        assert _contents(target) == _expected("next", 2) and _leftovers(parent) == []


@given(delay=st.floats(min_value=0.0, max_value=0.05), pause=st.sampled_from([0.0, 0.01, 0.03]))
@settings(kit.FUZZ, max_examples=kit.examples(30))
def test_two_runs_at_once_never_mix(delay, pause, workdir):
    parent = Path(os.path.join(workdir, f"two-{kit.STATS[TALLY][0]}"))
    parent.mkdir()
    target = parent / "ut"
    with kit.case(TALLY, timeout=90):
        first, _ = _start(target, "a", 8, pause)
        time.sleep(delay)
        second, _ = _start(target, "b", 8, pause)
        for process in (first, second):
            process.join(60)
        codes = [first.exitcode, second.exitcode]
        assert 0 in codes and all(c in (0, 2) for c in codes), codes  # the loser is refused (exit 2), never half-written
        assert _whole(target), "a mixed set"
        assert _contents(target) in (_expected("a", 8), _expected("b", 8))
        assert _leftovers(parent) == []
        kit.outcome(TALLY, f"two at once: exits {sorted(codes)}")
