"""The error report: the rejected rows exactly as they were, with the reasons beside them.

Built after a check from the files the load kept (households/dtsen/problems.py), so its
memory stays flat whatever the number of rows: openpyxl's write-only workbook streams.
A DTSEN load's report and a program's list of NIKs (programs/enrollment_files.py) both
have what it needs.
"""

import datetime
from pathlib import Path
from typing import BinaryIO, Protocol

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from households.dtsen.checking import Header
from households.dtsen.problems import SHEET_ROWS, Problems, RejectedRows
from tkpk.spreadsheets import neutralise

BOLD = Font(bold=True)
# Column widths in characters: the row number, a data column, a reason.
ROW_WIDTH, VALUE_WIDTH, REASON_WIDTH = 8, 18, 70
VALUE_WIDTHS = {"nama": 28, "nama lengkap": 28, "alamat": 32}


class CheckedFile(Protocol):
    """What a checked file's report holds for its error report."""

    header: Header | None
    errors: Problems
    warnings: Problems
    rejected_rows: Path | None  # a RejectedRows file

    @property
    def rejected(self) -> int: ...


def write_error_report(report: CheckedFile, stream: BinaryIO) -> None:
    """The rejected rows (sheet 1) and every warning (sheet 2) of a checked file."""
    workbook = Workbook(write_only=True)
    names = report.header.names if report.header else []
    _rejected_sheet(workbook, names, report)
    _warnings_sheet(workbook, report)
    workbook.save(stream)


def _rejected_sheet(workbook: Workbook, names: list[str], report: CheckedFile) -> None:
    sheet = workbook.create_sheet(_("Rejected rows"))
    width = len(names)
    _layout(sheet, [ROW_WIDTH, *(_value_width(name) for name in names), REASON_WIDTH])
    sheet.append(_header(sheet, [_("Row"), *names, _("Reason")]))
    if report.rejected_rows is None or not report.errors:
        return
    for row, cells, reasons in RejectedRows.read(report.rejected_rows):
        values = [_cell(cell) for cell in cells]
        padded = values[:width] + [""] * (width - len(values))
        # Extra values, beyond the header, stay after the reason.
        sheet.append([row, *padded, _cell(_reasons(reasons)), *values[width:]])
    if report.rejected > SHEET_ROWS:
        sheet.append(["…", _("More rejected rows than a worksheet holds.")])


def _warnings_sheet(workbook: Workbook, report: CheckedFile) -> None:
    sheet = workbook.create_sheet(_("Warnings"))
    _layout(sheet, [ROW_WIDTH, VALUE_WIDTH, REASON_WIDTH])
    sheet.append(_header(sheet, [_("Row"), _("Column"), _("Warning")]))
    for written, (row, column, message) in enumerate(report.warnings):
        if written == SHEET_ROWS:
            sheet.append(["…", "", _("More warnings than a worksheet holds.")])
            break
        sheet.append([row, _cell(column or ""), _cell(message)])


def _reasons(reasons: list[tuple[str | None, str]]) -> str:
    """`NIK: must be exactly 16 digits…; Kode Desa: …` — each message once, after its column."""
    return "; ".join(f"{column}: {message}" if column else message for column, message in reasons)


def _layout(sheet, widths: list[int]) -> None:
    """A frozen header row and readable column widths (set before any row is written)."""
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _value_width(name: str) -> int:
    return VALUE_WIDTHS.get(name.strip().lower(), VALUE_WIDTH)


def _header(sheet, names: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=_cell(name))
        cell.font = BOLD
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        cells.append(cell)
    return cells


def _cell(value):
    """A value a worksheet accepts as it was: no formulas, no control characters."""
    if isinstance(value, datetime.timedelta | datetime.time):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)
