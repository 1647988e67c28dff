"""Read and write a samverkan data package: a folder of CSV files or one Excel workbook.

:func:`read_package` finds the tables (by English or Swedish file/sheet name), types every cell,
checks keys, references and cycles, and either returns a :class:`Package` (with its warnings) or
raises :class:`~samverkan.errors.InputError` carrying every problem. Input files are only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ERROR, WARNING, InputError, Problem, UsageError
from ..model import TABLES, canonical_table
from .output import atomic_write_text, frame_to_csv_text, write_xlsx
from .tables import RawTable, read_csv_table, read_excel_tables
from .validate import TypedTable, check_references, closest, type_table

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

    def __getattr__(self, item: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if item in TABLES:
            return tables[item]
        raise AttributeError(item)


def empty_package(name: str = "") -> Package:
    """A package with every table present and empty."""
    from .validate import _empty_frame

    return Package({t: _empty_frame(TABLES[t]) for t in TABLES}, name=name)


def _table_files(folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        lower = path.name.lower()
        suffix = next((s for s in CSV_SUFFIXES if lower.endswith(s)), None)
        if suffix is None or not path.is_file():
            continue
        stem = path.name[: -len(suffix)]
        table = canonical_table(stem)
        if table is None:
            continue
        if table in found:
            problems.append(Problem(ERROR, path.name, None, None, "duplicate-table", f"both {found[table].name} and {path.name} hold the {table} table", hint="keep one of them"))
            continue
        found[table] = path
    return found, problems


def read_raw_tables(path: Path) -> tuple[dict[str, RawTable], list[Problem], str]:
    """The raw tables of a package folder or workbook, keyed by canonical table name."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"no such file or folder: {path}")
    problems: list[Problem] = []
    raw: dict[str, RawTable] = {}
    if path.is_dir():
        files, problems = _table_files(path)
        for table, file in files.items():
            try:
                raw[table] = read_csv_table(file)
            except OSError as exc:
                problems.append(Problem(ERROR, file.name, None, None, "unreadable-file", f"cannot be read: {exc.strerror or exc}"))
        others = [p.name for p in sorted(path.iterdir()) if p.is_file() and p.name.lower().endswith(CSV_SUFFIXES) and canonical_table(p.name.split(".")[0]) is None]
        for other in others:
            match = closest(other.split(".")[0], [a for t in TABLES.values() for a in (t.name, *t.aliases)], cutoff=0.7)
            if match:
                problems.append(Problem(WARNING, other, None, None, "unknown-table", "the file is not read: its name is not a table name", hint=f"did you mean '{match[0]}.csv'?"))
        location = str(path)
    elif path.name.lower().endswith(EXCEL_SUFFIXES):
        sheets, problems = read_excel_tables(path)
        for sheet, table_raw in sheets.items():
            table = canonical_table(sheet)
            if table is None:
                continue
            if table in raw:
                problems.append(Problem(ERROR, table_raw.file, None, None, "duplicate-table", f"two sheets hold the {table} table", hint="keep one of them"))
                continue
            raw[table] = table_raw
        location = str(path)
    else:
        raise UsageError(f"{path} is neither a folder of CSV files nor an Excel workbook (.xlsx)")
    return raw, problems, location


def validate_package(path: Path) -> tuple[Package | None, list[Problem]]:
    """Read and check a package; the package (None if it has errors) and every problem found."""
    path = Path(path)
    raw, problems, location = read_raw_tables(path)
    typed: dict[str, TypedTable] = {}
    workbook = path.name if path.is_file() else None
    for name, table in TABLES.items():
        if name not in raw:
            if table.optional:
                continue
            aliases = ", ".join(table.aliases[:3])
            file = f"{workbook}[{name}]" if workbook else f"{name}.csv"
            problems.append(Problem(ERROR, file, None, None, "missing-table", f"the package has no {name} table", hint=f"add {'a sheet' if workbook else 'a file'} named '{name}' (or {aliases}) with at least the header: {', '.join(table.required)}"))
            continue
        raw_table = raw[name]
        if not raw_table.header:
            if any(p.is_error for p in raw_table.problems):
                problems += raw_table.problems
                continue
            problems.append(Problem(ERROR, raw_table.file, 1, None, "empty-table", "the table has no header row", hint=f"write at least the header: {', '.join(table.required)}"))
            continue
        typed_table, table_problems = type_table(raw_table, table)
        typed[name] = typed_table
        problems += table_problems
    problems += check_references(typed)
    if any(p.is_error for p in problems):
        return None, problems
    tables = {}
    from .validate import _empty_frame

    for name, table in TABLES.items():
        tables[name] = typed[name].frame if name in typed else _empty_frame(table)
    package = Package(
        tables,
        source=location,
        warnings=[p for p in problems if not p.is_error],
        rows={n: t.rows for n, t in typed.items()},
        files={n: t.file for n, t in typed.items()},
        name=path.stem if path.is_file() else path.name,
    )
    return package, problems


def read_package(path: Path) -> Package:
    """Read a valid package or raise :class:`InputError` with every problem found."""
    package, problems = validate_package(path)
    if package is None:
        raise InputError(problems)
    return package


def write_package(package: Package, path: Path, *, format: str | None = None) -> Path:
    """Write a package as a folder of CSV files (UTF-8) or one .xlsx; reading it back gives the same tables.

    Text that Excel would run as a formula is written with a leading apostrophe, which the
    readers remove again, so the round trip is exact and the files are safe to open.
    """
    path = Path(path)
    format = format or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    if format == "xlsx":
        return write_xlsx(dict(package.tables), path)
    path.mkdir(parents=True, exist_ok=True)
    for name, frame in package.tables.items():
        atomic_write_text(path / f"{name}.csv", frame_to_csv_text(frame))
    return path
