"""Writes of the year-end report: start it, write its narrative, finalise it, build its files.

A build runs in the worker (`report_build_task`): it brings the year's summaries up to date,
computes the document (or reads the signed one), prints the PDF and the .docx and keeps both
with the build. Each step moves the progress bar; a build that stops reporting is released
after BUILD_STALE_AFTER so that nobody waits for a dead worker.
"""

import datetime
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reports.models import (
    NARRATIVE_FIELDS,
    BuildStatus,
    ReportBuild,
    ReportStatus,
    SummaryRefresh,
    YearEndReport,
)
from reports.summaries import summaries_refresh_when_requested, summaries_request_mark
from reports.year_end.content import Document
from tkpk.locking import version_check

logger = logging.getLogger(__name__)

BUILD_STALE_AFTER = datetime.timedelta(minutes=15)


def introduction_template() -> str:
    """The introduction a new report starts with: the legal basis, in the site's language
    (the document's), whatever the language of who starts it. The TKPK's members and the
    year's meetings are the secretariat's to add (the field's help text says so); an
    instruction here would be printed if nobody replaced it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "**Legal basis**\n\n"
            "- Law No. 23 of 2014 on Regional Government;\n"
            "- Presidential Regulation No. 15 of 2010 on the Acceleration of Poverty Reduction, "
            "as amended by Presidential Regulation No. 96 of 2015;\n"
            "- Presidential Instruction No. 4 of 2022 on the Acceleration of the Elimination of "
            "Extreme Poverty;\n"
            "- Presidential Instruction No. 8 of 2025 on poverty alleviation and the elimination "
            "of extreme poverty;\n"
            "- Minister of Home Affairs Regulation No. 53 of 2020 on the work of the provincial "
            "and regency/city poverty-reduction coordination teams."
        )


def year_end_report_start(*, year: int, by) -> YearEndReport:
    """The year's report, started as a draft with the introduction's template if new."""
    report = YearEndReport(year=year, introduction=introduction_template(), updated_by=by)
    report.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # started by someone else a moment ago: theirs it is
        return YearEndReport.objects.get(year=year)
    return report


def _locked(report: YearEndReport, version: int) -> YearEndReport:
    current = YearEndReport.objects.select_for_update().get(pk=report.pk)
    if current.is_final:
        raise ValidationError(
            _("The report of %(year)s is final and cannot change.") % {"year": current.year}
        )
    version_check(current, version, by=current.updated_by, at=current.updated_at)
    return current


def narrative_save(*, report: YearEndReport, field: str, text: str, version: int, by):
    """Save one narrative section, unless the report is final (ValidationError) or changed
    since `version` (tkpk.locking.EditConflict, carrying the stored report)."""
    if field not in NARRATIVE_FIELDS:
        raise ValidationError(_("There is no section %(field)s.") % {"field": field})
    with transaction.atomic():
        current = _locked(report, version)
        setattr(current, field, text.strip())
        current.updated_by = by
        current.full_clean()
        current.version = F("version") + 1
        current.save()
    current.refresh_from_db()
    return current


def report_finalise(*, report: YearEndReport, version: int, by, today=None) -> YearEndReport:
    """Freeze the report: its document, computed now, is what every later build prints;
    its files are built from it at once."""
    from reports.year_end.chapters import document_compute

    today = today or timezone.localdate()
    _figures_current(report.year)
    with transaction.atomic():
        current = _locked(report, version)
        current.status = ReportStatus.FINAL
        current.finalised_by = by
        current.finalised_at = timezone.now()
        current.frozen = document_compute(current, today=today).to_json()
        current.updated_by = by
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        # Files of the draft are not the signed document: build the signed one now.
        _supersede_running_builds(current)
        report_build_start(report=current, by=by)
    return current


def _supersede_running_builds(report: YearEndReport) -> None:
    """A build of the draft still waiting or running would print the draft: it is marked
    failed, so a worker skips it or, if already at it, no longer updates its row (files it
    was writing stay unlinked), and the signed report's build takes its place."""
    ReportBuild.objects.filter(report=report, status__in=BuildStatus.running()).update(
        status=BuildStatus.FAILED,
        finished_at=timezone.now(),
        error=_("Replaced by the build of the finalised report."),
    )


def document_of(report: YearEndReport, *, today: datetime.date) -> Document:
    """What the report says: the signed document if final, else computed from today's data."""
    from reports.year_end.chapters import document_compute

    if report.is_final:
        return Document.from_json(report.frozen)
    _figures_current(report.year)
    return document_compute(report, today=today)


def _figures_current(year: int) -> None:
    """Bring the year's summaries up to date: the document reads them, not the register.

    Through the worker's claim, so never two rebuilds at once; a year never summed is
    asked for here (a first install, or a year nobody touched since)."""
    if not SummaryRefresh.objects.filter(year=year, version__gt=0).exists():
        summaries_request_mark(year)
    summaries_refresh_when_requested(year)


def report_filename(region: str, year: int, extension: str) -> str:
    """`Laporan-TKPK-Kabupaten-Kotabaru-2026.pdf`: the name of a report's files, kept and
    downloaded."""
    return f"Laporan-TKPK-{slugify(region).title() or 'TKPK'}-{year}.{extension}"


# --- builds -----------------------------------------------------------------------------


def release_stale_builds() -> int:
    """Mark builds no worker took, or whose worker stopped reporting, as failed, so that a
    new build may start; each says which of the two happened."""
    stale = ReportBuild.objects.filter(heartbeat_at__lt=timezone.now() - BUILD_STALE_AFTER)
    waited = stale.filter(status=BuildStatus.QUEUED).update(
        status=BuildStatus.FAILED,
        finished_at=timezone.now(),
        error=_(
            "No background worker took this build for 15 minutes: check that the worker "
            "runs (manage.py db_worker), then build again."
        ),
    )
    stopped = stale.filter(status=BuildStatus.RUNNING).update(
        status=BuildStatus.FAILED,
        finished_at=timezone.now(),
        error=_("The worker stopped while building the document. Build it again."),
    )
    return waited + stopped


def report_build_start(*, report: YearEndReport, by) -> ReportBuild:
    """Queue a build of the report's files; while one is running, that one is returned."""
    from reports.tasks import report_build_task

    release_stale_builds()
    try:
        with transaction.atomic():
            build = ReportBuild.objects.create(
                report=report,
                requested_by=by,
                from_final=report.is_final,
                heartbeat_at=timezone.now(),
                step=_("Waiting for the worker"),
            )
    except IntegrityError:  # the constraint allows one running build per report
        return ReportBuild.objects.get(report=report, status__in=BuildStatus.running())
    transaction.on_commit(lambda: report_build_task.enqueue(build.pk))
    return build


# Six chapters and the appendix (chapters/document.py): the bar's length is known before
# the figures are computed, so it never goes back when they are.
_EXPECTED_PARTS = 7


def _steps(parts: int) -> int:
    """Computing, each part printed twice (PDF and .docx), laying out the PDF's pages, and
    keeping the files."""
    return 1 + 2 * parts + 1 + 1


class _Progress:
    """The build's progress bar: computing, each chapter printed in each file, the PDF's
    layout and keeping the files, written as it goes; it stops moving if the build was
    superseded (its row is no longer running)."""

    def __init__(self, build_id: int) -> None:
        self.rows = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING)
        self.done = 0

    def total(self, steps: int) -> None:
        self.rows.update(steps_total=steps, heartbeat_at=timezone.now())

    def __call__(self, text: str) -> None:
        self.done += 1
        step = text[: ReportBuild._meta.get_field("step").max_length]
        self.rows.update(steps_done=self.done, step=step, heartbeat_at=timezone.now())

    def labelled(self, output: str) -> Callable[[str], None]:
        """The same steps, each named with the file being printed ("PDF: BAB II …"):
        both files go through the same chapters."""
        return lambda text: self(_("%(output)s: %(step)s") % {"output": output, "step": text})


def report_build_run(build_id: int, *, today: datetime.date | None = None) -> None:
    """Build the files of a queued build (the worker's side of `report_build_start`)."""
    claimed = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
        status=BuildStatus.RUNNING, heartbeat_at=timezone.now()
    )
    if not claimed:
        return
    build = ReportBuild.objects.select_related("report").get(pk=build_id)
    progress = _Progress(build_id)
    started = time.monotonic()
    try:
        _build_files(build, progress, today or timezone.localdate())
    except Exception as error:
        logger.exception("Year-end report build %s failed", build_id)
        progress.rows.update(
            status=BuildStatus.FAILED,
            finished_at=timezone.now(),
            seconds=time.monotonic() - started,
            error=_("The document could not be built: %(error)s")
            % {"error": f"{type(error).__name__}: {error}"[:1000]},
        )
        return
    progress.rows.update(  # only while still running: a superseded build stays failed
        status=BuildStatus.DONE,
        finished_at=timezone.now(),
        seconds=time.monotonic() - started,
        step="",
        steps_done=F("steps_total"),
    )
    _prune_files(build.report_id)


# A report keeps the files of its latest builds; older builds keep their row (who asked,
# when, how long it took) but not their files, which would pile up with every click.
KEPT_BUILDS = 3


def _prune_files(report_id: int) -> None:
    done = ReportBuild.objects.filter(report_id=report_id, status=BuildStatus.DONE)
    for old in done.exclude(pdf="", docx="").order_by("-finished_at", "-pk")[KEPT_BUILDS:]:
        for field in (old.pdf, old.docx):
            if field:
                field.delete(save=False)
        ReportBuild.objects.filter(pk=old.pk).update(pdf="", docx="")


def _build_files(build: ReportBuild, progress: _Progress, today: datetime.date) -> None:
    from reports.year_end.docx import document_docx
    from reports.year_end.pdf import document_pdf

    progress.total(_steps(_EXPECTED_PARTS))
    progress(_("Computing the figures"))
    report = YearEndReport.objects.get(pk=build.report_id)  # final now, if finalised since
    document = document_of(report, today=today)
    progress.rows.update(from_final=report.is_final)
    if (parts := len(document.chapters) + len(document.appendices)) != _EXPECTED_PARTS:
        progress.total(_steps(parts))
    pdf = document_pdf(document, progress=progress.labelled(_("PDF")))
    docx = document_docx(document, progress=progress.labelled(_("Word document")))
    progress(_("Keeping the files"))
    for extension, field, content in (("pdf", build.pdf, pdf), ("docx", build.docx, docx)):
        name = report_filename(document.region, document.year, extension)
        field.save(name, ContentFile(content), save=False)
    progress.rows.update(pdf=build.pdf.name, docx=build.docx.name)


def unsaved_report(year: int) -> YearEndReport:
    """A report for a year nobody started: the document from the data, narratives empty."""
    return YearEndReport(year=year, status=ReportStatus.DRAFT)
