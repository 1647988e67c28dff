"""Flat tables (one row per project × organisation) → packages.

The small tables below are written to ``tmp_path`` as users bring them: ``;``-separated cp1252
from Swedish Excel, UTF-8 with BOM, and .xlsx. Row numbers are as Excel shows them: the header
is row 1, so the n-th data row is row n + 1. The real tables in ../shared/data are imported at
the end; those tests are skipped where the data is absent.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from samverkan.errors import InputError, UsageError
from samverkan.io.flat_import import import_flat_table
from samverkan.io.mapping import load_mapping, mapping_from_dict
from samverkan.io.package import validate_package, write_package
from samverkan.model import TABLES

ROOT = Path(__file__).resolve().parents[2]
MAPPINGS = ROOT / "data" / "mappings"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
INTERREG = SHARED / "interreg-se-2021-2027" / "interreg_swedish_partners.csv"
H2020 = SHARED / "cordis-h2020" / "h2020.csv.gz"

# Two projects share the name "Unga in" under different programmes, so the project id needs two
# columns. Row by row (Excel rows):
#  2  ESF  Unga in  Huddinge kommun      owner       municipality  100 000
#  3  ESF  Unga in  AF                   partner     state agency   50 000
#  4  ESF  Unga in  Arbetsförmedlingen   partner     state agency   50 000   = row 3 (AF): merged
#  5  ERUF Unga in  HUDDINGE  Kommun     steering    municipality
#  6  ERUF Unga in  Huddinge Kommun      reference   ngo (!)
#  7  ERUF Unga in  (empty)              partner                              no organisation: skipped
#  8  ERUF Grönt    Södertörns högskola  evaluator   academia       1 500,50
SAMPLE = (
    "Program;Projektnamn;Organisation;Typ;Roll;Län;Start;Slut;Budget\n"
    "ESF;Unga in;Huddinge kommun;Kommun;Projektägare;Stockholms län;2015-01-01;2016-12-31;100 000\n"
    "ESF;Unga in;AF;Myndighet;Partner;Stockholms län;2015-01-01;2016-12-31;50 000\n"
    "ESF;Unga in;Arbetsförmedlingen;Myndighet;Partner;Stockholms län;2015-01-01;2016-12-31;50 000\n"
    "ERUF;Unga in;HUDDINGE  Kommun;Kommun;Styrgrupp;Stockholms län;2016-01-01;2017-06-30;\n"
    "ERUF;Unga in;Huddinge Kommun;Förening;Referensgrupp;;2016-01-01;2017-06-30;\n"
    "ERUF;Unga in;;Kommun;Partner;Stockholms län;2016-01-01;2017-06-30;\n"
    "ERUF;Grönt;Södertörns högskola;Högskola;Utvärderare;Stockholms län;2016-03-01;2016-12-31;1 500,50\n"
)

MAPPING = {
    "project": {"id": ["Program", "Projektnamn"], "name": "Projektnamn", "start": "Start", "end": "Slut", "budget": "Budget"},
    "organisation": {"name": "Organisation", "type": "Typ", "region": "Län"},
    "participation": {"role": "Roll"},
    "options": {"combine_budget": "sum"},
    "extra": {"projects": ["Program"]},
}


def mapping(**changes):
    data = {section: dict(values) if isinstance(values, dict) else values for section, values in MAPPING.items()}
    for section, values in changes.items():
        data.setdefault(section, {}).update(values)
    return mapping_from_dict(data, file="m.toml")


def write_csv(folder: Path, text: str, *, name: str = "t.csv", encoding: str = "cp1252", separator: str = ";") -> Path:
    path = folder / name
    path.write_bytes(text.replace(";", separator).encode(encoding))
    return path


def write_xlsx(folder: Path, text: str, *, name: str = "t.xlsx", sheet: str = "Deltagare", first_sheet: str | None = "Info") -> Path:
    """The same table as an Excel workbook: numbers as numbers, dates as dates."""
    import openpyxl

    workbook = openpyxl.Workbook()
    ws = workbook.active
    if first_sheet:
        ws.title = first_sheet
        ws.append(["Exported from the project register"])
        ws = workbook.create_sheet(sheet)
    else:
        ws.title = sheet
    for line in text.splitlines():
        cells = []
        for cell in line.split(";"):
            if len(cell) == 10 and cell[4] == "-" and cell[:4].isdigit():
                cells.append(dt.datetime.fromisoformat(cell))
            elif cell.replace(" ", "").isdigit():
                cells.append(int(cell.replace(" ", "")))
            else:
                cells.append(cell or None)
        ws.append(cells)
    path = folder / name
    workbook.save(path)
    return path


def codes(result) -> list[str]:
    return sorted(p.code for p in result.problems)


def by_code(result, code):
    return [p for p in result.problems if p.code == code]


# --- the sample, in three file formats ------------------------------------------------------


@pytest.fixture(params=["csv-cp1252-semicolon", "csv-utf8-bom-comma", "xlsx"])
def sample(request, tmp_path) -> Path:
    if request.param == "csv-cp1252-semicolon":
        return write_csv(tmp_path, SAMPLE)
    if request.param == "csv-utf8-bom-comma":
        return write_csv(tmp_path, SAMPLE.replace("100 000", '"100 000"').replace("1 500,50", '"1 500,50"'), encoding="utf-8-sig", separator=",")
    return write_xlsx(tmp_path, SAMPLE)


def test_counts(sample):
    result = import_flat_table(sample, mapping(), sheet="Deltagare" if sample.suffix == ".xlsx" else None)
    assert result.errors == []
    assert result.counts == {
        "rows_read": 7,
        "participations": 5,  # rows 2, 3, 5, 6, 8 (row 4 repeats row 3, row 7 has no organisation)
        "projects": 3,  # ESF / Unga in, ERUF / Unga in, ERUF / Grönt
        "organisations": 3,  # Huddinge, Arbetsförmedlingen, Södertörns högskola
        "duplicate_rows_merged": 1,
        "rows_skipped": 1,
        "rows_with_errors": 0,
        "name_variants_merged": 3,  # 2 other Huddinge spellings + Arbetsförmedlingen
        "organisations_with_name_variants": 2,
        "likely_duplicate_pairs": 0,
    }


def test_multi_column_project_ids(sample):
    result = import_flat_table(sample, mapping(), sheet="Deltagare" if sample.suffix == ".xlsx" else None)
    projects = result.package.projects
    assert projects["id"].tolist() == ["ESF / Unga in", "ERUF / Unga in", "ERUF / Grönt"]
    assert projects["name"].tolist() == ["Unga in", "Unga in", "Grönt"]
    assert projects["Program"].tolist() == ["ESF", "ERUF", "ERUF"]
    assert projects["start"].tolist() == [pd.Timestamp("2015-01-01"), pd.Timestamp("2016-01-01"), pd.Timestamp("2016-03-01")]
    # sum over the participations: 100 000 + 50 000 (row 4 repeats row 3 and is not counted again)
    assert projects["budget"].iloc[0] == 150_000
    assert math.isnan(projects["budget"].iloc[1])


def test_name_variants_and_abbreviations_merge(sample):
    result = import_flat_table(sample, mapping(), sheet="Deltagare" if sample.suffix == ".xlsx" else None)
    orgs = result.package.organisations
    assert orgs[["id", "name", "aliases"]].values.tolist() == [
        # every spelling once; the first seen wins the tie and the others become aliases, sorted
        ["huddinge-kommun", "Huddinge kommun", "HUDDINGE  Kommun|Huddinge Kommun"],
        ["arbetsförmedlingen", "AF", "Arbetsförmedlingen"],
        ["södertörns-högskola", "Södertörns högskola", ""],
    ]
    parts = result.package.participations
    assert parts[["project", "organisation", "role"]].values.tolist() == [
        ["ESF / Unga in", "huddinge-kommun", "owner"],
        ["ESF / Unga in", "arbetsförmedlingen", "partner"],
        ["ERUF / Unga in", "huddinge-kommun", "steering"],
        ["ERUF / Unga in", "huddinge-kommun", "reference"],
        ["ERUF / Grönt", "södertörns-högskola", "evaluator"],
    ]
    assert parts["contact"].tolist() == [""] * 5


def test_conflicting_types_keep_the_most_frequent_and_warn_once(sample):
    result = import_flat_table(sample, mapping(), sheet="Deltagare" if sample.suffix == ".xlsx" else None)
    orgs = result.package.organisations.set_index("id")
    assert orgs.loc["huddinge-kommun", "type"] == "municipality"  # 2 rows against 1
    assert orgs.loc["huddinge-kommun", "region"] == "Stockholms län"  # the empty cell does not count
    (warning,) = by_code(result, "conflicting-type")
    assert (warning.row, warning.column) == (2, "Typ")
    assert warning.message == "'Huddinge kommun' is listed with more than one type: municipality (2 rows), ngo (1 row); municipality is kept"


def test_duplicate_rows_are_merged_and_reported_once(sample):
    result = import_flat_table(sample, mapping(), sheet="Deltagare" if sample.suffix == ".xlsx" else None)
    (warning,) = by_code(result, "duplicate-rows")
    assert warning.severity == "warning"
    assert (warning.row, warning.column) == (4, "Roll")
    assert warning.message == "1 row repeats a participation listed earlier (same project, organisation and role) and was merged: row 4 repeats row 3"


def test_empty_organisation_name_is_reported_with_its_row(sample):
    result = import_flat_table(sample, mapping(), sheet="Deltagare" if sample.suffix == ".xlsx" else None)
    (warning,) = by_code(result, "no-organisation")
    file = "t.xlsx[Deltagare]" if sample.suffix == ".xlsx" else "t.csv"
    assert (warning.severity, warning.file, warning.row, warning.column) == ("warning", file, 7, "Organisation")
    assert warning.message == "the row has no organisation name; no participation is made from it"


def test_sample_round_trips_through_a_valid_package(sample, tmp_path):
    result = import_flat_table(sample, mapping(), sheet="Deltagare" if sample.suffix == ".xlsx" else None)
    written = write_package(result.package, tmp_path / "paket")
    package, problems = validate_package(written)
    assert [p for p in problems if p.is_error] == []
    for name in TABLES:
        pd.testing.assert_frame_equal(package.tables[name], result.package.tables[name], check_dtype=True)


def test_package_columns_and_types(tmp_path):
    result = import_flat_table(write_csv(tmp_path, SAMPLE), mapping())
    for name, table in TABLES.items():
        frame = result.package.tables[name]
        assert list(frame.columns[: len(table.columns)]) == table.column_names
    projects = result.package.projects
    assert str(projects["start"].dtype) == "datetime64[ns]"
    assert projects["budget"].dtype == "float64"
    assert projects["name"].dtype == object and projects["region"].tolist() == ["", "", ""]
    assert result.package.contacts.empty and result.package.ties.empty


# --- roles -----------------------------------------------------------------------------------

ROLES_TABLE = (
    "projekt;organisation;roll\n"
    "P1;Huddinge kommun;LP\n"  # row 2
    "P1;Botkyrka kommun;Observatör\n"  # row 3
    "P1;Region Stockholm;PP\n"  # row 4
    "P2;Botkyrka kommun;Observatör\n"  # row 5
    "P2;Huddinge kommun;\n"  # row 6: empty role
)
ROLES_MAPPING = {"project": {"id": "projekt"}, "organisation": {"name": "organisation"}, "participation": {"role": "roll"}}


def test_unknown_role_is_one_error_per_value_with_its_rows(tmp_path):
    result = import_flat_table(write_csv(tmp_path, ROLES_TABLE), mapping_from_dict(ROLES_MAPPING, file="roller.toml"))
    errors = result.errors
    assert [(p.file, p.row, p.column, p.code, p.value) for p in errors] == [
        ("t.csv", 3, "roll", "unknown-role", "Observatör"),
        ("t.csv", 6, "roll", "unknown-role", None),
    ]
    assert errors[0].message == "the role 'Observatör' is not mapped to a samverkan role (rows 3, 5); no participation is made from these rows"
    assert errors[0].hint.startswith('add it under [roles] in roller.toml, e.g. "Observatör" = "')
    assert errors[0].hint.endswith('or set default = "partner" there')
    assert errors[1].message == "the role is empty (row 6); no participation is made from this row"
    assert result.counts["rows_with_errors"] == 3
    assert result.counts["participations"] == 2  # rows 2 and 4
    assert str(errors[0]).startswith("t.csv:3:roll: error: the role 'Observatör' is not mapped")


def test_role_mapping_with_default(tmp_path):
    m = mapping_from_dict({**ROLES_MAPPING, "roles": {"PP": "working", "default": "reference"}})
    result = import_flat_table(write_csv(tmp_path, ROLES_TABLE), m)
    assert result.errors == []
    # LP is samverkan's own spelling of owner; PP is mapped; Observatör and the empty cell take the default
    assert result.package.participations["role"].tolist() == ["owner", "reference", "working", "reference", "reference"]


def test_role_column_may_be_absent_with_a_default(tmp_path):
    m = mapping_from_dict({"project": {"id": "projekt"}, "organisation": {"name": "organisation"}, "roles": {"default": "partner"}})
    result = import_flat_table(write_csv(tmp_path, ROLES_TABLE), m)
    assert set(result.package.participations["role"]) == {"partner"}
    assert result.counts["participations"] == 5


# --- types, dates, ids -------------------------------------------------------------------------


def test_unknown_types_become_other_with_one_warning_per_value(tmp_path):
    table = "projekt;organisation;roll;typ\nP1;A AB;LP;Bolag\nP1;B AB;PP;Bolag\nP1;C;PP;Kommun\nP1;D;PP;\n"
    m = mapping_from_dict({**ROLES_MAPPING, "organisation": {"name": "organisation", "type": "typ"}})
    result = import_flat_table(write_csv(tmp_path, table), m)
    assert result.package.organisations["type"].tolist() == ["other", "other", "municipality", "other"]
    (warning,) = by_code(result, "unknown-types")
    assert (warning.row, warning.column, warning.value) == (2, "typ", "Bolag")
    assert warning.message == "the organisation type is not mapped to a samverkan organisation type; read as 'other' (rows 2, 3)"
    assert warning.hint.startswith('add it under [types] in mapping, e.g. "Bolag" = "')


def test_conflicting_dates_and_end_before_start(tmp_path):
    table = "projekt;organisation;roll;start;slut\nP1;A;LP;2015-01-01;2015-12-31\nP1;B;PP;2015-02-01;2015-12-31\nP2;A;LP;2016-05-01;2016-04-30\nP2;C;PP;31.13.2016;\n"
    m = mapping_from_dict({**ROLES_MAPPING, "project": {"id": "projekt", "start": "start", "end": "slut"}})
    result = import_flat_table(write_csv(tmp_path, table), m)
    projects = result.package.projects
    assert projects["start"].tolist() == [pd.Timestamp("2015-01-01"), pd.Timestamp("2016-05-01")]
    assert projects["end"].iloc[0] == pd.Timestamp("2015-12-31") and pd.isna(projects["end"].iloc[1])
    (conflict,) = by_code(result, "conflicting-dates")
    assert conflict.message == "the project 'P1' has different start dates on its rows: 2015-01-01 (row 2); 2015-02-01 (row 3); 2015-01-01 (its first row's) is kept"
    (bad,) = by_code(result, "bad-date")
    assert (bad.row, bad.column, bad.value) == (5, "start", "31.13.2016")
    (order,) = by_code(result, "end-before-start")
    assert (order.row, order.column) == (4, "slut")


def test_rows_without_project_id_are_reported_with_the_empty_column(tmp_path):
    table = "prog;namn;organisation;roll\nESF;A;X;LP\n;B;Y;LP\nESF;;Z;LP\n"
    m = mapping_from_dict({**ROLES_MAPPING, "project": {"id": ["prog", "namn"]}})
    result = import_flat_table(write_csv(tmp_path, table), m)
    assert [(p.row, p.column, p.message) for p in by_code(result, "no-project-id")] == [
        (3, "prog", "the row has no project id (prog is empty); no participation is made from it"),
        (4, "namn", "the row has no project id (namn is empty); no participation is made from it"),
    ]
    assert result.counts["rows_skipped"] == 2 and result.counts["projects"] == 1


def test_projects_are_kept_when_their_only_rows_lack_an_organisation(tmp_path):
    table = "projekt;organisation;roll\nP1;A;LP\nP2;;LP\n"
    result = import_flat_table(write_csv(tmp_path, table), mapping_from_dict(ROLES_MAPPING))
    assert result.package.projects["id"].tolist() == ["P1", "P2"]
    assert result.counts["participations"] == 1


def test_ids_joined_from_columns_stay_unique(tmp_path):
    table = "a;b;organisation;roll\nA / B;C;X;LP\nA;B / C;X;LP\n"
    m = mapping_from_dict({**ROLES_MAPPING, "project": {"id": ["a", "b"]}})
    result = import_flat_table(write_csv(tmp_path, table), m)
    assert result.package.projects["id"].tolist() == ["A / B / C", "A / B / C (2)"]
    (warning,) = by_code(result, "clashing-project-id")
    assert warning.row == 3


def test_ids_are_cleaned_but_keep_their_text(tmp_path):
    table = 'projekt;organisation;roll\n"Unga  in | 2";A;LP\n"Unga in / 2";B;PP\n'
    result = import_flat_table(write_csv(tmp_path, table), mapping_from_dict(ROLES_MAPPING))
    # whitespace runs become one space and | (the list separator) reads as /: one project
    assert result.package.projects["id"].tolist() == ["Unga in / 2"]


def test_budget_first_warns_when_rows_differ(tmp_path):
    table = "projekt;organisation;roll;kostnad\nP1;A;LP;1000\nP1;B;PP;1000\nP2;A;LP;500\nP2;B;PP;700\n"
    m = mapping_from_dict({**ROLES_MAPPING, "project": {"id": "projekt", "budget": "kostnad"}})
    result = import_flat_table(write_csv(tmp_path, table), m)
    assert result.package.projects["budget"].tolist() == [1000.0, 500.0]
    (warning,) = by_code(result, "conflicting-budget")
    assert warning.row == 4 and 'combine_budget = "sum"' in warning.hint


# --- organisations: ids, similar names, aliases ------------------------------------------------

SIMILAR = (
    "projekt;organisation;roll\n"
    "P1;Strömstads kommun;LP\n"
    "P2;Strömstads kommun;LP\n"
    "P2;Strömstad kommun;PP\n"  # row 4
    "P2;Lidköpings kommun;PP\n"
)


def test_similar_names_are_warned_about_and_not_merged(tmp_path):
    result = import_flat_table(write_csv(tmp_path, SIMILAR), mapping_from_dict(ROLES_MAPPING, file="m.toml"))
    assert result.package.organisations["name"].tolist() == ["Strömstads kommun", "Strömstad kommun", "Lidköpings kommun"]
    warnings = by_code(result, "likely-duplicate")
    assert len(warnings) == result.counts["likely_duplicate_pairs"] == 1
    (warning,) = warnings
    assert (warning.row, warning.column, warning.value) == (4, "organisation", "Strömstad kommun")
    assert warning.message == "'Strömstads kommun' and 'Strömstad kommun' may be the same organisation; if so, add 'Strömstad kommun' as an alias of 'Strömstads kommun'"
    assert warning.hint.startswith('write "Strömstad kommun" = "Strömstads kommun" under [aliases] in m.toml')


def test_aliases_merge_and_name_the_organisation(tmp_path):
    m = mapping_from_dict({**ROLES_MAPPING, "aliases": {"Strömstad kommun": "Strömstads Kommun"}})
    result = import_flat_table(write_csv(tmp_path, SIMILAR), m)
    orgs = result.package.organisations
    assert orgs[["id", "name", "aliases"]].values.tolist()[0] == ["strömstads-kommun", "Strömstads Kommun", "Strömstad kommun|Strömstads kommun"]
    assert len(orgs) == 2 and result.counts["likely_duplicate_pairs"] == 0


def test_similar_names_check_can_be_turned_off(tmp_path):
    m = mapping_from_dict({**ROLES_MAPPING, "options": {"similar_names": 0}})
    result = import_flat_table(write_csv(tmp_path, SIMILAR), m)
    assert result.counts["likely_duplicate_pairs"] == 0 and not by_code(result, "likely-duplicate")


def test_organisation_ids_from_a_column(tmp_path):
    table = (
        "pic;namn;roll;land;projekt\n999;Lunds universitet;coordinator;SE;10\n999;Lund University;participant;SE;11\n999;Lund University;participant;SE;12\n888;Lund  university;participant;DK;10\n"
    )
    m = mapping_from_dict({"project": {"id": "projekt"}, "organisation": {"id": "pic", "name": "namn", "region": "land"}, "participation": {"role": "roll"}})
    result = import_flat_table(write_csv(tmp_path, table), m)
    orgs = result.package.organisations
    # the name on most rows wins; one id stays one organisation whatever it is called
    assert orgs[["id", "name", "aliases"]].values.tolist() == [["999", "Lund University", "Lunds universitet"], ["888", "Lund  university", ""]]
    assert result.package.participations["role"].tolist() == ["owner", "partner", "partner", "partner"]
    (warning,) = by_code(result, "likely-duplicate")
    # one name under two ids is reported as the likeliest duplicate of all (100 % alike)
    assert warning.message == "'Lund University' (999) and 'Lund  university' (888) may be the same organisation; if so, add '888' as an alias of '999'"
    assert warning.hint.startswith('write "888" = "999" under [aliases]')
    assert result.package.organisations["region"].tolist() == ["SE", "DK"]


def test_extra_columns_that_look_like_package_columns_are_renamed(tmp_path):
    table = "projekt;organisation;roll;kommun;ägande\nP1;A;LP;0180;Public\n"
    m = mapping_from_dict({**ROLES_MAPPING, "extra": {"organisations": ["kommun", "ägande"]}})
    result = import_flat_table(write_csv(tmp_path, table), m)
    orgs = result.package.organisations
    assert list(orgs.columns[-2:]) == ["source_kommun", "ägande"]
    assert by_code(result, "renamed-extra-column")[0].message == "the extra column 'kommun' would be read as the organisations column 'municipality'; it is written as 'source_kommun'"
    package, problems = validate_package(write_package(result.package, tmp_path / "paket"))
    assert [p for p in problems if p.is_error] == []


# --- files ----------------------------------------------------------------------------------------


def test_excel_first_sheet_by_default_and_sheet_errors(tmp_path):
    path = write_xlsx(tmp_path, SAMPLE, first_sheet=None)
    assert import_flat_table(path, mapping()).counts["participations"] == 5
    with pytest.raises(InputError) as caught:
        import_flat_table(path, mapping(), sheet="deltagre")
    (problem,) = caught.value.problems
    assert (problem.file, problem.code, problem.hint) == ("t.xlsx", "missing-sheet", "did you mean 'Deltagare'? the sheets are: Deltagare")


def test_mapping_sheet_and_separator(tmp_path):
    path = write_xlsx(tmp_path, SAMPLE)
    assert import_flat_table(path, mapping(source={"sheet": "Deltagare"})).counts["participations"] == 5
    # a table whose header holds no separator at all: only the mapping can say it is tab-separated
    text = "projekt\torganisation\troll\nP1\tA, B och C\tLP\n"
    csv_path = tmp_path / "tab.txt"
    csv_path.write_text(text.replace("projekt\torganisation\troll", "projekt\torganisation\troll"), encoding="utf-8")
    result = import_flat_table(csv_path, mapping_from_dict({**ROLES_MAPPING, "source": {"separator": "tab"}}))
    assert result.package.organisations["name"].tolist() == ["A, B och C"]


def test_missing_file_and_sheet_on_csv_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        import_flat_table(tmp_path / "nope.csv", mapping())
    with pytest.raises(UsageError, match="--sheet is for Excel workbooks"):
        import_flat_table(write_csv(tmp_path, SAMPLE), mapping(), sheet="x")


def test_header_only_table_gives_an_empty_valid_package(tmp_path):
    result = import_flat_table(write_csv(tmp_path, SAMPLE.splitlines()[0] + "\n"), mapping())
    assert result.counts["rows_read"] == 0 and result.counts["participations"] == 0
    assert codes(result) == ["empty-table"]
    _, problems = validate_package(write_package(result.package, tmp_path / "paket"))
    assert [p for p in problems if p.is_error] == []


def test_mapping_may_be_given_as_a_path(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('[project]\nid = "projekt"\n[organisation]\nname = "organisation"\n[participation]\nrole = "roll"\n[roles]\ndefault = "partner"\n', encoding="utf-8")
    result = import_flat_table(write_csv(tmp_path, ROLES_TABLE), path)
    assert result.counts["participations"] == 5


# --- the real tables ----------------------------------------------------------------------------


def _round_trip(result, tmp_path):
    written = write_package(result.package, tmp_path / "paket")
    package, problems = validate_package(written)
    errors = [p for p in problems if p.is_error]
    assert errors == [], errors[:5]
    return package


@pytest.mark.slow
@pytest.mark.skipif(not INTERREG.exists(), reason=f"the shared Interreg table is absent ({INTERREG})")
def test_interreg(tmp_path):
    result = import_flat_table(INTERREG, load_mapping(MAPPINGS / "interreg.toml"))
    counts = result.counts
    assert result.errors == []
    # 1,196 rows (data/README.md); 17 have no organisation name and 2 repeat a participation
    # (same programme, project, organisation, role), so 1,196 - 17 - 2 = 1,177 participations.
    assert counts["rows_read"] == 1196
    assert counts["rows_skipped"] == 17 and counts["duplicate_rows_merged"] == 2
    assert counts["participations"] == 1177
    # 586 distinct (program, projektnamn), as data/README.md says; every one is kept
    assert counts["projects"] == 586
    # 588 distinct non-empty names ("about 589" counts the empty one); normalisation merges none
    # (the table has no case or spacing variants); interreg.toml's [aliases] merges 19 spellings
    # ("Strömstad kommun", "Länsstyrelsen Skåne" ...) into 15 organisations: 588 - 19 = 569.
    assert 550 <= counts["organisations"] <= 589
    assert counts["name_variants_merged"] == 588 - counts["organisations"]
    assert 0 < counts["likely_duplicate_pairs"] < 30
    orgs = result.package.organisations.set_index("id")
    assert orgs.loc["luleå-tekniska-universitet", "region"] == "Norrbottens län"  # 52 rows against 3
    assert orgs.loc["länsstyrelsen-i-skåne-län", "name"] == "Länsstyrelsen i Skåne län"
    assert set(orgs["nuts2"]) >= {"Övre Norrland", "Sydsverige", "Småland med öarna"}
    assert {"conflicting-type", "conflicting-region", "no-organisation", "duplicate-rows"} <= set(codes(result))
    projects = result.package.projects.set_index("id")
    assert projects.loc["AURORA / Boost Nordic Biogas", "status"] == "ended"
    assert projects["budget"].sum() == pytest.approx(pd.read_csv(INTERREG)["partnerbudget"].sum(), rel=0.05)
    package = _round_trip(result, tmp_path)
    assert len(package.participations) == 1177


@pytest.mark.slow
@pytest.mark.skipif(not H2020.exists(), reason=f"the shared CORDIS H2020 table is absent ({H2020})")
def test_h2020(tmp_path):
    result = import_flat_table(H2020, load_mapping(MAPPINGS / "cordis-h2020.toml"))
    # data/README.md: 144,726 rows, 31,451 projects, 35,871 organisations; no repeated rows
    assert result.counts == {
        "rows_read": 144_726,
        "participations": 144_726,
        "projects": 31_451,
        "organisations": 35_871,
        "duplicate_rows_merged": 0,
        "rows_skipped": 0,
        "rows_with_errors": 0,
        "name_variants_merged": 0,
        "organisations_with_name_variants": 0,
        "likely_duplicate_pairs": 0,
    }
    assert result.errors == []
    package = result.package
    assert set(package.organisations["type"]) == {"academia", "business", "other"}
    # 169 country codes: data/README.md says 168 because pandas reads Namibia's code "NA" as missing
    assert package.organisations["country"].nunique() == 169
    assert (package.organisations["region"] == "NA").any()
    assert package.participations["role"].value_counts().to_dict() == {"partner": 106_108 + 7_142, "owner": 31_476}
    _round_trip(result, tmp_path)


def test_aliases_merge_ids_when_organisations_have_ids(tmp_path):
    table = "pic;namn;roll;projekt\n999;Lund University;coordinator;10\n888;Lunds universitet;participant;11\n"
    m = mapping_from_dict({"project": {"id": "projekt"}, "organisation": {"id": "pic", "name": "namn"}, "participation": {"role": "roll"}, "aliases": {"888": "999"}})
    result = import_flat_table(write_csv(tmp_path, table), m)
    assert result.package.organisations[["id", "name", "aliases"]].values.tolist() == [["999", "Lund University", "Lunds universitet"]]
    assert result.package.participations["organisation"].tolist() == ["999", "999"]


def test_missing_value_marks_are_read_as_empty(tmp_path):
    """R and pandas write NA for "no value" (as in the CORDIS table); a date cannot be NA."""
    table = "projekt;organisation;roll;start;kostnad\nP1;A;LP;NA;NA\nP2;A;LP;2015-01-01;#N/A\n"
    m = mapping_from_dict({**ROLES_MAPPING, "project": {"id": "projekt", "start": "start", "budget": "kostnad"}})
    result = import_flat_table(write_csv(tmp_path, table), m)
    assert pd.isna(result.package.projects["start"].iloc[0]) and result.package.projects["budget"].isna().all()
    assert [(p.row, p.column, p.value) for p in by_code(result, "missing-value")] == [(2, "start", "NA"), (2, "kostnad", "NA"), (3, "kostnad", "#N/A")]
    assert not by_code(result, "bad-date") and not by_code(result, "bad-number")
