"""Quarterly progress pages: entering progress with evidence, submitting, the secretariat's
return and verification, the computed achievement, the register's participant count,
optimistic locking, and an agency operator kept to its own agency's reports."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from programs.models import (
    EnrollmentStatus,
    ExitReason,
    Progress,
    ProgressEvidence,
    QuarterReport,
    ReviewStatus,
)
from tests.factories import (
    PASSWORD,
    ActionPlanFactory,
    ActivityFactory,
    EnrollmentFactory,
    ProgramFactory,
    UserFactory,
)
from tkpk.models import Role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def set_today(monkeypatch, day: datetime.date) -> None:
    original = timezone.localdate

    def localdate(value=None, timezone=None):
        return original(value, timezone) if value is not None else day

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    set_today(monkeypatch, TODAY)
    return TODAY


@pytest.fixture
def operator(users):
    return users[Role.AGENCY]


@pytest.fixture
def training(verified_plan):
    return verified_plan.activities.get(name="Pelatihan menjahit")


@pytest.fixture
def coverage(verified_plan):
    return verified_plan.activities.get(name="Cakupan bantuan pangan")


def report_url(plan, quarter: int = 1) -> str:
    return reverse("programs:report_detail", args=[plan.pk, quarter])


def edit_url(plan, activity, quarter: int = 1) -> str:
    return reverse("programs:progress_edit", args=[plan.pk, quarter, activity.pk])


def submit_url(plan, quarter: int = 1) -> str:
    return reverse("programs:report_submit", args=[plan.pk, quarter])


def review_url(plan, quarter: int = 1) -> str:
    return reverse("programs:report_review", args=[plan.pk, quarter])


def enter(client, plan, activity, quarter: int = 1, **fields):
    """Post the progress form as someone who has just opened it: with the version stored."""
    stored = Progress.objects.filter(report__plan=plan, report__quarter=quarter, activity=activity)
    version = stored.values_list("version", flat=True).first() or 0
    data = {"realised": "25", "spent": "20.000.000", "beneficiaries": "25", "narrative": ""}
    data.update(version=str(version), **fields)
    return client.post(edit_url(plan, activity, quarter), data)


def report_version(plan, quarter: int = 1) -> int:
    return QuarterReport.objects.get(plan=plan, quarter=quarter).version


def row(page: str, activity) -> str:
    """The report table's row of `activity`."""
    match = re.search(rf'<tr data-testid="activity-{activity.pk}">(.*?)</tr>', page, re.S)
    assert match, f"no row for {activity}"
    return match.group(1)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def evidence_of(progress: Progress, name: str = "daftar hadir.pdf") -> ProgressEvidence:
    item = ProgressEvidence(progress=progress, name=name, uploaded_by=progress.updated_by)
    item.file.save("0123.pdf", ContentFile(PDF), save=False)
    item.save()
    return item


def submitted(client, plan, operator, training, coverage, quarter: int = 1):
    client.force_login(operator)
    assert enter(client, plan, training, quarter, realised="20").status_code == 302
    assert enter(client, plan, coverage, quarter, realised="65", spent="0").status_code == 302
    response = client.post(submit_url(plan, quarter), {"version": report_version(plan, quarter)})
    assert response.status_code == 302
    return QuarterReport.objects.get(plan=plan, quarter=quarter)


# --- entering progress -----------------------------------------------------------------


def test_an_operator_enters_progress_with_an_evidence_pdf_and_sees_it_listed(
    client, operator, verified_plan, training
):
    client.force_login(operator)
    page = client.get(report_url(verified_plan)).content.decode()
    assert edit_url(verified_plan, training) in page

    response = enter(
        client,
        verified_plan,
        training,
        realised="20",
        spent="15.000.000",
        beneficiaries="20",
        narrative="Pelatihan angkatan pertama",
        evidence=[SimpleUploadedFile("daftar hadir.pdf", PDF)],
    )

    assert response.status_code == 302
    assert response.url == report_url(verified_plan)
    progress = Progress.objects.get(activity=training)
    assert (progress.realised, progress.spent, progress.beneficiaries) == (20, 15_000_000, 20)
    assert progress.updated_by == operator
    item = progress.evidence.get()
    assert item.name == "daftar hadir.pdf"
    page = client.get(response.url).content.decode()
    cells = row(page, training)
    assert "daftar hadir.pdf" in cells
    assert reverse("programs:progress_evidence", args=[item.pk]) in cells
    assert "Rp 15.000.000" in cells
    assert "Pelatihan angkatan pertama" in cells
    download = client.get(reverse("programs:progress_evidence", args=[item.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_saved(
    client, operator, verified_plan, training
):
    client.force_login(operator)
    response = enter(
        client,
        verified_plan,
        training,
        realised="20",
        narrative="Pelatihan angkatan pertama",
        evidence=[SimpleUploadedFile("laporan.pdf", EXE)],
    )

    assert response.status_code == 400
    page = response.content.decode()
    # The refusal is next to the file input, naming the file.
    error = re.search(r'id="id_evidence_error"[^>]*>(.*?)</div>', page, re.S)
    assert error and "“laporan.pdf”" in error.group(1)
    # What was typed is still there.
    assert 'value="20"' in page and "Pelatihan angkatan pertama" in page
    assert not Progress.objects.exists()
    assert not ProgressEvidence.objects.exists()


def test_a_validation_error_keeps_what_was_typed(client, operator, verified_plan, training):
    client.force_login(operator)
    response = enter(client, verified_plan, training, realised="-3", narrative="Angkatan 1")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="-3"' in page and "Angkatan 1" in page
    assert not Progress.objects.exists()


# --- submitting and reviewing ------------------------------------------------------------


def test_an_incomplete_report_is_refused_listing_the_missing_activities(
    client, operator, verified_plan, training, coverage
):
    client.force_login(operator)
    enter(client, verified_plan, training)
    response = client.post(submit_url(verified_plan), {"version": report_version(verified_plan)})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="report-errors"' in page
    assert "Cakupan bantuan pangan" in text(page.split('data-testid="report-errors"')[1][:800])
    assert QuarterReport.objects.get(plan=verified_plan).status == ReviewStatus.DRAFT


def test_a_complete_report_is_submitted_and_awaits_verification(
    client, operator, verified_plan, training, coverage
):
    report = submitted(client, verified_plan, operator, training, coverage)

    assert report.status == ReviewStatus.SUBMITTED
    page = client.get(report_url(verified_plan)).content.decode()
    assert gettext("Awaiting verification") in page
    # Nothing can be changed any more: no entry links, no submit button.
    assert edit_url(verified_plan, training) not in page
    assert submit_url(verified_plan) not in page
    assert gettext("Submit the report") not in page


def test_the_secretariat_returns_with_a_comment_the_operator_sees_it_corrects_and_resubmits(
    client, users, operator, verified_plan, training, coverage
):
    report = submitted(client, verified_plan, operator, training, coverage)
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(report_url(verified_plan)).content.decode()
    assert 'data-testid="review-form"' in page
    response = client.post(
        review_url(verified_plan),
        {"decision": "return", "version": report.version, "comment": "Lampirkan daftar hadir."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReviewStatus.RETURNED

    client.force_login(operator)
    page = client.get(report_url(verified_plan)).content.decode()
    comment = page.split('data-testid="review-comment"')[1][:600]
    assert "Lampirkan daftar hadir." in comment
    assert "Lampirkan daftar hadir." in page.split('data-testid="history"')[1]
    assert edit_url(verified_plan, training) in page
    assert (
        "Lampirkan daftar hadir." in client.get(edit_url(verified_plan, training)).content.decode()
    )

    response = enter(
        client,
        verified_plan,
        training,
        realised="20",
        evidence=[SimpleUploadedFile("daftar hadir.pdf", PDF)],
    )
    assert response.status_code == 302
    response = client.post(submit_url(verified_plan), {"version": report_version(verified_plan)})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED


def test_returning_without_a_comment_is_refused_on_the_page(
    client, users, operator, verified_plan, training, coverage
):
    report = submitted(client, verified_plan, operator, training, coverage)
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        review_url(verified_plan), {"decision": "return", "version": report.version, "comment": ""}
    )
    assert response.status_code == 400
    assert 'data-testid="review-errors"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED


def test_a_verified_report_cannot_be_changed_by_the_operator(
    client, users, operator, verified_plan, training, coverage
):
    report = submitted(client, verified_plan, operator, training, coverage)
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        review_url(verified_plan), {"decision": "verify", "version": report.version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReviewStatus.VERIFIED

    client.force_login(operator)
    page = client.get(report_url(verified_plan)).content.decode()
    assert edit_url(verified_plan, training) not in page
    response = client.get(edit_url(verified_plan, training))
    assert response.status_code == 200
    assert 'data-testid="progress-refused"' in response.content.decode()
    assert 'name="realised"' not in response.content.decode()
    response = enter(client, verified_plan, training, realised="99")
    assert response.status_code == 400
    assert Progress.objects.get(activity=training).realised == 20
    response = client.post(submit_url(verified_plan), {"version": report_version(verified_plan)})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == ReviewStatus.VERIFIED


def test_submit_and_review_answer_only_post(client, users, operator, verified_plan):
    client.force_login(operator)
    assert client.get(submit_url(verified_plan)).status_code == 405
    client.force_login(users[Role.SECRETARIAT])
    assert client.get(review_url(verified_plan)).status_code == 405


# --- achievement, deadlines, explanations --------------------------------------------------


@pytest.mark.parametrize(
    ("realised", "percent", "standing"),
    [("20", "80 %", "On track"), ("19", "76 %", "Behind")],
)
def test_the_achievement_is_computed_against_the_threshold(
    client, operator, verified_plan, training, coverage, realised, percent, standing
):
    client.force_login(operator)
    enter(client, verified_plan, training, realised=realised, spent="25.000.000")
    enter(client, verified_plan, coverage, realised="65", spent="0")

    page = client.get(report_url(verified_plan)).content.decode()
    achievement = text(row(page, training))
    assert percent in achievement
    assert gettext(standing) in achievement
    # Rp 25.000.000 of Rp 100.000.000.
    assert "25 %" in achievement
    # A percentage indicator: 65 against a level of 60.
    assert "108 %" in text(row(page, coverage))
    assert gettext("On track") in text(row(page, coverage))
    assert 'data-testid="achievement-rules"' in page


def test_the_cumulative_achievement_counts_earlier_quarters(
    client, operator, verified_plan, training, coverage
):
    submitted(client, verified_plan, operator, training, coverage, quarter=1)
    enter(client, verified_plan, training, quarter=2, realised="25")
    enter(client, verified_plan, coverage, quarter=2, realised="56", spent="0")

    page = client.get(report_url(verified_plan, 2)).content.decode()
    # 20 + 25 of 25 + 25: 90 %.
    cells = text(row(page, training))
    assert "45 orang" in cells and "90 %" in cells
    # A level: the latest value counts, 56 of 70.
    assert "80 %" in text(row(page, coverage))
    edit = client.get(edit_url(verified_plan, training, 2)).content.decode()
    assert "20 orang" in text(edit.split('data-testid="earlier"')[1])


def test_a_late_report_is_marked_and_the_deadline_shown(client, operator, verified_plan):
    client.force_login(operator)
    page = client.get(report_url(verified_plan, 3)).content.decode()
    deadline = text(page.split('data-testid="deadline"')[1][:400])
    assert "10 Oktober 2026" in deadline
    assert gettext("Late") in deadline
    page = client.get(report_url(verified_plan, 4)).content.decode()
    assert 'data-testid="late"' not in page


def test_a_report_sent_after_its_deadline_says_how_late_it_came(
    client, operator, verified_plan, training, coverage
):
    submitted(client, verified_plan, operator, training, coverage, quarter=3)
    # Sent on TODAY in Makassar, whatever the real clock says (the deadline: 10 October).
    sent = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(9)))
    QuarterReport.objects.filter(plan=verified_plan, quarter=3).update(
        submitted_at=sent, first_submitted_at=sent
    )
    client.force_login(operator)
    page = client.get(report_url(verified_plan, 3)).content.decode()
    assert 'data-testid="late"' not in page
    assert "51 hari setelah batas waktu" in text(page.split('data-testid="sent-late"')[1][:200])
    on_time = timezone.make_aware(datetime.datetime(2026, 10, 9, 16))
    QuarterReport.objects.filter(plan=verified_plan, quarter=3).update(
        submitted_at=on_time, first_submitted_at=on_time
    )
    page = client.get(report_url(verified_plan, 3)).content.decode()
    assert 'data-testid="sent-late"' not in page


def test_before_the_quarter_begins_the_page_explains_instead_of_a_table(
    client, monkeypatch, operator, verified_plan, training
):
    set_today(monkeypatch, datetime.date(2026, 5, 1))
    client.force_login(operator)
    page = client.get(report_url(verified_plan, 3)).content.decode()
    assert 'data-testid="report-closed"' in page
    assert 'data-testid="progress-table"' not in page
    assert reverse("programs:plan_detail", args=[verified_plan.pk]) in page
    response = client.get(edit_url(verified_plan, training, 3))
    assert response.status_code == 400
    assert reverse("programs:plan_detail", args=[verified_plan.pk]) in response.content.decode()
    assert not QuarterReport.objects.filter(quarter=3).exists()


def test_before_the_plan_is_verified_the_page_explains(client, operator, agency):
    plan = ActionPlanFactory(agency=agency, created_by=operator)
    activity = ActivityFactory(plan=plan, updated_by=operator)
    client.force_login(operator)
    page = client.get(report_url(plan)).content.decode()
    assert 'data-testid="report-closed"' in page
    assert reverse("programs:plan_detail", args=[plan.pk]) in page
    # Not agreed in a verified plan: no progress on it.
    assert client.get(edit_url(plan, activity)).status_code == 404


def test_a_quarter_outside_one_to_four_is_not_found(client, operator, verified_plan, training):
    client.force_login(operator)
    assert client.get(report_url(verified_plan, 5)).status_code == 404
    assert client.get(report_url(verified_plan, 0)).status_code == 404
    assert client.get(edit_url(verified_plan, training, 5)).status_code == 404


# --- the register's participants ----------------------------------------------------------


def test_the_number_of_participants_is_taken_from_the_register(
    client, operator, verified_plan, training
):
    program = ProgramFactory(name="Pelatihan Menjahit Kotabaru")
    training.program = program
    training.save()
    march = datetime.date(2026, 3, 1)
    EnrollmentFactory(program=program, enrolled_on=march)
    EnrollmentFactory(program=program, enrolled_on=march, status=EnrollmentStatus.ACTIVE)
    EnrollmentFactory(program=program, enrolled_on=march, status=EnrollmentStatus.GRADUATED)
    # Left after the quarter ended: took part in it.
    EnrollmentFactory(
        program=program,
        enrolled_on=march,
        status=EnrollmentStatus.EXITED,
        exit_reason=ExitReason.MOVED,
        status_changed_on=datetime.date(2026, 5, 2),
    )
    # Left during the quarter, enrolled after it, another program's: not counted.
    gone = EnrollmentFactory(
        program=program,
        enrolled_on=march,
        status=EnrollmentStatus.EXITED,
        exit_reason=ExitReason.MOVED,
        status_changed_on=datetime.date(2026, 3, 20),
    )
    EnrollmentFactory(program=program, enrolled_on=datetime.date(2026, 4, 1))
    EnrollmentFactory(enrolled_on=march)
    client.force_login(operator)

    page = client.get(edit_url(verified_plan, training)).content.decode()
    assert 'href="?dari_register=1"' in page
    response = client.get(edit_url(verified_plan, training) + "?dari_register=1")
    page = response.content.decode()
    assert re.search(r'name="beneficiaries" value="4"', page)
    assert "Pelatihan Menjahit Kotabaru" in page and "31 Maret 2026" in page
    assert gone.person.name not in page

    # A POST keeps what was typed.
    response = client.post(
        edit_url(verified_plan, training) + "?dari_register=1",
        {"realised": "20", "spent": "0", "beneficiaries": "18", "version": "0"},
    )
    assert response.status_code == 302
    assert Progress.objects.get(activity=training).beneficiaries == 18


def test_an_activity_without_a_program_offers_no_register_count(
    client, operator, verified_plan, coverage
):
    client.force_login(operator)
    page = client.get(edit_url(verified_plan, coverage) + "?dari_register=1").content.decode()
    assert 'data-testid="from-register"' not in page
    assert 'name="beneficiaries" value' not in page


# --- optimistic locking --------------------------------------------------------------------


def test_a_second_operator_saving_an_older_version_is_refused_with_the_others_values(
    client, operator, agency, verified_plan, training
):
    client.force_login(operator)
    enter(client, verified_plan, training, realised="20", narrative="Versi pertama")
    form = client.get(edit_url(verified_plan, training)).content.decode()
    version = re.search(r'name="version" value="(\d+)"', form).group(1)

    colleague = UserFactory(username="opd2", name="Rina Kolega", role=Role.AGENCY, agency=agency)
    other = client.__class__()
    other.force_login(colleague)
    response = other.post(
        edit_url(verified_plan, training),
        {"realised": "21", "spent": "0", "version": version, "narrative": "Versi Rina"},
    )
    assert response.status_code == 302

    response = client.post(
        edit_url(verified_plan, training),
        {"realised": "22", "spent": "0", "version": version, "narrative": "Versi saya"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rina Kolega" in page
    conflict = page.split('data-testid="edit-conflict"')[1]
    assert "Versi Rina" in conflict and "Versi saya" in conflict
    assert "21" in conflict
    progress = Progress.objects.get(activity=training)
    assert (progress.realised, progress.narrative) == (21, "Versi Rina")
    # Saving again now keeps mine, knowingly.
    new_version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert new_version == str(progress.version)
    response = client.post(
        edit_url(verified_plan, training),
        {"realised": "22", "spent": "0", "version": new_version, "narrative": "Versi saya"},
    )
    assert response.status_code == 302
    assert Progress.objects.get(activity=training).realised == 22


# --- who sees what -------------------------------------------------------------------------


def test_another_agencys_report_and_evidence_are_not_found(
    client, users, operator, other_agency, verified_plan, training
):
    enter_client = client
    enter_client.force_login(operator)
    enter(enter_client, verified_plan, training, evidence=[SimpleUploadedFile("a.pdf", PDF)])
    item = ProgressEvidence.objects.get()
    stranger = UserFactory(username="opd.lain", role=Role.AGENCY, agency=other_agency)

    client.force_login(stranger)
    assert client.get(report_url(verified_plan)).status_code == 404
    assert client.get(edit_url(verified_plan, training)).status_code == 404
    assert enter(client, verified_plan, training, realised="1").status_code == 404
    assert client.post(submit_url(verified_plan), {"version": 1}).status_code == 404
    assert client.get(reverse("programs:progress_evidence", args=[item.pk])).status_code == 404
    assert Progress.objects.get(activity=training).realised == 25


def test_an_activity_of_another_plan_in_the_url_is_not_found(
    client, operator, other_agency, verified_plan
):
    theirs = ActivityFactory(plan=ActionPlanFactory(agency=other_agency), agreed=True)
    client.force_login(operator)
    url = reverse("programs:progress_edit", args=[verified_plan.pk, 1, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"realised": "1", "spent": "0"}).status_code == 404
    assert not Progress.objects.exists()


def test_a_leader_reads_the_report_but_downloads_no_evidence(
    client, users, operator, verified_plan, training
):
    client.force_login(operator)
    enter(client, verified_plan, training, evidence=[SimpleUploadedFile("foto.pdf", PDF)])
    item = ProgressEvidence.objects.get()
    download = reverse("programs:progress_evidence", args=[item.pk])

    client.force_login(users[Role.LEADER])
    response = client.get(report_url(verified_plan))
    assert response.status_code == 200
    page = response.content.decode()
    assert "foto.pdf" in row(page, training)
    assert download not in page
    assert edit_url(verified_plan, training) not in page
    assert client.get(download).status_code == 403
    assert client.get(edit_url(verified_plan, training)).status_code == 403

    client.force_login(users[Role.SECRETARIAT])
    assert download in client.get(report_url(verified_plan)).content.decode()
    assert client.get(download).status_code == 200


def test_a_partner_opens_no_report_and_no_evidence(client, users, verified_plan, training):
    progress = Progress.objects.create(
        report=QuarterReport.objects.create(plan=verified_plan, quarter=1),
        activity=training,
        realised=20,
        updated_by=users[Role.AGENCY],
    )
    item = evidence_of(progress)
    client.force_login(users[Role.PARTNER])
    assert client.get(report_url(verified_plan)).status_code == 403
    assert client.get(reverse("programs:progress_evidence", args=[item.pk])).status_code == 403


def test_the_secretariat_cannot_enter_progress(client, users, verified_plan, training):
    client.force_login(users[Role.SECRETARIAT])
    assert client.get(edit_url(verified_plan, training)).status_code == 403
    assert enter(client, verified_plan, training).status_code == 403


def test_two_operators_entering_a_new_entry_the_second_is_refused_not_silently_replacing(
    client, operator, agency, verified_plan, training
):
    client.force_login(operator)
    form = client.get(edit_url(verified_plan, training)).content.decode()
    assert re.search(r'name="version" value="0"', form)
    colleague = UserFactory(username="opd3", name="Budi Kolega", role=Role.AGENCY, agency=agency)
    other = client.__class__()
    other.force_login(colleague)
    typed = {"realised": "21", "spent": "0", "version": "0", "narrative": "Versi Budi"}
    assert other.post(edit_url(verified_plan, training), typed).status_code == 302
    mine = {"realised": "22", "spent": "0", "version": "0", "narrative": "Versi saya"}
    response = client.post(edit_url(verified_plan, training), mine)
    assert response.status_code == 400 and "Budi Kolega" in response.content.decode()
    assert Progress.objects.get(activity=training).narrative == "Versi Budi"
    # A form without its version is refused as well, never saved unchecked.
    del mine["version"]
    assert client.post(edit_url(verified_plan, training), mine).status_code == 400
    assert Progress.objects.get(activity=training).narrative == "Versi Budi"


def test_progress_typed_while_a_colleague_sends_the_report_comes_back_filled(
    client, operator, verified_plan, training, coverage
):
    client.force_login(operator)
    enter(client, verified_plan, training, realised="20")
    enter(client, verified_plan, coverage, realised="65", spent="0")
    typed = {"realised": "23", "spent": "0", "version": "1", "narrative": "Koreksi penting"}
    client.post(submit_url(verified_plan), {"version": report_version(verified_plan)})
    response = client.post(edit_url(verified_plan, training), typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Koreksi penting" in page and 'value="23"' in page
    assert Progress.objects.get(activity=training).realised == 20


def test_the_secretariat_returns_a_verified_report_so_that_it_can_be_corrected(
    client, users, operator, verified_plan, training, coverage
):
    report = submitted(client, verified_plan, operator, training, coverage)
    secretariat = client.__class__()
    secretariat.force_login(users[Role.SECRETARIAT])
    verify = {"decision": "verify", "version": report.version}
    assert secretariat.post(review_url(verified_plan), verify).status_code == 302
    page = secretariat.get(report_url(verified_plan)).content.decode()
    form = page.split('data-testid="review-form"')[1].split("</form>")[0]
    assert 'value="return"' in form and 'value="verify"' not in form
    report.refresh_from_db()
    back = {"decision": "return", "version": report.version, "comment": "Angka realisasi salah."}
    assert secretariat.post(review_url(verified_plan), back).status_code == 302
    assert enter(client, verified_plan, training, realised="21").status_code == 302
    assert Progress.objects.get(activity=training).realised == 21


def test_a_return_comment_typed_when_the_session_ended_is_back_on_the_report_page(
    client, users, operator, verified_plan, training, coverage
):
    submitted(client, verified_plan, operator, training, coverage)
    secretariat = users[Role.SECRETARIAT]
    secretariat.set_password(PASSWORD)
    secretariat.save()
    client.force_login(secretariat)
    page_url = report_url(verified_plan)
    assert client.get(page_url).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    typed = {"decision": "return", "version": "9", "comment": "Lampirkan foto kegiatan."}
    response = client.post(
        review_url(verified_plan), typed, HTTP_REFERER=f"http://testserver{page_url}"
    )
    assert response.url == f"{reverse('login')}?next={page_url}"
    page = client.post(
        response.url, {"username": secretariat.username, "password": PASSWORD}, follow=True
    )
    assert page.redirect_chain == [(page_url, 302)]
    form = page.content.decode().split('data-testid="review-form"')[1].split("</form>")[0]
    assert "Lampirkan foto kegiatan." in form
    assert QuarterReport.objects.get(plan=verified_plan, quarter=1).status == "submitted"


def test_a_report_sent_as_the_session_ended_is_said_not_sent_after_signing_in(
    client, operator, verified_plan, training, coverage
):
    client.force_login(operator)
    enter(client, verified_plan, training, realised="20")
    enter(client, verified_plan, coverage, realised="65", spent="0")
    operator.set_password(PASSWORD)
    operator.save()
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    page_url = report_url(verified_plan)
    response = client.post(
        submit_url(verified_plan),
        {"version": report_version(verified_plan)},
        HTTP_REFERER=f"http://testserver{page_url}",
    )
    page = client.post(
        response.url, {"username": operator.username, "password": PASSWORD}, follow=True
    )
    assert page.redirect_chain == [(page_url, 302)]
    warning = gettext(
        "Your session had ended before this form was saved. "
        "What you typed is back: check it and save again."
    )
    assert warning in text(page.content.decode())
    assert QuarterReport.objects.get(plan=verified_plan, quarter=1).status == "draft"
