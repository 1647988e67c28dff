"""Fixtures for the map tests: the two example packages analysed once, and one headless browser."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # tests/ for browser_support
    sys.path.insert(0, str(HERE.parent))

from browser_support import browser_session  # noqa: E402  (after the path above)

DATA = HERE.parents[1] / "data"
SCREENSHOTS = HERE.parents[1] / "reports" / "screenshots"


def _analysed(name):
    from samverkan.analysis import analyse
    from samverkan.io.package import read_package

    return analyse(read_package(DATA / name))


@pytest.fixture(scope="session")
def sodertorn():
    return _analysed("sodertorn-2009")


@pytest.fixture(scope="session")
def orebro():
    return _analysed("orebro-2014")


@pytest.fixture(scope="session")
def browser():
    with browser_session() as session:
        yield session


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
