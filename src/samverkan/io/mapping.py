"""Mapping files: which columns of a flat table become which package columns.

A flat table (one row per project × organisation, as EU lists of operations or a spreadsheet kept
by hand) is turned into a package by :func:`samverkan.io.flat_import.import_flat_table`. What its
columns mean, and how its role and type words translate into the samverkan vocabularies, is said
in a small TOML file, read here into a :class:`Mapping`. The keys are declared as data in
:data:`SCHEMA` and documented in ``data/mappings/README.md``.

Every problem in a mapping file (TOML syntax, unknown sections or keys, missing required keys,
role or type words that are not samverkan codes) is collected and raised at once as an
:class:`~samverkan.errors.InputError` whose problems name the mapping file, the line and the key
(``project.id``), with the closest valid name when there is one.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ERROR, InputError, Problem, UsageError
from ..model import VOCABULARIES, canonical, normalise_key
from .validate import closest
from .toml_lines import toml_key_lines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Mapping", "load_mapping", "mapping_from_dict", "match_columns", "SCHEMA", "VALUE_SECTIONS"]

# What every key holds: "column" (one source column), "columns" (one or several), "column-list"
# (a list of source columns), "text", "separator", "combine", "threshold".
SCHEMA: dict[str, dict[str, str]] = {
    "source": {"description": "text", "sheet": "text", "separator": "separator", "date_format": "text"},
    "project": {
        "id": "columns",
        "name": "column",
        "region": "column",
        "start": "column",
        "end": "column",
        "budget": "column",
        "funder": "column",
        "status": "column",
    },
    "organisation": {
        "id": "column",
        "name": "column",
        "type": "column",
        "level": "column",
        "municipality": "column",
        "region": "column",
    },
    "participation": {"role": "column", "start": "column", "end": "column"},
    "extra": {"organisations": "column-list", "projects": "column-list", "participations": "column-list"},
    "options": {"combine_budget": "combine", "similar_names": "threshold", "partners_listed": "partners"},
}

# Sections that translate source values into a vocabulary: section -> (vocabulary, mapped column).
VALUE_SECTIONS: dict[str, tuple[str, str]] = {
    "roles": ("role", "participation.role"),
    "types": ("org_type", "organisation.type"),
    "levels": ("level", "organisation.level"),
    "status_values": ("status", "project.status"),
}

ALL_SECTIONS = [*SCHEMA, *VALUE_SECTIONS, "aliases", "corrections"]
REQUIRED = (("project", "id"), ("organisation", "name"), ("participation", "role"))
SEPARATORS = {"auto": "auto", ";": ";", ",": ",", "\t": "\t", "tab": "\t", "|": "|"}
COMBINE = ("sum", "first")
PARTNERS_LISTED = ("all", "some")
# options with a few named values: kind -> (the values, the hint when another is given)
CHOICES = {
    "combine": (COMBINE, '"sum" when every row holds one partner\'s share of the budget, "first" when every row repeats the whole project\'s budget'),
    "partners": (PARTNERS_LISTED, '"some" when the table lists only some partners of each project (for example only the Swedish ones), "all" otherwise'),
}
DEFAULT_SIMILAR_NAMES = 92.0


@dataclass(frozen=True)
class Mapping:
    """A checked mapping: source columns per package column, value translations and options.

    Attributes
    ----------
    file : str
        The mapping's file name, used in problems ("interreg.toml").
    columns : dict
        ``"project.id"`` → tuple of source column names (one, or several for ``project.id``).
    values : dict
        ``"roles"``/``"types"``/``"levels"``/``"status_values"`` → {normalised source value: code}.
    defaults : dict
        The same sections → the code used for values found nowhere (their ``default`` key).
    aliases : dict
        Source spelling (or id) of an organisation → the spelling (or id) it is the same as.
    extra : dict
        ``"organisations"``/``"projects"``/``"participations"`` → source columns kept as extras.
    corrections : dict
        Source column → {value as written: value to use}, applied before anything else reads
        the column (``[corrections.nuts2]``: one region spelt two ways).
    lines : dict
        ``"section.key"`` → its line in the mapping file, for problems.
    """

    file: str = "mapping"
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)
    corrections: dict[str, dict[str, str]] = field(default_factory=dict)
    sheet: str | None = None
    separator: str = "auto"
    description: str = ""
    date_format: str = ""  # a strptime format for dates the readers do not know (e.g. "%d/%m/%Y")
    combine_budget: str = "first"
    similar_names: float = DEFAULT_SIMILAR_NAMES
    partners_listed: str = "all"
    lines: dict[str, int] = field(default_factory=dict)

    def column(self, key: str) -> str | None:
        """The one source column mapped to ``key`` (e.g. ``"project.start"``), or None."""
        found = self.columns.get(key)
        return found[0] if found else None

    def translate(self, section: str, value: str) -> str | None:
        """The vocabulary code for a source value: the mapping's own table first, then the
        spellings samverkan knows (``LP``, ``coordinator``, ``kommun`` ...), then ``default``.

        >>> m = mapping_from_dict({"project": {"id": "p"}, "organisation": {"name": "o"},
        ...                        "participation": {"role": "r"}, "roles": {"AP": "reference"}})
        >>> m.translate("roles", "AP"), m.translate("roles", "lp"), m.translate("roles", "x")
        ('reference', 'owner', None)
        """
        key = normalise_key(value)
        if key in self.values.get(section, {}):
            return self.values[section][key]
        if key:
            code = canonical(VALUE_SECTIONS[section][0], value)
            if code is not None:
                return code
        return self.defaults.get(section)

    def line(self, key: str) -> int | None:
        return self.lines.get(key) or self.lines.get(key.split(".")[0])


def load_mapping(path) -> Mapping:
    """Read and check a mapping file (TOML).

    Parameters
    ----------
    path : str or Path
        The mapping file, e.g. ``data/mappings/interreg.toml``.

    Returns
    -------
    Mapping

    Raises
    ------
    UsageError
        When the file does not exist.
    InputError
        With every problem in the file (syntax, unknown or missing keys, bad codes), each naming
        the file, the line and the key.
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such mapping file: {path}")
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        data = tomllib.loads(text)
    except RecursionError:  # thousands of nested [ or {: the TOML reader recurses per level
        raise UsageError(f"{path.name} nests lists or tables too deeply to read; a samverkan TOML file needs only a few levels") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"line (\d+)", message)
        row = int(match.group(1)) if match else None
        raise InputError(
            [
                Problem(
                    ERROR,
                    path.name,
                    row,
                    None,
                    "mapping-syntax",
                    f"the mapping is not valid TOML: {message}",
                    hint='write keys as name = "value", lists as ["a", "b"], sections as [project]; quote source values with spaces: "Local public authority" = "municipality"',
                )
            ]
        ) from None
    return mapping_from_dict(data, file=path.name, text=text)


def mapping_from_dict(data: dict, *, file: str = "mapping", text: str = "") -> Mapping:
    """Check a mapping given as a dict (as TOML reads it) and build a :class:`Mapping`.

    ``text`` (the TOML source) only serves to give problems their line numbers.

    Raises
    ------
    InputError
        With every problem found.
    """
    lines = toml_key_lines(text) if text else {}
    problems: list[Problem] = []

    def problem(key: str, code: str, message: str, *, value=None, hint=None) -> None:
        row = lines.get(key) or lines.get(key.split(".")[0])
        problems.append(Problem(ERROR, file, row, key, code, message, None if value is None else str(value), hint))

    columns: dict[str, tuple[str, ...]] = {}
    values: dict[str, dict[str, str]] = {}
    defaults: dict[str, str] = {}
    aliases: dict[str, str] = {}
    extra: dict[str, tuple[str, ...]] = {}
    corrections: dict[str, dict[str, str]] = {}
    settings: dict[str, object] = {}

    for section, content in data.items():
        if section not in ALL_SECTIONS:
            match = closest(section, ALL_SECTIONS, cutoff=0.5)
            hint = f"did you mean [{match[0]}]?" if match else f"the sections are {', '.join(f'[{s}]' for s in ALL_SECTIONS)}"
            kind = "section" if isinstance(content, dict) else "key"
            problem(section, f"unknown-{kind}", f"unknown {kind} '{section}' in the mapping", hint=hint)
            continue
        if not isinstance(content, dict):
            problem(section, "bad-value", f"[{section}] must be a section, not a single value", value=content, hint=f"write [{section}] on its own line and the keys below it")
            continue
        if section in SCHEMA:
            _check_section(section, content, columns, extra, settings, problem)
        elif section in VALUE_SECTIONS:
            _check_values(section, content, values, defaults, problem)
        elif section == "corrections":
            _check_corrections(content, corrections, problem)
        else:
            for variant, target in content.items():
                if not isinstance(target, str) or not target.strip():
                    problem(f"aliases.{variant}", "bad-value", "an alias must name the organisation it stands for", value=target, hint=f'write "{variant}" = "Official name"')
                    continue
                aliases[str(variant).strip()] = target.strip()

    _check_alias_cycles(aliases, problem)
    reported = {p.column for p in problems}
    for section, key in REQUIRED:
        if f"{section}.{key}" in columns or f"{section}.{key}" in reported:
            continue
        if (section, key) == ("participation", "role") and "roles" in defaults:
            continue
        present = section in data and isinstance(data[section], dict)
        row = lines.get(section) if present else None
        example = {"id": '["programme", "project_name"]   # one column, or several', "name": '"organisation_name"', "role": '"role"'}[key]
        extra_hint = ' (or give every row one role with default = "partner" under [roles])' if key == "role" else ""
        problems.append(
            Problem(
                ERROR,
                file,
                row,
                f"{section}.{key}",
                "missing-key",
                f"the mapping has no {section}.{key}: which column holds the {_WHAT[section, key]}?",
                hint=f"add under [{section}]: {key} = {example}{extra_hint}",
            )
        )

    used = {name for names in columns.values() for name in names} | {name for names in extra.values() for name in names}
    for column in corrections:
        if column not in used:
            match = closest(column, sorted(used), cutoff=0.5)
            problem(
                f"corrections.{column}",
                "unknown-column",
                f"[corrections.{column}] corrects a column the mapping does not use",
                hint=f"did you mean [corrections.{match[0]}]?" if match else "name a column used under [project], [organisation], [participation] or [extra]",
            )
    if problems:
        raise InputError(problems)
    return Mapping(
        file=file,
        corrections=corrections,
        columns=columns,
        values=values,
        defaults=defaults,
        aliases=aliases,
        extra=extra,
        sheet=settings.get("sheet"),
        separator=settings.get("separator", "auto"),
        description=settings.get("description", ""),
        date_format=settings.get("date_format", ""),
        combine_budget=settings.get("combine_budget", "first"),
        similar_names=float(settings.get("similar_names", DEFAULT_SIMILAR_NAMES)),
        partners_listed=settings.get("partners_listed", "all"),
        lines=lines,
    )


_WHAT = {
    ("project", "id"): "project id (what tells one project from another)",
    ("organisation", "name"): "organisation name",
    ("participation", "role"): "organisation's role in the project",
}


def _check_corrections(content, corrections, problem) -> None:
    """``[corrections.COLUMN]`` tables: "as written" = "as it should be", text on both sides."""
    for column, table in content.items():
        name = f"corrections.{column}"
        if not isinstance(table, dict):
            problem(
                name,
                "bad-value",
                f"[corrections.{column}] must be a table of spellings",
                value=table,
                hint=f'write [corrections.{column}] on its own line, then "as written" = "as it should be" below it',
            )
            continue
        fixed: dict[str, str] = {}
        for written, wanted in table.items():
            if not isinstance(wanted, str):
                problem(f"{name}.{written}", "bad-value", "a correction must be text in quotes", value=wanted, hint=f'write "{written}" = "the right spelling"')
                continue
            fixed[str(written)] = wanted.strip()
        corrections[str(column).strip()] = fixed


def _check_section(section, content, columns, extra, settings, problem) -> None:
    keys = SCHEMA[section]
    for key, value in content.items():
        name = f"{section}.{key}"
        if key not in keys:
            match = closest(key, list(keys), cutoff=0.5)
            hint = f"did you mean '{match[0]}'?" if match else f"[{section}] takes {', '.join(keys)}"
            problem(name, "unknown-key", f"unknown key '{key}' in [{section}]", hint=hint)
            continue
        kind = keys[key]
        if kind in ("column", "columns", "column-list"):
            many = kind != "column"
            items = value if isinstance(value, list) else [value]
            if (isinstance(value, list) and not many) or not items or not all(isinstance(v, str) and v.strip() for v in items):
                shape = 'a column name, "column"' if not many else 'a column name or a list of names, ["a", "b"]'
                problem(name, "bad-value", f"{name} must be {shape}", value=value, hint="write the column's header exactly as it is in the table, in quotes")
                continue
            items = [v.strip() for v in items]
            repeated = sorted({v for v in items if items.count(v) > 1})
            if repeated:
                problem(name, "bad-value", f"{name} names the column '{repeated[0]}' twice", value=value, hint="name each column once")
                continue
            if section == "extra":
                extra[key] = tuple(items)
            else:
                columns[name] = tuple(items)
        elif kind == "text":
            if not isinstance(value, str):
                problem(name, "bad-value", f"{name} must be text in quotes", value=value)
                continue
            settings[key] = value
        elif kind == "separator":
            if not isinstance(value, str) or value.lower() not in SEPARATORS:
                problem(name, "bad-value", "unknown separator", value=value, hint='write "auto", ";", ",", "tab" or "|"')
                continue
            settings[key] = SEPARATORS[value.lower()]
        elif kind in CHOICES:
            choices, hint = CHOICES[kind]
            if value not in choices:
                problem(name, "bad-value", f"{name} must be " + " or ".join(f'"{c}"' for c in choices), value=value, hint=hint)
                continue
            settings[key] = value
        elif kind == "threshold":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
                problem(name, "bad-value", f"{name} must be a number from 0 to 100", value=value, hint="92 reports near-identical names; 0 turns the check off")
                continue
            settings[key] = float(value)


def _check_values(section, content, values, defaults, problem) -> None:
    vocabulary = VALUE_SECTIONS[section][0]
    codes = list(VOCABULARIES[vocabulary])
    table: dict[str, str] = {}
    first_key: dict[str, str] = {}
    for source, target in content.items():
        name = f"{section}.{source}"
        if not isinstance(target, str):
            problem(name, "bad-value", f"the {section} entry for '{source}' must be a samverkan code in quotes", value=target, hint=f"use one of: {', '.join(codes)}")
            continue
        code = canonical(vocabulary, target)
        if code is None:
            spellings = codes + [s for spellings in VOCABULARIES[vocabulary].values() for s in spellings]
            match = closest(target, spellings, cutoff=0.5)
            suggestion = f"did you mean '{canonical(vocabulary, match[0])}'? " if match else ""
            problem(name, f"unknown-{vocabulary.replace('_', '-')}", f"'{target}' is not a samverkan {vocabulary.replace('_', ' ')}", value=target, hint=f"{suggestion}use one of: {', '.join(codes)}")
            continue
        if source.strip().lower() == "default":
            defaults[section] = code
            continue
        key = normalise_key(source)
        if key in table and table[key] != code:
            problem(
                name,
                "conflicting-value",
                f"'{source}' and '{first_key[key]}' are the same source value (case and spaces do not count) but are mapped to different codes",
                value=source,
                hint="keep one of them",
            )
            continue
        table[key] = code
        first_key.setdefault(key, source)
    values[section] = table


def match_columns(mapping: Mapping, header: list[str], table_file: str) -> tuple[dict[str, int], list[Problem]]:
    """Find every column the mapping names in a table's header.

    A name matches its header exactly, or else the one header that is the same after
    :func:`samverkan.model.normalise_key` (case, spaces and dashes do not count).

    Returns
    -------
    (positions, problems)
        Source column name (as written in the mapping) → its index in the header; one error per
        name not found, naming the mapping file, its line and key, and the closest header.
    """
    wanted: dict[str, str] = {}  # column name -> first mapping key naming it
    for key, names in mapping.columns.items():
        for name in names:
            wanted.setdefault(name, key)
    for table, names in mapping.extra.items():
        for name in names:
            wanted.setdefault(name, f"extra.{table}")
    exact = {h: i for i, h in reversed(list(enumerate(header))) if h}
    loose: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        if h:
            loose.setdefault(normalise_key(h), []).append(i)
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for name, key in wanted.items():
        if name in exact:
            positions[name] = exact[name]
            continue
        candidates = loose.get(normalise_key(name), [])
        if len(candidates) == 1:
            positions[name] = candidates[0]
            continue
        match = closest(name, [h for h in header if h], cutoff=0.5)
        shown = ", ".join(h for h in header if h)
        if len(shown) > 300:
            shown = shown[:297] + "..."
        hint = (f"did you mean '{match[0]}'? " if match else "") + f"the columns of {table_file} are: {shown}"
        problems.append(Problem(ERROR, mapping.file, mapping.line(key), key, "missing-column", f"the column '{name}' is not in {table_file}", value=name, hint=hint))
    return positions, problems


def _check_alias_cycles(aliases: dict[str, str], problem) -> None:
    """Aliases that lead back to where they start (A → B and B → A) would swap organisations:
    each line of the cycle is an error that names the others."""
    from .names import normalise_name

    step = {normalise_name(variant): normalise_name(target) for variant, target in aliases.items()}
    spelled = {normalise_name(variant): variant for variant in aliases}
    reported: set[str] = set()
    for start in step:
        path, node = [start], step[start]
        while node in step and node not in path:
            path.append(node)
            node = step[node]
        if node in path:
            cycle = path[path.index(node) :]
            if len(cycle) < 2 or reported & set(cycle):
                continue
            reported |= set(cycle)
            lines = " and ".join(f'"{spelled[a]}" = "{aliases[spelled[a]]}"' for a in cycle)
            for a in cycle:
                problem(
                    f"aliases.{spelled[a]}",
                    "alias-cycle",
                    f"the aliases {lines} lead in a circle, so no name is the official one",
                    value=aliases[spelled[a]],
                    hint="each alias must point to the official name, which is not itself an alias; remove one of these lines",
                )
