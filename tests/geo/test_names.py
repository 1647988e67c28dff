"""Names from codes and codes from the ways packages write places (data: the bundled shapes)."""

from __future__ import annotations

import unicodedata

import pytest

from samverkan.geo.names import (
    county_code,
    county_name,
    county_of,
    municipality_code,
    municipality_name,
)
from samverkan.geo.shapes import COUNTY_NAMES, county_shapes, municipality_shapes

SODERTORN = {
    "0127": "Botkyrka",
    "0136": "Haninge",
    "0126": "Huddinge",
    "0182": "Nacka",
    "0140": "Nykvarn",
    "0192": "Nynäshamn",
    "0128": "Salem",
    "0181": "Södertälje",
    "0138": "Tyresö",
    "0120": "Värmdö",
}


def test_bundled_shapes_complete():
    assert len(municipality_shapes()) == 290
    assert len(county_shapes()) == 21
    assert set(county_shapes()) == set(COUNTY_NAMES)
    # every municipality's county is a county
    assert {s.county for s in municipality_shapes().values()} == set(COUNTY_NAMES)


def test_the_ten_sodertorn_municipalities_are_named_shapes():
    shapes = municipality_shapes()
    assert {code: shapes[code].name for code in SODERTORN} == SODERTORN
    assert all(shapes[code].polygons for code in SODERTORN)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0136", "0136"),
        ("136", "0136"),
        (136, "0136"),
        ("Haninge", "0136"),
        ("Haninge kommun", "0136"),
        ("HANINGE KOMMUN", "0136"),
        ("  haninge  ", "0136"),
        ("Nynäshamns kommun", "0192"),
        ("Huddinge kommun", "0126"),
        (unicodedata.normalize("NFD", "Södertälje kommun"), "0181"),
        ("Sodertalje", "0181"),
        ("Stockholms stad", "0180"),
        ("Örebro kommun", "1880"),
        ("Lindesbergs kommun", "1885"),
        ("Falu kommun", "2080"),
        ("Region Gotland", "0980"),
        ("Upplands-Bro", "0139"),
        ("Upplands Bro kommun", "0139"),
        ("Malung-Sälens kommun", "2023"),
    ],
)
def test_municipality_code(value, code):
    assert municipality_code(value) == code


@pytest.mark.parametrize("value", ["", None, "9999", "0000", "Atlantis", "Stockholms län", "Södertörn", "18", "kommun"])
def test_unknown_municipality_is_none(value):
    assert municipality_code(value) is None
    assert municipality_name(value) is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("01", "01"),
        ("1", "01"),
        (1, "01"),
        ("Stockholms län", "01"),
        ("Stockholm", "01"),
        ("stockholms LÄN", "01"),
        ("Västerbottens län", "24"),
        ("Västerbotten", "24"),
        ("Region Örebro län", "18"),
        ("Örebro län", "18"),
        ("Västra Götalands län", "14"),
        ("Skåne län", "12"),
        ("Skåne", "12"),
        (unicodedata.normalize("NFD", "Jämtlands län"), "23"),
        ("0136", "01"),
        ("1885", "18"),
    ],
)
def test_county_code(value, code):
    assert county_code(value) == code


@pytest.mark.parametrize("value", ["", None, "99", "02", "Huddinge", "Norrland", "Östra Mellansverige", "9999"])
def test_unknown_county_is_none(value):
    assert county_code(value) is None
    assert county_name(value) is None


def test_names():
    assert municipality_name("0136") == "Haninge"
    assert county_name("01") == "Stockholms län"
    assert county_name("Västerbotten") == "Västerbottens län"
    assert county_of("Huddinge kommun") == "01"


def test_every_official_spelling_round_trips():
    for code, shape in municipality_shapes().items():
        assert municipality_code(shape.name) == code
        assert municipality_code(f"{shape.name} kommun") == code
        assert municipality_name(code) == shape.name
    for code, name in COUNTY_NAMES.items():
        assert county_code(name) == code and county_name(code) == name


def test_interreg_counties_land_on_shapes():
    # every county spelling the Interreg import writes (organisations.region)
    written = [
        "Skåne län",
        "Västra Götalands län",
        "Stockholms län",
        "Norrbottens län",
        "Västerbottens län",
        "Jämtlands län",
        "Värmlands län",
        "Kalmar län",
        "Östergötlands län",
        "Västernorrlands län",
        "Dalarnas län",
        "Hallands län",
        "Blekinge län",
        "Kronobergs län",
        "Uppsala län",
        "Södermanlands län",
        "Gävleborgs län",
        "Örebro län",
        "Jönköpings län",
        "Västmanlands län",
        "Gotlands län",
    ]
    assert {county_code(w) for w in written} == set(COUNTY_NAMES)
