"""Turn raw tables into typed tables, collecting every problem on the way.

One pass per table checks columns (missing, duplicate, unknown), cells (empty required values,
dates, numbers, vocabularies) and keys; a second pass checks references between tables and
cycles in ``parent``. Nothing stops at the first problem: the user gets the whole list at once.
"""

from __future__ import annotations

import functools
import math
import re

import difflib
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
import pandas as pd

from ..errors import ERROR, WARNING, Problem
from ..model import (
    TABLES,
    VOCABULARIES,
    Table,
    canonical,
    canonical_column,
    normalise_key,
    vocabulary_spellings,
)
from .names import NameIndex
from .tables import RawTable
from .values import DATE_HINT, date_order, format_number, parse_bool, parse_date, parse_number, split_list

__all__ = ["TypedTable", "type_table", "check_references", "closest"]


@dataclass
class TypedTable:
    """A table with canonical columns, parsed values, the Excel row of each record and its file.

    ``missing_columns`` names the required columns the file lacks (already reported); checks
    that need them are skipped rather than repeated for every row.
    """

    name: str
    file: str
    frame: pd.DataFrame
    rows: list[int]
    extra_columns: list[str]
    missing_columns: list[str] = field(default_factory=list)


def closest(value: str, candidates, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The candidates most like ``value`` (case-insensitive), best first.

    >>> closest("styrgrup", ["styrgrupp", "referensgrupp"]), closest("xyz", ["styrgrupp"])
    (['styrgrupp'], [])
    """
    candidates = [str(c) for c in candidates if str(c)]
    lowered = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(str(value).lower(), list(lowered), n=n, cutoff=cutoff)
    return [lowered[f] for f in found]


def _suggest(value: str, candidates, what: str) -> str:
    candidates = list(candidates)
    if len(candidates) > 200:  # difflib takes ~0.1 s per value among 20,000 ids; rapidfuzz ~1 ms
        from rapidfuzz import fuzz, process

        found = process.extractOne(str(value).lower(), candidates, scorer=fuzz.ratio, processor=str.lower, score_cutoff=60)
        match = [found[0]] if found else []
    else:
        match = closest(value, candidates)
    return f"did you mean '{match[0]}'?" if match else f"use one of the {what}"


def empty_frame(table: Table) -> pd.DataFrame:
    data = {}
    for column in table.columns:
        if column.kind == "date":
            data[column.name] = pd.Series([], dtype="datetime64[ns]")
        elif column.kind == "number":
            data[column.name] = pd.Series([], dtype="float64")
        elif column.kind == "bool":
            data[column.name] = pd.Series([], dtype="bool")
        else:
            data[column.name] = pd.Series([], dtype="object")
    return pd.DataFrame(data, index=pd.RangeIndex(0))


def _typed_column(values, kind: str) -> pd.Series:
    """One column with the dtype of its kind, the same whether it has rows or not.

    ``values`` is a list, or an array already of the kind's dtype (``datetime64[ns]`` for dates).
    """
    if isinstance(values, np.ndarray) and kind == "date":
        return pd.Series(values.astype("datetime64[ns]"))
    if kind == "date":
        return pd.to_datetime(pd.Series(values, dtype="object")).astype("datetime64[ns]")
    if kind == "number":
        return pd.Series(values, dtype="float64")
    if kind == "bool":
        return pd.Series(values, dtype="bool")
    return pd.Series(values, dtype="object")


MAX_UNKNOWN_COLUMN_WARNINGS = 20
"""More unknown columns than this in one table are reported by one summarising warning."""


def type_table(raw: RawTable, table: Table) -> tuple[TypedTable, list[Problem]]:
    """Map headers to canonical columns and parse every cell; report all problems found.

    The frame has the table's canonical columns in order, with the dtypes of
    :class:`~samverkan.io.package.Package` (also when the table has no rows), then the extra
    columns under their own headers. Columns without a header and without values are dropped.
    """
    problems: list[Problem] = list(raw.problems)
    file = raw.file
    head = getattr(raw, "header_row", 1) or 1
    positions: dict[str, int] = {}
    extras: list[tuple[str, int]] = []
    known = [c.name for c in table.columns] + [a for c in table.columns for a in c.aliases]
    seen_headers: dict[str, int] = {}
    unknown: list[tuple[str, str, str]] = []  # (header, label, suggestion)
    for i, header in enumerate(raw.header):
        label = header or f"(column {i + 1})"
        if header and normalise_key(header) in seen_headers:
            problems.append(
                Problem(
                    ERROR,
                    file,
                    head,
                    label,
                    "duplicate-column",
                    f"the column appears twice in the header (first as column {seen_headers[normalise_key(header)] + 1})",
                    value=header,
                    hint="rename or remove one of them",
                )
            )
            continue
        if header:
            seen_headers[normalise_key(header)] = i
        name = canonical_column(table.name, header) if header else None
        if name is None:
            if header:
                extras.append((header, i))
                unknown.append((header, label, None))
            elif any(i < len(record) and record[i] for record in raw.records):
                extras.append((f"column_{i + 1}", i))
                problems.append(Problem(WARNING, file, head, label, "unnamed-column", "a column without a header holds values; kept as an extra column", hint="give the column a header"))
            continue
        if name in positions:
            problems.append(Problem(ERROR, file, head, label, "duplicate-column", f"two columns mean '{name}' (also '{raw.header[positions[name]]}')", value=header, hint="keep only one of them"))
            continue
        positions[name] = i
    missing: list[str] = []
    explained: set[str] = set()
    for required in table.required:
        if required in positions:
            continue
        missing.append(required)
        column = table.column(required)
        spellings = list(dict.fromkeys([column.name, *column.aliases]))
        guess = _likely_header(spellings, [h for h, _ in extras if h not in explained])
        accepted = ", ".join(f"'{s}'" for s in spellings[:4])
        if guess is not None:
            header, spelling = guess
            explained.add(header)
            hint = f"did you mean '{spelling}'? rename the column '{header}' (accepted names: {accepted})"
        else:
            hint = f"add a column named {accepted}"
        problems.append(Problem(ERROR, file, head, required, "missing-column", f"the required column '{required}' is missing", hint=hint))
    unknown = [u for u in unknown if u[0] not in explained]
    if len(unknown) > MAX_UNKNOWN_COLUMN_WARNINGS:  # thousands of extra columns: one warning, not thousands
        names = ", ".join(f"'{h}'" for h, _, _ in unknown[:5])
        problems.append(
            Problem(
                WARNING,
                file,
                head,
                None,
                "unknown-columns",
                f"{len(unknown)} unknown columns (first {names}), kept as extra columns",
                hint=f"samverkan does not analyse them; the columns of {table.name} are listed in docs/data-format.md",
            )
        )
    else:
        for header, label, _ in unknown:
            match = closest(normalise_key(header), known, cutoff=0.75)
            hint = f"did you mean '{match[0]}'?" if match else f"samverkan does not analyse it; the columns of {table.name} are listed in docs/data-format.md"
            problems.append(Problem(WARNING, file, head, label, "unknown-column", "unknown column, kept as an extra column", value=header, hint=hint))

    n = len(raw.records)
    by_column = _transposed(raw.records, len(raw.header))
    columns: dict[str, pd.Series] = {}
    for column in table.columns:
        index = positions.get(column.name)
        cells = list(by_column[index]) if index is not None else [""] * n
        if index is not None:
            cells = _composed(cells, column, table, raw.rows, file, problems)
        values = _parse_column(cells, column, raw.rows, file, problems, present=index is not None)
        columns[column.name] = _typed_column(values, column.kind)
    extra_names: list[str] = []
    taken = set(columns)
    for header, index in extras:
        unique = header
        while unique in taken:
            unique += "_"
        taken.add(unique)
        extra_names.append(unique)
        columns[unique] = pd.Series(list(by_column[index]), dtype="object")
    formula_cells = {(p.row, p.column) for p in raw.problems if p.code == "formula-without-value"}
    if formula_cells:  # a formula without a saved value is said as such, not also as an empty cell
        header_of = {name: raw.header[i] for name, i in positions.items()}
        problems = [p for p in problems if not (p.code == "empty-value" and (p.row, header_of.get(p.column)) in formula_cells)]
    frame = pd.concat(columns, axis=1) if columns else pd.DataFrame()  # one step: thousands of extra columns stay fast
    frame.index = pd.RangeIndex(n)
    _check_keys(frame, table, raw.rows, file, problems)
    _check_dates(frame, table, raw.rows, file, problems)
    return TypedTable(table.name, file, frame, list(raw.rows), extra_names, missing), problems


def _transposed(records: list[list[str]], width: int) -> list:
    """The cells of each of ``width`` columns (sequences), from records of that width."""
    if records and all(len(record) == width for record in records):
        return list(zip(*records)) or [()] * width  # one pass in C
    return [list(map(itemgetter(k), records)) for k in range(width)]


def _likely_header(spellings: list[str], headers: list[str]) -> tuple[str, str] | None:
    """The unrecognised header most like one of a missing column's spellings, and that spelling."""
    best: tuple[float, str, str] | None = None
    for header in headers:
        key = normalise_key(header)
        for spelling in spellings:
            ratio = difflib.SequenceMatcher(None, key, normalise_key(spelling)).ratio()
            if ratio >= 0.6 and (best is None or ratio > best[0]):
                best = (ratio, header, spelling)
    return None if best is None else (best[1], best[2])


def _date_cell(cell, *, order):
    return np.datetime64(parse_date(cell, order=order), "D")


_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _number_cell(cell: str) -> float:
    """:func:`parse_number`, with a shortcut for a number written plainly (``-12``, ``3.25``)."""
    if _PLAIN_NUMBER.fullmatch(cell):
        value = float(cell)
        if math.isfinite(value):
            return value
    return parse_number(cell)


# column kind -> (value of an empty cell, parser, problem code, hint): one loop reads them all
_SCALAR_PARSERS = {
    "date": (np.datetime64("NaT", "D"), lambda cell: np.datetime64(parse_date(cell), "D"), "bad-date", DATE_HINT),
    "number": (np.float64("nan"), _number_cell, "bad-number", "write a number such as 1500000 or 1 500 000,50"),
    "bool": (np.False_, parse_bool, "bad-boolean", "write true or false (ja/nej also accepted)"),
}


def _parse_column(cells: list[str], column, rows: list[int], file: str, problems: list[Problem], *, present: bool):
    """The parsed values of one column (a list, or an array for dates, numbers and booleans).

    Every distinct cell is parsed once; the problems are then reported row by row, in the order
    of the rows, exactly as if each cell had been parsed on its own.
    """
    kind = column.kind
    if len(cells) > len(rows):
        cells = cells[: len(rows)]
    report_empty = column.required and present
    if not (kind in ("date", "number", "bool") or kind.startswith(("vocab:", "list"))):
        if report_empty and not all(cells):
            for cell, row in zip(cells, rows):
                if not cell:
                    problems.append(_empty_value(file, row, column))
        return cells
    codes, distinct = pd.factorize(np.array(cells, dtype=object), use_na_sentinel=False)
    distinct = distinct.tolist()
    # per distinct cell: its value, and (code, message, hint) when it cannot be read
    failures: dict[int, tuple[str, str, str]] = {}
    if kind in _SCALAR_PARSERS:
        empty, parse, code, hint = _SCALAR_PARSERS[kind]
        if kind == "date":  # 03/04/2020: the column's other dates tell day from month, or it is refused
            try:
                order = date_order(distinct)
            except ValueError as exc:
                order, ambiguous = None, str(exc)
            else:
                ambiguous = None
            if order or ambiguous:
                parse = functools.partial(_date_cell, order=order)
                if ambiguous:
                    code, hint = "ambiguous-date", "write dates as YYYY-MM-DD, e.g. 2014-03-31"
        values = np.full(len(distinct), empty)
        for k, cell in enumerate(distinct):
            if cell:
                try:
                    values[k] = parse(cell)
                except ValueError as exc:
                    failures[k] = (code, str(exc), hint)
    elif kind.startswith("vocab:"):
        vocabulary = kind.split(":", 1)[1]
        values = np.empty(len(distinct), dtype=object)
        for k, cell in enumerate(distinct):
            if not cell:
                values[k] = "other" if vocabulary == "org_type" else ""
                continue
            code = canonical(vocabulary, cell)
            if code is None:
                words = vocabulary.replace("_", " ")
                plural = words + ("es" if words.endswith("s") else "s")
                match = closest(normalise_key(cell), vocabulary_spellings(vocabulary))
                codes_text = ", ".join(VOCABULARIES[vocabulary])
                hint = f"did you mean '{match[0]}'? (the {plural} are: {codes_text})" if match else f"use one of the {plural}: {codes_text} (Swedish names are listed in docs/data-format.md)"
                failures[k] = (f"unknown-{vocabulary.replace('_', '-')}", f"unknown {words}", hint)
                values[k] = cell
            else:
                values[k] = code
    else:  # list
        values = np.empty(len(distinct), dtype=object)
        values[:] = ["|".join(split_list(cell)) for cell in distinct]
    flagged = set(failures)
    if report_empty:
        flagged.update(k for k, cell in enumerate(distinct) if not cell)
    if flagged:
        for i in np.flatnonzero(np.isin(codes, list(flagged))):
            cell, row = cells[i], rows[i]
            if not cell:
                problems.append(_empty_value(file, row, column))
            else:
                code, message, hint = failures[codes[i]]
                problems.append(Problem(ERROR, file, row, column.name, code, message, value=cell, hint=hint))
    out = values[codes]
    return out if kind in ("date", "number", "bool") else out.tolist()


def _composed(cells: list[str], column, table: Table, rows: list[int], file: str, problems: list[Problem]) -> list[str]:
    """The cells in Unicode's composed form (NFC): "Örebro" typed with a combining diaeresis (NFD,
    as macOS file names and some exports write it) is the same text as "Örebro".

    For ids and references a note says so once per column, with the first row, when a cell was
    changed (two spellings that looked alike and now are one).
    """
    import unicodedata

    joined = "\x00".join(cells)
    if joined.isascii() or unicodedata.is_normalized("NFC", joined):
        return cells  # the common cases, checked at C speed
    changed = None
    for k, cell in enumerate(cells):
        if not cell.isascii() and not unicodedata.is_normalized("NFC", cell):
            if changed is None:
                changed = k
                cells = list(cells)
            cells[k] = unicodedata.normalize("NFC", cell)
    if changed is not None and (column.name == table.key or column.kind.startswith(("ref:", "list:"))):
        problems.append(
            Problem(
                WARNING,
                file,
                rows[changed],
                column.name,
                "unicode-form",
                "written in decomposed Unicode (NFD); read in composed form (NFC), so both spellings are one",
                value=cells[changed],
                hint="nothing to do; an id typed in either form now means the same organisation or project",
            )
        )
    return cells


def _empty_value(file: str, row: int, column) -> Problem:
    return Problem(ERROR, file, row, column.name, "empty-value", "a required value is empty", hint=f"fill in the {column.name.replace('_', ' ')}")


def _check_keys(frame: pd.DataFrame, table: Table, rows: list[int], file: str, problems: list[Problem]) -> None:
    if table.key is None or table.key not in frame.columns or frame.empty:
        return
    in_lists = True  # every id may be joined by '|' in an output (findings.csv) or a list column
    values = frame[table.key].tolist()
    used = [value for value in values if value]
    if len(set(used)) == len(used) and not (in_lists and any("|" in value for value in used)):
        return  # every id is unique and none holds a '|': nothing to report
    first_row: dict[str, int] = {}
    for value, row in zip(values, rows):
        if not value:
            continue
        if in_lists and "|" in value:
            problems.append(Problem(ERROR, file, row, table.key, "bad-id", "an id cannot contain '|': it separates ids in lists and in findings.csv", value=value, hint="replace the | with - or /"))
        if value in first_row:
            problems.append(Problem(ERROR, file, row, table.key, "duplicate-id", f"the id is already used on row {first_row[value]}", value=value, hint="give every row its own id"))
        else:
            first_row[value] = row


# tables whose ids are written in |-separated lists elsewhere
_LISTED_TABLES = {c.ref_table for t in TABLES.values() for c in t.columns if c.kind.startswith("list:")}


def _check_dates(frame: pd.DataFrame, table: Table, rows: list[int], file: str, problems: list[Problem]) -> None:
    if "start" not in frame.columns or "end" not in frame.columns or frame.empty:
        return
    bad = (frame["end"] < frame["start"]).to_numpy()
    for i in bad.nonzero()[0]:
        start = frame["start"].iloc[i].date().isoformat()
        end = frame["end"].iloc[i].date().isoformat()
        problems.append(Problem(ERROR, file, rows[i], "end", "end-before-start", f"the end comes before the start ({start})", value=end, hint="swap the dates or correct the end date"))


def _hint(cache: dict[str, str], item: str, ordered, target: str) -> str:
    """The suggestion for an unknown id, worked out once per distinct value (sorted candidates
    keep it the same from run to run). ``ordered`` is the sorted candidates, or a function that
    gives them (sorted only when an unknown id turns up)."""
    if item not in cache:
        candidates = ordered() if callable(ordered) else ordered
        cache[item] = _suggest(item, candidates, f"ids in the {target} table")
    return cache[item]


def _sorted_once(known: set[str]):
    """A function that sorts ``known`` on its first call and then returns the same list."""
    memo: list[list[str]] = []

    def ordered() -> list[str]:
        if not memo:
            memo.append(sorted(known))
        return memo[0]

    return ordered


def _has(t: TypedTable, column: str) -> bool:
    """Whether the table really has the column (not a required one the file lacks)."""
    return column in t.frame.columns and column not in getattr(t, "missing_columns", ())


def check_references(typed: dict[str, TypedTable]) -> list[Problem]:
    """References between tables, contacts' organisations, repeated participations, parent cycles.

    A reference to an organisation may also be written as its name or one of its aliases; it is
    then resolved to the id (in the frame) and reported as a warning so the user can tidy it.
    References into a table whose id column is missing are not checked (the missing column is
    already reported), so one mistake does not bury the report under a problem per row.
    """
    problems: list[Problem] = []
    ids = {name: {i for i in t.frame["id"] if i} for name, t in typed.items() if _has(t, "id")}
    org_index = None
    if "organisations" in ids and _has(typed["organisations"], "name"):
        # built when a reference is first not an id (its id, name and aliases never change here)
        org_index = _LazyNameIndex(typed["organisations"].frame)
    for name, t in typed.items():
        table = TABLES[name]
        for column in table.columns:
            target = column.ref_table
            if target is None or not _has(t, column.name):
                continue
            used = t.frame[column.name].astype(bool).any()
            if target not in typed:
                if used and TABLES[target].optional:
                    first = next(row for value, row in zip(t.frame[column.name], t.rows) if value)
                    problems.append(
                        Problem(
                            ERROR,
                            t.file,
                            first,
                            column.name,
                            "missing-table",
                            f"the column refers to '{target}', but the package has no {target} table",
                            hint=f"add a {target} table, or leave the column empty",
                        )
                    )
                continue  # a missing required table is reported by itself
            if target not in ids:
                continue  # its id column is missing, and reported
            known = ids[target]
            hints: dict[str, str] = {}
            ordered = _sorted_once(known)
            is_list = column.kind.startswith("list:")
            own_ids = t.frame["id"].tolist() if name == target and "id" in t.frame.columns else None
            values = t.frame[column.name].tolist()
            checked = _rows_to_check(values, known, is_list, own_ids if column.name == "parent" else None)
            if not checked:
                continue  # every reference stays as written
            resolved = list(values)
            for i in checked:
                value, row = values[i], t.rows[i]
                items = split_list(value) if is_list else [value]
                fixed = []
                for item in items:
                    ref = item
                    if ref not in known and target == "organisations" and org_index is not None:
                        match = org_index.resolve(item)
                        if match:  # a name on a row without an id resolves to nothing
                            ref = match
                            problems.append(
                                Problem(WARNING, t.file, row, column.name, "reference-by-name", f"refers to an organisation by name; read as id '{match}'", value=item, hint=f"write the id '{match}'")
                            )
                    if ref not in known:
                        thing = target[:-1] if target.endswith("s") else target
                        problems.append(
                            Problem(ERROR, t.file, row, column.name, "unknown-reference", f"no {thing.replace('_', ' ')} has this id", value=item, hint=_hint(hints, item, ordered, target))
                        )
                    elif own_ids is not None and column.name == "parent" and ref == own_ids[i]:
                        problems.append(Problem(ERROR, t.file, row, column.name, "parent-cycle", "a row cannot be its own parent", value=item, hint="leave parent empty or name another row"))
                    fixed.append(ref)
                resolved[i] = "|".join(fixed) if is_list else fixed[0]
            t.frame[column.name] = pd.Series(resolved, dtype="object", index=t.frame.index)
    problems += _check_contacts(typed)
    problems += _check_repeats(typed)
    problems += _check_ties(typed)
    problems += _check_budgets(typed)
    for name in ("organisations", "projects"):
        if name in typed:
            problems += _check_cycles(typed[name])
    return problems


class _LazyNameIndex:
    """A :class:`NameIndex` of the organisations, built on the first :meth:`resolve`."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.index: NameIndex | None = None

    def resolve(self, spelling: str) -> str | None:
        if self.index is None:
            self.index = NameIndex.from_organisations(self.frame)
        return self.index.resolve(spelling)


def _rows_to_check(values: list, known: set[str], is_list: bool, own_ids: list | None) -> list[int]:
    """The positions of the non-empty references that may give a problem or be rewritten.

    Any other value names known ids only, as written (a list exactly as ``|``-joined items), and
    not its own row; checking it would change nothing and report nothing. Each distinct value is
    looked at once.
    """
    if is_list:

        def fine(value) -> bool:
            items = split_list(value)
            return bool(items) and all(item in known for item in items) and "|".join(items) == value

    else:
        fine = known.__contains__
    bad = {value for value in dict.fromkeys(values) if value and not (isinstance(value, str) and fine(value))}
    if own_ids is None:
        return [i for i, value in enumerate(values) if value in bad] if bad else []
    if is_list:  # a row's own id may be any item of the list
        return [i for i, value in enumerate(values) if value]
    return [i for i, (value, own) in enumerate(zip(values, own_ids)) if value and (value in bad or value == own)]


def _check_contacts(typed: dict[str, TypedTable]) -> list[Problem]:
    """A participation's contact should work for the participating organisation (or its parent/unit)."""
    if "participations" not in typed or "contacts" not in typed:
        return []
    c, p = typed["contacts"], typed["participations"]
    if not (_has(c, "id") and _has(c, "organisation") and _has(p, "organisation") and _has(p, "contact")):
        return []
    org_of = dict(zip(c.frame["id"], c.frame["organisation"]))
    if not org_of or "organisations" not in typed or not _has(typed["organisations"], "id"):
        return []
    organisations = typed["organisations"].frame
    known = set(organisations["id"])  # a contact at an unknown organisation is reported already
    parent_of = dict(zip(organisations["id"], organisations["parent"]))
    problems = []
    for org, contact, row in zip(p.frame["organisation"], p.frame["contact"], p.rows):
        home = org_of.get(contact) if contact else None
        if home and org and home in known and home != org and parent_of.get(home) != org and parent_of.get(org) != home:
            problems.append(
                Problem(WARNING, p.file, row, "contact", "contact-elsewhere", f"the contact belongs to '{home}', not to '{org}'", value=contact, hint="check the organisation or the contact")
            )
    return problems


def _check_repeats(typed: dict[str, TypedTable]) -> list[Problem]:
    if "participations" not in typed:
        return []
    p = typed["participations"]
    if not all(_has(p, c) for c in ("project", "organisation", "role")):
        return []
    columns = ["project", "organisation", "role", "contact"]
    if not p.frame[columns].duplicated().any():
        return []  # no participation is written twice (equal values always count as duplicated)
    problems = []
    seen: dict[tuple, int] = {}
    for key, row in zip(zip(*(p.frame[c].tolist() for c in columns)), p.rows):
        if not (key[0] and key[1] and key[2]):
            continue  # an empty required value is reported by itself
        if key in seen:
            problems.append(
                Problem(WARNING, p.file, row, "role", "repeated-participation", f"the same participation is already on row {seen[key]}; counted once", value=key[2], hint="remove the repeated row")
            )
        else:
            seen[key] = row
    return problems


def _check_ties(typed: dict[str, TypedTable]) -> list[Problem]:
    if "ties" not in typed:
        return []
    t = typed["ties"]
    problems = []
    for source, target, weight, row in zip(t.frame["source"], t.frame["target"], t.frame["weight"], t.rows):
        if source and source == target:
            problems.append(Problem(ERROR, t.file, row, "target", "self-tie", "a tie from an organisation to itself", value=target, hint="name two different organisations"))
        if pd.notna(weight) and weight <= 0:
            problems.append(Problem(ERROR, t.file, row, "weight", "bad-weight", "the weight must be positive", value=format_number(weight), hint="write a positive number, or leave it empty for 1"))
        elif pd.notna(weight) and weight > MAX_WEIGHT:
            # sums of such weights overflow (1e308 + 1e308 = inf) and break the communities
            problems.append(
                Problem(
                    ERROR,
                    t.file,
                    row,
                    "weight",
                    "bad-weight",
                    f"the weight is absurdly large (above {MAX_WEIGHT:,.0f})",
                    value=format_number(weight),
                    hint="write the strength on a small scale, e.g. 1 to 10",
                )
            )
    return problems


MAX_WEIGHT = 1e9  # a tie's strength on any sensible scale; far below where sums overflow


def _check_budgets(typed: dict[str, TypedTable]) -> list[Problem]:
    """A budget is an amount of money: never negative."""
    problems = []
    for t in typed.values():
        if "budget" not in t.frame.columns or t.frame["budget"].dtype.kind != "f":
            continue
        values = t.frame["budget"].to_numpy()
        for k in np.flatnonzero(values < 0).tolist():
            problems.append(
                Problem(
                    ERROR, t.file, t.rows[k], "budget", "bad-budget", "a budget cannot be negative", value=format_number(values[k]), hint="write the amount without a minus sign, or leave it empty"
                )
            )
    return problems


def _check_cycles(t: TypedTable) -> list[Problem]:
    """Circles in ``parent`` (a → b → a); each circle is reported once, at its first row."""
    if not (_has(t, "id") and "parent" in t.frame.columns):
        return []
    if not any(t.frame["parent"].tolist()):
        return []  # no row names a parent
    parent = {i: p for i, p in zip(t.frame["id"], t.frame["parent"]) if i and p and p != i}
    row_of: dict[str, int] = {}
    for i, row in zip(t.frame["id"], t.rows):
        row_of.setdefault(i, row)
    problems: list[Problem] = []
    done: set[str] = set()  # nodes whose chain of parents has been followed to its end
    for start in parent:
        path: list[str] = []
        on_path: set[str] = set()
        node = start
        while node in parent and node not in on_path and node not in done:
            path.append(node)
            on_path.add(node)
            node = parent[node]
        if node in on_path:
            cycle = path[path.index(node) :]
            first = min(cycle, key=lambda x: row_of.get(x, 0))
            at = cycle.index(first)
            chain = " → ".join(cycle[at:] + cycle[:at] + [first])
            problems.append(
                Problem(ERROR, t.file, row_of.get(first), "parent", "parent-cycle", f"parents go round in a circle: {chain}", value=parent[first], hint="break the circle by emptying one parent")
            )
        done.update(path)
    return problems
