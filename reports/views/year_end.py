"""The year-end report's pages: the years with a report, one year's narrative and build,
its finalisation, the build's progress and its files.

Leaders and the secretariat read and download; the secretariat writes, builds and
finalises. Every write goes through reports.year_end.services.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from households.selectors import region_name
from reports.models import NARRATIVE_FIELDS, BuildStatus, ReportBuild, YearEndReport
from reports.year_end.forms import FinaliseForm, NarrativeForm, YearEndStartForm, section_title
from reports.year_end.selectors import finalise_warnings
from reports.year_end.services import (
    narrative_save,
    release_stale_builds,
    report_build_start,
    report_filename,
    report_finalise,
    year_end_report_start,
)
from reports.year_end.text import text_html
from tkpk.forms import refusal_show
from tkpk.locking import EditConflict
from tkpk.permissions import MANAGERS, REGION_READERS, role_required
from tkpk.services import export_log_record
from tkpk.typed import typed_data

DETAIL_TEMPLATE = "reports/year_end/detail.html"
# A build no worker has taken after this long is worth a word about the worker.
WORKER_PATIENCE = datetime.timedelta(seconds=15)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _when(at: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(at), "j F Y H:i") if at else "—"


def _who(user) -> str:
    return str(user) if user else _("command line")


# --- the list -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*REGION_READERS)
def year_end_list(request: HttpRequest) -> HttpResponse:
    """The years with a report, their status and latest files; managers start a year."""
    form = YearEndStartForm(request.POST or None) if request.user.role in MANAGERS else None
    if request.method == "POST" and form is not None and form.is_valid():
        year = form.cleaned_data["year"]
        existed = YearEndReport.objects.filter(year=year).exists()
        try:
            report = year_end_report_start(year=year, by=request.user)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            if existed:
                messages.info(
                    request,
                    _("The report of %(year)d was already started.") % {"year": report.year},
                )
            else:
                messages.success(
                    request, _("The report of %(year)d was started.") % {"year": report.year}
                )
            return redirect("reports:year_end_detail", year=report.year)
    ready = (
        ReportBuild.objects.filter(status=BuildStatus.DONE)
        .exclude(pdf="")
        .select_related("requested_by")
    )
    reports = YearEndReport.objects.select_related("finalised_by", "updated_by").prefetch_related(
        Prefetch("builds", queryset=ready, to_attr="ready_builds")
    )
    return render(
        request,
        "reports/year_end/list.html",
        {"form": form, "reports": reports},
        status=400 if request.method == "POST" else 200,
    )


# --- one year's report ----------------------------------------------------------------------


@dataclass(frozen=True)
class BuildPanel:
    """What the page says about the report's files: the build running, the latest build if
    it failed, the latest files ready."""

    report: YearEndReport
    running: ReportBuild | None
    failed: ReportBuild | None
    ready: ReportBuild | None
    may_build: bool

    @property
    def waits_for_worker(self) -> bool:
        running = self.running
        return (
            running is not None
            and running.status == BuildStatus.QUEUED
            and timezone.now() - running.requested_at > WORKER_PATIENCE
        )

    @property
    def draft_of_final(self) -> bool:
        """The report is final, but its latest files were printed from a draft."""
        return self.ready is not None and self.report.is_final and not self.ready.from_final

    @property
    def text_changed_since(self) -> bool:
        """The narrative changed after the ready files were built from a draft."""
        ready = self.ready
        return (
            ready is not None
            and not self.report.is_final
            and self.report.updated_at > ready.requested_at
        )


def build_panel(request: HttpRequest, report: YearEndReport) -> BuildPanel:
    release_stale_builds()  # a build whose worker died must not look busy forever
    builds = report.builds.select_related("requested_by")
    latest = builds.first()
    return BuildPanel(
        report=report,
        running=latest if latest and latest.is_running else None,
        failed=latest if latest and latest.status == BuildStatus.FAILED else None,
        ready=builds.filter(status=BuildStatus.DONE).first(),
        may_build=request.user.role in MANAGERS,
    )


@dataclass(frozen=True)
class NarrativeSection:
    """One narrative section as the page shows it."""

    name: str
    title: str
    help: str
    html: SafeString
    form: NarrativeForm | None  # for managers on a draft
    theirs: SafeString | None = None  # the saved text, when someone saved meanwhile
    unsaved: str = ""  # what was typed, when the report became final meanwhile


@require_http_methods(["GET", "POST"])
@role_required(*REGION_READERS)
def year_end_detail(request: HttpRequest, year: int) -> HttpResponse:
    """The report: its narrative with an edit form per section, and its files."""
    report = get_object_or_404(_reports(), year=year)
    data = typed_data(request)  # the POST, or what was typed before the session ended
    if data is None or request.user.role not in MANAGERS:
        return _detail_page(request, report, bound=None)
    section = data.get("section")
    if section not in NARRATIVE_FIELDS:
        return HttpResponseBadRequest()
    form = NarrativeForm(data, section=section, report=report)
    if request.method != "POST":
        return _detail_page(request, report, bound=form)
    if not form.is_valid():
        return _detail_page(request, report, bound=form, status=400)
    try:
        saved = narrative_save(
            report=report,
            field=section,
            text=form.cleaned_data["text"],
            version=form.cleaned_data["version"],
            by=request.user,
        )
    except EditConflict as conflict:
        return _stale(request, conflict, form)
    except ValidationError as error:
        report.refresh_from_db()
        if report.is_final:
            messages.error(request, " ".join(error.messages))
        else:
            refusal_show(form, error)
        return _detail_page(request, report, bound=form, status=400)
    messages.success(request, _("“%(section)s” was saved.") % {"section": section_title(section)})
    return redirect(f"{reverse('reports:year_end_detail', args=[saved.year])}#{section}")


def _reports():
    return YearEndReport.objects.select_related("finalised_by", "updated_by")


def _stale(request: HttpRequest, conflict: EditConflict, form: NarrativeForm) -> HttpResponse:
    """Someone saved the report after this form was opened: keep what was typed, show theirs,
    and base the next save on their version, so saving again keeps this text knowingly."""
    current = _reports().get(pk=conflict.current.pk)
    form.add_error(None, conflict.messages[0])
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = current.version
    return _detail_page(request, current, bound=form, status=409, stale=True)


def _detail_page(
    request: HttpRequest,
    report: YearEndReport,
    *,
    bound: NarrativeForm | None,
    status: int = 200,
    stale: bool = False,
) -> HttpResponse:
    may_edit = request.user.role in MANAGERS and not report.is_final
    sections = []
    for name in NARRATIVE_FIELDS:
        own = bound is not None and bound.section == name
        text = getattr(report, name)
        sections.append(
            NarrativeSection(
                name=name,
                title=section_title(name),
                help=YearEndReport._meta.get_field(name).help_text,
                html=text_html(text),
                form=(bound if own else NarrativeForm(section=name, report=report))
                if may_edit
                else None,
                theirs=text_html(text) if own and stale else None,
                unsaved=bound.data.get(bound.add_prefix("text"), "")
                if own and not may_edit
                else "",
            )
        )
    context = {
        "report": report,
        "sections": sections,
        "panel": build_panel(request, report),
        "may_finalise": may_edit,
        "open_section": bound.section if bound is not None else None,
    }
    return render(request, DETAIL_TEMPLATE, context, status=status)


# --- finalising ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def year_end_finalise(request: HttpRequest, year: int) -> HttpResponse:
    """Ask before freezing the report; then freeze it (reports.year_end.services)."""
    report = get_object_or_404(_reports(), year=year)
    if report.is_final:
        messages.info(request, _("The report of %(year)d is already final.") % {"year": year})
        return redirect("reports:year_end_detail", year=year)
    form = FinaliseForm(request.POST or None, initial={"version": report.version})
    if request.method == "POST" and form.is_valid():
        try:
            report_finalise(report=report, version=form.cleaned_data["version"], by=request.user)
        except EditConflict as conflict:
            current = conflict.current
            messages.warning(
                request,
                _(
                    "%(who)s changed the report at %(time)s, after you opened it: read it "
                    "again before you finalise it."
                )
                % {"who": _who(current.updated_by), "time": _when(current.updated_at)},
            )
            return redirect("reports:year_end_detail", year=year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reports:year_end_detail", year=year)
        messages.success(
            request,
            _(
                "The report of %(year)d is final: its figures and text are kept as signed. "
                "Its PDF and Word document are being built from them."
            )
            % {"year": year},
        )
        return redirect("reports:year_end_detail", year=year)
    return render(
        request,
        "reports/year_end/finalise.html",
        {
            "report": report,
            "form": form,
            "section_titles": [
                str(YearEndReport._meta.get_field(name).verbose_name) for name in NARRATIVE_FIELDS
            ],
            "warnings": finalise_warnings(report, today=timezone.localdate()),
        },
    )


# --- builds -------------------------------------------------------------------------------


@require_POST
@role_required(*MANAGERS)
def year_end_build(request: HttpRequest, year: int) -> HttpResponse:
    """Build the report's PDF and .docx in the background; a second click joins the first."""
    report = get_object_or_404(YearEndReport, year=year)
    asked = timezone.now()
    build = report_build_start(report=report, by=request.user)
    if build.requested_at < asked:
        messages.info(
            request,
            _("%(who)s is already building the document: its progress is shown below.")
            % {"who": _who(build.requested_by)},
        )
    return redirect(f"{reverse('reports:year_end_detail', args=[year])}#build")


@require_GET
@role_required(*REGION_READERS)
def year_end_build_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The build panel of the build's report, polled by the page while the build runs; once
    it has finished, the last answer stops the polling."""
    build = get_object_or_404(ReportBuild.objects.select_related("report"), pk=pk)
    url = f"{reverse('reports:year_end_detail', args=[build.report.year])}#build"
    if not request.htmx:
        return redirect(url)
    panel = build_panel(request, build.report)
    content = render_to_string(f"{DETAIL_TEMPLATE}#build", {"panel": panel}, request)
    if panel.running:
        return HttpResponse(content)
    return HttpResponseStopPolling(content)


@require_GET
@role_required(*REGION_READERS)
def year_end_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A finished build's PDF or .docx, as an attachment; every download is logged."""
    if kind not in CONTENT_TYPES:
        raise Http404
    build = get_object_or_404(
        ReportBuild.objects.select_related("report"), pk=pk, status=BuildStatus.DONE
    )
    field_file = getattr(build, kind)
    if not field_file:
        raise Http404
    try:
        stream = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    export_log_record(
        user=request.user,
        what="year-end-report",
        filters={"year": build.report.year, "build": build.pk, "from_final": build.from_final},
        rows=0,  # a document of aggregates: no person's row leaves with it
        file_format=kind,
    )
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=report_filename(region_name(), build.report.year, kind),
        content_type=CONTENT_TYPES[kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
