"""Turn raw tables into typed tables, collecting every problem on the way.

One pass per table checks columns (missing, duplicate, unknown), cells (empty required values,
dates, numbers, vocabularies) and keys; a second pass checks references between tables and
cycles in ``parent``. Nothing stops at the first problem: the user gets the whole list at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from ..errors import ERROR, WARNING, Problem
from ..model import (
    TABLES,
    Table,
    canonical,
    canonical_column,
    normalise_key,
    vocabulary_spellings,
)
from .names import NameIndex
from .tables import RawTable
from .values import DATE_HINT, parse_bool, parse_date, parse_number, split_list

__all__ = ["TypedTable", "type_table", "check_references", "closest"]


@dataclass
class TypedTable:
    """A table with canonical columns, parsed values, the Excel row of each record and its file."""

    name: str
    file: str
    frame: pd.DataFrame
    rows: list[int]
    extra_columns: list[str]


def closest(value: str, candidates, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The candidates most like ``value`` (case-insensitive), best first."""
    candidates = [str(c) for c in candidates]
    lowered = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(str(value).lower(), list(lowered), n=n, cutoff=cutoff)
    return [lowered[f] for f in found]


def _suggest(value: str, candidates, what: str) -> str:
    match = closest(value, candidates)
    return f"did you mean '{match[0]}'?" if match else f"use one of the {what}"


def _empty_frame(table: Table) -> pd.DataFrame:
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
    return pd.DataFrame(data)


def type_table(raw: RawTable, table: Table) -> tuple[TypedTable, list[Problem]]:
    """Map headers to canonical columns and parse every cell; report all problems found."""
    problems: list[Problem] = list(raw.problems)
    file = raw.file
    positions: dict[str, int] = {}
    extras: list[tuple[str, int]] = []
    known = [c.name for c in table.columns] + [a for c in table.columns for a in c.aliases]
    seen_headers: dict[str, int] = {}
    for i, header in enumerate(raw.header):
        label = header or f"(column {i + 1})"
        if header and normalise_key(header) in seen_headers:
            problems.append(Problem(ERROR, file, 1, label, "duplicate-column", "the column appears twice in the header", value=header, hint="rename or remove one of them"))
            continue
        if header:
            seen_headers[normalise_key(header)] = i
        name = canonical_column(table.name, header) if header else None
        if name is None:
            extras.append((header or f"column_{i + 1}", i))
            if header:
                match = closest(normalise_key(header), known, cutoff=0.75)
                if match:
                    problems.append(Problem(WARNING, file, 1, label, "unknown-column", "unknown column, kept as an extra column", value=header, hint=f"did you mean '{match[0]}'?"))
            elif any(record[i] for record in raw.records):
                problems.append(Problem(WARNING, file, 1, label, "unnamed-column", "a column without a header holds values; kept as an extra column", hint="give the column a header"))
            continue
        if name in positions:
            problems.append(Problem(ERROR, file, 1, label, "duplicate-column", f"two columns mean '{name}'", value=header, hint="keep only one of them"))
            continue
        positions[name] = i
    for required in table.required:
        if required not in positions:
            aliases = ", ".join(table.column(required).aliases[:3])
            match = closest(required, [h for h in raw.header if h], cutoff=0.5)
            hint = f"did you mean '{match[0]}'? " if match else ""
            problems.append(Problem(ERROR, file, 1, required, "missing-column", "a required column is missing", hint=f"{hint}add a column named '{required}' (also accepted: {aliases})"))

    frame = _empty_frame(table)
    n = len(raw.records)
    columns: dict[str, list] = {}
    for column in table.columns:
        index = positions.get(column.name)
        cells = [record[index] for record in raw.records] if index is not None else [""] * n
        columns[column.name] = _parse_column(cells, column, raw.rows, file, problems, present=index is not None)
    if n:
        frame = pd.DataFrame(columns)
        for column in table.columns:
            if column.kind == "date":
                frame[column.name] = pd.to_datetime(frame[column.name]).astype("datetime64[ns]")
            elif column.kind == "number":
                frame[column.name] = frame[column.name].astype("float64")
            elif column.kind == "bool":
                frame[column.name] = frame[column.name].astype("bool")
            else:
                frame[column.name] = frame[column.name].astype("object")
    extra_names: list[str] = []
    for header, index in extras:
        unique = header
        while unique in frame.columns or unique in extra_names:
            unique += "_"
        extra_names.append(unique)
        frame[unique] = pd.Series([record[index] for record in raw.records], dtype="object")
    frame = frame.reset_index(drop=True)
    _check_keys(frame, table, raw.rows, file, problems)
    _check_dates(frame, table, raw.rows, file, problems)
    return TypedTable(table.name, file, frame, list(raw.rows), extra_names), problems


def _parse_column(cells: list[str], column, rows: list[int], file: str, problems: list[Problem], *, present: bool) -> list:
    kind = column.kind
    out: list = []
    for cell, row in zip(cells, rows):
        if column.required and present and not cell:
            problems.append(Problem(ERROR, file, row, column.name, "empty-value", "a required value is empty", hint=f"fill in the {column.name}"))
        if kind == "date":
            out.append(_parse_or_report(cell, parse_date, file, row, column.name, "bad-date", DATE_HINT, problems, default=pd.NaT))
        elif kind == "number":
            out.append(_parse_or_report(cell, parse_number, file, row, column.name, "bad-number", "write a number such as 1500000 or 1 500 000,50", problems, default=float("nan")))
        elif kind == "bool":
            out.append(_parse_or_report(cell, parse_bool, file, row, column.name, "bad-boolean", "write true or false (ja/nej also accepted)", problems, default=False))
        elif kind.startswith("vocab:"):
            vocabulary = kind.split(":", 1)[1]
            if not cell:
                out.append("other" if vocabulary == "org_type" else "")
                continue
            code = canonical(vocabulary, cell)
            if code is None:
                spellings = vocabulary_spellings(vocabulary)
                problems.append(Problem(ERROR, file, row, column.name, f"unknown-{vocabulary.replace('_', '-')}", f"unknown {vocabulary.replace('_', ' ')}", value=cell, hint=_suggest(cell, spellings, f"{vocabulary.replace('_', ' ')}s listed in docs/data-format.md")))
                out.append(cell)
            else:
                out.append(code)
        elif kind.startswith("list"):
            out.append("|".join(split_list(cell)))
        else:
            out.append(cell)
    return out


def _parse_or_report(cell, parser, file, row, column, code, hint, problems, *, default):
    if not cell:
        return default
    try:
        value = parser(cell)
    except ValueError as exc:
        problems.append(Problem(ERROR, file, row, column, code, str(exc), value=cell, hint=hint))
        return default
    return pd.Timestamp(value) if isinstance(value, __import__("datetime").date) else value


def _check_keys(frame: pd.DataFrame, table: Table, rows: list[int], file: str, problems: list[Problem]) -> None:
    if table.key is None or table.key not in frame.columns or frame.empty:
        return
    first_row: dict[str, int] = {}
    for value, row in zip(frame[table.key], rows):
        if not value:
            continue
        if value in first_row:
            problems.append(Problem(ERROR, file, row, table.key, "duplicate-id", f"the id is already used on row {first_row[value]}", value=value, hint="give every row its own id"))
        else:
            first_row[value] = row


def _check_dates(frame: pd.DataFrame, table: Table, rows: list[int], file: str, problems: list[Problem]) -> None:
    if "start" not in frame.columns or "end" not in frame.columns or frame.empty:
        return
    bad = (frame["end"] < frame["start"]).to_numpy()
    for i in bad.nonzero()[0]:
        start = frame["start"].iloc[i].date().isoformat()
        end = frame["end"].iloc[i].date().isoformat()
        problems.append(Problem(ERROR, file, rows[i], "end", "end-before-start", f"the end comes before the start ({start})", value=end, hint="swap the dates or correct the end date"))


def check_references(typed: dict[str, TypedTable]) -> list[Problem]:
    """References between tables, contacts' organisations, repeated participations, parent cycles.

    A reference to an organisation may also be written as its name or one of its aliases; it is
    then resolved to the id (in the frame) and reported as a warning so the user can tidy it.
    """
    problems: list[Problem] = []
    ids = {name: set(t.frame["id"]) for name, t in typed.items() if "id" in t.frame.columns}
    org_index = None
    if "organisations" in typed:
        org_index = NameIndex.from_organisations(typed["organisations"].frame)
    for name, t in typed.items():
        table = TABLES[name]
        for column in table.columns:
            target = column.ref_table
            if target is None or column.name not in t.frame.columns:
                continue
            if target not in ids:
                if t.frame[column.name].astype(bool).any() and not TABLES[target].optional:
                    continue  # the missing table itself is reported
                if t.frame[column.name].astype(bool).any():
                    problems.append(Problem(ERROR, t.file, None, column.name, "missing-table", f"the column refers to '{target}', but the package has no such table", hint=f"add a {target} table"))
                continue
            known = ids[target]
            is_list = column.kind.startswith("list:")
            values = t.frame[column.name].tolist()
            resolved = list(values)
            for i, (value, row) in enumerate(zip(values, t.rows)):
                if not value:
                    continue
                items = split_list(value) if is_list else [value]
                fixed = []
                for item in items:
                    if item in known:
                        fixed.append(item)
                        continue
                    if target == "organisations" and org_index is not None:
                        match = org_index.resolve(item)
                        if match is not None:
                            fixed.append(match)
                            problems.append(Problem(WARNING, t.file, row, column.name, "reference-by-name", f"refers to an organisation by name; read as id '{match}'", value=item, hint=f"write the id '{match}'"))
                            continue
                    if name == target and column.name == "parent" and item == t.frame["id"].iloc[i]:
                        problems.append(Problem(ERROR, t.file, row, column.name, "parent-cycle", "a row cannot be its own parent", value=item, hint="leave parent empty or name another row"))
                        fixed.append(item)
                        continue
                    problems.append(Problem(ERROR, t.file, row, column.name, "unknown-reference", f"no {target.rstrip('s').replace('_', ' ')} has this id", value=item, hint=_suggest(item, known, f"ids in the {target} table")))
                    fixed.append(item)
                resolved[i] = "|".join(fixed) if is_list else (fixed[0] if fixed else value)
            t.frame[column.name] = pd.Series(resolved, dtype="object")
    problems += _check_contacts(typed)
    problems += _check_repeats(typed)
    problems += _check_ties(typed)
    for name in ("organisations", "projects"):
        if name in typed:
            problems += _check_cycles(typed[name])
    return problems


def _check_contacts(typed: dict[str, TypedTable]) -> list[Problem]:
    if "participations" not in typed or "contacts" not in typed:
        return []
    contacts = typed["contacts"].frame
    org_of = dict(zip(contacts["id"], contacts["organisation"]))
    parent_of = dict(zip(typed["organisations"].frame["id"], typed["organisations"].frame["parent"])) if "organisations" in typed else {}
    p = typed["participations"]
    problems = []
    for org, contact, row in zip(p.frame["organisation"], p.frame["contact"], p.rows):
        if contact and contact in org_of and org_of[contact] != org and parent_of.get(org_of[contact]) != org and parent_of.get(org) != org_of[contact]:
            problems.append(Problem(WARNING, p.file, row, "contact", "contact-elsewhere", f"the contact belongs to '{org_of[contact]}', not to '{org}'", value=contact, hint="check the organisation or the contact"))
    return problems


def _check_repeats(typed: dict[str, TypedTable]) -> list[Problem]:
    if "participations" not in typed:
        return []
    p = typed["participations"]
    problems = []
    seen: dict[tuple, int] = {}
    for key, row in zip(zip(p.frame["project"], p.frame["organisation"], p.frame["role"], p.frame["contact"]), p.rows):
        if key in seen:
            problems.append(Problem(WARNING, p.file, row, "role", "repeated-participation", f"the same participation is already on row {seen[key]}; counted once", value=key[2]))
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
            problems.append(Problem(ERROR, t.file, row, "weight", "bad-weight", "the weight must be positive", value=str(weight), hint="write a positive number, or leave it empty for 1"))
    return problems


def _check_cycles(t: TypedTable) -> list[Problem]:
    parent = {i: p for i, p in zip(t.frame["id"], t.frame["parent"]) if p and p != i}
    row_of = dict(zip(t.frame["id"], t.rows))
    problems, reported = [], set()
    for start in parent:
        path, node = [], start
        while node in parent and node not in path:
            path.append(node)
            node = parent[node]
        if node in path:
            cycle = path[path.index(node):]
            key = frozenset(cycle)
            if key in reported:
                continue
            reported.add(key)
            first = min(cycle, key=lambda x: row_of.get(x, 0))
            chain = " → ".join(cycle[cycle.index(first):] + cycle[: cycle.index(first)] + [first])
            problems.append(Problem(ERROR, t.file, row_of.get(first), "parent", "parent-cycle", f"parents go round in a circle: {chain}", value=parent[first], hint="break the circle by emptying one parent"))
    return problems
