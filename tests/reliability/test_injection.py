"""Injection: hostile names cannot run in a spreadsheet or a browser, nor move an output elsewhere.

The package (``reliability_kit.build_hostile_package``) names organisations, projects, target
groups and efforts ``<img src=x onerror=alert(1)>``, ``</script><script>alert(1)</script>``,
``=HYPERLINK("http://evil","x")``, ``+SUM(1)``, ``-2+3``, ``@cmd``, a name with U+2028,
``<!--``, ``{{title}}`` and a full-width ``＝``, and gives one organisation a formula as its id.

* CSV and Excel: every text cell starting with = + - @ (or tab/CR, or their full-width forms) is
  neutralised by a leading apostrophe; no Excel cell is a formula.
* HTML: no element carries an event handler or a ``javascript:`` URL, the pages hold exactly as
  many ``<script>``/``<img>``/``<iframe>``… elements as the same pages for the unmodified package,
  no hostile text appears raw in the source, and JSON inside ``<script>`` parses and holds no
  ``</script`` or ``<!--``. Pages embedded through ``srcdoc`` are checked the same way.
* Graph exports are well-formed XML / JSON.
* ``output_path`` keeps every name inside the output folder, also through symbolic links.
"""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reliability_kit as kit
from samverkan.errors import UsageError
from samverkan.io.output import output_path, safe_cell

DANGEROUS_TAGS = ("script", "img", "iframe", "object", "embed", "link", "meta", "base", "form", "frame", "svg", "math", "style", "audio", "video", "source")
RAW_HOSTILE = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "<!--kommentar"]


# --------------------------------------------------------------------------------------------
# Spreadsheets


@pytest.fixture(params=["analyse", "compare"])
def hostile_output(request):
    """The outputs of analyse, then of compare, on the hostile package."""
    return request.getfixturevalue("hostile_run" if request.param == "analyse" else "hostile_compare").output


def test_csv_outputs_neutralise_formulas(hostile_output):
    files = [p for p in kit.visible_files(hostile_output) if p.suffix == ".csv"]
    assert files
    bad, seen_neutralised = [], 0
    for path in files:
        for number, row in enumerate(kit.read_csv_rows(path), start=1):
            for cell in row:
                if kit.is_dangerous_cell(cell):
                    bad.append(f"{path.name}:{number}: {cell!r}")
                seen_neutralised += cell.startswith(("'=HYPERLINK", "'+SUM", "'-2+3", "'@cmd", "'=2+5+cmd"))
    assert not bad, bad[:10]
    if hostile_output.name == "ut":
        assert seen_neutralised, "no hostile name reached the CSV outputs: the test proves nothing"


def test_xlsx_outputs_hold_no_formula(hostile_output):
    files = [p for p in kit.visible_files(hostile_output) if p.suffix == ".xlsx"]
    assert files
    bad, seen = [], 0
    for path in files:
        for sheet, coordinate, value, data_type in kit.xlsx_cells(path):
            if data_type == "f" or kit.is_dangerous_cell(value):
                bad.append(f"{path.name}[{sheet}]{coordinate}: {value!r} ({data_type})")
            seen += isinstance(value, str) and value.startswith("'=HYPERLINK")
    assert not bad, bad[:10]


@given(text=st.text(max_size=30) | st.sampled_from(["=1+1", "+1", "-1-1", "@A1", "\t=1", "\r=1", "＝1", "'=1", "''=1", "-5", "0180"]))
@settings(kit.FUZZ, max_examples=kit.examples(200))
def test_safe_cell_neutralises_every_formula_start(text):
    with kit.case("test_safe_cell_neutralises_every_formula_start"):
        safe = safe_cell(text)
        assert not kit.is_dangerous_cell(safe) or safe.startswith("'")
        if text.startswith(kit.FORMULA_START):
            assert safe == "'" + text


# --------------------------------------------------------------------------------------------
# HTML


def _pages(path: Path):
    """(name, source) of an HTML file and of every page embedded in it through srcdoc."""
    source = path.read_text(encoding="utf-8")
    yield path.name, source
    document = lxml.html.fromstring(source)
    for number, element in enumerate(document.xpath("//*[@srcdoc]")):
        yield f"{path.name}#srcdoc{number}", element.get("srcdoc")


def _check_page(name: str, source: str) -> collections.Counter:
    document = lxml.html.fromstring(source)
    problems = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            if attribute.lower().startswith("on"):
                problems.append(f"<{element.tag} {attribute}=...>")
            if attribute.lower() in ("href", "src", "action", "formaction", "xlink:href") and value.strip().lower().startswith(("javascript:", "vbscript:")):
                problems.append(f"<{element.tag} {attribute}={value[:40]}>")
    scripts = document.xpath("//script")
    if len(re.findall(r"</script", source, re.IGNORECASE)) != len(scripts):
        problems.append("the number of '</script' in the source differs from the number of script elements")
    for script in scripts:
        text = script.text or ""
        if script.get("type") == "application/json":
            if re.search(r"</script|<!--", text, re.IGNORECASE):
                problems.append("JSON in <script> holds '</script' or '<!--'")
            try:
                json.loads(text)
            except ValueError as exc:
                problems.append(f"JSON in <script id={script.get('id')}> does not parse: {exc}")
    for hostile in RAW_HOSTILE:
        if hostile in source:
            problems.append(f"raw {hostile!r} in the source")
    assert not problems, f"{name}: {problems[:10]}"
    return collections.Counter(element.tag for element in document.iter() if isinstance(element.tag, str) and element.tag in DANGEROUS_TAGS)


def test_html_outputs_hold_no_live_hostile_markup(hostile_run, reference_runs):
    pages = [p for p in kit.visible_files(hostile_run.output) if p.suffix == ".html"]
    assert {p.name for p in pages} >= {"index.html", "network.html"}, [p.name for p in pages]
    checked = 0
    for path in pages:
        reference = reference_runs[0].output / path.name
        expected = dict(_pages(reference)) if reference.exists() else {}
        for name, source in _pages(path):
            counts = _check_page(name, source)
            checked += 1
            if name in expected:
                assert counts == _check_page(name, expected[name]), f"{name}: elements differ from the page for the unmodified package"
    assert checked >= len(pages)


def test_compare_pages_hold_no_live_hostile_markup(hostile_compare):
    pages = [p for p in kit.visible_files(hostile_compare.output) if p.suffix == ".html"]
    assert pages
    for path in pages:
        for name, source in _pages(path):
            _check_page(name, source)


def test_hostile_names_are_shown_as_text(hostile_run):
    """The names are not dropped either: the report shows them, escaped."""
    report = (hostile_run.output / "index.html").read_text(encoding="utf-8")
    text = lxml.html.fromstring(report).text_content()
    assert "<img src=x onerror=alert(1)>" in text
    assert '=HYPERLINK("http://evil","x")' in text


def test_graph_exports_are_well_formed(hostile_run):
    for name in ("graph.graphml", "graph.gexf"):
        path = hostile_run.output / name
        if path.exists():
            lxml.etree.parse(str(path))
    if (hostile_run.output / "graph.json").exists():
        kit.json_load(hostile_run.output / "graph.json")


def test_view_command_escapes_hostile_names(hostile, tmp_path, analysis_ready):
    for extra in ((), ("--two-mode",), ("--ego", kit.HOSTILE_ID)):
        out = tmp_path / f"view{len(extra)}.html"
        result = kit.invoke("view", hostile["package"], "-o", out, *extra)
        if result.exit_code == 3 and kit.stub_in_output(result.output):
            pytest.skip(result.output[-300:])
        kit.assert_clean_exit(result, allowed=(0,))
        _check_page(out.name, out.read_text(encoding="utf-8"))


def test_graph_exports_survive_control_characters(tmp_path):
    from samverkan.graph.export import graph_with_metrics, write_gexf, write_graphml
    from samverkan.graph.projection import project_organisations
    from samverkan.io.package import read_package

    package = read_package(kit.SODERTORN)
    package.tables["organisations"].loc[0, "name"] = "Huddinge\x0bkommun\x01"
    G = graph_with_metrics(project_organisations(package))
    write_graphml(G, tmp_path / "g.graphml")
    write_gexf(G, tmp_path / "g.gexf")
    lxml.etree.parse(str(tmp_path / "g.graphml"))
    lxml.etree.parse(str(tmp_path / "g.gexf"))


def test_analyse_survives_xml_forbidden_characters(tmp_path, analysis_ready):
    folder = kit.copy_package(kit.OREBRO, tmp_path / "paket")
    rows = kit.read_csv_rows(folder / "organisations.csv")
    rows[1][1] = "Regionförbundet\ufffe Örebro\uffff"
    (folder / "organisations.csv").write_bytes(kit.csv_bytes(rows))
    assert kit.validate_checked(folder)[0] is not None
    result = kit.invoke("analyse", folder, "-o", tmp_path / "ut", "-q", "--no-views")
    kit.assert_clean_exit(result, allowed=(0,))
    assert (tmp_path / "ut" / "analysis.xlsx").is_file()


# --------------------------------------------------------------------------------------------
# Paths

path_parts = st.sampled_from([".", "..", "a", "å", "b c", "", "~", "C:", "\\..", "..\\..", "%2e%2e", ".hidden", "network.html"])
names = st.lists(path_parts, min_size=1, max_size=6).map("/".join) | st.lists(path_parts, max_size=4).map(lambda parts: "/" + "/".join(parts))


@given(name=names)
@settings(kit.FUZZ, max_examples=kit.examples(200))
def test_output_path_never_leaves_the_folder(workdir, name):
    folder = (workdir / "ut").resolve()
    folder.mkdir(exist_ok=True)
    with kit.case("test_output_path_never_leaves_the_folder"):
        try:
            path = output_path(folder, name)
        except UsageError:
            return
        assert path == folder or folder in path.parents


def test_output_path_follows_symbolic_links(tmp_path):
    folder = tmp_path / "ut"
    outside = tmp_path / "utanför"
    folder.mkdir()
    outside.mkdir()
    (folder / "länk").symlink_to(outside, target_is_directory=True)
    (folder / "organisations.csv").symlink_to(outside / "offer.csv")
    for name in ("länk/x.csv", "organisations.csv"):
        with pytest.raises(UsageError):
            output_path(folder, name)


def test_analyse_cannot_be_redirected_by_a_planted_link(tmp_path, analysis_ready):
    """A symbolic link planted in the output folder must not make analyse write outside it."""
    folder = tmp_path / "ut"
    folder.mkdir()
    victim = tmp_path / "offer.csv"
    victim.write_text("orört\n", encoding="utf-8")
    (folder / "organisations.csv").symlink_to(victim)
    result = kit.invoke("analyse", kit.OREBRO, "-o", folder, "-q", "--no-views")
    if result.exit_code == 3 and kit.stub_in_output(result.output):
        pytest.skip(result.output[-300:])
    kit.assert_clean_exit(result, allowed=(0, 2))
    assert victim.read_text(encoding="utf-8") == "orört\n"


def test_output_path_refuses_nul(tmp_path):
    with pytest.raises(UsageError):
        output_path(tmp_path, "a\x00b.csv")


def test_email_scrubbing_is_linear():
    """Was quadratic (a 1,000,000-character name never finished; the report took a minute)."""
    from samverkan.report.html import scrub_emails

    # 400,000 characters: linear work is milliseconds, the old quadratic scan never finished.
    _, seconds = kit.elapsed(scrub_emails, "x" * 400_000 + " anna@example.se")
    assert seconds < 20, f"{seconds:.2f} s for 400,000 characters (a hang guard, not a speed test)"
