"""Broken packages: every problem at the file, row and column where the user finds it.

Each case changes the valid package of ``conftest.py`` in one way and names the problem it must
produce: file, row (as Excel shows it: header = row 1, first data row = 2), column, code, and a
fragment of the message or hint. Nothing may raise: bad input becomes problems, never a traceback.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.errors import InputError, format_problems
from samverkan.io.package import read_package, validate_package


def edit(name: str, old: str, new: str):
    """A change to the valid package: in the file ``name``, ``old`` replaced by ``new`` (once)."""

    def change(files: dict[str, str]) -> dict[str, str]:
        assert old in files[name], (name, old)
        return {name: files[name].replace(old, new, 1)}

    return change


def append(name: str, line: str):
    return lambda files: {name: files[name] + line + "\n"}


def combine(*changes):
    """Several changes at once (each applied to the result of the ones before)."""

    def change(files: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for one in changes:
            out.update(one({**files, **out}))
        return out

    return change


ORG, CON, PRO, PAR, TG, TIE = "organisationer.csv", "kontakter.csv", "projekt.csv", "deltagande.csv", "målgrupper.csv", "relationer.csv"

# (case id, changes to the valid package, (file, row, column, code, severity, fragment of message or hint))
CASES = [
    ("missing-organisations-table", {ORG: None}, ("organisations.csv", None, None, "missing-table", "error", "no organisations table")),
    ("missing-participations-table", {PAR: None}, ("participations.csv", None, None, "missing-table", "error", "add a file named 'participations.csv'")),
    ("missing-required-column-suggests-namn", edit(ORG, "id,namn,", "id,namnn,"), (ORG, 1, "name", "missing-column", "error", "did you mean 'namn'? rename the column 'namnn'")),
    ("missing-required-column-no-close-header", edit(PAR, "kontakt,roll", "kontakt,xyz"), (PAR, 1, "role", "missing-column", "error", "add a column named 'role', 'roll'")),
    ("missing-required-id-column-suggests-id", edit(CON, "id,namn,", "idd,namn,"), (CON, 1, "id", "missing-column", "error", "did you mean 'id'?")),
    ("duplicate-id-on-row-4", edit(ORG, "forening-b,Föreningen B", "kommun-a,Föreningen B"), (ORG, 4, "id", "duplicate-id", "error", "already used on row 2")),
    ("unknown-reference-with-suggestion", edit(PAR, "p2,forening-b", "p2,forening-c"), (PAR, 4, "organisation", "unknown-reference", "error", "did you mean 'forening-b'?")),
    ("unknown-project-reference", edit(PAR, "p2,forening-b", "p3,forening-b"), (PAR, 4, "project", "unknown-reference", "error", "no project has this id")),
    ("unknown-role-styrgrup", edit(PAR, "k2,styrgrupp", "k2,styrgrup"), (PAR, 3, "role", "unknown-role", "error", "did you mean 'styrgrupp'?")),
    ("unknown-role-no-suggestion-lists-roles", edit(PAR, "k2,styrgrupp", "k2,qwxz"), (PAR, 3, "role", "unknown-role", "error", "use one of the roles: owner, lead, steering")),
    ("unknown-org-type", edit(ORG, "Region X,region,", "Region X,regon,"), (ORG, 3, "type", "unknown-org-type", "error", "did you mean 'region'?")),
    ("unknown-level", edit(ORG, "Region X,region,regional", "Region X,region,regionall"), (ORG, 3, "level", "unknown-level", "error", "did you mean 'regional'?")),
    ("unknown-status", edit(PRO, "avslutat", "avslutadd"), (PRO, 2, "status", "unknown-status", "error", "did you mean 'avslutad'?")),
    ("unknown-tie-type", edit(TIE, "avtal", "avtl"), (TIE, 2, "type", "unknown-tie-type", "error", "did you mean 'avtal'?")),
    ("bad-date-month-13", edit(PRO, "2014-03-01", "2014-13-01"), (PRO, 2, "start", "bad-date", "error", "not a real date (month must be in 1..12)")),
    ("bad-date-text", edit(PRO, "2015-01-01", "första januari"), (PRO, 3, "start", "bad-date", "error", "write dates as YYYY-MM-DD")),
    ("bad-date-year-alone", edit(PRO, "2015-01-01", "2015"), (PRO, 3, "start", "bad-date", "error", "a year alone is not a date")),
    ("bad-date-year-out-of-range", edit(PRO, "2014-12-31", "3014-12-31"), (PRO, 2, "end", "bad-date", "error", "the year 3014 is out of range")),
    ("end-before-start", edit(PRO, "2014-12-31", "2013-12-31"), (PRO, 2, "end", "end-before-start", "error", "before the start (2014-03-01)")),
    ("empty-required-id", edit(ORG, "region-x,Region X", ",Region X"), (ORG, 3, "id", "empty-value", "error", "a required value is empty")),
    ("empty-required-role", edit(PAR, "k2,styrgrupp", "k2,"), (PAR, 3, "role", "empty-value", "error", "fill in the role")),
    ("contact-organisation-unknown", edit(CON, "k2,Bo Öst,region-x", "k2,Bo Öst,region-y"), (CON, 3, "organisation", "unknown-reference", "error", "did you mean 'region-x'?")),
    ("contact-works-elsewhere", edit(PAR, "p1,region-x,k2", "p1,region-x,k1"), (PAR, 3, "contact", "contact-elsewhere", "warning", "belongs to 'kommun-a', not to 'region-x'")),
    ("unknown-contact", edit(PAR, "p1,region-x,k2", "p1,region-x,k3"), (PAR, 3, "contact", "unknown-reference", "error", "no contact has this id")),
    ("repeated-participation", append(PAR, "p1,kommun-a,k1,owner"), (PAR, 5, "role", "repeated-participation", "warning", "already on row 2")),
    (
        "parent-cycle-organisations",
        combine(edit(ORG, "regional,,\n", "regional,,forening-b\n"), edit(ORG, "förening,,,\n", "förening,,,region-x\n")),
        (ORG, 3, "parent", "parent-cycle", "error", "region-x → forening-b → region-x"),
    ),
    ("parent-cycle-projects", edit(PRO, "avslutat,unga,", "avslutat,unga,p2"), (PRO, 2, "parent", "parent-cycle", "error", "p1 → p2 → p1")),
    ("self-parent", edit(ORG, "Region X,region,regional,,", "Region X,region,regional,,region-x"), (ORG, 3, "parent", "parent-cycle", "error", "cannot be its own parent")),
    ("self-parent-project", edit(PRO, "unga|nyanlanda,p1", "unga|nyanlanda,p2"), (PRO, 3, "parent", "parent-cycle", "error", "cannot be its own parent")),
    ("duplicate-header-column", edit(ORG, "id,namn,typ,", "id,namn,namn,"), (ORG, 1, "namn", "duplicate-column", "error", "appears twice in the header")),
    ("two-headers-mean-name", edit(ORG, "id,namn,typ,", "id,namn,organisationsnamn,"), (ORG, 1, "organisationsnamn", "duplicate-column", "error", "two columns mean 'name'")),
    ("too-many-cells", edit(CON, "k2,Bo Öst,region-x,", "k2,Bo Öst,region-x,,Stockholm"), (CON, 3, None, "too-many-cells", "error", "the row has 5 cells but the header has 4")),
    ("unclosed-quote", edit(CON, "k1,Anna Åberg", 'k1,"Anna Åberg'), (CON, 2, "namn", "unclosed-quote", "error", "never closed")),
    ("empty-file", {CON: ""}, (CON, 1, None, "empty-table", "error", "no header row")),
    ("only-blank-lines", {CON: "\n\n  \n"}, (CON, 1, None, "empty-table", "error", "no header row")),
    ("random-binary-bytes", {CON: bytes(range(256)) * 4}, (CON, None, None, "not-text", "error", "not text")),
    ("workbook-named-csv", {CON: b"PK\x03\x04" + b"\x00" * 60}, (CON, None, None, "not-text", "error", "Excel workbook or a zip archive")),
    ("bad-number-budget", edit(PRO, '"1 500 000,50"', "en miljon"), (PRO, 2, "budget", "bad-number", "error", "not a number")),
    ("bad-boolean-directed", edit(TIE, ",ja", ",kanske"), (TIE, 2, "directed", "bad-boolean", "error", "write true or false")),
    ("self-tie", edit(TIE, "kommun-a,region-x", "kommun-a,kommun-a"), (TIE, 2, "target", "self-tie", "error", "to itself")),
    ("negative-weight", edit(TIE, '"2,5"', "-1"), (TIE, 2, "weight", "bad-weight", "error", "must be positive")),
    ("unknown-tie-organisation", edit(TIE, "kommun-a,region-x", "kommun-a,region-z"), (TIE, 2, "target", "unknown-reference", "error", "did you mean 'region-x'?")),
    ("unknown-column-with-suggestion", edit(ORG, "kommun,förälder", "kommmun,förälder"), (ORG, 1, "kommmun", "unknown-column", "warning", "did you mean 'kommun'?")),
    (
        "unnamed-column-with-values",
        edit(CON, "id,namn,organisation,titel\nk1,Anna Åberg,kommun-a,Projektledare", "id,namn,organisation,titel,\nk1,Anna Åberg,kommun-a,Projektledare,x"),
        (CON, 1, "(column 5)", "unnamed-column", "warning", "give the column a header"),
    ),
    ("two-files-for-one-table", lambda files: {"organisations.csv": files[ORG]}, ("organisations.csv", None, None, "duplicate-table", "error", "both organisationer.csv and organisations.csv")),
    ("reference-by-name", edit(PAR, "p1,region-x,k2", "p1,Region X,k2"), (PAR, 3, "organisation", "reference-by-name", "warning", "read as id 'region-x'")),
    ("unknown-target-group-in-list", edit(PRO, "unga|nyanlanda", "unga|nyanlända"), (PRO, 3, "target_groups", "unknown-reference", "error", "did you mean 'nyanlanda'?")),
    ("target-groups-table-missing", {TG: None}, (PRO, 2, "target_groups", "missing-table", "error", "no target_groups table")),
    ("bar-in-listed-id", edit(TG, "unga,Unga", "unga|16,Unga"), (TG, 2, "id", "bad-id", "error", "cannot contain '|'")),
    ("misspelt-table-file", lambda files: {ORG: None, "organisatoner.csv": files[ORG]}, ("organisatoner.csv", None, None, "unknown-table", "warning", "did you mean 'organisationer.csv'?")),
    ("empty-optional-table", {TIE: ""}, (TIE, 1, None, "empty-table", "error", "no header row")),
    # a header three rows down: header problems on row 3, the first data row is row 4
    ("header-after-blank-lines-keeps-its-row", {CON: "\n\nid,organisation,titel\nk1,kommun-x,\n"}, (CON, 4, "organisation", "unknown-reference", "error", "did you mean 'kommun-a'?")),
    ("missing-column-after-blank-lines", {CON: "\n\nid,titel\nk1,\n"}, (CON, 3, "organisation", "missing-column", "error", "add a column named 'organisation'")),
]


def test_at_least_thirty_broken_inputs():
    assert len(CASES) >= 30
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("changes, expected", [pytest.param(c, e, id=i) for i, c, e in CASES])
def test_broken_input_is_reported_where_the_user_finds_it(broken_folder, changes, expected):
    file, row, column, code, severity, fragment = expected
    package, problems = validate_package(broken_folder(changes))
    found = [p for p in problems if p.code == code and p.file == file and p.row == row and p.column == column]
    assert found, f"no {code} at {file}:{row}:{column}; got:\n{format_problems(problems)}"
    problem = found[0]
    assert problem.severity == severity
    assert fragment in f"{problem.message}; {problem.hint}"
    line = str(problem)
    assert line.startswith(f"{file}:{'' if row is None else row}:{column or ''}: {severity}: ")
    if any(p.is_error for p in problems):
        assert package is None
        with pytest.raises(InputError) as info:
            read_package(broken_folder(changes))
        assert problem in info.value.problems
    else:  # warnings alone: the package is read, and carries them
        assert package is not None and problem in package.warnings


def test_report_line_format():
    from samverkan.errors import Problem

    problem = Problem("error", "deltagande.csv", 3, "role", "unknown-role", "unknown role", value="styrgrup", hint="did you mean 'styrgrupp'?")
    assert str(problem) == "deltagande.csv:3:role: error: unknown role (value 'styrgrup'); did you mean 'styrgrupp'?"


def test_report_is_sorted_errors_first_with_a_summary(broken_folder):
    changes = combine(
        edit(PAR, "k2,styrgrupp", "k2,styrgrup"),  # error, row 3
        append(PAR, "p1,kommun-a,k1,owner"),  # warning, row 5
        edit(ORG, "kommun,förälder", "kommmun,förälder"),  # warning, row 1
        edit(PRO, "2014-12-31", "2013-12-31"),  # error, row 2
        edit(TIE, '"2,5"', "0"),  # error, row 2
    )
    _, problems = validate_package(broken_folder(changes))
    report = format_problems(problems).splitlines()
    assert report == [
        "deltagande.csv:3:role: error: unknown role (value 'styrgrup'); did you mean 'styrgrupp'? (the roles are: owner, lead, steering, reference, working, partner, support, funder, evaluator, benchmark)",
        "projekt.csv:2:end: error: the end comes before the start (2014-03-01) (value '2013-12-31'); swap the dates or correct the end date",
        "relationer.csv:2:weight: error: the weight must be positive (value '0'); write a positive number, or leave it empty for 1",
        "deltagande.csv:5:role: warning: the same participation is already on row 2; counted once (value 'owner'); remove the repeated row",
        "organisationer.csv:1:kommmun: warning: unknown column, kept as an extra column (value 'kommmun'); did you mean 'kommun'?",
        "3 error(s), 2 warning(s)",
    ]


def test_every_problem_is_found_in_one_round(broken_folder):
    """Many mistakes at once: all are reported, none hides another."""
    changes = combine(
        edit(ORG, "forening-b,Föreningen B", "kommun-a,Föreningen B"),
        edit(PRO, "2014-03-01", "2014-13-01"),
        edit(PAR, "k2,styrgrupp", "k2,styrgrup"),
        edit(TIE, ",ja", ",kanske"),
    )
    _, problems = validate_package(broken_folder(changes))
    assert {p.code for p in problems if p.is_error} >= {"duplicate-id", "bad-date", "unknown-role", "bad-boolean"}


def test_missing_id_column_is_one_error_not_one_per_reference(broken_folder):
    changes = edit(ORG, "id,namn,", "nr,namn,")
    _, problems = validate_package(broken_folder(changes))
    errors = [p for p in problems if p.is_error]
    assert [(p.file, p.row, p.column, p.code) for p in errors] == [(ORG, 1, "id", "missing-column")]


def test_missing_reference_columns_do_not_cause_false_warnings(broken_folder):
    changes = {CON: "id,namn\nk1,Anna\nk2,Bo\n", PAR: "projekt,kontakt,roll\np1,k1,owner\np1,k1,owner\n"}
    _, problems = validate_package(broken_folder(changes))
    codes = sorted((p.file, p.code, p.column) for p in problems)
    assert codes == [(PAR, "missing-column", "organisation"), (CON, "missing-column", "organisation")]


def test_longer_parent_cycle_is_reported_once(broken_folder):
    text = (
        "id,namn,förälder\n"
        "a,A,c\n"  # row 2
        "b,B,a\n"
        "c,C,b\n"
        "d,D,a\n"  # hangs off the circle: not part of it
    )
    _, problems = validate_package(broken_folder({ORG: text, CON: "id,organisation\n", PAR: "projekt,organisation,roll\n", TIE: None}))
    cycles = [p for p in problems if p.code == "parent-cycle"]
    assert [(p.row, p.message) for p in cycles] == [(2, "parents go round in a circle: a → c → b → a")]


# --- Excel workbooks -------------------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


VALID_SHEETS = {
    "organisationer": [["id", "namn", "typ"], ["kommun-a", "Kommun A", "kommun"], ["region-x", "Region X", "region"]],
    "kontakter": [["id", "namn", "organisation"], ["k1", "Anna", "kommun-a"]],
    "projekt": [["id", "namn"], ["p1", "Projekt 1"]],
    "deltagande": [["projekt", "organisation", "kontakt", "roll"], ["p1", "kommun-a", "k1", "projektägare"], ["p1", "region-x", "", "styrgrupp"]],
}


def test_valid_workbook_has_no_problems(tmp_path):
    package, problems = validate_package(_workbook(tmp_path / "paket.xlsx", VALID_SHEETS))
    assert problems == [] and package is not None


XLSX_CASES = [
    (
        "unknown-role-in-sheet",
        {"deltagande": [["projekt", "organisation", "roll"], ["p1", "kommun-a", "projektägare"], ["p1", "region-x", "styrgrup"]]},
        ("paket.xlsx[deltagande]", 3, "role", "unknown-role", "did you mean 'styrgrupp'?"),
    ),
    (
        "rows-after-blank-rows-keep-excel-numbers",
        {"deltagande": [[], ["projekt", "organisation", "roll"], [], ["p1", "kommun-a", "owner"], [None, None, None], [], ["p1", "region-y", "owner"]]},
        ("paket.xlsx[deltagande]", 7, "organisation", "unknown-reference", "did you mean 'region-x'?"),
    ),
    ("missing-sheet", {"deltagande": None}, ("paket.xlsx[participations]", None, None, "missing-table", "add a sheet named 'participations'")),
    (
        "real-date-cell-before-start",
        {"projekt": [["id", "namn", "start", "slut"], ["p1", "P", __import__("datetime").datetime(2015, 1, 1), __import__("datetime").datetime(2014, 1, 1)]]},
        ("paket.xlsx[projekt]", 2, "end", "end-before-start", "(2015-01-01)"),
    ),
    ("duplicate-sheets", {"organisations": VALID_SHEETS["organisationer"]}, ("paket.xlsx[organisations]", None, None, "duplicate-table", "two sheets hold the organisations table")),
    ("misspelt-sheet", {"kontakter": None, "kontaktr": VALID_SHEETS["kontakter"]}, ("paket.xlsx[kontaktr]", None, None, "unknown-table", "did you mean 'kontakter'?")),
]


@pytest.mark.parametrize("changes, expected", [pytest.param(c, e, id=i) for i, c, e in XLSX_CASES])
def test_broken_workbook_is_reported_where_the_user_finds_it(tmp_path, changes, expected):
    file, row, column, code, fragment = expected
    sheets = {**VALID_SHEETS, **changes}
    path = _workbook(tmp_path / "paket.xlsx", {k: v for k, v in sheets.items() if v is not None})
    _, problems = validate_package(path)
    found = [p for p in problems if (p.file, p.row, p.column, p.code) == (file, row, column, code)]
    assert found, format_problems(problems)
    assert fragment in f"{found[0].message}; {found[0].hint}"


@pytest.mark.parametrize(
    "content, fragment",
    [
        pytest.param(b"id,namn\nkommun-a,Kommun A\n", "not a zip archive", id="csv-named-xlsx"),
        pytest.param(b"", "not a zip archive", id="empty-xlsx"),
        pytest.param(bytes(range(256)) * 8, "not a zip archive", id="binary-named-xlsx"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "old Excel file (.xls) or a password-protected", id="ole-named-xlsx"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 100, "not a readable Excel workbook", id="broken-zip-named-xlsx"),
    ],
)
def test_file_that_is_not_a_workbook(tmp_path, content, fragment):
    path = tmp_path / "paket.xlsx"
    path.write_bytes(content)
    package, problems = validate_package(path)
    assert package is None
    assert [(p.file, p.code) for p in problems] == [("paket.xlsx", "unreadable-file")]
    assert fragment in problems[0].message


def test_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "paket.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hej")
    package, problems = validate_package(path)
    assert package is None and [p.code for p in problems] == ["unreadable-file"]


# --- input files are never written -----------------------------------------------------------


@pytest.mark.parametrize("changes", [pytest.param({}, id="valid"), pytest.param(combine(edit(PAR, "k2,styrgrupp", "k2,styrgrup"), edit(CON, "k1,Anna Åberg", 'k1,"Anna Åberg')), id="broken")])
def test_validation_never_writes_to_a_folder(broken_folder, snapshot, changes):
    folder = broken_folder(changes)
    past = 1_000_000_000_000_000_000  # an old mtime (2001), so any write would show
    for file in folder.iterdir():
        os.utime(file, ns=(past, past))
    before = snapshot(folder)
    listing = sorted(os.listdir(folder))
    package, problems = validate_package(folder)
    assert (package is None) == bool(changes)
    if changes:
        with pytest.raises(InputError):
            read_package(folder)
    else:
        read_package(folder)
    assert snapshot(folder) == before
    assert sorted(os.listdir(folder)) == listing


@pytest.mark.parametrize("broken", [False, True])
def test_validation_never_writes_to_a_workbook(tmp_path, snapshot, broken):
    sheets = dict(VALID_SHEETS)
    if broken:
        sheets["deltagande"] = [["projekt", "organisation", "roll"], ["p1", "kommun-z", "styrgrup"]]
    path = _workbook(tmp_path / "paket.xlsx", sheets)
    os.chmod(path, 0o444)  # a read-only file must be enough
    before = snapshot(tmp_path)
    _, problems = validate_package(path)
    assert bool(problems) == broken
    assert snapshot(tmp_path) == before
    assert sorted(os.listdir(tmp_path)) == ["paket.xlsx"]


def test_read_only_folder_can_be_validated(valid_folder):
    for file in valid_folder.iterdir():
        os.chmod(file, 0o444)
    os.chmod(valid_folder, 0o555)
    try:
        package, problems = validate_package(valid_folder)
        assert package is not None and problems == []
    finally:
        os.chmod(valid_folder, 0o755)


# --- no traceback, whatever the bytes ----------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=400), st.text(alphabet=st.sampled_from(list("ab,;\"\n\r\t '=|-åÖ0123")), max_size=200)))
def test_no_traceback_for_any_organisations_file(tmp_path_factory, write_folder, valid_files, content):
    folder = write_folder(tmp_path_factory.mktemp("fuzz"), {**valid_files, ORG: content if isinstance(content, bytes) else content.encode("utf-8")})
    package, problems = validate_package(folder)
    assert package is not None or any(p.is_error for p in problems)
    format_problems(problems)
    shutil.rmtree(folder)


@settings(max_examples=40, deadline=None)
@given(cells=st.lists(st.lists(st.one_of(st.none(), st.text(max_size=12), st.integers(-5, 50000), st.floats(allow_nan=False, allow_infinity=False), st.booleans()), max_size=6), max_size=6))
def test_no_traceback_for_any_sheet(tmp_path_factory, cells):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # U+FFFE and U+FFFF are not XML characters either: openpyxl cannot write them
    rows = [[ILLEGAL_CHARACTERS_RE.sub("", c).replace("\ufffe", "").replace("\uffff", "") if isinstance(c, str) else c for c in row] for row in cells]
    rows = [[("'" + c) if isinstance(c, str) and c.startswith("=") else c for c in row] for row in rows]
    path = _workbook(tmp_path_factory.mktemp("fuzz") / "paket.xlsx", {**VALID_SHEETS, "projekt": rows})
    package, problems = validate_package(path)
    assert package is not None or any(p.is_error for p in problems)


def test_problem_lines_stay_one_per_line():
    from samverkan.errors import Problem

    problem = Problem("warning", "a\nb.csv", 1, "x\ny", "unknown-column", "unknown\rcolumn", value="x\ny", hint="rename\u2028it")
    assert "\n" not in str(problem) and "\r" not in str(problem)
    assert str(problem) == "a\\nb.csv:1:x\\ny: warning: unknown\\rcolumn (value 'x\\ny'); rename it"


def test_ten_thousand_extra_columns_are_read_fast_and_quietly(broken_folder):
    import warnings

    header = "id,namn," + ",".join(f"c{i}" for i in range(10_000))
    rows = "\n".join(f"{tg},{name}," + ",".join(["v"] * 10_000) for tg, name in (("unga", "Unga"), ("nyanlanda", "Nyanlända")))
    folder = broken_folder({TG: header + "\n" + rows + "\n"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        package, problems = validate_package(folder)
    assert package is not None and [p.code for p in problems] == ["unknown-columns"]  # one warning for them all
    assert "10000 unknown columns (first 'c0', 'c1'" in problems[0].message
    assert package.target_groups.shape == (2, 10_002)


def test_a_value_on_several_rows_is_reported_on_each_row_in_order(broken_folder):
    # each distinct cell is parsed once; the problems still come one per row, rows in order, an
    # empty required value between them where it is
    folder = broken_folder(
        {
            PAR: "projekt,organisation,kontakt,roll\np1,kommun-a,k1,styrgrup\np1,region-x,k2,\np2,forening-b,,styrgrup\np2,kommun-a,,projektägare\n",
            PRO: "id,namn,startdatum,slutdatum\np1,Projekt 1,2014-13-01,\np2,Projekt 2,2014-13-01,2014\n",
        }
    )
    _, problems = validate_package(folder)
    found = [(p.file, p.row, p.column, p.code, p.message, p.value) for p in problems if p.file in (PAR, PRO)]
    assert found == [
        (PAR, 2, "role", "unknown-role", "unknown role", "styrgrup"),
        (PAR, 3, "role", "empty-value", "a required value is empty", None),
        (PAR, 4, "role", "unknown-role", "unknown role", "styrgrup"),
        (PRO, 2, "start", "bad-date", "not a real date (month must be in 1..12)", "2014-13-01"),
        (PRO, 3, "end", "bad-date", "a year alone is not a date", "2014"),
        (PRO, 3, "start", "bad-date", "not a real date (month must be in 1..12)", "2014-13-01"),
    ]
    hints = {p.hint for p in problems if p.code == "unknown-role"}
    assert len(hints) == 1 and "did you mean 'styrgrupp'?" in hints.pop()


def test_an_id_used_three_times_is_reported_twice_with_its_first_row(broken_folder):
    folder = broken_folder(append(TG, "unga,Unga igen\nunga,Unga en tredje gång"))
    _, problems = validate_package(folder)
    assert [(p.row, p.code, p.message) for p in problems if p.file == TG] == [
        (4, "duplicate-id", "the id is already used on row 2"),
        (5, "duplicate-id", "the id is already used on row 2"),
    ]


def test_names_used_as_references_on_several_rows_are_each_read_as_the_id(broken_folder):
    folder = broken_folder(append(PAR, "p2,Region X,,samverkanspart\np2,kommun-a,,styrgrupp\np2,Region X,k2,projektledare"))
    package, problems = validate_package(folder)
    assert [(p.row, p.code, p.value) for p in problems] == [(5, "reference-by-name", "Region X"), (7, "reference-by-name", "Region X")]
    assert package.participations["organisation"].tolist() == ["kommun-a", "region-x", "forening-b", "region-x", "kommun-a", "region-x"]
