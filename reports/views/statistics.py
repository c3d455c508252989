"""Poverty statistics: the list for leaders and the secretariat, the entry form and the
spreadsheet load, with a person's confirmation for figures that move implausibly far.

Every write goes through reports.statistics (one area and year) or
reports.statistic_files (a file, all rows or none).
"""

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from households.models import Area
from reports.models import INDICATORS, PovertyStatistic
from reports.statistic_files import (
    StatisticFileError,
    statistic_file_load,
    template_xlsx,
)
from reports.statistic_forms import (
    StatisticConfirmForm,
    StatisticForm,
    StatisticUploadForm,
    StatisticYearForm,
)
from reports.statistics import (
    PRESENTATION,
    ImplausibleSteps,
    Step,
    allowed_areas,
    statistic_save,
    value_written,
)
from tkpk.forms import refusal_show
from tkpk.permissions import MANAGERS, REGION_READERS, role_required

# Years the trend table shows, the latest last.
TREND_YEARS = 8


@dataclass(frozen=True)
class StepLine:
    """A step as the page lists it: the file row, the area's name, the message."""

    row: int | None
    area: str
    message: str


def step_lines(steps: list[Step]) -> list[StepLine]:
    names = dict(Area.objects.filter(code__in={s.area for s in steps}).values_list("code", "name"))
    return [StepLine(step.row, names.get(step.area, step.area), step.message) for step in steps]


# --- the list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    is_demo: bool = False


@dataclass(frozen=True)
class AreaRow:
    area: Area
    is_region: bool
    trend: list[Cell]  # P0 per year of the trend
    statistic: PovertyStatistic | None  # the chosen year's
    figures: list[str]  # the chosen year's indicators, written


@require_GET
@role_required(*REGION_READERS)
def statistic_list(request: HttpRequest) -> HttpResponse:
    """The areas (the region first, the province, then the province's other regencies and
    cities) with their P0 over the years, and every figure of one year."""
    form = StatisticYearForm(request.GET or None)
    areas = list(allowed_areas())
    statistics = {
        (statistic.area_id, statistic.year): statistic
        for statistic in PovertyStatistic.objects.filter(area__in=areas).select_related(
            "entered_by"
        )
    }
    years = sorted({year for _code, year in statistics})
    year = years[-1] if years else None
    if form.is_valid() and form.cleaned_data["tahun"]:
        year = form.cleaned_data["tahun"]
    trend_years = years[-TREND_YEARS:]
    rate = INDICATORS[0]  # P0
    rows = []
    for area in areas:
        trend = []
        for trend_year in trend_years:
            statistic = statistics.get((area.code, trend_year))
            trend.append(
                Cell(value_written(rate, statistic.poverty_rate), statistic.is_demo)
                if statistic
                else Cell("—")
            )
        statistic = statistics.get((area.code, year))
        rows.append(
            AreaRow(
                area=area,
                is_region=area.code == settings.TKPK_REGION_CODE,
                trend=trend,
                statistic=statistic,
                figures=[
                    value_written(indicator, getattr(statistic, indicator.field, None))
                    for indicator in INDICATORS
                ],
            )
        )
    return render(
        request,
        "reports/statistic_list.html",
        {
            "form": form,
            "year": year,
            "years": years,
            "trend_years": trend_years,
            "headings": [PRESENTATION[indicator.field].heading for indicator in INDICATORS],
            "rows": rows,
            "may_edit": request.user.role in MANAGERS,
            "any_demo": any(statistic.is_demo for statistic in statistics.values()),
        },
    )


# --- one area and year -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def statistic_create(request: HttpRequest) -> HttpResponse:
    """A new area and year; ?wilayah=&tahun= fill them in (the list's "enter" links)."""
    initial = {"area": request.GET.get("wilayah"), "year": request.GET.get("tahun")}
    return _statistic_form(request, PovertyStatistic(), initial)


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def statistic_update(request: HttpRequest, pk: int) -> HttpResponse:
    statistic = get_object_or_404(PovertyStatistic.objects.filter(area__in=allowed_areas()), pk=pk)
    return _statistic_form(request, statistic, {})


def _statistic_form(
    request: HttpRequest, statistic: PovertyStatistic, initial: dict
) -> HttpResponse:
    form = StatisticForm(
        request.POST or None, instance=statistic, initial={k: v for k, v in initial.items() if v}
    )
    steps = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = statistic_save(
                area=form.cleaned_data["area"],
                year=form.cleaned_data["year"],
                values=form.values,
                source=form.cleaned_data["source"],
                by=request.user,
                confirmed=form.confirmed_steps,
            )
        except ImplausibleSteps as error:
            steps = error.steps
            form.ask_confirmation([step.key for step in steps])
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(
                request,
                _("The figures of %(area)s for %(year)d were saved.")
                % {"area": saved.area.name, "year": saved.year},
            )
            return redirect(f"{reverse('reports:statistic_list')}?tahun={saved.year}")
    return render(
        request,
        "reports/statistic_form.html",
        {
            "form": form,
            "statistic": statistic,
            "step_lines": step_lines(steps),
            "indicator_fields": [indicator.field for indicator in INDICATORS],
        },
    )


# --- the file load -------------------------------------------------------------------------

SESSION_KEY = "statistic_upload"
UPLOAD_FOLDER = "statistik"
# A file waiting for confirmation longer than this is forgotten.
KEPT_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pending_path(pending: dict) -> Path | None:
    """The kept file the session names: a token of ours, never a path from the client."""
    token = pending.get("token", "")
    if len(token) != 32 or not all(c in "0123456789abcdef" for c in token):
        return None
    path = _folder() / token
    return path if path.is_file() else None


def _forget(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None) or {}
    if path := _pending_path(pending):
        path.unlink(missing_ok=True)


def _sweep() -> None:
    """Files left waiting for a confirmation that never came."""
    limit = time.time() - KEPT_SECONDS
    for path in _folder().iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def statistic_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file of statistics; its errors by row and column, or its implausible steps
    to confirm (the file waits on the server), or its rows written, all together."""
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "cancel":
        _forget(request)
        messages.info(request, _("The file was set aside; nothing was written."))
        return redirect("reports:statistic_upload")
    if request.method == "POST" and action == "confirm":
        return _confirm(request)
    form = StatisticUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        _forget(request)
        _sweep()
        token = secrets.token_hex(16)
        path = _folder() / token
        with path.open("wb") as kept:
            for chunk in form.cleaned_data["file"].chunks():
                kept.write(chunk)
        pending = {
            "token": token,
            "name": Path(form.cleaned_data["file"].name).name[:200],
            "source": form.cleaned_data["source"],
        }
        if response := _load(request, path, pending, confirmed=(), context=context):
            return response
    return render(request, "reports/statistic_upload.html", context)


def _confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY) or {}
    path = _pending_path(pending)
    if path is None:
        request.session.pop(SESSION_KEY, None)
        messages.warning(request, _("No file waits for confirmation: upload it again."))
        return redirect("reports:statistic_upload")
    confirm_form = StatisticConfirmForm(request.POST)
    ticked = confirm_form.is_valid()
    context = {"form": StatisticUploadForm(), "asked_again": ticked}
    # The file is read afresh: the stored figures may have changed since it was checked.
    confirmed = pending.get("steps", ()) if ticked else ()
    if response := _load(request, path, pending, confirmed=confirmed, context=context):
        return response
    if not ticked and "confirm_form" in context:
        context["confirm_form"] = confirm_form  # with its "tick the box" error
    return render(request, "reports/statistic_upload.html", context)


def _load(
    request: HttpRequest, path: Path, pending: dict, *, confirmed, context: dict
) -> HttpResponse | None:
    """Load the kept file; a redirect once written, else None with the page's context set."""
    try:
        report = statistic_file_load(
            path=path, by=request.user, source=pending["source"], confirmed=confirmed
        )
    except StatisticFileError as error:
        _forget_file(request, path)
        context["file_error"] = error.args[0]
        context["file_name"] = pending["name"]
        return None
    if report.written:
        _forget_file(request, path)
        messages.success(
            request,
            _("%(count)d rows of %(name)s were loaded.")
            % {"count": report.written, "name": pending["name"]},
        )
        return redirect("reports:statistic_list")
    context.update(report=report, file_name=pending["name"], step_lines=step_lines(report.steps))
    if report.needs_confirmation:
        request.session[SESSION_KEY] = {**pending, "steps": report.step_keys}
        context.setdefault("confirm_form", StatisticConfirmForm())
    else:
        _forget_file(request, path)
    return None


def _forget_file(request: HttpRequest, path: Path) -> None:
    request.session.pop(SESSION_KEY, None)
    path.unlink(missing_ok=True)


@require_GET
@role_required(*MANAGERS)
def statistic_template(request: HttpRequest) -> HttpResponse:
    """An empty workbook with the columns a file of statistics has."""
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="templat_statistik_kemiskinan.xlsx"'
    return response
