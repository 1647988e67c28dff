"""Issue 15 end to end: key players, what if and suggestions from the CLI into the files, the report and network.html."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from samverkan.cli import main
from samverkan.io.package import read_package
from samverkan.metrics.key_players import KEY_PLAYER_COLUMNS, binary_adjacency, fragmentation, two_step_reach
from samverkan.metrics.suggestions import SUGGESTION_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SODERTORN = ROOT / "data" / "sodertorn-2009"


@pytest.fixture(scope="module")
def without_af(tmp_path_factory):
    out = tmp_path_factory.mktemp("kp") / "sod-af"
    result = CliRunner().invoke(main, ["analyse", str(SODERTORN), "-o", str(out), "-q", "--without", "af", "--key-players", "2"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    out = tmp_path_factory.mktemp("kp") / "sod-en"
    result = CliRunner().invoke(main, ["analyse", str(SODERTORN), "-o", str(out), "-q", "--lang", "en"])
    assert result.exit_code == 0, result.output
    return out


def test_files_have_the_expected_columns(without_af):
    players = pd.read_csv(without_af / "key_players.csv", dtype={"organisations": str})
    assert list(players.columns) == KEY_PLAYER_COLUMNS
    assert sorted(set(zip(players["kind"], players["size"]))) == [("fragment", 1), ("fragment", 2), ("reach", 1), ("reach", 2)]
    suggestions = pd.read_csv(without_af / "suggestions.csv", dtype=str)
    assert set(SUGGESTION_COLUMNS) <= set(suggestions.columns) and "organisation_name" in suggestions.columns
    assert len(suggestions) and (suggestions.groupby(["target_group", "municipality"]).size() <= 5).all()
    assert "af" not in set(suggestions["organisation"])  # it left
    missing = pd.read_csv(without_af / "missing_ties.csv", dtype=str)
    assert {"organisation_a", "organisation_b", "overlap", "shared"} <= set(missing.columns)
    workbook = pd.ExcelFile(without_af / "analysis.xlsx")
    assert {"key_players", "suggestions", "missing_ties"} <= set(workbook.sheet_names)


def test_score_in_the_file_equals_the_score_recomputed_from_scratch(without_af):
    from samverkan.graph.projection import project_organisations
    from samverkan.report.section_key_players import benchmark_only
    from samverkan.whatif import without_organisations

    package = without_organisations(read_package(SODERTORN), ["af"])
    graph = project_organisations(package)
    keep = np.flatnonzero(~benchmark_only(graph, package))
    A = binary_adjacency(graph)[keep][:, keep]
    position = {i: k for k, i in enumerate(graph.nodes["id"].astype(str).to_numpy()[keep])}
    players = pd.read_csv(without_af / "key_players.csv", dtype={"organisations": str})
    assert "af" not in "|".join(players["organisations"])
    for row in players.itertuples(index=False):
        members = [position[i] for i in row.organisations.split("|")]
        expected = fragmentation(A, members) if row.kind == "fragment" else two_step_reach(A, members)
        assert row.score == pytest.approx(expected, abs=1e-12)


def test_benchmark_only_organisations_are_never_key_players(without_af):
    package = read_package(SODERTORN)
    parts = package.participations
    only = set(parts["organisation"]) - set(parts.loc[parts["role"] != "benchmark", "organisation"])
    assert only  # Södertörn has benchmarking municipalities
    players = pd.read_csv(without_af / "key_players.csv", dtype={"organisations": str})
    assert not only & set("|".join(players["organisations"]).split("|"))
    summary = json.loads((without_af / "summary.json").read_text(encoding="utf-8"))
    note = [n for n in summary["key_player_notes"] if n["code"] == "benchmark-only"]
    assert note and 0 < note[0]["n"] <= len(only)  # those benchmarking only *and* without a direct tie


def test_summary_carries_without_and_before_after(without_af):
    summary = json.loads((without_af / "summary.json").read_text(encoding="utf-8"))
    assert summary["without"] == ["af"]
    facts = summary["whatif"]
    assert facts["removed_names"] == ["Arbetsförmedlingen"]
    assert facts["before"]["organisations"] == facts["after"]["organisations"] + 1
    assert facts["before"]["ties"] > facts["after"]["ties"]
    assert {"projects_without_owner", "projects_without_steering"} <= set(facts)
    assert summary["organisations"] == facts["after"]["organisations"]  # the analysis is of the network without


def test_report_opens_with_before_after_and_has_the_sections_in_swedish(without_af):
    page = (without_af / "index.html").read_text(encoding="utf-8")
    main_part = page[page.index('id="main"') :]
    assert main_part.index("whatif-opening") < main_part.index('id="summary"')  # opens the report
    assert "Tänk om Arbetsförmedlingen lämnar" in page and "Före" in page and "Efter" in page
    for title in ("Nyckelaktörer", "Tänk om", "Förslag"):
        assert f">{title}</h2>" in page
    assert "Om Huddinge kommun lämnar samarbetet" in page  # names, not ids
    assert "når alla andra inom två steg: Huddinge kommun" in page
    assert "Kanske" in page  # worded as suggestions


def test_report_sections_in_english(english):
    page = (english / "index.html").read_text(encoding="utf-8")
    for title in ("Key players", "What if", "Suggestions"):
        assert f">{title}</h2>" in page
    assert "If Huddinge kommun leave the collaboration" in page or "If Huddinge kommun leaves" in page
    assert "Perhaps" in page and "whatif-opening" not in page  # no --without: no opening block


def test_unknown_without_exits_2_with_a_suggestion(tmp_path):
    result = CliRunner().invoke(main, ["analyse", str(SODERTORN), "-o", str(tmp_path / "out"), "--without", "arbetsformedlingen"])
    assert result.exit_code == 2
    assert "did you mean" in result.output and "Arbetsförmedlingen" in result.output
    assert not (tmp_path / "out").exists()  # checked before work


def test_key_players_out_of_range_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["analyse", str(SODERTORN), "-o", str(tmp_path / "out"), "--key-players", "11"])
    assert result.exit_code == 2 and "--key-players" in result.output


def test_api_without_and_key_players():
    import samverkan

    a = samverkan.analyse(SODERTORN, without=["Arbetsförmedlingen"], key_players=1, lang="en")
    assert a.summary["without"] == ["af"]
    assert set(a.key_players["size"]) == {1}
    assert len(a.suggestions) and "organisation_name" in a.suggestions.columns
    with pytest.raises(samverkan.errors.UsageError if hasattr(samverkan, "errors") else Exception):
        samverkan.analyse(SODERTORN, without=["nobody-at-all"])


def test_network_whatif_control_in_chromium(english):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from browser_support import browser_session, require_browser

    require_browser()
    with browser_session() as session:
        report = session.open(english / "network.html")
        page = report.page
        assert report.ready, report.problems()
        before = page.get_attribute("#whatif-counter", "data-components")
        page.click("#whatif summary")
        page.check("#whatif input[value=huddinge]")
        after = page.get_attribute("#whatif-counter", "data-components")
        assert int(after) == int(before) + 1  # Huddinge holds the network together
        assert "Without 1 of them" in page.text_content("#whatif-counter")
        assert page.evaluate("() => window.samverkanView.nodes.get('huddinge').hidden") is True
        page.click("#whatif-reset")
        assert page.get_attribute("#whatif-counter", "data-components") == before
        assert report.clean, report.problems()


def test_whatif_counter_says_one_connected_part_in_words_in_chromium(tmp_path):
    # Örebro 2014 is one connected network: the counter must not say "i 1 delar" / "in 1 parts"
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from browser_support import browser_session, require_browser

    require_browser()
    out = tmp_path / "orebro"
    result = CliRunner().invoke(main, ["analyse", str(ROOT / "data" / "orebro-2014"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    with browser_session() as session:
        report = session.open(out / "network.html")
        page = report.page
        assert report.ready, report.problems()
        assert page.get_attribute("#whatif-counter", "data-components") == "1"
        text = page.text_content("#whatif-counter")
        assert "alla i en sammanhängande del" in text and "1 delar" not in text and "{" not in text
        # hiding one organisation that cuts nothing off keeps the one-part sentence
        page.click("#whatif summary")
        boxes = page.query_selector_all("#whatif input[type=checkbox]")
        for box in boxes:
            box.check()
            if page.get_attribute("#whatif-counter", "data-components") == "1":
                break
            box.uncheck()
        text = page.text_content("#whatif-counter")
        assert text.startswith("Utan 1 av dem") and "fortfarande alla i en sammanhängande del" in text
        assert report.clean, report.problems()
