"""A dashboard figure's table as an .xlsx download: the same numbers as the chart and the page.

Numbers stay numbers (a reader sums and charts them again) with formats that a spreadsheet
program shows in its own locale's way: 1.010 and 5,83 % on an Indonesian desktop.
"""

import re

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from reports.tables import Column, Kind, Table
from tkpk.spreadsheets import neutralise, sheet_start, workbook_bytes

NUMBER_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.RUPIAH: '"Rp "#,##0',
}
# Characters Excel refuses in a sheet's name.
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")


def number_format_of(column: Column) -> str:
    if column.kind in NUMBER_FORMATS:
        return NUMBER_FORMATS[column.kind]
    places = "0." + "0" * column.decimals if column.decimals else "0"
    return f'{places}" %"' if column.kind == Kind.PERCENT else places


def table_xlsx(table: Table) -> bytes:
    """The table on one sheet named by its title: a bold, frozen header, one row per row,
    then the full title and the note under it."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = table.title
    name = SHEET_NAME_REFUSED.sub(" ", table.title).strip() or table.slug
    sheet = sheet_start(
        workbook, name, [(c.label, _width(table, i)) for i, c in enumerate(table.columns)]
    )
    for row in table.rows:
        sheet.append(
            [
                _cell(sheet, value, column)
                for value, column in zip(row.cells, table.columns, strict=True)
            ]
        )
    sheet.append([])
    sheet.append([_italic(sheet, table.title)])
    if table.note:
        sheet.append([_italic(sheet, table.note)])
    return workbook_bytes(workbook).getvalue()


def table_filename(table: Table, *about: object) -> str:
    """e.g. "wilayah-63-02-06-2026-2026-11-30.xlsx": the table, what it is about (an area, a
    year), and the day it was taken, so that two downloads do not overwrite each other."""
    name = slugify("-".join([table.slug, *(str(part) for part in about)])) or "tabel"
    return f"{name}-{timezone.localdate().isoformat()}.xlsx"


def _cell(sheet, value, column: Column) -> WriteOnlyCell:
    if column.numeric and value is not None and not isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format_of(column)
        return cell
    return WriteOnlyCell(sheet, value=neutralise(None if value is None else str(value)))


def _italic(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralise(str(text)))
    cell.font = Font(italic=True)
    return cell


def _width(table: Table, index: int) -> int:
    """Wide enough for the label and the longest value, within reason."""
    longest = max(
        [len(str(table.columns[index].label))]
        + [len(str(v)) + 3 for v in table.column_values(index)]
    )
    return min(60, max(10, longest + 2))
