"""A whole comparison: the files written, their columns, determinism, safety of the page and the tables."""

import csv
import json
import re

import pandas as pd

import pytest
from openpyxl import load_workbook

from samverkan.compare import run_compare
from samverkan.compare.figures import BASE_COLUMNS, TAIL_COLUMNS
from samverkan.compare.report import json_for_script
from samverkan.errors import UsageError
from samverkan.io.package import read_package

from .helpers import example_paths, make_package

FILES = ["comparison.csv", "comparison.xlsx", "null_model.csv", "inter_region.csv", "comparison.png", "comparison.svg", "index.html"]


@pytest.fixture(scope="module")
def examples_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp")
    result = run_compare(example_paths(), out, samples=10, min_organisations=20)
    return result, out


def test_every_output_is_written(examples_run):
    result, out = examples_run
    for name in FILES:
        assert (out / name).stat().st_size > 0, name
    assert {p.name for p in result.files} == set(FILES) | {"key_figures.csv"}  # the example packages carry key figures
    assert not list(out.glob("*.part")) and not list(out.glob(".*"))  # atomic writes leave nothing behind


def test_comparison_columns_are_stable(examples_run):
    result, out = examples_run
    with open(out / "comparison.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[: len(BASE_COLUMNS)] == BASE_COLUMNS
    key_figures = [c for c in header if c.startswith("kf_")]  # the packages' key figures come last (value or median per region)
    assert key_figures == ["kf_BE0101-folkmangd", "kf_BE0101-folkmangd_period", "kf_BE0101-folkmangd_how", "kf_BE0101-folkmangd_n"]
    header = header[: len(header) - len(key_figures)]
    assert header[-len(TAIL_COLUMNS) :] == TAIL_COLUMNS
    middle = header[len(BASE_COLUMNS) : -len(TAIL_COLUMNS)]
    assert middle == sorted(middle) and all(c.startswith("share_") for c in middle)
    assert result.comparison["region"].tolist() == ["orebro-2014", "sodertorn-2009"]
    # Örebro has 19 organisations: under min_organisations = 20 it is flagged, not dropped
    assert result.comparison["too_thin"].tolist() == [True, False]
    workbook = load_workbook(out / "comparison.xlsx")
    assert workbook.sheetnames == ["comparison", "null_model", "inter_region", "key_figures"]
    sheet = workbook["comparison"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == header + key_figures
    null = list(csv.DictReader(open(out / "null_model.csv", encoding="utf-8")))
    assert [(r["region"], r["metric"]) for r in null] == [("orebro-2014", "density"), ("orebro-2014", "transitivity"), ("sodertorn-2009", "density"), ("sodertorn-2009", "transitivity")]


def test_the_same_inputs_give_byte_identical_files(tmp_path):
    paths = example_paths()
    run_compare(paths, tmp_path / "a", samples=10, seed=7)
    run_compare(paths, tmp_path / "b", samples=10, seed=7)
    for name in FILES:
        if name.endswith(".xlsx"):  # the workbook stores its creation time; compare the cells
            rows = [[[c.value for c in row] for row in load_workbook(tmp_path / d / name)["comparison"].iter_rows()] for d in "ab"]
            assert rows[0] == rows[1]
            continue
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_the_page_is_self_contained(examples_run):
    _, out = examples_run
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert not re.search(r"https?://", page)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\ssrc\s*=", page)
    assert "@import" not in page and not re.search(r"url\((?!#)", page)  # only references inside the page
    # the small multiples and the county map inline (Södertörn in Stockholms län, Örebro in Örebro
    # län, found from their municipalities); no inter-region network: the two example packages share no project id
    assert page.count("<svg") == 2
    assert 'id="county-map"' in page and 'data-code="01"' in page and 'data-code="18"' in page
    assert 'class="thin sort-last"' in page and "för tunn" in page
    assert '<style media="print">' in page  # the kit's print stylesheet
    data = json.loads(re.search(r'<script type="application/json" id="samverkan-data">(.*?)</script>', page, re.S).group(1))
    assert [r["region"] for r in data["regions"]] == ["orebro-2014", "sodertorn-2009"]
    # one sentence per figure, saying what higher and lower mean
    assert page.count("<dt>") >= 10 and "Högre täthet" in page


HOSTILE = "</script><img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://example.invalid","x")'


def test_hostile_names_are_escaped_everywhere(tmp_path):
    rows = [("p1", "a", "owner"), ("p1", "b", "partner"), ("p2", "b", "owner"), ("p2", "c", "partner")]
    organisations = [{"id": "a", "name": HOSTILE, "region": HOSTILE}, {"id": "b", "name": FORMULA, "region": FORMULA}, {"id": "c", "name": "C & co", "region": HOSTILE}]
    result = run_compare([make_package(rows, organisations=organisations)], tmp_path, by="region", samples=5, lang="en")
    assert set(result.comparison["region"]) == {HOSTILE, FORMULA}
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert HOSTILE not in page and "<img" not in page
    assert page.count("</script>") == 3  # the JSON block, the kit's script and the ranks script, nothing more
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    svg = (tmp_path / "comparison.svg").read_text(encoding="utf-8")
    assert HOSTILE not in svg
    table = (tmp_path / "comparison.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in table  # neutralised for spreadsheets
    links = (tmp_path / "inter_region.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in links


def test_json_for_script_cannot_end_the_script():
    text = json_for_script({"a": "</script><!-- \u2028 & >"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 & >"}


def test_english_page_and_split_by_municipality(tmp_path):
    package = read_package(example_paths()[1])
    result = run_compare([package], tmp_path, by="municipality", samples=5, lang="en")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Comparison of regions" in page and "Higher density" in page
    assert result.regions.by == "municipality"
    assert result.comparison["too_thin"].all()  # one organisation per municipality code
    assert any("belong to no region" in n for n in result.notes)


def test_usage_errors():
    paths = example_paths()
    with pytest.raises(UsageError, match="give two or more packages"):
        run_compare([], None)
    with pytest.raises(UsageError, match="by splits ONE package"):
        run_compare(paths, None, by="region")
    with pytest.raises(UsageError, match="need by"):
        run_compare(paths, None, select=["x"])
    with pytest.raises(UsageError, match="is not a date"):
        run_compare(paths, None, as_of="yesterday")
    with pytest.raises(UsageError, match="lang must be"):
        run_compare(paths, None, lang="de")


def test_compute_without_writing_and_zero_samples():
    result = run_compare(example_paths(), None, samples=0)
    assert result.directory is None and result.files == []
    assert result.null_model.empty and result.comparison["density_z"].isna().all()


def test_ranking_is_named_and_can_be_chosen(examples_run):
    result, _ = examples_run
    # default: density against the null model; the rows stay in the given order, ranked() orders them
    assert result.rank_by == "density_z" and result.rank_by_reason == "default"
    assert result.summary["rank_by"] == "density_z"
    assert result.comparison["region"].tolist() == ["orebro-2014", "sodertorn-2009"]
    ranked = result.ranked()
    assert ranked["too_thin"].tolist() == sorted(ranked["too_thin"].tolist())  # too thin to rank: last
    from samverkan.compare.run import rank_regions

    by_size = rank_regions(result.comparison, "organisations")[0]
    assert by_size["organisations"].tolist()[0] == max(result.comparison[~result.comparison["too_thin"]]["organisations"])
    with pytest.raises(UsageError, match="cannot rank regions by 'densty'; did you mean 'density'"):
        rank_regions(result.comparison, "densty")


def test_every_share_is_in_zero_to_one(examples_run):
    result, _ = examples_run
    shares = [c for c in result.comparison.columns if "share" in c]
    assert shares
    for column in shares:
        values = pd.to_numeric(result.comparison[column], errors="coerce").dropna()
        assert ((values >= 0) & (values <= 1)).all(), column
