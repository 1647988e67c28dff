"""Data into a page, safely: the one JSON embedding every page uses (through :mod:`samverkan.views.kit`).

Data goes in as JSON inside ``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028
and U+2029 escaped, so no name can close the script element or open a comment.
"""

from __future__ import annotations

import json
import math
import re
from numbers import Integral, Real

__all__ = ["json_for_script", "plain"]

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def plain(value):
    """Turn a value into something :func:`json.dumps` accepts, deterministically.

    numpy scalars become Python numbers, NaN and infinities become ``None``, floats are rounded to
    6 decimals, tuples and sets become lists (sets sorted), mapping keys become strings.

    Examples
    --------
    >>> plain({"a": float("nan"), "b": (1, 2.0000001), "c": {"y", "x"}})
    {'a': None, 'b': [1, 2.0], 'c': ['x', 'y']}
    """
    kind = type(value)  # the common exact types first: the same results without the abstract checks
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return None if math.isnan(value) or math.isinf(value) else round(value, 6)
    # (in lists and dicts: text, whole numbers, flags and finite floats without a call each)
    if kind is list:
        return [v if (t := type(v)) is str or t is int or t is bool or v is None else round(v, 6) if t is float and v - v == 0 else plain(v) for v in value]
    if kind is dict:
        return {
            (k if type(k) is str else str(k)): (v if (t := type(v)) is str or t is int or t is bool or v is None else round(v, 6) if t is float and v - v == 0 else plain(v)) for k, v in value.items()
        }
    if isinstance(value, (str, bool)):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        if math.isnan(value) or math.isinf(value):
            return None
        return round(value, 6)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar of another kind (e.g. numpy.bool_)
        return plain(value.item())
    return str(value)


def json_for_script(data) -> str:
    """Serialise `data` as JSON that is safe inside an HTML ``<script>`` element.

    Parameters
    ----------
    data : object
        JSON-able data (passed through :func:`plain` first).

    Returns
    -------
    str
        Compact JSON (UTF-8 text kept) in which ``<``, ``>``, ``&``, U+2028 and U+2029 are written
        as ``\\uXXXX`` escapes. These characters only occur inside JSON strings, where the escapes
        mean the same thing, so ``JSON.parse`` gives back the original data.

    Examples
    --------
    >>> json_for_script({"name": "</script><!--"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(plain(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)
