"""The map of efforts as a file: table, coverage matrix with white spots, escaping, offline."""

from __future__ import annotations

import re

from lxml import html as lxml_html
from views_samples import XSS_IMG, XSS_SCRIPT, assert_offline

from samverkan.views.efforts import coverage_matrix, write_efforts_html


def _write(tables, tmp_path, **options):
    efforts, organisations, target_groups, municipalities = tables
    path = tmp_path / "insatser.html"
    options.setdefault("municipalities", municipalities)
    facts = write_efforts_html(efforts, organisations, target_groups, path, **options)
    return facts, path.read_text(encoding="utf-8")


def test_facts_and_matrix(efforts_tables, tmp_path):
    facts, page = _write(efforts_tables, tmp_path)
    # 4 target groups × 8 municipalities = 32 cells. Non-empty, worked out from the fixture:
    # unga: Botkyrka 2 (Ungdomslots, Praktik), Huddinge 1, Haninge 1, Tyresö 1
    # nyanl: Botkyrka 2, Huddinge 1, Haninge 2, Tyresö 1; lang: Botkyrka 1, Huddinge 2, Haninge 2,
    # Nynäshamn 1; funk: Botkyrka 1, Huddinge 1, Haninge 1, Nynäshamn 1  -> 16 filled, 16 white
    assert facts == {"efforts": 8, "target_groups": 4, "municipalities": 8, "white_spots": 16}
    doc = lxml_html.fromstring(page)
    rows = doc.xpath('//table[@id="coverage-matrix"]/tbody/tr')
    assert [r.xpath("string(th)") for r in rows] == ["Unga 16–24 år", "Nyanlända", "Långtidsarbetslösa", "Personer med funktionsnedsättning"]
    unga = [td.text_content() for td in rows[0].xpath("td")]
    assert unga == ["2", "1", "1", "0", "0", "0", "0", "1", "4"]  # 8 municipalities, then the total
    assert len(doc.xpath('//td[contains(@class, "white-spot")]')) == 16
    assert "16 vita fläckar av 32 kombinationer" in page
    assert "Insatser utan angivna kommuner: 1" in page
    assert len(doc.xpath('//table[@id="efforts-table"]/tbody/tr')) == 8


def test_coverage_matrix_counts_each_effort_once():
    rows = [{"target_groups": "a|a|b", "municipalities": "X|X"}]
    assert coverage_matrix(rows, ["a", "b"], ["X", "Y"]) == {("a", "X"): 1, ("a", "Y"): 0, ("b", "X"): 1, ("b", "Y"): 0}


def test_escaped_offline_and_no_email(efforts_tables, tmp_path):
    _, page = _write(efforts_tables, tmp_path, title=XSS_SCRIPT)
    assert XSS_IMG not in page and XSS_SCRIPT not in page
    assert "<img" not in page.lower()
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "@exempel.se" not in page
    assert_offline(page)
    assert re.search(r"<script>", page)


def test_without_a_municipality_list_uses_those_named(efforts_tables, tmp_path):
    facts, page = _write(efforts_tables, tmp_path, municipalities=None, lang="en")
    assert facts["municipalities"] == 5  # Botkyrka, Haninge, Huddinge, Nynäshamn, Tyresö
    assert "Map of efforts" in page and '<html lang="en">' in page


def test_deterministic(efforts_tables, tmp_path):
    _, first = _write(efforts_tables, tmp_path)
    _, second = _write(efforts_tables, tmp_path)
    assert first == second


def test_municipality_codes_are_named_after_municipality_organisations(tmp_path):
    import pandas as pd

    organisations = pd.DataFrame(
        {
            "id": ["han", "han-af", "bot"],
            "name": ["Haninge kommun", "Haninge kommun, arbetsmarknadsenheten", "Botkyrka kommun"],
            "type": ["municipality", "municipality", "municipality"],
            "municipality": ["0136", "136", "127"],  # Excel may drop the leading zero
            "parent": [None, "han", None],
        }
    )
    efforts = pd.DataFrame({"id": ["e1", "e2"], "name": ["SFI", "Praktik"], "organisation": ["han", "bot"], "target_groups": ["nyanl", "nyanl"], "municipalities": ["136|0127", "0127"]})
    path = tmp_path / "e.html"
    facts = write_efforts_html(efforts, organisations, None, path, municipalities=["0127", "0136", "0138", "9999"])
    assert facts == {"efforts": 2, "target_groups": 1, "municipalities": 4, "white_spots": 2}
    doc = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    heads = [th.text_content() for th in doc.xpath('//table[@id="coverage-matrix"]/thead/tr/th')]
    # no organisation has 0138: named from the bundled code list (Tyresö); an unknown code stays a code
    assert heads == ["Målgrupp", "Botkyrka kommun", "Haninge kommun", "Tyresö", "9999", "Totalt"]
    cells = [td.text_content() for td in doc.xpath('//table[@id="coverage-matrix"]/tbody/tr/td')]
    assert cells == ["2", "1", "0", "0", "2"]
    assert doc.xpath('//select[@id="filter-municipality"]/option/@value') == ["", "0127", "0136", "0138", "9999"]


def test_the_page_shows_the_analysis_coverage_matrix_when_given(tmp_path):
    """One coverage matrix: with the analysis's (efforts and active projects) the page's white spots are its zeros."""
    import pandas as pd

    from samverkan.views.efforts import write_efforts_html

    efforts = pd.DataFrame({"id": ["e1"], "name": ["Sommarjobb"], "organisation": ["o"], "target_groups": ["unga"], "municipalities": ["Huddinge"]})
    organisations = pd.DataFrame({"id": ["o"], "name": ["Huddinge kommun"]})
    coverage = pd.DataFrame({"Huddinge": [1, 0], "Botkyrka": [2, 3]}, index=pd.Index(["unga", "nyanlanda"], name="target_group"))
    facts = write_efforts_html(efforts, organisations, None, tmp_path / "e.html", coverage=coverage)
    page = (tmp_path / "e.html").read_text(encoding="utf-8")
    assert facts["white_spots"] == 1  # the one zero of the given matrix, not a count of efforts alone
    assert page.count('<td class="white-spot">') == 1 and "Botkyrka" in page
