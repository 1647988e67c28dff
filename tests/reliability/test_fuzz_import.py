"""Hostile and broken input for ``samverkan import`` (flat tables and mappings) and for the other
TOML a user writes, the ``samverkan.toml`` of ``samverkan compare --config``.

Contract: exit 0 and a package that validates cleanly, or exit 1 (the validation report) / exit 2
(a usage message); never a traceback, never a hang, and never partial output: when the import
fails, the output folder holds no file a user could mistake for a package.
"""

from __future__ import annotations

import itertools
import json
import math
import shutil
from pathlib import Path

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reliability_kit as kit

pytest.importorskip("samverkan.io.flat_import", reason="samverkan import is not written yet")
pytest.importorskip("samverkan.io.mapping", reason="samverkan import is not written yet")

from samverkan.errors import InputError, UsageError  # noqa: E402
from samverkan.io.mapping import load_mapping  # noqa: E402

cell_text, csv_bytes, nasty_text = kit.cell_text, kit.csv_bytes, kit.nasty_text

INTERREG_MAP = kit.MAPPINGS / "interreg.toml"
INTERREG_TABLE = kit.SHARED_DATA / "interreg-se-2021-2027" / "interreg_swedish_partners.csv"
HEADER = [
    "id",
    "program",
    "projekttyp",
    "startdatum",
    "slutdatum",
    "projektnamn",
    "organisationsnamn",
    "organisationsagande",
    "organisationstyp",
    "organisationsroll",
    "nuts3",
    "nuts2",
    "partnerbudget",
    "politisktmal",
    "specifiktmal",
    "projektår",
    "land",
    "aktiv",
    "strand_kod",
    "strand_namn",
]
ORGANISATIONS = [
    ("Huddinge kommun", "Local public authority", "Stockholms län"),
    ("HUDDINGE  KOMMUN", "Local public authority", "Stockholms län"),
    ("Region Örebro län", "Regional public authority", "Örebro län"),
    ("Luleå tekniska universitet", "Higher education and research institution", "Norrbottens län"),
    ("Företaget 0180 AB", "Small or medium-sized enterprise (SME)", "Stockholms län"),
    ("Arbetsförmedlingen", "National public authority", ""),
    ("Ideella föreningen Ä&Ö", "NGO", "Västerbottens län"),
]


def flat_rows() -> list[list[str]]:
    """A small flat table in the Interreg layout, one row per project × organisation."""
    rows = [list(HEADER)]
    for project in range(12):
        members = [ORGANISATIONS[(project + k) % len(ORGANISATIONS)] for k in range(2 + project % 3)]
        for k, (name, kind, county) in enumerate(members):
            rows.append(
                [
                    str(100 + project),
                    ["AURORA", "Nord", "Sverige-Norge"][project % 3],
                    "Regular",
                    f"2023-0{1 + project % 9}-01",
                    "2025-12-31",
                    f"Projekt {project} – samverkan åäö",
                    name,
                    "Public",
                    kind,
                    "LP" if k == 0 else ("AP" if k == 3 else "PP"),
                    county,
                    "Övre Norrland",
                    f"{10_000 * (k + 1)}",
                    "PO1",
                    "RSO1.1",
                    "2023",
                    "Sverige",
                    "Ja" if project % 2 else "Nej",
                    "A",
                    "Gränsregionalt",
                ]
            )
    return rows


@pytest.fixture(scope="module")
def mapping_file(workdir):
    if not INTERREG_MAP.is_file():
        pytest.skip(f"{INTERREG_MAP} is not written yet")
    return INTERREG_MAP


_outputs = itertools.count()


def fresh_output(workdir: Path) -> Path:
    out = workdir / f"out-{next(_outputs)}"
    shutil.rmtree(out, ignore_errors=True)
    return out


def check_import_outcome(result, out: Path, tally: str | None = None) -> None:
    """Exit 0 with a valid package, or 1/2 with a message and no output files."""
    kit.assert_clean_exit(result, allowed=(0, 1, 2), tally=tally)
    if result.exit_code == 0:
        package, problems = kit.validate_checked(out)
        assert package is not None, [str(p) for p in problems if p.is_error][:5]
        return
    assert result.output.strip(), "the import failed without saying why"
    left = kit.visible_files(out) if out.exists() else []
    assert not left, f"exit {result.exit_code} but the output holds {[str(p.relative_to(out)) for p in left][:5]}"


def import_cli(table: Path, mapping: Path, out: Path, *extra):
    return kit.invoke("import", table, "--map", mapping, "-o", out, *extra)


# --------------------------------------------------------------------------------------------
# Flat tables


def test_the_flat_table_imports_cleanly(workdir, mapping_file):
    table = workdir / "flat.csv"
    table.write_bytes(csv_bytes(flat_rows()))
    out = fresh_output(workdir)
    result = import_cli(table, mapping_file, out)
    check_import_outcome(result, out)
    assert result.exit_code == 0, result.output
    package = kit.validate_checked(out)[0]
    assert "Huddinge kommun" in set(package.organisations["name"])
    assert len(package.projects) == 12


table_mutation = st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 40), st.integers(0, 19), cell_text | st.sampled_from(["", "LP", "XX", "2023-02-30", "-1", "1e309", "0180"])),
    st.tuples(st.just("drop_column"), st.integers(0, 19)),
    st.tuples(st.just("rename_header"), st.integers(0, 19), st.sampled_from(["projektnamn", "organisationsnamn", "", "ROLL", "organisationsroll "])),
    st.tuples(st.just("blank_row"), st.integers(0, 40)),
    st.tuples(st.just("wide"), st.integers(1, 2000)),
    st.tuples(st.just("duplicate_rows"), st.integers(1, 5)),
)
serialisation = st.tuples(
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    st.one_of(st.none(), st.floats(0, 1, exclude_max=True)),  # truncate the bytes at this fraction
)


def _mutate(rows, op):
    kind = op[0]
    if kind == "cell":
        row = op[1] % len(rows)
        rows[row][op[2] % len(rows[row])] = op[3]
    elif kind == "drop_column":
        for row in rows:
            if len(row) > 1:
                del row[op[1] % len(row)]
    elif kind == "rename_header":
        rows[0][op[1] % len(rows[0])] = op[2]
    elif kind == "blank_row":
        rows.insert(op[1] % len(rows) + 1, [""] * len(rows[0]))
    elif kind == "wide":
        rows[0] += [f"extra {i}" for i in range(op[1])]
        for row in rows[1:]:
            row += ["x"] * op[1]
    elif kind == "duplicate_rows":
        rows += [list(r) for r in rows[1 : 1 + op[1]]]


@given(operations=st.lists(table_mutation, max_size=5), form=serialisation)
@settings(kit.FUZZ, max_examples=kit.examples(40))
def test_import_mutated_flat_tables(workdir, mapping_file, operations, form):
    rows = flat_rows()
    for op in operations:
        _mutate(rows, op)
    separator, encoding, cut = form
    try:
        data = csv_bytes(rows, separator=separator, encoding=encoding)
    except UnicodeEncodeError:
        data = csv_bytes(rows, separator=separator, encoding="utf-8")
    if cut is not None:
        data = data[: int(len(data) * cut)]
    table = workdir / "mutated.csv"
    table.write_bytes(data)
    out = fresh_output(workdir)
    with kit.case("test_import_mutated_flat_tables", timeout=30):
        check_import_outcome(import_cli(table, mapping_file, out), out, "test_import_mutated_flat_tables")
    shutil.rmtree(out, ignore_errors=True)


@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".csv.gz", ".txt"]))
@settings(kit.FUZZ, max_examples=kit.examples(30))
def test_import_random_bytes(workdir, mapping_file, data, suffix):
    table = workdir / f"random{suffix}"
    table.write_bytes(data)
    out = fresh_output(workdir)
    with kit.case("test_import_random_bytes"):
        check_import_outcome(import_cli(table, mapping_file, out), out, "test_import_random_bytes")


@given(names=st.lists(cell_text.map(lambda s: s[:5000]), min_size=1, max_size=8))
@settings(kit.FUZZ, max_examples=kit.examples(10))
def test_import_hostile_names_as_xlsx(workdir, mapping_file, names):
    """Formulas, HTML and control characters as organisation and project names in a workbook."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    rows = flat_rows()
    for i, name in enumerate(names):
        rows[1 + i][HEADER.index("organisationsnamn" if i % 2 else "projektnamn")] = ILLEGAL_CHARACTERS_RE.sub("", name).replace("\ufffe", "").replace("\uffff", "")
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    table = workdir / "hostile.xlsx"
    workbook.save(table)
    out = fresh_output(workdir)
    with kit.case("test_import_hostile_names_as_xlsx", timeout=30):
        check_import_outcome(import_cli(table, mapping_file, out), out, "test_import_hostile_names_as_xlsx")


def test_import_name_with_a_carriage_return_gives_a_valid_package(workdir, mapping_file):
    """A lone CR in a name used to be written unquoted, so the package import wrote did not validate."""
    import openpyxl

    rows = flat_rows()
    rows[1][HEADER.index("organisationsnamn")] = "Huddinge\rkommun"
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    table = workdir / "carriage-return.xlsx"
    workbook.save(table)
    out = fresh_output(workdir)
    result = import_cli(table, mapping_file, out)
    check_import_outcome(result, out)
    assert result.exit_code == 0, result.output


def test_import_a_2mb_cell_and_many_rows(workdir, mapping_file):
    rows = flat_rows()
    rows[1][HEADER.index("projektnamn")] = "P" * 2_000_000
    body = rows[1:]
    rows += [[*r[:5], f"Projekt {i}", *r[6:]] for i, r in zip(range(2_000), itertools.cycle(body))]
    table = workdir / "heavy.csv"
    table.write_bytes(csv_bytes(rows))
    out = fresh_output(workdir)
    with kit.case("heavy cases", timeout=90):
        result = kit.run_cli("import", table, "--map", mapping_file, "-o", out, timeout=80)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr
    if result.returncode == 0:
        assert kit.validate_checked(out)[0] is not None
    else:
        assert not (out.exists() and kit.visible_files(out))


def test_import_real_interreg_excerpt(workdir, mapping_file):
    """The first 200 rows of the shared Interreg table (real-world mess), when it is present."""
    if not INTERREG_TABLE.is_file():
        pytest.skip(f"{INTERREG_TABLE} is not present")
    lines = INTERREG_TABLE.read_text(encoding="utf-8").splitlines(keepends=True)[:201]
    table = workdir / "interreg-excerpt.csv"
    table.write_text("".join(lines), encoding="utf-8")
    out = fresh_output(workdir)
    result = import_cli(table, mapping_file, out)
    check_import_outcome(result, out)
    assert result.exit_code == 0


def test_import_refuses_to_overwrite(workdir, mapping_file):
    table = workdir / "flat-keep.csv"
    table.write_bytes(csv_bytes(flat_rows()))
    before = table.read_bytes()
    result = import_cli(table, mapping_file, table)
    kit.assert_clean_exit(result, allowed=(2,))
    assert table.read_bytes() == before
    out = fresh_output(workdir)
    out.mkdir()
    (out / "mina anteckningar.txt").write_text("viktigt", encoding="utf-8")
    result = import_cli(table, mapping_file, out)
    kit.assert_clean_exit(result, allowed=(2,))
    assert "--force" in result.output
    assert [p.name for p in out.iterdir()] == ["mina anteckningar.txt"]


# --------------------------------------------------------------------------------------------
# Mappings


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("nan" if value != value else ("inf" if value > 0 else "-inf"))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def dump_toml(data: dict) -> str:
    lines = [f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for section, content in data.items():
        if isinstance(content, dict):
            lines.append(f"\n[{json.dumps(str(section), ensure_ascii=False)}]")
            lines += [f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}" for k, v in content.items()]
    return "\n".join(lines) + "\n"


toml_scalar = st.one_of(st.text(max_size=30), st.integers(-5, 10**6), st.floats(), st.booleans(), st.sampled_from(["", "projektnamn", "finns_inte", "owner", "nonsense", ";", "auto", "sum", "150"]))
toml_any = st.recursive(toml_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3), max_leaves=6)
mapping_mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 200)),
    st.tuples(st.just("set"), st.integers(0, 200), toml_any),
    st.tuples(st.just("add"), st.sampled_from(["project", "organisation", "participation", "roles", "types", "source", "options", "extra", "aliases", "projekt", "x"]), st.text(max_size=12), toml_any),
    st.tuples(st.just("replace_section"), st.sampled_from(["project", "organisation", "participation", "roles", "source"]), toml_any),
)


def _mutate_mapping(data: dict, op) -> None:
    keys = [(s, k) for s, content in data.items() if isinstance(content, dict) for k in content]
    kind = op[0]
    if kind in ("delete", "set") and keys:
        section, key = keys[op[1] % len(keys)]
        if kind == "delete":
            del data[section][key]
        else:
            data[section][key] = op[2]
    elif kind == "add":
        data.setdefault(op[1], {})
        if isinstance(data[op[1]], dict):
            data[op[1]][op[2]] = op[3]
    elif kind == "replace_section":
        data[op[1]] = op[2]


@given(operations=st.lists(mapping_mutation, min_size=1, max_size=4))
@settings(kit.FUZZ, max_examples=kit.examples(40))
def test_import_with_mutated_mapping(workdir, mapping_file, operations):
    data = tomllib.loads(mapping_file.read_text(encoding="utf-8"))
    for op in operations:
        _mutate_mapping(data, op)
    mapping = workdir / "mutated.toml"
    mapping.write_text(dump_toml(data), encoding="utf-8")
    table = workdir / "flat-for-mappings.csv"
    if not table.exists():
        table.write_bytes(csv_bytes(flat_rows()))
    out = fresh_output(workdir)
    with kit.case("test_import_with_mutated_mapping"):
        try:
            load_mapping(mapping)
        except (InputError, UsageError) as exc:
            for problem in getattr(exc, "problems", []):
                kit.check_problem(problem)
        check_import_outcome(import_cli(table, mapping, out), out, "test_import_with_mutated_mapping")
    shutil.rmtree(out, ignore_errors=True)


@given(text=nasty_text | st.binary(max_size=2000).map(lambda b: b.decode("latin-1")), prefix=st.sampled_from(["", "[project]\n", "[project]\nid = \n", "[[roles]]\n"]))
@settings(kit.FUZZ, max_examples=kit.examples(30))
def test_import_with_garbage_mapping(workdir, mapping_file, text, prefix):
    mapping = workdir / "garbage.toml"
    mapping.write_bytes((prefix + text).encode("utf-8", errors="replace"))
    table = workdir / "flat-for-garbage.csv"
    if not table.exists():
        table.write_bytes(csv_bytes(flat_rows()))
    out = fresh_output(workdir)
    with kit.case("test_import_with_garbage_mapping"):
        result = import_cli(table, mapping, out)
        check_import_outcome(result, out, "test_import_with_garbage_mapping")
        assert result.exit_code in (1, 2), "a garbage mapping was accepted"


@pytest.mark.parametrize(
    "mapping_text, expected_exit",
    [
        (None, 2),  # the file does not exist
        ('[project]\nid = "finns_inte"\n[organisation]\nname = "organisationsnamn"\n[participation]\nrole = "organisationsroll"\n', 1),
        ('[project]\nid = ["program", "projektnamn"]\n', 1),
        ("[project\nid = 1\n", 1),
        ('[source]\nseparator = "#"\n[project]\nid = "projektnamn"\n[organisation]\nname = "organisationsnamn"\n[participation]\nrole = "organisationsroll"\n', 1),
    ],
)
def test_import_broken_mapping_says_why(workdir, mapping_file, mapping_text, expected_exit):
    mapping = workdir / "broken.toml"
    if mapping_text is None:
        mapping = workdir / "finns-inte.toml"
    else:
        mapping.write_text(mapping_text, encoding="utf-8")
    table = workdir / "flat-for-broken.csv"
    table.write_bytes(csv_bytes(flat_rows()))
    out = fresh_output(workdir)
    result = import_cli(table, mapping, out)
    check_import_outcome(result, out)
    assert result.exit_code == expected_exit, result.output
    assert ("broken.toml" in result.output) or ("finns-inte.toml" in result.output) or ("flat-for-broken.csv" in result.output)


# --------------------------------------------------------------------------------------------
# The other TOML a user writes: samverkan.toml for `samverkan compare --config`

config_mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 200)),
    st.tuples(st.just("set"), st.integers(0, 200), toml_any | st.sampled_from(["2014-06-30", "2099-01-01", "nuts2", "type", "", "en", "xx", -1, 0, 10**9])),
    st.tuples(
        st.just("add"), st.sampled_from(["compare", "overtime", "labels", "comparee"]), st.sampled_from(["as_of", "period", "by", "select", "samples", "periods", "packages", "labels", "x"]), toml_any
    ),
)


def _config_keys(data):
    for content in data.values():
        if isinstance(content, dict):
            yield from ((content, key) for key in content)
        elif isinstance(content, list):
            yield from ((item, key) for item in content if isinstance(item, dict) for key in item)


@given(operations=st.lists(config_mutation, min_size=1, max_size=3))
@settings(kit.FUZZ, max_examples=kit.examples(15))
def test_compare_with_mutated_config(workdir, operations):
    kit.require(kit.ANALYSIS_MODULES + kit.COMPARE_MODULES)
    out = fresh_output(workdir)
    data = {
        "compare": {"output": str(out), "lang": "sv", "seed": 1, "samples": 2, "min_organisations": 3},
        "packages": [{"path": str(kit.OREBRO), "label": "Örebro 2014"}, {"path": str(kit.SODERTORN), "label": "Södertörn 2009"}],
        "overtime": {"as_of": ["2009-06-30", "2014-06-30"]},
    }
    for op in operations:
        keys = list(_config_keys(data))
        if op[0] in ("delete", "set") and keys:
            table, key = keys[op[1] % len(keys)]
            if op[0] == "delete":
                del table[key]
            else:
                table[key] = op[2]
        elif op[0] == "add":
            section = data.setdefault(op[1], {})
            if isinstance(section, dict):
                section[op[2]] = op[3]
    compare = data.get("compare")
    if isinstance(compare, dict):  # never let a mutation send outputs outside the test folder or run for minutes
        if isinstance(compare.get("output"), str) or "output" not in compare:
            compare["output"] = str(out)
        if isinstance(compare.get("samples"), int) and not isinstance(compare.get("samples"), bool):
            compare["samples"] = min(max(compare["samples"], -1), 3)
    else:
        data["compare"] = {"output": str(out), "samples": 2}
    config = workdir / "samverkan.toml"
    config.write_text(dump_toml(data), encoding="utf-8")
    with kit.case("test_compare_with_mutated_config", timeout=60):
        result = kit.invoke("compare", "--config", config)
        kit.assert_clean_exit(result, allowed=(0, 1, 2), tally="test_compare_with_mutated_config")
        if result.exit_code:
            assert result.output.strip()
            assert not (out.exists() and kit.visible_files(out)), "a failed comparison left output files"
        else:
            assert (out / "index.html").is_file()
    shutil.rmtree(out, ignore_errors=True)
