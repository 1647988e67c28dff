"""Cells as people write them: dates, numbers with decimal commas, booleans, lists."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.io.values import format_number, join_list, parse_bool, parse_date, parse_number, split_list


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2014-03-31", dt.date(2014, 3, 31)),
        (" 2014-3-1 ", dt.date(2014, 3, 1)),
        ("2014-03-31 12:30", dt.date(2014, 3, 31)),
        ("2014-03-31T12:30:15.5", dt.date(2014, 3, 31)),
        ("20140331", dt.date(2014, 3, 31)),
        ("41729", dt.date(2014, 3, 31)),  # Excel serial: 1899-12-30 + 41729 days
        ("41729.75", dt.date(2014, 3, 31)),  # a serial with a time of day
        ("41729,0", dt.date(2014, 3, 31)),
        ("2000-02-29", dt.date(2000, 2, 29)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("2014-13-01", "not a real date (month must be in 1..12)"),
        ("2014-02-30", "not a real date (day is out of range for month)"),
        ("2015-02-29", "not a real date"),
        ("mars 2014", "not a date"),
        ("2014", "a year alone is not a date"),
        ("0", "not a date"),
        ("3014-01-01", "the year 3014 is out of range (1678–2261)"),
        ("1014-01-01", "the year 1014 is out of range"),
        ("123456", "not a date"),
    ],
)
def test_parse_date_refuses(text, message):
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 500 000,50", 1_500_000.5),
        ("1\u00a0500\u00a0000,50", 1_500_000.5),  # Excel's no-break space between thousands
        ("1\u202f500", 1500.0),
        ("1.500.000", 1_500_000.0),
        ("1,500,000", 1_500_000.0),
        ("1.500.000,25", 1_500_000.25),
        ("1,500,000.25", 1_500_000.25),
        ("1,5", 1.5),  # a decimal comma, as Swedes write it
        ("1.5", 1.5),
        ("-5", -5.0),
        ("\u22125", -5.0),  # the typographic minus
        ("'-5", -5.0),
        ("12 kr", 12.0),
        ("250 000 SEK", 250_000.0),
        ("1e6", 1_000_000.0),
        ("0", 0.0),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text, message", [("en miljon", "not a number"), ("", "empty"), ("kr", "empty"), ("nan", "not a finite number"), ("inf", "not a finite number"), ("1,2,3.4.5", "not a number")]
)
def test_parse_number_refuses(text, message):
    with pytest.raises(ValueError) as info:
        parse_number(text)
    assert message == str(info.value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_format_number_reads_back_exactly(value):
    assert parse_number(format_number(value)) == value or (value == 0 and parse_number(format_number(value)) == 0)


def test_format_number_empty_for_missing():
    assert format_number(float("nan")) == "" and format_number(None) == ""
    assert format_number(2.0) == "2" and format_number(2.5) == "2.5"


@pytest.mark.parametrize("text", ["true", "True", "1", "ja", "Ja", "j", "yes", "y", "sant", "x", " JA "])
def test_parse_bool_true(text):
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["false", "0", "nej", "n", "no", "falskt", "", "  "])
def test_parse_bool_false(text):
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["kanske", "2", "sannt"])
def test_parse_bool_refuses(text):
    with pytest.raises(ValueError, match="not true/false"):
        parse_bool(text)


def test_lists():
    assert split_list(" a | b||c |") == ["a", "b", "c"]
    assert split_list("") == []
    assert join_list(["a", "b"]) == "a|b"


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="|", blacklist_categories=("Cs",))).map(str.strip).filter(bool)))
def test_split_list_inverts_join_list(items):
    assert split_list(join_list(items)) == items


def test_no_nan_from_parse_number():
    assert not math.isnan(parse_number("0,0"))


def test_nordic_and_german_dates():
    import datetime as dt

    from samverkan.io.values import parse_date

    for text in ("01.06.2020", "1.6.2020", "01.06.2020 00:00", "1.6.2020 13:45:00", "20200601", "43983", "2020-06-01 00:00:00"):
        assert parse_date(text) == dt.date(2020, 6, 1), text


def test_an_ambiguous_date_column_is_refused():
    import pytest

    from samverkan.io.values import date_order, parse_date

    with pytest.raises(ValueError, match="3 April or 4 March"):
        date_order(["03/04/2020", "05/06/2020"])
    with pytest.raises(ValueError, match="3 April or 4 March"):
        parse_date("03/04/2020")
    assert date_order(["03/04/2020", "25/12/2020"]) == "dmy"
    assert parse_date("03/04/2020", order=date_order(["03/04/2020", "12/25/2020"])).isoformat() == "2020-03-04"
