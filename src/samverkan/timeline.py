"""When a project is running: the one place that decides "active" and "ended" on a date.

The ownership rules (``ended-without-receiver``), the white spots and the coverage matrix all ask
this module, so a project can never be ended for one and running for the other.

The rule, in order (``as_of`` is the reference date, see :func:`reference_date`):

1. status ``cancelled``: neither active nor ended (left out);
2. status ``active``: never ended, whatever the dates say; active once started
   (``start ≤ as_of``, or no start date);
3. status ``planned``: not ended; active once its start date has come (or it has none);
4. status ``ended``: ended, unless ``as_of`` lies in the past and the dates show the project was
   still running then (``end > as_of``). A status is written at some time up to today, so for a
   reference date today or later it always wins; for an earlier day (``--as-of 2013-06-30``)
   "ended" may describe a later time. On its end day a project whose status says ended is ended.
5. no status: the dates decide: ended when ``end < as_of``; active when
   ``start ≤ as_of ≤ end`` (a missing bound is open). Without dates it is active and not ended.

With ``as_of`` None only the status counts (no status: active, not ended).

Where status and dates disagree at a reference date today or later (status ``active`` or
``planned`` but the end date has passed; status ``ended`` but the end date is still to come)
the status wins and :func:`status_date_disagreements` names the project once, as a data-quality
note.

Status words are read in Swedish, English and the EU/funding agencies' export vocabularies
(``SIGNED``, ``ONGOING``, ``CLOSED``, ``TERMINATED``, ``pågående``, ``avslutad``, ...) by
:func:`normalise_status`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd

from .model import STATUSES

__all__ = [
    "STATUS_WORDS",
    "normalise_status",
    "reference_date",
    "ended",
    "active",
    "status_date_disagreements",
]

STATUS_WORDS = STATUSES  # one list of status words: samverkan.model


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).strip().casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).replace("_", " ").split())


_LOOKUP = {_fold(word): code for code, words in STATUS_WORDS.items() for word in words}


def normalise_status(value) -> str:
    """The status code (planned, active, ended, cancelled) of a word as exports write it; ``""`` if unknown or empty.

    >>> normalise_status("SIGNED"), normalise_status("Pågående"), normalise_status("CLOSED"), normalise_status("")
    ('active', 'active', 'ended', '')
    >>> normalise_status("TERMINATED"), normalise_status("avslutad"), normalise_status("Avbrutet")
    ('ended', 'ended', 'cancelled')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _LOOKUP.get(_fold(value), "")


def _latest_date(package) -> pd.Timestamp | None:
    candidates = []
    for table in ("projects", "participations"):
        frame = package.tables.get(table) if hasattr(package, "tables") else getattr(package, table, None)
        if frame is None:
            continue
        for column in ("start", "end"):
            if column in frame.columns:
                latest = pd.to_datetime(frame[column], errors="coerce").max()
                if pd.notna(latest):
                    candidates.append(pd.Timestamp(latest))
    return max(candidates) if candidates else None


def reference_date(package, as_of=None, *, today: dt.date | None = None) -> tuple[pd.Timestamp | None, str]:
    """The date that decides what is running, and why that one: ``(date, reason)``.

    ``reason`` is a code: ``"given"`` (the user's ``as_of``), ``"today"`` (no date given and the
    data reaches today or beyond, e.g. a programme running to 2029: today is what a reader
    expects "now" to mean), ``"latest-in-data"`` (the data ends before today, e.g. a 2009
    project round: its last date, so the picture is the situation as the data leaves it, not
    "everything ended years ago"), or ``"no-dates"`` (the data has no dates; only status counts).

    >>> class P: tables = {"projects": pd.DataFrame({"start": ["2009-03-01"], "end": ["2010-12-31"]})}
    >>> reference_date(P(), today=dt.date(2026, 1, 1))
    (Timestamp('2010-12-31 00:00:00'), 'latest-in-data')
    >>> reference_date(P(), "2009-06-30")
    (Timestamp('2009-06-30 00:00:00'), 'given')
    >>> P.tables["projects"].loc[0, "end"] = "2029-04-30"
    >>> reference_date(P(), today=dt.date(2026, 1, 1))
    (Timestamp('2026-01-01 00:00:00'), 'today')
    """
    if as_of is not None:
        return pd.Timestamp(as_of).normalize(), "given"
    latest = _latest_date(package)
    if latest is None:
        return None, "no-dates"
    now = pd.Timestamp(today or dt.date.today()).normalize()
    if latest >= now:
        return now, "today"
    return latest.normalize(), "latest-in-data"


REASONS = {
    "en": {
        "given": "the date you gave (--as-of)",
        "period-end": "the end of the period you gave (--period)",
        "today": "today: the data runs beyond today, so 'running' means running now",
        "latest-in-data": "the latest date in the data (before today), so the picture is the situation as the data leaves it",
        "no-dates": "no date: the data has no dates, so only the status column decides what is running",
    },
    "sv": {
        "given": "datumet du angav (--as-of)",
        "period-end": "slutet av perioden du angav (--period)",
        "today": "dagens datum: uppgifterna sträcker sig förbi i dag, så 'pågående' betyder pågående nu",
        "latest-in-data": "det senaste datumet i uppgifterna (före i dag), så bilden visar läget där uppgifterna slutar",
        "no-dates": "inget datum: uppgifterna saknar datum, så bara statuskolumnen avgör vad som pågår",
    },
}


def _arrays(status, start, end):
    status = np.asarray([normalise_status(s) if s not in ("planned", "active", "ended", "cancelled", "") else s for s in np.asarray(status, dtype=object).tolist()], dtype=object)
    start = pd.to_datetime(pd.Series(np.asarray(start)), errors="coerce")
    end = pd.to_datetime(pd.Series(np.asarray(end)), errors="coerce")
    return status, start, end


def _today(today=None) -> pd.Timestamp:
    return pd.Timestamp(today or dt.date.today()).normalize()


def ended(status, start, end, as_of, *, today=None) -> np.ndarray:
    """Whether each project has ended at ``as_of`` (see the module's rule).

    >>> ended(["active", "ended", "", "", "planned", "cancelled", "ended"],
    ...       [None] * 7, ["2010-01-01", "2014-06-30", "2010-01-01", "2014-06-30", "2010-01-01", "2010-01-01", "2014-12-31"],
    ...       pd.Timestamp("2014-06-30"), today=dt.date(2026, 1, 1)).tolist()
    [False, True, True, False, False, False, False]
    """
    status, start, end = _arrays(status, start, end)
    result = status == "ended"
    if as_of is not None:
        as_of = pd.Timestamp(as_of)
        if as_of < _today(today):  # a past day: "ended" may describe a later time
            result = result & ~(end > as_of).to_numpy(dtype=bool)
        result = result | ((status == "") & (end < as_of).to_numpy(dtype=bool))
    return result


def active(status, start, end, as_of, *, today=None) -> np.ndarray:
    """Whether each project is running at ``as_of`` (see the module's rule).

    >>> active(["active", "ended", "", "", "planned", "cancelled", "ended"],
    ...        ["2000-01-01", "2014-01-01", "2014-01-01", "2015-01-01", "2015-01-01", None, "2014-01-01"],
    ...        ["2010-01-01", "2014-06-30", "2014-06-30", None, None, None, "2014-12-31"],
    ...        pd.Timestamp("2014-06-30"), today=dt.date(2026, 1, 1)).tolist()
    [True, False, True, False, False, False, True]
    """
    status, start, end = _arrays(status, start, end)
    if as_of is None:
        return np.isin(status, ["", "active", "planned"])
    as_of = pd.Timestamp(as_of)
    started = (start.isna() | (start <= as_of)).to_numpy(dtype=bool)
    not_over = (end.isna() | (end >= as_of)).to_numpy(dtype=bool)
    by_status = np.isin(status, ["active", "planned"]) & started
    by_dates = (status == "") & started & not_over
    was_running = (status == "ended") & ~ended(status, start, end, as_of, today=today) & started
    return by_status | by_dates | was_running


def status_date_disagreements(status, start, end, as_of, *, today=None) -> np.ndarray:
    """Where a project's status and its dates tell different stories at ``as_of`` (status wins).

    Only for a reference date today or later (an earlier day is history, where a status written
    later may well differ): status ``active`` or ``planned`` with an end date before ``as_of``;
    status ``ended`` with an end date after ``as_of``.

    >>> status_date_disagreements(["active", "ended", "ended", ""], [None] * 4,
    ...     ["2010-01-01", "2026-01-01", "2029-04-30", "2010-01-01"], pd.Timestamp("2026-01-01"), today=dt.date(2026, 1, 1)).tolist()
    [True, False, True, False]
    >>> status_date_disagreements(["active"], [None], ["2010-01-01"], pd.Timestamp("2014-01-01"), today=dt.date(2026, 1, 1)).tolist()
    [False]
    """
    status, start, end = _arrays(status, start, end)
    if as_of is None or pd.Timestamp(as_of) < _today(today):
        return np.zeros(len(status), dtype=bool)
    as_of = pd.Timestamp(as_of)
    past = (end < as_of).to_numpy(dtype=bool)
    future = (end > as_of).to_numpy(dtype=bool)
    return (np.isin(status, ["active", "planned"]) & past) | ((status == "ended") & future)
