"""One number, percent and date formatter per language, and one sort key.

Swedish: a narrow no-break space (U+202F) between thousands, a decimal comma and a true minus
sign (U+2212); English: a comma between thousands and a decimal point (``1,234.5``; the minus is
the true minus too, so columns of numbers line up the same way in both languages). Missing or
non-finite values are a dash (``–``). Babel is not a dependency: these few rules are all the
pages, the terminal and the comparison need.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from numbers import Real

__all__ = ["THOUSANDS", "MINUS", "DASH", "format_int", "format_number", "format_fixed", "format_percent", "format_date", "sort_key", "as_sentences"]

THOUSANDS = {"sv": "\u202f", "en": ","}
DECIMAL = {"sv": ",", "en": "."}
MINUS = "\u2212"
DASH = "–"
PERCENT = {"sv": "\u00a0%", "en": "%"}


def _finite(value) -> bool:
    if value is None or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _localise(text: str, lang: str) -> str:
    """``1,234.5`` / ``-3`` (Python's format) in the conventions of `lang`."""
    if lang == "sv":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", THOUSANDS["sv"])
    return text.replace("-", MINUS)


def format_int(value, lang: str) -> str:
    """An integer with the thousands separator of `lang`; a dash when missing.

    >>> format_int(35871, "sv") == "35\\u202f871", format_int(-35871, "en")
    (True, '−35,871')
    """
    if not _finite(value):
        return DASH
    return _localise(f"{int(round(float(value))):,}", lang)


def format_number(value, lang: str, digits: int = 3) -> str:
    """A number for people: whole numbers as such, others with `digits` significant digits.

    >>> format_number(0.18234, "sv"), format_number(0.18234, "en"), format_number(-0.5, "sv")
    ('0,182', '0.182', '−0,5')
    >>> format_number(12345.6, "en"), format_number(0.000123, "en"), format_number(float("nan"), "sv")
    ('12,346', '0.000123', '–')
    """
    if value is not None and not isinstance(value, (bool, Real)) and not hasattr(value, "__float__"):
        return str(value)
    if not _finite(value):
        return DASH
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return format_int(value, lang)
    if abs(value) >= 10**digits:
        return format_int(round(value), lang)
    out = f"{value:.{digits}g}"
    if "e" in out:
        out = f"{value:.{digits - 1}e}"
    return _localise(out, lang)


def format_fixed(value, lang: str, places: int) -> str:
    """A number with a fixed number of decimals and grouped thousands.

    >>> format_fixed(1234.5678, "sv", 2) == "1\\u202f234,57", format_fixed(-0.5, "en", 1)
    (True, '−0.5')
    """
    if not _finite(value):
        return DASH
    return _localise(f"{float(value):,.{places}f}", lang)


def format_percent(share, lang: str) -> str:
    """A share (0–1) as a percentage: ``95 %`` in Swedish (no-break space), ``95%`` in English.

    >>> format_percent(0.953, "sv") == "95\\u00a0%", format_percent(0.0512, "en")
    (True, '5.1%')
    """
    if not _finite(share):
        return DASH
    pct = float(share) * 100
    number = format_int(pct, lang) if abs(pct) >= 10 or pct == 0 or round(pct, 1).is_integer() else format_number(round(pct, 1), lang, 2)
    return number + PERCENT[lang]


def format_date(value) -> str:
    """An ISO date (``2014-06-30``) from a date, timestamp or text; empty when missing.

    >>> format_date(dt.datetime(2014, 6, 30, 12)), format_date(None), format_date(float("nan"))
    ('2014-06-30', '', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:  # pandas' NaT and Timestamp without importing pandas here
        if value != value:
            return ""
    except (TypeError, ValueError):
        pass
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


_SORT_TRANSLATION = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "é": "e", "è": "e", "ü": "y"})


def sort_key(value) -> str:
    """A key that sorts text in Swedish alphabetical order (… z, å, ä, ö), ignoring case (NFC first).

    >>> sorted(["Örebro", "Arboga", "Åmål", "Ängelholm", "Zinkgruvan"], key=sort_key)
    ['Arboga', 'Zinkgruvan', 'Åmål', 'Ängelholm', 'Örebro']
    """
    return unicodedata.normalize("NFC", str(value)).casefold().translate(_SORT_TRANSLATION)


def as_sentences(texts) -> str:
    """Texts joined as sentences: each ends with a full stop unless it already ends in ``.``, ``!``, ``?`` or ``:``.

    The computation notes are written without a closing stop (the report lists them one per
    line); run together in one paragraph (the network view's side panel) they need it.

    >>> as_sentences(["Exakt för alla 22", "Leiden (igraph, frö 42)", "Klart."])
    'Exakt för alla 22. Leiden (igraph, frö 42). Klart.'
    """
    out = []
    for text in texts:
        text = str(text).strip()
        if text:
            out.append(text if text.endswith((".", "!", "?", ":")) else text + ".")
    return " ".join(out)
