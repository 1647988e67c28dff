"""Fixtures for the view tests: sample graphs and tables, and one headless browser per session."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

HERE = Path(__file__).resolve().parent
for folder in (HERE.parent, HERE):  # tests/ for browser_support, tests/views/ for views_samples
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from browser_support import browser_session  # noqa: E402
from views_samples import (  # noqa: E402
    SCREENSHOTS,
    XSS_IMG,
    XSS_SCRIPT,
    make_small_graph,
    make_synthetic_graph,
    make_two_mode_graph,
)


@pytest.fixture
def small_graph() -> nx.Graph:
    return make_small_graph()


@pytest.fixture(scope="session")
def synthetic_graph() -> nx.Graph:
    return make_synthetic_graph()


@pytest.fixture
def two_mode_graph() -> nx.Graph:
    return make_two_mode_graph()


@pytest.fixture
def efforts_tables():
    pd = pytest.importorskip("pandas")
    organisations = pd.DataFrame(
        {
            "id": ["o1", "o2", "o3", "o4"],
            "name": ["Botkyrka kommun", "Stadsmissionen", "Arbetsförmedlingen", XSS_IMG],
            "type": ["municipality", "ngo", "state_agency", "other"],
            "municipality": ["Botkyrka", "Stockholm", None, "Huddinge"],
            "email": ["a@exempel.se", "b@exempel.se", "c@exempel.se", "d@exempel.se"],
        }
    )
    target_groups = pd.DataFrame(
        {
            "id": ["unga", "nyanl", "lang", "funk"],
            "name": ["Unga 16–24 år", "Nyanlända", "Långtidsarbetslösa", "Personer med funktionsnedsättning"],
        }
    )
    efforts = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(8)],
            "name": ["Jobbspår", "Språkcafé", "Ungdomslots", "Praktik i kommunen", "Stöd & matchning", XSS_SCRIPT, "Öppen verksamhet", "Åtgärd utan kommun"],
            "organisation": ["o3", "o2", "o1", "o1", "o3", "o4", "o2", "o3"],
            "target_groups": ["lang|nyanl", "nyanl", "unga", "unga|funk", "lang|funk", "unga", "unga|nyanl", None],
            "municipalities": ["Botkyrka|Huddinge|Haninge", "Botkyrka", "Botkyrka", "Botkyrka", "Huddinge|Haninge|Nynäshamn", "Huddinge", "Haninge|Tyresö", None],
        }
    )
    municipalities = ["Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö"]
    return efforts, organisations, target_groups, municipalities


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (skipped without Chromium, failed under CI)."""
    with browser_session() as session:
        yield session


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def timings(screenshot_dir):
    """Collects usable-time measurements; written to reports/screenshots/timings.json at the end."""
    import json

    measured: dict[str, dict] = {}
    yield measured
    if measured:
        (screenshot_dir / "timings.json").write_text(json.dumps(measured, indent=2, sort_keys=True) + "\n", encoding="utf-8")
