"""Turn a flat table (one row per project × organisation) into a package.

EU lists of operations, CORDIS exports and spreadsheets kept by hand repeat the project and the
organisation on every row. :func:`import_flat_table` reads such a table (CSV or Excel) with a
:class:`~samverkan.io.mapping.Mapping` and builds the package tables once each: organisations
(name variants merged, aliases kept), projects, participations (duplicates merged). Everything it
had to decide is reported as a :class:`~samverkan.errors.Problem` at the file, row and column where
the user can find it, and counted in :attr:`ImportResult.counts`.

Every source column is factorised once into integer codes and one label per distinct value;
parsing, cleaning and translating run on the labels, grouping runs on the codes with numpy. There
is no Python loop over rows (only over distinct values and over the rows a problem names), so the
145,000 rows of Horizon 2020 are built into a package in under a second once they are read.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ERROR, WARNING, InputError, Problem, ProblemList, UsageError
from ..model import ROLES, TABLES, VOCABULARIES, canonical, canonical_column, canonical_role, vocabulary_spellings
from .mapping import Mapping, load_mapping, match_columns
from .names import likely_duplicates, normalise_name, unique_slugs
from .package import Package, empty_package
from .tables import RawTable, read_csv_table, read_excel_tables
from .validate import closest
from .values import DATE_HINT, date_order, parse_date, parse_number

__all__ = ["ImportResult", "import_flat_table"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
ID_JOIN = " / "
ROW_REPORTS = 20  # rows reported one by one per kind of problem; the rest are summed up
VALUE_REPORTS = 50  # distinct bad values reported per column
PAIR_LIMIT = 200  # likely-duplicate pairs reported at most
# written for "no value" by R, pandas, Excel and people; read as empty in date and number columns
MISSING_MARKERS = frozenset({"na", "n/a", "#n/a", "nan", "null", "none", "-", "–", "—"})


@dataclass
class ImportResult(ProblemList):
    """What :func:`import_flat_table` made and found.

    Attributes
    ----------
    package : Package
        Every table typed as :func:`samverkan.io.package.read_package` returns them.
    problems : list of Problem
        Errors and warnings, each at a file, row and column. When there are errors, the package
        leaves out the rows they concern and should not be used before they are fixed.
    counts : dict
        ``rows_read``, ``participations``, ``projects``, ``organisations``,
        ``duplicate_rows_merged``, ``rows_skipped`` (no project id or organisation),
        ``rows_with_errors`` (a role that maps to nothing), ``name_variants_merged`` (spellings
        merged into an organisation written otherwise elsewhere), ``organisations_with_name_variants``
        and ``likely_duplicate_pairs`` (similar names reported, not merged).
    """

    package: Package
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def import_flat_table(path, mapping, *, sheet: str | None = None) -> ImportResult:
    """Read a flat table with a mapping and build a package.

    Parameters
    ----------
    path : str or Path
        A CSV file (``;``, ``,`` or tab separated; UTF-8, UTF-8 with BOM or cp1252; optionally
        ``.csv.gz``) or an Excel workbook (``.xlsx``).
    mapping : Mapping, str or Path
        A mapping, or the path of a mapping file (see ``data/mappings/README.md``).
    sheet : str, optional
        The sheet of a workbook; default: the mapping's ``source.sheet``, else the first sheet.

    Returns
    -------
    ImportResult
        The package, every problem found and the counts.

    Raises
    ------
    UsageError
        When the file does not exist or is not a table samverkan reads.
    InputError
        When the table cannot be read, or the mapping names columns the table does not have
        (each reported with the closest header).

    Notes
    -----
    * A **project** is one distinct project id (several id columns are joined with ``" / "``);
      its name, region, dates, funder, status and extra columns come from its first row that
      has a value. Different dates on its rows are reported. The budget is the sum over its
      participations (``combine_budget = "sum"``) or its first value (``"first"``).
    * An **organisation** is one distinct ``organisation.id``, or, without an id column, one
      normalised name (:func:`samverkan.io.names.normalise_name`: case, spaces, punctuation and
      abbreviations such as AF, FK, Lst, SKL do not count); its id is then a slug of that name
      (``huddinge-kommun``). Its name is the spelling on most rows (ties: the first seen); the
      other spellings become ``aliases``. Type, level, region, municipality and extra columns
      take the value on most rows (ties: alphabetical); more than one type, level, region or
      municipality is reported once per organisation. Similar names are reported, never merged.
    * A **participation** is one distinct (project, organisation, role); repeated rows are merged
      and reported in one warning. Rows with no project id or no organisation are left out and
      reported with their row; rows whose role maps to nothing are errors.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.csv").write_text("projekt;organisation;roll\\nP1;Huddinge kommun;LP\\n"
    ...                                   "P1;AF;PP\\nP1;HUDDINGE  Kommun;PP\\n", encoding="utf-8")
    >>> from samverkan.io.mapping import mapping_from_dict
    >>> m = mapping_from_dict({"project": {"id": "projekt"}, "organisation": {"name": "organisation"},
    ...                        "participation": {"role": "roll"}})
    >>> result = import_flat_table(folder / "t.csv", m)
    >>> result.package.organisations[["id", "name", "aliases"]].values.tolist()
    [['huddinge-kommun', 'Huddinge kommun', 'HUDDINGE  Kommun'], ['arbetsförmedlingen', 'AF', '']]
    >>> result.package.participations[["organisation", "role"]].values.tolist()
    [['huddinge-kommun', 'owner'], ['arbetsförmedlingen', 'partner'], ['huddinge-kommun', 'partner']]
    """
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    path = Path(path)
    raw = _read_table(path, mapping, sheet)
    positions, column_problems = match_columns(mapping, raw.header, raw.file)
    if column_problems:
        raise InputError(list(raw.problems) + column_problems)
    return _Import(raw, mapping, positions, path).run()


# --- reading -----------------------------------------------------------------------------------


def _read_table(path: Path, mapping: Mapping, sheet: str | None) -> RawTable:
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    lower = path.name.lower()
    if lower.endswith(EXCEL_SUFFIXES):
        sheets, problems = read_excel_tables(path)
        if any(p.is_error for p in problems):
            raise InputError(problems)
        wanted = sheet or mapping.sheet
        if not sheets:
            raise InputError([Problem(ERROR, path.name, None, None, "empty-table", "the workbook has no sheets")])
        if wanted is None:
            raw = next(iter(sheets.values()))
        else:
            found = [name for name in sheets if name == wanted] or [name for name in sheets if name.strip().lower() == wanted.strip().lower()]
            if not found:
                match = closest(wanted, list(sheets), cutoff=0.5)
                hint = (f"did you mean '{match[0]}'? " if match else "") + f"the sheets are: {', '.join(sheets)}"
                raise InputError([Problem(ERROR, path.name, None, None, "missing-sheet", f"the workbook has no sheet '{wanted}'", value=wanted, hint=hint)])
            raw = sheets[found[0]]
        raw.problems = problems + raw.problems
    elif lower.endswith(".xls"):
        raise UsageError(f"{path.name} is an old Excel file (.xls); open it in Excel and save it as .xlsx or as CSV")
    else:
        if sheet is not None:
            raise UsageError(f"--sheet is for Excel workbooks, and {path.name} is not one")
        # one CSV reader for packages and flat tables; a separator the mapping names wins over the sniffed one
        raw = read_csv_table(path, separator=None if mapping.separator == "auto" else mapping.separator)
    if not raw.header:
        errors = [p for p in raw.problems if p.is_error]
        raise InputError(errors or [Problem(ERROR, raw.file, 1, None, "empty-table", "the table has no header row", hint="the first row must name the columns")])
    return raw


# --- helpers on whole columns ------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean_id(text: str) -> str:
    """An id as written, made safe: NFC, whitespace runs to one space, no control characters,
    ``|`` (the list separator) read as ``/``.

    >>> _clean_id("  Boost\\nNordic  Biogas | 2 ")
    'Boost Nordic Biogas / 2'
    """
    text = unicodedata.normalize("NFC", str(text))
    text = " ".join(text.split())
    return _CONTROL.sub("", text).replace("|", "/")


class _Coded:
    """A column as one integer code per row and one label per code (each distinct value once).

    Parsing, cleaning and translating work on the labels only; grouping works on the codes.
    ``missing`` marks the labels that stand for an empty cell ("" , NaT or NaN).
    """

    __slots__ = ("codes", "labels", "missing")

    def __init__(self, codes: np.ndarray, labels: np.ndarray):
        self.codes = np.asarray(codes, dtype=np.int64)
        self.labels = labels
        if labels.dtype.kind == "M":
            self.missing = np.isnat(labels)
        elif labels.dtype.kind == "f":
            self.missing = np.isnan(labels)
        else:
            self.missing = np.array([label == "" for label in labels], dtype=bool)

    @classmethod
    def of(cls, values: np.ndarray) -> _Coded:
        codes, labels = pd.factorize(values, use_na_sentinel=False)
        return cls(codes, np.asarray(labels, dtype=object))

    def relabel(self, function, dtype=object) -> _Coded:
        """``function`` applied to every label; labels that become equal are merged."""
        new = np.empty(len(self.labels), dtype=dtype)
        for i, label in enumerate(self.labels):
            new[i] = function(label)
        codes, labels = pd.factorize(new, use_na_sentinel=False)
        return _Coded(codes[self.codes] if len(self.codes) else self.codes, np.asarray(labels, dtype=dtype))

    def present(self) -> np.ndarray:
        """Per row: the cell is not empty."""
        return ~self.missing[self.codes] if len(self.codes) else np.zeros(0, dtype=bool)


def _first_index(groups: np.ndarray, mask: np.ndarray, n_groups: int) -> np.ndarray:
    """The first row (index) of every group among the rows in ``mask``; -1 for groups without one."""
    out = np.full(n_groups, -1, dtype=np.int64)
    rows = np.flatnonzero(mask)
    if len(rows):
        found, first = np.unique(groups[rows], return_index=True)
        out[found] = rows[first]
    return out


def _first_values(column: _Coded, groups: np.ndarray, mask: np.ndarray, n_groups: int, empty) -> np.ndarray:
    """Each group's value on its first row (in ``mask``) where the cell is not empty."""
    index = _first_index(groups, mask & column.present(), n_groups)
    if len(column.labels) == 0:
        return np.full(n_groups, empty, dtype=object if isinstance(empty, str) else None)
    out = column.labels[column.codes[np.maximum(index, 0)]] if len(column.codes) else np.full(n_groups, empty)
    out = np.array(out, copy=True)
    out[index < 0] = empty
    return out


def _value_counts(column: _Coded, groups: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (group, value code) pairs among non-empty cells in ``mask``: the group, the value
    code, the number of rows and the first row (index) of each pair, sorted by group then code."""
    rows = np.flatnonzero(mask & column.present())
    width = max(len(column.labels), 1)
    combined = groups[rows] * width + column.codes[rows]
    unique, first, counts = np.unique(combined, return_index=True, return_counts=True)
    return unique // width, unique % width, counts, rows[first]


def _starts(sorted_groups: np.ndarray) -> np.ndarray:
    """Where each run of equal groups starts in a sorted array."""
    return np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]) if len(sorted_groups) else np.zeros(0, dtype=np.int64)


def _rows_text(rows, limit: int = 5) -> str:
    rows = [int(r) for r in rows]
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _iso(value) -> str:
    return pd.Timestamp(value).date().isoformat()


ROLE_CODES = np.array(list(ROLES), dtype=object)
_ROLE_INDEX = {code: i for i, code in enumerate(ROLE_CODES)}


class _Import:
    """One import: the source columns as codes, the problems found, the tables built."""

    def __init__(self, raw: RawTable, mapping: Mapping, positions: dict[str, int], path: Path):
        self.file = raw.file
        self.mapping = mapping
        self.path = path
        self.problems: list[Problem] = list(raw.problems)
        self.n = len(raw.records)
        self.rows = np.asarray(raw.rows, dtype=np.int64)
        # the reader pads every record to the header's width, so the records make one 2-D array
        width = len(raw.header)
        cells = np.empty((self.n, width), dtype=object)
        try:
            if self.n:
                cells = np.array(raw.records, dtype=object).reshape(self.n, width)
        except ValueError:  # a record of another width: fill cell by cell
            for i, record in enumerate(raw.records):
                record = (list(record) + [""] * width)[:width]
                cells[i, :] = record
        self.source = {name: _Coded.of(np.ascontiguousarray(cells[:, index])) for name, index in positions.items()}
        for name, table in mapping.corrections.items():  # [corrections.COLUMN]: before any step reads it
            if name in self.source:
                self.source[name] = self.source[name].relabel(lambda value, table=table: table.get(str(value).strip(), value))
        self.first_rows: dict[str, list[int]] = {}
        self._attributes: dict[str, _Coded] = {}

    def warn(self, row, column, code, message, *, value=None, hint=None) -> None:
        self.problems.append(Problem(WARNING, self.file, None if row is None else int(row), column, code, message, None if value is None else str(value), hint))

    def error(self, row, column, code, message, *, value=None, hint=None) -> None:
        self.problems.append(Problem(ERROR, self.file, None if row is None else int(row), column, code, message, None if value is None else str(value), hint))

    def column(self, key: str) -> str | None:
        return self.mapping.column(key)

    # --- the steps ---------------------------------------------------------------------------

    def run(self) -> ImportResult:
        if self.n == 0:
            self.warn(None, None, "empty-table", "the table has no rows below its header; the package is empty")
        project, project_ids, project_missing = self._project_codes()
        org, org_keys, org_column = self._organisation_codes()
        role = self._role_codes()

        has_project = project >= 0
        skip = ~has_project | (org < 0)
        self._report_skipped(skip, project_missing, org, org_column)
        role_unknown = (role < 0) & ~skip
        self._report_roles(role_unknown)
        valid = ~skip & ~role_unknown

        # organisations: compact codes in order of first appearance among the rows kept
        org_valid, used = pd.factorize(org[valid])
        org_keys = org_keys[used] if len(used) else org_keys[:0]
        n_orgs = len(org_keys)
        org_code = np.full(self.n, -1, dtype=np.int64)
        org_code[valid] = org_valid

        # participations: one per distinct (project, organisation, role)
        key = (project[valid] * max(n_orgs, 1) + org_code[valid]) * len(ROLE_CODES) + role[valid]
        part_valid, _ = pd.factorize(key)
        n_parts = int(part_valid.max()) + 1 if len(part_valid) else 0
        part = np.full(self.n, -1, dtype=np.int64)
        part[valid] = part_valid
        first_of_part = _first_index(part, valid, n_parts)
        duplicate = valid.copy()
        duplicate[first_of_part] = False
        self._report_duplicates(duplicate, first_of_part, part)

        projects = self._projects(project, project_ids, has_project & ~duplicate)
        organisations, org_ids, variants = self._organisations(org_code, org_keys, valid)
        participations = self._participations(part, first_of_part, valid, project_ids, project, org_ids, org_code, role)
        pairs = self._likely_duplicates(organisations, np.bincount(org_code[valid], minlength=n_orgs))

        package = empty_package(self.path.stem)
        package.tables["organisations"] = organisations
        package.tables["projects"] = projects
        package.tables["participations"] = participations
        package.source = str(self.path)
        package.title = " ".join(str(getattr(self.mapping, "description", "") or "").split())
        package.files = dict.fromkeys(("organisations", "projects", "participations"), self.file)
        package.rows = self.first_rows
        package.warnings = [p for p in self.problems if not p.is_error]
        counts = {
            "rows_read": self.n,
            "participations": len(participations),
            "projects": len(projects),
            "organisations": len(organisations),
            "duplicate_rows_merged": int(duplicate.sum()),
            "rows_skipped": int(skip.sum()),
            "rows_with_errors": int(role_unknown.sum()),
            "name_variants_merged": variants[0],
            "organisations_with_name_variants": variants[1],
            "likely_duplicate_pairs": pairs,
        }
        return ImportResult(package, self.problems, counts)

    # --- keys --------------------------------------------------------------------------------

    def _project_codes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row the project (-1 without id); the project ids; per row the first empty id
        column's position in ``project.id`` (-1 when none is empty)."""
        names = self.mapping.columns["project.id"]
        parts = [self.source[name].relabel(_clean_id) for name in names]
        missing = np.full(self.n, -1, dtype=np.int64)
        for position in reversed(range(len(parts))):
            missing[~parts[position].present()] = position
        combined = parts[0].codes
        for part in parts[1:]:
            combined, _ = pd.factorize(combined * len(part.labels) + part.codes)
        has_id = missing < 0
        codes = np.full(self.n, -1, dtype=np.int64)
        sub, _ = pd.factorize(combined[has_id])
        codes[has_id] = sub
        n_projects = int(sub.max()) + 1 if len(sub) else 0
        first = _first_index(codes, has_id, n_projects)
        pieces = [part.labels[part.codes[first]] for part in parts]
        ids = np.array([ID_JOIN.join(p) for p in zip(*pieces)] if len(parts) > 1 else pieces[0], dtype=object)
        if len(parts) > 1:
            self._separate_clashing_ids(ids, first)
        return codes, ids, missing

    def _separate_clashing_ids(self, ids: np.ndarray, first: np.ndarray) -> None:
        """Different combinations that join to one id (``"A / B" + "C"`` and ``"A" + "B / C"``)
        get `` (2)``, `` (3)`` ... in the order they first appear; reported."""
        seen: dict[str, int] = {}
        taken = set(ids)
        for i, project_id in enumerate(ids):
            if project_id not in seen:
                seen[project_id] = 1
                continue
            seen[project_id] += 1
            k = seen[project_id]
            new = f"{project_id} ({k})"
            while new in taken:
                k += 1
                new = f"{project_id} ({k})"
            taken.add(new)
            ids[i] = new
            self.warn(
                self.rows[first[i]],
                ", ".join(self.mapping.columns["project.id"]),
                "clashing-project-id",
                f"two different projects join to the id '{project_id}'; this one is called '{new}'",
                value=project_id,
                hint="the id columns themselves contain ' / '; check that these really are different projects",
            )

    def _organisation_codes(self) -> tuple[np.ndarray, np.ndarray, str]:
        """Per row the organisation key's code (-1 without one), the keys (ids, or normalised
        names when there is no id column), and the column reported for rows without one."""
        aliases = self.mapping.aliases
        id_column = self.column("organisation.id")
        if id_column is not None:
            column, clean = id_column, _clean_id
        else:
            column, clean = self.column("organisation.name"), normalise_name
        keys = self.source[column].relabel(clean)
        table = {clean(a): clean(b) for a, b in aliases.items()}
        if table:
            resolved = {}
            for start in table:
                node, seen = start, {start}
                while node in table and table[node] not in seen:
                    node = table[node]
                    seen.add(node)
                resolved[start] = node
            keys = keys.relabel(lambda k: resolved.get(k, k))
        codes = np.where(keys.present(), keys.codes, -1)
        return codes, keys.labels, column

    def _role_codes(self) -> np.ndarray:
        column = self.column("participation.role")
        if column is None:
            return np.full(self.n, _ROLE_INDEX[self.mapping.defaults["roles"]], dtype=np.int64)
        source = self.source[column]
        per_label = np.array([_ROLE_INDEX.get(self.mapping.translate("roles", label), -1) for label in source.labels], dtype=np.int64)
        return per_label[source.codes] if self.n else np.zeros(0, dtype=np.int64)

    # --- reports on rows ---------------------------------------------------------------------

    def _report_skipped(self, skip, project_missing, org, org_column) -> None:
        id_columns = self.mapping.columns["project.id"]
        what_org = "organisation id" if self.column("organisation.id") else "organisation name"
        no_project = project_missing >= 0
        reasons = [
            (no_project, "no-project-id", "the row has no project id ({column} is empty); no participation is made from it", "fill in the project, or delete the row if it is not a participation"),
            ((org < 0) & ~no_project, "no-organisation", f"the row has no {what_org}; no participation is made from it", f"fill in the {what_org}, or delete the row if it is not a participation"),
        ]
        for mask, code, message, hint in reasons:
            where = np.flatnonzero(mask)
            for i in where[:ROW_REPORTS]:
                column = id_columns[project_missing[i]] if code == "no-project-id" else org_column
                self.warn(self.rows[i], column, code, message.format(column=column), hint=hint)
            if len(where) > ROW_REPORTS:
                rest = self.rows[where[ROW_REPORTS:]]
                column = ", ".join(id_columns) if code == "no-project-id" else org_column
                self.warn(rest[0], column, code, f"{_plural(len(rest), 'more row')} like the above make no participation ({_rows_text(rest)})", hint=hint)

    def _report_roles(self, unknown: np.ndarray) -> None:
        if not unknown.any():
            return
        column = self.column("participation.role")
        source = self.source[column]
        where = np.flatnonzero(unknown)
        codes = ", ".join(ROLE_CODES)
        for label in pd.unique(source.codes[where]):
            value = source.labels[label]
            rows = self.rows[where[source.codes[where] == label]]
            if value == "":
                message = f"the role is empty ({_rows_text(rows)}); no participation is made from {'this row' if len(rows) == 1 else 'these rows'}"
                hint = f'fill in the role, or give every row without one a role with default = "partner" under [roles] in {self.mapping.file}'
            else:
                match = closest(value, vocabulary_spellings("role"), cutoff=0.6)
                guess = canonical_role(match[0]) if match else "partner"
                message = f"the role '{value}' is not mapped to a samverkan role ({_rows_text(rows)}); no participation is made from {'this row' if len(rows) == 1 else 'these rows'}"
                hint = f'add it under [roles] in {self.mapping.file}, e.g. "{value}" = "{guess}" (roles: {codes}), or set default = "partner" there'
            self.error(rows[0], column, "unknown-role", message, value=value or None, hint=hint)

    def _report_duplicates(self, duplicate, first_of_part, part) -> None:
        where = np.flatnonzero(duplicate)
        if not len(where):
            return
        pairs = ", ".join(f"row {self.rows[i]} repeats row {self.rows[first_of_part[part[i]]]}" for i in where[:5])
        more = f" and {len(where) - 5} more" if len(where) > 5 else ""
        self.warn(
            self.rows[where[0]],
            self.column("participation.role"),
            "duplicate-rows",
            f"{_plural(len(where), 'row')} repeat{'s' if len(where) == 1 else ''} a participation listed earlier (same project, organisation and role) and {'was' if len(where) == 1 else 'were'} merged: {pairs}{more}",
            hint="nothing to do unless the rows were meant to differ",
        )

    # --- attributes --------------------------------------------------------------------------

    def attribute(self, key: str) -> _Coded | None:
        """A mapped column parsed for its package column: dates, numbers, vocabulary codes or text."""
        cache = self._attributes
        if key in cache:
            return cache[key]
        name = self.column(key) if not key.startswith("extra.") else key.split(".", 2)[2]
        if name is None:
            return None
        source = self.source[name]
        field = key.rsplit(".", 1)[1]
        if key.startswith("extra."):
            coded = source
        elif field in ("start", "end"):
            fmt = self.mapping.date_format or None
            try:  # 03/04/2020: the column's other dates tell day from month (or date_format does)
                order = None if fmt else date_order(source.labels)
            except ValueError as exc:
                raise InputError([Problem(ERROR, self.file, None, name, "ambiguous-date", str(exc), hint="write dates as YYYY-MM-DD, or add date_format under [source] in the mapping")]) from None
            coded = self._parse(source, name, functools.partial(parse_date, order=order, fmt=fmt), "bad-date", "not a date; left empty", DATE_HINT, np.datetime64("NaT", "ns"), "datetime64[ns]")
        elif field == "budget":
            coded = self._parse(source, name, parse_number, "bad-number", "not a number; left empty", "write a number such as 1500000 or 1 500 000,50", np.nan, "float64")
        elif key == "organisation.type":
            coded = self._vocabulary(source, name, "types", unknown="other")
        elif key == "organisation.level":
            coded = self._vocabulary(source, name, "levels", unknown="")
        elif key == "project.status":
            coded = self._vocabulary(source, name, "status_values", unknown="")
        else:
            coded = source
        cache[key] = coded
        return coded

    def _parse(self, source: _Coded, column, parser, code, message, hint, empty, dtype) -> _Coded:
        bad: list[int] = []
        markers: list[int] = []

        def parse(i_label):
            i, text = i_label
            if not text:
                return empty
            if text.strip().lower() in MISSING_MARKERS:
                markers.append(i)
                return empty
            try:
                value = parser(text)
            except ValueError:
                bad.append(i)
                return empty
            return np.datetime64(value, "ns") if dtype.startswith("datetime") else value

        values = np.array([parse(item) for item in enumerate(source.labels)], dtype=dtype)
        codes, labels = pd.factorize(values, use_na_sentinel=False)
        coded = _Coded(codes[source.codes] if self.n else source.codes, np.asarray(labels, dtype=dtype))
        self._report_values(source, column, bad, code, message, lambda value: hint)
        self._report_values(source, column, markers, "missing-value", "a mark for a missing value; left empty", lambda value: None)
        return coded

    def _vocabulary(self, source: _Coded, column, section, *, unknown) -> _Coded:
        bad: list[int] = []
        codes = []
        for i, text in enumerate(source.labels):
            if not text:
                codes.append("")
                continue
            code = self.mapping.translate(section, text)
            if code is None:
                bad.append(i)
                code = unknown
            codes.append(code)
        coded = _Coded(*pd.factorize(np.array(codes, dtype=object), use_na_sentinel=False))
        coded = _Coded(coded.codes[source.codes] if self.n else source.codes, np.asarray(coded.labels, dtype=object))
        what = {"types": "organisation type", "levels": "level", "status_values": "status"}[section]
        vocabulary = {"types": "org_type", "levels": "level", "status_values": "status"}[section]
        result = f"read as '{unknown}'" if unknown else "left empty"
        names = ", ".join(VOCABULARIES[vocabulary])

        def hint(value):
            match = closest(value, vocabulary_spellings(vocabulary), cutoff=0.6)
            guess = canonical(vocabulary, match[0]) if match else (unknown or list(VOCABULARIES[vocabulary])[0])
            return f'add it under [{section}] in {self.mapping.file}, e.g. "{value}" = "{guess}" ({what}s: {names})'

        self._report_values(source, column, bad, f"unknown-{section.replace('_', '-')}", f"the {what} is not mapped to a samverkan {what}; {result}", hint)
        return coded

    def _report_values(self, source: _Coded, column, bad: list[int], code, message, hint) -> None:
        """One warning per distinct bad value, with the rows it is on."""
        for count, label in enumerate(bad):
            if count == VALUE_REPORTS:
                self.warn(None, column, code, f"{len(bad) - VALUE_REPORTS} more values like the above")
                break
            rows = self.rows[source.codes == label]
            value = source.labels[label]
            self.warn(rows[0], column, code, f"{message} ({_rows_text(rows)})", value=value, hint=hint(value))

    # --- projects ----------------------------------------------------------------------------

    def _projects(self, project, ids, mask) -> pd.DataFrame:
        n = len(ids)
        first = _first_index(project, mask, n)
        first_rows = self.rows[first] if n else np.zeros(0, dtype=np.int64)
        self.first_rows["projects"] = [int(r) for r in first_rows]
        out = pd.DataFrame({"id": pd.Series(ids, dtype=object)})

        def first_value(key, empty=""):
            coded = self.attribute(key)
            if coded is None:
                return np.full(n, empty, dtype=object)
            return _first_values(coded, project, mask, n, empty)

        names = first_value("project.name")
        unnamed = names == ""
        if unnamed.any():
            names[unnamed] = ids[unnamed]
            if self.column("project.name") is not None:
                listed = ", ".join(f"'{i}'" for i in ids[unnamed][:3]) + (" ..." if unnamed.sum() > 3 else "")
                self.warn(
                    first_rows[np.argmax(unnamed)],
                    self.column("project.name"),
                    "no-project-name",
                    f"{_plural(int(unnamed.sum()), 'project')} have no name on any row ({listed}); the id is used as the name",
                    hint="fill in the project names",
                )
        out["name"] = names
        out["region"] = first_value("project.region")
        for when in ("start", "end"):
            out[when] = self._project_dates(f"project.{when}", project, mask, n, ids)
        out["budget"] = self._budget(project, mask, n, ids)
        out["funder"] = first_value("project.funder")
        out["status"] = first_value("project.status")
        out["target_groups"] = ""
        out["parent"] = ""
        out["partial"] = self.mapping.partners_listed == "some"  # [options] partners_listed
        self._end_before_start(out, "projects", first_rows, self.column("project.end"))
        for name in self.mapping.extra.get("projects", ()):
            out[self._extra_name("projects", name, out)] = first_value(f"extra.projects.{name}")
        return self._typed(out, "projects")

    def _project_dates(self, key, project, mask, n, ids) -> np.ndarray:
        coded = self.attribute(key)
        if coded is None:
            return np.full(n, np.datetime64("NaT", "ns"))
        kept = _first_values(coded, project, mask, n, np.datetime64("NaT", "ns")).astype("datetime64[ns]")
        groups, values, _, _ = _value_counts(coded, project, mask)
        several = np.flatnonzero(np.bincount(groups, minlength=n) > 1)
        column = self.column(key)
        for p in several:
            rows_of = mask & (project == p) & coded.present()
            listed = []
            for label in np.unique(coded.codes[rows_of]):
                rows = self.rows[rows_of & (coded.codes == label)]
                listed.append((coded.labels[label], f"{_iso(coded.labels[label])} ({_rows_text(rows, 3)})"))
            listed.sort()
            self.warn(
                self.rows[rows_of][0],
                column,
                "conflicting-dates",
                f"the project '{ids[p]}' has different {key.split('.')[1]} dates on its rows: {'; '.join(t for _, t in listed)}; {_iso(kept[p])} (its first row's) is kept",
                value=_iso(kept[p]),
                hint="correct the rows that are wrong",
            )
        return kept

    def _budget(self, project, mask, n, ids) -> np.ndarray:
        coded = self.attribute("project.budget")
        if coded is None:
            return np.full(n, np.nan)
        if self.mapping.combine_budget == "sum":
            rows = np.flatnonzero(mask & coded.present())
            values = coded.labels[coded.codes[rows]].astype("float64")
            total = np.bincount(project[rows], weights=values, minlength=n)
            found = np.bincount(project[rows], minlength=n)
            return np.where(found > 0, total, np.nan)
        groups, _, _, _ = _value_counts(coded, project, mask)
        several = np.flatnonzero(np.bincount(groups, minlength=n) > 1)
        if len(several):
            names = ", ".join(f"'{ids[p]}'" for p in several[:3]) + (" ..." if len(several) > 3 else "")
            first_row = self.rows[np.flatnonzero(mask & (project == several[0]))[0]]
            self.warn(
                first_row,
                self.column("project.budget"),
                "conflicting-budget",
                f"the budget differs between the rows of {_plural(len(several), 'project')} ({names}); each project's first budget is kept",
                hint=f'if every row holds one partner\'s share, write combine_budget = "sum" under [options] in {self.mapping.file}',
            )
        return _first_values(coded, project, mask, n, np.nan).astype("float64")

    # --- organisations -----------------------------------------------------------------------

    def _organisations(self, org, keys, mask) -> tuple[pd.DataFrame, np.ndarray, tuple[int, int]]:
        n = len(keys)
        first = _first_index(org, mask, n)
        first_rows = self.rows[first] if n else np.zeros(0, dtype=np.int64)
        self.first_rows["organisations"] = [int(r) for r in first_rows]
        if self.column("organisation.id") is not None:
            ids = np.array(keys, dtype=object)
        else:
            slugs = unique_slugs(keys)
            ids = np.array([slugs[k] for k in keys], dtype=object)
        names, aliases, variants = self._names(org, keys, mask, n)
        unnamed = names == ""
        if unnamed.any():
            names[unnamed] = ids[unnamed]
            if self.column("organisation.name") != self.column("organisation.id"):
                self.warn(
                    first_rows[np.argmax(unnamed)],
                    self.column("organisation.name"),
                    "no-organisation-name",
                    f"{_plural(int(unnamed.sum()), 'organisation')} have no name on any row; the id is used as the name",
                    hint="fill in the names",
                )
        out = pd.DataFrame({"id": pd.Series(ids, dtype=object), "name": pd.Series(names, dtype=object)})
        labels = names
        out["type"] = self._most_frequent("organisation.type", org, mask, n, first_rows, labels, default="other")
        out["level"] = self._most_frequent("organisation.level", org, mask, n, first_rows, labels)
        out["municipality"] = self._most_frequent("organisation.municipality", org, mask, n, first_rows, labels)
        out["region"] = self._most_frequent("organisation.region", org, mask, n, first_rows, labels)
        out["parent"] = ""
        out["aliases"] = aliases
        for name in self.mapping.extra.get("organisations", ()):
            out[self._extra_name("organisations", name, out)] = self._most_frequent(f"extra.organisations.{name}", org, mask, n, first_rows, labels, warn=False)
        return self._typed(out, "organisations"), ids, variants

    def _names(self, org, keys, mask, n) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
        """Each organisation's name (the spelling on most rows, ties: the first seen, unless
        [aliases] names it) and its other spellings, sorted and ``|``-joined."""
        names = self.source[self.column("organisation.name")]
        groups, labels, counts, first = _value_counts(names, org, mask)
        order = np.lexsort((first, -counts, groups))
        groups, labels = groups[order], labels[order]
        starts = _starts(groups)
        chosen = np.full(n, "", dtype=object)
        chosen[groups[starts]] = names.labels[labels[starts]]
        aliases = np.full(n, "", dtype=object)
        sizes = np.diff(np.r_[starts, len(groups)])
        with_variants = np.flatnonzero(sizes > 1)
        for s in with_variants:
            start = starts[s]
            others = sorted(str(v).replace("|", "/") for v in names.labels[labels[start + 1 : start + sizes[s]]])
            aliases[groups[start]] = "|".join(others)
        if self.mapping.aliases and self.column("organisation.id") is None:
            # "spelling" = "Official name" under [aliases]: the official name is the name
            official = {normalise_name(target): target for target in self.mapping.aliases.values()}
            for s, start in enumerate(starts):
                o = groups[start]
                target = official.get(keys[o])
                if target is None or target == chosen[o]:
                    continue
                spellings = {str(v).replace("|", "/") for v in names.labels[labels[start : start + sizes[s]]]}
                chosen[o] = target
                aliases[o] = "|".join(sorted(spellings - {target}))
        return chosen, aliases, (int((sizes - 1).sum()) if len(sizes) else 0, len(with_variants))

    def _most_frequent(self, key, org, mask, n, first_rows, names, *, default="", warn=True) -> np.ndarray:
        """The value on most rows of each organisation (ties: alphabetical); empty cells do not
        count. More than one value is reported once per organisation."""
        coded = self.attribute(key)
        if coded is None:
            return np.full(n, default, dtype=object)
        groups, labels, counts, _ = _value_counts(coded, org, mask)
        alphabetical = np.argsort(np.argsort(np.array([str(v) for v in coded.labels], dtype=object)))
        order = np.lexsort((alphabetical[labels] if len(labels) else labels, -counts, groups))
        groups, labels, counts = groups[order], labels[order], counts[order]
        starts = _starts(groups)
        out = np.full(n, default, dtype=object)
        out[groups[starts]] = coded.labels[labels[starts]]
        if warn:
            what = key.rsplit(".", 1)[1]
            sizes = np.diff(np.r_[starts, len(groups)])
            for s in np.flatnonzero(sizes > 1):
                block = slice(starts[s], starts[s] + sizes[s])
                listed = ", ".join(f"{coded.labels[v]} ({_plural(int(c), 'row')})" for v, c in zip(labels[block], counts[block]))
                o = groups[starts[s]]
                kept = out[o]
                self.warn(
                    first_rows[o],
                    self.column(key),
                    f"conflicting-{what}",
                    f"'{names[o]}' is listed with more than one {what}: {listed}; {kept} is kept",
                    value=kept,
                    hint=f"correct the {what} on the rows that are wrong, or ignore this warning if {kept} is right",
                )
        return out

    # --- participations ----------------------------------------------------------------------

    def _participations(self, part, first, mask, project_ids, project, org_ids, org, role) -> pd.DataFrame:
        n = len(first)
        first_rows = self.rows[first] if n else np.zeros(0, dtype=np.int64)
        self.first_rows["participations"] = [int(r) for r in first_rows]
        out = pd.DataFrame(
            {
                "project": pd.Series(project_ids[project[first]] if n else [], dtype=object),
                "organisation": pd.Series(org_ids[org[first]] if n else [], dtype=object),
                "contact": "",
                "role": pd.Series(ROLE_CODES[role[first]] if n else [], dtype=object),
            }
        )
        for when in ("start", "end"):
            coded = self.attribute(f"participation.{when}")
            out[when] = _first_values(coded, part, mask, n, np.datetime64("NaT", "ns")).astype("datetime64[ns]") if coded is not None else np.full(n, np.datetime64("NaT", "ns"))
        self._end_before_start(out, "participations", first_rows, self.column("participation.end"))
        for name in self.mapping.extra.get("participations", ()):
            out[self._extra_name("participations", name, out)] = _first_values(self.attribute(f"extra.participations.{name}"), part, mask, n, "")
        return self._typed(out, "participations")

    # --- shared ------------------------------------------------------------------------------

    def _end_before_start(self, out, table, first_rows, column) -> None:
        bad = (out["end"] < out["start"]).to_numpy()
        where = np.flatnonzero(bad)
        for i in where[:ROW_REPORTS]:
            what = f"project '{out['id'].iat[i]}'" if table == "projects" else f"participation of '{out['organisation'].iat[i]}' in '{out['project'].iat[i]}'"
            end, start = _iso(out["end"].iat[i]), _iso(out["start"].iat[i])
            self.warn(first_rows[i], column, "end-before-start", f"the {what} ends ({end}) before it starts ({start}); the end is left empty", value=end, hint="correct the dates in the source")
        if len(where) > ROW_REPORTS:
            self.warn(None, column, "end-before-start", f"{_plural(len(where) - ROW_REPORTS, 'more ' + table[:-1])} end before they start; their ends are left empty")
        if len(where):
            out.loc[bad, "end"] = pd.NaT

    def _extra_name(self, table: str, name: str, out: pd.DataFrame) -> str:
        """An extra column's header, renamed when reading it back would take it for a package column."""
        meant = canonical_column(table, name)
        if meant is None and name not in out.columns:
            return name
        unique = f"source_{name}"
        while unique in out.columns or canonical_column(table, unique) is not None:
            unique += "_"
        self.warn(
            None,
            name,
            "renamed-extra-column",
            f"the extra column '{name}' would be read as the {table} column '{meant or name}'; it is written as '{unique}'",
            hint=f"map it under [{table[:-1]}] instead if that is what it holds",
        )
        return unique

    def _typed(self, out: pd.DataFrame, table: str) -> pd.DataFrame:
        """Canonical columns in model order with the package's dtypes, then the extra columns."""
        columns = TABLES[table].columns
        for column in columns:
            if column.kind == "date":
                out[column.name] = pd.to_datetime(out[column.name]).astype("datetime64[ns]")
            elif column.kind == "number":
                out[column.name] = out[column.name].astype("float64")
            elif column.kind == "bool":
                out[column.name] = out[column.name].astype(bool)
            else:
                out[column.name] = out[column.name].astype(object)
        names = [c.name for c in columns]
        extras = [c for c in out.columns if c not in names]
        for c in extras:
            out[c] = out[c].astype(object)
        return out[names + extras].reset_index(drop=True)

    # --- similar names -----------------------------------------------------------------------

    def _likely_duplicates(self, organisations: pd.DataFrame, size: np.ndarray) -> int:
        """Warn about pairs of organisations whose names are alike; never merge them."""
        if self.mapping.similar_names <= 0 or len(organisations) < 2:
            return 0
        id_column, name_column = self.column("organisation.id"), self.column("organisation.name")
        if id_column is not None and id_column == name_column:
            return 0  # the names are the ids: nothing to compare
        ids = organisations["id"].tolist()
        names = dict(zip(ids, organisations["name"]))
        rows_of = dict(zip(ids, size.tolist()))
        first_row = dict(zip(ids, self.first_rows["organisations"]))
        pairs = likely_duplicates(names, threshold=self.mapping.similar_names, limit=PAIR_LIMIT)
        if id_column is not None:
            # with ids, one name under two ids is the likeliest duplicate of all
            by_name: dict[str, list[str]] = {}
            for org_id, name in names.items():
                by_name.setdefault(normalise_name(name), []).append(org_id)
            same = [(a, b, 100.0) for members in by_name.values() if len(members) > 1 for i, a in enumerate(members) for b in members[i + 1 :]]
            pairs = (same + pairs)[:PAIR_LIMIT]
        for a, b, score in pairs:
            # X (kept) is the one on more rows (ties: alphabetical by name); Y would become its alias
            x, y = sorted((a, b), key=lambda o: (-rows_of.get(o, 0), names[o], o))
            if id_column is not None:
                entry = f'"{y}" = "{x}"'
                message = f"'{names[x]}' ({x}) and '{names[y]}' ({y}) may be the same organisation; if so, add '{y}' as an alias of '{x}'"
            else:
                entry = f'"{names[y]}" = "{names[x]}"'
                message = f"'{names[x]}' and '{names[y]}' may be the same organisation; if so, add '{names[y]}' as an alias of '{names[x]}'"
            self.warn(
                first_row[y],
                name_column,
                "likely-duplicate",
                message,
                value=names[y],
                hint=f"write {entry} under [aliases] in {self.mapping.file} (names {score:.0f} % alike); if they are different organisations, ignore this warning",
            )
        if len(pairs) >= PAIR_LIMIT:
            self.warn(None, name_column, "likely-duplicate", f"only the {PAIR_LIMIT} most similar pairs of names are reported", hint="add aliases for these, import again, and more will be shown")
        return len(pairs)
