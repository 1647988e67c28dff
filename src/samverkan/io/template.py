"""A blank package to fill in, with every column and allowed value explained beside it.

``samverkan init`` writes the tables with their headers only (valid as they are) and an
explanation table (``förklaring``/``explanation``) listing for every column its meaning, whether it
is required, the other accepted names, and the allowed values of coded columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import UsageError
from ..model import TABLES, VOCABULARIES
from .output import write_csv, write_xlsx

__all__ = ["explanation_table", "write_template"]

_HEAD = {
    "sv": ("tabell", "kolumn", "obligatorisk", "betydelse", "andra godtagna namn", "tillåtna värden"),
    "en": ("table", "column", "required", "meaning", "other accepted names", "allowed values"),
}
_YES = {"sv": ("ja", "nej"), "en": ("yes", "no")}


def explanation_table(lang: str = "sv") -> pd.DataFrame:
    """One row per column of every table: meaning, required, aliases, allowed values."""
    rows = []
    for table in TABLES.values():
        for column in table.columns:
            allowed = ""
            if column.kind.startswith("vocab:"):
                vocabulary = VOCABULARIES[column.kind.split(":", 1)[1]]
                allowed = "; ".join(f"{code} ({', '.join(s for s in spellings[1:4])})" for code, spellings in vocabulary.items())
            elif column.kind == "date":
                allowed = "YYYY-MM-DD"
            elif column.kind == "bool":
                allowed = "true/false (ja/nej)"
            elif column.kind.startswith("list"):
                allowed = "a|b|c"
            elif column.ref_table:
                allowed = f"id in {column.ref_table}"
            rows.append(
                (
                    table.name,
                    column.name,
                    _YES[lang][0] if column.required else _YES[lang][1],
                    column.doc_sv if lang == "sv" else column.doc,
                    ", ".join(column.aliases),
                    allowed,
                )
            )
    return pd.DataFrame(rows, columns=list(_HEAD[lang]))


def _blank(table) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in table.column_names})


def write_template(path: Path, *, format: str | None = None, lang: str = "sv") -> Path:
    """Write a blank package (CSV folder or .xlsx); refuses to overwrite anything."""
    path = Path(path)
    format = format or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    explanation_name = "förklaring" if lang == "sv" else "explanation"
    if format == "xlsx":
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        if path.exists():
            raise UsageError(f"{path} already exists; choose a new name (samverkan never overwrites your files)")
        sheets = {name: _blank(table) for name, table in TABLES.items()}
        sheets[explanation_name] = explanation_table(lang)
        return write_xlsx(sheets, path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise UsageError(f"{path} already exists and is not empty; choose a new folder (samverkan never overwrites your files)")
    for name, table in TABLES.items():
        write_csv(_blank(table), path / f"{name}.csv")
    write_csv(explanation_table(lang), path / f"{explanation_name}.csv")
    return path
