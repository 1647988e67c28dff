"""The report as a reader sees it: headless Debian Chromium, the network cut off.

Every request that is not ``file:``, ``data:``, ``blob:`` or ``about:`` is aborted and recorded
(``browser_support``); console errors, uncaught exceptions and dialogs are recorded too, and each
must stay empty. Screenshots go to ``reports/screenshots/report-*.png`` (git-ignored) for a person
to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import browser_session
from report_samples import FIGURE_SVG, NETWORK_HTML, SCREENSHOTS, XSS_NAME, build_result

from samverkan.report import write_report

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[2] / "data"


def _column(page, table_selector: str, index: int, attribute: str | None = None) -> list[str]:
    script = """([sel, i, attr]) => Array.from(document.querySelector(sel).tBodies[0].rows).map(r => {
        const c = r.cells[i]; return attr ? c.getAttribute(attr) : c.textContent.trim(); })"""
    return page.evaluate(script, [table_selector, index, attribute])


def _assert_clean(report):
    assert report.ready, f"the report never set data-ready; {report.problems()}"
    assert report.blocked_requests == [], report.blocked_requests
    assert report.console_errors == [], report.console_errors
    assert report.page_errors == [], report.page_errors
    assert report.dialogs == [], report.dialogs


def _screenshots(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # an off-screen iframe is not painted in a full-page capture: show the network first
    page.evaluate("() => { const f = document.querySelector('iframe'); if (f) f.scrollIntoView({behavior: 'instant', block: 'center'}); }")
    page.wait_for_timeout(600)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-network.png"))
    page.evaluate("() => window.scrollTo({top: 0, behavior: 'instant'})")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_opens_offline_sorts_and_shows_hostile_names_as_text(tmp_path, lang):
    path = write_report(build_result(lang), tmp_path / lang, network_html=NETWORK_HTML, figure_svg=FIGURE_SVG, views={"nodes_shown": 6, "nodes_total": 6, "backbone": False})
    with browser_session() as session:
        report = session.open(path)
        page = report.page
        _assert_clean(report)

        # the hostile name is on screen as text, and nothing it carried became an element
        assert page.get_by_text("<img src=x onerror=alert(1)>Farlig AB", exact=False).first.is_visible()
        assert page.evaluate("() => document.querySelectorAll('img').length") == 0
        cells = page.evaluate("() => Array.from(document.querySelectorAll('#bridging td, #bridging th')).map(c => c.textContent)")
        assert XSS_NAME in cells

        # the organisations table: click "name" (text, ascending first), then "betweenness" (numbers, descending first)
        table = "#bridging .table-wrap:nth-of-type(2) table"
        header = page.locator(f"{table} thead th").nth(0)
        before = _column(page, table, 0)
        header.locator("button").click()
        after = _column(page, table, 0)
        assert after != before and sorted(after) == sorted(before)
        assert header.get_attribute("aria-sort") == "ascending"
        assert after.index("Arbetsförmedlingen") < after.index("Ideella föreningen Örat") < after.index("Länsstyrelsen i Stockholms län")
        numeric = page.locator(f"{table} thead th").nth(4)
        numeric.locator("button").click()
        values = [float(v) for v in _column(page, table, 4, "data-sort")]
        assert values == sorted(values, reverse=True) and numeric.get_attribute("aria-sort") == "descending"
        numeric.locator("button").click()
        values = [float(v) for v in _column(page, table, 4, "data-sort")]
        assert values == sorted(values) and numeric.get_attribute("aria-sort") == "ascending"
        # decimal commas are read as numbers when a cell has no sort key
        if lang == "sv":
            assert page.evaluate("() => [samverkanReport.parseNumber('1\u00a0234,5'), samverkanReport.parseNumber('\u22120,25'), samverkanReport.parseNumber('95\u00a0%')]") == [1234.5, -0.25, 95]
        else:
            assert page.evaluate("() => [samverkanReport.parseNumber('1,234.5'), samverkanReport.parseNumber('\u22120.25')]") == [1234.5, -0.25]

        # the embedded interactive page ran under the report's policy
        frame = next(f for f in page.frames if f.url.startswith("about:srcdoc"))
        assert frame.evaluate("() => document.body.getAttribute('data-ready')") == "1"
        assert frame.evaluate("() => document.getElementById('who').textContent") == "</script>"

        # collapsible groups open and close
        group = page.locator("#gaps details.group").first
        group.locator("summary").click()
        assert group.evaluate("d => d.open")

        _screenshots(page, f"report-{lang}")

        # on paper: no navigation, no iframe, the static figure instead
        page.emulate_media(media="print")
        assert not page.locator("nav.toc").is_visible()
        assert not page.locator("iframe").is_visible()
        assert page.locator("figure.network-figure svg").is_visible()
        page.screenshot(path=str(SCREENSHOTS / f"report-{lang}-print.png"), full_page=True)
        assert report.dialogs == [] and report.page_errors == [] and report.console_errors == []


def test_report_of_a_real_package_with_the_real_network_view(tmp_path):
    from samverkan.io.package import read_package

    try:
        from samverkan.analysis import analyse
        from samverkan.graph.export import graph_with_metrics
        from samverkan.views.figures import write_static_figures
        from samverkan.views.network import write_network_html

        result = analyse(read_package(DATA / "sodertorn-2009"))
    except ImportError as exc:  # the metrics or views are not all there yet
        pytest.skip(f"analysis or views not available: {exc}")
    folder = tmp_path / "sodertorn"
    G = graph_with_metrics(result.graph, result.organisations)
    facts = write_network_html(G, folder / "network.html", title="Södertörn 2009", lang="sv", size_by="betweenness", seed=42)
    figures = write_static_figures(G, folder / "network", title="Södertörn 2009", lang="sv", size_by="betweenness", seed=42)
    svg = next(p for p in figures if str(p).endswith(".svg"))
    path = write_report(result, folder, network_html=(folder / "network.html").read_text(encoding="utf-8"), figure_svg=Path(svg).read_text(encoding="utf-8"), views=facts)
    with browser_session() as session:
        report = session.open(path)
        _assert_clean(report)
        page = report.page
        frame = next(f for f in page.frames if f.url.startswith("about:srcdoc"))
        frame.wait_for_function("() => document.body.getAttribute('data-ready') === '1'", timeout=15_000)
        assert frame.evaluate("() => window.samverkanView.nodes.length") == result.graph.n
        assert page.locator("a[href='analysis.xlsx']").count() == 0  # only files that exist are linked
        assert page.locator("a[href='network.html']").count() >= 1
        _screenshots(page, "report-sodertorn")
        _assert_clean(report)
