"""Write outputs safely: atomically, inside the output folder, with formula injection neutralised.

Every file samverkan writes goes through :func:`atomic_write` (a temporary file in the same
folder, then ``os.replace``), so an interrupted run leaves the previous complete file or none.
Cells that a spreadsheet would run as a formula (``= + - @`` and control characters at the
start) are prefixed with an apostrophe, as OWASP recommends for CSV injection.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
from itertools import repeat
import math
import operator
import os
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UsageError

__all__ = [
    "atomic_write",
    "atomic_write_bytes",
    "atomic_write_text",
    "frame_to_csv_text",
    "output_path",
    "safe_cell",
    "safe_frame",
    "unneutralise",
    "write_csv",
    "write_xlsx",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w", **kwargs):
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    When the block raises, the temporary file is removed and ``path`` is left as it was (the
    previous complete file, or none). The new file gets the permissions of the file it replaces,
    or the usual ones for a new file (not the private ones of a temporary file).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        permissions = path.stat().st_mode & 0o7777
    except OSError:
        permissions = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, permissions)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if exc.filename is None and exc.errno is not None:  # a full disk names the file it was writing
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` as UTF-8, line ends as they are, atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))  # one encoding: faster than a text stream on 80 MB


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    with atomic_write(path, "wb") as handle:
        handle.write(data)
    return Path(path)


_FIRST_CHARACTERS = frozenset(_FORMULA_START) | {"'"}


def _looks_like_formula(text: str) -> bool:
    # apostrophes already in front are looked through, so that the reader's undoing is exact
    return text.lstrip("'").startswith(_FORMULA_START)


def safe_cell(value):
    """Neutralise a text that a spreadsheet would evaluate as a formula.

    A leading apostrophe is added; :func:`unneutralise` (used by the readers) removes it again,
    so what is written and read back is exactly what was there.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-5"), safe_cell("Örebro"), safe_cell(-5.0)
    ('\\'=HYPERLINK("http://x")', "'-5", 'Örebro', -5.0)
    >>> safe_cell("'=x")  # already neutralised text gets one more, so reading gives "'=x" back
    "''=x"
    """
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Undo :func:`safe_cell`: drop the apostrophe in front of a formula-like text.

    >>> unneutralise("'=SUM(A1)"), unneutralise("'+46 8 123"), unneutralise("'Sthlm"), unneutralise("''=x")
    ('=SUM(A1)', '+46 8 123', "'Sthlm", "'=x")
    """
    if text.startswith("'") and _looks_like_formula(text):
        return text[1:]
    return text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and headers are safe to open in Excel."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
                # vectorised: only the cells that may look like a formula go through safe_cell
                text = series.astype(object)
                # candidates by first character only (fast); safe_cell makes the exact decision
                maybe = text.str[:1].isin(_FIRST_CHARACTERS).to_numpy(dtype=bool)
                if maybe.any():
                    text = text.copy()
                    text[maybe] = text[maybe].map(safe_cell)
                out[column] = text
            else:
                out[column] = series.map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def _format(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return repr(value) if not value.is_integer() or abs(value) >= 1e15 else str(int(value))
    if isinstance(value, (bool,)):
        return "true" if value else "false"
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return ""
        return value.date().isoformat() if value == value.normalize() else value.isoformat(sep=" ")
    if value is pd.NaT:
        return ""
    try:
        import numpy as np

        if isinstance(value, np.bool_):
            return "true" if value else "false"
        if isinstance(value, np.floating):
            return _format(float(value))
        if isinstance(value, np.integer):
            return str(int(value))
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def _csv_row(cells: list[str], separator: str) -> str:
    # Quoted when a cell holds any character a reader could take for structure: all three
    # separators (so sniffing the header finds the one used), quotes and both line-break characters
    # (csv.writer leaves a lone "\r" unquoted, which splits the row when read back).
    special = {",", ";", "\t", '"', "\r", "\n", separator}
    out = []
    for cell in cells:
        if any(ch in special for ch in cell):
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    if len(out) == 1 and out[0] == "":
        out[0] = '""'  # a row of one empty cell must not read as a blank line
    return separator.join(out) + "\n"


def _column_text(series: pd.Series) -> list[str]:
    """A column as the strings :func:`_format` would give, computed column-wise (fast on 1M rows)."""
    import numpy as np

    kind = series.dtype.kind
    if kind == "b":
        return np.where(series.to_numpy(), "true", "false").tolist()
    if kind in "iu":
        return series.astype(str).tolist()
    if kind == "f":
        values = series.to_numpy(dtype=float)
        finite = np.isfinite(values)
        integral = finite & (np.abs(values) < 1e15)
        integral[integral] = values[integral] == np.floor(values[integral])
        out = np.full(len(values), "", dtype=object)
        out[integral] = values[integral].astype(np.int64).astype(str)
        rest = finite & ~integral
        out[rest] = [repr(float(v)) for v in values[rest]]
        return out.tolist()
    if kind == "M":
        values = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        missing = values.isna().to_numpy()
        whole_day = (values == values.dt.normalize()).to_numpy()
        text = np.where(whole_day, values.dt.strftime("%Y-%m-%d").astype(object), values.dt.strftime("%Y-%m-%d %H:%M:%S").astype(object))
        return np.where(missing, "", text).tolist()
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
            return series.astype(object).where(series.notna(), "").tolist()
    return [_format(v) for v in series.tolist()]


_SPECIAL = re.compile(r'[,;\t"\r\n]')


def frame_to_csv_text(frame: pd.DataFrame, *, safe: bool = True, separator: str = ",") -> str:
    """CSV text with stable formatting (ISO dates, shortest exact floats, true/false).

    Cells (and headers) holding a separator, a quote or a line break are quoted, so that
    :func:`samverkan.io.tables.read_csv_table` reads back exactly what was written.

    >>> import pandas as pd
    >>> print(frame_to_csv_text(pd.DataFrame({"namn": ["a;b", "=1+1"], "tal": [1.5, float("nan")]})), end="")
    namn,tal
    "a;b",1.5
    '=1+1,
    """
    return "".join(_csv_parts(frame, safe=safe, separator=separator))


_CHUNK_ROWS = 10_000  # rows joined, encoded and written at a time: a large table is never one text, and
# the memory of one part is reused for the next (fewer page faults: 0.2 s less on 800,000 rows)


def write_csv(frame: pd.DataFrame, path: Path, *, safe: bool = True, bom: bool = False) -> Path:
    """Write a DataFrame as UTF-8 CSV, atomically; ``safe`` neutralises formulas."""
    with atomic_write(path, "wb") as handle:
        if bom:
            handle.write("\ufeff".encode("utf-8"))
        for part in _csv_parts(frame, safe=safe, separator=",", chunk=_CHUNK_ROWS):
            handle.write(part.encode("utf-8"))
    return Path(path)


def _csv_parts(frame: pd.DataFrame, *, safe: bool, separator: str, chunk: int | None = None):
    """The CSV text of :func:`frame_to_csv_text`, in parts that join to it: the header line, then
    the rows (``chunk`` rows a part, when given). A generator: each part can be written and
    dropped before the next is made."""
    special = ',;\t"\r\n' if separator in ",;\t" else ',;\t"\r\n' + separator  # characters that make a cell quoted
    pattern = _SPECIAL if separator in ",;\t" else re.compile("[" + re.escape(special) + "]")
    header = [safe_cell(str(c)) if safe else str(c) for c in frame.columns]
    yield _csv_row(header, separator)
    columns = [_csv_cells(frame[name], safe=safe, special=special, pattern=pattern) for name in frame.columns]
    rows = len(frame)
    steps = range(0, rows, chunk or max(rows, 1))
    if len(columns) == 1:
        for start in steps:
            yield "".join([(c if c != "" else '""') + "\n" for c in _expanded(columns[0], start, start + (chunk or rows))])
    elif columns and rows:
        # a column with one text in every row (often: an empty one) goes into its left neighbour's
        # texts, so that each row joins fewer cells
        joined: list = []
        for column in columns:
            constant = _constant(column)
            if joined and constant is not None and isinstance(joined[-1], tuple):
                codes, distinct = joined[-1]
                joined[-1] = (codes, _texts_array([text + separator + constant for text in distinct.tolist()]))
            else:
                joined.append(column)
        for start in steps:
            cells = [_expanded(column, start, start + (chunk or rows)) for column in joined]
            yield "\n".join(map(separator.join, zip(*cells))) + "\n"  # no Python code per row


# The cells of one column, as safe_frame, _column_text and the quoting give them. A large table
# (ties.csv of a big package: 800,000 rows) repeats few distinct values per column, and most
# columns need no quoting or neutralising at all: that is checked on the whole column at once, and
# the per-value work, when needed, is done once per distinct value. A column's cells are a list of
# texts, or (codes, distinct texts as an object array): cell k is distinct[codes[k]].

_JOIN = "\x00"  # joins a column's texts for one search over all of them
_FORMULA_AFTER_JOIN = re.compile(_JOIN + "[" + re.escape("".join(sorted(_FIRST_CHARACTERS))) + "]")
_LOOKS_LIKE_FORMULA = operator.methodcaller("startswith", tuple(_FIRST_CHARACTERS))  # candidates for safe_cell


def _expanded(cells, start: int, end: int) -> list[str]:
    """Cells ``start`` to ``end`` of a column as a list of texts."""
    if isinstance(cells, tuple):
        codes, distinct = cells
        return distinct.take(codes[start:end]).tolist()
    return cells[start:end]


def _constant(cells) -> str | None:
    """The text of every cell, when all are the same."""
    if isinstance(cells, tuple):
        codes, distinct = cells
        return distinct[codes[0]] if len(codes) and (codes == codes[0]).all() else None
    if not cells or cells[0] != cells[-1] or cells[0] != cells[len(cells) // 2]:
        return None  # quick answer for most columns
    return cells[0] if cells.count(cells[0]) == len(cells) else None


def _is_text_column(series: pd.Series) -> bool:
    return (series.dtype == object or pd.api.types.is_string_dtype(series)) and pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty")


def _texts_array(texts: list[str]) -> np.ndarray:
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


def _by_distinct_value(values, function, *, missing: str = "") -> tuple[np.ndarray, np.ndarray]:
    """The cells ``[function(v) for v in values]`` (``missing`` for missing values) as codes and
    distinct texts, for values pandas can hash and compare exactly (text, integers, floats,
    booleans, dates); ``function`` gets the array of distinct values and is called once."""
    codes, uniques = pd.factorize(values)
    distinct = list(function(uniques))
    distinct.append(missing)
    codes[codes < 0] = len(distinct) - 1
    return codes, _texts_array(distinct)


def _each(function):
    """A function of one value as a function of an array of them."""
    return lambda values: [function(v) for v in values.tolist()]


def _float_texts(values: np.ndarray) -> list[str]:
    """Floats as :func:`_column_text` writes them: whole numbers without ".0" (below 1e15), others
    as ``repr`` (the shortest text that reads back exactly), NaN and infinities empty."""
    values = np.asarray(values, dtype=float)
    out = np.full(len(values), "", dtype=object)
    finite = np.isfinite(values)
    integral = finite & (np.abs(values) < 1e15)
    integral[integral] = values[integral] == np.floor(values[integral])
    out[integral] = list(map(str, values[integral].astype(np.int64).tolist()))
    rest = finite & ~integral
    out[rest] = list(map(repr, values[rest].tolist()))
    return out.tolist()


def _csv_cells(series: pd.Series, *, safe: bool, special: str, pattern: re.Pattern):
    """The final (neutralised, formatted, quoted) cells of one column; ``special`` holds the
    characters that ``pattern`` finds (those that make a cell quoted)."""
    kind = series.dtype.kind
    numpy_type = isinstance(series.dtype, np.dtype)
    if numpy_type and kind in "iu":
        return _by_distinct_value(series.to_numpy(), _each(str))
    if numpy_type and kind == "f":
        return _by_distinct_value(series.to_numpy(), _float_texts)
    if numpy_type and kind == "b":
        return _by_distinct_value(series.to_numpy(), _each(lambda v: "true" if v else "false"))
    if numpy_type and kind == "M":
        return _by_distinct_value(series, lambda days: [_quoted(c, pattern) for c in _column_text(pd.Series(days))])
    if _is_text_column(series):
        return _text_column_cells(series, safe=safe, special=special, pattern=pattern)
    # everything else as before: mixed columns, time zones, extension types
    if safe and (series.dtype == object or pd.api.types.is_string_dtype(series)):
        series = series.map(safe_cell)
    cells = _column_text(series)
    if series.dtype.kind not in "biuf":
        cells = [_quoted(c, pattern) for c in cells]
    return cells


def _text_column_cells(series: pd.Series, *, safe: bool, special: str, pattern: re.Pattern):
    texts = series.tolist()
    try:
        quoting, formulas = _text_needs(texts, special=special, safe=safe)
    except TypeError:  # missing values: written as empty cells
        texts = series.to_numpy(dtype=object, na_value="").tolist()
        quoting, formulas = _text_needs(texts, special=special, safe=safe)
    if not quoting and not formulas:
        return texts  # nothing to quote or neutralise: the common case
    if len(set(texts[:1000])) > 900:  # (nearly) all different: grouping would not pay
        return _text_cells(texts, formulas=formulas, quoting=quoting, pattern=pattern)
    return _by_distinct_value(np.asarray(texts, dtype=object), lambda distinct: _text_cells(distinct.tolist(), formulas=formulas, quoting=quoting, pattern=pattern))


def _text_needs(texts: list[str], *, special: str, safe: bool) -> tuple[bool, bool]:
    """Whether any text holds a character of ``special`` (and must be quoted), and whether any
    may look like a formula (when ``safe``); a ``TypeError`` when not all are texts.

    The texts are joined and searched a part at a time, so a long column is searched at C speed
    without one long text in memory."""
    quoting = formulas = False
    for start in range(0, len(texts), _CHUNK_ROWS):
        part = texts[start : start + _CHUNK_ROWS]
        joined = _JOIN.join(part)
        quoting = quoting or any(ch in joined for ch in special)
        formulas = formulas or (safe and (part[0][:1] in _FIRST_CHARACTERS or (any(ch in joined for ch in _FIRST_CHARACTERS) and _FORMULA_AFTER_JOIN.search(joined) is not None)))
    return quoting, formulas


def _text_cells(texts: list[str], *, formulas: bool, quoting: bool, pattern: re.Pattern) -> list[str]:
    """``[_quoted(safe_cell(t) if formulas else t, pattern) for t in texts]``, visiting in Python
    only the texts that change; ``formulas`` and ``quoting`` say whether any text may."""
    out = list(texts)
    if formulas:
        for k in itertools.compress(range(len(out)), map(_LOOKS_LIKE_FORMULA, out)):
            out[k] = safe_cell(out[k])
    if quoting or formulas:  # an apostrophe in front adds no character that needs quoting
        for k in itertools.compress(range(len(out)), map(pattern.search, out)):
            out[k] = '"' + out[k].replace('"', '""') + '"'
    return out


def _quoted(cell: str, pattern: re.Pattern) -> str:
    return '"' + cell.replace('"', '""') + '"' if pattern.search(cell) else cell


EXCEL_MAX_ROWS = 1_048_575  # Excel's limit, less the header row


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path, *, safe: bool = True) -> Path:
    """Write sheets to one .xlsx (bold frozen header, sensible widths), atomically.

    Streams rows with openpyxl's write-only mode, so large tables need little memory. A table
    longer than Excel's 1,048,575 data rows raises ``ValueError``: callers cut it and say so.
    The data rows of a sheet whose cells are plain text, numbers and booleans are written as
    the XML openpyxl writes for them, a column at a time (:func:`_sheet_rows_xml`), and put into
    the workbook when it is packed: the same bytes, without openpyxl's per-cell objects.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    bodies = {}  # {sheet part: its data rows as XML} for the sheets not streamed through openpyxl
    for number, (title, frame) in enumerate(sheets.items(), start=1):
        if len(frame) > EXCEL_MAX_ROWS:
            raise ValueError(f"the {title} table has {len(frame):,} rows; Excel holds at most {EXCEL_MAX_ROWS:,}")
        sheet = workbook.create_sheet(title=_sheet_title(title))
        data = safe_frame(frame) if safe else frame
        sheet.freeze_panes = "A2"
        for i, column in enumerate(data.columns, start=1):
            values = [str(column)] + [_format(v) for v in data[column].head(200)]
            width = min(60, max(8, max(len(v) for v in values) + 2))
            sheet.column_dimensions[_column_letter(i)].width = width
        header = []
        for column in data.columns:
            cell = WriteOnlyCell(sheet, value=str(column))
            cell.font, cell.fill = bold, fill
            header.append(cell)
        sheet.append(header)
        columns = [_excel_values(data.iloc[:, k]) for k in range(data.shape[1])]
        rows = _sheet_rows_xml(columns, first_row=2, sheet=sheet)
        if rows is None:
            for row in zip(*columns):
                sheet.append(row)
        elif rows:
            bodies[f"xl/worksheets/sheet{number}.xml"] = rows  # openpyxl's name for the number-th sheet
    if not sheets:
        workbook.create_sheet(title="sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return atomic_write_bytes(path, fixed_time_workbook(buffer.getvalue(), rows=bodies))


_NONE = type(None)
_PLAIN = frozenset({str, int, float, bool, _NONE})
_SURROGATES = re.compile("[\ud800-\udfff]")
_OWN = object()  # a value openpyxl writes itself (see _openpyxl_tail)


def _cell_tails(values: list) -> tuple[list, list[int]] | None:
    """The XML of each value's cell after its reference (``<c r="B7`` + tail); None for no cell.

    What openpyxl's write-only sheet writes through lxml: text as an inline string (markup
    characters and carriage returns escaped, other characters beyond ASCII as numeric
    references, ``xml:space="preserve"`` when it has space at either end), numbers as
    ``%.16g``, booleans as 1 and 0, nothing for a missing value. A value that openpyxl treats
    otherwise (a date, a formula, an error code, a text over 32,767 characters, other types) is
    left as ``_OWN``, and its position returned, for :func:`_openpyxl_tail`. None when a text
    holds a lone surrogate (the sheet then goes through openpyxl, which decides what to do).

    A column of one type (text, whole numbers, floats or booleans, with or without missing
    values: nearly every column) is formatted once per distinct value and spread to its rows
    by a dictionary look-up; the others value by value.
    """
    kinds = set(map(type, values))
    kinds.discard(_NONE)
    kind = kinds.pop() if len(kinds) == 1 else None  # (one type only: True == 1 == 1.0 in a dictionary)
    if kind is int or (kind is float and not _negative_zero(values)):  # numbers: one format each
        distinct = set(values)
        distinct.discard(None)
        finite = [v for v in distinct if v - v == 0]  # not NaN or infinite
        known = dict(zip(finite, map('" t="n"><v>%.16g</v></c>'.__mod__, finite)))  # openpyxl's own format (compat.safe_string)
        known.update(dict.fromkeys(distinct.difference(finite), '" t="n"><v></v></c>'))
        known[None] = None
        return list(map(known.__getitem__, values)), []
    if kind is str:
        distinct = set(values)
        distinct.discard(None)
        known = _text_tails(list(distinct))
        if known is None:  # a lone surrogate
            return None
        known[None] = None
        tails = list(map(known.__getitem__, values))
        own = [k for k, tail in enumerate(tails) if tail is _OWN] if _OWN in known.values() else []
        return tails, own
    if kind is bool:
        known: dict = {None: None}
        for value in set(values):
            if value is not None:
                tail = known[value] = _tail_of(value)
                if tail is None:  # a lone surrogate
                    return None
        tails = list(map(known.__getitem__, values))
        own = [k for k, tail in enumerate(tails) if tail is _OWN] if _OWN in known.values() else []
        return tails, own
    known = {}
    tails = []
    own = []
    for position, value in enumerate(values):
        kind = type(value)
        if kind is str:
            tail = known.get(value)
            if tail is None:
                tail = known[value] = _tail_of(value)
                if tail is None:
                    return None
            if tail is _OWN:
                own.append(position)
        else:
            tail = _tail_of(value)
            if tail is _OWN:
                own.append(position)
        tails.append(tail)
    return tails, own


_SEPARATOR = "\x00"  # joins texts for one escape over all of them: openpyxl refuses it in a cell


def _text_tails(texts: list[str]) -> dict | None:
    """``{text: _tail_of(text)}`` for distinct texts, escaped all at once; None for a lone surrogate.

    Escaping replaces single characters, so the texts joined by :data:`_SEPARATOR` are escaped in
    one pass and split again; a text holding the separator itself is done on its own.
    """
    joined = _SEPARATOR.join(texts)
    if _SURROGATES.search(joined):
        return None
    if joined.count(_SEPARATOR) != max(0, len(texts) - 1):  # a text holds it (sheets given to write_xlsx directly)
        return {text: _tail_of(text) for text in texts}
    escaped = joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if not escaped.isascii():
        escaped = escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")
    plain, spaced = '" t="inlineStr"><is><t>', '" t="inlineStr"><is><t xml:space="preserve">'
    tails = dict(zip(texts, [(spaced if text != text.strip() else plain) + xml + "</t></is></c>" for text, xml in zip(texts, escaped.split(_SEPARATOR))]))
    for text in texts:
        if text[:1] in ("=", "#", "") or len(text) > 32767:  # an empty text, a formula or error code, a long text
            tails[text] = _tail_of(text)
    return tails


def _negative_zero(values: list) -> bool:
    """Whether a float column holds -0.0 (which a dictionary takes for 0.0, but %.16g writes as -0)."""
    array = np.array(values, dtype=float)  # None becomes NaN
    return bool(np.signbit(array[array == 0]).any())


@functools.cache
def _error_codes() -> frozenset:
    from openpyxl.cell.cell import ERROR_CODES

    return frozenset(ERROR_CODES)


def _tail_of(value):
    """The tail of one value's cell (see :func:`_cell_tails`): text, ``_OWN``, or None for a
    missing value (no cell) and for a text with a lone surrogate (the caller tells them apart)."""
    kind = type(value)
    if kind is str:
        if _SURROGATES.search(value):
            return None
        if len(value) > 32767 or (len(value) > 1 and value[0] == "=") or value in _error_codes():
            return _OWN
        if value == "":
            return '" t="inlineStr"></c>'
        text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
        if not text.isascii():
            text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'" t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if kind is _NONE:
        return None
    if kind is bool:
        return '" t="b"><v>1</v></c>' if value else '" t="b"><v>0</v></c>'
    if kind is float and (math.isnan(value) or math.isinf(value)):
        return '" t="n"><v></v></c>'
    if kind is int or kind is float:
        return '" t="n"><v>' + ("%.16g" % value) + "</v></c>"  # noqa: UP031 - openpyxl's own format (compat.safe_string)
    return _OWN


def _openpyxl_tail(sheet, value) -> str:
    """The tail (see :func:`_cell_tails`) of ``value``'s cell as openpyxl itself writes it.

    Made as a data row makes it (so a date's number format is registered as it would be) and
    written by openpyxl's own cell writer.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell._writer import write_cell
    from openpyxl.xml.functions import xmlfile

    cell = WriteOnlyCell(sheet, value=value)  # row 1, column 1: A1
    buffer = io.BytesIO()
    with xmlfile(buffer) as xf:
        write_cell(xf, sheet, cell, cell.has_style)
    xml = buffer.getvalue().decode("ascii")
    if not xml.startswith('<c r="A1"'):  # pragma: no cover - openpyxl's cell writer changed
        raise RuntimeError(f"unexpected cell XML from openpyxl: {xml[:80]}")
    return xml[len('<c r="A1') :]


def _sheet_rows_xml(columns: list[list], *, first_row: int, sheet=None) -> list[str] | None:
    """The ``<row>`` elements openpyxl writes for these columns' values from ``first_row`` on.

    Plain values are formatted here (:func:`_cell_tails`); the others are written by openpyxl
    (:func:`_openpyxl_tail`, once per distinct value) in row order, so styles such as a date's
    number format get the numbers they would get row by row. None when openpyxl is not writing
    through lxml (its other writer formats differently) or a text holds a lone surrogate: the
    caller then appends the rows through openpyxl.
    """
    from openpyxl import LXML

    if not columns:
        return []
    if not LXML:  # pragma: no cover - lxml is installed with openpyxl's usual extras
        return None
    tails = []
    own = []
    for k, values in enumerate(columns):
        column = _cell_tails(values)
        if column is None:
            return None
        tails.append(column[0])
        own += [(row, k) for row in column[1]]
    if own:
        if sheet is None:
            return None
        written: dict = {}
        for row, k in sorted(own):  # row by row, as openpyxl would meet them
            value = columns[k][row]
            key = (type(value), repr(value))
            tail = written.get(key)
            if tail is None:
                tail = written[key] = _openpyxl_tail(sheet, value)
            tails[k][row] = tail
    return _rows_xml(tails, first_row)


def _rows_xml(tails: list[list], first_row: int) -> list[str]:
    """``<row r="7"><c r="A7…tail…</row>`` for each row of the columns' ``tails`` (no cell where
    a tail is None), each row put together by one ``str.join`` run from C.

    The parts of a row are, in order: the literal texts (a column's ``<c r="B``), the row
    number and the tails; a column with missing values gives empty parts in those rows.
    """
    n = len(tails[0])
    numbers = list(map(str, range(first_row, first_row + n)))
    parts: list = [repeat('<row r="', n), numbers]
    literal = '">'  # the text before the next part that varies
    for k, column in enumerate(tails, start=1):
        start = '<c r="' + _column_letter(k)
        if None not in column:  # a cell in every row
            parts += [repeat(literal + start, n), numbers, column]
        else:
            array = np.empty(n, dtype=object)
            array[:] = column
            there = np.not_equal(array, None)
            parts += [repeat(literal, n)] if literal else []
            parts += [np.where(there, start, "").tolist(), np.where(there, np.asarray(numbers, dtype=object), "").tolist(), np.where(there, array, "").tolist()]
        literal = ""
    parts.append(repeat(literal + "</row>", n))
    return list(map("".join, zip(*parts)))


_FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # a workbook's stamps carry no information: byte-identical reruns
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def fixed_time_workbook(data: bytes, *, rows: dict[str, list[str]] | None = None) -> bytes:
    """The .xlsx ``data`` with its creation and modification times and the zip entries' times fixed.

    openpyxl stamps the time of writing into docProps/core.xml and every zip entry, so two
    identical runs gave different files. The content is unchanged, except that ``rows``
    (``{sheet part: [<row> XML]}``) are added at the end of those sheets' data.
    """
    rows = rows or {}
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            if info.filename not in rows:
                target.writestr(fixed, content)
                continue
            end = content.rindex(b"</sheetData>")
            added = rows[info.filename]
            with target.open(fixed, "w") as stream:
                stream.write(content[:end])
                for at in range(0, len(added), 10_000):
                    stream.write("".join(added[at : at + 10_000]).encode("ascii"))
                stream.write(content[end:])
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, "_")
    return title[:31] or "sheet"


def _excel_values(series: pd.Series) -> list:
    """:func:`_excel_value` of every value of a column, as ``itertuples`` gives them; column-wise."""
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iub":
        return series.tolist()  # Python numbers and booleans, never missing
    if isinstance(series.dtype, np.dtype) and series.dtype.kind == "f":
        values = series.to_numpy(dtype=object)  # Python floats
        values[series.isna().to_numpy()] = None
        return values.tolist()
    if _is_text_column(series):
        values = [None if v is None or (type(v) is float and math.isnan(v)) else v for v in series.tolist()]
        if all(v is None or type(v) is str for v in values):
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            joined = "".join(v for v in values if v is not None)
            if ILLEGAL_CHARACTERS_RE.search(joined) is None and "\ufffe" not in joined and "\uffff" not in joined:
                return values  # plain text with nothing to remove
    return [_excel_value(v) for v in series]


def _excel_value(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if value is pd.NaT:
        return None
    try:
        import numpy as np

        if isinstance(value, np.generic):
            value = value.item()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, str):
        # openpyxl refuses control characters other than tab, newline and carriage return
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value).replace("\ufffe", "").replace("\uffff", "")
    return value


def output_path(directory: Path, name: str) -> Path:
    """``directory / name``, refusing names that would land outside ``directory``."""
    directory = Path(directory).resolve()
    if not str(name).strip() or "\x00" in str(name):
        raise UsageError(f"the output name {str(name)!r} is not a file name; give a name such as 'report.html'")
    candidate = (directory / name).resolve()
    if directory not in candidate.parents:
        raise UsageError(f"the output name '{name}' would land outside the output folder {directory}; give a name inside it")
    return candidate


# --------------------------------------------------------------------------------------------
# The output folder as one transaction (issue 17): a whole set of outputs, or none.

MANIFEST_NAME = ".samverkan-output.json"
_TEMP_MARK = ".samverkan-tmp-"
_LOCK_MARK = ".samverkan-lock"
PACKAGE_FILES = frozenset(
    f"{name}.{ext}"
    for name in ("organisations", "projects", "participations", "contacts", "efforts", "target_groups", "organisationer", "projekt", "deltaganden", "kontakter", "insatser", "malgrupper", "målgrupper")
    for ext in ("csv", "tsv", "txt", "csv.gz")
)


def holds_package(folder: Path) -> str | None:
    """The name of a file that makes ``folder`` a package (a table's CSV or a package workbook), or None.

    The tables of an analysis (organisations.csv, projects.csv...) are not a package: files that
    the folder's manifest lists as written by ``analyse`` or ``compare`` are left out.
    """
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return None
    manifest = read_manifest(folder)
    if manifest is not None and manifest.get("command") in ("analyse", "compare"):
        ours = set(manifest.get("files") or ())
        entries = [name for name in entries if name not in ours]
    for name in entries:
        if name.lower() in PACKAGE_FILES:
            return name
    for name in entries:
        if name.lower().endswith((".xlsx", ".xlsm")) and name.lower() not in ("analysis.xlsx", "comparison.xlsx") and _workbook_is_package(Path(folder) / name):
            return name
    return None


def _workbook_is_package(path: Path) -> bool:
    """A workbook with an 'organisations' (or 'organisationer') sheet: a package, not an output."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            text = archive.read("xl/workbook.xml")[:200_000].decode("utf-8", "replace").lower()
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError):
        return False
    return 'name="organisations"' in text or 'name="organisationer"' in text


def read_manifest(folder: Path) -> dict | None:
    """The manifest of a samverkan output folder, or None when there is none (or it is unreadable)."""
    import json

    try:
        data = json.loads((Path(folder) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == "samverkan" else None


def resolve_output(path, *, option: str = "-o") -> Path:
    """The absolute output path, or a :class:`UsageError` for an empty name or a symlink loop."""
    text = os.fspath(path) if path is not None else ""
    if not str(text).strip():
        raise UsageError(f"{option} is empty; give the name of a folder for the outputs, e.g. {option} reports/result")
    if "\x00" in str(text):
        raise UsageError(f"{option} holds a NUL character; give an ordinary folder name")
    try:
        return Path(text).resolve(strict=False)
    except (RuntimeError, OSError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise UsageError(f"{option} {text} cannot be resolved ({exc.__class__.__name__}: a symbolic link loop?); give another folder") from None


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner_pid(name: str, mark: str) -> int:
    rest = name.split(mark, 1)[1]
    digits = rest.split("-", 1)[0]
    return int(digits) if digits.isdigit() else -1


def clean_stale(parent: Path, name: str) -> list[Path]:
    """Remove temporary folders and locks beside ``parent/name`` left by runs that have died."""
    import shutil

    removed = []
    try:
        entries = os.listdir(parent)
    except OSError:
        return removed
    for entry in entries:
        for mark in (_TEMP_MARK, _LOCK_MARK + "-"):  # (a dead run's lock itself is taken over by _Lock; its pid file aside goes here)
            prefix = f".{name}{mark}"
            if entry.startswith(prefix) and not _pid_alive(_owner_pid(entry[len(name) + 1 :], mark)):
                where = Path(parent) / entry
                if where.is_dir() and not where.is_symlink():
                    shutil.rmtree(where, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        where.unlink()
                removed.append(where)
        # the temporary files of single-file writes (".name.XXXX.part") of dead runs carry no pid:
        # they are removed when older than a day
    return removed


class _Lock:
    """An exclusive lock on an output target: ``.NAME.samverkan-lock-PID`` beside it.

    Taken with ``O_CREAT | O_EXCL`` on one common name, so two runs cannot both hold it; a lock
    whose pid is dead is taken over.
    """

    def __init__(self, target: Path):
        self.target = target
        self.path = target.parent / f".{target.name}{_LOCK_MARK}"
        self.held = False

    def _create(self) -> None:
        """Create the lock with the pid already in it (written aside, then hard-linked: a reader
        never sees an empty lock of a live run); FileExistsError when another run holds it."""
        aside = self.path.with_name(f"{self.path.name}-{os.getpid()}")
        try:
            with open(aside, "w") as handle:
                handle.write(str(os.getpid()))
            os.link(aside, self.path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here: create it in place
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "w") as handle:
                handle.write(str(os.getpid()))
        finally:
            with contextlib.suppress(OSError):
                aside.unlink()

    def acquire(self) -> None:
        for _attempt in range(3):
            try:
                self._create()
            except FileExistsError:
                try:
                    pid = int(self.path.read_text().strip() or "-1")
                except (OSError, ValueError):
                    pid = -1
                if pid < 0 and _age(self.path) < 10:  # being created in place by another run
                    raise UsageError(f"another samverkan run is writing {self.target}; wait until it has finished, or choose another -o") from None
                if pid > 0 and pid != os.getpid() and _pid_alive(pid):
                    raise UsageError(f"another samverkan run (process {pid}) is writing {self.target}; wait until it has finished, or choose another -o") from None
                with contextlib.suppress(OSError):
                    self.path.unlink()  # a dead run's lock
                continue
            self.held = True
            return
        raise UsageError(f"cannot take the lock {self.path}; remove it if no samverkan run is writing there")

    def release(self) -> None:
        if self.held:
            with contextlib.suppress(OSError):
                self.path.unlink()
            self.held = False


def _age(path: Path) -> float:
    """Seconds since ``path`` was last changed (infinite when it is gone)."""
    import time

    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return float("inf")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result != 0:
        return False
    return True


def file_checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (relative names, sorted), the manifest left out."""
    import hashlib

    sums = {}
    folder = Path(folder)
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST_NAME:
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            sums[path.relative_to(folder).as_posix()] = digest.hexdigest()
    return sums


def check_output_folder(target: Path, *, command: str, force: bool = False, package_ok: bool = False) -> None:
    """Refuse a target folder that is not samverkan's: a :class:`UsageError` (exit 2) saying why.

    A folder holding a package is never written into (``package_ok``: ``import``, which writes
    packages, may replace one with ``--force``). A non-empty folder without a manifest is
    refused unless ``force``.
    """
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file; give a folder for the outputs of {command}")
    if not target.is_dir():
        return
    try:
        entries = os.listdir(target)
    except OSError as exc:
        raise UsageError(f"cannot read the output folder {target}: {exc.strerror}") from None
    if not entries:
        return
    package_file = holds_package(target)
    if package_file and not (package_ok and force):
        raise UsageError(
            f"{target} holds a package ({package_file}); samverkan never writes its outputs into a package. Choose another -o folder" + (" (or --force to replace the package)" if package_ok else "")
        )
    manifest = read_manifest(target)
    if manifest is not None and manifest.get("command") != command and not force:
        raise UsageError(
            f"{target} holds the outputs of 'samverkan {manifest.get('command')}' ({manifest.get('package') or 'another package'}); "
            f"'samverkan {command}' would replace them. Choose another -o folder, or give --force to replace them"
        )
    if manifest is None and not force:
        raise UsageError(
            f"{target} is not empty and was not written by samverkan (no {MANIFEST_NAME}); its files would be replaced. Choose a new or empty -o folder, or give --force to replace its contents"
        )


@contextlib.contextmanager
def output_folder(target, *, command: str, label: str = "", force: bool = False, package_ok: bool = False, option: str = "-o"):
    """Write a whole set of outputs, then swap it in: yields a fresh temporary folder beside ``target``.

    On leaving the block without an error a manifest (command, version, package label, SHA-256
    of every file; no time) is written and the folder replaces ``target`` in one rename; the
    previous set is removed. On an error, an interrupt or a kill the previous set stays as it
    was and the temporary folder goes (now, or in the next run when the process was killed).
    A second run into the same target while this one holds its lock is refused.
    """
    import json
    import shutil

    from .. import __version__

    target = resolve_output(target, option=option)
    if target == Path(target.anchor):
        raise UsageError(f"{option} {target} is the root of the file system; give a folder for the outputs")
    parent = target.parent
    check_output_folder(target, command=command, force=force, package_ok=package_ok)
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {parent}: {exc.strerror}; choose another -o") from None
    lock = _Lock(target)
    lock.acquire()
    temporary = None
    try:
        clean_stale(parent, target.name)
        check_output_folder(target, command=command, force=force, package_ok=package_ok)  # again, under the lock
        temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}{_TEMP_MARK}{os.getpid()}-", dir=parent))
        os.chmod(temporary, 0o777 & ~_umask())
        yield temporary
        manifest = {
            "tool": "samverkan",
            "command": command,
            "version": __version__,
            "package": label,
            "files": file_checksums(temporary),
        }
        atomic_write_text(temporary / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        _fsync_folder(temporary)
        if target.exists() or target.is_symlink():
            if not _exchange(temporary, target):
                old = parent / f".{target.name}{_TEMP_MARK}{os.getpid()}-old"
                os.replace(target, old)
                os.replace(temporary, target)
                temporary = old
        else:
            os.replace(temporary, target)
            temporary = None
        _fsync_folder(parent)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
        lock.release()


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_GENERATOR = b'<meta name="generator" content="samverkan'


def written_by_samverkan(path: Path) -> bool:
    """Whether a single output file is one samverkan wrote (an HTML page of the kit carries its
    generator line near the top); anything else, or a file that cannot be read, is someone else's."""
    try:
        if not path.is_file():
            return False
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False
    return _GENERATOR in head


@contextlib.contextmanager
def output_file(target, *, command: str, force: bool = False, option: str = "-o"):
    """Guard one output file (``view``): never inside a package or another samverkan set, locked.

    Yields the resolved path; the caller writes it atomically.
    """
    target = resolve_output(target, option=option)
    parent = target.parent
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name for {command}")
    package_file = holds_package(parent)
    if package_file:
        raise UsageError(f"{parent} holds a package ({package_file}); samverkan never writes into a package. Choose another {option}")
    if read_manifest(parent) is not None and not force:
        raise UsageError(f"{parent} holds the outputs of another samverkan run ({MANIFEST_NAME}); writing {target.name} there would change that set. Choose another {option}, or give --force")
    if (target.exists() or target.is_symlink()) and not force and not written_by_samverkan(target):
        raise UsageError(f"{target} exists and was not written by samverkan; it would be replaced. Choose another {option}, or give --force to replace it")
    parent.mkdir(parents=True, exist_ok=True)
    lock = _Lock(target)
    lock.acquire()
    try:
        clean_stale(parent, target.name)
        yield target
    finally:
        lock.release()
