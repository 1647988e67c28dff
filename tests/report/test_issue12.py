"""Issue 12: what the report says is true and readable, at any size.

Gaps (errors and warnings) and notes (info) are counted the same in the terminal, the report and
the files; the reference date is stated; codes become names; a 3,000-row table gives a short report.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pandas as pd
import pytest
from click.testing import CliRunner
from large_table import write_large_table

from samverkan.cli import main
from samverkan.geo import municipality_name
from samverkan.text import report as T
from samverkan.text.report import RULE_LABELS

DATA = Path(__file__).resolve().parents[2] / "data"


def _analyse(package, out: Path, *extra) -> str:
    result = CliRunner().invoke(main, ["analyse", str(package), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def sodertorn(tmp_path_factory):
    out = tmp_path_factory.mktemp("sod") / "out"
    return out, _analyse(DATA / "sodertorn-2009", out)


def _tile(doc, label_start: str) -> str:
    for stat in doc.xpath("//div[@class='stat']"):
        if stat.xpath("./span[@class='l']")[0].text_content().startswith(label_start):
            return stat.xpath("./span[@class='v']")[0].text_content()
    raise AssertionError(label_start)


def test_gaps_and_notes_agree_across_terminal_report_and_files(sodertorn):
    out, terminal = sodertorn
    findings = pd.read_csv(out / "findings.csv")
    gaps = int(findings["severity"].isin(["error", "warning"]).sum())
    notes = int((findings["severity"] == "info").sum())
    assert gaps and notes  # the demo has both
    assert f"ägarskapsbrister: {gaps} (och {notes} noteringar)" in terminal
    excel = pd.read_excel(out / "analysis.xlsx", sheet_name=None)
    sheet = next(frame for name, frame in excel.items() if "severity" in frame.columns or "Allvarlighet" in frame.columns)
    column = "severity" if "severity" in sheet.columns else "Allvarlighet"
    assert len(sheet) == gaps + notes and sheet[column].notna().all()
    doc = lxml.html.fromstring((out / "index.html").read_text(encoding="utf-8"))
    assert _tile(doc, "Ägarskapsbrister") == str(gaps)
    assert f"och {notes} noteringar" in doc.xpath("//div[@class='stat']/span[@class='l']")[4].text_content()
    text = doc.get_element_by_id("summary").text_content()
    assert f"{gaps} brister och {notes} noteringar" in text
    # no heading counts info findings as gaps
    for heading in doc.xpath("//section[@id='projects']//h4"):
        words = heading.text_content()
        if words.startswith("Brister ("):
            ul = heading.getnext()
            assert all("notering" not in b.text_content() for b in ul.xpath(".//span[contains(@class,'badge')]"))


def test_reference_date_and_title_are_stated(sodertorn):
    out, terminal = sodertorn
    import json

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["as_of"] and f"referensdatum {summary['as_of']}: " in terminal
    doc = lxml.html.fromstring((out / "index.html").read_text(encoding="utf-8"))
    header = doc.xpath("//header[@class='report-header']")[0].text_content()
    assert "Referensdatum" in header and summary["as_of"] in header and summary["as_of_explained"] in header
    assert doc.xpath("//h1")[0].text_content() == summary["title"] != "sodertorn-2009"
    # plain words first, the computation notes last
    sections = [s.get("id") for s in doc.xpath("//main/section")]
    assert sections[0] == "summary" and sections[-1] == "appendix"
    assert "Om beräkningarna" not in header
    assert "Delprojekt räknas som egna projekt" in doc.get_element_by_id("summary").text_content()


def test_partial_partner_lists_are_explained(tmp_path):

    package = tmp_path / "pkg"
    table, mapping = write_large_table(tmp_path / "src", projects=40, organisations=30)
    mapping.write_text(mapping.read_text(encoding="utf-8") + '\n[options]\npartners_listed = "some"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(table), "--map", str(mapping), "-o", str(package)])
    assert result.exit_code == 0, result.output
    _analyse(package, tmp_path / "out")
    doc = lxml.html.fromstring((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    text = doc.get_element_by_id("summary").text_content()
    assert "Underlaget listar bara en del av parterna i 40 projekt" in text
    assert "ensamma" in text


@pytest.mark.browser
def test_no_codes_in_the_visible_text_of_a_swedish_report(sodertorn, tmp_path):
    from browser_support import browser_session

    out, _ = sodertorn
    orebro = tmp_path / "ore"
    _analyse(DATA / "orebro-2014", orebro)
    with browser_session() as session:
        for folder in (out, orebro):
            page = session.open(folder / "index.html", viewport=(1400, 900))
            text = page.page.evaluate("document.body.innerText")
            session.close_page(page)
            for rule in RULE_LABELS["en"]:
                assert rule not in text, rule
            for role in ("lead:", "steering:", "owner:", "partner:", "reference:"):
                assert role not in text, role
            codes = {c for c in re.findall(r"(?<![\d\-–.,:/])(\d{4})(?![\d\-])", text) if municipality_name(c)}
            assert not codes, codes


@pytest.mark.browser
def test_a_3000_row_flat_table_gives_a_report_under_25000_px(tmp_path):
    from browser_support import browser_session

    table, mapping = write_large_table(tmp_path / "src")
    assert 3000 <= len(table.read_text(encoding="utf-8").splitlines()) - 1 <= 3400
    package = tmp_path / "pkg"
    result = CliRunner().invoke(main, ["import", str(table), "--map", str(mapping), "-o", str(package)])
    assert result.exit_code == 0, result.output
    terminal = _analyse(package, tmp_path / "out")
    assert "Stort prov" in terminal  # the mapping's description is the title
    with browser_session() as session:
        page = session.open(tmp_path / "out" / "index.html", viewport=(1400, 900))
        height = page.page.evaluate("document.documentElement.scrollHeight")
        text = page.page.evaluate("document.body.innerText")
        session.close_page(page)
    assert page.clean, page.problems()
    assert height < 25000, height
    assert "findings.csv och analysis.xlsx" in text
    assert T.text("sv", "more_same_title") in text
