"""A figure's .xlsx holds the table's numbers as numbers, its note, and no runnable formula."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports.exports import table_filename, table_xlsx
from reports.tables import Column, Kind, Row, Table


def poverty_table(**changes) -> Table:
    fields = {
        "slug": "poverty-rank",
        "title": "Persentase penduduk miskin 2025: kabupaten/kota [Kalimantan Selatan]",
        "columns": (
            Column("Kabupaten/kota", Kind.TEXT),
            Column("P0", Kind.PERCENT, decimals=2),
            Column("Penduduk miskin"),
            Column("Garis kemiskinan", Kind.RUPIAH),
        ),
        "rows": (
            Row(("Kotawaringin Timur", Decimal("5.83"), 1010, 650_000), highlight=True),
            Row(('=HYPERLINK("http://x")', Decimal("2.74"), None, 600_000)),
        ),
        "note": "BPS, Maret 2025",
    }
    return Table(**(fields | changes))


def read(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def test_numbers_stay_numbers_with_formats_a_spreadsheet_writes_in_its_locale():
    sheet = read(table_xlsx(poverty_table()))
    assert [c.value for c in sheet[1]] == [
        "Kabupaten/kota",
        "P0",
        "Penduduk miskin",
        "Garis kemiskinan",
    ]
    assert sheet["B2"].value == pytest.approx(5.83)
    assert sheet["B2"].number_format == '0.00" %"'
    assert sheet["C2"].value == 1010
    assert sheet["C2"].number_format == "#,##0"
    assert sheet["D2"].number_format == '"Rp "#,##0'
    assert sheet["C3"].value is None


def test_the_header_is_bold_and_frozen_and_the_note_is_under_the_table():
    sheet = read(table_xlsx(poverty_table()))
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    values = [row[0].value for row in sheet.iter_rows(min_row=4)]
    assert "BPS, Maret 2025" in values
    assert "Persentase penduduk miskin 2025: kabupaten/kota [Kalimantan Selatan]" in values


def test_the_sheet_is_named_by_the_title_within_excels_rules():
    sheet = read(table_xlsx(poverty_table()))
    assert len(sheet.title) <= 31
    assert not set("[]:*?/\\") & set(sheet.title)
    assert sheet.title.startswith("Persentase penduduk miskin")


def test_a_text_that_looks_like_a_formula_is_written_as_text():
    sheet = read(table_xlsx(poverty_table()))
    assert sheet["A3"].value == '\'=HYPERLINK("http://x")'
    assert sheet["A3"].data_type == "s"


def test_an_empty_table_still_gives_its_header_and_note():
    sheet = read(table_xlsx(poverty_table(rows=())))
    assert sheet["A1"].value == "Kabupaten/kota"
    assert "BPS, Maret 2025" in [row[0].value for row in sheet.iter_rows()]


def test_the_file_is_named_by_the_table_and_the_day(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2025, 3, 14))
    assert table_filename(poverty_table()) == "poverty-rank-2025-03-14.xlsx"
