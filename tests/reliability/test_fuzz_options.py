"""Every value a user can type is checked before work starts (issue 17, item 7 and item 17).

Hypothesis draws option values for every click command (seeds, sample sizes, --max-nodes,
dates, periods, output paths, combinations such as --ego with --two-mode). The package given
does not exist, so a run whose options are all valid ends at reading the package (exit 1 or 2)
in milliseconds; a run with a bad option must end with a usage error (exit 2) that names the
option, never an internal error (exit 3) or a traceback.
"""

from __future__ import annotations

import datetime as dt

import pytest
import reliability_kit as kit
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.options import MAX_NODES_MAX, SAMPLE_MAX, SAMPLES_MAX, SEED_MAX

TALLY = "options"
MISSING = "no-such-package-folder"

integers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([-1, 0, 1, 2**32 - 1, 2**32, 2**63, -(2**63), SAMPLE_MAX, SAMPLE_MAX + 1, SAMPLES_MAX + 1, 100_000_000]),
)
texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "1e9", "0x10", "1_000", "nan", "inf", "-0", "+5", "５", "\x1b[2J", "\x1b]0;x\x07", "2014-02-30", "2014-13-01", "0000-01-01", "9999-12-31", "2014-06-30"]),
)
values = st.one_of(integers.map(str), texts)


def _expect_valid_int(text: str, low: int, high: int) -> bool:
    try:
        return low <= int(text.strip().replace("_", "")) <= high
    except ValueError:
        return False


def _run(args, *, valid: bool | None = None):
    """One CLI call; ``valid``: whether every option value is right (then the run gets as far as
    the missing package), or not (then the usage error names an option, never the package)."""
    with kit.case(TALLY, timeout=30):
        result = kit.invoke(*args)
        kit.assert_clean_exit(result, allowed=(0, 1, 2))
        assert result.exit_code != 3
        if valid is True:
            assert MISSING in result.output and "Invalid value" not in result.output, result.output
        elif valid is False:
            assert result.exit_code == 2 and ("Invalid value" in result.output or "--" in result.output) and "no such" not in result.output, result.output
    return result


@given(seed=values, sample=values)
@settings(kit.FUZZ, max_examples=kit.examples(1600))
def test_analyse_seed_and_sample(seed, sample, tmp_path_factory):
    valid = _expect_valid_int(seed, 0, SEED_MAX) and _expect_valid_int(sample, 1, SAMPLE_MAX)
    result = _run(["analyse", MISSING, "-o", "out-never-written", "--seed", seed, "--sample", sample], valid=valid)
    if not valid:
        assert result.exit_code == 2 and ("--seed" in result.output or "--sample" in result.output), result.output
    kit.outcome(TALLY, f"analyse exit {result.exit_code}")


@given(max_nodes=values, ego=st.one_of(st.none(), texts), two_mode=st.booleans(), seed=values)
@settings(kit.FUZZ, max_examples=kit.examples(1600))
def test_view_options(max_nodes, ego, two_mode, seed):
    args = ["view", MISSING, "-o", "never.html", "--max-nodes", max_nodes, "--seed", seed]
    if ego is not None:
        args += ["--ego", ego]
    if two_mode:
        args.append("--two-mode")
    valid = _expect_valid_int(max_nodes, 1, MAX_NODES_MAX) and _expect_valid_int(seed, 0, SEED_MAX) and not (ego and two_mode)
    result = _run(args, valid=valid)
    if not valid:
        assert result.exit_code == 2, result.output
    kit.outcome(TALLY, f"view exit {result.exit_code}")


@given(samples=values, seed=values, minimum=values)
@settings(kit.FUZZ, max_examples=kit.examples(1600))
def test_compare_options(samples, seed, minimum):
    valid = _expect_valid_int(samples, 1, SAMPLES_MAX) and _expect_valid_int(seed, 0, SEED_MAX) and _expect_valid_int(minimum, 1, 10_000_000)
    result = _run(["compare", MISSING, MISSING + "2", "-o", "never", "--samples", samples, "--seed", seed, "--min-organisations", minimum], valid=valid)
    if not valid:
        assert result.exit_code == 2, result.output
    kit.outcome(TALLY, f"compare exit {result.exit_code}")


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text.strip())
        return True
    except ValueError:
        return False


@given(start=st.one_of(texts, st.dates().map(str)), end=st.one_of(texts, st.dates().map(str)), as_of=st.one_of(st.none(), texts, st.dates().map(str)))
@settings(kit.FUZZ, max_examples=kit.examples(1600))
def test_dates_and_periods(start, end, as_of):
    args = ["analyse", MISSING, "-o", "never", "--period", start, end]
    if as_of is not None:
        args += ["--as-of", as_of]
    result = _run(args)
    valid = _is_date(start) and _is_date(end) and (as_of is None or _is_date(as_of))
    if not valid or (dt.date.fromisoformat(end.strip()) < dt.date.fromisoformat(start.strip())) or as_of is not None:
        assert result.exit_code == 2, result.output
    kit.outcome(TALLY, f"dates exit {result.exit_code}")


@given(output=st.one_of(texts, st.sampled_from(["", " ", "\x00", "a\x00b", "/", ".", "..", "-"])), command=st.sampled_from(["analyse", "view", "compare", "import", "init"]))
@settings(kit.FUZZ, max_examples=kit.examples(1600))
def test_output_paths(output, command, tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(folder)
    if command == "import":
        args = ["import", MISSING, "--map", MISSING, "-o", output]
    elif command == "init":
        args = ["init", output] if output and "\x00" not in output and output.strip() and output not in ("/", ".", "..") else ["init", "--lang", "xx", "x"]
    elif command == "compare":
        args = ["compare", MISSING, MISSING, "-o", output]
    else:
        args = [command, MISSING, "-o", output]
    result = _run(args)
    if command in ("analyse", "view", "compare", "import") and not output.strip():
        assert result.exit_code == 2 and "empty" in result.output, result.output
    kit.outcome(TALLY, f"-o exit {result.exit_code}")


# -- fixed cases the review named ---------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["analyse", kit.SODERTORN, "-o", "x", "--seed", "-1"],
        ["analyse", kit.SODERTORN, "-o", "x", "--seed", str(2**32)],
        ["analyse", kit.SODERTORN, "-o", "x", "--sample", "0"],
        ["analyse", kit.SODERTORN, "-o", "x", "--sample", "-5"],
        ["view", kit.SODERTORN, "-o", "x.html", "--max-nodes", "0"],
        ["view", kit.SODERTORN, "-o", "x.html", "--max-nodes", "-3"],
        ["view", kit.SODERTORN, "-o", "x.html", "--ego", "huddinge", "--two-mode"],
        ["compare", kit.SODERTORN, kit.OREBRO, "-o", "x", "--samples", "100000000"],
        ["analyse", kit.SODERTORN, "-o", "x", "--as-of", "2014-02-30"],
        ["analyse", kit.SODERTORN, "-o", "x", "--period", "2014-12-31", "2014-01-01"],
    ],
)
def test_the_reviewed_values_are_usage_errors(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _run(args)
    assert result.exit_code == 2, result.output
    assert list(tmp_path.iterdir()) == []


def test_an_output_inside_a_symlink_loop_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    result = _run(["analyse", kit.SODERTORN, "-o", tmp_path / "a" / "out"])
    assert result.exit_code == 2 and "loop" in result.output


@pytest.mark.parametrize("opening", ["[", "{a = ", "x = ["])
def test_a_deeply_nested_mapping_is_a_usage_error(opening, tmp_path):
    mapping = tmp_path / "deep.toml"
    mapping.write_text(opening * 100_000, encoding="utf-8")
    table = tmp_path / "flat.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    result = _run(["import", table, "--map", mapping, "-o", tmp_path / "pkg"])
    assert result.exit_code in (1, 2) and "RecursionError" not in result.output
