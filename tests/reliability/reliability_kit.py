"""Shared helpers of the reliability suite: case counting, time limits, contracts, file checks.

Imported by name (``conftest.py`` puts this folder on ``sys.path``), so the counters below are one
object for every test module and for the terminal summary ("reliability fuzzing": cases, failures
and how the cases ended, per test and in total).

Every property test is derandomised and uses no example database, so CI runs the same cases each
time. ``RELIABILITY_FUZZ_SCALE=10 pytest tests/reliability`` multiplies the number of cases for a
deeper run (the default keeps the suite within about a minute).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import html
import importlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
OREBRO = DATA / "orebro-2014"
SODERTORN = DATA / "sodertorn-2009"
SHARED_DATA = ROOT.parent / "shared" / "data"
MAPPINGS = DATA / "mappings"

# --------------------------------------------------------------------------------------------
# Hypothesis settings: reproducible in CI (no example database, derandomised), no deadline.

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=100,
    # no shrinking: a failure is reported as found (reproducible, derandomised) instead of costing
    # minutes of shrinking workbooks and CLI runs; the suite stays within its time budget
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much, HealthCheck.large_base_example],
)
"""Base settings of every property test here; tests pass ``max_examples`` to tune their cost."""

SCALE = float(os.environ.get("RELIABILITY_FUZZ_SCALE", "1"))


def examples(n: int) -> int:
    """``n`` examples, times RELIABILITY_FUZZ_SCALE (e.g. 10 for a deeper nightly run)."""
    return max(1, round(n * SCALE))


# --------------------------------------------------------------------------------------------
# Counting cases: every fuzz case goes through :func:`case`, the terminal summary prints the totals.

STATS: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # name -> [cases, failures]
OUTCOMES: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))  # name -> outcome -> cases


def outcome(name: str, label: str) -> None:
    """Tally how a case ended (e.g. 'exit 1'), so the summary shows what the fuzzing reached."""
    OUTCOMES[name][label] += 1


class CaseTimeout(BaseException):
    """A case ran over its time limit (BaseException, so library code cannot swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise :class:`CaseTimeout` in the main thread when the block runs longer than ``seconds``."""
    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows: no guard, the CLI tests still have one
        yield
        return

    def _alarm(signum, frame):
        raise CaseTimeout(f"the case ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def case(name: str, *, timeout: float = 20.0):
    """One fuzz case: counted under ``name``, run under a time limit; a failure is counted, then raised."""
    STATS[name][0] += 1
    CURRENT.append(name)
    try:
        with time_limit(timeout):
            yield
    except CaseTimeout as exc:
        STATS[name][1] += 1
        raise AssertionError(f"hang: {exc}") from None
    except BaseException:
        STATS[name][1] += 1
        raise
    finally:
        CURRENT.pop()


def summary_lines(xfailed: set[str] | None = None) -> list[str]:
    lines = []
    total = failures = 0
    for name in sorted(STATS):
        n, f = STATS[name]
        total += n
        failures += f
        flag = " (xfail: known bug)" if xfailed and any(name in x for x in xfailed) else ""
        ends = ", ".join(f"{label}: {count}" for label, count in sorted(OUTCOMES[name].items())) if name in OUTCOMES else ""
        lines.append(f"fuzz: {name}: {n} cases, {f} failures{flag}" + (f" ({ends})" if ends else ""))
    lines.append(f"fuzz: {total} cases, {failures} failures")
    return lines


# --------------------------------------------------------------------------------------------
# Contracts


def check_problem(problem) -> None:
    """A problem a person can find: file, Excel row (or none), column, known severity, printable."""
    from samverkan.errors import Problem

    assert isinstance(problem, Problem), problem
    assert problem.severity in ("error", "warning"), problem
    assert isinstance(problem.file, str) and problem.file, problem
    assert problem.row is None or (isinstance(problem.row, int) and problem.row >= 1), problem
    assert problem.column is None or isinstance(problem.column, str), problem
    assert isinstance(problem.code, str) and problem.code, problem
    assert isinstance(problem.message, str) and problem.message, problem
    assert isinstance(str(problem), str)


def check_validation(package, problems) -> None:
    """validate_package's contract: a package and no errors, or no package and at least one error."""
    from samverkan.model import TABLES

    assert isinstance(problems, list)
    for problem in problems:
        check_problem(problem)
    errors = [p for p in problems if p.is_error]
    if package is None:
        assert errors, "no package, but no error says why"
        return
    assert not errors, f"a package came back although there are errors: {errors[:3]}"
    for name, table in TABLES.items():
        frame = package.tables[name]
        assert list(frame.columns[: len(table.columns)]) == table.column_names, (name, list(frame.columns))
        for column in table.columns:
            if column.kind in ("text", "id", "list") or column.kind.startswith(("ref:", "list:", "vocab:")):
                assert all(isinstance(v, str) for v in frame[column.name]), (name, column.name)


def check_raw_table(raw) -> None:
    """read_csv_table / read_excel_tables: strings only, rectangular, row numbers as a person sees them."""
    assert isinstance(raw.header, list) and all(isinstance(h, str) for h in raw.header)
    assert len(raw.records) == len(raw.rows)
    previous = 1
    for record, row in zip(raw.records, raw.rows):
        assert len(record) == len(raw.header)
        assert all(isinstance(c, str) for c in record)
        assert row > previous, (row, previous)
        previous = row
    for problem in raw.problems:
        check_problem(problem)


CURRENT: list[str] = []  # the fuzz case running now (see case), to tally its outcome


def validate_checked(path: Path):
    """validate_package under its contract; returns (package, problems)."""
    from samverkan.io.package import validate_package

    package, problems = validate_package(path)
    check_validation(package, problems)
    if CURRENT:
        outcome(CURRENT[-1], "valid package" if package is not None else "validation report")
    return package, problems


# --------------------------------------------------------------------------------------------
# Packages and files


def copy_package(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


def snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """sha256, mtime (ns) and size of every file below ``folder``."""
    out = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            stat = path.stat()
            out[str(path.relative_to(folder))] = (hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns, stat.st_size)
    return out


def visible_files(folder: Path) -> list[Path]:
    """Files below ``folder`` whose name does not start with '.' (temporary names do)."""
    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def read_csv_rows(path: Path) -> list[list[str]]:
    text = Path(path).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def xlsx_cells(path: Path):
    """(sheet, coordinate, value, data_type) of every non-empty cell of a workbook."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)  # not read-only: formulas stay formulas
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        yield sheet.title, cell.coordinate, cell.value, cell.data_type
    finally:
        workbook.close()


def searchable_text(path: Path) -> str:
    """The text of an output file as a reader could see it: xlsx cells and their XML, HTML unescaped,
    JSON \\u escapes decoded; binary images give ''."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".png", ".jpg", ".jpeg", ".gif", ".pdf"):
        return ""
    data = path.read_bytes()
    parts: list[str] = []
    if suffix in (".xlsx", ".xlsm") or data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                parts.append(archive.read(member).decode("utf-8", errors="replace"))
        with contextlib.suppress(Exception):
            parts.extend(str(v) for _, _, v, _ in xlsx_cells(path))
    else:
        parts.append(data.decode("utf-8", errors="replace"))
    text = "\n".join(parts)
    decoded = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return "\n".join([text, html.unescape(text), decoded, html.unescape(decoded)])


# --------------------------------------------------------------------------------------------
# Running the CLI


def cli_env(**extra) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SAMVERKAN_DEBUG", None)
    env.setdefault("PYTHONHASHSEED", "0")
    env["MPLBACKEND"] = "Agg"
    env.update({k: str(v) for k, v in extra.items()})
    return env


def cli_command(*args) -> list[str]:
    return [sys.executable, "-m", "samverkan.cli", *[str(a) for a in args]]


def run_cli(*args, timeout: float = 120, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``samverkan ARGS`` in a subprocess (a real process: its own hash seed, no shared state)."""
    return subprocess.run(cli_command(*args), capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout, env=env or cli_env(), cwd=cwd or ROOT)


def invoke(*args):
    """Run the CLI in-process with click's runner; returns the click Result."""
    from click.testing import CliRunner

    from samverkan.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


def assert_clean_exit(result, allowed=(0, 1), *, tally: str | None = None) -> None:
    """An in-process CLI result that ended by sys.exit with an allowed code and no traceback."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        raise AssertionError("uncaught exception:\n" + "".join(traceback.format_exception(result.exception)))
    assert result.exit_code in allowed, (result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output
    if tally:
        outcome(tally, f"exit {result.exit_code}")


# --------------------------------------------------------------------------------------------
# Modules written by others while this suite was written


ANALYSIS_MODULES = (
    "samverkan.metrics.bridging",
    "samverkan.metrics.density",
    "samverkan.metrics.groups",
    "samverkan.metrics.ownership",
    "samverkan.metrics.white_spots",
)
VIEW_MODULES = ("samverkan.report",)
IMPORT_MODULES = ("samverkan.io.flat_import", "samverkan.io.mapping")
COMPARE_MODULES = ("samverkan.compare.run",)


def missing_modules(names) -> list[str]:
    missing = []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def require(names) -> None:
    """Skip the calling test when a module it needs has not landed yet."""
    import pytest

    missing = missing_modules(names)
    if missing:
        pytest.skip(f"not written yet: {', '.join(missing)}")


def skip_if_stub(exc: BaseException) -> None:
    """Skip (not fail) when a run died on a stub (NotImplementedError) or a module not yet written."""
    import pytest

    if isinstance(exc, (NotImplementedError, ModuleNotFoundError)):
        pytest.skip(f"a module the run needs is not written yet: {exc.__class__.__name__}: {exc}")


def stub_in_output(text: str) -> bool:
    return "NotImplementedError" in text or "ModuleNotFoundError" in text or "No module named" in text


# --------------------------------------------------------------------------------------------
# Hostile text

HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '=HYPERLINK("http://evil","x")',
    "+SUM(1)",
    "-2+3",
    "@cmd",
    "Rad\u2028skiljare AB",
    "<!--kommentar",
    "{{title}} mall",
    "\uff1dfullwidth",
]
"""Organisation, project and contact names that try HTML, script, template and spreadsheet injection."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^-?(inf|nan)$", re.IGNORECASE)


def is_dangerous_cell(value: str) -> bool:
    """A text a spreadsheet would run as a formula: starts with = + - @ (or tab/CR) and is not a plain number."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value)


def json_load(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def elapsed(fn, *args, **kwargs):
    clock = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - clock


# --------------------------------------------------------------------------------------------
# Strategies and CSV helpers shared by the fuzz modules

# Characters that break CSV readers, spreadsheets and terminals, and Swedish text.
NASTY_CHARS = list(",;\t\"'\n\r |") + [
    "\x00",
    "\x01",
    "\x07",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffd",
    "å",
    "ä",
    "ö",
    "Å",
    "Ä",
    "Ö",
    "é",
    "ü",
    "–",
    "😀",
    "=",
    "+",
    "-",
    "@",
    "<",
    ">",
    "&",
    "0",
    "9",
    "a",
    "Z",
]
nasty_text = st.lists(st.sampled_from(NASTY_CHARS) | st.characters(codec="utf-8"), max_size=300).map("".join)
one_line_nasty_text = nasty_text.map(lambda s: s.replace("\n", " ").replace("\r", " "))
long_text = st.builds(lambda unit, n: unit * n, st.sampled_from(["x", "å", "😀", ";", '"', "<b>", " "]), st.integers(1_000, 40_000))
cell_text = st.one_of(st.sampled_from(HOSTILE_NAMES), nasty_text, long_text)


def csv_bytes(rows, *, separator=",", newline="\r\n", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator=newline).writerows(rows)
    text = buffer.getvalue()
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


# --------------------------------------------------------------------------------------------
# A package with hostile names and personal data (for the injection and privacy tests)

PERSONS = [
    ("Astrid Qvarnström", "astrid.qvarnstrom@huddinge.example.se"),
    ("Bertil Zetterlund", "bertil.zetterlund@botkyrka.example.se"),
    ("Çetin Yıldırım-Öhman", "cetin.yildirim@haninge.example.se"),
    ("Dagny Wahlgrén", "dagny+projekt@tyreso.example.se"),
    ("Eskil Fjällbrink", "eskil.fjallbrink@af.example.se"),
]
"""Made-up personal names and e-mail addresses, unusual enough that no other text contains them."""

HOSTILE_ID = '=2+5+cmd("/C calc")!A0'


def build_hostile_package(target: Path) -> dict:
    """Södertörn 2009 with hostile organisation, project, target-group and effort names, one
    hostile organisation id, and personal names and e-mail addresses on the contacts.

    Returns what was planted: ``{"names": [...], "persons": [(name, email), ...], "emails": [...]}``."""
    from samverkan.io.package import read_package, write_package
    from samverkan.model import TABLES

    package = read_package(SODERTORN)
    tables = {name: frame.copy() for name, frame in package.tables.items()}
    organisations = tables["organisations"]
    for i, name in enumerate(HOSTILE_NAMES):
        organisations.loc[i, "name"] = name
    old_id = organisations.loc[len(HOSTILE_NAMES), "id"]
    for name, table in TABLES.items():
        for column in table.columns:
            if column.ref_table == "organisations" or (name == "organisations" and column.name == "id"):
                tables[name][column.name] = [HOSTILE_ID if v == old_id else v for v in tables[name][column.name]]
    for name, column in (("projects", "name"), ("target_groups", "name"), ("efforts", "name")):
        frame = tables[name]
        for i in range(min(len(frame), 3)):
            frame.loc[i, column] = HOSTILE_NAMES[(i + len(name)) % len(HOSTILE_NAMES)]
    contacts = tables["contacts"]
    persons = []
    for i in range(len(contacts)):
        person, email = PERSONS[i % len(PERSONS)]
        if i >= len(PERSONS):
            person, email = f"{person} {i}", email.replace("@", f".{i}@")
        contacts.loc[i, "name"] = person
        contacts.loc[i, "email"] = email
        persons.append((person, email))
    package.tables = tables
    write_package(package, target)
    return {"names": list(HOSTILE_NAMES), "persons": persons, "emails": [e for _, e in persons]}


def documented_clean(value: str) -> str:
    """What the readers promise to keep of a cell: NUL dropped, trimmed, and the apostrophe that
    samverkan writes before formula-like text (safe_cell) removed again (unneutralise)."""
    from samverkan.io.output import unneutralise

    return unneutralise(value.replace("\x00", "").strip())
