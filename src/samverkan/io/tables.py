"""Read one table from a CSV file or an Excel sheet into strings, exactly as the user wrote it.

Nothing is interpreted here except the file's encoding and separator: every cell becomes a
``str`` with surrounding whitespace trimmed, empty cells become ``""``. Each record keeps the row
number a person sees in Excel (header = row 1 when the file starts with it; blank rows count, as
they do in Excel), so every later problem can be reported where the user can find it.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import gzip
import io
import re
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from ..errors import ERROR, WARNING, Problem
from .output import unneutralise

__all__ = ["RawTable", "read_csv_table", "read_excel_tables", "decode_bytes", "sniff_separator", "cyclic_gc_paused"]

MIXED_ENCODING = "utf-8+cp1252"  # each line read in the encoding it was written in
MAX_CELL = 1_000_000  # characters; larger cells are cut and reported
csv.field_size_limit(64 * 1024 * 1024)

_LINE_END = re.compile(r"\r\n|\r|\n")
# control characters that text files do not hold; \x0b (Word's manual line break) and \x0c do
# turn up in real exports, so they do not count towards calling a file binary
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass
class RawTable:
    """A table as strings: header as written, records, and each record's row number.

    ``header_row`` is the row of the header itself: 1 unless blank rows come before it.
    """

    file: str  # as shown to the user: "organisations.csv" or "paket.xlsx[organisationer]"
    header: list[str]
    records: list[list[str]]
    rows: list[int]
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    separator: str | None = None
    header_row: int = 1


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), falling back to cp1252, Swedish Excel's export.

    UTF-16 (Excel's "Unicode text") is recognised by its BOM, or without one by its zero bytes.

    >>> decode_bytes("Örebro".encode("cp1252")), decode_bytes("Örebro".encode("utf-8-sig"))
    (('Örebro', 'cp1252'), ('Örebro', 'utf-8-sig'))
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").lstrip("\ufeff"), "utf-16"
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    decoded, mixed = [], False
    for line in lines:
        try:
            text = line.decode("utf-8")
            mixed = mixed or not line.isascii()
        except UnicodeDecodeError:
            text = line.decode("cp1252", errors="replace")
        decoded.append(text)
    if mixed:  # some lines are UTF-8 and others cp1252 (rows pasted from two sources)
        return "".join(decoded), MIXED_ENCODING
    return data.decode("cp1252", errors="replace"), "cp1252"


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _not_text(data: bytes, text: str) -> str | None:
    """Why the bytes are not a CSV file (a workbook, binary data), or None when they look like text."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        return "binary"
    return None


def sniff_separator(text: str) -> str:
    """The separator used in the header line: ``;`` (Swedish Excel), ``,`` or tab.

    >>> sniff_separator("id;namn;typ\\n"), sniff_separator('id,"a;b"\\n'), sniff_separator("id\\n")
    (';', ',', ',')
    """
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


def _clean(cell: str) -> str:
    """Trim whitespace; undo the apostrophe samverkan puts before formula-like cells it writes.

    >>> _clean("  Örebro "), _clean("'=SUM(A1)"), _clean("'-5"), _clean("'Sthlm")
    ('Örebro', '=SUM(A1)', '-5', "'Sthlm")
    """
    return unneutralise(cell.replace("\x00", "").strip())


def _clean_header(cell: str) -> str:
    return _clean(cell.replace("\ufeff", ""))


def _open_quote_at_end(text: str, separator: str) -> int | None:
    """The index of the cell whose quote is still open at the end of ``text`` (one CSV record
    and whatever follows it), or None when every quote is closed. Mirrors Python's csv reader."""
    state, cell = "start", 0
    for ch in text:
        if state == "start":
            if ch == '"':
                state = "quoted"
            elif ch == separator:
                cell += 1
            elif ch in "\r\n":
                cell = 0
            elif ch != " ":
                state = "plain"
        elif state == "plain":
            if ch == separator:
                state, cell = "start", cell + 1
            elif ch in "\r\n":
                state, cell = "start", 0
        elif state == "quoted":
            if ch == '"':
                state = "quote_in_quoted"
        else:  # quote_in_quoted: a doubled quote, or the end of the quoted part
            if ch == '"':
                state = "quoted"
            elif ch == separator:
                state, cell = "start", cell + 1
            elif ch in "\r\n":
                state, cell = "start", 0
            else:
                state = "plain"
    return cell if state == "quoted" else None


def read_csv_table(path: Path, *, display: str | None = None, separator: str | None = None) -> RawTable:
    """Read a CSV file (optionally gzip-compressed) into a :class:`RawTable`.

    The separator (``,``, ``;`` or tab) is taken from the header line; the encoding is UTF-8
    (with or without BOM), UTF-16 or cp1252. Rows with more non-empty cells than the header are
    reported; shorter rows are padded with empty cells (Excel drops trailing empty cells). Blank
    lines are skipped but counted, so row numbers stay those Excel shows. A quote that is never
    closed, and files that are not text at all (a workbook, binary data), are reported as errors.
    ``separator`` overrides the sniffed one (a mapping that names it, for instance).
    """
    path = Path(path)
    name = display or path.name
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            return RawTable(name, [], [], [], [Problem(ERROR, name, None, None, "unreadable-file", f"not a readable gzip file: {exc}", hint="give the file uncompressed or as a valid .gz")])
    text, encoding = decode_bytes(data)
    problems: list[Problem] = []
    kind = _not_text(data, text)
    if kind is not None:
        message, hint = {
            "zip": ("the file is an Excel workbook or a zip archive, not CSV text", "give the .xlsx workbook itself instead of a folder, or save each sheet from Excel as CSV"),
            "ole": ("the file is an old Excel file (.xls) or a password-protected workbook, not CSV text", "open it in Excel and save it as CSV (or as .xlsx without a password)"),
            "binary": ("the file is not text: it holds binary data", "save the table from Excel or a text editor as CSV (UTF-8)"),
        }[kind]
        return RawTable(name, [], [], [], [Problem(ERROR, name, None, None, "not-text", message, hint=hint)], encoding)
    if encoding == MIXED_ENCODING:
        problems.append(
            Problem(WARNING, name, None, None, "encoding", "the file mixes UTF-8 and cp1252 (ANSI) lines; each line was read in its own encoding", hint="check å, ä and ö, then save the file as UTF-8")
        )
    if "\ufffd" in text and encoding in ("cp1252", MIXED_ENCODING):
        problems.append(Problem(WARNING, name, None, None, "encoding", "some bytes are neither UTF-8 nor cp1252 and were replaced by �", hint="save the file as UTF-8"))
    separator = separator or sniff_separator(text)
    if '"' not in text and "\x00" not in text:
        return _read_plain(name, text, separator, problems, encoding)
    return _read_csv(name, text, separator, problems, encoding)


def _read_csv(name: str, text: str, separator: str, problems: list[Problem], encoding: str) -> RawTable:
    """The records of any CSV text, by the csv module (see :func:`read_csv_table`)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, skipinitialspace=True)
    header: list[str] | None = None
    header_row = 1
    width = 0
    records: list[list[str]] = []
    rows: list[int] = []
    row_number = 0
    last_start_line = 0  # lines read before the last non-blank record began
    end_line = 0  # lines read after the latest record
    # Cells are cleaned as _clean does, in the cheapest way the text allows: NUL characters and
    # apostrophes (undone by unneutralise) are rare, and without them stripping is all that is left.
    nul, apostrophe = "\x00" in text, "'" in text
    try:
        with cyclic_gc_paused():  # the records are many small lists that hold only str
            for record in reader:
                start_line, end_line = end_line, reader.line_num
                row_number += 1
                if nul:
                    if not any(cell.strip() for cell in record):
                        continue
                    cells = [_clean(c) for c in record]
                else:
                    cells = list(map(str.strip, record))
                    if not any(cells):
                        continue
                    if apostrophe:
                        cells = list(map(unneutralise, cells))
                last_start_line = start_line
                if header is None:
                    header = [_clean_header(c) for c in record]
                    header_row = row_number
                    width = len(header)
                    continue
                if len(cells) != width:
                    cells = _fit_width(cells, width, name, row_number, problems)
                records.append(cells)
                rows.append(row_number)
    except csv.Error as exc:
        problems.append(Problem(ERROR, name, row_number + 1, None, "csv-syntax", f"the CSV cannot be read past this row: {exc}", hint='check for an unclosed quote (")'))
    else:
        cell = _unclosed_quote(text, last_start_line, separator) if row_number else None
        if cell is not None:
            row, column = header_row, None
            if rows:  # the broken record is the last one; what it holds cannot be trusted
                row, column = rows.pop(), header[cell] if header and cell < len(header) else None
                records.pop()
            problems.append(
                Problem(
                    ERROR,
                    name,
                    row,
                    column or None,
                    "unclosed-quote",
                    'a quote (") opened in this row is never closed, so the rest of the file was read as one cell',
                    hint='close the quote, or double it ("") inside a quoted cell',
                )
            )
    if header is None:
        return RawTable(name, [], [], [], problems, encoding, separator)
    if len(text) > MAX_CELL:  # no cell is longer than the text it was read from
        _check_cells(name, header, records, rows, problems)
    return RawTable(name, header, records, rows, problems, encoding, separator, header_row)


def _read_plain(name: str, text: str, separator: str, problems: list[Problem], encoding: str) -> RawTable:
    """:func:`read_csv_table` of a text without quotes and NUL characters, in the same records.

    Without quotes the csv module only splits lines (at ``\\r\\n``, ``\\r`` or ``\\n``) and cells
    (at the separator), so that is done here with ``str.split``. Cells are stripped only when a
    cell of the text can start or end with whitespace, and searched for an overlong cell only
    when a line is long enough to hold one.
    """
    lines = _LINE_END.split(text) if "\r" in text else text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the line end after the last record starts no record
    strip = _edge_space(text, separator)
    with cyclic_gc_paused():
        split = [line.split(separator) for line in lines]
        cleaned = [list(map(str.strip, cells)) for cells in split] if strip else split
        kept = [k for k, cells in enumerate(cleaned) if any(cells)]  # blank lines count as rows, and are skipped
        header: list[str] | None = None
        header_row = 1
        records: list[list[str]] = []
        rows: list[int] = []
        if kept:
            header = [_clean_header(c) for c in split[kept[0]]]
            header_row = kept[0] + 1
            width = len(header)
            records = [cleaned[k] for k in kept[1:]]
            rows = [k + 1 for k in kept[1:]]
            if "'" in text:
                records = [list(map(unneutralise, cells)) for cells in records]
            for at in [at for at, cells in enumerate(records) if len(cells) != width]:
                records[at] = _fit_width(records[at], width, name, rows[at], problems)
    if header is None:
        return RawTable(name, [], [], [], problems, encoding, separator)
    if len(text) > MAX_CELL and max(map(len, lines), default=0) > MAX_CELL:  # no cell is longer than its line
        _check_cells(name, header, records, rows, problems)
    return RawTable(name, header, records, rows, problems, encoding, separator, header_row)


# every character str.isspace() calls whitespace (what str.strip removes), less the line ends
SPACES = "\t\x0b\x0c\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _edge_space(text: str, separator: str) -> bool:
    """Whether a cell of ``text`` (a CSV text without quotes) can start or end with whitespace:
    a space next to the separator, a line end or an end of the text. Substring searches only.

    >>> _edge_space("a b,c\\nd", ","), _edge_space("a, b", ","), _edge_space("a\\u00a0\\nb", ",")
    (False, True, True)
    """
    for space in SPACES if not text.isascii() else SPACES[:8]:
        if space not in text:
            continue
        if text.startswith(space) or text.endswith(space):
            return True
        for edge in (separator, "\n", "\r"):
            if edge + space in text or space + edge in text:
                return True
    return False


@contextmanager
def cyclic_gc_paused():
    """Pause the cyclic garbage collector while a table's records are built.

    Every new list counts towards the collector's next run, and a run looks at all lists still
    alive: a table of 200,000 rows would make it run hundreds of times for nothing, as lists of
    str cannot form a cycle (reference counting frees them as always). Its state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _unclosed_quote(text: str, start_line: int, separator: str) -> int | None:
    """The cell index of a quote left open in the record that starts after ``start_line`` lines."""
    return _open_quote_at_end(text[_line_offset(text, start_line) :], separator)


def _line_offset(text: str, lines: int) -> int:
    """Where the text after the first ``lines`` line ends (``\\r\\n``, ``\\r`` or ``\\n``) begins; 0
    when there are fewer. The line ends are looked for from the end backwards, as the record
    wanted is the last one.

    >>> _line_offset("a\\r\\nb\\rc\\nd", 2), _line_offset("a\\nb", 0), _line_offset("a\\nb", 5)
    (5, 0, 0)
    """
    if lines <= 0:
        return 0
    total = text.count("\n") + text.count("\r") - text.count("\r\n")
    size = 4096
    while True:
        # a line end cut by the window's start ("\r" outside, "\n" inside) is counted inside once
        start = max(0, len(text) - size)
        ends = [match.end() for match in _LINE_END.finditer(text, start)]
        before = total - len(ends)
        if lines > before or start == 0:
            break
        size *= 4
    k = lines - before
    return ends[k - 1] if 0 < k <= len(ends) else 0


def _fit_width(cells: list[str], width: int, name: str, row: int, problems: list[Problem]) -> list[str]:
    if len(cells) > width:
        extra = [c for c in cells[width:] if c]
        if extra:
            problems.append(
                Problem(
                    ERROR,
                    name,
                    row,
                    None,
                    "too-many-cells",
                    f"the row has {len(cells)} cells but the header has {width}",
                    value=extra[0],
                    hint="remove the extra cells or quote cells that contain the separator",
                )
            )
        return cells[:width]
    return cells + [""] * (width - len(cells))


def _check_cells(name: str, header: list[str], records: list[list[str]], rows: list[int], problems: list[Problem]) -> None:
    if max(map(len, chain.from_iterable(records)), default=0) <= MAX_CELL:
        return
    for record, row in zip(records, rows):
        for i, cell in enumerate(record):
            if len(cell) > MAX_CELL:
                record[i] = cell[:MAX_CELL]
                problems.append(Problem(WARNING, name, row, header[i] or None, "huge-cell", f"the cell has {len(cell):,} characters; only the first {MAX_CELL:,} are kept"))


def excel_cell(value: object) -> str:
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

    Empty rows and columns around the table are ignored; rows keep the numbers Excel shows, also
    after blank rows; formulas are read as the values Excel saved with them. The size the
    workbook declares for a sheet is not trusted (some programs write it wrong), so no row or
    column is lost.
    """
    import openpyxl  # imported here: only Excel packages need it

    path = Path(path)
    problems: list[Problem] = []
    try:
        with open(path, "rb") as handle:
            signature = handle.read(8)
    except OSError as exc:
        return {}, [Problem(ERROR, path.name, None, None, "unreadable-file", f"cannot be read: {exc.strerror or exc}")]
    if signature.startswith(b"\xd0\xcf\x11\xe0"):
        return {}, [
            Problem(
                ERROR,
                path.name,
                None,
                None,
                "unreadable-file",
                "the file is an old Excel file (.xls) or a password-protected workbook",
                hint="open it in Excel and save it as .xlsx without a password",
            )
        ]
    if not signature.startswith(b"PK"):
        return {}, [
            Problem(ERROR, path.name, None, None, "unreadable-file", "not an Excel workbook (.xlsx): the file is not a zip archive", hint="save it from Excel as .xlsx, or give a folder of CSV files")
        ]
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign zip can fail anywhere inside openpyxl
        return {}, [
            Problem(
                ERROR, path.name, None, None, "unreadable-file", f"not a readable Excel workbook (.xlsx): {exc.__class__.__name__}", hint="save it from Excel as .xlsx, or give a folder of CSV files"
            )
        ]
    tables: dict[str, RawTable] = {}
    formulas = None
    try:
        if _has_formulas(path):  # a second, formula-reading pass only for workbooks with formulas
            formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
        for k, sheet in enumerate(workbook.worksheets):
            formula_sheet = formulas.worksheets[k] if formulas is not None else None
            tables[sheet.title] = read_sheet(sheet, f"{path.name}[{sheet.title}]", formula_sheet)
    except Exception as exc:  # a damaged workbook can fail anywhere inside openpyxl
        problems.append(
            Problem(ERROR, path.name, None, None, "unreadable-file", f"the workbook is damaged and cannot be read: {exc.__class__.__name__}", hint="open it in Excel and save it again as .xlsx")
        )
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()
    return tables, problems


FORMULA_WITHOUT_VALUE = "formula-without-value"
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (``<f>`` in its XML), read in chunks."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with archive.open(info) as handle:
                tail = b""
                while chunk := handle.read(1 << 20):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _formula_cells(display: str, header: list[str] | None, row_number: int, values, formula_values, problems: list[Problem]) -> None:
    """Report the cells that hold a formula but no value saved with it (a workbook written by a
    program that does not calculate, e.g. a script): read as empty, they would be lost silently."""
    for i, (value, formula) in enumerate(zip(values, formula_values)):
        if value is None and isinstance(formula, str) and formula.startswith("="):
            if header is None:
                column = f"(column {i + 1})"
            else:
                column = (header[i] if i < len(header) else "") or f"(column {i + 1})"
            problems.append(
                Problem(
                    ERROR,
                    display,
                    row_number,
                    column,
                    FORMULA_WITHOUT_VALUE,
                    "formula without a saved value",
                    value=formula[:200],
                    hint="open and save the workbook in Excel (it saves each formula's value), or write the values themselves",
                )
            )


def read_sheet(sheet, display: str, formula_sheet=None) -> RawTable:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # read every row and column, whatever size the file declares
    header: list[str] | None = None
    header_row = 1
    records: list[list[str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    formula_rows = iter(())
    if formula_sheet is not None:
        if hasattr(formula_sheet, "reset_dimensions"):
            formula_sheet.reset_dimensions()
        formula_rows = formula_sheet.iter_rows(values_only=True)
    for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        formula_values = next(formula_rows, None)
        if formula_values is not None and None in values:
            _formula_cells(display, header, row_number, values, formula_values, problems)
        cells = [excel_cell(v) for v in values]
        if not any(cells):
            if header is not None and any(p.row == row_number and p.code == FORMULA_WITHOUT_VALUE for p in problems[-1:]):
                records.append(_fit_width(cells, len(header), display, row_number, problems))  # a row of formulas only is a row
                rows.append(row_number)
            continue
        if header is None:
            cells = [c.replace("\ufeff", "") for c in cells]
            while cells and not cells[-1]:
                cells.pop()
            header, header_row = cells, row_number
            continue
        cells = _fit_width(cells, len(header), display, row_number, problems)
        records.append(cells)
        rows.append(row_number)
    if header is not None:
        _check_cells(display, header, records, rows, problems)
    return RawTable(display, header or [], records, rows, problems, header_row=header_row)
