"""The ``samverkan`` command as installed: the CLI, then a quick exit.

At its normal exit Python frees every object of the finished run one by one and runs every
finaliser. After an analysis of Horizon 2020 that is millions of objects and took 0.7–1.2 s,
a twentieth of the whole run, to reach a state the operating system reaches at once when the
process ends. So once the CLI has finished (its outputs written and closed, its workers joined),
the command flushes its output and ends the process directly. The Python API and the tests call
:func:`samverkan.cli.main` or :mod:`samverkan.api` and exit as usual.
"""

from __future__ import annotations

import os
import sys

__all__ = ["cli_exit_code", "quick_exit", "run"]


def cli_exit_code(argv: list[str] | None = None) -> int:
    """Run the CLI (``argv``: the arguments after the command; default the process's) and return its exit code."""
    from .cli import INTERRUPTED, main

    try:
        main(args=argv)
    except KeyboardInterrupt:  # Ctrl-C as click unwinds, outside a command's own handling: the same outcome
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except SystemExit as stop:  # click ends every command this way
        code = stop.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)  # as sys.exit("message") does
        return 1
    return 0


def quick_exit(code: int) -> None:
    """End the process with ``code`` after flushing the terminal output, without freeing the heap object by object."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # closed or replaced stream: nothing left to flush
            pass
    os._exit(code)


def run() -> None:  # pragma: no cover - ends the process; tested through a subprocess
    """The console script ``samverkan`` and ``python -m samverkan``."""
    quick_exit(cli_exit_code())
