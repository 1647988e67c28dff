"""Fixtures for the report tests: a hand-made analysis result and a small network page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for folder in (HERE.parent, HERE):  # tests/ for browser_support, tests/report/ for report_samples
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from report_samples import FIGURE_SVG, NETWORK_HTML, build_result  # noqa: E402


@pytest.fixture
def make_result():
    """The builder of a hand-made result: ``make_result(lang="sv", extra_organisations=0, ...)``."""
    return build_result


@pytest.fixture
def network_html() -> str:
    return NETWORK_HTML


@pytest.fixture
def figure_svg() -> str:
    return FIGURE_SVG
