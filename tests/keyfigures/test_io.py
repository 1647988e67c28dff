"""The key_figures table: validation with FILE:ROW:COLUMN problems, and importing files into a package."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from samverkan.errors import InputError
from samverkan.io.key_figures import (
    add_key_figures,
    check_key_figures,
    key_figures_of,
    normalise_period,
    parse_name_options,
    read_key_figure_file,
    read_names_file,
)
from samverkan.io.package import read_package, validate_package, write_package
from samverkan.model import TABLES

from .conftest import TINY, write


def _errors(problems):
    return [str(p) for p in problems if p.is_error]


# --- the table in a package -------------------------------------------------------------------


def test_a_package_without_key_figures_still_validates(tiny):
    package, problems = validate_package(tiny)
    assert package is not None and _errors(problems) == []
    assert key_figures_of(package).empty
    assert TABLES["key_figures"].optional


def test_decimal_commas_genders_and_swedish_headers_are_read(tmp_path):
    # Swedish Excel: semicolons, decimal commas, Swedish headers; gender written three ways, once empty
    files = dict(TINY)
    files["nyckeltal.csv"] = "område;nyckeltal;år;värde;kön;enhet\n0126;N00914;2010;12,5;T;%\n0126;N00914;2010;13,25;Kvinnor;%\n0126;N00914;2010;11;m;%\n0136;N00914;2011;1 234,5;;%\n"
    package, problems = validate_package(write(tmp_path / "p", files))
    assert _errors(problems) == []
    figures = key_figures_of(package)
    assert figures["value"].tolist() == [12.5, 13.25, 11.0, 1234.5]
    assert figures["gender"].tolist() == ["T", "K", "M", "T"]  # empty gender is the total
    assert figures["unit"].tolist() == ["%"] * 4


def test_a_value_that_is_not_a_number_is_reported_at_file_row_column(tmp_path):
    files = dict(TINY)
    files["key_figures.csv"] = "area,indicator,period,value\n0126,N00914,2010,12\n0126,N00914,2011,tolv\n"
    package, problems = validate_package(write(tmp_path / "p", files))
    assert package is None
    assert _errors(problems) == ["key_figures.csv:3:value: error: not a number (value 'tolv'); write a number such as 1500000 or 1 500 000,50"]


def test_an_unknown_gender_is_an_error_with_the_codes(tmp_path):
    files = dict(TINY)
    files["key_figures.csv"] = "area,indicator,period,value,gender\n0126,N00914,2010,12,X\n"
    _, problems = validate_package(write(tmp_path / "p", files))
    (error,) = _errors(problems)
    assert error.startswith("key_figures.csv:2:gender: error: unknown gender (value 'X')") and "T, K, M" in error


def test_check_flags_bad_periods_and_repeated_rows_and_normalises():
    frame = pd.DataFrame(
        {
            "area": ["0126", "0126", "0001", "0126"],
            "indicator": ["N1"] * 4,
            "period": ["2010", "2010", "2011-3", "20x0"],
            "value": [1.0, 2.0, 3.0, 4.0],
            "indicator_name": [""] * 4,
            "unit": [""] * 4,
            "gender": ["", "T", "K", ""],
            "source": [""] * 4,
        }
    )
    checked, problems = check_key_figures(frame, [2, 3, 4, 5], "kf.csv")
    assert [str(p) for p in problems] == [
        "kf.csv:5:period: error: not a period (value '20x0'); write a year (2014) or a month (2014-03)",
        "kf.csv:3:value: error: the same area, indicator, period and gender is already on row 2 (value '0126/N1/2010/T'); keep one of the rows",
    ]
    assert checked["area"].tolist()[2] == "01"  # Kolada's region id 0001 is the county 01
    assert checked["period"].tolist()[2] == "2011-03"


@pytest.mark.parametrize("text, expected", [("2014", "2014"), ("2014-03", "2014-03"), ("2014-3", "2014-03"), (2014, "2014"), ("2014.0", "2014")])
def test_periods(text, expected):
    assert normalise_period(text) == expected


@pytest.mark.parametrize("text", ["14", "2014-13", "mars 2014", ""])
def test_bad_periods(text):
    with pytest.raises(ValueError):
        normalise_period(text)


# --- importing ---------------------------------------------------------------------------------

PAGE_1 = {
    "count": 3,
    "next_page": "https://api.kolada.se/v2/data/kpi/N00914/year/2008,2009?page=2",
    "values": [
        {
            "kpi": "N00914",
            "municipality": "0126",
            "period": 2008,
            "values": [{"gender": "T", "status": "", "value": 12.5, "count": 1}, {"gender": "K", "status": "", "value": 13.1}, {"gender": "M", "status": "", "value": None}],
        },
        {"kpi": "N00914", "municipality": "0001", "period": 2008, "values": [{"gender": "T", "status": "", "value": 10.0}]},
    ],
}
PAGE_2 = {"count": 3, "values": [{"kpi": "N00914", "municipality": "0136", "period": 2009, "values": [{"gender": "T", "status": "", "value": 9.75}]}]}
EXPECTED = [("01", "2008", "T", 10.0), ("0126", "2008", "K", 13.1), ("0126", "2008", "T", 12.5), ("0136", "2009", "T", 9.75)]


def _rows(frame):
    return sorted(zip(frame["area"], frame["period"], frame["gender"], frame["value"]))


@pytest.mark.parametrize("layout", ["concatenated", "list", "one"])
def test_kolada_json_pages_import_into_a_copy_of_sodertorn_which_validates(sodertorn, tmp_path, layout):
    file = tmp_path / "kolada.json"
    if layout == "concatenated":
        file.write_text(json.dumps(PAGE_1) + "\n" + json.dumps(PAGE_2), encoding="utf-8")
    elif layout == "list":
        file.write_text(json.dumps([PAGE_1, PAGE_2]), encoding="utf-8")
    else:
        file.write_text(json.dumps({"values": PAGE_1["values"] + PAGE_2["values"]}), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in sodertorn.iterdir()}
    done = add_key_figures(sodertorn, file, names={"N00914": "Andel"})
    assert done["added"] == 4 and done["skipped_empty"] == 1 and done["format"] == "kolada-json"
    assert [p.code for p in done["warnings"]] == ["no-value"]
    package = read_package(sodertorn)  # the package validates
    figures = key_figures_of(package)
    assert _rows(figures) == EXPECTED
    assert set(figures["source"]) == {"Kolada"} and set(figures["indicator_name"]) == {"Andel"}
    assert {p.name: p.read_bytes() for p in sodertorn.iterdir() if p.name in before} == before  # no other table touched


def test_plain_long_csv_with_names_and_decimal_commas_imports(sodertorn, tmp_path):
    file = tmp_path / "long.csv"
    file.write_text("Kommun;Nyckeltal;År;Värde;Kön\nHuddinge;N00914;2008;12,5;Totalt\nHaninge kommun;N00914;2009;9,75;T\n0138;N00914;2009;7;Kvinnor\n", encoding="utf-8")
    done = add_key_figures(sodertorn, file)
    assert done["format"] == "long" and done["unnamed"] == ["N00914"]
    assert _rows(key_figures_of(read_package(sodertorn))) == [("0126", "2008", "T", 12.5), ("0136", "2009", "T", 9.75), ("0138", "2009", "K", 7.0)]


def test_kolada_wide_download_with_title_rows_and_missing_cells(tmp_path):
    file = tmp_path / "kolada.csv"
    file.write_text(
        "Nyckeltal: Andel utrikes födda\n\nKommun-id;Kommun;Nyckeltal-id;Kön;2008;2009;2010\n0126;Huddinge;N00914;Totalt;12,5;..;13\n0126;Huddinge;N00914;Kvinnor;13,1;;\n",
        encoding="utf-8",
    )
    result = read_key_figure_file(file)
    assert result.format == "kolada-wide" and result.errors == []
    assert result.skipped_empty == 3
    assert _rows(result.frame) == [("0126", "2008", "K", 13.1), ("0126", "2008", "T", 12.5), ("0126", "2010", "T", 13.0)]


def test_an_area_that_cannot_be_placed_is_refused_and_nothing_is_written(sodertorn, tmp_path):
    file = tmp_path / "long.csv"
    file.write_text("area,indicator,period,value\n0126,N1,2008,1\nAtlantis,N1,2008,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        add_key_figures(sodertorn, file)
    assert [str(p).split(";")[0] for p in caught.value.errors] == [
        "long.csv:3:area: error: cannot place the area: it is not a municipality code, a county code, an organisation id or a municipality the package names (value 'Atlantis')"
    ]
    assert not (sodertorn / "key_figures.csv").exists()


def test_a_non_number_in_an_imported_file_is_reported_at_file_row_column(sodertorn, tmp_path):
    file = tmp_path / "long.csv"
    file.write_text("area,indicator,period,value\n0126,N1,2008,1\n0126,N1,2009,ett\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        add_key_figures(sodertorn, file)
    assert [str(p) for p in caught.value.errors] == ["long.csv:3:value: error: not a number (value 'ett'); write a number such as 12,5 or 12.5"]


def test_an_organisation_id_is_an_area(sodertorn, tmp_path):
    file = tmp_path / "long.csv"
    file.write_text("area,indicator,period,value\nhuddinge,EGET1,2009,3\n", encoding="utf-8")
    add_key_figures(sodertorn, file)
    assert _rows(key_figures_of(read_package(sodertorn))) == [("huddinge", "2009", "T", 3.0)]


def test_duplicates_rule_equal_merged_different_refused_unless_replace(sodertorn, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text("area,indicator,period,value\n0126,N1,2008,1\n0126,N1,2009,2\n", encoding="utf-8")
    add_key_figures(sodertorn, first)
    second = tmp_path / "b.csv"
    second.write_text("area,indicator,period,value\n0126,N1,2008,1\n0126,N1,2009,5\n0126,N1,2010,6\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        add_key_figures(sodertorn, second)
    assert [p.code for p in caught.value.errors] == ["conflicting-key-figure"]
    assert "already has 2 for 0126/N1/2009/T; the file gives 5" in str(caught.value.errors[0])
    assert len(key_figures_of(read_package(sodertorn))) == 2  # refused: nothing written
    done = add_key_figures(sodertorn, second, replace=True)
    assert (done["added"], done["unchanged"], done["replaced"]) == (1, 1, 1)
    assert _rows(key_figures_of(read_package(sodertorn))) == [("0126", "2008", "T", 1.0), ("0126", "2009", "T", 5.0), ("0126", "2010", "T", 6.0)]


def test_a_file_giving_two_values_for_one_key_is_refused(tmp_path):
    file = tmp_path / "long.csv"
    file.write_text("area,indicator,period,value\n0126,N1,2008,1\n0126,N1,2008,2\n", encoding="utf-8")
    result = read_key_figure_file(file)
    assert [str(p).split(" (")[0] for p in result.errors] == ["long.csv:3:value: error: the file gives 2 values for one area, indicator, period and gender"]


def test_missing_columns_are_named(tmp_path):
    file = tmp_path / "long.csv"
    file.write_text("kommun,år,värde\n0126,2008,1\n", encoding="utf-8")
    result = read_key_figure_file(file)
    (error,) = result.errors
    assert error.code == "missing-column" and error.column == "indicator"


def test_names_from_options_and_kolada_metadata(tmp_path):
    assert parse_name_options(["N1=Andel, i %", " N2 = Två "]) == {"N1": "Andel, i %", "N2": "Två"}
    from samverkan.errors import UsageError

    with pytest.raises(UsageError):
        parse_name_options(["N1"])
    meta = tmp_path / "kpi.json"
    meta.write_text(json.dumps({"count": 1, "values": [{"id": "N00914", "title": "Invånare med utländsk bakgrund, andel (%)", "operating_area": "x"}]}), encoding="utf-8")
    assert read_names_file(meta) == {"N00914": "Invånare med utländsk bakgrund, andel (%)"}
    table = tmp_path / "names.csv"
    table.write_text("id;title\nN1;Ett\n", encoding="utf-8")
    assert read_names_file(table) == {"N1": "Ett"}


def test_an_excel_package_gets_a_sheet_and_keeps_its_other_sheets(sodertorn, tmp_path):
    workbook = write_package(read_package(sodertorn), tmp_path / "sod.xlsx", format="xlsx")
    before = read_package(workbook)
    file = tmp_path / "kolada.json"
    file.write_text(json.dumps([PAGE_1, PAGE_2]), encoding="utf-8")
    add_key_figures(workbook, file)
    after = read_package(workbook)
    assert _rows(key_figures_of(after)) == EXPECTED
    for name in ("organisations", "projects", "participations", "efforts", "ties", "contacts", "target_groups"):
        pd.testing.assert_frame_equal(before.tables[name], after.tables[name])


def test_kolada_excel_download_with_a_title_row_keeps_excel_row_numbers(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kolada"
    sheet.append(["Andel utrikes födda, N00914"])
    sheet.append([])
    sheet.append(["Kommun-id", "Kommun", "Nyckeltal-id", "Kön", 2008, 2009])
    sheet.append(["0126", "Huddinge", "N00914", "Totalt", 12.5, "x"])
    sheet.append(["0136", "Haninge", "N00914", "Män", 9, "nio"])
    workbook.save(tmp_path / "kolada.xlsx")
    result = read_key_figure_file(tmp_path / "kolada.xlsx")
    assert [str(p).split(";")[0] for p in result.errors] == ["kolada.xlsx[Kolada]:5:2009: error: not a number (value 'nio')"]
    assert _rows(result.frame) == [("0126", "2008", "T", 12.5), ("0136", "2008", "M", 9.0)]
