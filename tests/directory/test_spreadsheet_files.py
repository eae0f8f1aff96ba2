"""Reading uploaded spreadsheets: CSV in its usual encodings and separators, XLSX, and files that are not
spreadsheets at all, each refused with a message that says what to do."""

import codecs
import io
import re
import zipfile

import pytest

from pathways.core.errors import DomainError
from pathways.directory.services.spreadsheet_files import (
    WINDOWS_1252_NOTICE,
    cell_text,
    open_table,
    sniff_extension,
    table_row_count,
    template_csv,
    template_xlsx,
)
from pathways.directory.services.spreadsheet_columns import COLUMNS

from .spreadsheets import HEADINGS, csv_bytes, good_row, xlsx_bytes


def read(tmp_path, data: bytes, name="services.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    extension = sniff_extension(path, name)
    with open_table(path, extension) as table:
        return table, list(table.rows)


def test_given_a_utf8_csv_with_a_byte_order_mark_when_read_then_the_first_heading_is_still_external_id(tmp_path):
    table, rows = read(tmp_path, csv_bytes([good_row(name="Café Ŵelcome")], encoding="utf-8-sig"))
    assert "external_id" in table.columns
    assert rows[0][0] == 2
    assert rows[0][1]["name"] == "Café Ŵelcome"
    assert table.notices == []


def test_given_a_windows_1252_csv_when_read_then_it_is_read_with_a_notice_to_check_accents(tmp_path):
    table, rows = read(tmp_path, csv_bytes([good_row(fees="£2 for lunch", name="Café")], encoding="cp1252"))
    assert rows[0][1]["fees"] == "£2 for lunch"
    assert rows[0][1]["name"] == "Café"
    assert table.notices == [WINDOWS_1252_NOTICE]


def test_given_bytes_that_are_neither_utf8_nor_windows_1252_when_read_then_it_is_refused(tmp_path):
    data = csv_bytes([good_row()], encoding="utf-8") + b"\x81\x8d\x8f\x90\x9d\xff"
    with pytest.raises(DomainError, match="not saved as UTF-8 or Windows-1252") as error:
        read(tmp_path, data)
    assert error.value.field == "file"


def test_given_a_csv_separated_by_semicolons_when_read_then_the_columns_are_found(tmp_path):
    table, rows = read(tmp_path, csv_bytes([good_row()], delimiter=";"))
    assert rows[0][1]["categories"] == "Advice; category-housing"
    assert len(table.columns) == len(COLUMNS)


def test_given_a_utf16_csv_when_read_then_it_is_read(tmp_path):
    data = csv_bytes([good_row(name="Łódź link")], encoding="utf-8").decode("utf-8").encode("utf-16")
    _, rows = read(tmp_path, data)
    assert rows[0][1]["name"] == "Łódź link"


def test_given_an_xlsx_when_read_then_numbers_are_text_and_blank_rows_are_skipped(tmp_path):
    data = xlsx_bytes([good_row(), {}, good_row(external_id="AV-2")])
    table, rows = read(tmp_path, data, "services.xlsx")
    assert [number for number, _ in rows] == [2, 4]
    assert rows[0][1]["minimum_age"] == "18"
    assert rows[1][1]["external_id"] == "AV-2"


def test_given_an_xlsx_without_a_services_sheet_when_read_then_its_first_sheet_is_read(tmp_path):
    _, rows = read(tmp_path, xlsx_bytes([good_row()], sheet_title="Sheet1"), "old.xlsx")
    assert rows[0][1]["name"] == "Housing advice drop-in"


def test_given_headings_in_another_case_and_a_column_not_in_the_template_then_it_is_matched_and_noted(tmp_path):
    data = ("external id,SERVICE NAME,Notes\nAV-1,Drop-in,call first\n").encode()
    table, rows = read(tmp_path, data)
    assert rows == [(2, {"external_id": "AV-1", "name": "Drop-in"})]
    assert "“Notes”" in table.notices[0]


def test_given_a_heading_twice_then_it_is_a_problem_of_the_file(tmp_path):
    table, _ = read(tmp_path, b"External ID,Postcode,Postcode\nAV-1,LS1 4AP,LS1 4AP\n")
    assert table.problems == [("Postcode", "this column heading appears more than once")]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("services.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "Older Excel files (.xls) cannot be read"),
        ("services.pdf", b"%PDF-1.4", "must be a CSV file (.csv) or an Excel workbook (.xlsx)"),
        ("services.xlsx", b"External ID\nAV-1\n", "not an Excel workbook"),
        ("services.csv", b"PK\x03\x04rest", "Excel workbook with a .csv name"),
        ("services.csv", b"External\x00ID", "not a CSV file"),
        ("services.csv", b"\n\nExternal ID\n", "first row of the file is empty"),
    ],
)
def test_given_a_file_that_is_not_a_readable_spreadsheet_then_it_is_refused_saying_why(tmp_path, name, data, message):
    with pytest.raises(DomainError, match=re.escape(message)):
        read(tmp_path, data, name)


def test_given_a_zip_that_is_not_a_workbook_when_read_as_xlsx_then_it_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(DomainError, match="not an Excel workbook"):
        read(tmp_path, buffer.getvalue(), "services.xlsx")


def test_given_rows_when_counted_then_blank_rows_do_not_count(tmp_path):
    path = tmp_path / "services.csv"
    path.write_bytes(csv_bytes([good_row(), {}, good_row(external_id="AV-2")]))
    assert table_row_count(path, "csv") == 2


def test_cells_read_as_a_person_sees_them():
    from datetime import date, datetime, time

    assert cell_text(18.0) == "18"
    assert cell_text(2.5) == "2.5"
    assert cell_text(True) == "yes"
    assert cell_text(time(9, 30)) == "09:30"
    assert cell_text(date(2025, 4, 1)) == "2025-04-01"
    assert cell_text(datetime(2025, 4, 1)) == "2025-04-01"
    assert cell_text(" a\r\nb ") == "a\nb"


def test_the_csv_template_is_the_heading_row_the_parser_reads(tmp_path):
    data = template_csv()
    assert data.startswith(codecs.BOM_UTF8)
    path = tmp_path / "template.csv"
    path.write_bytes(data + b"AV-1,Org,Drop-in\n")
    with open_table(path, "csv") as table:
        assert list(table.columns) == [column.key for column in COLUMNS]


def test_the_xlsx_template_has_services_guidance_and_lists_with_drop_down_choices(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "template.xlsx"
    path.write_bytes(template_xlsx(lists={"Pathways": ["Accommodation", "Health"], "Gender": ["anyone"]}))
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Services", "Guidance", "Lists"]
    assert [cell.value for cell in workbook["Services"][1]] == HEADINGS
    guidance = [row for row in workbook["Guidance"].iter_rows(min_row=2, max_row=len(COLUMNS) + 1, values_only=True)]
    assert [row[0] for row in guidance] == HEADINGS
    assert all(row[2] for row in guidance), "every column is explained"
    assert guidance[0][1] == "Required"
    lists = workbook["Lists"]
    assert [lists["A1"].value, lists["A2"].value, lists["A3"].value] == ["Pathways", "Accommodation", "Health"]
    validations = workbook["Services"].data_validations.dataValidation
    assert any(validation.formula1 == '"yes,no"' for validation in validations)
    with open_table(path, "xlsx") as table:
        assert list(table.columns) == [column.key for column in COLUMNS]


def test_given_a_file_padded_with_blank_rows_past_the_limit_then_it_is_refused(tmp_path, monkeypatch):
    from pathways.directory.services import spreadsheet_files

    monkeypatch.setattr(spreadsheet_files, "IMPORT_MAX_RAW_ROWS", 10)
    path = tmp_path / "services.csv"
    path.write_bytes(csv_bytes([good_row()]) + b"\r\n" * 20)
    with pytest.raises(DomainError, match="more than 10 rows, counting blank ones"):
        table_row_count(path, "csv")


def test_given_a_workbook_claiming_a_huge_size_then_only_its_cells_are_read(tmp_path):
    import re as regex

    path = tmp_path / "claims.xlsx"
    path.write_bytes(xlsx_bytes([good_row()]))
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = regex.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"',
                                                  sheet).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert table_row_count(path, "xlsx") == 1
