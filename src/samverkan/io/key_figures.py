"""Key figures (Kolada and the like): check the package's ``key_figures`` table and import files into it.

The table (declared in :mod:`samverkan.model`) has one row per area × indicator × period × gender.
Conventions, stated once:

- **area**: a municipality code ("0126", four digits), a county code ("01", two digits) or an
  organisation id of the package. Kolada writes regions as "00" + county ("0001" is Region
  Stockholm); such ids are read as the county code ("01"). "0000" (the whole country) is kept as
  it is and matches no organisation.
- **period**: a year ("2014") or a month ("2014-03"); "2014-3" is read as "2014-03".
- **gender**: T (total), K (women), M (men), as Kolada writes them; empty means T.
- **duplicates**: the same area, indicator, period and gender twice in one table is an error.
  On import, a row equal to one already in the package is merged silently; a row that gives
  another value is refused, unless ``replace=True`` (then the imported value wins).

Importers read Kolada's API JSON (v2 and v3: ``{"values": [{"kpi", "municipality", "period",
"values": [{"gender", "status", "value"}]}]}``; one page, several pages one after the other, or a
list of pages), Kolada's table downloads (CSV or Excel; long, or wide with one column per year,
title rows above the header allowed) and a plain long table. Bad input gives FILE:ROW:COLUMN
problems; nothing is written unless every row can be placed. In tables, an area may also be a
municipality the package names ("Huddinge" → 0126) or a county name; in Kolada's JSON the areas
are Kolada's ids as they are (an organisational unit's id, "V15E...", is kept and will match no
organisation unless the package uses it as an id).
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import (
    ERROR,
    WARNING,
    InputError,
    Problem,
    ProblemList,
    UsageError,
    sorted_problems,
)
from ..model import TABLES, canonical, canonical_column, normalise_key
from .output import atomic_write_text, frame_to_csv_text
from .tables import RawTable, read_csv_table, read_excel_tables
from .values import format_number, parse_number
from ..geo.shapes import COUNTY_NAMES

__all__ = [
    "COUNTIES",
    "KEY_FIGURE_COLUMNS",
    "KeyFigureImport",
    "add_key_figures",
    "apply_names",
    "area_names",
    "check_key_figures",
    "county_of",
    "key_figures_of",
    "merge_key_figures",
    "normalise_area",
    "normalise_period",
    "parse_name_options",
    "read_key_figure_file",
    "read_names_file",
]

KEY_FIGURE_COLUMNS = TABLES["key_figures"].column_names
_KEY = ["area", "indicator", "period", "gender"]

# Swedish counties (län) by SCB code: the first two digits of a municipality code (one table, in geo).
COUNTIES: dict[str, str] = COUNTY_NAMES

_PERIOD = re.compile(r"^(\d{4})(?:[-/.](\d{1,2}))?$")
_MUNICIPALITY = re.compile(r"^\d{4}$")
_MISSING = {"", "..", "...", "-", "–", "x", ".", "null", "none", "nan", "saknas"}  # Kolada/SCB for "no value"


def normalise_period(text) -> str:
    """A period as ``YYYY`` or ``YYYY-MM``; raises ``ValueError`` for anything else.

    >>> normalise_period("2014"), normalise_period("2014-3"), normalise_period(2014), normalise_period("2014.0")
    ('2014', '2014-03', '2014', '2014')

    A first-of-month date is read as its month (Excel turns a typed "2014-03" into 2014-03-01):

    >>> normalise_period("2014-03-01")
    '2014-03'
    """
    text = str(text).strip()
    if re.fullmatch(r"\d{4}\.0+", text):
        text = text.split(".")[0]
    if re.fullmatch(r"\d{4}-\d{2}-01", text):
        text = text[:7]  # Excel turns a typed "2014-03" into the date 2014-03-01
    match = _PERIOD.match(text)
    if not match:
        raise ValueError("not a period")
    year, month = match.group(1), match.group(2)
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        raise ValueError("not a month (1..12)")
    return f"{year}-{int(month):02d}"


def normalise_area(text) -> str:
    """The area as the table keeps it: Kolada's region id "00XX" becomes the county code "XX".

    >>> normalise_area("0001"), normalise_area("0126"), normalise_area(" huddinge "), normalise_area("0000")
    ('01', '0126', 'huddinge', '0000')
    """
    text = str(text).strip()
    if len(text) == 4 and text.startswith("00") and text[2:] in COUNTIES:
        return text[2:]
    return text


def county_of(area: str) -> str | None:
    """The county code of a municipality or county code, None for anything else.

    >>> county_of("0126"), county_of("18"), county_of("huddinge")
    ('01', '18', None)
    """
    area = str(area)
    if _MUNICIPALITY.match(area) and area[:2] in COUNTIES:
        return area[:2]
    if area in COUNTIES:
        return area
    return None


def check_key_figures(frame: pd.DataFrame, rows: list[int], file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a typed ``key_figures`` table (as :func:`~samverkan.io.validate.type_table` gives it).

    Returns the frame with area and period normalised and empty genders set to T, and the
    problems: periods that are not a year or a month (``bad-period``) and rows that repeat an
    area × indicator × period × gender (``duplicate-key-figure``), each at FILE:ROW:COLUMN.
    Cells already reported by the typing (an empty required value, a value that is not a
    number, an unknown gender) are not reported again.
    """
    problems: list[Problem] = []
    frame = frame.copy()
    if frame.empty:
        return frame, problems
    periods = []
    for value, row in zip(frame["period"], rows):
        if not value:
            periods.append(value)
            continue
        try:
            periods.append(normalise_period(value))
        except ValueError as exc:
            periods.append(value)
            problems.append(Problem(ERROR, file, row, "period", "bad-period", str(exc), value=value, hint="write a year (2014) or a month (2014-03)"))
    frame["period"] = pd.Series(periods, dtype="object", index=frame.index)
    frame["area"] = frame["area"].map(normalise_area)
    frame["gender"] = frame["gender"].map(lambda g: g or "T")
    seen: dict[tuple, int] = {}
    for key, row in zip(zip(*(frame[c].tolist() for c in _KEY)), rows):
        if not all(key[:3]):
            continue
        if key in seen:
            problems.append(
                Problem(
                    ERROR, file, row, "value", "duplicate-key-figure", f"the same area, indicator, period and gender is already on row {seen[key]}", value="/".join(key), hint="keep one of the rows"
                )
            )
        else:
            seen[key] = row
    return frame, problems


def key_figures_of(package) -> pd.DataFrame:
    """The package's key figures with canonical columns, normalised areas and periods, gender T
    where empty; an empty table when the package has none."""
    tables = getattr(package, "tables", {}) or {}
    frame = tables.get("key_figures") if isinstance(tables, dict) else None
    if frame is None or len(frame) == 0:
        return pd.DataFrame({c: pd.Series([], dtype="float64" if c == "value" else "object") for c in KEY_FIGURE_COLUMNS})
    frame, _ = check_key_figures(frame, list(range(2, len(frame) + 2)), "key_figures")
    return frame


# --------------------------------------------------------------------------------------------
# import


@dataclass
class KeyFigureImport(ProblemList):
    """Rows read from one file (canonical columns), how the file was read, and every problem."""

    frame: pd.DataFrame
    format: str
    file: str
    problems: list[Problem] = field(default_factory=list)
    skipped_empty: int = 0  # cells or records without a value (Kolada's null, "..", "-")


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="float64" if c == "value" else "object") for c in KEY_FIGURE_COLUMNS})


def _rows_frame(records: list[dict]) -> pd.DataFrame:
    if not records:
        return _empty_rows()
    frame = pd.DataFrame(records)
    for column in KEY_FIGURE_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[KEY_FIGURE_COLUMNS].copy()
    frame["value"] = frame["value"].astype("float64")
    return frame


def read_key_figure_file(path: Path, *, areas: dict[str, str] | None = None, organisation_ids=(), source: str | None = None, sheet: str | None = None) -> KeyFigureImport:
    """Read key figures from a Kolada JSON download, a Kolada table download or a long table.

    Parameters
    ----------
    path : Path
        ``.json`` (Kolada's API answer), ``.csv``/``.txt``/``.tsv`` or ``.xlsx``.
    areas : Mapping[str, str], optional
        Spellings of areas → area codes (from :func:`area_names`), so that a table that names
        municipalities ("Huddinge") can be placed. Codes and organisation ids need none.
    organisation_ids : iterable of str
        Ids of the package's organisations: an area written exactly as one stays that id.
    source : str, optional
        Written in the ``source`` column where the file gives none ("Kolada" for Kolada's JSON).
    sheet : str, optional
        The sheet to read from a workbook (default: the first that holds a table).

    Returns
    -------
    KeyFigureImport
        Never raises for bad content: problems carry FILE:ROW:COLUMN (for JSON, the row is the
        number of the value record in the file, counted from 1).
    """
    path = Path(path)
    if not path.exists():
        raise UsageError(f"no such file: {path}")
    lower = path.name.lower()
    if lower.endswith(".json"):
        result = _read_kolada_json(path)
        default_source = "Kolada"
    elif lower.endswith((".xlsx", ".xlsm")):
        chosen, problems = _read_workbook_table(path, sheet)
        if chosen is None:
            return KeyFigureImport(_empty_rows(), "unreadable", path.name, problems)
        result = _read_table(chosen, areas or {})
        default_source = ""
    elif lower.endswith((".csv", ".txt", ".tsv", ".csv.gz")):
        result = _read_table(_read_csv_below_titles(path), areas or {})
        default_source = ""
    else:
        raise UsageError(f"{path.name}: give a Kolada JSON file (.json), a CSV file or an Excel workbook (.xlsx)")
    source = source if source is not None else default_source
    if source and len(result.frame):
        result.frame["source"] = result.frame["source"].map(lambda s: s or source)
    if result.format != "kolada-json" and len(result.frame):
        _place_areas(result, areas or {}, set(organisation_ids))
    return result


def _looks_like_header(cells: list[str]) -> bool:
    mapped = {_column_of(c) for c in cells if c}
    years = sum(bool(_PERIOD.match(c.strip())) for c in cells if c)
    return "area" in mapped and ("value" in mapped or years > 0)


def _read_csv_below_titles(path: Path) -> RawTable:
    """A CSV table whose header may sit below title rows (as in Kolada's downloads): the title
    rows are skipped, and rows keep the numbers a text editor shows."""
    import csv
    import io
    import tempfile

    from .tables import decode_bytes

    if path.name.lower().endswith(".gz"):
        return read_csv_table(path)
    text, _ = decode_bytes(path.read_bytes())
    lines = text.splitlines(keepends=True)
    for k, line in enumerate(lines[:15]):  # noqa: B007  (k is read after the loop)
        if not line.strip():
            continue
        separator = max((";", "\t", ","), key=line.count)
        cells = next(csv.reader(io.StringIO(line), delimiter=separator), [])
        if _looks_like_header([c.strip() for c in cells]):
            break
    else:
        return read_csv_table(path)
    if k == 0 or not any(ln.strip() for ln in lines[:k]):
        return read_csv_table(path, separator=separator)
    handle, temporary = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write("".join(lines[k:]))
        raw = read_csv_table(Path(temporary), display=path.name, separator=separator)
    finally:
        os.remove(temporary)
    raw.rows = [r + k for r in raw.rows]
    raw.header_row += k
    raw.problems = [Problem(p.severity, p.file, p.row + k if p.row is not None else None, p.column, p.code, p.message, p.value, p.hint) for p in raw.problems]
    return raw


def _read_workbook_table(path: Path, sheet: str | None) -> tuple[RawTable | None, list[Problem]]:
    """The key-figure table of a workbook (the named sheet, else the first that holds one), its
    header found below any title rows; rows numbered as Excel shows them."""
    sheets, problems = read_excel_tables(path)
    if problems and not sheets:
        return None, problems
    if sheet is not None and sheet not in sheets:
        raise UsageError(f"{path.name} has no sheet named '{sheet}'; its sheets are: {', '.join(sheets)}")
    import openpyxl

    from .tables import excel_cell

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        names = [sheet] if sheet is not None else list(sheets)
        for name in names:
            ws = workbook[name]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()
            header, header_row, records, rows = None, 0, [], []
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [excel_cell(v) for v in values]
                if header is None:
                    if number > 15:
                        break
                    if _looks_like_header(cells):
                        header, header_row = cells, number
                    continue
                if any(cells):
                    records.append((cells + [""] * len(header))[: len(header)])
                    rows.append(number)
            if header is not None:
                return RawTable(f"{path.name}[{name}]", header, records, rows, header_row=header_row), []
    finally:
        workbook.close()
    return None, [
        Problem(
            ERROR,
            path.name,
            None,
            None,
            "empty-table",
            "no sheet holds a table of key figures (a header with an area column and a value or year columns)",
            hint="name the columns area, indicator, period, value",
        )
    ]


def _json_documents(text: str) -> list:
    """Every JSON document in the text: one, or several written one after the other."""
    decoder = json.JSONDecoder()
    docs, i, n = [], 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n:
            return docs
        doc, i = decoder.raw_decode(text, i)
        docs.append(doc)


def _read_kolada_json(path: Path) -> KeyFigureImport:
    name = path.name
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        documents = _json_documents(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        return KeyFigureImport(
            _empty_rows(),
            "kolada-json",
            name,
            [Problem(ERROR, name, getattr(exc, "lineno", None), None, "bad-json", f"not readable JSON{where}: {getattr(exc, 'msg', exc)}", hint="give the file exactly as Kolada's API returned it")],
        )
    records: list = []
    for doc in documents:
        pages = doc if isinstance(doc, list) else [doc]
        for page in pages:
            if isinstance(page, dict) and isinstance(page.get("values"), list):
                records.extend(page["values"])
            elif isinstance(page, dict) and "kpi" in page:
                records.append(page)  # a list of value records without the page around them
    if not records:
        return KeyFigureImport(
            _empty_rows(),
            "kolada-json",
            name,
            [
                Problem(
                    ERROR,
                    name,
                    None,
                    None,
                    "not-kolada",
                    'no Kolada values found: expected {"values": [{"kpi", "municipality", "period", "values": [...]}]}',
                    hint="download the data from Kolada's API (api.kolada.se/v2/data/... or /v3/data/...)",
                )
            ],
        )
    rows: list[dict] = []
    problems: list[Problem] = []
    skipped = 0
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(Problem(ERROR, name, number, None, "not-kolada", "a value record is not an object", value=str(record)[:40]))
            continue
        kpi = str(record.get("kpi") or record.get("kpi_id") or "").strip()
        area = record.get("municipality", record.get("municipality_id", record.get("ou", record.get("ou_id"))))
        period = record.get("period", record.get("year"))
        missing = [f for f, v in (("kpi", kpi), ("municipality", area), ("period", period)) if v in (None, "")]
        if missing:
            problems.append(Problem(ERROR, name, number, missing[0], "empty-value", f"the value record has no {missing[0]}", hint="give the file exactly as Kolada's API returned it"))
            continue
        try:
            period_text = normalise_period(period)
        except ValueError as exc:
            problems.append(Problem(ERROR, name, number, "period", "bad-period", str(exc), value=str(period)))
            continue
        values = record.get("values")
        if not isinstance(values, list):
            values = [{"gender": record.get("gender", "T"), "value": record.get("value")}]
        for item in values:
            if not isinstance(item, dict):
                continue
            value = item.get("value")
            if value is None or (isinstance(value, str) and value.strip().lower() in _MISSING):
                skipped += 1
                continue
            try:
                number_value = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else parse_number(str(value))
            except ValueError as exc:
                problems.append(Problem(ERROR, name, number, "value", "bad-number", str(exc), value=str(value), hint="a value must be a number"))
                continue
            gender = canonical("gender", str(item.get("gender") or "T"))
            if gender is None:
                problems.append(Problem(ERROR, name, number, "gender", "unknown-gender", "unknown gender", value=str(item.get("gender")), hint="Kolada writes T, K or M"))
                continue
            rows.append(
                {
                    "area": normalise_area(area),
                    "indicator": kpi,
                    "period": period_text,
                    "value": number_value,
                    "gender": gender,
                    "indicator_name": str(record.get("kpi_title") or ""),
                    "unit": "",
                    "source": "",
                }
            )
    result = KeyFigureImport(_rows_frame(rows), "kolada-json", name, problems, skipped)
    if skipped:
        result.problems.append(Problem(WARNING, name, None, "value", "no-value", f"{skipped} value(s) without a number (null in Kolada) were skipped"))
    _check_duplicates_in(result)
    return result


# Spellings in Kolada's table downloads and in plain tables, beyond the model's aliases.
_EXTRA = {
    "area": ("kommun_id", "kommunid", "kommun_kod", "id_kommun", "region", "län", "lan", "organisation", "ou", "enhet_id", "område_id"),
    "indicator": ("nyckeltals_id", "kpi_id", "indikator_id", "nyckeltal_id"),
    "indicator_name": ("nyckeltalsnamn", "nyckeltal_titel", "beskrivning"),
    "gender": ("kön", "kon", "gender"),
}
_AREA_NAME_HEADERS = {"kommun", "kommunnamn", "municipality", "region", "län", "lan", "namn", "område", "omrade"}


def _column_of(header: str) -> str | None:
    found = canonical_column("key_figures", header)
    if found:
        return found
    key = normalise_key(header)
    for column, spellings in _EXTRA.items():
        if key in (normalise_key(s) for s in spellings):
            return column
    return None


def _read_table(raw: RawTable, areas: dict[str, str]) -> KeyFigureImport:
    name = raw.file
    problems: list[Problem] = list(raw.problems)
    if not raw.header:
        return KeyFigureImport(_empty_rows(), "unreadable", name, problems or [Problem(ERROR, name, 1, None, "empty-table", "the table has no header row")])
    header, header_row = raw.header, raw.header_row
    body = list(zip(raw.records, raw.rows))
    positions: dict[str, int] = {}
    area_columns: list[int] = []
    period_columns: list[tuple[int, str]] = []
    for i, cell in enumerate(header):
        if not cell:
            continue
        if _PERIOD.match(cell.strip()) or re.fullmatch(r"\d{4}\.0+", cell.strip()):
            period_columns.append((i, normalise_period(cell)))
            continue
        column = _column_of(cell)
        if column == "area":
            area_columns.append(i)
        if column and column not in positions:
            positions[column] = i
    if len(area_columns) > 1:  # "Kommun" and "Kommun-id": take the column that holds codes

        def codes(i: int) -> int:
            return sum(bool(re.fullmatch(r"\d{2,4}", cells[i].strip())) for cells, _ in body if i < len(cells))

        positions["area"] = max(area_columns, key=lambda i: (codes(i), -i))
    wide = "period" not in positions and "value" not in positions and bool(period_columns)
    need = ["area", "indicator"] + ([] if wide else ["period", "value"])
    missing = [c for c in need if c not in positions]
    if missing:
        spellings = {c: ", ".join(f"'{s}'" for s in [c, *TABLES["key_figures"].column(c).aliases[:3]]) for c in missing}
        hint = "; ".join(f"{c}: {spellings[c]}" for c in missing)
        if "indicator" in missing and "area" not in missing:
            hint += " (a Kolada download of one key figure: add a column 'indicator' with its id, e.g. N00914)"
        problems.append(Problem(ERROR, name, header_row, missing[0], "missing-column", f"the required column(s) {', '.join(missing)} are missing", hint=f"name the columns so: {hint}"))
        return KeyFigureImport(_empty_rows(), "wide" if wide else "long", name, problems)
    rows: list[dict] = []
    skipped = 0

    def cell(cells, column):
        i = positions.get(column)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    for cells, row in body:
        if not any(cells):
            continue
        area, indicator = cell(cells, "area"), cell(cells, "indicator")
        gender_text = cell(cells, "gender")
        gender = canonical("gender", gender_text) if gender_text else "T"
        bad = False
        for column, value in (("area", area), ("indicator", indicator)):
            if not value:
                problems.append(Problem(ERROR, name, row, header[positions[column]], "empty-value", "a required value is empty", hint=f"fill in the {column}"))
                bad = True
        if gender is None:
            problems.append(
                Problem(
                    ERROR, name, row, header[positions["gender"]], "unknown-gender", "unknown gender", value=gender_text, hint="write T (total), K (women) or M (men); Totalt/Kvinnor/Män also accepted"
                )
            )
            bad = True
        if wide:
            pairs = [(i, period) for i, period in period_columns]
        else:
            period_text = cell(cells, "period")
            try:
                period = normalise_period(period_text)
            except ValueError as exc:
                problems.append(
                    Problem(
                        ERROR,
                        name,
                        row,
                        header[positions["period"]],
                        "bad-period" if period_text else "empty-value",
                        str(exc) if period_text else "a required value is empty",
                        value=period_text or None,
                        hint="write a year (2014) or a month (2014-03)",
                    )
                )
                continue
            pairs = [(positions["value"], period)]
        for i, period in pairs:
            text = cells[i].strip() if i < len(cells) else ""
            if text.lower() in _MISSING:
                skipped += 1
                continue
            try:
                value = parse_number(text)
            except ValueError as exc:
                problems.append(Problem(ERROR, name, row, header[i], "bad-number", str(exc), value=text, hint="write a number such as 12,5 or 12.5"))
                continue
            if bad:
                continue
            rows.append(
                {
                    "area": normalise_area(area),
                    "indicator": indicator,
                    "period": period,
                    "value": value,
                    "gender": gender,
                    "indicator_name": cell(cells, "indicator_name"),
                    "unit": cell(cells, "unit"),
                    "source": cell(cells, "source"),
                    "_row": row,
                    "_column": header[positions["area"]],
                }
            )
    frame = _rows_frame(rows)
    if rows:
        frame["_row"] = [r["_row"] for r in rows]
        frame["_column"] = [r["_column"] for r in rows]
    result = KeyFigureImport(frame, "kolada-wide" if wide else "long", name, problems, skipped)
    if skipped:
        result.problems.append(Problem(WARNING, name, None, None, "no-value", f"{skipped} cell(s) without a value ('..', '-' or empty) were skipped"))
    _check_duplicates_in(result)
    return result


def _place_areas(result: KeyFigureImport, areas: dict[str, str], ids: set[str]) -> None:
    """Codes and organisation ids (exactly as written) stay; names are looked up in ``areas``;
    what cannot be placed is an error."""
    frame = result.frame
    placed = []
    for i, area in enumerate(frame["area"]):
        if _MUNICIPALITY.match(area) or area in COUNTIES or area in ids:
            placed.append(area)
            continue
        code = areas.get(normalise_key(area))
        if code is None:
            row = int(frame["_row"].iloc[i]) if "_row" in frame.columns else None
            column = frame["_column"].iloc[i] if "_column" in frame.columns else "area"
            result.problems.append(
                Problem(
                    ERROR,
                    result.file,
                    row,
                    column,
                    "unplaced-area",
                    "cannot place the area: it is not a municipality code, a county code, an organisation id or a municipality the package names",
                    value=area,
                    hint="write the municipality code (e.g. 0126) or county code (e.g. 01)",
                )
            )
        placed.append(code or area)
    frame["area"] = placed
    result.frame = frame.drop(columns=[c for c in ("_row", "_column") if c in frame.columns])


def _check_duplicates_in(result: KeyFigureImport) -> None:
    frame = result.frame
    if frame.empty:
        return
    duplicated = frame.duplicated(_KEY, keep=False)
    if not duplicated.any():
        return
    for key, group in frame[duplicated].groupby(_KEY, sort=True):
        values = sorted(set(group["value"].tolist()))
        if len(values) > 1:
            row = int(group["_row"].iloc[-1]) if "_row" in group.columns else None
            result.problems.append(
                Problem(
                    ERROR,
                    result.file,
                    row,
                    "value",
                    "duplicate-key-figure",
                    f"the file gives {len(values)} values for one area, indicator, period and gender",
                    value="/".join(key),
                    hint="keep one of them",
                )
            )
    result.frame = frame.drop_duplicates(_KEY, keep="first").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# indicator names


def parse_name_options(options) -> dict[str, str]:
    """``["N00914=Andel ...", ...]`` → ``{"N00914": "Andel ..."}``; raises UsageError otherwise."""
    names: dict[str, str] = {}
    for option in options or ():
        indicator, sep, text = str(option).partition("=")
        if not sep or not indicator.strip() or not text.strip():
            raise UsageError(f'--name {option!r}: write ID=TEXT, e.g. --name "N00914=Andel invånare med utländsk bakgrund"')
        names[indicator.strip()] = text.strip()
    return names


def read_names_file(path: Path) -> dict[str, str]:
    """Indicator names from a metadata file: Kolada's KPI metadata JSON (``{"values": [{"id",
    "title"}]}``) or a table with an id column (id, kpi, indicator) and a name column (title,
    name, namn, indicator_name). Raises InputError/UsageError with the file named."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"no such file: {path}")
    if path.name.lower().endswith(".json"):
        try:
            documents = _json_documents(path.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"{path.name}: not readable JSON ({exc})") from None
        names = {}
        for doc in documents:
            for page in doc if isinstance(doc, list) else [doc]:
                items = page.get("values", []) if isinstance(page, dict) else []
                for item in items:
                    if isinstance(item, dict) and item.get("id") and item.get("title"):
                        names[str(item["id"])] = str(item["title"])
        return names
    raw = read_excel_tables(path)[0] if path.name.lower().endswith(".xlsx") else {"t": read_csv_table(path)}
    table = next((t for t in raw.values() if t.header), None)
    if table is None:
        raise UsageError(f"{path.name}: the file holds no table")
    keys = [normalise_key(h) for h in table.header]
    id_at = next((keys.index(k) for k in ("id", "kpi", "indicator", "nyckeltal_id", "kpi_id") if k in keys), None)
    name_at = next((keys.index(k) for k in ("title", "indicator_name", "name", "namn", "titel", "kpi_title") if k in keys), None)
    if id_at is None or name_at is None:
        raise InputError(
            [
                Problem(
                    ERROR,
                    table.file,
                    table.header_row,
                    None,
                    "missing-column",
                    "a names file needs an id column and a name column",
                    hint="name them 'id' and 'title' (or 'indicator' and 'indicator_name')",
                )
            ]
        )
    return {r[id_at]: r[name_at] for r in table.records if r[id_at] and r[name_at]}


def apply_names(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Fill ``indicator_name`` from ``names`` (given names win over the file's own)."""
    if not names or frame.empty:
        return frame
    frame = frame.copy()
    given = frame["indicator"].map(names)
    frame["indicator_name"] = given.where(given.notna(), frame["indicator_name"])
    return frame


# --------------------------------------------------------------------------------------------
# into the package


def area_names(organisations: pd.DataFrame) -> dict[str, str]:
    """Spellings that name an area → its code: county names ("Stockholms län", "Stockholm"
    county is not guessed), and every municipality-type organisation's name, its name without
    "kommun"/"s kommun", and its aliases → the organisation's municipality code.

    >>> orgs = pd.DataFrame({"id": ["huddinge"], "name": ["Huddinge kommun"], "type": ["municipality"], "municipality": ["0126"], "aliases": ["Huddinge"]})
    >>> area_names(orgs)["huddinge"], area_names(orgs)["stockholms_län"]
    ('0126', '01')
    """
    names = {normalise_key(n): code for code, n in COUNTIES.items()}
    names.update({normalise_key("Region " + n.removesuffix(" län").removesuffix("s")): code for code, n in COUNTIES.items()})
    if organisations is None or organisations.empty:
        return names
    for _, org in organisations.iterrows():
        code = str(org.get("municipality", "") or "")
        if org.get("type") != "municipality" or not _MUNICIPALITY.match(code):
            continue
        name = str(org.get("name", ""))
        spellings = {name, re.sub(r"s? kommun$", "", name, flags=re.IGNORECASE), re.sub(r" kommun$", "", name, flags=re.IGNORECASE)}
        spellings.update(a.strip() for a in str(org.get("aliases", "") or "").split("|") if a.strip())
        for spelling in spellings:
            names.setdefault(normalise_key(spelling), code)
    return names


def merge_key_figures(existing: pd.DataFrame, new: pd.DataFrame, *, file: str, replace: bool = False) -> tuple[pd.DataFrame, dict, list[Problem]]:
    """The existing rows with the new ones added.

    Rules: a new row equal in value to an existing one is merged (counted as ``unchanged``); a new
    row with another value is refused (an error naming area/indicator/period/gender and both
    values) unless ``replace``, when the new value wins (``replaced``). Extra columns of the
    existing table are kept. Rows are sorted by indicator, area, period and gender.
    """
    problems: list[Problem] = []
    existing = existing.copy()
    new = new[KEY_FIGURE_COLUMNS].copy()
    for column in ("gender",):
        existing[column] = existing[column].map(lambda g: g or "T")
    old_index = {key: i for i, key in enumerate(zip(*(existing[c].tolist() for c in _KEY)))}
    keep_new = []
    counts = {"added": 0, "unchanged": 0, "replaced": 0}
    for j, key in enumerate(zip(*(new[c].tolist() for c in _KEY))):
        if key not in old_index:
            keep_new.append(j)
            counts["added"] += 1
            continue
        old_value = existing["value"].iloc[old_index[key]]
        new_value = new["value"].iloc[j]
        if old_value == new_value:
            counts["unchanged"] += 1
            continue
        if replace:
            existing.loc[existing.index[old_index[key]], "value"] = new_value
            for column in ("indicator_name", "unit", "source"):
                if new[column].iloc[j]:
                    existing.loc[existing.index[old_index[key]], column] = new[column].iloc[j]
            counts["replaced"] += 1
        else:
            problems.append(
                Problem(
                    ERROR,
                    file,
                    None,
                    "value",
                    "conflicting-key-figure",
                    f"the package already has {format_number(old_value)} for {'/'.join(key)}; the file gives {format_number(new_value)}",
                    value=format_number(new_value),
                    hint="use --replace to take the new values, or remove the old rows first",
                )
            )
    added = new.iloc[keep_new]
    merged = pd.concat([existing, added], ignore_index=True) if len(existing) else added.reset_index(drop=True)
    for column in merged.columns:
        if column != "value":
            merged[column] = merged[column].fillna("").astype(str)
    merged = merged.sort_values(["indicator", "area", "period", "gender"], kind="stable").reset_index(drop=True)
    return merged, counts, problems


def _existing_table(package_path: Path):
    """(file path or sheet name, typed frame or None) of the package's key_figures table."""
    from .package import table_files
    from .validate import type_table

    if package_path.is_dir():
        files, _ = table_files(package_path)
        file = files.get("key_figures")
        if file is None:
            return package_path / "key_figures.csv", None, []
        raw = read_csv_table(file)
        display = file.name
    else:
        sheets, problems = read_excel_tables(package_path)
        if problems:
            raise InputError(problems)
        from ..model import canonical_table

        match = [(s, t) for s, t in sheets.items() if canonical_table(s) == "key_figures"]
        if not match:
            return "key_figures", None, []
        file, raw = match[0]
        display = raw.file
    typed, problems = type_table(raw, TABLES["key_figures"])
    frame, more = check_key_figures(typed.frame, typed.rows, display)
    errors = [p for p in problems + more if p.is_error]
    if errors:
        raise InputError(errors + [Problem(ERROR, display, None, None, "cannot-merge", "the package's key figures have errors; nothing was added", hint="fix them first (samverkan validate)")])
    return file, frame, [p for p in problems + more if not p.is_error]


def _package_organisations(package_path: Path) -> pd.DataFrame:
    from .package import read_raw_tables
    from .validate import type_table

    raw, _, _ = read_raw_tables(package_path)
    if "organisations" not in raw or not raw["organisations"].header:
        return pd.DataFrame({"id": [], "name": [], "type": [], "municipality": [], "aliases": []})
    typed, _ = type_table(raw["organisations"], TABLES["organisations"])
    return typed.frame


def add_key_figures(package_path: Path, file: Path, *, names: dict[str, str] | None = None, replace: bool = False, source: str | None = None, sheet: str | None = None) -> dict:
    """Import ``file`` into the package's ``key_figures`` table; returns what was done.

    Reads the file (:func:`read_key_figure_file`), places areas with the package's organisations,
    fills indicator names, merges with the rows already there (:func:`merge_key_figures`) and
    writes the table atomically: ``key_figures.csv`` in a folder package (or the file that already
    holds the table), or the ``key_figures`` sheet of a workbook (the workbook is rewritten with
    openpyxl and replaced atomically after checking every other sheet reads back the same;
    workbooks with charts or images are refused). No other table is touched. Raises
    :class:`InputError` with every problem when anything cannot be placed: nothing is written then.

    Returns a dict: ``file`` written, ``format`` read, ``rows`` in the table, ``added``,
    ``unchanged``, ``replaced``, ``skipped_empty``, ``indicators`` (sorted), ``unnamed``
    (indicators shown by id), ``warnings`` (Problems).
    """
    package_path = Path(package_path)
    if not package_path.exists():
        raise UsageError(f"no such package: {package_path}; create it first (samverkan init) or give an existing folder or .xlsx")
    if package_path.is_file() and not package_path.name.lower().endswith(".xlsx"):
        raise UsageError(f"{package_path.name}: key figures can be added to a folder package or an .xlsx workbook")
    organisations = _package_organisations(package_path)
    result = read_key_figure_file(file, areas=area_names(organisations), organisation_ids=set(organisations["id"]), source=source, sheet=sheet)
    if result.errors:
        raise InputError(result.problems)
    if result.frame.empty:
        raise InputError(result.problems + [Problem(ERROR, result.file, None, None, "no-key-figures", "the file holds no key figure with a value", hint="check that the download has values")])
    frame = apply_names(result.frame, names or {})
    target, existing, warnings = _existing_table(package_path)
    if existing is None:
        existing = _empty_rows()
    display = target.name if isinstance(target, Path) else f"{package_path.name}[{target}]"
    merged, counts, problems = merge_key_figures(existing, frame, file=display, replace=replace)
    if problems:
        raise InputError(problems)
    if isinstance(target, Path):
        if not target.name.lower().endswith(".csv"):
            raise UsageError(f"{target.name} holds the key figures but is not a plain .csv file; save it as key_figures.csv and import again")
        written = atomic_write_text(target, frame_to_csv_text(merged))
    else:
        written = _write_sheet(package_path, target, merged)
    named = {i for i, n in zip(merged["indicator"], merged["indicator_name"]) if n}
    return {
        "file": str(written),
        "format": result.format,
        "rows": len(merged),
        **counts,
        "skipped_empty": result.skipped_empty,
        "indicators": sorted(set(merged["indicator"])),
        "unnamed": sorted(set(merged["indicator"]) - named),
        "warnings": sorted_problems(result.warnings + warnings),
    }


def _write_sheet(workbook_path: Path, sheet_name: str, frame: pd.DataFrame) -> Path:
    import io

    import openpyxl

    from .output import atomic_write_bytes, safe_frame
    from .tables import read_sheet

    before, _ = read_excel_tables(workbook_path)
    workbook = openpyxl.load_workbook(workbook_path)
    if any(getattr(ws, "_charts", None) or getattr(ws, "_images", None) for ws in workbook.worksheets):
        raise UsageError(
            f"{workbook_path.name} holds charts or images that rewriting it would lose; add the key figures as a sheet named 'key_figures' yourself, or keep the package as a folder of CSV files"
        )
    if sheet_name in workbook.sheetnames:
        index = workbook.sheetnames.index(sheet_name)
        del workbook[sheet_name]
        sheet = workbook.create_sheet(sheet_name, index)
    else:
        sheet = workbook.create_sheet(sheet_name)
    data = safe_frame(frame)
    sheet.append([str(c) for c in data.columns])
    for row in data.itertuples(index=False):
        sheet.append([None if (isinstance(v, float) and math.isnan(v)) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    check = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True, data_only=True)
    try:
        after = {ws.title: read_sheet(ws, f"{workbook_path.name}[{ws.title}]") for ws in check.worksheets}
    finally:
        check.close()
    for name, table in before.items():
        if name == sheet_name:
            continue
        other = after.get(name)
        if other is None or other.header != table.header or other.records != table.records:
            raise UsageError(
                f"{workbook_path.name}: the sheet '{name}' would not read back the same after adding the key figures; the workbook was left as it was. Keep the package as a folder of CSV files instead"
            )
    atomic_write_bytes(workbook_path, buffer.getvalue())  # replaces the workbook in one step
    return workbook_path
