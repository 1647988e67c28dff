"""Errors and problem reports.

Every problem found in user input becomes a :class:`Problem` that names the file, the row as
Excel or a text editor shows it (header = row 1), the column, the bad value and what would be
right. Readers collect every problem before they stop, so the user fixes everything in one round.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "ProblemList", "SamverkanError", "InputError", "UsageError", "format_problems"]

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the input, at a place a person can find."""

    severity: str  # "error" or "warning"
    file: str
    row: int | None  # as Excel shows it: the header is row 1
    column: str | None
    code: str  # stable machine code, e.g. "unknown-reference"
    message: str  # what is wrong, in words
    value: str | None = None
    hint: str | None = None  # what would be right

    def __str__(self) -> str:
        """``FILE:ROW:COLUMN: severity: message (value 'x'); hint`` on one line.

        >>> str(Problem("error", "deltagande.csv", 3, "roll", "unknown-role", "unknown role", "styrgrup", "did you mean 'styrgrupp'?"))
        "deltagande.csv:3:roll: error: unknown role (value 'styrgrup'); did you mean 'styrgrupp'?"
        """
        place = _one_line(self.file)
        place += f":{self.row}" if self.row is not None else ":"
        place += f":{_one_line(self.column)}" if self.column else ":"
        text = f"{place}: {self.severity}: {_one_line(self.message)}"
        if self.value is not None:
            text += f" (value {_quote(self.value)})"
        if self.hint:
            text += f"; {_one_line(self.hint)}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


_LINE_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r", "\x0b": "\\v", "\x0c": "\\f", "\x1c": " ", "\x1d": " ", "\x1e": " ", "\x85": " ", "\u2028": " ", "\u2029": " "})


def _one_line(text) -> str:
    """The text with line breaks written as ``\\n``, so every problem stays on one line."""
    return str(text).translate(_LINE_BREAKS)


def _quote(value: str) -> str:
    value = str(value)
    if len(value) > 80:
        value = value[:77] + "..."
    return "'" + _one_line(value) + "'"


class ProblemList:
    """``errors`` and ``warnings`` of anything that carries ``problems`` (a failed input, an import)."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


class SamverkanError(Exception):
    """Base of every error samverkan reports to a user (the CLI prints it without a traceback)."""

    exit_code = 1


class UsageError(SamverkanError):
    """The command was called wrongly (a missing file, a bad option value)."""

    exit_code = 2


class InputError(ProblemList, SamverkanError):
    """The input has errors; carries every problem found, errors and warnings."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted_problems(problems)
        errors = sum(p.is_error for p in self.problems)
        super().__init__(f"{errors} error(s) in the input")

    def report(self) -> str:
        return format_problems(self.problems)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Errors first, then warnings; within each by file, row and column; duplicates removed."""
    unique = list(dict.fromkeys(problems))
    return sorted(
        unique,
        key=lambda p: (p.severity != ERROR, p.file, p.row if p.row is not None else -1, p.column or "", p.message),
    )


def format_problems(problems: list[Problem], *, limit: int | None = None, full_list: str | None = None) -> str:
    """The problems one per line, errors first (the first ``limit`` when given), then the true totals.

    ``full_list`` names where every problem was written (``--problems FILE.csv``).

    >>> p = [Problem("warning", "t.csv", k + 2, "start", "bad-date", "not a date", str(k)) for k in range(3)]
    >>> print(format_problems(p, limit=1))
    t.csv:2:start: warning: not a date (value '0')
    ... and 2 more (write them all to a file with --problems FILE.csv)
    0 error(s), 3 warning(s)
    """
    problems = sorted_problems(problems)
    shown = problems if limit is None else problems[:limit]
    lines = [str(p) for p in shown]
    if len(shown) < len(problems):
        where = f"all of them are in {full_list}" if full_list else "write them all to a file with --problems FILE.csv"
        lines.append(f"... and {len(problems) - len(shown):,} more ({where})")
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    lines.append(f"{errors:,} error(s), {warnings:,} warning(s)")
    return "\n".join(lines)
