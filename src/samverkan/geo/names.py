"""Swedish municipality and county names from codes, and codes from how packages write them.

Names are read from the bundled map shapes (:mod:`samverkan.geo.shapes`), county names from
SCB's official forms ("Stockholms län"). Lookups are tolerant of the ways packages spell a place
and strict about everything else: what cannot be matched to exactly one place gives ``None``,
never a guess.

Accepted spellings
------------------
Municipality
    A code of one to four digits (``126`` → ``0126``, as Excel drops the leading zero) that is a
    known kommunkod; the name ("Huddinge"), the name with ``kommun``/``stad`` and the genitive
    ("Huddinge kommun", "Nynäshamns kommun", "Stockholms stad", "Falu kommun", "Region Gotland").
    Case, Unicode form (NFC/NFD), hyphens and repeated spaces do not matter; a name written
    without å/ä/ö ("Sodertalje") is accepted when exactly one municipality folds to it.
County
    A code of one or two digits (``1`` → ``01``); a four-digit municipality code gives the
    municipality's county; the short name ("Stockholm", "Västra Götaland"), the official name
    ("Stockholms län", "Västerbottens län"), or "Region X".
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .shapes import COUNTY_NAMES, county_shapes, municipality_shapes

__all__ = ["county_code", "county_name", "county_of", "municipality_code", "municipality_name", "normalise"]

_SPACE = re.compile(r"[\s\-–_.,]+")
_DIGITS = re.compile(r"^\d{1,4}$")
_MUNI_SUFFIX = re.compile(r" (kommun|stad|municipality|kommune)$")
_COUNTY_SUFFIX = re.compile(r" (län|lan|county)$")
_REGION_PREFIX = re.compile(r"^region ")

# Official municipality names that are not the shape's name plus "s kommun".
_MUNICIPALITY_EXTRA = {"falu": "2080", "region gotland": "0980"}


def normalise(value) -> str:
    """NFC, case-folded, hyphens and runs of space as one space, stripped.

    Examples
    --------
    >>> normalise("  Upplands-Bro ") == normalise("upplands bro")
    True
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).casefold()
    return _SPACE.sub(" ", text).strip()


def _fold(text: str) -> str:
    """`text` without diacritics (å → a, ö → o, é → e)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _unique_index(pairs) -> dict[str, str]:
    """spelling → code for spellings that name exactly one code."""
    seen: dict[str, set] = {}
    for spelling, code in pairs:
        seen.setdefault(spelling, set()).add(code)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


@functools.lru_cache(maxsize=1)
def _municipality_index() -> tuple[dict, dict]:
    pairs = []
    for code, shape in municipality_shapes().items():
        name = normalise(shape.name)
        pairs += [(name, code), (name + "s", code)]
    pairs += list(_MUNICIPALITY_EXTRA.items())
    exact = _unique_index(pairs)
    folded = _unique_index((_fold(k), v) for k, v in exact.items())
    return exact, folded


@functools.lru_cache(maxsize=1)
def _county_index() -> tuple[dict, dict]:
    pairs = []
    for code, shape in county_shapes().items():
        short = normalise(shape.short_name)
        official = _COUNTY_SUFFIX.sub("", normalise(COUNTY_NAMES.get(code, shape.name)))
        pairs += [(short, code), (short + "s", code), (official, code)]
    exact = _unique_index(pairs)
    folded = _unique_index((_fold(k), v) for k, v in exact.items())
    return exact, folded


def _lookup(text: str, index: tuple[dict, dict]) -> str | None:
    exact, folded = index
    if text in exact:
        return exact[text]
    return folded.get(_fold(text))


def municipality_code(value) -> str | None:
    """The four-digit kommunkod of a municipality written as a code or a name; None if unknown.

    Examples
    --------
    >>> [municipality_code(v) for v in ("0126", "126", 126, "Huddinge kommun", "HUDDINGE", "Nynäshamns kommun")]
    ['0126', '0126', '0126', '0126', '0126', '0192']
    >>> municipality_code("Stockholms stad"), municipality_code("Falu kommun"), municipality_code("Atlantis")
    ('0180', '2080', None)
    """
    text = normalise(value)
    if not text:
        return None
    if _DIGITS.match(text):
        code = text.zfill(4)
        return code if code in municipality_shapes() else None
    found = _lookup(text, _municipality_index())
    if found is None:
        stripped = _MUNI_SUFFIX.sub("", text)
        if stripped != text:
            found = _lookup(stripped, _municipality_index())
    return found


def county_code(value) -> str | None:
    """The two-digit county code of a county written as a code or a name; None if unknown.

    Examples
    --------
    >>> [county_code(v) for v in ("01", "1", 1, "Stockholms län", "Stockholm", "stockholms LÄN")]
    ['01', '01', '01', '01', '01', '01']
    >>> county_code("Västerbottens län"), county_code("Region Örebro län"), county_code("0136"), county_code("Huddinge")
    ('24', '18', '01', None)
    """
    text = normalise(value)
    if not text:
        return None
    if _DIGITS.match(text):
        if len(text) <= 2:
            code = text.zfill(2)
            return code if code in county_shapes() else None
        municipality = municipality_code(text)
        return county_of(municipality) if municipality else None
    for candidate in dict.fromkeys([text, _COUNTY_SUFFIX.sub("", text), _REGION_PREFIX.sub("", text), _COUNTY_SUFFIX.sub("", _REGION_PREFIX.sub("", text))]):
        found = _lookup(candidate, _county_index())
        if found is not None:
            return found
    return None


def municipality_name(value) -> str | None:
    """The municipality's name ("Haninge") for a code or any accepted spelling; None if unknown.

    Examples
    --------
    >>> municipality_name("0136"), municipality_name("1880"), municipality_name("9999")
    ('Haninge', 'Örebro', None)
    """
    code = municipality_code(value)
    return municipality_shapes()[code].name if code else None


def county_name(value) -> str | None:
    """The county's official name ("Stockholms län") for a code or any accepted spelling; None if unknown.

    Examples
    --------
    >>> county_name("01"), county_name("Västra Götaland"), county_name("99")
    ('Stockholms län', 'Västra Götalands län', None)
    """
    code = county_code(value)
    return COUNTY_NAMES[code] if code else None


def county_of(municipality) -> str | None:
    """The two-digit county code of a municipality (code or name); None if unknown.

    Examples
    --------
    >>> county_of("0136"), county_of("Lindesberg")
    ('01', '18')
    """
    code = municipality_code(municipality)
    return municipality_shapes()[code].county if code else None
