"""What every spreadsheet we hand out must respect, and how its sheets begin."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BOLD = Font(bold=True)

# A spreadsheet program reads a cell starting with one of these as a formula (CSV
# injection); tab and carriage return are on OWASP's list too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def sheet_start(workbook: Workbook, title: str, columns: list[tuple[str, int]]):
    """A new sheet of a write-only workbook with a bold, frozen header row and readable
    column widths; `columns` is (title, width in characters) per column."""
    sheet = workbook.create_sheet(title[:31])  # a longer sheet name is refused by Excel
    sheet.freeze_panes = "A2"
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for text, _width in columns:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    return sheet


def workbook_bytes(workbook: Workbook) -> io.BytesIO:
    """The saved workbook, ready to be sent."""
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream
