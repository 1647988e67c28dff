"""Mapping files: the schema is checked before any table is read, every problem at once.

Each problem names the mapping file, the line (as an editor shows it) and the key
("project.id"), and suggests the closest valid name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.errors import InputError, UsageError
from samverkan.io.flat_import import import_flat_table
from samverkan.io.mapping import Mapping, load_mapping, mapping_from_dict

MAPPINGS = Path(__file__).resolve().parents[2] / "data" / "mappings"

MINIMAL = """\
[project]
id = "projekt"

[organisation]
name = "organisation"

[participation]
role = "roll"
"""


def write(tmp_path: Path, text: str, name: str = "m.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path):
    with pytest.raises(InputError) as caught:
        load_mapping(path)
    return caught.value.problems


@pytest.mark.parametrize("name", ["interreg.toml", "cordis-h2020.toml"])
def test_shipped_mappings_load(name):
    mapping = load_mapping(MAPPINGS / name)
    assert isinstance(mapping, Mapping)
    assert mapping.file == name
    assert mapping.columns["project.id"]
    assert mapping.column("organisation.name")


def test_interreg_mapping_reads_as_documented():
    m = load_mapping(MAPPINGS / "interreg.toml")
    assert m.columns["project.id"] == ("program", "projektnamn")
    assert m.combine_budget == "sum"
    assert [m.translate("roles", v) for v in ("LP", "PP", "AP")] == ["owner", "partner", "reference"]
    assert m.translate("types", "Local public authority") == "municipality"
    assert m.translate("status_values", "Nej") == "ended"
    assert m.extra["organisations"] == ("nuts2", "organisationsagande")


def test_cordis_mapping_reads_as_documented():
    m = load_mapping(MAPPINGS / "cordis-h2020.toml")
    assert m.column("organisation.id") == m.column("organisation.name") == "pic"
    assert [m.translate("types", v) for v in ("HES", "REC", "PRC", "PUB", "OTH")] == ["academia", "academia", "business", "other", "other"]
    assert [m.translate("roles", v) for v in ("coordinator", "participant", "partner")] == ["owner", "partner", "partner"]
    assert m.combine_budget == "first"


def test_minimal_mapping_and_defaults(tmp_path):
    m = load_mapping(write(tmp_path, MINIMAL))
    assert m.columns == {"project.id": ("projekt",), "organisation.name": ("organisation",), "participation.role": ("roll",)}
    assert m.separator == "auto" and m.combine_budget == "first" and m.similar_names == 92.0
    assert m.column("project.start") is None


def test_translate_looks_in_the_mapping_then_the_vocabulary_then_default():
    m = mapping_from_dict({"project": {"id": "p"}, "organisation": {"name": "o"}, "participation": {"role": "r"}, "roles": {"LP": "reference", "Medfinansiär": "funder", "default": "partner"}})
    # the mapping overrides samverkan's own reading of LP (owner); case and spaces do not count
    assert m.translate("roles", "lp") == "reference"
    assert m.translate("roles", "MEDFINANSIÄR") == "funder"
    assert m.translate("roles", "Styrgrupp") == "steering"  # a Swedish spelling samverkan knows
    assert m.translate("roles", "Observatör") == "partner"  # default
    assert m.translate("types", "Kommun") == "municipality"
    assert m.translate("types", "Observatör") is None  # no default for types


def test_missing_required_keys_are_all_reported(tmp_path):
    path = write(tmp_path, '[project]\nname = "namn"\n\n[organisation]\ntype = "typ"\n')
    problems = problems_of(path)
    assert [(p.file, p.row, p.column, p.code) for p in problems] == [
        ("m.toml", None, "participation.role", "missing-key"),
        ("m.toml", 1, "project.id", "missing-key"),
        ("m.toml", 4, "organisation.name", "missing-key"),
    ]
    by_key = {p.column: p for p in problems}
    assert by_key["project.id"].message == "the mapping has no project.id: which column holds the project id (what tells one project from another)?"
    assert by_key["project.id"].hint.startswith('add under [project]: id = ["programme", "project_name"]')
    assert 'default = "partner"' in by_key["participation.role"].hint


def test_role_may_be_left_out_when_roles_has_a_default(tmp_path):
    m = load_mapping(write(tmp_path, '[project]\nid = "p"\n[organisation]\nname = "o"\n[roles]\ndefault = "partner"\n'))
    assert m.column("participation.role") is None
    assert m.defaults == {"roles": "partner"}


def test_unknown_key_and_section_with_suggestions(tmp_path):
    path = write(tmp_path, MINIMAL.replace('id = "projekt"', 'id = "projekt"\nnmae = "namn"') + '\n[projects]\nstart = "x"\n')
    problems = problems_of(path)
    assert [(p.row, p.column, p.code, p.message, p.hint) for p in problems] == [
        (3, "project.nmae", "unknown-key", "unknown key 'nmae' in [project]", "did you mean 'name'?"),
        (11, "projects", "unknown-section", "unknown section 'projects' in the mapping", "did you mean [project]?"),
    ]
    assert str(problems[0]) == "m.toml:3:project.nmae: error: unknown key 'nmae' in [project]; did you mean 'name'?"


def test_role_that_is_not_a_samverkan_role(tmp_path):
    path = write(tmp_path, MINIMAL + '\n[roles]\nLP = "owner"\nPP = "partnr"\n')
    (problem,) = problems_of(path)
    assert (problem.file, problem.row, problem.column, problem.code) == ("m.toml", 12, "roles.PP", "unknown-role")
    assert problem.message == "'partnr' is not a samverkan role"
    assert problem.hint.startswith("did you mean 'partner'? use one of: owner, lead, steering")


def test_type_that_is_not_a_samverkan_type(tmp_path):
    path = write(tmp_path, MINIMAL + '\n[types]\n"Local public authority" = "municipalty"\n')
    (problem,) = problems_of(path)
    assert (problem.row, problem.column, problem.code) == (11, "types.Local public authority", "unknown-org-type")
    assert problem.hint.startswith("did you mean 'municipality'?")


def test_same_source_value_mapped_twice(tmp_path):
    path = write(tmp_path, MINIMAL + '\n[roles]\nLP = "owner"\nlp = "partner"\n')
    (problem,) = problems_of(path)
    assert problem.code == "conflicting-value" and problem.column == "roles.lp"


def test_bad_values(tmp_path):
    text = MINIMAL.replace('id = "projekt"', "id = 3") + '\n[options]\ncombine_budget = "add"\nsimilar_names = 120\n[source]\nseparator = "."\n'
    problems = problems_of(write(tmp_path, text))
    # project.id is reported once, as a bad value, not also as missing
    assert sorted((p.column, p.code) for p in problems) == [
        ("options.combine_budget", "bad-value"),
        ("options.similar_names", "bad-value"),
        ("project.id", "bad-value"),
        ("source.separator", "bad-value"),
    ]


def test_toml_syntax_error_has_its_line(tmp_path):
    path = write(tmp_path, MINIMAL + "\n[types]\nLocal public authority = municipality\n")
    (problem,) = problems_of(path)
    assert (problem.file, problem.row, problem.code) == ("m.toml", 11, "mapping-syntax")
    assert "quote source values with spaces" in problem.hint


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such mapping file"):
        load_mapping(tmp_path / "nope.toml")


def test_column_not_in_table_names_the_closest_header(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("Projekt;Organisationsnamn;Roll;Startdatum\nP1;Huddinge kommun;LP;2015-01-01\n", encoding="utf-8")
    mapping = write(tmp_path, MINIMAL + '\n[extra]\nprojects = ["startdatm"]\n')
    with pytest.raises(InputError) as caught:
        import_flat_table(table, mapping)
    problems = caught.value.problems
    assert [(p.file, p.row, p.column, p.code, p.message) for p in problems] == [
        ("m.toml", 5, "organisation.name", "missing-column", "the column 'organisation' is not in t.csv"),
        ("m.toml", 11, "extra.projects", "missing-column", "the column 'startdatm' is not in t.csv"),
    ]
    assert problems[0].hint == "did you mean 'Organisationsnamn'? the columns of t.csv are: Projekt, Organisationsnamn, Roll, Startdatum"
    assert problems[1].hint.startswith("did you mean 'Startdatum'?")


def test_headers_match_without_case_and_spaces(tmp_path):
    """'projekt' finds 'PROJEKT', 'roll' finds ' Roll' (the reader trims it)."""
    table = tmp_path / "t.csv"
    table.write_text("PROJEKT;Organisation; Roll\nP1;Huddinge kommun;LP\n", encoding="utf-8")
    result = import_flat_table(table, write(tmp_path, MINIMAL))
    assert result.counts["participations"] == 1
    assert result.errors == []


def test_corrections_fix_spellings_of_a_column_before_import(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        "projekt;organisation;roll;nuts2\nP1;Region Kalmar län;LP;Småland med öarna\nP1;Kalmar kommun;PP;Småland och öarna\nP2;Region Gotland;LP;Gotland\n",
        encoding="utf-8",
    )
    mapping = write(tmp_path, MINIMAL + '\n[extra]\norganisations = ["nuts2"]\n\n[corrections.nuts2]\n"Småland och öarna" = "Småland med öarna"\n"Gotland" = "Småland med öarna"\n')
    package = import_flat_table(table, load_mapping(mapping)).package
    assert set(package.organisations["nuts2"]) == {"Småland med öarna"}


def test_corrections_of_a_column_the_mapping_does_not_use_are_refused(tmp_path):
    path = write(tmp_path, MINIMAL + '\n[extra]\norganisations = ["nuts2"]\n\n[corrections.nuts_2]\n"a" = "b"\n\n[corrections.roll]\n"x" = 3\n')
    problems = problems_of(path)
    by_key = {p.column: p for p in problems}
    assert by_key["corrections.nuts_2"].code == "unknown-column"
    assert "corrections.nuts2" in by_key["corrections.nuts_2"].hint
    assert by_key["corrections.roll.x"].code == "bad-value"
    assert all(p.row for p in problems)  # each names its line in the mapping


def test_interreg_mapping_merges_the_smaland_spellings():
    source = Path(__file__).resolve().parents[3] / "shared" / "data" / "interreg-se-2021-2027" / "interreg_swedish_partners.csv"
    if not source.exists():
        pytest.skip("../shared/data is not beside the project")
    package = import_flat_table(source, load_mapping(MAPPINGS / "interreg.toml")).package
    regions = set(package.organisations["nuts2"])
    assert "Småland med öarna" in regions
    assert not regions & {"Småland och öarna", "Småland och Öarna", "Gotland"}


def test_partners_listed_some_marks_every_imported_project_partial(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("projekt;organisation;roll\nP1;Luleå kommun;PP\nP2;Region Norrbotten;LP\n", encoding="utf-8")
    some = import_flat_table(table, load_mapping(write(tmp_path, MINIMAL + '\n[options]\npartners_listed = "some"\n', "some.toml"))).package
    assert some.projects["partial"].tolist() == [True, True]
    assert some.projects["partial"].dtype == bool
    full = import_flat_table(table, load_mapping(write(tmp_path, MINIMAL, "all.toml"))).package
    assert full.projects["partial"].tolist() == [False, False]


def test_partners_listed_takes_all_or_some(tmp_path):
    problems = problems_of(write(tmp_path, MINIMAL + '\n[options]\npartners_listed = "swedish"\n'))
    assert [(p.column, p.code) for p in problems] == [("options.partners_listed", "bad-value")]
    assert '"some"' in problems[0].hint and problems[0].row == 11  # the line of the key
