"""Writing outputs: atomically, inside the output folder, with formula injection neutralised."""

from __future__ import annotations

import datetime
import os
import re
import stat

import numpy as np
import openpyxl
import pandas as pd
import pytest

from samverkan.errors import UsageError
from samverkan.io import output as output_module
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
    atomic_write_bytes(path, "andra 😀".encode())
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
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
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
    assert frame_to_csv_text(frame) == ('text,float,int,bool,date\n"a,b",1.5,1,true,2014-03-31\n"say ""hej""",2,2,false,\n\'-5,,3,true,2014-03-31 12:30:00\n')
    assert frame_to_csv_text(frame, safe=False).splitlines()[3].startswith("-5,")


def test_write_csv_with_bom_reads_back(tmp_path):
    frame = pd.DataFrame({"namn": ["Åsa", "=x"]})
    path = write_csv(frame, tmp_path / "a.csv", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfnamn\n")
    raw = read_csv_table(path)
    assert raw.encoding == "utf-8-sig" and raw.records == [["Åsa"], ["=x"]]


# --- large tables: the column-wise writer gives exactly the cell-by-cell text ---------------------


def _cell_by_cell_csv(frame, *, safe=True, separator=","):
    """The CSV text by its definition: safe_frame, each cell formatted alone, quoted when it holds a
    separator, a quote or a line break, rows joined one by one."""
    from samverkan.io.output import _column_text

    if safe:
        frame = safe_frame(frame)
    special = re.compile("[" + re.escape(',;\t"\r\n' + separator) + "]")
    columns = []
    for name in frame.columns:
        cells = _column_text(frame[name])
        if frame[name].dtype.kind not in "biuf":
            cells = ['"' + c.replace('"', '""') + '"' if special.search(c) else c for c in cells]
        columns.append(cells)
    header = separator.join('"' + str(c).replace('"', '""') + '"' if special.search(str(c)) else str(c) for c in frame.columns)
    rows = [separator.join(cells) + "\n" for cells in zip(*columns)] if len(columns) > 1 else [(c or '""') + "\n" for c in (columns[0] if columns else [])]
    return header + "\n" + "".join(rows)


def _awkward_frame(rows: int, seed: int = 3) -> pd.DataFrame:
    """Every kind of column the analysis writes, with the awkward values of each kind."""
    rng = np.random.default_rng(seed)
    texts = np.array(["Åsa", "=1+1", "+46 8", "-5", "@x", "'=x", "a,b", "a;b", 'say "hej"', "rad\nrad", "cr\r", "tab\t", "\uff1dx", "", "  ", "O'Brien", "x\x00=y"], dtype=object)
    floats = np.array([0.0, -0.0, 1.5, 2.0, 1e15, 1e16, -1e20, 1 / 3, np.nan, np.inf, -np.inf, 123456789.125, 5e-324])
    frame = pd.DataFrame(
        {
            "=id": [f"org{k}" for k in range(rows)],  # all different, nothing to quote
            "name": texts[rng.integers(0, len(texts), rows)],  # repeated, some to quote or neutralise
            "unique": [f"{texts[k % len(texts)]}{k}" for k in range(rows)],  # all different, some to quote
            "with_gaps": pd.Series(texts[rng.integers(0, 3, rows)], dtype=object).where(rng.random(rows) > 0.1, None),
            "string_dtype": pd.Series([f"t{k % 50}" for k in range(rows)], dtype=pd.StringDtype(na_value=np.nan)).where(rng.random(rows) > 0.1),
            "count": rng.integers(-(10**6), 10**6, rows),
            "weight": floats[rng.integers(0, len(floats), rows)],
            "share": rng.random(rows),
            "flag": rng.random(rows) > 0.5,
            "day": pd.to_datetime("2014-03-31") + pd.to_timedelta(rng.integers(0, 50, rows), unit="D"),
            "moment": pd.to_datetime("2014-03-31 12:30") + pd.to_timedelta(rng.integers(0, 5, rows), unit="h"),
            "empty": [""] * rows,  # constant columns join their left neighbour
            "zero": np.zeros(rows),
            "mixed": pd.Series([["a", 1, 2.5, None, True, "=x"][k % 6] for k in range(rows)], dtype=object),
            "false": np.zeros(rows, dtype=bool),
        }
    )
    frame.loc[frame.index[-1], "name"] = "=late formula"  # only in the last part of the column
    return frame


@pytest.mark.parametrize("safe", [True, False])
@pytest.mark.parametrize("separator", [",", ";", "|"])
def test_csv_of_a_large_awkward_table_is_the_cell_by_cell_text(monkeypatch, safe, separator):
    frame = _awkward_frame(2_500)
    expected = _cell_by_cell_csv(frame, safe=safe, separator=separator)
    assert frame_to_csv_text(frame, safe=safe, separator=separator) == expected
    monkeypatch.setattr(output_module, "_CHUNK_ROWS", 7)  # many parts: the checks and rows span them
    assert frame_to_csv_text(frame, safe=safe, separator=separator) == expected


@pytest.mark.parametrize("columns", [["name"], ["=id"], ["empty"], ["empty", "zero"], ["zero", "name"], []])
def test_csv_of_one_or_few_columns_is_the_cell_by_cell_text(columns):
    frame = _awkward_frame(50)[columns]
    assert frame_to_csv_text(frame) == _cell_by_cell_csv(frame)
    assert frame_to_csv_text(frame.iloc[0:0]) == _cell_by_cell_csv(frame.iloc[0:0])


def test_a_formula_or_separator_only_in_the_last_part_of_a_long_column_is_still_handled(monkeypatch):
    monkeypatch.setattr(output_module, "_CHUNK_ROWS", 10)
    frame = pd.DataFrame({"a": ["x"] * 35 + ["=cmd|' /C calc'!A0"], "b": ["y"] * 35 + ["a,b"], "c": ["z"] * 35 + [None]})
    last = frame_to_csv_text(frame).splitlines()[-1]
    assert last == "'=cmd|' /C calc'!A0,\"a,b\","


def test_write_csv_writes_the_text_of_frame_to_csv_text_in_parts(tmp_path, monkeypatch):
    frame = _awkward_frame(300)
    monkeypatch.setattr(output_module, "_CHUNK_ROWS", 13)
    path = write_csv(frame, tmp_path / "a.csv", bom=True)
    assert path.read_bytes() == ("\ufeff" + _cell_by_cell_csv(frame)).encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]  # no temporary file left


def test_excel_values_column_wise_are_excel_value_of_each_cell():
    from samverkan.io.output import _excel_value, _excel_values

    frame = _awkward_frame(200).assign(control=["bad \x01 control", "ok", None, "\ufffe"] * 50)
    for name in frame.columns:
        assert _excel_values(frame[name]) == [_excel_value(v) for v in frame[name]], name


def test_the_highest_rows_of_a_sheet_are_those_of_a_full_stable_sort():
    from samverkan.analysis import _highest

    rng = np.random.default_rng(5)
    weights = rng.integers(0, 20, 3_000).astype(float)  # many ties
    weights[rng.random(3_000) < 0.2] = np.nan
    frame = pd.DataFrame({"weight": weights, "count": rng.integers(0, 9, 3_000), "row": np.arange(3_000)}, index=rng.permutation(3_000))
    for key, n in [("weight", 100), ("weight", 2_300), ("weight", 2_900), ("count", 50), ("count", 3_000)]:
        expected = frame.sort_values(key, ascending=False, kind="stable").head(n)
        pd.testing.assert_frame_equal(_highest(frame, key, n), expected)


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


def _random_texts(rng, count: int) -> list[str]:
    """Texts from every corner the workbook writer escapes: markup, spaces at the ends, CR, non-ASCII."""
    alphabet = list("aZ09 &<>\"';=#-+@\t\n\r") + ["é", "Ö", "北", "\u00a0", "\u2028", "\U0001f600", "\x7f", "\x85"]
    return ["".join(rng.choice(alphabet, rng.integers(0, 6))) for _ in range(count)]


@pytest.mark.parametrize("safe", [True, False])
@pytest.mark.parametrize("seed", [1, 2])
def test_workbook_rows_written_column_wise_are_the_bytes_openpyxl_writes(tmp_path, monkeypatch, safe, seed):
    from samverkan.io.output import _sheet_rows_xml

    rng = np.random.default_rng(seed)
    rows = 400
    plain = _awkward_frame(rows, seed).drop(columns=["day", "moment"])
    plain["random"] = _random_texts(rng, rows)
    plain["big"] = rng.choice([0, 1, -(2**62), 10**17, 123456789012345678], rows)
    texts = pd.DataFrame({"random": [t.lstrip("=") for t in _random_texts(rng, rows)], "n": rng.random(rows)})
    sheets = {
        "plain": plain,
        "texts": texts,
        "errors": texts.assign(error_like=rng.choice(["#N/A", "#DIV/0!", "ok"], rows)),
        "long": texts.assign(long=["x" * 40_000] + ["short"] * (rows - 1)),
        "awkward": _awkward_frame(rows, seed),
        # dates, times and moments first met in another order row by row than column by column:
        # each kind's number format is registered when openpyxl first meets it
        "kinds": pd.DataFrame(
            {
                "a": pd.Series([None, datetime.date(2020, 1, 2), datetime.time(12, 30), datetime.timedelta(days=2)] * (rows // 4), dtype=object),
                "b": pd.Series([datetime.time(8, 0), None, datetime.date(2021, 5, 6), None] * (rows // 4), dtype=object),
            }
        ),
        "header only": plain.head(0),
        "no columns": pd.DataFrame(index=range(3)),
    }
    column_wise = []

    def recorded(columns, first_row, sheet):
        column_wise.append(_sheet_rows_xml(columns, first_row=first_row, sheet=sheet))
        return column_wise[-1]

    monkeypatch.setattr(output_module, "_sheet_rows_xml", recorded)
    fast = write_xlsx(sheets, tmp_path / "fast.xlsx", safe=safe).read_bytes()
    # every sheet with rows column-wise (dates, formulas, error codes, long texts cell by cell by openpyxl)
    assert [rows is not None and len(rows) > 0 for rows in column_wise] == [True] * 6 + [False, False]
    monkeypatch.setattr(output_module, "_sheet_rows_xml", lambda columns, first_row, sheet: None)  # every row through openpyxl
    slow = write_xlsx(sheets, tmp_path / "slow.xlsx", safe=safe).read_bytes()
    assert fast == slow


def test_workbook_rows_take_the_column_wise_path_for_plain_sheets():
    from samverkan.io.output import _sheet_rows_xml

    rows = _sheet_rows_xml([["a b ", None, "Ö&<"], [1, 2.5, True], [None, None, float("inf")]], first_row=2)
    assert rows == [
        '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">a b </t></is></c><c r="B2" t="n"><v>1</v></c></row>',
        '<row r="3"><c r="B3" t="n"><v>2.5</v></c></row>',
        '<row r="4"><c r="A4" t="inlineStr"><is><t>&#214;&amp;&lt;</t></is></c><c r="B4" t="b"><v>1</v></c><c r="C4" t="n"><v></v></c></row>',
    ]
    assert _sheet_rows_xml([["=SUM(A1)"]], first_row=2) is None  # a formula: openpyxl writes it, in a sheet
    assert _sheet_rows_xml([["ok", "\ud800x"]], first_row=2) is None  # a lone surrogate: openpyxl decides (it refuses)


@pytest.mark.parametrize(
    "values",
    [
        [1.0, -0.0, 0.0, None, float("inf"), 2.5, 1.0, float("-inf")],  # -0.0 is written "-0", apart from 0.0
        [0.0, 1e16, None, float("nan"), 123456789.123456789, 1e-300],
        [1, 10**17, None, 1, -5, 2**70],
        [True, None, False, True],
        ["a", "", " b", "=x", "=", "#N/A", "a", None, "é&<>\r北", "x" * 40_000, "nul\x00l"],
        [1, True, 1.0, "1", None, 0, False],  # mixed types (1 == True == 1.0): value by value
    ],
)
def test_cell_tails_of_a_column_are_the_tails_value_by_value(values):
    # one format per distinct value (and one escape over all of a column's texts) gives what
    # formatting each cell on its own gives
    from samverkan.io.output import _OWN, _cell_tails, _tail_of

    tails, own = _cell_tails(values)
    assert tails == [_tail_of(v) for v in values]
    assert own == [k for k, v in enumerate(values) if _tail_of(v) is _OWN]
