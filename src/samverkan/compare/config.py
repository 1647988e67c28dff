"""Options of a comparison, and the ``samverkan.toml`` project file that names a whole benchmark.

A ``samverkan.toml`` rebuilds the same benchmark every time (``samverkan compare --config
samverkan.toml``). Paths are relative to the file. Every section and key is optional except that
at least one package must be named::

    # samverkan.toml: Region Örebro against Södertörn
    [compare]
    output = "reports/benchmark"      # folder for the outputs (default: "comparison" beside this file)
    lang = "sv"                       # "sv" or "en"
    seed = 42                         # every random step (null model, sampled betweenness) uses it
    samples = 100                     # null-model samples per region (capped for large regions)
    min_organisations = 10            # fewer organisations: flagged as too thin, not ranked
    top_bridging = 3                  # bridging organisations listed per inter-region link
    # rank_by = "density_z"           # the column regions are ranked by (default density_z, or mean_degree without null model)
    # title = "Östra Mellansverige"   # the page title (default: the packages' own titles)
    # as_of = 2014-06-30              # compare the networks as they were on one day, or
    # period = ["2014-01-01", "2014-12-31"]   # over a period (participations active in it)
    # by = "nuts2"                    # split ONE package by an organisations column ...
    # select = ["SE11", "SE12"]       # ... and compare only these values

    [[packages]]                      # one block per package (region)
    path = "data/orebro-2014"
    label = "Örebro 2014"             # optional: the region's name (default: the folder name)

    [[packages]]
    path = "data/sodertorn-2009"
    label = "Södertörn 2009"

    [labels]                          # optional, with by: display names of split values
    # SE = "Sverige"

    [overtime]                        # optional: follow the structure over time, with ONE of
    # as_of = ["2014-06-30", "2019-06-30"]                               # two time points
    # periods = [["2014-01-01", "2016-12-31"], ["2017-01-01", "2020-12-31"]]  # two periods
    # packages = ["Örebro 2014", "Örebro 2020"]  # labels of two packages: one region, two times
    # labels = ["2014", "2020"]       # optional names of the two snapshots

With ``as_of`` or ``periods`` under ``[overtime]`` every compared region is followed from the
first snapshot to the second; with ``packages`` the two packages are taken as one region at two
times. Dates are TOML dates (``2014-06-30``) or strings (``"2014-06-30"``).

:func:`load_config` checks everything at once and raises :class:`~samverkan.errors.InputError`
listing each problem with the file, the line, the key and what would be right.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ERROR, InputError, Problem, UsageError
from ..io.validate import closest
from ..io.toml_lines import toml_key_lines
from ..graph.projection import time_window

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib

__all__ = ["CompareOptions", "OverTimeSpec", "CompareConfig", "load_config", "parse_date", "note_text", "DEFAULT_OUTPUT"]

DEFAULT_OUTPUT = "comparison"
LANGS = ("sv", "en")


# Notes shown to the user (page, result.notes), in both languages.
NOTES = {
    "shared-organisations": (
        "{n} organisation(er) finns i mer än ett paket och räknas till varje sådan region ({names}).",
        "{n} organisation(s) are in more than one package and count as of each region ({names}).",
    ),
    "merged-values": ("'{column}': {variants} räknas som en region, '{label}'.", "'{column}': {variants} are taken as one region, '{label}'."),
    "unassigned": (
        "{n} organisation(er) saknar värde i '{column}' och hör inte till någon region.",
        "{n} organisation(s) have no value in '{column}' and belong to no region.",
    ),
    "capped": (
        "{region}: {participations} deltaganden, så {samples} stickprov i nollmodellen i stället för {requested} (inbränning {burn_in}, gallring {thin} steg).",
        "{region}: {participations} participations: {samples} null-model samples instead of {requested} (burn-in {burn_in}, thinning {thin} steps).",
    ),
    "sampled-betweenness": (
        "{region}: mellanliggande centralitet (betweenness) skattad från {sources} slumpvis valda startorganisationer av {n}.",
        "{region}: betweenness estimated from {sources} sampled sources of {n} organisations.",
    ),
    "thin": (
        "{n} region(er) har färre än {minimum} organisationer och markeras men rangordnas inte: {names}.",
        "{n} region(s) have fewer than {minimum} organisations and are flagged, not ranked: {names}.",
    ),
}


def note_text(key: str, lang: str = "en", **params) -> str:
    """A note for the user in Swedish or English.

    >>> note_text("unassigned", "sv", n=2, column="nuts2")
    "2 organisation(er) saknar värde i 'nuts2' och hör inte till någon region."
    """
    sv, en = NOTES[key]
    return (sv if lang == "sv" else en).format(**params)


@dataclass(frozen=True)
class CompareOptions:
    """Options of a comparison; every default is documented where it is used.

    Attributes
    ----------
    seed : int
        Seed of the null model (per region: ``[seed, crc32(region name)]``) and sampled betweenness.
    samples : int or None
        Null-model samples per region; None = 100 (capped for large regions, see
        :func:`samverkan.compare.nullmodel.plan_chain`); 0 skips the null model.
    min_organisations : int
        Regions with fewer organisations are flagged ``too_thin`` and not ranked (default 10).
    lang : "sv" or "en"
        Language of the page and the figures (column names stay English).
    as_of, period
        Time window of every region's network (None: all participations).
    top_bridging : int
        Bridging organisations listed per inter-region link (default 3).
    betweenness_sources : int or None
        Sampled betweenness sources; None = the policy of
        :func:`samverkan.metrics.centrality.betweenness` (exact up to 5,000 organisations).
    rank_by : str or None
        The comparison column regions are ranked by (see :func:`samverkan.compare.run.rank_regions`).
    title : str or None
        The page's title; None = the packages' own titles (never folder names).
    """

    seed: int = 42
    samples: int | None = None
    min_organisations: int = 10
    lang: str = "sv"
    as_of: dt.date | None = None
    period: tuple[dt.date, dt.date] | None = None
    top_bridging: int = 3
    betweenness_sources: int | None = None
    rank_by: str | None = None  # None: density_z when the null model ran, else mean_degree (see compare.run.rank_regions)
    title: str | None = None  # None: the packages' own titles

    def __post_init__(self):
        if self.lang not in LANGS:
            raise UsageError(f"lang must be 'sv' or 'en', not '{self.lang}'")
        if self.samples is not None and int(self.samples) < 0:
            raise UsageError(f"samples must be 0 or more, not {self.samples}")
        if int(self.min_organisations) < 1:
            raise UsageError(f"min_organisations must be 1 or more, not {self.min_organisations}")
        if self.as_of is not None and self.period is not None:
            raise UsageError("give either as_of or period, not both")
        if self.period is not None and self.period[0] > self.period[1]:
            raise UsageError(f"the period starts ({self.period[0]}) after it ends ({self.period[1]}); write the earlier date first")

    @property
    def window(self) -> tuple[dt.date | None, dt.date | None]:
        return time_window(self.as_of, self.period)


@dataclass(frozen=True)
class OverTimeSpec:
    """Two snapshots to compare: two time points, two periods, or two packages of one region."""

    as_of: tuple[dt.date, dt.date] | None = None
    periods: tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]] | None = None
    packages: tuple[str, str] | None = None  # labels of two packages (resolved by the caller)
    labels: tuple[str, str] | None = None

    def __post_init__(self):
        given = sum(x is not None for x in (self.as_of, self.periods, self.packages))
        if given != 1:
            raise UsageError("over time needs exactly one of: two as_of dates, two periods, or two packages")

    def windows(self) -> tuple[tuple, tuple]:
        """(start, end) of both snapshots; (None, None) when two packages are compared whole."""
        if self.as_of is not None:
            return (self.as_of[0], self.as_of[0]), (self.as_of[1], self.as_of[1])
        if self.periods is not None:
            return tuple(self.periods[0]), tuple(self.periods[1])
        return (None, None), (None, None)

    def snapshot_labels(self) -> tuple[str, str]:
        if self.labels is not None:
            return self.labels
        if self.as_of is not None:
            return str(self.as_of[0]), str(self.as_of[1])
        if self.periods is not None:
            return tuple(f"{a}–{b}" for a, b in self.periods)
        return tuple(self.packages)


@dataclass
class CompareConfig:
    """A checked ``samverkan.toml``: what to compare, how, and where to write it."""

    path: Path
    packages: list[Path]
    labels: list[str] | None
    by: str | None
    select: list[str] | None
    region_labels: dict | None
    output: Path
    options: CompareOptions
    overtime: OverTimeSpec | None = None
    lines: dict = field(default_factory=dict)


def parse_date(value) -> dt.date:
    """A TOML date, a datetime or an ISO string (``2014-06-30``) as a date; ValueError otherwise.

    >>> parse_date("2014-06-30"), parse_date(dt.date(2020, 1, 1))
    (datetime.date(2014, 6, 30), datetime.date(2020, 1, 1))
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    raise ValueError(f"not a date: {value!r}")


SCHEMA = {
    "compare": {"output", "lang", "seed", "samples", "min_organisations", "top_bridging", "betweenness_sources", "as_of", "period", "by", "select", "rank_by", "title"},
    "packages": {"path", "label"},
    "labels": None,  # free keys
    "overtime": {"as_of", "periods", "packages", "labels"},
}


def load_config(path) -> CompareConfig:
    """Read and check a ``samverkan.toml`` (format in the module docstring).

    Raises
    ------
    UsageError
        The file does not exist.
    InputError
        With every problem found, each with the file, line, key and a hint.
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such config file: {path}; write a samverkan.toml (see 'samverkan compare --help')")
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    file = str(path)
    try:
        data = tomllib.loads(text)
    except RecursionError:  # thousands of nested [ or {: the TOML reader recurses per level
        raise UsageError(f"{file} nests lists or tables too deeply to read; a samverkan TOML file needs only a few levels") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise InputError(
            [
                Problem(
                    ERROR,
                    file,
                    int(match.group(1)) if match else None,
                    None,
                    "config-syntax",
                    f"the file is not valid TOML: {exc}",
                    hint='write keys as name = "value", lists as ["a", "b"], one [[packages]] block per package',
                )
            ]
        ) from None
    lines = toml_key_lines(text)
    problems: list[Problem] = []

    def problem(key: str, code: str, message: str, *, value=None, hint=None) -> None:
        row = lines.get(key) or lines.get(key.rsplit(".", 1)[0]) or lines.get(key.split(".")[0].split("[")[0])
        problems.append(Problem(ERROR, file, row, key, code, message, None if value is None else str(value), hint))

    for section, content in data.items():
        if section not in SCHEMA:
            match = closest(section, SCHEMA, cutoff=0.5)
            hint = f"did you mean [{match[0]}]?" if match else f"the sections are {', '.join(f'[{s}]' for s in SCHEMA)}"
            problem(section, "unknown-section", f"unknown section '{section}'", hint=hint)
            continue
        if section == "packages":
            if not isinstance(content, list):
                problem(section, "bad-value", "packages must be [[packages]] blocks, one per package", hint='write [[packages]] and below it path = "data/orebro-2014"')
            continue
        if not isinstance(content, dict):
            problem(section, "bad-value", f"[{section}] must be a section, not a single value", value=content, hint=f"write [{section}] on its own line and the keys below it")
            continue
        allowed = SCHEMA[section]
        if allowed is None:
            continue
        for key in content:
            if key not in allowed:
                match = closest(key, allowed, cutoff=0.5)
                hint = f"did you mean '{match[0]}'?" if match else f"the keys of [{section}] are {', '.join(sorted(allowed))}"
                problem(f"{section}.{key}", "unknown-key", f"unknown key '{key}' in [{section}]", hint=hint)

    compare = data.get("compare") if isinstance(data.get("compare"), dict) else {}
    base = path.parent

    def integer(key, default, minimum):
        value = compare.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            problem(f"compare.{key}", "bad-type", f"{key} must be a whole number", value=value, hint=f"e.g. {key} = {default if default is not None else 100}")
            return default
        if value < minimum:
            problem(f"compare.{key}", "bad-value", f"{key} must be {minimum} or more", value=value, hint=f"e.g. {key} = {default if default is not None else 100}")
            return default
        return value

    seed = integer("seed", 42, -(2**63))
    samples = integer("samples", None, 0)
    min_organisations = integer("min_organisations", 10, 1)
    top_bridging = integer("top_bridging", 3, 1)
    betweenness_sources = integer("betweenness_sources", None, 1)
    texts = {}
    for key in ("rank_by", "title"):
        value = compare.get(key)
        if value is not None and not (isinstance(value, str) and value.strip()):
            problem(f"compare.{key}", "bad-type", f"{key} must be a text", value=value, hint=f'e.g. {key} = "{"density_z" if key == "rank_by" else "Östra Mellansverige 2014"}"')
            value = None
        texts[key] = value.strip() if isinstance(value, str) else None
    lang = compare.get("lang", "sv")
    if lang not in LANGS:
        problem("compare.lang", "bad-value", 'lang must be "sv" or "en"', value=lang, hint='lang = "sv" (Swedish) or lang = "en" (English)')
        lang = "sv"

    def date_value(key, value):
        try:
            return parse_date(value)
        except (ValueError, TypeError):
            problem(key, "bad-date", "not a date", value=value, hint="write dates as YYYY-MM-DD, e.g. 2014-06-30")
            return None

    def period_value(key, value):
        if not isinstance(value, list) or len(value) != 2:
            problem(key, "bad-period", "a period is two dates, the start and the end", value=value, hint='e.g. ["2014-01-01", "2014-12-31"]')
            return None
        start, end = date_value(key, value[0]), date_value(key, value[1])
        if start is None or end is None:
            return None
        if start > end:
            problem(key, "bad-period", "the period starts after it ends", value=value, hint="write the earlier date first")
            return None
        return (start, end)

    as_of = date_value("compare.as_of", compare["as_of"]) if "as_of" in compare else None
    period = period_value("compare.period", compare["period"]) if "period" in compare else None
    if as_of is not None and period is not None:
        problem("compare.period", "conflict", "give as_of or period, not both", hint="remove one of them")
        period = None

    by = compare.get("by")
    if by is not None and (not isinstance(by, str) or not by.strip()):
        problem("compare.by", "bad-value", "by names an organisations column", value=by, hint='e.g. by = "nuts2" (or region, municipality, country)')
        by = None
    select = compare.get("select")
    if select is not None:
        if isinstance(select, str):
            select = [select]
        if not isinstance(select, list) or not all(isinstance(s, (str, int)) for s in select):
            problem("compare.select", "bad-value", "select is a list of values of the split column", value=select, hint='e.g. select = ["SE", "NO", "FI"]')
            select = None
        elif by is None:
            problem("compare.select", "conflict", "select needs by: it picks values of the column the package is split by", hint='add by = "..." or remove select')
            select = None
        else:
            select = [str(s) for s in select]

    output_value = compare.get("output", DEFAULT_OUTPUT)
    if not isinstance(output_value, str) or not output_value.strip():
        problem("compare.output", "bad-value", "output is a folder name", value=output_value, hint='e.g. output = "reports/benchmark"')
        output_value = DEFAULT_OUTPUT
    output = (base / output_value).resolve() if not Path(output_value).is_absolute() else Path(output_value)

    packages: list[Path] = []
    labels: list[str] = []
    entries = data.get("packages", []) if isinstance(data.get("packages", []), list) else []
    for i, entry in enumerate(entries, start=1):
        key = f"packages[{i}]"
        if not isinstance(entry, dict):
            problem(key, "bad-value", "each [[packages]] block holds path and label", hint='path = "data/orebro-2014"')
            continue
        for k in entry:
            if k not in SCHEMA["packages"]:
                match = closest(k, SCHEMA["packages"], cutoff=0.5)
                problem(f"{key}.{k}", "unknown-key", f"unknown key '{k}' in [[packages]]", hint=f"did you mean '{match[0]}'?" if match else "the keys are path and label")
        value = entry.get("path")
        if not isinstance(value, str) or not value.strip():
            problem(f"{key}.path", "missing-key", "the package has no path", hint='add path = "data/orebro-2014" (relative to this file)')
            continue
        package_path = (base / value).resolve() if not Path(value).is_absolute() else Path(value)
        if not package_path.exists():
            problem(f"{key}.path", "missing-package", f"no package at {package_path}", value=value, hint="give a folder of CSV files or an .xlsx workbook, relative to this file")
        packages.append(package_path)
        label = entry.get("label", package_path.stem if package_path.suffix.lower() == ".xlsx" else package_path.name)
        if not isinstance(label, str) or not label.strip():
            problem(f"{key}.label", "bad-value", "label is the region's name", value=label, hint='e.g. label = "Örebro 2014"')
            label = package_path.name
        labels.append(label.strip())
    if not entries and "packages" not in data:
        problems.append(Problem(ERROR, file, None, "packages", "missing-key", "the config names no package", None, 'add a block:\n[[packages]]\npath = "data/orebro-2014"'))
    seen: dict[str, int] = {}
    for i, label in enumerate(labels, start=1):
        if label in seen:
            problem(f"packages[{i}].label", "duplicate-label", f"two packages are both named '{label}'", hint="give each package its own label")
        seen.setdefault(label, i)
    if by is not None and len(packages) != 1:
        problem("compare.by", "conflict", f"by splits ONE package, but {len(packages)} are named", hint="name one package, or remove by to compare the packages as regions")
    if by is None and len(packages) == 1 and not isinstance(data.get("overtime"), dict):
        problem("packages", "too-few", "one package alone compares with nothing", hint='add more [[packages]] blocks, or split it with by = "region" under [compare]')

    region_labels = data.get("labels") if isinstance(data.get("labels"), dict) else None
    if region_labels is not None:
        bad = [k for k, v in region_labels.items() if not isinstance(v, str)]
        for k in bad:
            problem(f"labels.{k}", "bad-value", "a label is a text", value=region_labels[k], hint=f'e.g. {k} = "Sverige"')
        if by is None and region_labels:
            problem("labels", "conflict", "[labels] names values of the split column, but nothing is split", hint="add by under [compare], or name packages with label in [[packages]]")
        region_labels = {str(k): str(v) for k, v in region_labels.items() if k not in bad}

    overtime = None
    spec = data.get("overtime")
    if isinstance(spec, dict):
        kinds = [k for k in ("as_of", "periods", "packages") if k in spec]
        if len(kinds) != 1:
            problem("overtime", "bad-overtime", "give exactly one of as_of, periods or packages under [overtime]", hint='e.g. as_of = ["2014-06-30", "2019-06-30"]')
        else:
            kind = kinds[0]
            value = spec[kind]
            snapshot_labels = spec.get("labels")
            if snapshot_labels is not None and (not isinstance(snapshot_labels, list) or len(snapshot_labels) != 2 or not all(isinstance(s, str) for s in snapshot_labels)):
                problem("overtime.labels", "bad-value", "labels are two names, one per snapshot", value=snapshot_labels, hint='e.g. labels = ["2014", "2020"]')
                snapshot_labels = None
            snapshot_labels = tuple(snapshot_labels) if snapshot_labels else None
            if not isinstance(value, list) or len(value) != 2:
                problem(
                    f"overtime.{kind}",
                    "bad-value",
                    f"{kind} takes exactly two entries, the earlier first",
                    value=value,
                    hint={
                        "as_of": 'as_of = ["2014-06-30", "2019-06-30"]',
                        "periods": 'periods = [["2014-01-01", "2016-12-31"], ["2017-01-01", "2020-12-31"]]',
                        "packages": 'packages = ["Örebro 2014", "Örebro 2020"]',
                    }[kind],
                )
            elif kind == "as_of":
                first, second = date_value("overtime.as_of", value[0]), date_value("overtime.as_of", value[1])
                if first is not None and second is not None:
                    if first >= second:
                        problem("overtime.as_of", "bad-order", "the first time point must be before the second", value=value, hint="write the earlier date first")
                    else:
                        overtime = OverTimeSpec(as_of=(first, second), labels=snapshot_labels)
            elif kind == "periods":
                first, second = period_value("overtime.periods", value[0]), period_value("overtime.periods", value[1])
                if first is not None and second is not None:
                    if first[0] > second[0]:
                        problem("overtime.periods", "bad-order", "the first period must start before the second", value=value, hint="write the earlier period first")
                    else:
                        overtime = OverTimeSpec(periods=(first, second), labels=snapshot_labels)
            else:
                names = []
                for item in value:
                    if not isinstance(item, str):
                        problem("overtime.packages", "bad-value", "name the packages by their labels", value=item, hint=f"one of: {', '.join(labels)}")
                        continue
                    match = item if item in labels else next((l for l, p in zip(labels, packages) if p.name == item or str(p) == item), None)
                    if match is None:
                        hint = closest(item, labels, cutoff=0.4)
                        problem(
                            "overtime.packages",
                            "unknown-package",
                            f"no package labelled '{item}'",
                            value=item,
                            hint=f"did you mean '{hint[0]}'?" if hint else f"use the labels of [[packages]]: {', '.join(labels)}",
                        )
                    else:
                        names.append(match)
                if len(names) == 2:
                    if names[0] == names[1]:
                        problem("overtime.packages", "bad-value", "the two snapshots are the same package", value=value, hint="name two different packages")
                    elif by is not None:
                        problem("overtime.packages", "conflict", "over time with two packages cannot be combined with by", hint="remove by, or use as_of or periods under [overtime]")
                    else:
                        overtime = OverTimeSpec(packages=(names[0], names[1]), labels=snapshot_labels)
    elif spec is not None:
        problem("overtime", "bad-value", "[overtime] must be a section", hint='write [overtime] on its own line and, below it, as_of = ["2014-06-30", "2019-06-30"]')

    if problems:
        raise InputError(problems)
    options = CompareOptions(
        seed=seed,
        samples=samples,
        min_organisations=min_organisations,
        lang=lang,
        as_of=as_of,
        period=period,
        top_bridging=top_bridging,
        betweenness_sources=betweenness_sources,
        rank_by=texts["rank_by"],
        title=texts["title"],
    )
    return CompareConfig(path, packages, labels, by.strip() if by else None, select, region_labels, output, options, overtime, lines)
