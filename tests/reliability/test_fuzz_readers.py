"""Hostile and broken input for the package readers and ``samverkan validate``.

Contract proved here (docs/data-format.md, "Validation"): whatever bytes a user hands over, reading
ends in a valid package or in the validation report (every problem at FILE:ROW:COLUMN, at least one
error when there is no package); never an exception other than InputError/UsageError, never a hang
(every case runs under a time limit, see ``reliability_kit.case``).

Known bugs are pinned by ``xfail(strict=True)`` tests at the end of each section.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gzip
import io
import re
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reliability_kit as kit
from samverkan.io.package import read_package, write_package
from samverkan.io.tables import decode_bytes, read_csv_table, read_excel_tables
from samverkan.io.validate import type_table
from samverkan.model import TABLES, canonical_column, normalise_key

TABLE_FILES = sorted(p.name for p in kit.OREBRO.glob("*.csv"))

NASTY_CHARS, nasty_text, one_line_nasty_text, long_text, cell_text = kit.NASTY_CHARS, kit.nasty_text, kit.one_line_nasty_text, kit.long_text, kit.cell_text


@pytest.fixture(scope="module")
def pkg(workdir):
    """A working copy of orebro-2014; each case replaces one file and puts it back."""
    return kit.copy_package(kit.OREBRO, workdir / "orebro")


@pytest.fixture(scope="module")
def reference():
    return read_package(kit.OREBRO)


@pytest.fixture(scope="module")
def workbook_bytes(workdir, reference):
    return write_package(reference, workdir / "orebro.xlsx").read_bytes()


@contextlib.contextmanager
def replaced(folder: Path, name: str, data: bytes):
    path = folder / name
    original = path.read_bytes() if path.exists() else None
    try:
        path.write_bytes(data)
        yield path
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


csv_bytes = kit.csv_bytes


def rows_of(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((kit.OREBRO / name).read_text(encoding="utf-8"), newline="")))


documented_clean = kit.documented_clean


# --------------------------------------------------------------------------------------------
# CSV: random bytes, random text, truncation


@given(table=st.sampled_from(TABLE_FILES), data=st.binary(max_size=4000))
@settings(kit.FUZZ, max_examples=kit.examples(100))
def test_random_bytes_in_a_table(pkg, table, data):
    with kit.case("test_random_bytes_in_a_table"), replaced(pkg, table, data) as path:
        kit.check_raw_table(read_csv_table(path))
        kit.validate_checked(pkg)


@given(
    table=st.sampled_from(TABLE_FILES),
    text=nasty_text,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "utf-32"]),
    keep_header=st.booleans(),
)
@settings(kit.FUZZ, max_examples=kit.examples(100))
def test_random_text_in_any_encoding(pkg, table, text, encoding, keep_header):
    if keep_header:
        text = (kit.OREBRO / table).read_text(encoding="utf-8").splitlines()[0] + "\n" + text
    data = text.encode(encoding, errors="replace")
    with kit.case("test_random_text_in_any_encoding"), replaced(pkg, table, data) as path:
        kit.check_raw_table(read_csv_table(path))
        kit.validate_checked(pkg)


@given(table=st.sampled_from(TABLE_FILES), cut=st.floats(0, 1))
@settings(kit.FUZZ, max_examples=kit.examples(60))
def test_truncated_csv(pkg, table, cut):
    data = (kit.OREBRO / table).read_bytes()
    data = data[: int(len(data) * cut)]
    with kit.case("test_truncated_csv"), replaced(pkg, table, data):
        package, _ = kit.validate_checked(pkg)
        if package is not None:
            assert len(package.tables[table[:-4]]) <= len(rows_of(table)) - 1


@given(
    table=st.sampled_from(TABLE_FILES),
    odd=st.lists(st.tuples(st.floats(0, 1), st.sampled_from([b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d", b"\xff", b"\xc3", b"\xe5", b"\x00"])), max_size=5),
    cp1252_lines=st.sets(st.integers(0, 40), max_size=10),
)
@settings(kit.FUZZ, max_examples=kit.examples(60))
def test_mixed_encodings_and_odd_bytes(pkg, table, odd, cp1252_lines):
    """Some lines in cp1252, some in UTF-8, odd bytes here and there: read, and say so when bytes
    had to be replaced."""
    lines = (kit.OREBRO / table).read_text(encoding="utf-8").splitlines(keepends=True)
    data = b"".join(line.encode("cp1252" if i in cp1252_lines else "utf-8") for i, line in enumerate(lines))
    for where, byte in odd:
        at = int(len(data) * where)
        data = data[:at] + byte + data[at:]
    with kit.case("test_mixed_encodings_and_odd_bytes"), replaced(pkg, table, data) as path:
        raw = read_csv_table(path)
        kit.check_raw_table(raw)
        text, _ = decode_bytes(data)
        if "\ufffd" in text:
            assert any(p.code == "encoding" or p.is_error for p in raw.problems), "bytes were replaced by U+FFFD without a warning"
        kit.validate_checked(pkg)


@given(
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "cp1252"]),
    separator=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
@settings(kit.FUZZ, max_examples=kit.examples(30))
def test_supported_encodings_separators_and_line_ends_read_the_same(workdir, reference, encoding, separator, newline):
    """Swedish Excel saves cp1252 with ';', others UTF-8 (BOM or not), UTF-16 or tabs: same tables."""
    folder = workdir / "encodings"
    folder.mkdir(exist_ok=True)
    with kit.case("test_supported_encodings_separators_and_line_ends_read_the_same"):
        for name in TABLE_FILES:
            (folder / name).write_bytes(csv_bytes(rows_of(name), separator=separator, newline=newline, encoding=encoding))
        package, problems = kit.validate_checked(folder)
        assert package is not None, [str(p) for p in problems[:5]]
        assert not problems, [str(p) for p in problems[:5]]
        for name, frame in reference.tables.items():
            pd.testing.assert_frame_equal(package.tables[name], frame, check_dtype=False)


# --------------------------------------------------------------------------------------------
# Hostile cells, huge cells, many rows, many columns, duplicate headers


@given(names=st.lists(cell_text, min_size=1, max_size=19), separator=st.sampled_from([",", ";", "\t"]), nul_free=st.booleans())
@settings(kit.FUZZ, max_examples=kit.examples(80))
def test_hostile_names_are_kept_as_text(pkg, names, separator, nul_free):
    """Formulas, HTML, control characters, separators, quotes, newlines and long texts in names:
    read back exactly (trimmed), or reported."""
    rows = rows_of("organisations.csv")
    column = rows[0].index("name")
    if nul_free:
        names = [n.replace("\x00", "") for n in names]
    for row, name in zip(rows[1:], names):
        row[column] = name
    with kit.case("test_hostile_names_are_kept_as_text"), replaced(pkg, "organisations.csv", csv_bytes(rows, separator=separator)):
        package, problems = kit.validate_checked(pkg)
        expected = [documented_clean(row[column]) for row in rows[1:]]
        if all(expected):
            assert package is not None, [str(p) for p in problems if p.is_error][:5]
        if package is not None:
            assert list(package.organisations["name"]) == expected


def _org_rows_with(name_cell: str, extra_rows: int = 0) -> bytes:
    rows = rows_of("organisations.csv")
    rows[1][rows[0].index("name")] = name_cell
    for i in range(extra_rows):
        rows.append([f"extra-{i}", f"Extra organisation {i} åäö", "business", "local", "0180", "Stockholms län", "", ""][: len(rows[0])])
    return csv_bytes(rows)


def test_a_2mb_cell_is_cut_and_reported(pkg):
    huge = "Å" * 2_000_000
    with kit.case("heavy cases", timeout=30), replaced(pkg, "organisations.csv", _org_rows_with(huge)):
        package, problems = kit.validate_checked(pkg)
    assert package is not None
    assert len(package.organisations["name"].iloc[0]) == 1_000_000
    assert [p.code for p in problems] == ["huge-cell"] and problems[0].row == 2 and problems[0].column == "name"


def test_many_rows(pkg):
    with kit.case("heavy cases", timeout=60), replaced(pkg, "organisations.csv", _org_rows_with("Örebro", extra_rows=30_000)):
        package, problems = kit.validate_checked(pkg)
    assert package is not None and not problems
    assert len(package.organisations) == len(rows_of("organisations.csv")) - 1 + 30_000


def test_1000_extra_columns_are_kept(pkg):
    rows = rows_of("target_groups.csv")
    rows[0] += [f"kolumn {i}" for i in range(1000)]
    for row in rows[1:]:
        row += [f"v{i}" for i in range(1000)]
    with kit.case("heavy cases", timeout=30), replaced(pkg, "target_groups.csv", csv_bytes(rows)):
        package, problems = kit.validate_checked(pkg)
    assert package is not None and [p.code for p in problems] == ["unknown-columns"]  # kept, and said once
    assert list(package.target_groups.columns) == ["id", "name"] + [f"kolumn {i}" for i in range(1000)]


def test_10000_identical_headers_are_reported_fast(pkg):
    rows = [["id", "name"] + ["x"] * 10_000, ["a", "b"] + ["1"] * 10_000]
    with kit.case("heavy cases", timeout=10), replaced(pkg, "target_groups.csv", csv_bytes(rows)):
        package, problems = kit.validate_checked(pkg)
    assert package is None
    assert any(p.code == "duplicate-column" and p.column == "x" for p in problems)  # reported once (identical problems merge)


def test_10000_columns_read_fast_and_quietly(pkg):
    """Extra columns used to be added one by one: quadratic, with a PerformanceWarning per column."""
    rows = rows_of("target_groups.csv")
    rows[0] += [f"c{i}" for i in range(10_000)]
    for row in rows[1:]:
        row += ["v"] * 10_000
    with replaced(pkg, "target_groups.csv", csv_bytes(rows)), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with kit.time_limit(60):  # a hang guard (the quadratic reader never finished), not a speed test
            package, problems = kit.validate_checked(pkg)
    assert package is not None
    assert not [w for w in caught if "fragmented" in str(w.message)], f"{len(caught)} warnings"


HEADER_SPELLINGS = ["id", "ID", " Id ", "org_id", "organisation_id", "name", "Namn", "namn", "organisation", "type", "Typ", "nivå", "level", "kommun", "extra", "Extra", "", "x", "x "]


@given(header=st.lists(st.sampled_from(HEADER_SPELLINGS), min_size=1, max_size=12))
@settings(kit.FUZZ, max_examples=kit.examples(100))
def test_duplicate_headers_are_errors(workdir, header):
    path = workdir / "organisations.csv"
    path.write_bytes(csv_bytes([header, [f"v{i}" for i in range(len(header))]]))
    with kit.case("test_duplicate_headers_are_errors"):
        raw = read_csv_table(path)
        kit.check_raw_table(raw)
        _, problems = type_table(raw, TABLES["organisations"])
        for problem in problems:
            kit.check_problem(problem)
        cleaned = [h.strip() for h in header]
        keys = [normalise_key(h) for h in cleaned if h]
        meanings = [canonical_column("organisations", h) for h in cleaned if h]
        meanings = [m for m in meanings if m]
        duplicated = len(set(keys)) < len(keys) or len(set(meanings)) < len(meanings)
        assert duplicated == any(p.code == "duplicate-column" for p in problems)
        for required in ("id", "name"):
            if required not in meanings:
                assert any(p.code == "missing-column" and p.column == required for p in problems)


def test_unclosed_quote_does_not_swallow_rows(pkg):
    """A stray quote at the start of a cell used to swallow the rest of the file silently."""
    rows = (kit.OREBRO / "efforts.csv").read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].rsplit(",", 1)[0] + ',"1880'  # the last cell of row 2 opens a quote
    with replaced(pkg, "efforts.csv", ("\n".join(rows) + "\n").encode()):
        package, problems = kit.validate_checked(pkg)
    lost = package is not None and len(package.efforts) < len(rows) - 1
    assert not lost, f"{len(rows) - 1 - len(package.efforts)} rows vanished silently"
    assert package is None and any(p.code in ("csv-syntax", "unclosed-quote") and p.row == 2 for p in problems)


def test_mixed_utf8_and_cp1252_is_not_silently_garbled(pkg):
    """A file mixing UTF-8 and cp1252 lines used to turn 'Örebro' into 'Ã–rebro' without a word."""
    lines = (kit.OREBRO / "organisations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    data = b"".join(line.encode("utf-8" if i % 2 else "cp1252") for i, line in enumerate(lines))
    with replaced(pkg, "organisations.csv", data):
        package, problems = kit.validate_checked(pkg)
    names = list(read_package(kit.OREBRO).organisations["name"])
    garbled = package is not None and list(package.organisations["name"]) != names
    assert not garbled or any(p.code == "encoding" for p in problems)


def test_a_few_control_characters_do_not_make_a_table_binary(pkg):
    rows = rows_of("target_groups.csv")
    for row in rows[1:4]:
        row[1] = row[1].replace(" ", "\x0b", 1)  # Word's manual line break, pasted into Excel
    with replaced(pkg, "target_groups.csv", csv_bytes(rows)):
        package, problems = kit.validate_checked(pkg)
    assert not any(p.code == "not-text" for p in problems), [str(p) for p in problems]
    assert package is not None


def test_nul_beside_whitespace_is_trimmed(pkg):
    """NUL used to be removed after trimming, leaving ' Name'."""
    with replaced(pkg, "organisations.csv", _org_rows_with("\x00 Region Örebro län \x00")):
        package, _ = kit.validate_checked(pkg)
    assert package.organisations["name"].iloc[0] == "Region Örebro län"


def test_damaged_gzip_table_is_reported(pkg):
    """zlib.error from a damaged .csv.gz used to escape."""
    data = bytearray(gzip.compress((kit.OREBRO / "target_groups.csv").read_bytes()))
    data[20] ^= 0xFF  # inside the deflate stream: zlib.error, not a CRC error
    (pkg / "target_groups.csv").rename(pkg / "target_groups.csv.bak")
    try:
        with replaced(pkg, "target_groups.csv.gz", bytes(data)):
            package, problems = kit.validate_checked(pkg)
            assert package is None and any(p.code == "unreadable-file" for p in problems)
    finally:
        (pkg / "target_groups.csv.bak").rename(pkg / "target_groups.csv")


# --------------------------------------------------------------------------------------------
# Excel: truncation, random bytes, generated workbooks with merged cells, empty sheets, formulas


@given(cut=st.floats(0, 1, exclude_max=True))
@settings(kit.FUZZ, max_examples=kit.examples(40))
def test_truncated_xlsx(workdir, workbook_bytes, cut):
    path = workdir / "truncated.xlsx"
    path.write_bytes(workbook_bytes[: int(len(workbook_bytes) * cut)])
    with kit.case("test_truncated_xlsx"):
        package, problems = kit.validate_checked(path)
        assert package is None  # the zip directory sits at the end: any cut loses it


@given(data=st.binary(max_size=3000), zip_magic=st.booleans())
@settings(kit.FUZZ, max_examples=kit.examples(40))
def test_random_bytes_as_xlsx(workdir, data, zip_magic):
    path = workdir / "random.xlsx"
    path.write_bytes((b"PK\x03\x04" if zip_magic else b"") + data)
    with kit.case("test_random_bytes_as_xlsx"):
        tables, problems = read_excel_tables(path)
        for problem in problems:
            kit.check_problem(problem)
        kit.validate_checked(path)


@given(flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))
@settings(kit.FUZZ, max_examples=kit.examples(40))
def test_bit_flipped_xlsx(workdir, workbook_bytes, flips):
    data = bytearray(workbook_bytes)
    for where, value in flips:
        data[min(int(len(data) * where), len(data) - 1)] = value
    path = workdir / "flipped.xlsx"
    path.write_bytes(bytes(data))
    with kit.case("test_bit_flipped_xlsx"):
        kit.validate_checked(path)


def _rezip(workbook_bytes: bytes, member: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.namelist():
            target.writestr(item, content if item == member else source.read(item))
    return buffer.getvalue()


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml", "[Content_Types].xml"])
def test_workbook_with_broken_xml_is_reported(workdir, workbook_bytes, member):
    path = workdir / "broken-xml.xlsx"
    path.write_bytes(_rezip(workbook_bytes, member, b"<not xml"))
    package, problems = kit.validate_checked(path)
    assert package is None and any(p.code == "unreadable-file" for p in problems)


def _illegal_free(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text).replace("\ufffe", "").replace("\uffff", "")  # what openpyxl can save


excel_value = st.one_of(
    st.none(),
    cell_text.map(_illegal_free).map(lambda s: s[:32_000]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["=1+1", "=A1", '=HYPERLINK("http://evil","x")', "#N/A", "#REF!"]),
)
operation = st.one_of(
    st.tuples(st.just("set"), st.integers(0, 6), st.integers(1, 30), st.integers(1, 12), excel_value),
    st.tuples(st.just("merge"), st.integers(0, 6), st.integers(1, 30), st.integers(1, 12), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("empty"), st.integers(0, 6)),
    st.tuples(st.just("add"), st.sampled_from(["Blad1", "organisationer", "projekt", "tom", "Ärenden", "x" * 31])),
    st.tuples(st.just("rename"), st.integers(0, 6), st.sampled_from(["Organisationer", "deltagande", "Kontakter", "okänd", "Sheet"])),
    st.tuples(st.just("wide"), st.integers(0, 6), st.integers(1, 300)),
    st.tuples(st.just("delete_rows"), st.integers(0, 6), st.integers(1, 5), st.integers(1, 10)),
)


def _apply(workbook, op) -> None:
    sheets = workbook.worksheets
    kind = op[0]
    if kind == "add":
        if op[1] not in workbook.sheetnames:
            workbook.create_sheet(op[1])
        return
    sheet = sheets[op[1] % len(sheets)]
    if kind == "set":
        sheet.cell(row=op[2], column=op[3]).value = op[4]
    elif kind == "merge":
        sheet.merge_cells(start_row=op[2], start_column=op[3], end_row=op[2] + op[4], end_column=op[3] + op[5])
    elif kind == "empty":
        title = sheet.title
        index = workbook.index(sheet)
        workbook.remove(sheet)
        workbook.create_sheet(title, index)
    elif kind == "rename":
        if op[2] not in workbook.sheetnames:
            sheet.title = op[2]
    elif kind == "wide":
        for column in range(sheet.max_column + 1, sheet.max_column + 1 + op[2]):
            sheet.cell(row=1, column=column).value = f"kolumn {column}"
            sheet.cell(row=2, column=column).value = column
    elif kind == "delete_rows":
        sheet.delete_rows(op[2], op[3])


@given(operations=st.lists(operation, min_size=1, max_size=6))
@settings(kit.FUZZ, max_examples=kit.examples(20))
def test_edited_workbooks(workdir, workbook_bytes, operations):
    """Workbooks as people edit them: merged cells, emptied and extra sheets, formulas, dates,
    hostile text, wide sheets, deleted rows."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    for op in operations:
        with contextlib.suppress(ValueError):  # openpyxl refuses a few edits (e.g. overlapping merges)
            _apply(workbook, op)
    path = workdir / "edited.xlsx"
    workbook.save(path)
    with kit.case("test_edited_workbooks"):
        tables, problems = read_excel_tables(path)
        for table in tables.values():
            kit.check_raw_table(table)
        kit.validate_checked(path)


def test_xlsx_with_10000_columns_and_a_far_cell(workdir, reference):
    """A sheet 10,000 columns wide and a stray cell at row 5,000 (Excel's 'used range' grows)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for name, frame in reference.tables.items():
        sheet = workbook.create_sheet(name)
        header = [str(c) for c in frame.columns] + ([f"k{i}" for i in range(10_000)] if name == "target_groups" else [])
        sheet.append(header)
        for record in frame.astype(str).replace({"nan": "", "NaT": "", "False": "false", "True": "true"}).itertuples(index=False):
            sheet.append(list(record) + (list(range(10_000)) if name == "target_groups" else []))
        if name == "contacts":
            for _ in range(5_000):
                sheet.append([])
            sheet.append(["", "", "", "", "långt bort"])
    path = workdir / "wide.xlsx"
    workbook.save(path)
    with kit.case("heavy cases", timeout=30):
        package, problems = kit.validate_checked(path)
    assert package is None and any(p.row == len(reference.contacts) + 5_002 for p in problems), [str(p) for p in problems][:5]


# --------------------------------------------------------------------------------------------
# The CLI: FILE:ROW:COLUMN lines, exit 1, never a traceback

PROBLEM_LINE = re.compile(r"^(?P<file>[^\n:]+):(?P<row>\d*):(?P<column>[^\n]*?): (?P<severity>error|warning): \S.*$")
SUMMARY_LINE = re.compile(r"^(\d+) error\(s\), (\d+) warning\(s\)$")


def check_validate_output(result, tally: str | None = None) -> None:
    kit.assert_clean_exit(result, allowed=(0, 1), tally=tally)
    lines = result.stdout.rstrip("\n").split("\n")
    summary = SUMMARY_LINE.match(lines[-1])
    assert summary, lines[-1]
    errors, warnings_ = int(summary.group(1)), int(summary.group(2))
    for line in lines[:-1]:
        assert PROBLEM_LINE.match(line), f"not a FILE:ROW:COLUMN line: {line!r}"
    assert len(lines) - 1 == errors + warnings_
    assert (result.exit_code == 1) == (errors > 0)


mutation = st.tuples(st.sampled_from(TABLE_FILES), st.integers(1, 70), st.integers(0, 10), one_line_nasty_text | st.sampled_from(kit.HOSTILE_NAMES + ["", "huddinge", "2014-13-45", "-1", "styrgrupp"]))


@given(mutations=st.lists(mutation, min_size=1, max_size=5), drop=st.sampled_from([None, *TABLE_FILES]))
@settings(kit.FUZZ, max_examples=kit.examples(60))
def test_cli_validate_reports_file_row_column(workdir, mutations, drop):
    folder = kit.copy_package(kit.OREBRO, workdir / "cli-validate")
    for table, row, column, value in mutations:
        rows = list(csv.reader(io.StringIO((folder / table).read_text(encoding="utf-8"), newline="")))
        if len(rows) > 1:
            row = 1 + row % (len(rows) - 1)
            rows[row][column % len(rows[row])] = value
        (folder / table).write_bytes(csv_bytes(rows))
    if drop:
        (folder / drop).unlink()
    with kit.case("test_cli_validate_reports_file_row_column"):
        check_validate_output(kit.invoke("validate", folder), "test_cli_validate_reports_file_row_column")


def test_cli_validate_broken_package_lists_every_problem(workdir):
    folder = kit.copy_package(kit.OREBRO, workdir / "broken")
    rows = rows_of("participations.csv")
    rows[1][rows[0].index("role")] = "styrgrup"
    rows[2][rows[0].index("organisation")] = "<img src=x onerror=alert(1)>"
    rows[3][rows[0].index("start")] = "2014-02-30"
    (folder / "participations.csv").write_bytes(csv_bytes(rows))
    result = kit.invoke("validate", folder)
    check_validate_output(result)
    assert result.exit_code == 1
    assert "participations.csv:2:role: error:" in result.stdout
    assert "participations.csv:3:organisation: error:" in result.stdout
    assert "participations.csv:4:start: error:" in result.stdout


def test_cli_validate_heavy_package_in_a_subprocess(workdir):
    """A 2 MB cell and 30,000 rows through the real command, with a hard timeout."""
    folder = kit.copy_package(kit.OREBRO, workdir / "heavy")
    (folder / "organisations.csv").write_bytes(_org_rows_with("x" * 2_000_000, extra_rows=30_000))
    with kit.case("heavy cases", timeout=90):
        result = kit.run_cli("validate", folder, timeout=80)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert "huge-cell" in result.stdout or "characters; only the first" in result.stdout


def test_cli_problem_lines_stay_one_per_line(workdir):
    """A line break in a header used to split a problem over two lines."""
    folder = kit.copy_package(kit.OREBRO, workdir / "newline-header")
    rows = rows_of("target_groups.csv")
    rows[0] += ["x\ny", "x\ny"]
    for row in rows[1:]:
        row += ["1", "2"]
    (folder / "target_groups.csv").write_bytes(csv_bytes(rows))
    check_validate_output(kit.invoke("validate", folder))


def test_cli_validate_survives_a_narrow_console_encoding(workdir):
    folder = kit.copy_package(kit.OREBRO, workdir / "emoji")
    rows = rows_of("participations.csv")
    rows[1][rows[0].index("role")] = "😀ägare"
    (folder / "participations.csv").write_bytes(csv_bytes(rows))
    result = kit.run_cli("validate", folder, env=kit.cli_env(PYTHONIOENCODING="cp1252"), timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "participations.csv:2:role: error:" in result.stdout


def test_cli_validate_damaged_workbook_exits_1(workdir, workbook_bytes):
    path = workdir / "damaged.xlsx"
    path.write_bytes(_rezip(workbook_bytes, "xl/workbook.xml", b"<not xml"))
    result = kit.invoke("validate", path)
    check_validate_output(result)
    assert result.exit_code == 1 and "damaged.xlsx" in result.stdout


@pytest.mark.parametrize("command", ["analyse", "view", "compare"])
def test_cli_commands_on_a_broken_package_report_and_write_nothing(workdir, command):
    kit.require(kit.ANALYSIS_MODULES + (kit.COMPARE_MODULES if command == "compare" else ()))
    folder = kit.copy_package(kit.OREBRO, workdir / f"broken-{command}")
    rows = rows_of("participations.csv")
    rows[2][rows[0].index("role")] = "styrgrup"
    (folder / "participations.csv").write_bytes(csv_bytes(rows))
    out = workdir / f"out-{command}"
    args = {"analyse": ("analyse", folder, "-o", out), "view": ("view", folder, "-o", out / "v.html"), "compare": ("compare", folder, kit.SODERTORN, "-o", out)}[command]
    result = kit.invoke(*args)
    kit.assert_clean_exit(result, allowed=(1,))
    assert "participations.csv:3:role: error:" in result.output
    assert not (out.exists() and kit.visible_files(out)), "a broken package still produced output files"


def test_analyse_of_huge_names_finishes(workdir, analysis_ready):
    """A name of a million characters (what the readers keep of a larger cell) and a long run of
    '@' go through metrics, views and report in reasonable time (a real process with a hard timeout:
    a regular expression stuck in C cannot be interrupted from inside)."""
    folder = kit.copy_package(kit.OREBRO, workdir / "huge-names")
    rows = rows_of("organisations.csv")
    rows[1][1] = "Å" * 999_995 + " slut"
    rows[2][1] = "x@" * 20_000 + "example"
    (folder / "organisations.csv").write_bytes(csv_bytes(rows))
    out = workdir / "huge-names-out"
    with kit.case("heavy cases", timeout=200):
        result = kit.run_cli("analyse", folder, "-o", out, "-q", timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (out / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.mark.parametrize("command", ["analyse", "view", "compare", "init", "import"])
def test_cli_output_that_cannot_be_created_is_a_usage_error(workdir, command):
    kit.require(kit.ANALYSIS_MODULES + kit.COMPARE_MODULES + kit.IMPORT_MODULES)
    blocker = workdir / "en-fil.txt"
    blocker.write_text("x", encoding="utf-8")
    table = workdir / "platt.csv"
    table.write_bytes(csv_bytes([["projekt", "organisationsnamn", "organisationsroll"], ["P1", "Huddinge kommun", "LP"]]))
    mapping = workdir / "platt.toml"
    mapping.write_text('[project]\nid = "projekt"\n[organisation]\nname = "organisationsnamn"\n[participation]\nrole = "organisationsroll"\n[roles]\nLP = "owner"\n', encoding="utf-8")
    target = blocker / "ut"
    args = {
        "analyse": ("analyse", kit.OREBRO, "-o", target, "-q", "--no-views"),
        "view": ("view", kit.OREBRO, "-o", target / "v.html"),
        "compare": ("compare", kit.OREBRO, kit.SODERTORN, "-o", target, "--samples", "2"),
        "init": ("init", target),
        "import": ("import", table, "--map", mapping, "-o", target),
    }[command]
    result = kit.invoke(*args)
    kit.assert_clean_exit(result, allowed=(1, 2))
    assert "Internal error" not in result.output and "en-fil.txt" in result.output
