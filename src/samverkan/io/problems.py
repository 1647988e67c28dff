"""Every problem found, as a table a person can sort and filter (``--problems FILE.csv``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import Problem, sorted_problems
from .output import write_csv

__all__ = ["PROBLEM_COLUMNS", "problems_frame", "write_problems"]

PROBLEM_COLUMNS = ["file", "row", "column", "severity", "code", "message", "value", "hint"]


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """One row per problem, errors first: file, row (as Excel shows it), column, severity, code, message, value, hint.

    >>> problems_frame([Problem("error", "t.csv", 3, "roll", "unknown-role", "unknown role", "styrgrup")])[["file", "row", "severity", "value"]].values.tolist()
    [['t.csv', '3', 'error', 'styrgrup']]
    """
    rows = [
        {
            "file": p.file,
            "row": "" if p.row is None else str(p.row),
            "column": p.column or "",
            "severity": p.severity,
            "code": p.code,
            "message": p.message,
            "value": "" if p.value is None else p.value,
            "hint": p.hint or "",
        }
        for p in sorted_problems(problems)
    ]
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS, dtype=object)


def write_problems(problems: list[Problem], path) -> Path:
    """Write every problem to ``path`` (CSV, UTF-8, atomically; cells that Excel would run as formulas neutralised)."""
    return write_csv(problems_frame(problems), Path(path))
