"""One rule decides whether a project is running (samverkan.timeline); ownership and white spots agree."""

import datetime as dt

import pandas as pd

import samverkan
from samverkan import timeline

TODAY = dt.date(2026, 1, 1)


def test_status_wins_over_dates_today():
    as_of = pd.Timestamp(TODAY)
    status = ["active", "ended", "", "planned"]
    end = ["2025-06-30", "2029-04-30", "2025-06-30", "2025-06-30"]
    start = [None] * 4
    # an active project past its end date is not ended; a closed one is ended before its end date
    assert timeline.ended(status, start, end, as_of, today=TODAY).tolist() == [False, True, True, False]
    assert timeline.active(status, start, end, as_of, today=TODAY).tolist() == [True, False, False, True]
    assert timeline.status_date_disagreements(status, start, end, as_of, today=TODAY).tolist() == [True, True, False, True]


def test_on_its_end_day_a_project_is_running_unless_its_status_says_ended():
    day = pd.Timestamp("2010-12-31")
    assert timeline.ended(["", "ended"], [None, None], ["2010-12-31", "2010-12-31"], day, today=TODAY).tolist() == [False, True]
    assert timeline.active(["", "ended"], [None, None], ["2010-12-31", "2010-12-31"], day, today=TODAY).tolist() == [True, False]


def test_a_past_day_asks_the_dates():
    # status "ended" is written later than 2013-06-30; the project ran then
    day = pd.Timestamp("2013-06-30")
    assert timeline.active(["ended"], ["2013-01-01"], ["2013-12-31"], day, today=TODAY).tolist() == [True]
    assert timeline.status_date_disagreements(["ended"], ["2013-01-01"], ["2013-12-31"], day, today=TODAY).tolist() == [False]


def test_export_status_words():
    words = {"SIGNED": "active", "ONGOING": "active", "CLOSED": "ended", "TERMINATED": "ended", "pågående": "active", "Avslutad": "ended", "avbrutet": "cancelled"}
    assert {w: timeline.normalise_status(w) for w in words} == words


def test_reference_date_is_named_and_explained():
    a = samverkan.analyse("data/orebro-2014", lang="en")
    assert a.summary["as_of"] == "2014-12-31" and a.summary["as_of_reason"] == "latest-in-data"
    assert "latest date in the data" in a.summary["as_of_explained"]
    given = samverkan.analyse("data/orebro-2014", lang="en", as_of="2014-06-30")
    assert (given.summary["as_of"], given.summary["as_of_reason"]) == ("2014-06-30", "given")
    period = samverkan.analyse("data/orebro-2014", lang="en", period=("2014-01-01", "2014-06-30"))
    assert (period.summary["as_of"], period.summary["as_of_reason"]) == ("2014-06-30", "period-end")


def test_ownership_and_white_spots_agree_on_a_project_ending_on_the_reference_date():
    # Örebro: oms-spar-2 ends 2014-12-31, the reference date, with status ended: ended for both
    a = samverkan.analyse("data/orebro-2014", lang="en")
    spots = a.white_spots
    assert "target-group-only-gap-projects" not in set(spots["kind"] if "kind" in spots else spots.iloc[:, 0])
    assert a.findings["rule"].eq("ended-without-receiver").any()
