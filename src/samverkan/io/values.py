"""Parse cells written by people: dates, numbers with decimal commas, booleans, lists.

Each parser returns the value or raises ``ValueError`` with a message that says what is
expected, so validation can report the cell and the fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re

__all__ = ["parse_date", "date_order", "AMBIGUOUS_DATES", "parse_number", "parse_bool", "split_list", "join_list", "format_number"]

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year quirk absorbed)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = r"(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?)?"
# Nordic and German exports: 01.06.2020, 1.6.2020, 01.06.2020 00:00 (day first, always)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME + "$")
# 03/04/2020: day or month first, told apart per column by date_order
_SLASHED = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})" + _TIME + "$")
AMBIGUOUS_DATES = (
    'dates such as 03/04/2020 can be 3 April or 4 March, and no date in this column tells which; write dates as YYYY-MM-DD, or name the order (date_format = "%d/%m/%Y" under [source] in the mapping)'
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")

DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2014-03-31 (DD.MM.YYYY and Excel dates are read too)"


MIN_YEAR, MAX_YEAR = 1678, 2261  # the dates pandas can hold (datetime64[ns])


def date_order(cells) -> str | None:
    """Whether the column's ``NN/NN/YYYY`` dates are day first (``"dmy"``) or month first (``"mdy"``).

    None when the column has no such dates. A date whose first number is above 12 shows day
    first; one whose second is above 12 shows month first. Raises ``ValueError`` when no date
    tells (03/04/2020 only) or when they disagree.

    >>> date_order(["13/04/2020", "03/04/2020"]), date_order(["04/13/2020"]), date_order(["2020-01-01"])
    ('dmy', 'mdy', None)
    >>> date_order(["03/04/2020", "01/02/2020"])
    Traceback (most recent call last):
    ...
    ValueError: dates such as 03/04/2020 can be 3 April or 4 March, and no date in this column tells which; write dates as YYYY-MM-DD, or name the order (date_format = "%d/%m/%Y" under [source] in the mapping)
    """
    day_first = month_first = seen = False
    for cell in cells:
        match = _SLASHED.match(str(cell).strip()) if cell else None
        if not match:
            continue
        a, b = int(match.group(1)), int(match.group(2))
        seen = seen or a != b
        day_first = day_first or a > 12
        month_first = month_first or b > 12
    if day_first and month_first:
        raise ValueError("the column mixes day-first (31/12/2020) and month-first (12/31/2020) dates; write dates as YYYY-MM-DD")
    if day_first:
        return "dmy"
    if month_first:
        return "mdy"
    if seen:
        raise ValueError(AMBIGUOUS_DATES)
    return None


def parse_date(text: str, *, order: str | None = None, fmt: str | None = None) -> dt.date:
    """A date from ``YYYY-MM-DD`` (optionally with a time), ``YYYYMMDD`` or an Excel serial day,
    ``DD.MM.YYYY`` / ``D.M.YYYY`` (optionally with a time, as Nordic and German exports write
    them), ``NN/NN/YYYY`` when ``order`` (from :func:`date_order`) says which number is the day,
    or any ``fmt`` (a :func:`datetime.datetime.strptime` format, the mapping's ``date_format``).

    >>> parse_date("01.06.2020 00:00"), parse_date("1.6.2020"), parse_date("20200601")
    (datetime.date(2020, 6, 1), datetime.date(2020, 6, 1), datetime.date(2020, 6, 1))
    >>> parse_date("03/04/2020", order="dmy"), parse_date("03/04/2020", fmt="%m/%d/%Y")
    (datetime.date(2020, 4, 3), datetime.date(2020, 3, 4))

    A year alone is refused (``2014`` would otherwise be read as Excel's day 2014, in 1905), and
    so are years pandas cannot hold (a typo such as ``3014``).

    >>> parse_date("2014-03-31"), parse_date("41729"), parse_date("2014-03-31 12:00")
    (datetime.date(2014, 3, 31), datetime.date(2014, 3, 31), datetime.date(2014, 3, 31))
    >>> parse_date("2014-13-01")
    Traceback (most recent call last):
    ...
    ValueError: not a real date (month must be in 1..12)
    """
    text = str(text).strip()
    if fmt:
        try:
            return _in_range(dt.datetime.strptime(text, fmt).date())
        except ValueError:
            pass  # the usual forms are still read
    dotted = _DOTTED.match(text)
    slashed = None if dotted else _SLASHED.match(text)
    if dotted or slashed:
        first, second, year = (int(g) for g in (dotted or slashed).groups()[:3])
        if slashed and order not in ("dmy", "mdy"):
            if first > 12 or second > 12:
                order = "dmy" if first > 12 else "mdy"
            elif first != second:
                raise ValueError(AMBIGUOUS_DATES)
        day, month = (second, first) if slashed and order == "mdy" else (first, second)
        try:
            return _in_range(dt.date(year, month, day))
        except ValueError as exc:
            raise ValueError(f"not a real date ({exc})") from None
    match = _ISO.match(text) or _COMPACT.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups()[:3])
        try:
            date = dt.date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"not a real date ({exc})") from None
        return _in_range(date)
    if re.fullmatch(r"\d{1,5}(\.0+)?|\d{1,5}[.,]\d+", text):
        serial = float(text.replace(",", "."))
        if text.isdigit() and len(text) == 4 and 1900 <= serial <= 2100:
            raise ValueError("a year alone is not a date")
        if 1 <= serial < 2958466:
            return _in_range(EXCEL_EPOCH + dt.timedelta(days=int(serial)))
    raise ValueError("not a date")


def _in_range(date: dt.date) -> dt.date:
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        raise ValueError(f"the year {date.year} is out of range ({MIN_YEAR}–{MAX_YEAR})")
    return date


def parse_number(text: str) -> float:
    """A number written with a decimal comma or point and optional thousands separators.

    >>> parse_number("1 500 000,50"), parse_number("1,5"), parse_number("1.500.000"), parse_number("−5")
    (1500000.5, 1.5, 1500000.0, -5.0)
    """
    text = _SPACES.sub("", str(text).strip()).replace("\u2212", "-")
    if text.lower().endswith(("kr", "sek", "eur")):
        text = re.sub(r"(kr|sek|eur)$", "", text, flags=re.I)
    if not text:
        raise ValueError("empty")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text:
        text = text.replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        value = float(text)
    except ValueError:
        raise ValueError("not a number") from None
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def format_number(value: float) -> str:
    """Write a number back so that :func:`parse_number` reads the same value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


_TRUE = {"true", "1", "ja", "j", "yes", "y", "sant", "x"}
_FALSE = {"false", "0", "nej", "n", "no", "falskt", ""}


def parse_bool(text: str) -> bool:
    """true/false, ja/nej, sant/falskt, yes/no, 1/0, x (empty is false).

    >>> parse_bool("Ja"), parse_bool("falskt"), parse_bool("")
    (True, False, False)
    """
    key = str(text).strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError("not true/false")


def split_list(text: str) -> list[str]:
    """Split a ``|``-separated cell into trimmed, non-empty items, keeping their order."""
    if not text:
        return []
    return [item.strip() for item in str(text).split("|") if item.strip()]


def join_list(items) -> str:
    return "|".join(items)
