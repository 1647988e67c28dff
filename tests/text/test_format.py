"""One formatter per language and one sort key (samverkan.text.format)."""

import math

import pytest

from samverkan.text.format import format_date, format_fixed, format_int, format_number, format_percent, sort_key


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (35871, "sv", "35\u202f871"),  # narrow no-break space between thousands
        (35871, "en", "35,871"),
        (-1234567, "sv", "\u22121\u202f234\u202f567"),  # true minus
        (0, "sv", "0"),
        (None, "sv", "–"),
        (math.nan, "en", "–"),
    ],
)
def test_format_int(value, lang, expected):
    assert format_int(value, lang) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [(0.18234, "sv", "0,182"), (0.18234, "en", "0.182"), (-0.5, "sv", "\u22120,5"), (12345.6, "sv", "12\u202f346"), (1e-7, "en", "1.00e\u221207"), (True, "sv", "–")],
)
def test_format_number(value, lang, expected):
    assert format_number(value, lang) == expected


def test_fixed_and_percent():
    assert format_fixed(1234.5678, "sv", 2) == "1\u202f234,57"
    assert format_fixed(1234.5678, "en", 1) == "1,234.6"
    assert format_percent(0.953, "sv") == "95\u00a0%" and format_percent(0.0512, "en") == "5.1%"
    assert format_percent(None, "sv") == "–"


def test_dates_are_iso():
    import datetime as dt

    import pandas as pd

    assert format_date(pd.Timestamp("2014-06-30 12:00")) == "2014-06-30"
    assert format_date(dt.date(2009, 1, 2)) == "2009-01-02"
    assert format_date(pd.NaT) == "" and format_date(None) == ""


def test_sort_key_is_swedish_and_normalises():
    names = ["Örebro", "arboga", "Åmål", "Ängelholm", "Zinkgruvan", "A\u030amål"]  # the last is Åmål decomposed
    assert sorted(names, key=sort_key) == ["arboga", "Zinkgruvan", "Åmål", "A\u030amål", "Ängelholm", "Örebro"]
    assert sort_key("A\u030amål") == sort_key("Åmål")


def test_the_terminal_counts_gaps_and_notes_apart():
    import pandas as pd

    from samverkan.text.catalogue import finding_counts, severity_words

    findings = pd.DataFrame({"severity": ["error", "warning", "info", "info"]})
    assert finding_counts(findings) == (2, 2)
    assert severity_words("sv", 2, 2) == "ägarskapsbrister: 2 (och 2 noteringar)"
    assert severity_words("en", 0, 1) == "ownership gaps: 0 (and 1 note)"


def test_notes_run_together_read_as_sentences():
    from samverkan.text.format import as_sentences

    assert as_sentences(["Mellanhet: exakt för alla 22", "  ", "Leiden (igraph, frö 42)", "Klart!", "Så här:"]) == "Mellanhet: exakt för alla 22. Leiden (igraph, frö 42). Klart! Så här:"
    assert as_sentences([]) == ""
