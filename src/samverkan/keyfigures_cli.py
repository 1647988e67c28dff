"""``samverkan key-figures``: add key figures (Kolada and the like) to a package.

Registered in :mod:`samverkan.cli` with one line: ``main.add_command(key_figures)``. Parses the
options, calls :func:`samverkan.io.key_figures.add_key_figures`, prints what was done; library
errors become messages and exit codes as everywhere else (1 input errors, 2 usage errors).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import InputError, SamverkanError, UsageError, format_problems

__all__ = ["key_figures"]


@click.group(name="key-figures", context_settings={"help_option_names": ["-h", "--help"]})
def key_figures():
    """Key figures (e.g. from Kolada) beside the network: import them into a package.

    `validate` checks the package's key_figures table; `analyse` writes key_figures.csv and a report
    section; `compare` carries each region's value (rank with --rank-by kf_<indicator>).

    \b
    Examples:
      samverkan key-figures import kolada.json -o data/sodertorn-2009 --name "N00914=Andel utrikes födda"
      samverkan key-figures import nyckeltal.csv -o mitt-paket.xlsx
    """


@key_figures.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", "package", required=True, type=click.Path(path_type=Path), help="The package to add the key figures to: a folder, or an .xlsx workbook.")
@click.option("--name", "names", multiple=True, metavar="ID=TEXT", help='Name of an indicator, e.g. --name "N00914=Andel utrikes födda"; repeat for more. Wins over names in the files.')
@click.option("--names", "names_file", type=click.Path(path_type=Path), default=None, help="Metadata file with indicator names: Kolada's KPI JSON, or a table with columns id and title.")
@click.option("--replace", is_flag=True, help="Where the package already has another value for the same area, indicator, period and gender, take the new one (default: refuse).")
@click.option("--source", default=None, help="Text for the source column where the file gives none (default: 'Kolada' for Kolada's JSON, else empty).")
@click.option("--sheet", default=None, help="Sheet to read when FILE is an Excel workbook (default: the first with a table).")
def import_(file: Path, package: Path, names: tuple[str, ...], names_file: Path | None, replace: bool, source: str | None, sheet: str | None):
    """Add the key figures in FILE to the package.

    FILE is Kolada's API JSON (one page, several pages one after the other, or a list of
    pages), a table downloaded from Kolada (CSV or Excel, long or one column per year) or a
    plain long table with columns area, indicator, period, value (and optionally gender, unit,
    indicator_name, source). Only the key_figures table of the package is written (atomically);
    nothing is written when a row cannot be placed.

    \b
    Examples:
      samverkan key-figures import kolada.json -o data/sodertorn-2009 --names kpi.json
      samverkan key-figures import nyckeltal.csv -o mitt-paket.xlsx --name "X1=Andel i arbete" --replace
    """
    from .io.key_figures import add_key_figures, parse_name_options, read_names_file

    try:
        given = {}
        if names_file is not None:
            given.update(read_names_file(names_file))
        given.update(parse_name_options(names))
        done = add_key_figures(package, file, names=given, replace=replace, source=source, sheet=sheet)
    except InputError as exc:
        click.echo(exc.report(), err=True)
        click.echo("Nothing was written.", err=True)
        sys.exit(1)
    except UsageError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except SamverkanError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        click.echo(f"Error: cannot read or write{where}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    if done["warnings"]:
        click.echo(format_problems(done["warnings"]), err=True)
    click.echo(f"{done['file']}: {done['rows']} key figure row(s); {done['added']} added, {done['unchanged']} already there, {done['replaced']} replaced; read as {done['format']}")
    click.echo(f"indicators: {', '.join(done['indicators'])}")
    if done["unnamed"]:
        click.echo(f"without a name (shown by id; give one with --name ID=TEXT): {', '.join(done['unnamed'])}")
