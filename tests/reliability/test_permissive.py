"""Round 2 of issue 17, item 17: what samverkan used to accept or report wrongly without a word.

Formula cells without a saved value, unknown extra columns, absurd tie weights.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import reliability_kit as kit

from samverkan.io.package import validate_package


def _workbook_from_csv(folder: Path, target: Path) -> Path:
    """The CSV package as one workbook (a sheet per table), as a user's Excel package looks."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                sheet.append(row)
    book.save(target)
    return target


def test_a_formula_without_a_saved_value_is_said_as_such(tmp_path):
    path = _workbook_from_csv(kit.SODERTORN, tmp_path / "paket.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["organisations"]
    header = [c.value for c in sheet[1]]
    name = header.index("name") + 1
    sheet.cell(row=3, column=name).value = '=CONCATENATE("Hudd", "inge")'  # openpyxl saves no value
    region = header.index("region") + 1 if "region" in header else None
    if region:
        sheet.cell(row=4, column=region).value = "=A4"
    book.save(path)
    _, problems = validate_package(path)
    at = [p for p in problems if p.row == 3 and p.file.endswith("[organisations]")]
    assert any(p.code == "formula-without-value" and p.column == "name" for p in at), at
    assert not any(p.code == "empty-value" for p in at), "the cell was also called empty"
    message = next(str(p) for p in at if p.code == "formula-without-value")
    assert "formula without a saved value" in message and "open and save the workbook in Excel" in message
    if region:  # an optional column: said too, not dropped silently
        assert any(p.code == "formula-without-value" and p.row == 4 and p.column == "region" for p in problems)


def test_a_workbook_with_saved_formula_values_reads_them(tmp_path):
    path = _workbook_from_csv(kit.SODERTORN, tmp_path / "paket.xlsx")
    _, clean = validate_package(path)
    assert not any(p.code == "formula-without-value" for p in clean)


def _with_columns(tmp_path: Path, extra: dict[str, str]) -> Path:
    """Södertörn with extra columns (header -> value on every row) in organisations.csv."""
    folder = kit.copy_package(kit.SODERTORN, tmp_path / "paket")
    path = folder / "organisations.csv"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0] += list(extra)
    for row in rows[1:]:
        row += list(extra.values())
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return folder


def test_unknown_columns_are_warned_about_once_each_with_the_closest_name(tmp_path):
    folder = _with_columns(tmp_path, {"regoin": "x", "Anteckning": "y"})
    _, problems = validate_package(folder)
    unknown = [p for p in problems if p.code == "unknown-column"]
    assert sorted(p.column for p in unknown) == ["Anteckning", "regoin"]  # once per column, not per row
    assert all(p.file == "organisations.csv" and p.row == 1 for p in unknown)
    by_column = {p.column: p for p in unknown}
    assert "did you mean 'region'?" in str(by_column["regoin"])
    assert "did you mean" not in str(by_column["Anteckning"])  # nothing close: said without a guess


def test_ten_thousand_unknown_columns_give_one_warning(tmp_path):
    folder = _with_columns(tmp_path, {f"extra{i}": "" for i in range(10_000)})
    _, problems = validate_package(folder)
    assert [p.code for p in problems if p.code.startswith("unknown-column")] == ["unknown-columns"]
    assert "10000 unknown columns" in next(p.message for p in problems if p.code == "unknown-columns")


def _edit_csv(path: Path, edit) -> None:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


import pytest  # noqa: E402


@pytest.mark.parametrize("weight", ["1e308", "1.7976931348623157e308", "inf", "-inf", "Infinity", "NaN", "nan", "1e400"])
def test_absurd_weights_are_validation_errors(weight, tmp_path):
    folder = kit.copy_package(kit.SODERTORN, tmp_path / "paket")

    def set_weight(rows):
        rows[1][rows[0].index("weight")] = weight

    _edit_csv(folder / "ties.csv", set_weight)
    package, problems = validate_package(folder)
    errors = [p for p in problems if p.is_error]
    assert package is None and [(p.file, p.row, p.column) for p in errors] == [("ties.csv", 2, "weight")], errors


def test_quiet_means_nothing_on_stderr_even_with_missing_glyphs_and_overflowing_budgets(tmp_path):
    """-q in a real process: matplotlib's missing glyphs (names in scripts no bundled font draws)
    and numpy's overflow (budgets whose sum exceeds the largest float) never reach stderr."""
    folder = kit.copy_package(kit.SODERTORN, tmp_path / "paket")

    def exotic_names(rows):
        name = rows[0].index("name")
        for k, row in enumerate(rows[1:6]):
            row[name] = ["𓀀𓀁 Hieroglyfer", "漢字組織", "ᚠᚢᚦ runor", "🜁 alkemi", "ꦲꦏ꧀ꦱꦫ"][k]

    def huge_budgets(rows):
        budget = rows[0].index("budget")
        for row in rows[1:]:
            row[budget] = "1e308"

    _edit_csv(folder / "organisations.csv", exotic_names)
    _edit_csv(folder / "projects.csv", huge_budgets)
    result = kit.run_cli("analyse", folder, "-o", tmp_path / "ut", "-q", "--size-by", "degree", timeout=300)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == "" or result.returncode == 1 and "Warning" not in result.stderr, result.stderr
    # (the same run without -q prints matplotlib's "Glyph ... missing from font(s)" warnings: checked by hand)
