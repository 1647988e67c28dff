"""Writing outputs: atomically, inside the output folder, with formula injection neutralised."""

from __future__ import annotations

import os
import stat

import numpy as np
import openpyxl
import pandas as pd
import pytest

from samverkan.errors import UsageError
from samverkan.io.output import (
    atomic_write,
    atomic_write_bytes,
    atomic_write_text,
    frame_to_csv_text,
    output_path,
    safe_cell,
    safe_frame,
    unneutralise,
    write_csv,
    write_xlsx,
)
from samverkan.io.tables import read_csv_table, read_excel_tables

# --- atomic writes -------------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_atomic_write_keeps_the_old_file_when_the_writer_fails_midway(tmp_path):
    path = tmp_path / "rapport.csv"
    path.write_text("old, complete\n", encoding="utf-8")
    with pytest.raises(Boom):
        with atomic_write(path, "w", encoding="utf-8") as handle:
            handle.write("new, half")
            handle.flush()
            raise Boom
    assert path.read_text(encoding="utf-8") == "old, complete\n"
    assert os.listdir(tmp_path) == ["rapport.csv"]  # no temporary file left behind


def test_atomic_write_leaves_no_file_when_there_was_none(tmp_path):
    with pytest.raises(Boom):
        with atomic_write(tmp_path / "ny.csv", "wb") as handle:
            handle.write(b"half")
            raise Boom
    assert os.listdir(tmp_path) == []


def test_atomic_write_keeps_the_old_file_on_keyboard_interrupt(tmp_path):
    path = atomic_write_text(tmp_path / "a.txt", "old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(path) as handle:
            handle.write("new")
            raise KeyboardInterrupt
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["a.txt"]


def test_write_xlsx_that_fails_leaves_the_old_workbook(tmp_path):
    path = write_xlsx({"a": pd.DataFrame({"x": [1]})}, tmp_path / "a.xlsx")
    before = path.read_bytes()

    class Unwritable:
        def __str__(self):
            raise Boom

    with pytest.raises(Boom):
        write_xlsx({"a": pd.DataFrame({Unwritable(): [1]})}, path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["a.xlsx"]


def test_atomic_write_replaces_and_creates_folders(tmp_path):
    path = atomic_write_text(tmp_path / "ny" / "mapp" / "a.txt", "första")
    atomic_write_bytes(path, "andra 😀".encode("utf-8"))
    assert path.read_text(encoding="utf-8") == "andra 😀"


def test_new_files_get_ordinary_permissions_not_private_temporary_ones(tmp_path):
    old = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_replaced_files_keep_their_permissions(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    atomic_write_text(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() == "new"


# --- formula injection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+46 8 123", "'+46 8 123"),
        ("-5", "'-5"),
        ("@user", "'@user"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),  # full-width =, which Excel also runs
        ("'=x", "''=x"),  # already neutralised text: one more, so reading gives "'=x" back
        ("'x", "'x"),  # an apostrophe before ordinary text is left alone
        ("Örebro", "Örebro"),
        ("a=b", "a=b"),
        ("5-3", "5-3"),
        ("", ""),
        (-5.0, -5.0),  # numbers are numbers, not text
        (None, None),
        (True, True),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
    if isinstance(value, str):
        assert unneutralise(safe_cell(value)) == value


def test_safe_frame_neutralises_text_and_headers_only():
    frame = pd.DataFrame({"=h": ["=1+1", "ok"], "n": [-5.0, 2.0], "d": pd.to_datetime(["2014-01-01", None])})
    safe = safe_frame(frame)
    assert list(safe.columns) == ["'=h", "n", "d"]
    assert safe["'=h"].tolist() == ["'=1+1", "ok"]
    assert safe["n"].tolist() == [-5.0, 2.0]
    assert frame["=h"].tolist() == ["=1+1", "ok"]  # the original is not changed


def test_csv_text_formatting():
    frame = pd.DataFrame(
        {
            "text": ["a,b", 'say "hej"', "-5"],
            "float": [1.5, 2.0, float("nan")],
            "int": np.array([1, 2, 3], dtype="int64"),
            "bool": [True, False, True],
            "date": pd.to_datetime(["2014-03-31", None, "2014-03-31 12:30"], format="ISO8601"),
        }
    )
    assert frame_to_csv_text(frame) == (
        "text,float,int,bool,date\n"
        '"a,b",1.5,1,true,2014-03-31\n'
        '"say ""hej""",2,2,false,\n'
        "'-5,,3,true,2014-03-31 12:30:00\n"
    )
    assert frame_to_csv_text(frame, safe=False).splitlines()[3].startswith("-5,")


def test_write_csv_with_bom_reads_back(tmp_path):
    frame = pd.DataFrame({"namn": ["Åsa", "=x"]})
    path = write_csv(frame, tmp_path / "a.csv", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfnamn\n")
    raw = read_csv_table(path)
    assert raw.encoding == "utf-8-sig" and raw.records == [["Åsa"], ["=x"]]


def test_write_xlsx_values(tmp_path):
    frame = pd.DataFrame(
        {
            "text": ["=SUM(A1)", "rad 1\r\nrad 2", "bad \x01 control", "0180"],
            "number": [1.5, float("nan"), -5.0, 1e20],
            "date": pd.to_datetime(["2014-03-31", None, "2014-01-01", "2014-01-02"]),
            "bool": [True, False, True, False],
        }
    )
    path = write_xlsx({"data/[x]*?": frame, "tom": frame.iloc[0:0]}, tmp_path / "a.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["data__x___", "tom"]
    sheet = workbook["data__x___"]
    assert [c.value for c in sheet[1]] == ["text", "number", "date", "bool"]
    assert sheet["A2"].value == "'=SUM(A1)" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "rad 1\r\nrad 2"  # carriage returns are legal in a cell: kept
    assert sheet["A4"].value == "bad  control"  # other control characters are refused by Excel
    assert sheet["A5"].value == "0180"
    assert sheet["B3"].value is None and sheet["B5"].value == 1e20
    assert sheet["C2"].is_date and sheet["C3"].value is None
    assert sheet["D2"].value is True
    assert sheet.freeze_panes == "A2"
    tables, problems = read_excel_tables(path)
    assert problems == [] and tables["tom"].header == ["text", "number", "date", "bool"] and tables["tom"].records == []


# --- output paths --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../x", "../../etc/passwd", "sub/../../x", "/etc/passwd", "/tmp/elsewhere.csv", "", " ", ".", "sub/.."])
def test_output_path_refuses_names_outside_the_folder(tmp_path, name):
    with pytest.raises(UsageError):
        output_path(tmp_path / "out", name)


def test_output_path_refuses_a_symlink_that_leads_outside(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "link").symlink_to(tmp_path)
    with pytest.raises(UsageError, match="outside the output folder"):
        output_path(folder, "link/x.csv")


@pytest.mark.parametrize("name, relative", [("a.csv", "a.csv"), ("sub/a.csv", "sub/a.csv"), ("./a.csv", "a.csv"), ("sub/../a.csv", "a.csv"), ("Åsa 😀.html", "Åsa 😀.html")])
def test_output_path_accepts_names_inside(tmp_path, name, relative):
    folder = tmp_path / "out"
    assert output_path(folder, name) == folder.resolve() / relative


def test_absolute_path_inside_the_folder_is_accepted(tmp_path):
    assert output_path(tmp_path, str(tmp_path / "a.csv")) == tmp_path.resolve() / "a.csv"


def test_output_error_names_the_fix(tmp_path):
    with pytest.raises(UsageError) as info:
        output_path(tmp_path, "../x")
    assert "would land outside the output folder" in str(info.value)
