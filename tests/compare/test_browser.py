"""The comparison page in headless Chromium: no request leaves the page, headers sort, thin rows stay last."""

import sys
from pathlib import Path

import pytest

from samverkan.compare import run_compare

from .helpers import example_paths

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests/ folder
from browser_support import browser_session  # noqa: E402

pytestmark = pytest.mark.browser


def test_page_opens_clean_and_sorts(tmp_path):
    run_compare(example_paths(), tmp_path, samples=5, min_organisations=20, lang="en")
    with browser_session() as session:
        report = session.open(tmp_path / "index.html", screenshot=tmp_path / "page.png")
        assert report.ready and report.clean, report.problems()
        page = report.page
        csp = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert "default-src 'none'" in csp and "script-src 'sha256-" in csp  # the kit's base template sets it
        assert page.locator('style[media="print"]').count() == 1
        first_region = "#t-ranking tbody tr:first-child td:nth-child(2)"
        last_row = "#t-ranking tbody tr:last-child"
        # Örebro (19 organisations) is too thin at 20: it stays last whatever the sort
        header = page.locator("#t-ranking thead th", has_text="Density").first
        for _ in range(2):
            header.click()
            assert "orebro" in page.inner_text(last_row)
            assert page.inner_text(f"{last_row} td.rank") == "–"
        assert page.inner_text("#t-ranking tbody tr:first-child td.rank") == "1"
        assert "sodertorn" in page.inner_text(first_region)
        # the two example packages list no project id in common: no link between them, no network drawn
        # (an organisation listed in both, Arbetsförmedlingen, does not make their projects joint)
        assert page.locator("svg.network circle").count() == 0
