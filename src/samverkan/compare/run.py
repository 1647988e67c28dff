"""Run a whole comparison: regions → key figures, null model, inter-region links, over time → files.

:func:`compare_regions` computes (nothing is written); :func:`write_compare` writes the outputs;
:func:`run_compare` and :func:`run_compare_config` do both, from packages or from a
``samverkan.toml`` (see :mod:`samverkan.compare.config`).

Outputs (in the output folder, each written atomically)
-------------------------------------------------------
comparison.csv, comparison.xlsx
    One row per region, the columns of :mod:`samverkan.compare.figures` (stable names; one
    ``share_<rule>`` column per ownership rule found). The workbook (frozen header) also holds the
    sheets null_model, inter_region and, when run, overtime.
null_model.csv
    Per region and metric (density, transitivity of the organisation projection): observed,
    null_mean, null_sd, z, percentile, samples, valid_samples, burn_in, thin, participations,
    capped, note (see :mod:`samverkan.compare.nullmodel`).
inter_region.csv
    One row per linked pair of regions (see :mod:`samverkan.compare.regions`).
overtime.csv, overtime_ties.csv, overtime_projects.csv, overtime_owners.csv
    When over time is run: one summary row per region, and the lists of ties (persisting,
    appearing, disappearing), new projects with their repeat rates, and owners (persisting, new,
    gone); see :mod:`samverkan.compare.overtime`.
comparison.png, comparison.svg
    Small multiples of the key figures per region.
index.html
    A self-contained page: ranking tables, figures, the inter-region network, notes.

Determinism: the region order is fixed (packages as given; split values in alphabetical order),
every random step is seeded from ``seed`` (per region ``[seed, crc32(name)]``, so adding a region
leaves the others' samples unchanged) and the figures are written without dates, so the same
inputs and options give byte-identical files.
"""

from __future__ import annotations

import math
import time
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..errors import UsageError
from ..io.output import output_path, write_csv, write_xlsx
from .config import CompareOptions, OverTimeSpec, load_config, note_text
from .figures import BASE_COLUMNS, TAIL_COLUMNS, ownership_table, region_figures, whole_findings
from .nullmodel import null_model
from .overtime import SUMMARY_COLUMNS, Snapshot, compare_snapshots
from .regions import RegionSet, inter_region, key_figure_columns, load_packages, region_key_figure_tables, regions_from_packages, split_package

__all__ = ["CompareResult", "compare_regions", "write_compare", "run_compare", "run_compare_config", "region_seed", "rank_regions", "LOWER_IS_BETTER", "compare"]

NULL_COLUMNS = ["region", "metric", "observed", "null_mean", "null_sd", "z", "percentile", "samples", "valid_samples", "burn_in", "thin", "participations", "capped", "note"]


@dataclass
class CompareResult:
    """Everything a comparison found; ``directory`` and ``files`` once written."""

    comparison: pd.DataFrame
    null_model: pd.DataFrame
    inter_region: pd.DataFrame
    regions: RegionSet
    options: CompareOptions
    overtime: pd.DataFrame | None = None
    overtime_ties: pd.DataFrame | None = None
    overtime_projects: pd.DataFrame | None = None
    overtime_owners: pd.DataFrame | None = None
    overtime_spec: OverTimeSpec | None = None
    notes: list[str] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    directory: Path | None = None
    files: list[Path] = field(default_factory=list)
    title: str = ""
    rank_by: str = ""  # the column the regions are ranked by ("" = not ranked)
    rank_by_reason: str = ""  # "given" or "default"
    key_figures: pd.DataFrame | None = None  # per region and indicator: the value or the median (how), see compare.regions.key_figure_columns

    @property
    def summary(self) -> dict:
        """The headline facts: title, regions, what they are ranked by and why, the options used."""
        return {
            "title": self.title,
            "regions": self.regions.labels,
            "rank_by": self.rank_by,
            "rank_by_reason": self.rank_by_reason,
            "joint_projects": "the same project id in both packages" if self.regions.project_regions is not None else "a project with organisations of both regions",
            "seed": self.options.seed,
            "lang": self.options.lang,
            "as_of": self.options.as_of.isoformat() if self.options.as_of else None,
            "period": [d.isoformat() for d in self.options.period] if self.options.period else None,
        }

    def ranked(self) -> pd.DataFrame:
        """The comparison in rank order by :attr:`rank_by` (best first, regions too thin to rank last)."""
        return rank_regions(self.comparison, self.rank_by or None)[0]

    def write(self, directory) -> list[Path]:
        """Write every file ``samverkan compare`` writes into ``directory``; return the paths."""
        return write_compare(self, Path(directory))


# columns where a lower value is the better one (ranked ascending)
LOWER_IS_BETTER = ("white_spots", "brokerage_concentration", "components", "isolates")


def rank_regions(comparison: pd.DataFrame, rank_by: str | None) -> tuple[pd.DataFrame, str, str]:
    """The comparison in rank order by ``rank_by`` (best first; regions too thin to rank last, as
    the page shows them without a rank), the column used and why (``"given"`` or ``"default"``).

    Default: ``density_z``, the density measured against the region's own null model, so a small
    region is not first only for being small and a large one not for being large; when the null
    model was not run (``samples = 0``), ``mean_degree`` (partners per organisation). Higher is
    better, except for shares of ownership rules (``share_*``) and :data:`LOWER_IS_BETTER`.
    Ties keep the given order; missing values rank last.

    >>> frame = pd.DataFrame({"region": ["a", "b", "c"], "density_z": [1.0, 3.0, 2.0], "mean_degree": [5.0, 1.0, 2.0], "too_thin": [False, False, True]})
    >>> ranked, column, why = rank_regions(frame, None)
    >>> ranked["region"].tolist(), column, why
    (['b', 'a', 'c'], 'density_z', 'default')
    """
    reason = "given" if rank_by else "default"
    if not rank_by:
        z = comparison["density_z"] if "density_z" in comparison.columns else pd.Series(dtype=float)
        rank_by = "density_z" if pd.to_numeric(z, errors="coerce").notna().any() else "mean_degree"
    numeric = [c for c in comparison.columns if pd.api.types.is_numeric_dtype(comparison[c]) and comparison[c].dtype != bool]
    if rank_by not in numeric:
        from ..io.validate import closest

        match = closest(rank_by, numeric)
        hint = f"did you mean '{match[0]}'? " if match else ""
        raise UsageError(f"cannot rank regions by '{rank_by}'; {hint}use one of {', '.join(numeric)}")
    ascending = rank_by.startswith("share_") or rank_by in LOWER_IS_BETTER
    value = pd.to_numeric(comparison[rank_by], errors="coerce")
    thin = comparison["too_thin"].astype(bool) if "too_thin" in comparison.columns else pd.Series(False, index=comparison.index)
    key = value if ascending else -value
    order = pd.DataFrame({"thin": thin.to_numpy(), "missing": value.isna().to_numpy(), "key": key.to_numpy(), "pos": range(len(comparison))})
    order = order.sort_values(["thin", "missing", "key", "pos"], kind="mergesort").index
    return comparison.iloc[order].reset_index(drop=True), rank_by, reason


def region_seed(seed: int, name: str) -> list[int]:
    """The null-model seed of a region: ``[seed, crc32(name)]`` (stable across runs and Python versions).

    >>> region_seed(42, "Örebro")
    [42, 2937807707]
    """
    return [int(seed) & 0xFFFFFFFFFFFFFFFF, zlib.crc32(name.encode("utf-8"))]


def _progress(callback, message: str) -> None:
    if callback is not None:
        callback(message)


def compare_regions(
    region_set: RegionSet, options: CompareOptions = CompareOptions(), *, overtime: OverTimeSpec | None = None, overtime_packages=None, progress=None, title: str = ""
) -> CompareResult:
    """Compute the comparison of a set of regions (nothing is written).

    Parameters
    ----------
    region_set : RegionSet
        From :func:`~samverkan.compare.regions.regions_from_packages` or
        :func:`~samverkan.compare.regions.split_package`.
    options : CompareOptions
    overtime : OverTimeSpec, optional
        Two time points or periods (every region followed), or two packages (``overtime_packages``
        then holds the two packages, in order).
    progress : callable, optional
        Called with a short text before each long step.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    start, end = options.window
    as_of = options.as_of or (options.period[1] if options.period else None)
    notes = list(region_set.notes)
    findings_cache: dict[int, tuple] = {}  # per whole package: (findings, ownership table)
    rows, null_rows = [], []
    figure_time = null_time = 0.0
    for k, region in enumerate(region_set.regions):
        _progress(progress, f"region {k + 1}/{len(region_set.regions)}: {region.name}")
        whole = region.whole or region.package
        t0 = time.perf_counter()
        if id(whole) not in findings_cache:
            findings = whole_findings(whole, as_of=as_of, lang=options.lang)
            findings_cache[id(whole)] = (findings, ownership_table(findings))
        findings, ownership = findings_cache[id(whole)]
        figures = region_figures(
            region,
            findings=findings,
            ownership=ownership,
            start=start,
            end=end,
            as_of=as_of,
            seed=options.seed,
            betweenness_sources=options.betweenness_sources,
            min_organisations=options.min_organisations,
            lang=options.lang,
        )
        t1 = time.perf_counter()
        figure_time += t1 - t0
        notes += [f"{region.name}: {n}" for n in figures.notes]
        row = figures.row
        if row.get("betweenness_sources"):
            notes.append(note_text("sampled-betweenness", options.lang, region=region.name, sources=row["betweenness_sources"], n=row["organisations"]))
        if options.samples == 0:
            row.update({"density_null_mean": math.nan, "density_z": math.nan, "transitivity_null_mean": math.nan, "transitivity_z": math.nan})
        else:
            result = null_model(figures.graph.incidence, samples=options.samples, seed=region_seed(options.seed, region.name))
            null_rows += result.rows(region.name)
            if result.plan.capped:
                plan = result.plan
                requested = options.samples if options.samples is not None else 100
                notes.append(
                    note_text("capped", options.lang, region=region.name, participations=result.participations, samples=plan.samples, requested=requested, burn_in=plan.burn_in, thin=plan.thin)
                )
            row["density_null_mean"] = result.summary["density"]["null_mean"]
            row["density_z"] = result.summary["density"]["z"]
            row["transitivity_null_mean"] = result.summary["transitivity"]["null_mean"]
            row["transitivity_z"] = result.summary["transitivity"]["z"]
        null_time += time.perf_counter() - t1
        rows.append(row)
    timings["figures"] = figure_time
    timings["null_model"] = null_time
    clock = time.perf_counter()

    _progress(progress, "links between regions")
    links = inter_region(region_set, start=start, end=end, top=options.top_bridging)
    per_region = links.per_region.set_index("region")
    for row in rows:
        for column in ("outside_share", "outside_organisations", "linked_regions"):
            row[column] = per_region.at[row["region"], column] if row["region"] in per_region.index else math.nan
    timings["inter_region"] = time.perf_counter() - clock

    rule_columns = sorted({c for row in rows for c in row if c.startswith("share_")})
    columns = BASE_COLUMNS + rule_columns + TAIL_COLUMNS
    comparison = pd.DataFrame(rows).reindex(columns=columns)
    for column in rule_columns:  # a rule no finding of which touches a region's projects: share 0
        comparison[column] = [0.0 if (pd.isna(v) and p > 0) else v for v, p in zip(comparison[column], comparison["projects"])]
    comparison["too_thin"] = comparison["too_thin"].astype(bool)
    comparison["betweenness_sources"] = pd.to_numeric(comparison["betweenness_sources"], errors="coerce").astype(float)  # NaN = exact
    null_frame = pd.DataFrame(null_rows, columns=NULL_COLUMNS)
    thin = comparison.loc[comparison["too_thin"], "region"].tolist()
    if thin:
        notes.append(note_text("thin", options.lang, n=len(thin), minimum=options.min_organisations, names=", ".join(thin[:10]) + ("…" if len(thin) > 10 else "")))

    kf_columns, key_figures = key_figure_columns(region_key_figure_tables(region_set), comparison["region"].tolist())  # value or median per region, rankable
    if len(kf_columns.columns) > 1:
        comparison = pd.concat([comparison, kf_columns.drop(columns="region")], axis=1)
    rank_by, rank_reason = rank_regions(comparison, options.rank_by)[1:]  # checked now; the rows keep the given order
    result = CompareResult(
        comparison, null_frame, links.links, region_set, options, notes=notes, timings=timings, title=options.title or title, rank_by=rank_by, rank_by_reason=rank_reason, key_figures=key_figures
    )
    if overtime is not None:
        clock = time.perf_counter()
        _progress(progress, "over time")
        _over_time(result, overtime, overtime_packages)
        timings["overtime"] = time.perf_counter() - clock
    return result


def _over_time(result: CompareResult, spec: OverTimeSpec, packages) -> None:
    first, second = spec.windows()
    label_1, label_2 = spec.snapshot_labels()
    outcomes = []
    if spec.packages is not None:
        if not packages or len(packages) != 2:
            raise UsageError("over time with two packages needs the two packages")
        outcomes.append(compare_snapshots(Snapshot(label_1, packages[0]), Snapshot(label_2, packages[1]), region=f"{spec.packages[0]} → {spec.packages[1]}"))
    else:
        for region in result.regions.regions:
            outcomes.append(compare_snapshots(Snapshot(label_1, region.package, *first), Snapshot(label_2, region.package, *second), region=region.name))
    result.overtime = pd.DataFrame([o.summary for o in outcomes], columns=SUMMARY_COLUMNS)
    result.overtime_ties = pd.concat([o.ties for o in outcomes], ignore_index=True)
    result.overtime_projects = pd.concat([o.projects for o in outcomes], ignore_index=True)
    result.overtime_owners = pd.concat([o.owners for o in outcomes], ignore_index=True)
    result.overtime_spec = spec


def write_compare(result: CompareResult, directory: Path) -> list[Path]:
    """Write every output of a comparison into ``directory`` (list in the module docstring)."""
    from .report import write_figures, write_report

    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file; give a folder for the comparison")
    directory.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter()
    files = [
        write_csv(result.comparison, output_path(directory, "comparison.csv")),
        write_csv(result.null_model, output_path(directory, "null_model.csv")),
        write_csv(result.inter_region, output_path(directory, "inter_region.csv")),
    ]
    sheets = {"comparison": result.comparison, "null_model": result.null_model, "inter_region": result.inter_region}
    if result.overtime is not None:
        files.append(write_csv(result.overtime, output_path(directory, "overtime.csv")))
        files.append(write_csv(result.overtime_ties, output_path(directory, "overtime_ties.csv")))
        files.append(write_csv(result.overtime_projects, output_path(directory, "overtime_projects.csv")))
        files.append(write_csv(result.overtime_owners, output_path(directory, "overtime_owners.csv")))
        sheets["overtime"] = result.overtime
    if result.key_figures is not None and len(result.key_figures):
        files.append(write_csv(result.key_figures, output_path(directory, "key_figures.csv")))
        sheets["key_figures"] = result.key_figures
    files.append(write_xlsx(sheets, output_path(directory, "comparison.xlsx")))
    result.timings["tables"] = time.perf_counter() - clock
    clock = time.perf_counter()
    figure_files, svg_text = write_figures(result, directory)
    files += figure_files
    result.timings["figures_files"] = time.perf_counter() - clock
    clock = time.perf_counter()
    files.append(write_report(result, directory, figure_svg=svg_text))
    result.timings["report"] = time.perf_counter() - clock
    result.directory = directory
    result.files = [Path(f) for f in files]
    return result.files


def _as_date(value):
    if value is None:
        return None
    from .config import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise UsageError(f"'{value}' is not a date; write YYYY-MM-DD, e.g. 2014-06-30") from None


def run_compare(
    packages,
    output=None,
    *,
    by: str | None = None,
    labels=None,
    select=None,
    region_labels: dict | None = None,
    seed: int = 42,
    samples: int | None = None,
    min_organisations: int = 10,
    lang: str = "sv",
    as_of=None,
    period=None,
    top_bridging: int = 3,
    betweenness_sources: int | None = None,
    overtime: OverTimeSpec | None = None,
    progress=None,
    rank_by: str | None = None,
    title: str | None = None,
) -> CompareResult:
    """Compare regions and write every output into ``output``.

    Parameters
    ----------
    packages : sequence of Package or path
        Several packages (each a region), or one package with ``by``.
    output : path, optional
        Output folder; None computes without writing.
    by : str, optional
        Split the one package by this organisations column (``region``, ``nuts2``, ``nuts3``,
        ``country``, ``municipality``, or any other column).
    labels : sequence of str, optional
        Region names for the packages (default: folder names).
    select : sequence of str, optional
        With ``by``: compare only these values.
    region_labels : mapping, optional
        With ``by``: display names of values.
    seed, samples, min_organisations, lang, as_of, period, top_bridging, betweenness_sources, rank_by, title
        See :class:`~samverkan.compare.config.CompareOptions`.
    overtime : OverTimeSpec, optional
        Follow every region between two time points or periods; with ``packages`` set in the
        spec, the two packages labelled so are one region at two times.

    Returns
    -------
    CompareResult
        With ``directory`` and ``files`` set when written.

    Raises
    ------
    UsageError
        Bad options (no packages, ``by`` with several packages, an unknown column...).
    InputError
        A package has errors.
    """
    packages = list(packages)
    if not packages:
        raise UsageError("give two or more packages, or one package with by (e.g. by='region')")
    period = tuple(_as_date(p) for p in period) if period is not None else None
    options = CompareOptions(
        seed=int(seed),
        samples=samples,
        min_organisations=int(min_organisations if min_organisations is not None else 10),
        lang=lang,
        as_of=_as_date(as_of),
        period=period,
        top_bridging=int(top_bridging),
        betweenness_sources=betweenness_sources,
        rank_by=rank_by or None,
        title=title or None,
    )
    clock = time.perf_counter()
    loaded = load_packages(packages)
    read_time = time.perf_counter() - clock
    if by is not None:
        if len(loaded) != 1:
            raise UsageError(f"by splits ONE package, but {len(loaded)} were given; give one package, or leave out by to compare packages as regions")
        if labels is not None:
            raise UsageError("labels name packages; to rename split values give region_labels")
        region_set = split_package(loaded[0], by, select=select, labels=region_labels, lang=options.lang)
        title = f"{loaded[0].title or 'samverkan'}: {region_set.by}"
    else:
        if select is not None or region_labels:
            raise UsageError("select and region_labels need by: they refer to values of the split column")
        region_set = regions_from_packages(loaded, labels, lang=options.lang)
        title = " · ".join(p.title or label for p, label in zip(loaded, region_set.labels))
    overtime_packages = None
    if overtime is not None and overtime.packages is not None:
        names = region_set.labels
        missing = [p for p in overtime.packages if p not in names]
        if missing:
            raise UsageError(f"over time names the package '{missing[0]}', which is not among the regions ({', '.join(names)})")
        overtime_packages = [region_set.regions[names.index(p)].package for p in overtime.packages]
    result = compare_regions(region_set, options, overtime=overtime, overtime_packages=overtime_packages, progress=progress, title=title)
    result.timings["read"] = read_time
    if output is not None:
        _progress(progress, "writing")
        write_compare(result, Path(output))
    result.timings["total"] = time.perf_counter() - clock
    return result


def run_compare_config(path, *, output=None, progress=None, **overrides) -> CompareResult:
    """Rebuild the whole benchmark a ``samverkan.toml`` names, and write it.

    Parameters
    ----------
    path : path
        The config file (format: :mod:`samverkan.compare.config`).
    output : path, optional
        Overrides the file's ``output`` (which is relative to the file).
    **overrides
        Options that override the file's when given and not None: ``seed``, ``samples``,
        ``min_organisations``, ``lang``, ``top_bridging``, ``betweenness_sources``.

    Raises
    ------
    InputError
        The config (or a package it names) has errors, every one listed.
    """
    config = load_config(path)
    allowed = {"seed", "samples", "min_organisations", "lang", "top_bridging", "betweenness_sources", "rank_by", "title"}
    unknown = set(overrides) - allowed
    if unknown:
        raise UsageError(f"unknown option(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(allowed))}")
    options = replace(config.options, **{k: v for k, v in overrides.items() if v is not None})
    return run_compare(
        config.packages,
        output if output is not None else config.output,
        by=config.by,
        labels=None if config.by else config.labels,
        select=config.select,
        region_labels=config.region_labels,
        seed=options.seed,
        samples=options.samples,
        min_organisations=options.min_organisations,
        lang=options.lang,
        as_of=options.as_of,
        period=options.period,
        top_bridging=options.top_bridging,
        betweenness_sources=options.betweenness_sources,
        overtime=config.overtime,
        progress=progress,
        rank_by=options.rank_by,
        title=options.title,
    )


def compare(
    packages,
    *,
    by: str | None = None,
    labels=None,
    rank_by: str | None = None,
    title: str | None = None,
    lang: str = "sv",
    seed: int = 42,
    samples: int | None = None,
    min_organisations: int = 10,
    as_of=None,
    period=None,
    progress=None,
) -> CompareResult:
    """Compare regions: several packages or paths (each a region), or one package split ``by`` an attribute.

    The Python API's ``samverkan.compare([...])``. Nothing is written; the result's
    ``write(directory)`` writes what ``samverkan compare`` writes. Returns a
    :class:`CompareResult` (``comparison``, ``null_model``, ``inter_region`` DataFrames,
    ``summary``, ``rank_by``, ``ranked()``). ``samples=0`` skips the null model (fast; regions
    are then ranked by mean degree unless ``rank_by`` says otherwise).
    """
    return run_compare(
        list(packages),
        None,
        by=by,
        labels=labels,
        rank_by=rank_by,
        title=title,
        lang=lang,
        seed=seed,
        samples=samples,
        min_organisations=min_organisations,
        as_of=as_of,
        period=period,
        progress=progress,
    )
