"""The year-end report's writes: start, narrative, finalise, and the background build."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from reports.models import BuildStatus, PovertyStatistic, ReportBuild, ReportStatus
from reports.year_end import services
from reports.year_end.services import (
    document_of,
    narrative_save,
    release_stale_builds,
    report_build_start,
    report_finalise,
    year_end_report_start,
)
from tests.reports.conftest import YEAR
from tkpk.locking import EditConflict
from tkpk.models import Role

TODAY = datetime.date(YEAR, 12, 15)


@pytest.fixture
def secretariat(users):
    return users[Role.SECRETARIAT]


@pytest.fixture
def built(django_capture_on_commit_callbacks):
    """Start a build and let the test worker run it, as it does once the request commits.
    (Without this, a test's transaction never commits: the build stays queued.)"""

    def build(report, by) -> ReportBuild:
        with django_capture_on_commit_callbacks(execute=True):
            started = report_build_start(report=report, by=by)
        started.refresh_from_db()
        return started

    return build


@pytest.fixture
def report(register, users, secretariat):
    PovertyStatistic.objects.create(
        area_id="63.02",
        year=YEAR,
        poverty_rate=Decimal("4.81"),
        source="BPS",
        entered_by=users[Role.SECRETARIAT],
    )
    return year_end_report_start(year=YEAR, by=secretariat)


def test_a_new_report_is_a_draft_with_the_legal_basis_to_start_from(report, secretariat):
    assert report.status == ReportStatus.DRAFT
    assert "Perpres" in report.introduction or "Peraturan Presiden" in report.introduction
    again = year_end_report_start(year=YEAR, by=secretariat)
    assert again.pk == report.pk


def test_saving_a_narrative_keeps_the_text_and_moves_the_version(report, secretariat):
    saved = narrative_save(
        report=report,
        field="recommendations",
        text="  - Perluas **Padat Karya**\n",
        version=report.version,
        by=secretariat,
    )
    assert saved.recommendations == "- Perluas **Padat Karya**"
    assert saved.version == report.version + 1
    assert saved.updated_by == secretariat


def test_a_save_from_an_old_form_does_not_overwrite_someone_elses(report, secretariat):
    narrative_save(
        report=report, field="problems", text="Data terlambat.", version=1, by=secretariat
    )
    with pytest.raises(EditConflict) as raised:
        narrative_save(
            report=report, field="problems", text="Versi saya.", version=1, by=secretariat
        )
    assert raised.value.current.problems == "Data terlambat."
    report.refresh_from_db()
    assert report.problems == "Data terlambat."


def test_an_unknown_section_is_refused(report, secretariat):
    with pytest.raises(ValidationError):
        narrative_save(report=report, field="frozen", text="x", version=1, by=secretariat)


def test_a_final_report_keeps_what_was_signed_when_the_data_changes(report, secretariat):
    report = narrative_save(
        report=report, field="foreword", text="Puji syukur.", version=1, by=secretariat
    )
    final = report_finalise(report=report, version=report.version, by=secretariat, today=TODAY)
    assert final.status == ReportStatus.FINAL
    assert final.finalised_by == secretariat and final.finalised_at is not None
    signed = document_of(final, today=TODAY)

    PovertyStatistic.objects.filter(area_id="63.02", year=YEAR).update(poverty_rate=Decimal("9.99"))
    final.refresh_from_db()
    assert document_of(final, today=TODAY) == signed
    assert "9,99" not in repr(signed) and "9.99" not in repr(signed)
    with pytest.raises(ValidationError):
        narrative_save(
            report=final, field="foreword", text="x", version=final.version, by=secretariat
        )


def test_a_build_prints_both_files_and_reports_its_progress(report, secretariat, built):
    build = built(report, secretariat)
    assert build.status == BuildStatus.DONE, build.error
    assert build.percent == 100
    assert build.steps_done == build.steps_total > 2
    assert build.pdf.name.endswith(".pdf") and build.docx.name.endswith(".docx")
    assert build.pdf.open("rb").read(5) == b"%PDF-"
    assert build.docx.open("rb").read(2) == b"PK"
    assert build.seconds is not None and not build.from_final


def test_a_failed_build_says_why_and_frees_the_report(report, secretariat, built, monkeypatch):
    def broken(document, *, progress=None):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr("reports.year_end.pdf.document_pdf", broken)
    build = built(report, secretariat)
    assert build.status == BuildStatus.FAILED
    assert "printer on fire" in build.error
    assert not build.pdf
    monkeypatch.undo()
    again = built(report, secretariat)
    assert again.pk != build.pk and again.status == BuildStatus.DONE


def test_a_second_request_joins_the_running_build(report, secretariat):
    first = report_build_start(report=report, by=secretariat)
    second = report_build_start(report=report, by=secretariat)
    assert second.pk == first.pk
    assert ReportBuild.objects.filter(report=report).count() == 1


def test_a_build_whose_worker_died_is_released(report, secretariat):
    dead = report_build_start(report=report, by=secretariat)
    ReportBuild.objects.filter(pk=dead.pk).update(
        heartbeat_at=timezone.now() - services.BUILD_STALE_AFTER - datetime.timedelta(minutes=1)
    )
    assert release_stale_builds() == 1
    dead.refresh_from_db()
    assert dead.status == BuildStatus.FAILED and dead.error
    assert report_build_start(report=report, by=secretariat).pk != dead.pk


def test_finalising_stops_a_draft_build_and_builds_the_signed_figures(
    report, secretariat, built, django_capture_on_commit_callbacks
):
    draft = report_build_start(report=report, by=secretariat)  # queued; no worker came yet
    with django_capture_on_commit_callbacks(execute=True):
        final = report_finalise(report=report, version=report.version, by=secretariat, today=TODAY)
    draft.refresh_from_db()
    assert draft.status == BuildStatus.FAILED and "final" in draft.error
    signed_build = ReportBuild.objects.exclude(pk=draft.pk).get()
    assert signed_build.status == BuildStatus.DONE and signed_build.from_final

    PovertyStatistic.objects.filter(area_id="63.02", year=YEAR).update(poverty_rate=Decimal("9.99"))
    again = built(final, secretariat)
    assert again.status == BuildStatus.DONE and again.from_final
    signed = "\n".join(page.extract_text() for page in PdfReader(again.pdf.open("rb")).pages)
    assert "4,81" in signed and "9,99" not in signed


def test_the_progress_bar_never_goes_back(report, secretariat, built, monkeypatch):
    seen = []
    step = services._Progress.__call__

    def watched(progress, text):
        step(progress, text)
        row = ReportBuild.objects.get(pk=progress.rows.get().pk)
        seen.append(row.percent)

    monkeypatch.setattr(services._Progress, "__call__", watched)
    build = built(report, secretariat)
    assert build.status == BuildStatus.DONE
    assert seen == sorted(seen) and len(seen) == build.steps_total
    assert build.percent == 100


def test_only_the_latest_builds_keep_their_files(report, secretariat, built):
    builds = [built(report, secretariat) for _ in range(services.KEPT_BUILDS + 1)]
    oldest = ReportBuild.objects.get(pk=builds[0].pk)
    assert not oldest.pdf and not oldest.docx and oldest.status == BuildStatus.DONE
    assert all(ReportBuild.objects.get(pk=b.pk).pdf for b in builds[1:])
