"""Read and write a samverkan data package: a folder of CSV files or one Excel workbook.

:func:`read_package` finds the tables (by English or Swedish file/sheet name), types every cell,
checks keys, references and cycles, and either returns a :class:`Package` (with its warnings) or
raises :class:`~samverkan.errors.InputError` carrying every problem. Input files are only read.
"""

from __future__ import annotations

import dataclasses

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ERROR, WARNING, InputError, Problem, UsageError, sorted_problems
from ..model import TABLES, canonical_table, normalise_key
from .output import atomic_write_text, frame_to_csv_text, write_xlsx
from .tables import RawTable, cyclic_gc_paused, read_csv_table, read_excel_tables
from .validate import TypedTable, empty_frame, check_references, closest, type_table

__all__ = ["Package", "read_package", "write_package", "validate_package", "empty_package"]

CSV_SUFFIXES = (".csv", ".txt", ".tsv", ".csv.gz")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Package:
    """Typed tables of one package, with the warnings found while reading it.

    Every table has its canonical columns (see :mod:`samverkan.model`) in order, then any extra
    columns the user had. Text is ``str`` (``""`` when empty), dates are ``datetime64`` (NaT when
    empty), numbers ``float`` (NaN), booleans ``bool``; list cells stay ``|``-joined strings.
    """

    tables: dict[str, pd.DataFrame]
    source: str = ""
    warnings: list[Problem] = field(default_factory=list)
    rows: dict[str, list[int]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    name: str = ""
    title: str = ""  # what the data is, for page titles: README's first heading or a mapping's [source] description

    def __getattr__(self, item: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if item in TABLES:
            return tables[item]
        raise AttributeError(item)


def empty_package(name: str = "") -> Package:
    """A package with every table present and empty."""
    return Package({t: empty_frame(TABLES[t]) for t in TABLES}, name=name)


def _split_suffix(name: str) -> tuple[str, str] | None:
    """``("organisationer", ".csv")`` for a table file name, None for any other file."""
    lower = name.lower()
    suffix = next((s for s in sorted(CSV_SUFFIXES, key=len, reverse=True) if lower.endswith(s)), None)
    return None if suffix is None else (name[: -len(suffix)], suffix)


def _table_names() -> list[str]:
    return [a for t in TABLES.values() for a in (t.name, *t.aliases)]


def _list_folder(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_file())
    except OSError as exc:
        raise UsageError(f"cannot read the folder {folder}: {exc.strerror or exc}") from None


def table_files(folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in _list_folder(folder):
        split = _split_suffix(path.name)
        if split is None:
            continue
        table = canonical_table(split[0])
        if table is None:
            continue
        if table in found:
            problems.append(
                Problem(ERROR, path.name, None, None, "duplicate-table", f"both {found[table].name} and {path.name} hold the {table} table", hint="keep one of them (move or rename the other)")
            )
            continue
        found[table] = path
    try:  # a table's name on something that is not a regular file (a folder, a FIFO) is not skipped silently
        others = sorted(p for p in folder.iterdir() if not p.is_file())
    except OSError:
        others = []
    for path in others:
        split = _split_suffix(path.name)
        if split is not None and canonical_table(split[0]) is not None:
            problems.append(
                Problem(
                    ERROR,
                    path.name,
                    None,
                    None,
                    "not-a-file",
                    f"{path.name} has the name of the {canonical_table(split[0])} table but is not a regular file (a folder, a pipe or a device)",
                    hint="replace it by the CSV file, or rename it",
                )
            )
    return found, problems


def read_raw_tables(path: Path) -> tuple[dict[str, RawTable], list[Problem], str]:
    """The raw tables of a package folder or workbook, keyed by canonical table name."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"no such file or folder: {path}")
    problems: list[Problem] = []
    raw: dict[str, RawTable] = {}
    if path.is_dir():
        files, problems = table_files(path)
        for table, file in files.items():
            try:
                raw[table] = read_csv_table(file)
            except OSError as exc:
                problems.append(
                    Problem(ERROR, file.name, None, None, "unreadable-file", f"cannot be read: {exc.strerror or exc}", hint="check that the file is not open elsewhere and that you may read it")
                )
        for other in _list_folder(path):
            split = _split_suffix(other.name)
            if split is None or canonical_table(split[0]) is not None:
                continue
            match = closest(split[0], _table_names(), cutoff=0.7)
            if match:
                problems.append(Problem(WARNING, other.name, None, None, "unknown-table", "the file is not read: its name is not a table name", hint=f"did you mean '{match[0]}{split[1]}'?"))
        location = str(path)
    elif path.name.lower().endswith(EXCEL_SUFFIXES):
        sheets, problems = read_excel_tables(path)
        for sheet, table_raw in sheets.items():
            table = canonical_table(sheet)
            if table is None:
                match = closest(normalise_key(sheet), _table_names(), cutoff=0.7)
                if match:
                    problems.append(
                        Problem(WARNING, table_raw.file, None, None, "unknown-table", "the sheet is not read: its name is not a table name", value=sheet, hint=f"did you mean '{match[0]}'?")
                    )
                continue
            if table in raw:
                problems.append(Problem(ERROR, table_raw.file, None, None, "duplicate-table", f"two sheets hold the {table} table ({raw[table].file} and this one)", hint="keep one of them"))
                continue
            raw[table] = table_raw
        location = str(path)
    elif path.name.lower().endswith(".xls"):
        raise UsageError(f"{path.name} is an old Excel file (.xls); open it in Excel and save it as .xlsx")
    elif _split_suffix(path.name) is not None:
        raise UsageError(f"{path} is neither a folder of CSV files nor an Excel workbook (.xlsx) but one table; give the folder that holds the package's CSV files")
    else:
        raise UsageError(f"{path} is neither a folder of CSV files nor an Excel workbook (.xlsx)")
    return raw, problems, location


def validate_package(path: Path) -> tuple[Package | None, list[Problem]]:
    """Read and check a package; the package (None if it has errors) and every problem found.

    Input files are only read, never written. Problems are sorted errors first.
    """
    with cyclic_gc_paused():  # the raw records are many lists of str: no cycles to look for (see tables.py)
        return _validate_package(Path(path))


def _validate_package(path: Path) -> tuple[Package | None, list[Problem]]:
    raw, problems, location = read_raw_tables(path)
    typed: dict[str, TypedTable] = {}
    workbook = path.name if path.is_file() else None
    for name, table in TABLES.items():
        if name not in raw:
            if table.optional:
                continue
            if workbook and any(p.code == "unreadable-file" for p in problems):
                continue  # the workbook itself could not be read; that is the problem to fix
            file = f"{workbook}[{name}]" if workbook else f"{name}.csv"
            if workbook:
                where = f"add a sheet named '{name}' (also accepted: {', '.join(table.aliases[:3])})"
            else:
                where = f"add a file named '{name}.csv' (also accepted: {', '.join(a + '.csv' for a in table.aliases[:3])})"
            problems.append(Problem(ERROR, file, None, None, "missing-table", f"the package has no {name} table", hint=f"{where} with at least the header: {', '.join(table.required)}"))
            continue
        raw_table = raw[name]
        if not raw_table.header:
            problems += raw_table.problems
            if not any(p.is_error for p in raw_table.problems):
                problems.append(Problem(ERROR, raw_table.file, 1, None, "empty-table", "the table has no header row", hint=f"write at least the header: {', '.join(table.required)}"))
            continue
        typed_table, table_problems = type_table(raw_table, table)
        if name == "key_figures":  # periods as years or months, one row per area × indicator × period × gender
            from .key_figures import check_key_figures

            checked, more = check_key_figures(typed_table.frame, typed_table.rows, typed_table.file)
            typed_table = dataclasses.replace(typed_table, frame=checked)
            table_problems = [*table_problems, *more]
        typed[name] = typed_table
        problems += table_problems
    problems += check_references(typed)
    if typed and not any(p.is_error for p in problems) and all(len(t.frame) == 0 for t in typed.values()):
        problems.append(
            Problem(
                WARNING,
                location,
                None,
                None,
                "empty-package",
                "the package is empty: every table has only its header, so there is nothing to analyse",
                hint="fill in organisations, projects and participations (see docs/data-format.md)",
            )
        )
    problems = sorted_problems(problems)
    if any(p.is_error for p in problems):
        return None, problems
    tables = {}
    for name, table in TABLES.items():
        tables[name] = typed[name].frame if name in typed else empty_frame(table)
    package = Package(
        tables,
        source=location,
        warnings=[p for p in problems if not p.is_error],
        rows={n: t.rows for n, t in typed.items()},
        files={n: t.file for n, t in typed.items()},
        name=path.stem if path.is_file() else path.name,
        title=package_title(path),
    )
    return package, problems


TITLE_FILES = ("README.md", "README.txt", "README", "LÄSMIG.md")


def package_title(path: Path) -> str:
    r"""The title a package gives itself: a ``title:`` line or the first heading of the README
    beside its tables; ``""`` when there is none (and for a workbook). Never the folder name.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "README.md").write_text("Intro\n\n# Södertörn 2009: Introduktion Södertörn\n", encoding="utf-8")
    >>> package_title(folder)
    'Södertörn 2009: Introduktion Södertörn'
    """
    folder = Path(path)
    if not folder.is_dir():  # a workbook: its README would be whatever lies beside it
        return ""
    for name in TITLE_FILES:
        readme = folder / name
        if not readme.is_file():
            continue
        try:
            lines = readme.read_text(encoding="utf-8-sig", errors="replace").splitlines()[:200]
        except OSError:
            return ""
        for line in lines:
            stripped = line.strip()
            if stripped.lower().startswith("title:"):
                return stripped[6:].strip()
            if stripped.startswith("# "):
                return stripped[2:].strip()
        return ""
    return ""


def read_package(path: Path) -> Package:
    """Read a valid package or raise :class:`InputError` with every problem found."""
    package, problems = validate_package(path)
    if package is None:
        raise InputError(problems)
    return package


def write_package(package: Package, path: Path, *, format: str | None = None) -> Path:
    """Write a package as a folder of CSV files (UTF-8) or one .xlsx; reading it back gives the same tables.

    Text that Excel would run as a formula is written with a leading apostrophe, which the
    readers remove again, so the round trip is exact and the files are safe to open. Every file
    is written atomically. Returns the path written (``.xlsx`` is added when ``format="xlsx"``
    and the name lacks it). Raises :class:`UsageError` rather than write a folder in which
    another file would be read as one of the tables.
    """
    path = Path(path)
    format = format or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    if format == "xlsx":
        if path.suffix.lower() not in EXCEL_SUFFIXES:
            path = path.with_name(path.name + ".xlsx")  # so that read_package knows it for a workbook
        if path.is_dir():
            raise UsageError(f"{path} is a folder; give a file name ending in .xlsx")
        return write_xlsx(dict(package.tables), path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path} is a file; give a folder to write the CSV files into")
    if path.is_dir():
        ours = {f"{name}.csv" for name in package.tables}
        for existing in _list_folder(path):
            split = _split_suffix(existing.name)
            if existing.name not in ours and split is not None and canonical_table(split[0]) in package.tables:
                raise UsageError(f"{existing} would be read as the {canonical_table(split[0])} table beside the one written now; choose an empty folder or remove it")
    path.mkdir(parents=True, exist_ok=True)
    for name, frame in package.tables.items():
        atomic_write_text(path / f"{name}.csv", frame_to_csv_text(frame))
    title = getattr(package, "title", "")
    if title and not any((path / name).exists() for name in TITLE_FILES):
        # the title travels with the package (read back by package_title)
        atomic_write_text(path / "README.md", f"# {' '.join(title.split())}\n")
    return path
