"""Every value a user can type, checked before work starts (click parameter types).

Each type turns a bad value into a usage error (exit 2) that says what would be right, instead
of an internal error deep inside an analysis: seeds outside 0 … 2³²−1 (numpy's and igraph's
range), sample sizes of 0 or less or absurdly large, dates that do not exist, an empty or
unresolvable output path.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

__all__ = ["DATE", "KEY_PLAYERS_MAX", "MAX_NODES_MAX", "SAMPLES_MAX", "SAMPLE_MAX", "SEED", "SEED_MAX", "Bounded", "OutputPath", "check_period"]

SEED_MAX = 2**32 - 1  # numpy.random.default_rng and igraph's RNG take unsigned 32-bit seeds
SAMPLE_MAX = 1_000_000  # betweenness sources: beyond this exact computation is cheaper than sampling
SAMPLES_MAX = 100_000  # null-model samples per region: the error of the mean is far below the display precision
MAX_NODES_MAX = 100_000  # a browser cannot draw more nodes than this
KEY_PLAYERS_MAX = 10  # key-player sets of sizes 1 … K: beyond ten the sets say nothing a reader can act on


class Bounded(click.ParamType):
    """A whole number within ``low`` … ``high``; the message names the range and the reason."""

    name = "INTEGER"

    def __init__(self, low: int, high: int, *, what: str, why: str = ""):
        self.low, self.high, self.what, self.why = low, high, what, why

    def convert(self, value, param, ctx):
        if isinstance(value, bool):
            self.fail(f"{self.what} must be a whole number", param, ctx)
        if isinstance(value, int):
            number = value
        else:
            text = str(value).strip().replace("_", "")
            try:
                number = int(text)
            except ValueError:
                self.fail(f"'{_shown(value)}' is not a whole number; {self.what} is a whole number from {self.low:,} to {self.high:,}", param, ctx)
        if not self.low <= number <= self.high:
            reason = f" ({self.why})" if self.why else ""
            self.fail(f"{number:,} is out of range; {self.what} is a whole number from {self.low:,} to {self.high:,}{reason}", param, ctx)
        return number

    def __repr__(self) -> str:
        return f"Bounded({self.low}, {self.high})"


SEED = Bounded(0, SEED_MAX, what="a seed", why="the random number generators take unsigned 32-bit seeds")


class _Date(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(f"'{_shown(value)}' is not a date that exists; write YYYY-MM-DD, e.g. 2014-06-30", param, ctx)


DATE = _Date()


class OutputPath(click.ParamType):
    """An output path: not empty, no NUL, resolvable (not inside a symbolic link loop)."""

    name = "PATH"

    def convert(self, value, param, ctx):
        if isinstance(value, Path):
            value = os.fspath(value)
        text = str(value)
        if not text.strip():
            self.fail("is empty; give the name of a new folder (or file) for the outputs, e.g. -o reports/result", param, ctx)
        if "\x00" in text:
            self.fail("holds a NUL character; give an ordinary name", param, ctx)
        try:
            Path(text).resolve(strict=False)
        except (RuntimeError, OSError) as exc:
            self.fail(f"'{_shown(text)}' cannot be resolved ({getattr(exc, 'strerror', None) or exc}; a symbolic link loop?); choose another location", param, ctx)
        return Path(text)


def check_period(period) -> None:
    """A period FROM TO in order; a :class:`click.BadParameter` otherwise."""
    if period and period[1] < period[0]:
        raise click.BadParameter(f"the period ends ({period[1]}) before it starts ({period[0]}); give FROM before TO", param_hint="'--period'")


def _shown(value) -> str:
    from .terminal import escape

    return escape(str(value))[:200]
