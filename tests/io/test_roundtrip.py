"""read → write (CSV folder, .xlsx) → read gives identical tables.

The package below holds what spoils round trips: å/ä/ö and emoji, leading zeros in ids and
municipality codes, long texts, formula-like names (``=SUM(A1)``, ``-5``, ``+46 8 123``,
``@user``) that the writer neutralises with an apostrophe and the reader strips again, separators,
quotes and newlines inside cells, header-only tables and extra columns under their own headers.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from samverkan.io.package import Package, empty_package, read_package, write_package

LONG = "Lång text om samverkan 😀 " * 400  # 10,000 characters

NASTY = {
    "organisations.csv": [
        ["id", "name", "type", "level", "municipality", "region", "parent", "aliases", "Kommentar", 'Övrigt ;,"', "=rubrik"],
        ["0180", 'Stockholms stad, "kommunen"', "kommun", "lokal", "0180", "Stockholms län", "", "", "rad 1\nrad 2", "", ""],
        ["org-2", "=SUM(A1)", "förening", "", "", "", "0180", "Alias 1|Alias 2", ";semi;colon;", "x", ""],
        ["org-3", "-5", "", "", "0114", "", "", "", "", "", ""],
        ["org-4", "+46 8 123", "", "", "", "", "", "", "crlf\r\nrad", "", "=1+1"],
        ["org-5", "@user", "", "", "", "", "", "", "😀", "", ""],
        ["org-6", "Åsa Ölund Ängby 😀", "företag", "", "", "", "", "", LONG, "", ""],
        ["007", "'=redan neutraliserad", "", "", "", "", "", "", "\t tab", "", ""],
    ],
    "contacts.csv": [["id", "name", "organisation", "title", "email", "Anteckning"]],  # header only, with an extra column
    "projects.csv": [
        ["id", "name", "region", "start", "end", "budget", "funder", "status", "target_groups", "parent"],
        ["p1", "Projekt ett", "", "2014-03-01", "41729", "1 500 000,50", "ESF", "pågående", "0001|tg-2", ""],
        ["p2", "'-sneaky", "", "", "", "+5", "", "", "", "p1"],  # formula-like number (a negative budget is an error, issue 17)
        ["p3", "Tre", "", "2014-03-01 00:00:00", "2099-12-31", "0,1", "", "", "", "p1"],
    ],
    "participations.csv": [
        ["project", "organisation", "contact", "role", "start", "end"],
        ["p1", "0180", "", "projektägare", "2014-03-01", ""],
        ["p2", "org-2", "", "styrgrupp", "", "2015-01-01"],
        ["p3", "007", "", "partner", "", ""],
    ],
    "target_groups.csv": [["id", "name"], ["0001", "Unga; 16–24"], ["tg-2", '"Nyanlända"']],
    "ties.csv": [["source", "target", "type", "weight", "directed"], ["0180", "org-2", "avtal", "2,5", "ja"], ["org-3", "org-4", "", "", ""], ["org-5", "org-6", "", "1e-7", "false"]],
    "efforts.csv": [["id", "name", "organisation", "target_groups", "municipalities", "Källa"]],
}


@pytest.fixture
def nasty_folder(tmp_path):
    folder = tmp_path / "nasty"
    folder.mkdir()
    for name, rows in NASTY.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return folder


def assert_same(a: Package, b: Package):
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)


def test_nasty_package_is_read_as_written(nasty_folder):
    package = read_package(nasty_folder)
    assert {p.code for p in package.warnings} == {"unknown-column"}  # extra columns are kept, and said (docs/data-format.md)
    o = package.organisations
    assert o["id"].tolist() == ["0180", "org-2", "org-3", "org-4", "org-5", "org-6", "007"]
    assert o["name"].tolist()[1:5] == ["=SUM(A1)", "-5", "+46 8 123", "@user"]
    assert o.loc[6, "name"] == "=redan neutraliserad"  # the reader strips the apostrophe in front of =
    assert list(o.columns)[8:] == ["Kommentar", 'Övrigt ;,"', "=rubrik"]
    assert o.loc[3, "Kommentar"] == "crlf\r\nrad" and o.loc[5, "Kommentar"] == LONG.strip()
    assert list(package.contacts.columns) == ["id", "name", "organisation", "title", "email", "Anteckning"]
    p = package.projects
    assert p["budget"].tolist()[:2] == [1_500_000.5, 5.0]
    assert p.loc[0, "end"] == pd.Timestamp("2014-03-31")
    assert p.loc[1, "name"] == "-sneaky"
    assert package.ties["directed"].tolist() == [True, False, False]
    assert package.ties["weight"].isna().tolist() == [False, True, False]


@pytest.mark.parametrize("target", ["folder", "paket.xlsx"])
def test_round_trip_is_exact(nasty_folder, tmp_path, target):
    first = read_package(nasty_folder)
    written = write_package(first, tmp_path / target)
    second = read_package(written)
    assert [p for p in second.warnings if p.code != "unknown-column"] == []
    assert_same(first, second)


def test_round_trip_through_both_formats_and_back(nasty_folder, tmp_path):
    first = read_package(nasty_folder)
    via_xlsx = read_package(write_package(first, tmp_path / "a.xlsx"))
    via_csv = read_package(write_package(via_xlsx, tmp_path / "b"))
    again = read_package(write_package(via_csv, tmp_path / "c.xlsx"))
    assert_same(first, again)


def test_writing_twice_gives_the_same_bytes(nasty_folder, tmp_path):
    first = read_package(nasty_folder)
    a = write_package(first, tmp_path / "a")
    b = write_package(read_package(a), tmp_path / "b")
    for file in sorted(a.iterdir()):
        assert file.read_bytes() == (b / file.name).read_bytes(), file.name


def test_written_files_are_safe_to_open(nasty_folder, tmp_path):
    package = read_package(nasty_folder)
    folder = write_package(package, tmp_path / "out")
    rows = list(csv.reader(io.StringIO((folder / "organisations.csv").read_text(encoding="utf-8"), newline="")))
    assert rows[0][-1] == "'=rubrik"
    assert [r[1] for r in rows[2:6]] == ["'=SUM(A1)", "'-5", "'+46 8 123", "'@user"]
    assert rows[7][1] == "'=redan neutraliserad"
    assert rows[1][0] == "0180" and rows[1][4] == "0180"
    path = write_package(package, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path)["organisations"]
    assert sheet["B3"].value == "'=SUM(A1)" and sheet["B3"].data_type == "s"  # text, not a formula
    assert sheet["A2"].value == "0180" and sheet["A2"].data_type == "s"  # text keeps the zero
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_values_only_made_in_memory_round_trip(nasty_folder, tmp_path):
    """Text that already starts with an apostrophe, or with a tab, comes back exactly too."""
    package = read_package(nasty_folder)
    package.organisations.loc[0, "name"] = "'=already quoted"
    package.organisations.loc[1, "name"] = "''+twice"
    package.organisations.loc[2, "name"] = "\tstarts with a tab"
    package.organisations.loc[3, "name"] = "'just an apostrophe"
    for target in ("csv", "x.xlsx"):
        again = read_package(write_package(package, tmp_path / target))
        assert again.organisations["name"].tolist()[:4] == ["'=already quoted", "''+twice", "\tstarts with a tab", "'just an apostrophe"]


@pytest.mark.parametrize("target", ["folder", "tom.xlsx"])
def test_empty_package_round_trip(tmp_path, target):
    empty = empty_package()
    again = read_package(write_package(empty, tmp_path / target))
    assert_same(empty, again)
    assert again.projects.dtypes.to_dict() == {
        "id": object,
        "name": object,
        "region": object,
        "start": "datetime64[ns]",
        "end": "datetime64[ns]",
        "budget": "float64",
        "funder": object,
        "status": object,
        "target_groups": object,
        "parent": object,
        "partial": bool,
    }
    assert again.ties["directed"].dtype == bool


def test_header_only_tables_have_the_same_dtypes_as_full_ones(nasty_folder):
    package = read_package(nasty_folder)
    empty = empty_package()
    for name, frame in package.tables.items():
        canonical = list(empty.tables[name].columns)
        assert frame[canonical].dtypes.to_dict() == empty.tables[name].dtypes.to_dict(), name


def test_write_package_will_not_mix_with_other_table_files(valid_folder, tmp_path):
    from samverkan.errors import UsageError

    package = read_package(valid_folder)
    with pytest.raises(UsageError, match="would be read as the .* table beside the one written now"):
        write_package(package, valid_folder)  # it holds organisationer.csv
    out = write_package(package, tmp_path / "new")
    write_package(package, out)  # its own files are simply replaced
    assert_same(package, read_package(out))


def test_lone_carriage_return_and_separators_in_headers_round_trip(nasty_folder, tmp_path):
    """A lone "\\r" in a cell, and an extra header with more ';' than the header has commas."""
    package = read_package(nasty_folder)
    package.organisations.loc[0, "name"] = "ett\rtvå"
    package.tables["organisations"] = package.organisations.rename(columns={"Kommentar": "a;b;c;d;e;f;g;h;i;j;k;l"})
    again = read_package(write_package(package, tmp_path / "out"))
    assert_same(package, again)


def test_xlsx_format_adds_the_suffix(valid_folder, tmp_path):
    package = read_package(valid_folder)
    path = write_package(package, tmp_path / "paket", format="xlsx")
    assert path == tmp_path / "paket.xlsx"
    assert_same(package, read_package(path))
