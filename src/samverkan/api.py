"""The Python API: read a package, analyse it, compare regions; the CLI is a thin layer over it.

>>> import samverkan
>>> a = samverkan.analyse("data/sodertorn-2009", lang="en")      # doctest: +SKIP
>>> a.organisations.head()                                          # doctest: +SKIP

Nothing here writes to disk unless asked (``.write(directory)``), and nothing prints.
Everything runs in this process, so it is safe in Jupyter; only :meth:`AnalysisResult.write`
may use a second process, and only where that pays off and is safe (see
:func:`samverkan.pipeline.write_result`). See ``docs/python-api.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from .analysis import AnalysisOptions, AnalysisResult
from .analysis import analyse as _analyse_package
from .errors import UsageError
from .io.package import Package
from .io.package import read_package as _read_package

__all__ = ["read_package", "analyse", "compare", "Analysis"]


class Analysis(AnalysisResult):
    """What :func:`analyse` returns: an :class:`~samverkan.analysis.AnalysisResult` that can write itself."""

    def write(self, directory, *, views: bool = True, size_by: str = "betweenness", workers: bool | None = None, force: bool = False) -> list[Path]:
        """Write every file ``samverkan analyse`` writes into ``directory``; return the paths written.

        ``views=False`` writes only the tables (CSV, JSON, Excel). ``workers`` None lets the
        pipeline use a second process only where that pays off and is safe (a forked worker on
        Linux, never inside Jupyter/IPython); False keeps everything in this process. The set is
        written whole or not at all, as by the CLI (a folder holding other files needs ``force``;
        a package is never written into).
        """
        from .io.output import output_folder, resolve_output
        from .pipeline import package_label, write_result

        final = resolve_output(Path(directory))
        with output_folder(final, command="analyse", label=package_label(self.package), force=force) as temporary:
            written = write_result(self, temporary, views=views, size_by=size_by, workers=workers)
        return [final / Path(p).relative_to(temporary) for p in written]


def read_package(source) -> Package:
    """A validated package from a folder of CSV files, an ``.xlsx`` workbook, or a path string.

    Raises :class:`samverkan.errors.InputError` carrying every problem found (``.problems``,
    each with file, row, column, severity and message) when the package has errors. A
    :class:`~samverkan.io.package.Package` given is returned as it is.
    """
    if isinstance(source, Package):
        return source
    return _read_package(Path(source))


def _date(value, name: str):
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{name}='{value}' is not a date; write YYYY-MM-DD, e.g. 2014-06-30") from None


def analyse(
    package,
    *,
    lang: str = "sv",
    group_by: str = "type",
    as_of=None,
    period=None,
    seed: int = 42,
    sample: int | None = None,
    pseudonymise: bool = False,
    top_bridging: int = 10,
    sub_projects: str = "separate",
    title: str | None = None,
    without=(),
    key_players: int = 3,
    progress=None,
) -> AnalysisResult:
    """Analyse a package: every metric and finding ``samverkan analyse`` computes, nothing written.

    Parameters
    ----------
    package : Package or path
        A package from :func:`read_package`, or its folder / workbook path.
    lang : {"sv", "en"}
        Language of the texts (findings' messages, notes).
    group_by : str
        Organisation attribute for block density, E-I index and brokerage.
    as_of : date or "YYYY-MM-DD", optional
        The reference date: only what was running that day. Default: today when the data runs
        beyond today, else the data's latest date (``summary["as_of"]`` and
        ``summary["as_of_reason"]`` say which and why).
    period : (date, date), optional
        Only what was running at some time in the period (not with ``as_of``).
    seed, sample, pseudonymise, top_bridging
        As the CLI's ``--seed``, ``--sample``, ``--pseudonymise``; bridging actors listed.
    sub_projects : {"separate", "merge"}
        How sub-projects count in the collaboration graph (see
        :func:`samverkan.graph.projection.merge_sub_projects`).
    title : str, optional
        The title of the pages; default the package's own.
    without : sequence of str, optional
        Organisations (ids or exact names) to analyse the network without, as if they had left
        (:mod:`samverkan.whatif`); ``summary["whatif"]`` and ``.whatif`` hold before → after.
        An unknown one raises :class:`~samverkan.errors.UsageError` naming the closest.
    key_players : int
        Key-player sets (Borgatti 2006) of sizes 1 … ``key_players`` (0 for none): ``.key_players``.

    Returns
    -------
    Analysis
        DataFrames ``organisations``, ``ties``, ``projects``, ``findings``, ``white_spots``
        (and ``bridging``, ``coverage``, ``block_density``, ``contact_ties``, ``key_players``,
        ``suggestions``, ``missing_ties``), the ``summary``
        dict (the content of summary.json), ``title``, and ``write(directory)``.
    """
    if lang not in ("sv", "en"):
        raise UsageError(f"lang is 'sv' or 'en', not '{lang}'")
    as_of = _date(as_of, "as_of")
    if period is not None:
        period = tuple(_date(p, "period") for p in period)
        if len(period) != 2:
            raise UsageError("period is two dates: (start, end)")
        if period[1] < period[0]:
            raise UsageError(f"the period ends ({period[1]}) before it starts ({period[0]})")
    if as_of is not None and period is not None:
        raise UsageError("give either as_of or period, not both")
    if isinstance(without, str):
        without = [without]
    if isinstance(key_players, bool) or not isinstance(key_players, int) or not 0 <= key_players <= 10:
        raise UsageError(f"key_players is a whole number from 0 to 10, not {key_players!r}")
    data = read_package(package)
    if without:
        from .whatif import resolve_organisations

        without = tuple(resolve_organisations(data, list(without)))
    options = AnalysisOptions(
        without=tuple(without),
        key_players=key_players,
        lang=lang,
        group_by=group_by,
        as_of=as_of,
        period=period,
        seed=int(seed),
        sample=sample,
        pseudonymise=bool(pseudonymise),
        top_bridging=int(top_bridging),
        sub_projects=sub_projects,
        title=(title or "").strip() or None,
    )
    result = _analyse_package(data, options, progress=progress)
    return Analysis(**{f.name: getattr(result, f.name) for f in dataclasses.fields(result)})


def compare(packages, **options):
    """Compare regions; see :func:`samverkan.compare.run.compare` (nothing is written)."""
    from .compare.run import compare as _compare

    return _compare([read_package(p) for p in packages], **options)
