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
import math
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import UsageError

__all__ = [
    "atomic_write",
    "atomic_write_text",
    "atomic_write_bytes",
    "safe_cell",
    "safe_frame",
    "write_csv",
    "write_xlsx",
    "output_path",
    "frame_to_csv_text",
    "unneutralise",
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
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> Path:
    with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return Path(path)


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
    if safe:
        frame = safe_frame(frame)
    lines = [_csv_row([str(c) for c in frame.columns], separator)]
    columns = []
    for name in frame.columns:
        cells = _column_text(frame[name])
        if frame[name].dtype.kind not in "biuf":
            pattern = _SPECIAL if separator in ",;\t" else re.compile("[" + re.escape(",;\t\"\r\n" + separator) + "]")
            cells = ['"' + c.replace('"', '""') + '"' if pattern.search(c) else c for c in cells]
        columns.append(cells)
    if len(columns) == 1:
        lines += [(c if c != "" else '""') + "\n" for c in columns[0]]
    else:
        lines += [separator.join(cells) + "\n" for cells in zip(*columns)]
    return "".join(lines)


def write_csv(frame: pd.DataFrame, path: Path, *, safe: bool = True, bom: bool = False) -> Path:
    """Write a DataFrame as UTF-8 CSV, atomically; ``safe`` neutralises formulas."""
    text = frame_to_csv_text(frame, safe=safe)
    if bom:
        text = "\ufeff" + text
    return atomic_write_text(path, text)


EXCEL_MAX_ROWS = 1_048_575  # Excel's limit, less the header row


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path, *, safe: bool = True) -> Path:
    """Write sheets to one .xlsx (bold frozen header, sensible widths), atomically.

    Streams rows with openpyxl's write-only mode, so large tables need little memory. A table
    longer than Excel's 1,048,575 data rows raises ``ValueError``: callers cut it and say so.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for title, frame in sheets.items():
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
        for record in data.itertuples(index=False, name=None):
            sheet.append([_excel_value(v) for v in record])
    if not sheets:
        workbook.create_sheet(title="sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return atomic_write_bytes(path, buffer.getvalue())


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, "_")
    return title[:31] or "sheet"


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
