"""The ``samverkan`` command: parse options, call the library, print results.

Library errors become messages and exit codes here: 0 success, 1 errors in the input (the full
validation report is printed), 2 a usage error. No traceback reaches the user for bad input.
"""

from __future__ import annotations

import dataclasses

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import InputError, SamverkanError, UsageError, format_problems
from .options import DATE, KEY_PLAYERS_MAX, MAX_NODES_MAX, SAMPLE_MAX, SAMPLES_MAX, SEED, Bounded, OutputPath
from .terminal import echo as _echo

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "data"


def _examples_dir() -> Path:
    """The bundled example packages: next to the source tree (a clone, an editable install), else
    ``data/`` in the current folder (a clone installed with ``pip install .``, run from the clone)."""
    for candidate in (EXAMPLES_DIR, Path.cwd() / "data"):
        if (candidate / "orebro-2014").is_dir() and (candidate / "sodertorn-2009").is_dir():
            return candidate
    return EXAMPLES_DIR


def _echo_err(text: str) -> None:
    _echo(text, err=True)  # control characters of names shown escaped (samverkan.terminal)


INTERRUPTED = "Interrupted; outputs already written are complete, none is half-written."
"""What an interrupted command says (Ctrl-C, exit code 130)."""


def _run(action):
    """Run a library call, turning samverkan errors into messages and exit codes."""
    try:
        return action()
    except InputError as exc:
        _echo_err(exc.report())
        sys.exit(1)
    except UsageError as exc:
        _echo_err(f"Error: {exc}")
        sys.exit(2)
    except SamverkanError as exc:
        _echo_err(f"Error: {exc}")
        sys.exit(exc.exit_code)
    except OSError as exc:  # an output that cannot be created: a file in the way, no permission, a full disk
        where = f" {exc.filename}" if exc.filename else ""
        _echo_err(f"Error: cannot write{where}: {exc.strerror or exc}; choose another output location")
        sys.exit(2)
    except RecursionError:  # an input nested thousands deep, read by a recursive library parser
        _echo_err("Error: an input is nested too deeply to read (thousands of levels of [ or {); samverkan's files need only a few levels")
        sys.exit(2)
    except KeyboardInterrupt:
        _echo_err(INTERRUPTED)
        sys.exit(130)
    except Exception as exc:  # an internal fault, not the user's: say so briefly
        if os.environ.get("SAMVERKAN_DEBUG"):
            raise
        _echo_err(f"Internal error ({exc.__class__.__name__}: {exc}). This is a bug in samverkan, not in your data; run again with SAMVERKAN_DEBUG=1 for details.")
        sys.exit(3)


class _Progress:
    """Progress messages on stderr when it is a terminal (rich spinner), silent otherwise."""

    def __init__(self, quiet: bool = False):
        self.enabled = not quiet and sys.stderr.isatty()
        self._status = None

    def __enter__(self):
        if self.enabled:
            from rich.console import Console

            self._status = Console(stderr=True).status("samverkan")
            self._status.__enter__()
        return self

    def __call__(self, message: str) -> None:
        if self._status is not None:
            self._status.update(message)

    def __exit__(self, *exc):
        if self._status is not None:
            self._status.__exit__(*exc)


def _read(path: Path, *, quiet: bool = False):
    """Validate and read a package; print its warnings (not when quiet)."""
    from .io.package import read_package

    package = read_package(path)
    if package.warnings and not quiet:
        _echo_err(format_problems(package.warnings))
    return package


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="samverkan")
def main():
    """samverkan: how regional collaboration really works.

    Loads organisations, contacts and joint projects (with each party's role), measures
    collaboration density, ownership gaps and bridging actors, and writes network views,
    a report and comparisons across regions.

    \b
    Examples:
      samverkan init mitt-paket
      samverkan validate mitt-paket
      samverkan analyse mitt-paket -o reports/mitt-paket
      samverkan demo
    """
    _tolerant_console()
    _terminate_cleanly()


def _terminate_cleanly() -> None:
    """SIGTERM ends a run like Ctrl-C: the temporary output folder goes, the previous set stays."""
    import signal

    owner = os.getpid()

    def stop(signum, frame):
        if os.getpid() != owner:  # a forked worker, terminated before it reset the handler
            os._exit(143)
        raise SystemExit(143)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # pragma: no cover - not the main thread (an embedding application)
        return
    context = click.get_current_context(silent=True)
    if context is not None:  # in-process callers (tests, embedding) get their handler back
        context.call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


def _tolerant_console() -> None:
    """A console that cannot show a character (cp1252 on Windows) shows a replacement, not a traceback."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # pragma: no cover - a detached or closed stream
                pass


@main.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default=None, help="A folder of CSV files (default) or one Excel workbook; taken from the name when it ends in .xlsx.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True, help="Language of the column explanations.")
def init(package: Path, fmt: str | None, lang: str):
    """Write a blank template package, with a sheet/file explaining every column.

    \b
    Examples:
      samverkan init mitt-paket            (a folder of CSV files)
      samverkan init mitt-paket.xlsx       (one Excel workbook)
    """
    from .io.output import output_folder, resolve_output
    from .io.template import write_template

    def action():
        if (fmt or ("xlsx" if package.suffix.lower() == ".xlsx" else "csv")) == "xlsx":
            return write_template(package, format="xlsx", lang=lang)  # one file, written atomically
        target = resolve_output(package, option="PACKAGE")
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise UsageError(f"{package} already exists and is not empty; choose a new folder (samverkan never overwrites your files)")
        with output_folder(target, command="init") as temporary:  # the whole package or none
            write_template(temporary, format="csv", lang=lang)
        return package

    path = _run(action)
    _echo(f"Wrote a blank package to {path}. Fill it in, then run: samverkan validate {path}")


PROBLEMS_SHOWN = 50  # problems printed; --problems FILE.csv receives every one


def _problems_option(function):
    return click.option(
        "--problems", "problems_file", type=click.Path(path_type=Path), default=None, help="Write every problem (file, row, column, severity, code, message, value, hint) to this CSV file."
    )(function)


def _write_problems(problems, path) -> None:
    if path is None:
        return
    from .io.problems import write_problems

    _run(lambda: write_problems(problems, path))
    _echo_err(f"Every problem ({len(problems):,}) is in {path}.")


def _show_problems(problems, path, *, err: bool = False) -> None:
    text = format_problems(problems, limit=PROBLEMS_SHOWN, full_list=str(path) if path else None)
    _echo(text, err=err)  # values from the input: control characters shown escaped


@main.command()
@click.argument("package", type=click.Path(path_type=Path))
@_problems_option
def validate(package: Path, problems_file: Path | None):
    """Check a package and list every problem: FILE:ROW:COLUMN: message.

    Rows are numbered as Excel shows them (the header is row 1). Exit code 0 when the package is
    valid (warnings allowed), 1 when it has errors, 2 for a usage error.

    \b
    Examples:
      samverkan validate data/orebro-2014
      samverkan validate paket.xlsx
    """
    from .io.package import validate_package

    result, problems = _run(lambda: validate_package(package))
    _write_problems(problems, problems_file)
    _show_problems(problems, problems_file)
    if result is None:
        sys.exit(1)


@main.command(name="import")
@click.argument("table", type=click.Path(path_type=Path))
@click.option("--map", "mapping", required=True, type=click.Path(path_type=Path), help="Mapping file (TOML) naming the table's columns and role values; see data/mappings/README.md.")
@click.option("-o", "--output", required=True, type=OutputPath(), help="Package to write: a folder, or a file ending in .xlsx.")
@click.option("--sheet", default=None, help="Sheet to read when TABLE is an Excel workbook (default: the first).")
@click.option("--force", is_flag=True, help="Overwrite an existing output package.")
@_problems_option
def import_(table: Path, mapping: Path, output: Path, sheet: str | None, force: bool, problems_file: Path | None):
    """Turn a flat table (one row per project × organisation) into a package.

    \b
    Examples:
      samverkan import ../shared/data/interreg-se-2021-2027/interreg_swedish_partners.csv \\
          --map data/mappings/interreg.toml -o reports/interreg-package
      samverkan import ../shared/data/cordis-h2020/h2020.csv.gz \\
          --map data/mappings/cordis-h2020.toml -o reports/h2020-package
    """
    from .io.flat_import import import_flat_table
    from .io.mapping import load_mapping
    from .io.output import output_folder
    from .io.package import validate_package, write_package

    def action():
        target = output.resolve()
        for given in (table, mapping):
            source = given.resolve()
            if source == target or target in source.parents:
                raise UsageError(f"the output {output} would overwrite or hold the input {given}; choose another -o")
        if output.exists() and any(output.iterdir() if output.is_dir() else [output]) and not force:
            raise UsageError(f"{output} already exists; use --force to overwrite it or choose another -o")
        try:
            result = import_flat_table(table, load_mapping(mapping), sheet=sheet)
        except InputError as exc:
            _write_problems(exc.problems, problems_file)
            raise
        errors = [p for p in result.problems if p.is_error]
        if errors:
            _write_problems(result.problems, problems_file)
            raise InputError(result.problems)
        if output.suffix.lower() in (".xlsx", ".xlsm"):  # one file, written atomically
            write_package(result.package, output)
            return result, validate_package(output)[1]
        # a folder: written whole beside the target and swapped in, or not at all
        with output_folder(output, command="import", label=table.name, force=force, package_ok=True) as temporary:
            write_package(result.package, temporary)
            _, problems = validate_package(temporary)
            if any(p.is_error for p in problems):
                raise InputError(problems)  # a package that would not validate is not swapped in
        return result, problems

    result, problems = _run(action)
    everything = list(result.problems) + [p for p in problems if p.is_error]
    _write_problems(everything, problems_file)
    if result.problems:
        _show_problems(result.problems, problems_file, err=True)
    counts = ", ".join(f"{k.replace('_', ' ')}: {v:,}" for k, v in result.counts.items())
    _echo(f"Wrote {output} ({counts}).")
    if not result.counts.get("participations"):
        _echo_err(f"The package is empty: no participation was read from {table}; check the mapping's columns and the table's rows.")
    errors = [p for p in problems if p.is_error]
    if errors:
        _show_problems(problems, problems_file, err=True)
        sys.exit(1)


def _analysis_options(lang, group_by, as_of, period, seed, sample, pseudonymise, *, sub_projects="separate", title=None):
    from .analysis import AnalysisOptions

    if as_of and period:
        raise UsageError("give either --as-of or --period, not both")
    if period and period[1] < period[0]:
        raise UsageError(f"--period ends ({period[1]}) before it starts ({period[0]})")
    return AnalysisOptions(
        lang=lang,
        group_by=group_by,
        as_of=as_of,
        period=tuple(period) if period else None,
        seed=seed,
        sample=sample,
        pseudonymise=pseudonymise,
        sub_projects=sub_projects,
        title=(title or "").strip() or None,
    )


def _common_analysis_options(function):
    options = [
        click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True, help="Language of every human-readable text."),
        click.option(
            "--group-by", default="type", show_default=True, help="Organisation attribute for block density, E-I index and brokerage: type, level, municipality, region, or any organisation column."
        ),
        click.option("--as-of", type=DATE, default=None, help="Only what was active on this date (YYYY-MM-DD)."),
        click.option("--period", type=(DATE, DATE), default=None, help="Only what was active at some time in FROM TO."),
        click.option("--seed", type=SEED, default=42, show_default=True, help="Seed for communities, layouts and sampling (results are reproducible)."),
        click.option(
            "--sample",
            type=Bounded(1, SAMPLE_MAX, what="--sample (sampled sources)"),
            default=None,
            help="Estimate betweenness from this many sampled sources (default: exact up to the documented size).",
        ),
        click.option("--pseudonymise", is_flag=True, help="Replace contact names, e-mails and ids by stable pseudonyms in every output."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@main.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=OutputPath(), help="Folder for the outputs (created if missing; a rerun replaces the whole previous set).")
@click.option("--force", is_flag=True, help="Replace the contents of a non-empty folder that samverkan did not write (never a package).")
@_common_analysis_options
@click.option("--size-by", default="betweenness", show_default=True, help="Metric that sizes the nodes in the views: betweenness, degree, eigenvector, ...")
@click.option("--no-views", is_flag=True, help="Write only the tables (CSV, JSON, Excel), no HTML or figures.")
@click.option(
    "--sub-projects",
    type=click.Choice(["separate", "merge"]),
    default="separate",
    show_default=True,
    help="separate: every sub-project is a project of its own (two organisations in a project and its sub-project share two); merge: a sub-project's participants count in its top-level project, once.",
)
@click.option("--title", default=None, help="Title of the report and views [default: the package's own title: its README's first heading or the mapping's [source] description].")
@click.option("--without", "without", multiple=True, metavar="ORG", help="Analyse the network as if this organisation (id or name) had left; repeat for several. The report opens with before → after.")
@click.option(
    "--key-players",
    "key_players",
    type=Bounded(0, KEY_PLAYERS_MAX, what="--key-players (largest key-player set)", why="sets are searched for sizes 1 … K"),
    default=3,
    show_default=True,
    help="Key-player sets (Borgatti 2006) of sizes 1 … K; 0 for none.",
)
@click.option("--geo", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="GeoJSON of your own areas for map.html/.svg/.png (default: Sweden's municipalities, bundled).")
@click.option("--geo-key", default=None, metavar="PROPERTY", help="The property of --geo holding the code or name the package uses for a municipality.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def analyse(package, output, force, lang, group_by, as_of, period, seed, sample, pseudonymise, size_by, no_views, sub_projects, title, geo, geo_key, without, key_players, quiet):
    """Measure density, ownership gaps, white spots and bridging actors; write tables, views and a report.

    \b
    Writes to OUTPUT: organisations.csv, ties.csv, projects.csv, findings.csv, white_spots.csv,
    key_players.csv, suggestions.csv, missing_ties.csv, summary.json, analysis.xlsx, network.html, network.png/.svg, efforts.html, index.html,
    graph.graphml/.gexf/.json.

    \b
    Examples:
      samverkan analyse data/sodertorn-2009 -o reports/sodertorn
      samverkan analyse data/orebro-2014 -o reports/orebro --lang en --group-by level
      samverkan analyse paket -o ut --period 2014-01-01 2014-12-31 --pseudonymise
      samverkan analyse data/sodertorn-2009 -o reports/utan-af --without af --key-players 2
    """
    from .pipeline import run_analysis, sampling_plan, standby_path_worker, standby_writers

    if quiet:
        # -q prints only errors. Library warnings (matplotlib's missing glyphs, numpy overflow
        # notices) concern drawing and rounding, not the results: silenced, as the option says
        import warnings

        warnings.simplefilter("ignore")

    options = _run(lambda: _analysis_options(lang, group_by, as_of, period, seed, sample, pseudonymise, sub_projects=sub_projects, title=title))
    if geo is not None or geo_key is not None:
        if geo is None or not geo_key:
            _echo_err("Error: --geo-key needs --geo FILE" if geo is None else "Error: --geo needs --geo-key PROPERTY (the property holding the code or name the package uses)")
            sys.exit(2)
        options = dataclasses.replace(options, geo=str(geo), geo_key=geo_key)
    options = dataclasses.replace(options, key_players=key_players)
    # a small package's writers' worker imports matplotlib and the page kit while this process reads and analyses;
    # a large package's path worker loads the compiled searches while this process reads it
    standby = None if no_views else standby_writers(package)
    path_worker = standby_path_worker(package) if standby is None else None
    try:
        data = _run(lambda: _read(package, quiet=quiet))
        if without:  # every name checked before work starts: an unknown one is a usage error with close matches
            from .whatif import resolve_organisations

            options = dataclasses.replace(options, without=tuple(_run(lambda: resolve_organisations(data, without))))
        plan = sampling_plan(data, options)
        if plan and not quiet:
            _echo_err(plan)
        with _Progress(quiet) as progress:
            result, written = _run(lambda: run_analysis(data, output, options, views=not no_views, size_by=size_by, progress=progress, force=force, standby=standby, path_worker=path_worker))
    finally:
        for worker in (standby, path_worker):
            if worker is not None:
                worker.cancel()
    if not quiet:
        from .pipeline import terminal_summary

        _echo(terminal_summary(result, output))


@main.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=OutputPath(), help="HTML file to write.")
@click.option("--force", is_flag=True, help="Write the view into a folder of another samverkan run's outputs.")
@click.option("--ego", default=None, help="Show one organisation (id or name) and its partners, with roles.")
@click.option("--two-mode", is_flag=True, help="Show organisations and projects, with roles on the edges.")
@_common_analysis_options
@click.option("--size-by", default="betweenness", show_default=True, help="Metric that sizes the nodes.")
@click.option(
    "--max-nodes",
    type=Bounded(1, MAX_NODES_MAX, what="--max-nodes"),
    default=1500,
    show_default=True,
    help="Above this many organisations, show the backbone (the most central ones) and say what was left out.",
)
def view(package, output, force, ego, two_mode, lang, group_by, as_of, period, seed, sample, pseudonymise, size_by, max_nodes):
    """Write one interactive network view (self-contained HTML, works offline).

    \b
    Examples:
      samverkan view data/sodertorn-2009 -o reports/sodertorn-network.html
      samverkan view data/sodertorn-2009 --ego huddinge -o reports/huddinge.html
      samverkan view data/orebro-2014 --two-mode -o reports/orebro-projects.html
    """
    from .pipeline import run_view

    if ego and two_mode:
        raise click.UsageError("--ego shows one organisation's own network and --two-mode the whole two-mode network; give one of them")
    options = _run(lambda: _analysis_options(lang, group_by, as_of, period, seed, sample, pseudonymise))
    facts = _run(lambda: run_view(_read(package), output, options, ego=ego, two_mode=two_mode, size_by=size_by, max_nodes=max_nodes, force=force))
    _echo(f"Wrote {output} ({facts.get('nodes_shown', '?')} of {facts.get('nodes_total', '?')} nodes shown).")


@main.command()
@click.argument("packages", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=OutputPath(), default=None, help="Folder for the comparison (required unless the config names one).")
@click.option("--force", is_flag=True, help="Replace the contents of a non-empty folder that samverkan did not write (never a package).")
@click.option("--by", "split_by", default=None, help="Split ONE package by an organisation attribute: region, nuts2, nuts3, country, municipality...")
@click.option("--config", "config", type=click.Path(path_type=Path), default=None, help="A samverkan.toml naming packages, regions, periods and options: rebuilds the whole benchmark.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default=None, help="Language of the page and notes [default: sv, or the config's].")
@click.option("--seed", type=SEED, default=None, help="Seed of the null model and sampling [default: 42, or the config's].")
@click.option("--samples", type=Bounded(1, SAMPLES_MAX, what="--samples"), default=None, help="Null-model samples per region (default: documented, fewer for large regions).")
@click.option("--min-organisations", type=Bounded(1, 10_000_000, what="--min-organisations"), default=None, help="Regions with fewer organisations are flagged as too thin to rank.")
@click.option("--rank-by", default=None, help="Comparison column the regions are ranked by [default: density_z, density against the null model; mean_degree without it].")
@click.option("--title", default=None, help="Title of the comparison page [default: the packages' own titles].")
def compare(packages, output, force, split_by, config, lang, seed, samples, min_organisations, rank_by, title):
    """Compare regions fairly: several packages, or one package split by an attribute.

    \b
    Examples:
      samverkan compare data/orebro-2014 data/sodertorn-2009 -o reports/comparison
      samverkan compare reports/interreg-package --by nuts2 -o reports/interreg-nuts2
      samverkan compare --config samverkan.toml
    """
    from .pipeline import run_compare_cli

    written = _run(
        lambda: run_compare_cli(
            list(packages), output=output, split_by=split_by, config=config, lang=lang, seed=seed, samples=samples, min_organisations=min_organisations, rank_by=rank_by, title=title, force=force
        )
    )
    _echo(f"Wrote the comparison to {written}. Open {Path(written) / 'index.html'} in a browser.")


@main.command()
@click.option("-o", "--output", type=OutputPath(), default=Path("reports"), show_default=True, help="Folder for the demo outputs.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
def demo(output: Path, lang: str):
    """Run the main job on the bundled example regions (Örebro 2014, Södertörn 2009).

    \b
    Example:
      samverkan demo            (writes reports/orebro-2014, reports/sodertorn-2009, reports/comparison)
    """
    from .pipeline import run_demo

    with _Progress() as progress:
        lines = _run(lambda: run_demo(_examples_dir(), output, lang=lang, progress=progress))
    _echo("\n".join(lines))


from .keyfigures_cli import key_figures  # noqa: E402  (samverkan key-figures import)

main.add_command(key_figures)


def run_main() -> None:
    """``main()`` with a Ctrl-C that lands outside a command's own handling (as click unwinds) ending as one inside it does: exit 130, no traceback."""
    try:
        main()
    except KeyboardInterrupt:
        _echo_err(INTERRUPTED)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    run_main()
