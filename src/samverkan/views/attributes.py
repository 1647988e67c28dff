"""Reading node and edge attributes that may be missing, NaN, numpy scalars or odd spellings."""

from __future__ import annotations

import math
from numbers import Real

__all__ = ["text_value", "flag_value", "number_value", "split_list", "display_id", "display_name", "SortKeys"]

_PREFIXES = ("org:", "project:")


def text_value(value) -> str | None:
    """Text of an attribute, or None when missing, NaN or blank.

    Examples
    --------
    >>> [text_value(v) for v in (None, float("nan"), "  ", " Huddinge ", 180)]
    [None, None, None, 'Huddinge', '180']
    """
    if type(value) is str:  # the common case, without the checks below
        return value.strip() or None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        if value != value:  # pandas NA and the like
            return None
    except (TypeError, ValueError):
        return None
    out = str(value).strip()
    return out or None


def flag_value(value) -> bool:
    """Whether a flag attribute is set: booleans, numpy booleans, 1/0 and "true"/"ja"/"yes".

    Examples
    --------
    >>> [flag_value(v) for v in (True, "ja", "False", 0, None, float("nan"))]
    [True, True, False, False, False, False]
    """
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "ja", "sant", "x"}
    try:
        return bool(value) and value == value
    except (TypeError, ValueError):
        return False


def number_value(value) -> float | None:
    """A finite number as float, else None (booleans are not numbers here)."""
    if isinstance(value, Real) and not isinstance(value, bool):
        value = float(value)
        return value if math.isfinite(value) else None
    return None


def split_list(value) -> list[str]:
    """The parts of a ``|``-separated attribute (or of a list), stripped, blanks dropped.

    Examples
    --------
    >>> split_list("owner: A | steering: B ||")
    ['owner: A', 'steering: B']
    >>> split_list(["unga", " ", "nyanlända"])
    ['unga', 'nyanlända']
    """
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [part for part in (v.strip() if type(v) is str else text_value(v) for v in items) if part]
    raw = text_value(value)
    if raw is None:
        return []
    return [part for part in map(str.strip, raw.split("|")) if part]


def display_id(node) -> str:
    """A node id without the two-mode prefix (``"org:k1"`` -> ``"k1"``)."""
    s = str(node)
    for prefix in _PREFIXES:
        if s.startswith(prefix):
            return s[len(prefix) :]
    return s


def display_name(node, attrs) -> str:
    """The ``name`` attribute, or the id when there is none."""
    return text_value(attrs.get("name")) or display_id(node)


class SortKeys(dict):
    """:func:`samverkan.text.format.sort_key` of each text asked for, computed once.

    A view sorts the same project names for many nodes; ``keys[name]`` looks the key up.
    Give it text only (``1`` and ``True`` would share an entry).
    """

    def __missing__(self, value):
        if type(value) is str and value.isascii():  # already NFC, casefold is lower, no letter to translate
            key = self[value] = value.lower()
            return key
        from ..text.format import sort_key

        key = self[value] = sort_key(value)
        return key
