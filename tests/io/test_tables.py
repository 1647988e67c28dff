"""Reading tables as users save them: encodings, separators, Excel workbooks, odd layouts.

Every encoding (UTF-8, UTF-8 with BOM, cp1252 as Swedish Excel exports) × every separator
(``,``, ``;``, tab) must give the same package as the reference folder of ``conftest.py``; so must
an .xlsx written with openpyxl, with real date cells, serial numbers as text and decimal commas.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from samverkan.io.package import read_package, validate_package
from samverkan.io.tables import decode_bytes, read_csv_table, read_excel_tables, sniff_separator


def rewrite(text: str, separator: str, line_end: str = "\n") -> str:
    """The CSV ``text`` (comma-separated) written again with another separator and line end."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator=line_end)
    writer.writerows(csv.reader(io.StringIO(text, newline="")))
    return out.getvalue()


def assert_same_package(actual, expected):
    assert list(actual.tables) == list(expected.tables)
    for name in expected.tables:
        pd.testing.assert_frame_equal(actual.tables[name], expected.tables[name], obj=name)


# --- every encoding × separator ------------------------------------------------------------


@pytest.mark.parametrize("separator", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("line_end", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_every_encoding_and_separator_reads_the_same(tmp_path, valid_files, valid_folder, write_folder, encoding, separator, line_end):
    files = {name: rewrite(text, separator, line_end) for name, text in valid_files.items()}
    folder = write_folder(tmp_path / "exported", files, encoding=encoding)
    raw = read_csv_table(folder / "organisationer.csv")
    assert raw.encoding == encoding
    assert raw.separator == separator
    assert raw.header == ["id", "namn", "typ", "nivå", "kommun", "förälder"]
    package = read_package(folder)
    assert package.warnings == []
    assert_same_package(package, read_package(valid_folder))
    # the values that encodings and separators could spoil
    assert package.contacts.loc[0, "name"] == "Anna Åberg"
    assert package.organisations.loc[2, "name"] == "Föreningen B"
    assert package.organisations.loc[0, "municipality"] == "0180"
    assert package.projects.loc[0, "budget"] == 1_500_000.5
    assert package.ties.loc[0, "weight"] == 2.5
    assert package.target_groups.loc[0, "name"] == "Unga 16–24"


def test_reference_package_values(valid_folder):
    """What the reference package holds, worked out from conftest.VALID by hand."""
    package = read_package(valid_folder)
    p = package.projects
    assert p["start"].tolist() == [pd.Timestamp("2014-03-01"), pd.Timestamp("2015-01-01")]
    assert p["end"].iloc[0] == pd.Timestamp("2014-12-31") and pd.isna(p["end"].iloc[1])
    assert p["status"].tolist() == ["ended", "active"]  # avslutat, pågående
    assert package.organisations["type"].tolist() == ["municipality", "region", "ngo", "municipality"]
    assert package.participations["role"].tolist() == ["owner", "steering", "partner"]
    assert package.ties["directed"].tolist() == [True]  # "ja"
    assert package.rows["participations"] == [2, 3, 4]


# --- Excel workbooks ---------------------------------------------------------------------------


def workbook_from(files: dict[str, str], path: Path, *, convert=None) -> Path:
    """An .xlsx with one sheet per CSV text (sheet named after the file); ``convert(sheet, header,
    cells)`` may turn text cells into Excel values (dates, numbers)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, text in files.items():
        title = name.rsplit(".", 1)[0]
        sheet = workbook.create_sheet(title)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = rows[0]
        sheet.append(header)
        for cells in rows[1:]:
            sheet.append(convert(title, header, cells) if convert else cells)
    workbook.save(path)
    return path


def _excel_values(title: str, header: list[str], cells: list[str]) -> list:
    out: list = []
    for column, cell in zip(header, cells):
        if title == "projekt" and column == "startdatum" and cell:
            out.append(dt.datetime.fromisoformat(cell))  # a real Excel date cell
        elif title == "projekt" and column == "slutdatum" and cell:
            serial = (dt.date.fromisoformat(cell) - dt.date(1899, 12, 30)).days
            out.append(str(serial))  # a date serial number written as text
        elif title == "relationer" and column == "vikt":
            out.append(2.5)  # a number cell
        elif title == "relationer" and column == "riktad":
            out.append(True)  # a boolean cell
        else:
            out.append(cell or None)
    return out


@pytest.mark.parametrize("typed_cells", [False, True], ids=["text-cells", "excel-typed-cells"])
def test_workbook_reads_like_the_csv_folder(tmp_path, valid_files, valid_folder, typed_cells):
    path = workbook_from(valid_files, tmp_path / "paket.xlsx", convert=_excel_values if typed_cells else None)
    package = read_package(path)
    assert package.warnings == []
    assert_same_package(package, read_package(valid_folder))


def test_workbook_with_header_only_sheet_and_serial_dates(tmp_path, valid_files):
    files = dict(valid_files)
    files["relationer.csv"] = "från,till,typ,vikt,riktad\n"  # header only
    files["projekt.csv"] = 'id,namn,startdatum,slutdatum,budget\np1,P,41699,2014-12-31,"1 500 000,50"\n'
    files["deltagande.csv"] = "projekt,organisation,roll\np1,kommun-a,projektägare\n"
    path = workbook_from(files, tmp_path / "paket.xlsx")
    package = read_package(path)
    assert package.ties.empty
    assert package.ties.dtypes.to_dict() == {"source": object, "target": object, "type": object, "weight": "float64", "directed": bool}
    assert package.projects.loc[0, "start"] == pd.Timestamp("2014-03-01")  # 41699 = 2014-03-01
    assert package.projects.loc[0, "budget"] == 1_500_000.5


def test_excel_cell_types(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "t"
    sheet.append(["text", "int", "float", "bool", "date", "datetime", "zero-time", "apostrophe", "spaces"])
    sheet.append(["Örebro 😀", 180, 1500000.5, False, dt.date(2014, 3, 31), dt.datetime(2014, 3, 31, 12, 30), dt.datetime(2014, 3, 31), "'=SUM(A1)", "  trimmed\u00a0"])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    tables, problems = read_excel_tables(path)
    assert problems == []
    assert tables["t"].records == [["Örebro 😀", "180", "1500000.5", "false", "2014-03-31", "2014-03-31 12:30:00", "2014-03-31", "=SUM(A1)", "trimmed"]]


def test_excel_rows_keep_their_numbers_after_blank_rows(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "t"
    sheet["B3"], sheet["C3"] = "id", "namn"  # the table starts at B3
    sheet["B4"], sheet["C4"] = "a", "A"
    sheet["B7"], sheet["C7"] = "b", "B"  # rows 5 and 6 are blank
    sheet["C9"] = "   "  # only spaces: blank
    sheet["F12"].font = openpyxl.styles.Font(bold=True)  # formatted but empty
    sheet["B10"], sheet["C10"] = "c", "C"
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    raw = read_excel_tables(path)[0]["t"]
    assert raw.header_row == 3
    assert raw.header == ["", "id", "namn"]
    assert raw.records == [["", "a", "A"], ["", "b", "B"], ["", "c", "C"]]
    assert raw.rows == [4, 7, 10]
    assert raw.problems == []


def test_excel_trailing_empty_columns_and_rows_are_ignored(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "t"
    sheet.append(["id", "namn", None, None])
    sheet.append(["a", "A", None, ""])
    for row in range(3, 40):
        sheet.cell(row=row, column=6).value = None
        sheet.cell(row=row, column=6).font = openpyxl.styles.Font(italic=True)
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    raw = read_excel_tables(path)[0]["t"]
    assert (raw.header, raw.records, raw.rows, raw.problems) == (["id", "namn"], [["a", "A"]], [2], [])


def test_excel_declared_size_is_not_trusted(tmp_path):
    """Some programs declare a sheet smaller than it is (<dimension ref="A1:B2"/>); no row is lost."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "organisationer"
    sheet.append(["id", "namn", "typ"])
    for i in range(5):
        sheet.append([f"o{i}", f"O {i}", "kommun"])
    good = tmp_path / "good.xlsx"
    workbook.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', data)
                assert count == 1
            target.writestr(item, data)
    raw = read_excel_tables(bad)[0]["organisationer"]
    assert raw.header == ["id", "namn", "typ"]
    assert [r[0] for r in raw.records] == ["o0", "o1", "o2", "o3", "o4"]
    assert raw.records[0][2] == "kommun"


def test_excel_too_many_cells(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "t"
    sheet.append(["id", "namn"])
    sheet.append(["a", "A", None, "stray"])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    raw = read_excel_tables(path)[0]["t"]
    assert [(p.row, p.code, p.value) for p in raw.problems] == [(2, "too-many-cells", "stray")]


# --- CSV layouts -------------------------------------------------------------------------------


def _raw(tmp_path: Path, data: bytes | str, name: str = "t.csv"):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_csv_table(path)


def test_blank_lines_before_the_header_keep_row_numbers(tmp_path):
    raw = _raw(tmp_path, "\n\n;;\nid;namn\na;A\n\nb;B\n")
    assert (raw.header_row, raw.header, raw.records, raw.rows) == (4, ["id", "namn"], [["a", "A"], ["b", "B"]], [5, 7])


def test_multi_line_cell_counts_as_one_row_like_excel(tmp_path):
    raw = _raw(tmp_path, 'id,namn\na,"rad 1\r\nrad 2"\nb,B\n')
    assert raw.records == [["a", "rad 1\r\nrad 2"], ["b", "B"]]
    assert raw.rows == [2, 3]


@pytest.mark.parametrize(
    "text, row, column",
    [
        pytest.param('id,namn\na,"A\nb,B\n', 2, "namn", id="mid-file"),
        pytest.param('id,namn\na,A\nb,"B', 3, "namn", id="last-line-no-newline"),
        pytest.param('id,namn\n"a,A\nb,B\n', 2, "id", id="first-cell"),
        pytest.param('id,namn\na,"A ""quoted"" text\nb,B\n', 2, "namn", id="after-doubled-quotes"),
        pytest.param('id,"namn\na,A\n', 1, None, id="in-header"),
        pytest.param('id;namn\na; "A\nb;B\n', 2, "namn", id="after-space-semicolon"),
    ],
)
def test_unclosed_quote_is_an_error_at_its_row(tmp_path, text, row, column):
    raw = _raw(tmp_path, text)
    problems = [p for p in raw.problems if p.code == "unclosed-quote"]
    assert [(p.row, p.column, p.severity) for p in problems] == [(row, column, "error")]


@pytest.mark.parametrize(
    "text, records",
    [
        pytest.param('id,namn\na,"A ""B"" C"\n', [["a", 'A "B" C']], id="doubled-quotes"),
        pytest.param('id,namn\na,"x,y;z"\n', [["a", "x,y;z"]], id="separators-inside"),
        pytest.param('id,namn\na,5" skärm\n', [["a", '5" skärm']], id="quote-inside-plain-cell"),
        pytest.param('id, namn\na, "Huddinge, kommun"\n', [["a", "Huddinge, kommun"]], id="space-after-separator"),
        pytest.param('id,namn\n"a",""\n', [["a", ""]], id="empty-quoted"),
    ],
)
def test_quotes_that_are_closed_are_not_reported(tmp_path, text, records):
    raw = _raw(tmp_path, text)
    assert raw.problems == []
    assert raw.records == records


def test_cells_are_trimmed_and_apostrophes_undone(tmp_path):
    raw = _raw(tmp_path, "id;namn;tel;x;y;z\n  a ;\u00a0Örebro\t;'+46 8 123;'=SUM(A1);'-5;'Sthlm\n")
    assert raw.records == [["a", "Örebro", "+46 8 123", "=SUM(A1)", "-5", "'Sthlm"]]


def test_short_rows_are_padded_and_empty_trailing_cells_accepted(tmp_path):
    raw = _raw(tmp_path, "id,namn,typ\na\nb,B,kommun,,,\n")
    assert raw.records == [["a", "", ""], ["b", "B", "kommun"]]
    assert raw.problems == []


def test_too_many_cells(tmp_path):
    raw = _raw(tmp_path, "id,namn\na,Huddinge, kommun\n")
    assert [(p.row, p.column, p.code, p.value) for p in raw.problems] == [(2, None, "too-many-cells", "kommun")]


def test_bom_in_header_is_not_part_of_the_name(tmp_path):
    raw = _raw(tmp_path, "\ufeff\ufeffid,namn\na,A\n".encode("utf-8"))
    assert raw.header == ["id", "namn"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(tmp_path, encoding):
    raw = _raw(tmp_path, "id\tnamn\nå\tÄngby\n".encode(encoding))
    assert raw.records == [["å", "Ängby"]] and raw.separator == "\t"


def test_gzip_compressed_csv(tmp_path):
    raw = _raw(tmp_path, gzip.compress("id;namn\na;Åre\n".encode("cp1252")), name="t.csv.gz")
    assert (raw.records, raw.encoding) == ([["a", "Åre"]], "cp1252")
    broken = _raw(tmp_path, b"not gzip", name="u.csv.gz")
    assert [p.code for p in broken.problems] == ["unreadable-file"]


def test_bytes_that_are_neither_utf8_nor_cp1252_are_reported(tmp_path):
    raw = _raw(tmp_path, b"id;namn\na;\x81\x8d\n")
    assert [(p.code, p.severity) for p in raw.problems] == [("encoding", "warning")]


@pytest.mark.parametrize(
    "data, fragment",
    [
        pytest.param(bytes(range(256)) * 3, "binary data", id="binary"),
        pytest.param(b"PK\x03\x04\x14\x00" + b"\x00" * 40, "Excel workbook or a zip archive", id="zip"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "old Excel file (.xls)", id="xls"),
    ],
)
def test_files_that_are_not_text(tmp_path, data, fragment):
    raw = _raw(tmp_path, data)
    assert raw.header == [] and raw.records == []
    assert [p.code for p in raw.problems] == ["not-text"]
    assert fragment in raw.problems[0].message


def test_huge_cell_is_cut_and_reported(tmp_path):
    from samverkan.io.tables import MAX_CELL

    raw = _raw(tmp_path, "id,namn\na," + "x" * (MAX_CELL + 5) + "\n")
    assert len(raw.records[0][1]) == MAX_CELL
    assert [(p.row, p.column, p.code) for p in raw.problems] == [(2, "namn", "huge-cell")]


def test_decode_and_sniff():
    assert decode_bytes("Åsa;Örebro".encode("cp1252")) == ("Åsa;Örebro", "cp1252")
    assert decode_bytes("Åsa".encode("utf-8-sig")) == ("Åsa", "utf-8-sig")
    assert sniff_separator("\n\nid\tnamn;x\tz\n") == "\t"
    assert sniff_separator('"a;b",c\n') == ","


def test_single_csv_file_or_xls_is_a_usage_error(tmp_path, valid_folder):
    from samverkan.errors import UsageError

    with pytest.raises(UsageError, match="give the folder"):
        validate_package(valid_folder / "organisationer.csv")
    old = tmp_path / "gammal.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UsageError, match="save it as .xlsx"):
        validate_package(old)
    with pytest.raises(UsageError, match="no such file"):
        validate_package(tmp_path / "saknas")


def test_mixed_utf8_and_cp1252_lines_are_each_read_right_and_reported(tmp_path):
    data = b"id;namn\n" + "a;Örebro\n".encode() + "b;Västerås\n".encode("cp1252")
    raw = _raw(tmp_path, data)
    assert raw.records == [["a", "Örebro"], ["b", "Västerås"]]
    assert [(p.code, p.severity) for p in raw.problems] == [("encoding", "warning")]
    assert "mixes UTF-8 and cp1252" in raw.problems[0].message


def test_nul_beside_whitespace_is_trimmed(tmp_path):
    assert _raw(tmp_path, "id,namn\na,\x00 Region Örebro län \x00\n").records == [["a", "Region Örebro län"]]


def test_damaged_gzip_is_reported(tmp_path):
    data = bytearray(gzip.compress(b"id,namn\n" + b"a,Aaaaa\n" * 50))
    data[20] ^= 0xFF  # inside the deflate stream: zlib.error, not a CRC error
    raw = _raw(tmp_path, bytes(data), name="t.csv.gz")
    assert [p.code for p in raw.problems] == ["unreadable-file"]


def test_separator_can_be_given(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id;namn|typ\na;A|kommun\n", encoding="utf-8")
    raw = read_csv_table(path, separator="|")
    assert (raw.separator, raw.header, raw.records) == ("|", ["id;namn", "typ"], [["a;A", "kommun"]])


def test_line_offset_counts_every_kind_of_line_end():
    import random

    from samverkan.io.tables import _LINE_END, _line_offset

    def counted(text, lines):  # every line end from the start, as the reader counts lines
        for i, match in enumerate(_LINE_END.finditer(text), start=1):
            if i == lines:
                return match.end()
        return 0

    rng = random.Random(7)
    for size in (0, 5, 50, 5000, 30000):  # the longer texts make the backwards search look further
        text = "".join(rng.choice(["a", "b", "\n", "\r", "\r\n", "\r\r\n"]) for _ in range(size))
        total = len(_LINE_END.findall(text))
        for lines in sorted({0, 1, 2, total // 2, max(total - 1, 0), total, total + 1}):
            assert _line_offset(text, lines) == counted(text, lines), (size, lines)


def test_unclosed_quote_in_the_last_row_of_a_long_file_with_multi_line_cells(tmp_path):
    body = "".join(f'{k},"rad 1\r\nrad 2"\r\n' for k in range(2000))
    raw = _raw(tmp_path, "id,namn\r\n" + body + 'x,ok\r\ny,"öppen\r\nz,Z\r\n')
    assert [(p.row, p.column, p.code) for p in raw.problems] == [(2003, "namn", "unclosed-quote")]
    assert raw.rows[-1] == 2002 and raw.records[-1] == ["x", "ok"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("id,namn,tel\n a ,\tÖrebro ,+46\n", id="plain"),
        pytest.param("id,namn,tel\na,'=SUM(A1),' -5\nb,''=x,'Sthlm\n", id="apostrophes"),
        # (more than two control characters would make the file binary)
        pytest.param("id,namn,tel\na,\x00 Örebro ,'=1\n\x00,  ,\n,  ,\n\nb,'=2,' x\n", id="nul-and-apostrophes"),
    ],
)
def test_every_cell_is_cleaned_as_one_cell_alone_would_be(tmp_path, text):
    # however the reader shortcuts the cleaning, each record is its cells each given to _clean,
    # and a row counts as blank when its cells hold only whitespace (a NUL is not whitespace)
    from samverkan.io.tables import _clean

    raw = _raw(tmp_path, text)
    lines = list(csv.reader(io.StringIO(text, newline=""), skipinitialspace=True))
    kept = [(k, row) for k, row in enumerate(lines[1:], start=2) if any(cell.strip() for cell in row)]
    assert raw.rows == [k for k, _ in kept]
    assert raw.records == [[_clean(cell) for cell in row] for _, row in kept]


@pytest.mark.parametrize("text", ["id,namn\na,A\n", 'id,namn\na,"A\n'], ids=["read", "unclosed-quote"])
def test_reading_leaves_the_garbage_collector_as_it_was(tmp_path, text):
    import gc

    assert gc.isenabled()
    _raw(tmp_path, text)
    assert gc.isenabled()
    gc.disable()
    try:
        _raw(tmp_path, text)
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- issue 16: a text without quotes is split directly; it must give the csv module's records ------


def _records(raw):
    return (raw.header, raw.records, raw.rows, raw.header_row, [(p.severity, p.row, p.column, p.code, p.message, p.value, p.hint) for p in raw.problems])


def test_quote_free_texts_give_the_records_of_the_csv_module():
    import random

    from samverkan.io.tables import _read_csv, _read_plain

    pieces = ["a", "b", "Ö", " ", "\t", ",", ";", "\n", "\r\n", "\r", "'", "=", "'=1", "\u00a0", "\u2028", "\x0b", "\x1c", "\x85", "xyz"]
    chance = random.Random(16)
    for _ in range(4000):
        text = "".join(chance.choice(pieces) for _ in range(chance.randint(0, 40)))
        for separator in ",;\t":
            assert _records(_read_plain("t.csv", text, separator, [], "utf-8")) == _records(_read_csv("t.csv", text, separator, [], "utf-8")), (text, separator)


def test_the_spaces_looked_for_are_every_whitespace_that_strip_removes():
    import sys

    from samverkan.io.tables import SPACES

    assert SPACES == "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c not in "\r\n")
    assert SPACES[:8].isascii() and not any(c.isascii() for c in SPACES[8:])


@pytest.mark.parametrize("quote", ["", '"'])
def test_overlong_cells_are_cut_with_or_without_quotes(tmp_path, monkeypatch, quote):
    import samverkan.io.tables as tables

    monkeypatch.setattr(tables, "MAX_CELL", 10)
    raw = _raw(tmp_path, f"id,namn\na,{quote}{'x' * 12}{quote}\nb, {'y' * 10} \nc,{'z' * 9}\n")
    assert [r[1] for r in raw.records] == ["x" * 10, "y" * 10, "z" * 9]
    assert [(p.row, p.column, p.code) for p in raw.problems] == [(2, "namn", "huge-cell")]
