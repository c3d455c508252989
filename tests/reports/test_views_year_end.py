"""The year-end report's pages: who reads, who writes, the narrative's edit forms and their
conflicts, the build's progress, its failure and its files."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from reports.models import BuildStatus, ReportBuild, ReportStatus, YearEndReport
from reports.year_end.services import narrative_save, year_end_report_start
from tests.factories import AreaFactory
from tkpk.models import ExportLog, Role

pytestmark = pytest.mark.django_db

YEAR = 2026
LIST = reverse("reports:year_end_list")
DETAIL = reverse("reports:year_end_detail", args=[YEAR])
BUILD = reverse("reports:year_end_build", args=[YEAR])
FINALISE = reverse("reports:year_end_finalise", args=[YEAR])
HTMX = {"headers": {"HX-Request": "true"}}


@pytest.fixture
def secretariat(users):
    return users[Role.SECRETARIAT]


@pytest.fixture
def report(users, secretariat, settings):
    settings.TKPK_REGION_CODE = "63.02"
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    return year_end_report_start(year=YEAR, by=secretariat)


@pytest.fixture
def signed_in(client, users):
    def sign_in(role):
        client.force_login(users[role])
        return client

    return sign_in


@pytest.fixture
def ready_build(report, secretariat):
    """A finished build with both files, as the worker leaves it."""
    build = ReportBuild.objects.create(
        report=report,
        requested_by=secretariat,
        status=BuildStatus.DONE,
        steps_done=5,
        steps_total=5,
        finished_at=timezone.now(),
    )
    build.pdf.save("laporan.pdf", _file(b"%PDF-1.7 the report\n%%EOF\n"), save=False)
    build.docx.save("laporan.docx", _file(b"PK\x03\x04 the report"), save=False)
    build.save()
    return build


def _file(content: bytes) -> ContentFile:
    return ContentFile(content)


def narrative_data(section: str, text: str, version: int) -> dict:
    return {"section": section, f"{section}-text": text, f"{section}-version": str(version)}


def finalise_by_hand(report: YearEndReport, user) -> None:
    """A final report as the service leaves it, without computing a document."""
    YearEndReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.FINAL,
        frozen={"document": {}},
        finalised_by=user,
        finalised_at=timezone.now(),
    )
    report.refresh_from_db()


def textareas(page: str) -> list[str]:
    return re.findall(r'<textarea name="([a-z]+-text)"', page)


# --- who may do what -----------------------------------------------------------------------


def every_request(report, build) -> list[tuple[str, str, dict]]:
    version = {"version": report.version}
    return [
        ("get", LIST, {}),
        ("post", LIST, {"year": YEAR}),
        ("get", DETAIL, {}),
        ("post", DETAIL, narrative_data("problems", "x", report.version)),
        ("get", FINALISE, {}),
        ("post", FINALISE, version),
        ("post", BUILD, {}),
        ("get", reverse("reports:year_end_build_detail", args=[build.pk]), {}),
        ("get", reverse("reports:year_end_download", args=[build.pk, "pdf"]), {}),
        ("get", reverse("reports:year_end_download", args=[build.pk, "docx"]), {}),
    ]


@pytest.mark.parametrize("role", [Role.AGENCY, Role.PARTNER])
def test_agency_and_partner_operators_are_refused_everywhere(signed_in, report, ready_build, role):
    client = signed_in(role)
    for method, url, data in every_request(report, ready_build):
        response = getattr(client, method)(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 403, (method, url)
    report.refresh_from_db()
    assert report.problems == "" and report.status == ReportStatus.DRAFT
    assert ReportBuild.objects.count() == 1
    assert not ExportLog.objects.exists()


def test_a_leader_reads_and_downloads_but_writes_nothing(signed_in, report, ready_build):
    client = signed_in(Role.LEADER)
    listing = client.get(LIST).content.decode()
    assert 'data-testid="start-form"' not in listing
    assert reverse("reports:year_end_download", args=[ready_build.pk, "pdf"]) in listing
    page = client.get(DETAIL).content.decode()
    assert textareas(page) == []
    assert "Susun dokumen" not in page and FINALISE not in page
    assert 'data-testid="download-pdf"' in page
    download = client.get(reverse("reports:year_end_download", args=[ready_build.pk, "pdf"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    refused = [
        client.post(LIST, {"year": YEAR - 1}),
        client.post(DETAIL, narrative_data("problems", "Pimpinan menulis.", report.version)),
        client.get(FINALISE),
        client.post(FINALISE, {"version": report.version}),
        client.post(BUILD),
    ]
    assert [r.status_code for r in refused] == [403] * 5
    report.refresh_from_db()
    assert report.problems == "" and report.status == ReportStatus.DRAFT
    assert not YearEndReport.objects.filter(year=YEAR - 1).exists()
    assert ReportBuild.objects.count() == 1


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.ADMIN])
def test_managers_see_the_edit_forms_the_build_button_and_finalise(signed_in, report, role):
    page = signed_in(role).get(DETAIL).content.decode()
    assert textareas(page) == [
        "foreword-text",
        "introduction-text",
        "coordination-text",
        "problems-text",
        "recommendations-text",
    ]
    assert f'action="{BUILD}"' in page
    assert FINALISE in page
    # The hint on the simple formatting, under every text box.
    assert page.count("Baris kosong memulai paragraf baru") == 5


# --- the list and starting a report --------------------------------------------------------


def test_the_list_offers_this_year_and_starts_its_report(signed_in, users, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(YEAR, 11, 30))
    client = signed_in(Role.SECRETARIAT)
    page = client.get(LIST).content.decode()
    assert 'data-testid="no-reports"' in page
    assert re.search(rf'name="year" value="{YEAR}"', page)

    response = client.post(LIST, {"year": YEAR})
    assert response.status_code == 302 and response.url == DETAIL
    report = YearEndReport.objects.get(year=YEAR)
    assert report.status == ReportStatus.DRAFT and report.introduction  # the template
    again = client.post(LIST, {"year": YEAR}, follow=True)
    assert "sudah dimulai" in again.content.decode()
    assert YearEndReport.objects.count() == 1


def test_a_report_for_a_year_not_begun_is_refused(signed_in, users, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(YEAR, 11, 30))
    response = signed_in(Role.SECRETARIAT).post(LIST, {"year": YEAR + 1})
    assert response.status_code == 400
    assert "belum dimulai" in response.content.decode()
    assert not YearEndReport.objects.exists()


def test_the_list_shows_who_signed_and_the_latest_files(signed_in, report, ready_build, users):
    finalise_by_hand(report, users[Role.ADMIN])
    ReportBuild.objects.create(report=report, status=BuildStatus.FAILED, error="boom")
    page = signed_in(Role.LEADER).get(LIST).content.decode()
    row = page[page.index(f'data-testid="report-{YEAR}"') :]
    assert "Final" in row
    assert str(users[Role.ADMIN]) in row
    # The failed build after it does not hide the files that are ready.
    assert reverse("reports:year_end_download", args=[ready_build.pk, "docx"]) in row


# --- the narrative ---------------------------------------------------------------------------


def test_the_secretariat_saves_a_section_and_sees_it_formatted(signed_in, report):
    client = signed_in(Role.SECRETARIAT)
    text = "Dua hal:\n\n- Perluas **Padat Karya**\n- Data <b>terpadu</b>"
    response = client.post(DETAIL, narrative_data("recommendations", text, report.version))
    assert response.status_code == 302
    assert response.url == f"{DETAIL}#recommendations"
    report.refresh_from_db()
    assert report.recommendations == text
    page = client.get(DETAIL).content.decode()
    section = page[page.index('data-testid="section-recommendations"') :]
    assert "<li>Perluas <strong>Padat Karya</strong></li>" in section
    assert "Data &lt;b&gt;terpadu&lt;/b&gt;" in section  # typed HTML stays text


def test_a_save_from_an_old_page_keeps_the_text_and_shows_the_other_one(signed_in, report, users):
    opened = report.version
    narrative_save(
        report=report,
        field="problems",
        text="Data OPD terlambat masuk.",
        version=opened,
        by=users[Role.ADMIN],
    )
    client = signed_in(Role.SECRETARIAT)
    mine = "Anggaran **belum** terserap."
    response = client.post(DETAIL, narrative_data("problems", mine, opened))
    assert response.status_code == 409
    page = response.content.decode()
    # Nothing lost: the text typed is in the box, the other person's is shown above it.
    assert 'name="problems-text"' in page
    assert "Anggaran **belum** terserap.</textarea>" in page
    theirs = page[page.index('data-testid="theirs"') :]
    assert "Data OPD terlambat masuk." in theirs
    assert str(users[Role.ADMIN]) in page  # who saved meanwhile
    report.refresh_from_db()
    assert report.problems == "Data OPD terlambat masuk."
    # The form now carries the saved version: saving again keeps mine, knowingly.
    version = re.search(r'name="problems-version" value="(\d+)"', page)[1]
    assert int(version) == report.version
    again = client.post(DETAIL, narrative_data("problems", mine, int(version)))
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.problems == mine


def test_a_final_report_has_no_edit_forms_and_refuses_a_save(signed_in, report, users):
    finalise_by_hand(report, users[Role.ADMIN])
    client = signed_in(Role.SECRETARIAT)
    page = client.get(DETAIL).content.decode()
    assert textareas(page) == []
    assert FINALISE not in page
    signed = page[page.index('data-testid="signed-off"') :]
    assert str(users[Role.ADMIN]) in signed

    typed = "Rekomendasi terlambat."
    response = client.post(DETAIL, narrative_data("recommendations", typed, report.version))
    assert response.status_code == 400
    page = response.content.decode()
    assert "final" in page
    unsaved = page[page.index('data-testid="unsaved"') :]
    assert typed in unsaved  # given back to copy, not lost
    report.refresh_from_db()
    assert report.recommendations == ""
    assert client.get(FINALISE).status_code == 302


def test_a_post_for_no_section_is_refused(signed_in, report):
    response = signed_in(Role.SECRETARIAT).post(
        DETAIL, {"section": "frozen", "frozen-text": "x", "frozen-version": report.version}
    )
    assert response.status_code == 400


def test_a_too_long_text_is_refused_and_kept(signed_in, report):
    text = "a" * 50_001
    response = signed_in(Role.SECRETARIAT).post(
        DETAIL, narrative_data("foreword", text, report.version)
    )
    assert response.status_code == 400
    assert text in response.content.decode()
    report.refresh_from_db()
    assert report.foreword == ""


# --- finalising ----------------------------------------------------------------------------


def test_finalising_asks_first_and_then_freezes(signed_in, report, secretariat):
    client = signed_in(Role.SECRETARIAT)
    page = client.get(FINALISE).content.decode()
    assert 'data-testid="what-freezes"' in page
    # …and says what the document would still lack.
    warnings = page[page.index('data-testid="finalise-warnings"') :]
    assert "Penghargaan tahun 2026 belum dimulai." in warnings
    assert YearEndReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT  # a GET asks

    response = client.post(FINALISE, {"version": report.version})
    assert response.status_code == 302 and response.url == DETAIL
    report.refresh_from_db()
    assert report.status == ReportStatus.FINAL
    assert report.finalised_by == secretariat and report.frozen


def test_finalising_an_old_page_is_refused(signed_in, report, users):
    opened = report.version
    narrative_save(
        report=report, field="foreword", text="Baru.", version=opened, by=users[Role.ADMIN]
    )
    response = signed_in(Role.SECRETARIAT).post(FINALISE, {"version": opened}, follow=True)
    assert "sebelum Anda memfinalkannya" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


# --- the build -----------------------------------------------------------------------------


def test_a_running_build_shows_its_progress_and_polls(signed_in, report, secretariat):
    build = ReportBuild.objects.create(
        report=report,
        requested_by=secretariat,
        status=BuildStatus.RUNNING,
        step="Bab 3",
        steps_done=3,
        steps_total=8,
        heartbeat_at=timezone.now(),
    )
    client = signed_in(Role.LEADER)
    page = client.get(DETAIL).content.decode()
    poll = reverse("reports:year_end_build_detail", args=[build.pk])
    assert f'hx-get="{poll}"' in page and 'hx-trigger="every 1s"' in page
    assert 'aria-valuenow="37"' in page and "Bab 3" in page
    partial = client.get(poll, **HTMX)
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    # Without htmx (a bookmark), the page of the report.
    assert client.get(poll).url == f"{DETAIL}#build"


def test_building_shows_the_files_once_done(signed_in, report, django_capture_on_commit_callbacks):
    client = signed_in(Role.SECRETARIAT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BUILD)
    assert response.status_code == 302 and response.url == f"{DETAIL}#build"
    build = ReportBuild.objects.get()
    assert build.status == BuildStatus.DONE, build.error
    assert build.requested_by.role == Role.SECRETARIAT

    # The page polling the build hears that it is done, stops, and offers both files.
    partial = client.get(reverse("reports:year_end_build_detail", args=[build.pk]), **HTMX)
    assert partial.status_code == 286
    content = partial.content.decode()
    assert "hx-trigger" not in content
    assert "dari data pada saat itu (draf)" in content  # a draft: not the signed figures
    pdf = client.get(reverse("reports:year_end_download", args=[build.pk, "pdf"]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="Laporan-TKPK-Kabupaten-Kotabaru-{YEAR}.pdf"'
    )
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    docx = client.get(reverse("reports:year_end_download", args=[build.pk, "docx"]))
    assert docx["Content-Disposition"].endswith(f'Kotabaru-{YEAR}.docx"')
    assert b"".join(docx.streaming_content).startswith(b"PK")
    logged = ExportLog.objects.order_by("pk")
    assert [(log.what, log.filters["year"], log.file_format) for log in logged] == [
        ("year-end-report", YEAR, "pdf"),
        ("year-end-report", YEAR, "docx"),
    ]


def test_a_failed_build_says_why(
    signed_in, report, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(report, *, today):
        raise RuntimeError("tabel bab 4 rusak")

    monkeypatch.setattr("reports.year_end.services.document_of", broken)
    client = signed_in(Role.SECRETARIAT)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(BUILD)
    page = client.get(DETAIL).content.decode()
    failed = page[page.index('data-testid="build-failed"') :]
    assert "tidak dapat disusun" in failed
    assert "tabel bab 4 rusak" in failed
    assert 'data-testid="download-pdf"' not in page
    assert f'action="{BUILD}"' in page  # build it again


def test_a_second_click_joins_the_running_build(signed_in, report, users):
    # Outside django_capture_on_commit_callbacks the worker is never asked: the build waits.
    signed_in(Role.ADMIN).post(BUILD)
    response = signed_in(Role.SECRETARIAT).post(BUILD, follow=True)
    assert ReportBuild.objects.count() == 1
    assert str(users[Role.ADMIN]) in response.content.decode()
    assert 'data-testid="build-running"' in response.content.decode()


def test_downloads_of_missing_files_are_not_found(signed_in, report, ready_build, secretariat):
    client = signed_in(Role.SECRETARIAT)
    running = ReportBuild.objects.create(report=report, status=BuildStatus.RUNNING)
    failed = ReportBuild.objects.create(report=report, status=BuildStatus.FAILED, error="x")
    urls = [
        reverse("reports:year_end_download", args=[ready_build.pk, "xlsx"]),
        reverse("reports:year_end_download", args=[running.pk, "pdf"]),
        reverse("reports:year_end_download", args=[failed.pk, "docx"]),
        reverse("reports:year_end_download", args=[ready_build.pk + 100, "pdf"]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * 4
    ReportBuild.objects.filter(pk=ready_build.pk).update(docx="")
    assert client.get(urls[0].replace("xlsx", "docx")).status_code == 404
    assert not ExportLog.objects.exists()


def test_a_year_without_a_report_is_not_found(signed_in, report):
    client = signed_in(Role.SECRETARIAT)
    assert client.get(reverse("reports:year_end_detail", args=[YEAR - 1])).status_code == 404


def test_text_typed_when_the_session_ended_is_back_after_signing_in(client, report, secretariat):
    typed = "Rekomendasi yang diketik terlalu lama."
    response = client.post(DETAIL, narrative_data("recommendations", typed, report.version))
    assert response.status_code == 302 and "masuk" in response.url
    client.force_login(secretariat)
    page = client.get(DETAIL).content.decode()
    assert f"{typed}</textarea>" in page
    section = page[page.index('data-testid="section-recommendations"') :]
    assert '<details class="border rounded p-2" open>' in section[: section.index("</section>")]
    report.refresh_from_db()
    assert report.recommendations == ""  # given back, not saved unseen


def test_finalising_builds_the_signed_document_at_once(
    signed_in, report, django_capture_on_commit_callbacks
):
    client = signed_in(Role.SECRETARIAT)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FINALISE, {"version": report.version})
    build = ReportBuild.objects.get()
    assert build.status == BuildStatus.DONE and build.from_final, build.error
    page = client.get(DETAIL).content.decode()
    ready = page[page.index('data-testid="build-ready"') :]
    assert "<strong>dari angka yang ditandatangani</strong>" in ready
    assert "Dari angka yang ditandatangani." in page  # what building again will print


def test_files_printed_before_finalising_are_marked_as_the_draft(
    signed_in, report, ready_build, users
):
    finalise_by_hand(report, users[Role.ADMIN])
    page = signed_in(Role.LEADER).get(DETAIL).content.decode()
    assert "disusun sebelum laporan difinalkan" in page
    listing = signed_in(Role.LEADER).get(LIST).content.decode()
    assert "dari data pada saat itu (draf)" in listing
