"""A program's participants as a spreadsheet, built in the request (a program holds thousands,
not millions)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from households.identity import mask
from programs.models import Program
from tkpk.spreadsheets import neutralise


def write_participants(program: Program, *, full_data: bool) -> tuple[io.BytesIO, int]:
    """(the .xlsx, the number of participants in it)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Participants"))
    sheet.freeze_panes = "A2"
    header = [
        _("NIK"),
        _("Name"),
        _("Village"),
        _("District"),
        _("Status"),
        _("Since"),
        _("Reason for exit"),
        _("Enrolled on"),
        _("Desil at enrolment"),
        _("Desil now"),
        _("Reason for enrolling despite the rules"),
    ]
    sheet.append(header)
    rows = 0
    enrollments = program.enrollments.select_related(
        "person__household", "village__parent"
    ).order_by("village__code", "person__name", "pk")
    for enrollment in enrollments.iterator(chunk_size=2000):
        person = enrollment.person
        sheet.append(
            [
                neutralise(value)
                for value in (
                    person.nik if full_data else mask(person.nik),
                    person.name,
                    enrollment.village.name,
                    enrollment.village.parent.name,
                    enrollment.get_status_display(),
                    enrollment.status_changed_on,
                    enrollment.get_exit_reason_display(),
                    enrollment.enrolled_on,
                    enrollment.desil_at_enrollment,
                    person.household.desil,
                    enrollment.override_reason,
                )
            ]
        )
        rows += 1
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream, rows
