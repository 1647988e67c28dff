"""Read one table from a CSV file or an Excel sheet into strings, exactly as the user wrote it.

Nothing is interpreted here except the file's encoding and separator: every cell becomes a
``str`` with surrounding whitespace trimmed, empty cells become ``""``. Each record keeps the row
number a person sees in Excel or a text editor (header = row 1), so every later problem can be
reported where the user can find it.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ERROR, WARNING, Problem

__all__ = ["RawTable", "read_csv_table", "read_excel_tables", "decode_bytes", "sniff_separator"]

MAX_CELL = 1_000_000  # characters; larger cells are cut and reported
csv.field_size_limit(64 * 1024 * 1024)


@dataclass
class RawTable:
    """A table as strings: header as written, records, and each record's row number."""

    file: str  # as shown to the user: "organisations.csv" or "paket.xlsx[organisationer]"
    header: list[str]
    records: list[list[str]]
    rows: list[int]
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    separator: str | None = None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), falling back to cp1252, Swedish Excel's export."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").lstrip("\ufeff"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_separator(text: str) -> str:
    """The separator used in the header line: ``;`` (Swedish Excel), ``,`` or tab."""
    first = ""
    for line in text.splitlines():
        if line.strip():
            first = line
            break
    counts = {sep: _count_outside_quotes(first, sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda s: (counts[s], s == ","))
    return best if counts[best] > 0 else ","


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            count += 1
    return count


_NEUTRALISED = ("'=", "'+", "'-", "'@")


def _clean(cell: str) -> str:
    """Trim whitespace; undo the apostrophe samverkan puts before formula-like cells it writes."""
    cell = cell.strip().replace("\x00", "")
    if cell.startswith(_NEUTRALISED):
        cell = cell[1:]
    return cell


def read_csv_table(path: Path, *, display: str | None = None) -> RawTable:
    """Read a CSV file (optionally gzip-compressed) into a :class:`RawTable`.

    Rows with more fields than the header are reported; shorter rows are padded with empty cells
    (Excel drops trailing empty cells). Blank lines are skipped.
    """
    path = Path(path)
    name = display or path.name
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            return RawTable(name, [], [], [], [Problem(ERROR, name, None, None, "unreadable-file", f"not a readable gzip file: {exc}", hint="give the file uncompressed or as a valid .gz")])
    text, encoding = decode_bytes(data)
    problems: list[Problem] = []
    if "\ufffd" in text and encoding == "cp1252":
        problems.append(Problem(WARNING, name, None, None, "encoding", "some bytes are neither UTF-8 nor cp1252 and were replaced by �", hint="save the file as UTF-8"))
    separator = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: list[str] | None = None
    records: list[list[str]] = []
    rows: list[int] = []
    row_number = 0
    try:
        for record in reader:
            row_number += 1
            if not any(cell.strip() for cell in record):
                continue
            cells = [_clean(c) for c in record]
            if header is None:
                header = cells
                continue
            cells = _fit_width(cells, len(header), name, row_number, problems)
            records.append(cells)
            rows.append(row_number)
    except csv.Error as exc:
        problems.append(Problem(ERROR, name, row_number + 1, None, "csv-syntax", f"the CSV cannot be read past this row: {exc}", hint="check for an unclosed quote (\")"))
    if header is None:
        return RawTable(name, [], [], [], problems, encoding, separator)
    _check_cells(name, header, records, rows, problems)
    return RawTable(name, header, records, rows, problems, encoding, separator)


def _fit_width(cells: list[str], width: int, name: str, row: int, problems: list[Problem]) -> list[str]:
    if len(cells) > width:
        extra = [c for c in cells[width:] if c]
        if extra:
            problems.append(
                Problem(ERROR, name, row, None, "too-many-cells", f"the row has {len(cells)} cells but the header has {width}", value=extra[0], hint="remove the extra cells or quote cells that contain the separator")
            )
        return cells[:width]
    return cells + [""] * (width - len(cells))


def _check_cells(name: str, header: list[str], records: list[list[str]], rows: list[int], problems: list[Problem]) -> None:
    for record, row in zip(records, rows):
        for i, cell in enumerate(record):
            if len(cell) > MAX_CELL:
                record[i] = cell[:MAX_CELL]
                problems.append(Problem(WARNING, name, row, header[i] or None, "huge-cell", f"the cell has {len(cell):,} characters; only the first {MAX_CELL:,} are kept"))


def _excel_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return _clean(str(value))


def read_excel_tables(path: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read every sheet of an .xlsx workbook (openpyxl, read-only) into RawTables by sheet name.

    Empty trailing rows and columns are ignored; formulas are read as their cached values.
    """
    import openpyxl  # imported here: only Excel packages need it
    from zipfile import BadZipFile

    path = Path(path)
    problems: list[Problem] = []
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as exc:
        return {}, [Problem(ERROR, path.name, None, None, "unreadable-file", f"not a readable Excel workbook (.xlsx): {exc.__class__.__name__}", hint="save it from Excel as .xlsx, or give a folder of CSV files")]
    tables: dict[str, RawTable] = {}
    try:
        for sheet in workbook.worksheets:
            display = f"{path.name}[{sheet.title}]"
            header: list[str] | None = None
            records: list[list[str]] = []
            rows: list[int] = []
            for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_excel_cell(v) for v in values]
                if not any(cells):
                    continue
                if header is None:
                    while cells and not cells[-1]:
                        cells.pop()
                    header = cells
                    continue
                cells = _fit_width(cells, len(header), display, row_number, problems)
                records.append(cells)
                rows.append(row_number)
            sheet_problems: list[Problem] = []
            if header is not None:
                _check_cells(display, header, records, rows, sheet_problems)
            tables[sheet.title] = RawTable(display, header or [], records, rows, sheet_problems)
    except Exception as exc:  # a damaged workbook can fail anywhere inside openpyxl
        problems.append(Problem(ERROR, path.name, None, None, "unreadable-file", f"the workbook is damaged and cannot be read: {exc.__class__.__name__}", hint="open it in Excel and save it again as .xlsx"))
    finally:
        workbook.close()
    return tables, problems
