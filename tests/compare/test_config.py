"""samverkan.toml: the example files load and rebuild the benchmark; every mistake is reported at once."""

import datetime as dt
import shutil

import pytest

from samverkan.compare import load_config, run_compare_config
from samverkan.errors import InputError, UsageError

from .helpers import EXAMPLES, FIXTURES, example_paths


def test_example_config_loads():
    example_paths()
    config = load_config(FIXTURES / "samverkan.toml")
    assert config.labels == ["Örebro 2014", "Södertörn 2009"]
    assert [p.name for p in config.packages] == ["orebro-2014", "sodertorn-2009"]
    assert config.output == (FIXTURES / "comparison").resolve()
    assert (config.options.seed, config.options.samples, config.options.min_organisations, config.options.lang) == (42, 20, 10, "sv")
    assert config.overtime.as_of == (dt.date(2009, 6, 30), dt.date(2014, 6, 30))
    assert config.overtime.snapshot_labels() == ("2009", "2014")


def test_config_rebuilds_the_benchmark(tmp_path):
    example_paths()
    result = run_compare_config(FIXTURES / "samverkan.toml", output=tmp_path / "out")
    assert result.comparison["region"].tolist() == ["Örebro 2014", "Södertörn 2009"]
    assert result.overtime is not None and len(result.overtime) == 2
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"comparison.csv", "comparison.xlsx", "null_model.csv", "inter_region.csv", "overtime.csv", "comparison.png", "comparison.svg", "index.html"} <= names
    assert result.null_model["samples"].eq(20).all()


def test_options_given_beside_the_file_override_it(tmp_path):
    example_paths()
    result = run_compare_config(FIXTURES / "samverkan.toml", output=tmp_path, lang="en", samples=5, seed=None)
    assert result.options.lang == "en" and result.options.samples == 5 and result.options.seed == 42
    assert '<html lang="en">' in (tmp_path / "index.html").read_text(encoding="utf-8")
    with pytest.raises(UsageError, match="unknown option"):
        run_compare_config(FIXTURES / "samverkan.toml", output=tmp_path, colour="red")


def test_split_config_with_selected_values_and_labels(tmp_path):
    example_paths()
    result = run_compare_config(FIXTURES / "samverkan-split.toml", output=tmp_path)
    assert result.comparison["region"].tolist() == ["Stockholm", "Östergötlands län"]
    assert result.regions.by == "region"


BAD = """\
[compre]
x = 1

[compare]
seed = "forty-two"
lang = "de"
sample = 10
min_organisations = 0
period = ["2014-12-31", "2014-01-01"]

[[packages]]
path = "no/such/package"

[[packages]]
label = "without path"

[overtime]
as_of = ["2014-06-30"]
"""


def test_every_mistake_is_reported_with_file_line_key_and_hint(tmp_path):
    path = tmp_path / "samverkan.toml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path)
    problems = {p.column: p for p in caught.value.problems}
    assert problems["compre"].hint == "did you mean [compare]?" and problems["compre"].row == 1
    assert problems["compare.seed"].code == "bad-type" and problems["compare.seed"].row == 5
    assert "lang" in problems["compare.lang"].hint
    assert problems["compare.sample"].hint == "did you mean 'samples'?" and problems["compare.sample"].row == 7
    assert problems["compare.min_organisations"].code == "bad-value"
    assert problems["compare.period"].message == "the period starts after it ends"
    assert problems["packages[1].path"].code == "missing-package" and problems["packages[1].path"].row == 12
    assert problems["packages[2].path"].code == "missing-key"
    assert problems["overtime.as_of"].code == "bad-value"
    report = caught.value.report()
    assert str(path) in report and "error(s)" in report


@pytest.mark.parametrize(
    "text, key, fragment",
    [
        ("[compare]\nseed = 1\n", "packages", "names no package"),
        ('[compare]\nby = "region"\n[[packages]]\npath = "A"\n[[packages]]\npath = "B"\n', "compare.by", "splits ONE package"),
        ('[[packages]]\npath = "A"\n', "packages", "compares with nothing"),
        ('[compare]\nselect = ["SE"]\n[[packages]]\npath = "A"\n[[packages]]\npath = "B"\n', "compare.select", "select needs by"),
        ('[[packages]]\npath = "A"\nlabel = "x"\n[[packages]]\npath = "B"\nlabel = "x"\n', "packages[2].label", "both named 'x'"),
        ('[[packages]]\npath = "A"\n[[packages]]\npath = "B"\n[overtime]\npackages = ["A", "C"]\n', "overtime.packages", "no package labelled 'C'"),
        ('[[packages]]\npath = "A"\n[[packages]]\npath = "B"\n[overtime]\nas_of = ["2015-01-01", "2014-01-01"]\n', "overtime.as_of", "before the second"),
        ('[[packages]]\npath = "A"\n[[packages]]\npath = "B"\n[overtime]\nas_of = ["2014-01-01", "2015-01-01"]\nperiods = []\n', "overtime", "exactly one of"),
    ],
)
def test_single_mistakes(tmp_path, text, key, fragment):
    for name in ("A", "B"):
        (tmp_path / name).mkdir()
    path = tmp_path / "samverkan.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path)
    messages = {p.column: p.message for p in caught.value.problems}
    assert key in messages, messages
    assert fragment in messages[key]


def test_syntax_errors_and_missing_files(tmp_path):
    path = tmp_path / "samverkan.toml"
    path.write_text("[compare]\nseed = \n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path)
    problem = caught.value.problems[0]
    assert problem.code == "config-syntax" and problem.row == 2
    with pytest.raises(UsageError, match="no such config file"):
        load_config(tmp_path / "missing.toml")


def test_two_packages_of_one_region_over_time(tmp_path):
    example_paths()
    for name in ("orebro-2014", "sodertorn-2009"):
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    (tmp_path / "samverkan.toml").write_text(
        '[compare]\nsamples = 3\n[[packages]]\npath = "orebro-2014"\nlabel = "then"\n[[packages]]\npath = "sodertorn-2009"\nlabel = "now"\n[overtime]\npackages = ["then", "now"]\n',
        encoding="utf-8",
    )
    result = run_compare_config(tmp_path / "samverkan.toml")
    assert result.directory == (tmp_path / "comparison").resolve()
    assert result.overtime["region"].tolist() == ["then → now"]
    assert result.overtime.iloc[0]["snapshot_1"] == "then"


def test_the_bundled_benchmark_shows_ties_that_persist(tmp_path):
    # data/samverkan.toml follows the regions from spring to late autumn 2014: in Örebro some ties
    # last into track 2 and others end with track 1 (issue 12: change over time that shows something)
    from pathlib import Path

    from samverkan.compare import run_compare_config

    config = Path(__file__).resolve().parents[2] / "data" / "samverkan.toml"
    result = run_compare_config(config, output=None, samples=0)
    orebro = result.overtime.set_index("region").loc["Örebro 2014"]
    assert orebro["ties_persisting"] > 0 and orebro["ties_disappearing"] > 0
