"""The error report: the rejected rows exactly as they were, with the reason beside them."""

import datetime
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook

from households.dtsen.rules import Problem
from tkpk.spreadsheets import neutralise


class ErrorReport:
    """Streams rejected rows into an .xlsx while the file is read (memory stays flat)."""

    def __init__(self, header: list[str]) -> None:
        self.workbook = Workbook(write_only=True)
        self.rejected = self.workbook.create_sheet(_("Rejected rows"))
        self.rejected.append([_("Row"), *(neutralise(name) for name in header), _("Reason")])
        self.count = 0

    def add(self, row: int, cells: list, problems: list[Problem]) -> None:
        reasons = "; ".join(
            f"{column}: {message}" if column else message for _row, column, message in problems
        )
        self.rejected.append([row, *(_plain(cell) for cell in cells), neutralise(reasons)])
        self.count += 1

    def save(self, path: Path, warnings: list[Problem]) -> None:
        sheet = self.workbook.create_sheet(_("Warnings"))
        sheet.append([_("Row"), _("Column"), _("Warning")])
        for row, column, message in warnings:
            sheet.append([row, neutralise(column or ""), neutralise(message)])
        self.workbook.save(path)


def _plain(cell):
    if isinstance(cell, datetime.timedelta | datetime.time):
        return str(cell)
    return neutralise(cell)
