"""The error report: the rejected rows exactly as they were, with the reason beside them."""

import datetime
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from households.dtsen.rules import Problem
from tkpk.spreadsheets import neutralise

# A worksheet holds 1,048,576 rows; keep one for the header and one for a closing note.
SHEET_ROWS = 1_048_574


class ErrorReport:
    """Streams rejected rows into an .xlsx while the file is read (memory stays flat)."""

    def __init__(self, header: list[str]) -> None:
        self.width = len(header)
        self.workbook = Workbook(write_only=True)
        self.rejected = self.workbook.create_sheet(_("Rejected rows"))
        self.rejected.append([_("Row"), *(_cell(name) for name in header), _("Reason")])
        self.count = 0

    def add(self, row: int, cells: list, problems: list[Problem]) -> None:
        """One rejected row; its values stay under their headers, extra values after the reason."""
        if self.count == SHEET_ROWS:
            self.rejected.append(["…", _("More rejected rows than a worksheet holds.")])
        if self.count >= SHEET_ROWS:
            self.count += 1
            return
        reasons = "; ".join(
            f"{column}: {message}" if column else message for _row, column, message in problems
        )
        values = [_cell(cell) for cell in cells]
        padded = values[: self.width] + [""] * (self.width - len(values))
        self.rejected.append([row, *padded, _cell(reasons), *values[self.width :]])
        self.count += 1

    def save(self, path: Path, warnings: list[Problem]) -> None:
        sheet = self.workbook.create_sheet(_("Warnings"))
        sheet.append([_("Row"), _("Column"), _("Warning")])
        for row, column, message in warnings[:SHEET_ROWS]:
            sheet.append([row, _cell(column or ""), _cell(message)])
        if len(warnings) > SHEET_ROWS:
            sheet.append(["…", "", _("More warnings than a worksheet holds.")])
        self.workbook.save(path)


def _cell(value):
    """A value a worksheet accepts as it was: no formulas, no control characters."""
    if isinstance(value, datetime.timedelta | datetime.time):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)
