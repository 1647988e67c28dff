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
    run_compare(example_paths(), tmp_path, samples=5, min_organisations=20, lang="en", rank_by="density")
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
        # the heading names the ranking metric and the page says what rank 1 means
        assert page.inner_text("#ranking h2") == "Ranking by Density"
        assert page.inner_text("#ranking .ranking-metric").startswith("Rank 1 has the highest value")
        assert "chosen with --rank-by" in page.inner_text("#ranking .ranking-metric")
        assert page.inner_text("#t-ranking tbody tr:first-child td.rank") == "1"
        assert "sodertorn" in page.inner_text(first_region)
        for _ in range(2):
            header.click()
            assert "orebro" in page.inner_text(last_row)
            assert page.inner_text(f"{last_row} td.rank") == "–"
        # sorting by another column moves rows, never ranks: Södertörn stays rank 1
        page.locator("#t-ranking thead th", has_text="Projects").first.click()
        ranks = page.evaluate("() => [...document.querySelectorAll('#t-ranking tbody tr')].map(r => [r.cells[1].textContent, r.cells[0].textContent])")
        assert {region.replace("too thin", ""): rank for region, rank in ranks} == {"sodertorn-2009": "1", "orebro-2014": "–"}
        # the two example packages list no project id in common: no link between them, no network drawn
        # (an organisation listed in both, Arbetsförmedlingen, does not make their projects joint)
        assert page.locator("svg.network circle").count() == 0


def test_swedish_page_names_the_default_metric_and_no_rule_codes(tmp_path):
    from samverkan.metrics.ownership import RULES

    run_compare(example_paths(), tmp_path, samples=5, lang="sv")
    with browser_session() as session:
        report = session.open(tmp_path / "index.html")
        assert report.ready and report.clean, report.problems()
        page = report.page
        assert page.inner_text("#ranking h2") == "Rangordning efter täthet mot nollmodellen (z)"
        assert "förvalt" in page.inner_text("#ranking .ranking-metric")
        visible = page.inner_text("body")
        for rule in RULES:  # rule codes and English rule names: catalogue labels instead
            assert rule not in visible and rule.replace("-", " ") not in visible, rule
        assert "Saknar styrgrupp".lower() in visible.lower()
        # every column called a share holds values in [0, 1]
        shares = page.evaluate("""() => {
            const table = document.getElementById('t-ranking');
            const heads = [...table.tHead.rows[0].cells].map(c => c.textContent);
            const out = [];
            heads.forEach((h, i) => { if (/^Andel|Största delen|Band över typgräns|Partner utanför/.test(h))
                [...table.tBodies[0].rows].forEach(r => { const v = r.cells[i].getAttribute('data-sort'); if (v) out.push([h, Number(v)]); }); });
            return out;
        }""")
        assert shares and all(0 <= v <= 1 for _, v in shares), shares
        # no figure without content: no inter-region drawing without links, no empty small multiple
        assert page.locator("svg.network").count() == 0
        titles = page.evaluate("() => [...document.querySelectorAll('#figures dl.sentences dt')].map(d => d.textContent)")
        assert titles and not any("nyckelperson" in t.lower() for t in titles), titles
