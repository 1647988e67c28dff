"""The pages as a user sees them: headless Debian Chromium with the network cut off.

Screenshots go to reports/screenshots/ and the measured times to reports/screenshots/timings.json.
"""

from __future__ import annotations

import pytest
from views_samples import XSS_IMG, XSS_SCRIPT

from samverkan.views.efforts import write_efforts_html
from samverkan.views.network import write_ego_html, write_network_html, write_two_mode_html

pytestmark = pytest.mark.browser

SMALL_BUDGET_MS = 5_000
LARGE_BUDGET_MS = 10_000  # software rendering on a 2-core CI machine; about 1 s measured


def _visible_nodes(page) -> int:
    return page.evaluate("() => samverkanView.nodes.get({filter: n => !n.hidden}).length")


def _assert_usable(report, budget_ms, timings, name):
    assert report.ready, f"page never became ready; {report.problems()}"
    assert report.clean, report.problems()
    assert report.blocked_requests == []
    assert report.usable_ms is not None and report.usable_ms < budget_ms, report.usable_ms
    assert report.wall_ms < budget_ms, report.wall_ms
    timings[name] = {"usable_ms": report.usable_ms, "wall_ms": report.wall_ms}


def _search(page, query):
    page.fill("#search", query)
    page.press("#search", "Enter")
    page.wait_for_function("() => network.getSelectedNodes().length === 1")
    page.wait_for_timeout(500)  # the focus animation (350 ms)
    return page.evaluate("() => network.getSelectedNodes()")


def test_small_network(browser, small_graph, tmp_path, screenshot_dir, timings):
    path = tmp_path / "natverk.html"
    write_network_html(small_graph, path, title="Samverkan på Södertörn", subtitle=XSS_IMG)
    report = browser.open(path, screenshot=screenshot_dir / "network-small.png")
    _assert_usable(report, SMALL_BUDGET_MS, timings, "network-small (20 nodes)")
    page = report.page
    assert page.evaluate("() => window.network.body.data.nodes.length") == 20
    assert page.evaluate("() => samverkanView.nodes.length") == 20
    assert page.evaluate("() => samverkanView.edges.length") == small_graph.number_of_edges()
    assert page.inner_text("#counter") == "20 organisationer visas av 20"
    assert page.inner_text(".subtitle") == XSS_IMG

    # search: case-insensitive substring, Swedish letters; the match is selected and centred
    assert _search(page, "SÖDERTÖRNS hög") == ["sh"]
    assert page.inner_text("#details-title") == "Södertörns högskola"
    assert page.is_visible("#details")
    # framed with its neighbours at a readable zoom, in the part of the canvas the card leaves free
    framed = page.evaluate("""() => {
        const p = network.canvasToDOM(network.getPositions(['sh']).sh);
        const canvas = document.getElementById('network').getBoundingClientRect();
        const card = document.getElementById('details').getBoundingClientRect();
        return {x: p.x, y: p.y, free: card.left - canvas.left, height: canvas.height, scale: network.getScale()};
    }""")
    assert 0 < framed["x"] < framed["free"] and 0 < framed["y"] < framed["height"], framed
    assert framed["scale"] <= 1.6, framed
    report.take_screenshot(screenshot_dir / "network-small-search.png")

    # filters: type hides nodes and the counter follows
    page.click("#details-close")
    page.select_option("#filter-type", "municipality")
    assert _visible_nodes(page) == 6
    assert page.inner_text("#counter") == "6 organisationer visas av 20"
    page.select_option("#filter-municipality", "Huddinge")
    assert _visible_nodes(page) == 1
    assert page.inner_text("#counter") == "1 organisation visas av 20"
    report.take_screenshot(screenshot_dir / "network-small-filtered.png")
    page.click("#reset")
    assert _visible_nodes(page) == 20
    page.select_option("#filter-project", "Unga in")
    assert _visible_nodes(page) == 10
    page.click("#reset")

    # hostile names are text: found by search, shown verbatim, nothing injected, no dialog
    assert _search(page, "<img") == ["xss1"]
    assert page.inner_text("#details-title") == XSS_IMG
    assert _search(page, "</script>") == ["xss2"]
    assert page.inner_text("#details-title") == XSS_SCRIPT
    assert page.evaluate("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("() => document.querySelectorAll('script').length") == 5  # data, the kit, vis, ours, the what-if control
    page.wait_for_timeout(300)
    assert report.dialogs == [] and report.clean, report.problems()


def test_hover_shows_plain_text_tooltip(browser, small_graph, tmp_path, screenshot_dir):
    path = tmp_path / "natverk.html"
    write_network_html(small_graph, path, title="Samverkan på Södertörn")
    report = browser.open(path)
    page = report.page
    point = page.evaluate("() => network.canvasToDOM(network.getPositions(['xss1']).xss1)")
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=3000)
    tooltip = page.inner_text("div.vis-tooltip")
    assert tooltip.splitlines()[0] == XSS_IMG
    assert "Typ: övrigt" in tooltip
    tags = page.evaluate("() => [...document.querySelector('div.vis-tooltip').children].map(c => c.tagName)")
    assert set(tags) <= {"BR"}  # plain text: only the line breaks innerText makes
    report.take_screenshot(screenshot_dir / "network-small-tooltip.png")
    assert report.clean, report.problems()


def test_print_hides_controls(browser, small_graph, tmp_path):
    path = tmp_path / "natverk.html"
    write_network_html(small_graph, path, title="Samverkan på Södertörn")
    report = browser.open(path)
    page = report.page
    assert page.is_visible("#search")
    page.emulate_media(media="print")
    assert not page.is_visible("#search")
    assert not page.is_visible("#filter-type")
    assert not page.is_visible("#fit")
    assert page.is_visible(".legend")


def test_large_network_backbone(browser, synthetic_graph, tmp_path, screenshot_dir, timings):
    path = tmp_path / "stort.html"
    facts = write_network_html(synthetic_graph, path, title="Samverkan i hela landet (syntetiskt)", max_nodes=1500)
    assert facts["backbone"]
    report = browser.open(path, screenshot=screenshot_dir / "network-large-backbone.png")
    _assert_usable(report, LARGE_BUDGET_MS, timings, "network-large (1500 of 3000 nodes, backbone)")
    page = report.page
    assert page.evaluate("() => window.network.body.data.nodes.length") == 1500
    assert page.is_visible("#banner")
    assert "Visar de 1\u202f500 mest centrala av 3\u202f000 organisationer" in page.inner_text("#banner")
    assert page.inner_text("#counter") == "1\u202f500 organisationer visas av 1\u202f500"
    # one interaction stays quick at this size
    page.select_option("#filter-community", "3")
    assert 0 < _visible_nodes(page) < 1500
    assert report.clean, report.problems()


def test_two_mode_and_ego(browser, two_mode_graph, small_graph, tmp_path, screenshot_dir, timings):
    path = tmp_path / "tvamode.html"
    write_two_mode_html(two_mode_graph, path, title="Organisationer och projekt")
    report = browser.open(path, screenshot=screenshot_dir / "network-two-mode.png")
    _assert_usable(report, SMALL_BUDGET_MS, timings, "two-mode (24 nodes)")
    page = report.page
    assert page.evaluate("() => network.body.data.nodes.length") == two_mode_graph.number_of_nodes()
    assert page.inner_text("#counter") == "20 organisationer och 4 projekt visas av 24 noder"
    page.select_option("#filter-type", "project")
    assert page.inner_text("#counter") == "0 organisationer och 4 projekt visas av 24 noder"

    path = tmp_path / "ego.html"
    write_ego_html(small_graph, "sof", path)
    report = browser.open(path, screenshot=screenshot_dir / "network-ego.png")
    _assert_usable(report, SMALL_BUDGET_MS, timings, "ego (7 nodes)")
    page = report.page
    assert page.evaluate("() => network.getSelectedNodes()") == ["sof"]
    assert {"id": "sof", "text": "Samordningsförbundet Östra Söde\u2026"} in page.evaluate("() => samverkanView.labels")
    assert _search(page, "haninge") == ["k0136"]
    assert page.inner_text("#details-title") == "Haninge kommun"


def test_efforts_page(browser, efforts_tables, tmp_path, screenshot_dir, timings):
    efforts, organisations, target_groups, municipalities = efforts_tables
    path = tmp_path / "insatser.html"
    write_efforts_html(efforts, organisations, target_groups, path, municipalities=municipalities, title="Insatskarta Södertörn")
    report = browser.open(path, screenshot=screenshot_dir / "efforts.png")
    _assert_usable(report, SMALL_BUDGET_MS, timings, "efforts (8 efforts)")
    page = report.page
    rows = "#efforts-table tbody tr:not([hidden])"
    assert page.locator(rows).count() == 8
    page.select_option("#filter-target-group", "unga")
    assert page.locator(rows).count() == 4
    assert page.inner_text("#counter") == "4 av 8 insatser visas"
    page.select_option("#filter-municipality", "Botkyrka")
    assert page.locator(rows).count() == 2
    page.click("#reset")
    assert page.locator(rows).count() == 8
    # the matrix is there, white spots marked, and a cell click filters the table
    assert page.locator("#coverage-matrix td.white-spot").count() == 16
    page.click('#coverage-matrix button[data-tg="nyanl"][data-mun="Haninge"]')
    assert page.locator(rows).count() == 2
    # sorting by organisation
    page.click("#reset")
    page.click('#efforts-table thead button[data-col="1"]')
    first = page.inner_text("#efforts-table tbody tr:first-child td:nth-child(2)")
    assert first == XSS_IMG  # "<" sorts first; shown as text
    page.fill("#search", "språk")
    assert page.locator(rows).count() == 1
    page.fill("#search", "SPRAKCAFE")  # case and diacritics ignored
    assert page.locator(rows).count() == 1
    page.fill("#search", "oppen verksamhet")
    assert page.locator(rows).count() == 1
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    # the kit's filters fold the same way
    assert page.evaluate("() => samverkanKit.fold('Södertälje Öppen Café')") == "sodertalje oppen cafe"
    page.fill("#search", "")
    page.select_option("#filter-target-group", "lang")
    report.take_screenshot(screenshot_dir / "efforts-filtered.png")
    assert report.clean, report.problems()


def test_open_page_helper_records_blocked_requests(tmp_path, screenshot_dir):
    """The plain helper other test folders use: one call, a report, the browser closed again."""
    from browser_support import open_page

    page = tmp_path / "leaky.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<link rel='stylesheet' href='https://cdn.example.invalid/x.css'></head>"
        "<body><img src='http://tracker.example.invalid/p.png'>"
        "<script>console.error('boom'); document.body.setAttribute('data-ready', '1');</script></body></html>",
        encoding="utf-8",
    )
    report = open_page(page, screenshot=tmp_path / "leaky.png", timeout_s=10)
    assert report.ready and report.page is None
    assert sorted(report.blocked_requests) == ["http://tracker.example.invalid/p.png", "https://cdn.example.invalid/x.css"]
    assert "boom" in report.console_errors
    assert not report.clean
    assert report.screenshot.exists()


def test_ids_that_are_object_property_names_are_drawn(browser, tmp_path, screenshot_dir):
    """Names are data: ids such as __proto__ and constructor are keys of a Map, drawn, found and shown."""
    import networkx as nx

    G = nx.Graph()
    for n, name in (("__proto__", "Proto kommun"), ("constructor", "Konstruktör AB"), ("hasOwnProperty", "Egen förening"), ("toString", "Sträng skola")):
        G.add_node(n, name=name, type="municipality")
    G.add_edges_from([("__proto__", "constructor", {"shared_projects": 2}), ("constructor", "hasOwnProperty", {"shared_projects": 1}), ("toString", "__proto__", {"shared_projects": 1})])
    path = tmp_path / "namn.html"
    write_network_html(G, path, title="Namn är data")
    report = browser.open(path, screenshot=screenshot_dir / "network-property-names.png")
    assert report.ready and report.clean, report.problems()
    page = report.page
    assert page.evaluate("() => window.network.body.data.nodes.length") == 4
    assert page.inner_text("#counter") == "4 organisationer visas av 4"
    assert _search(page, "proto") == ["__proto__"]
    assert page.inner_text("#details-title") == "Proto kommun"
    assert _search(page, "konstruktör") == ["constructor"]
    assert page.inner_text("#details-title") == "Konstruktör AB"


def _issue12_graph():
    import networkx as nx

    G = nx.Graph()
    G.add_node(
        "st",
        name="Södertälje kommun",
        type="municipality",
        municipality="0181",
        roles="lead: Jobb för alla | steering: Jobb för alla",
        projects="Jobb för alla|Jobb för alla",
        project_ids="p1|p2",
        project_names="Jobb för alla|Jobb för alla",
    )
    G.add_node("af", name="Arbetsförmedlingen", type="state_agency", municipality="0180", projects="Jobb för alla", project_ids="p1", project_names="Jobb för alla")
    G.add_node("ngo", name="Stadsmissionen", type="ngo", projects="Jobb för alla", project_ids="p2", project_names="Jobb för alla")
    G.add_edge("st", "af", shared_projects=1)
    G.add_edge("st", "ngo", shared_projects=1)
    return G


def test_search_ignores_case_and_diacritics_and_filters_name_things(browser, tmp_path, screenshot_dir):
    path = tmp_path / "natverk.html"
    write_network_html(_issue12_graph(), path, title="Sök utan prickar")
    report = browser.open(path)
    page = report.page
    assert _search(page, "sodertalje") == ["st"]
    assert page.inner_text("#details-title") == "Södertälje kommun"
    # names, not codes: the municipality and the roles in the page's language
    details = page.inner_text("#details-text")
    assert "Kommun: Södertälje" in details and "0181" not in details
    assert "lead:" not in details and "steering:" not in details
    options = page.evaluate("() => [...document.querySelectorAll('#filter-municipality option')].map(o => [o.value, o.textContent])")
    assert ["0181", "Södertälje (1)"] in options and ["0180", "Stockholm (1)"] in options
    # two projects sharing a name are two options, told apart by their ids
    projects = page.evaluate("() => [...document.querySelectorAll('#filter-project option')].map(o => [o.value, o.textContent])")
    assert projects[1:] == [["p1", "Jobb för alla [p1] (2)"], ["p2", "Jobb för alla [p2] (2)"]]
    page.click("#details-close")
    page.select_option("#filter-project", "p2")
    assert sorted(page.evaluate("() => samverkanView.nodes.get({filter: n => !n.hidden}).map(n => n.id)")) == ["ngo", "st"]
    assert report.clean, report.problems()


def test_tooltip_hidden_while_card_is_open(browser, tmp_path, screenshot_dir):
    path = tmp_path / "natverk.html"
    write_network_html(_issue12_graph(), path, title="Kort och tooltip")
    report = browser.open(path)
    page = report.page
    _search(page, "arbetsförm")
    assert page.is_visible("#details")
    point = page.evaluate("() => network.canvasToDOM(network.getPositions(['st']).st)")
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_timeout(600)
    assert page.evaluate("() => document.body.classList.contains('card-open')")
    assert not page.is_visible("div.vis-tooltip")
    page.click("#details-close")
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=3000)
    assert report.clean, report.problems()
