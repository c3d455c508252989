"""The secretariat's overview of the agencies' action plans: agencies × quarters with each
report's state and achievement, the late list with its one-click reminder, the year's report
deadlines, and the year's (or the semester's) workbook."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs import plan_services
from programs.models import QUARTERS, Activity, Pillar
from programs.plan_exports import SEMESTER_QUARTERS, write_plans
from programs.plan_overview_forms import DeadlineForm, OverviewFilterForm, ReminderForm
from programs.plan_selectors import (
    CellState,
    LateReport,
    OverviewCell,
    OverviewRow,
    deadlines,
    late_reports,
    overview,
    plan_deadlines,
)
from tkpk.permissions import MANAGERS, REGION_READERS, role_required
from tkpk.typed import typed_data
from tkpk.validators import FIRST_YEAR, LAST_YEAR

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today() -> datetime.date:
    """Today in the region (a function, so that tests can choose the day)."""
    return timezone.localdate()


@dataclass(frozen=True)
class MatrixCell:
    """One agency's report for one quarter as the matrix shows it."""

    cell: OverviewCell
    label: str
    own_deadline: datetime.date | None  # when it differs from the year's (models.report_due_on)

    @classmethod
    def of(cls, cell: OverviewCell, year_deadlines: dict[int, datetime.date]) -> "MatrixCell":
        own = cell.due_on if cell.due_on != year_deadlines[cell.quarter] else None
        return cls(cell=cell, label=CellState(cell.state).label, own_deadline=own)


@dataclass(frozen=True)
class MatrixRow:
    row: OverviewRow
    cells: list[MatrixCell]


@dataclass(frozen=True)
class LateRow:
    report: LateReport
    days_late: int
    label: str


def _legend() -> list[tuple[str, str, str]]:
    """(state, label, what it means) for each state the matrix shows."""
    return [
        (CellState.VERIFIED, CellState.VERIFIED.label, _("the secretariat verified the report")),
        (
            CellState.SUBMITTED,
            CellState.SUBMITTED.label,
            _("sent by the agency, not verified yet; it counts in the achievement"),
        ),
        (
            CellState.RETURNED,
            CellState.RETURNED.label,
            _("returned to the agency for correction; it does not count until sent again"),
        ),
        (CellState.MISSING, CellState.MISSING.label, _("the deadline has passed, nothing sent")),
        (CellState.NOT_DUE, CellState.NOT_DUE.label, _("the deadline has not passed yet")),
        (
            CellState.NO_PLAN,
            CellState.NO_PLAN.label,
            _("no plan, or its plan was never verified: no progress is reported yet"),
        ),
    ]


def _with_pillar(rows: list[OverviewRow], year: int, pillar: Pillar | None) -> list[OverviewRow]:
    """The rows of agencies whose plan has an activity in `pillar` (every row without one)."""
    if pillar is None:
        return rows
    agencies = set(
        Activity.objects.filter(plan__year=year, pillar=pillar).values_list(
            "plan__agency_id", flat=True
        )
    )
    return [row for row in rows if row.agency.pk in agencies]


def _overview_url(year: int, pillar: Pillar | int | None = None, anchor: str = "") -> str:
    query = {"tahun": year}
    if pillar is not None:
        query["pilar"] = pillar if isinstance(pillar, int) else pillar.pk
    return f"{reverse('programs:plan_overview')}?{urlencode(query)}{anchor}"


@require_GET
@role_required(*REGION_READERS)
def plan_overview(request: HttpRequest) -> HttpResponse:
    """Agencies × quarters of a year, filterable by pillar, and the reports late."""
    form = OverviewFilterForm(request.GET or None)
    year, pillar = form.chosen_year(), form.chosen_pillar()
    today = _today()
    year_deadlines = deadlines(year)
    rows = _with_pillar(
        overview(year, today=today, pillar_id=pillar.pk if pillar else None), year, pillar
    )
    late = [
        LateRow(
            report=report,
            days_late=(today - report.due_on).days,
            label=CellState(report.state).label,
        )
        for report in late_reports(rows)
    ]
    return render(
        request,
        "programs/plan_overview.html",
        {
            "form": form,
            "year": year,
            "pillar": pillar,
            "today": today,
            "quarters": QUARTERS,
            # The year's deadlines; a plan verified after one has its own, in its cell.
            "deadlines": list(year_deadlines.items()),
            "rows": [
                MatrixRow(row, [MatrixCell.of(cell, year_deadlines) for cell in row.cells])
                for row in rows
            ],
            "late": late,
            "legend": _legend(),
            "can_remind": plan_services.may_review_plans(request.user),
            "can_set_deadlines": plan_services.may_review_plans(request.user),
            "semester_quarters": SEMESTER_QUARTERS,
        },
    )


@require_POST
@role_required(*MANAGERS)
def reminder_send(request: HttpRequest) -> HttpResponse:
    """Remind an agency of a late report: on its home page, and by e-mail if configured."""
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("No reminder was sent: the plan or the quarter is unknown."))
        return redirect(_overview_url(_today().year))
    plan, quarter = form.cleaned_data["plan"], form.cleaned_data["quarter"]
    back = _overview_url(plan.year, form.cleaned_data["pilar"], "#late")
    try:
        plan_services.reminder_send(
            plan=plan, quarter=quarter, due_on=plan_deadlines(plan)[quarter], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    sent = _("%(agency)s was reminded of its report for quarter %(quarter)d of %(year)d.") % {
        "agency": plan.agency.name,
        "quarter": quarter,
        "year": plan.year,
    }
    if settings.EMAIL_HOST:
        sent = f"{sent} {_('Its operators with an e-mail address receive it by e-mail too.')}"
    messages.success(request, sent)
    return redirect(back)


class _Refused(Exception):
    """A deadline was refused: undo the others set in the same save."""


def _year_in_range(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def deadline_edit(request: HttpRequest, year: int) -> HttpResponse:
    """The deadline of each quarter's reports in `year`; the default until one is set."""
    _year_in_range(year)
    current = deadlines(year)
    form = DeadlineForm(
        typed_data(request),
        year=year,
        initial={DeadlineForm.field_of(quarter): due for quarter, due in current.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _deadlines_save(form, year, current, request)
        except _Refused:
            pass
        else:
            messages.success(
                request, _("The report deadlines of %(year)d were saved.") % {"year": year}
            )
            return redirect(_overview_url(year))
    return render(
        request,
        "programs/deadline_form.html",
        {"form": form, "year": year, "default_day": settings.TKPK_REPORT_DEADLINE_DAY},
        status=400 if request.method == "POST" else 200,
    )


def _deadlines_save(form: DeadlineForm, year: int, current: dict, request: HttpRequest) -> None:
    refused = False
    for quarter, due_on in form.due_dates().items():
        if due_on == current[quarter]:
            continue
        try:
            plan_services.deadline_set(year=year, quarter=quarter, due_on=due_on, by=request.user)
        except ValidationError as error:
            # The service names its field due_on; here each quarter has its own.
            form.add_error(DeadlineForm.field_of(quarter), error.messages)
            refused = True
    if refused:
        raise _Refused


@require_GET
@role_required(*REGION_READERS)
def plans_export(request: HttpRequest, year: int) -> HttpResponse:
    """The year's plans and progress as .xlsx; `?semester=1`: the first semester only."""
    _year_in_range(year)
    semester = request.GET.get("semester")
    if semester not in (None, "", "1"):
        raise Http404
    quarters = SEMESTER_QUARTERS if semester == "1" else QUARTERS
    stream, _rows = write_plans(year, today=_today(), quarters=quarters)
    if semester == "1":
        # Translators: a downloaded file's name, without spaces; %(year)s is like 2026.
        name = _("action-plans-%(year)s-semester-1.xlsx")
    else:
        # Translators: a downloaded file's name, without spaces; %(year)s is like 2026.
        name = _("action-plans-%(year)s.xlsx")
    return FileResponse(
        stream, as_attachment=True, filename=name % {"year": year}, content_type=XLSX
    )
