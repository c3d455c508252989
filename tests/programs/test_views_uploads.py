"""Bulk enrolment in the browser: upload a file of NIKs, see its check, enrol, get the report.

The test settings run background tasks at once, when the transaction that queued them
commits (`django_capture_on_commit_callbacks(execute=True)`).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from programs.models import Enrollment, EnrollmentUpload, UploadStatus
from tests.factories import (
    AreaFactory,
    HouseholdFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
    VillageQuotaFactory,
)
from tests.households.dtsen_files import nik, write_pdf_as_xlsx
from tkpk.models import ExportLog, Role

pytestmark = pytest.mark.django_db

LANGADAI = "63.02.17.2003"
CODE = "KTB-WMP-2025"


@pytest.fixture
def program(other_agency):
    program = ProgramFactory(code=CODE, lead_agency=other_agency, max_desil=4)
    VillageQuotaFactory(
        program=program, village=AreaFactory(code=LANGADAI, name="Langadai"), quota=5
    )
    return program


@pytest.fixture
def residents(db):
    """Person 1 and 2 eligible, person 3 of desil 9."""
    for serial, desil in ((1, 2), (2, 3), (3, 9)):
        household = HouseholdFactory(village=AreaFactory(code=LANGADAI), desil=desil)
        PersonFactory(nik=nik(serial=serial), household=household)


@pytest.fixture
def english(client):
    """Pages in English, as the messages are written in the code."""

    def sign_in(user):
        client.force_login(user)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        return client

    return sign_in


@pytest.fixture
def secretariat(english, users):
    return english(users[Role.SECRETARIAT])


def niks_csv(*rows: str) -> bytes:
    return ("NIK,Nama\r\n" + "".join(f"{row},WARGA\r\n" for row in rows)).encode()


def upload(client, content: bytes, *, name="peserta.csv", execute=None):
    with execute(execute=True):
        response = client.post(
            reverse("programs:enrollment_upload", kwargs={"code": CODE}),
            {"file": SimpleUploadedFile(name, content)},
        )
    return response, EnrollmentUpload.objects.order_by("pk").last()


def detail_url(upload: EnrollmentUpload) -> str:
    return reverse("programs:enrollment_upload_detail", kwargs={"code": CODE, "pk": upload.pk})


def test_the_upload_page_shows_the_form(secretariat, program):
    page = secretariat.get(reverse("programs:enrollment_upload", kwargs={"code": CODE}))

    assert page.status_code == 200
    assert 'data-testid="upload-form"' in page.content.decode()


def test_upload_checks_the_file_and_enrols_nobody_yet(
    secretariat, program, residents, django_capture_on_commit_callbacks
):
    response, checked = upload(
        secretariat,
        niks_csv(nik(serial=1), nik(serial=2), nik(serial=3), nik(serial=9)),
        execute=django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302 and response.url == detail_url(checked)
    assert checked.status == UploadStatus.CHECKED
    assert (checked.summary.rows, checked.summary.enrolled, checked.summary.rejected) == (4, 2, 2)
    assert not Enrollment.objects.exists()
    page = secretariat.get(detail_url(checked)).content.decode()
    assert "To be enrolled" in page
    assert "desil 9 is above the program&#x27;s limit of 4." in page
    assert f"{nik(serial=9)} is not in the register." in page
    assert "Enrol 2 people" in page


def test_enrolling_a_checked_file_writes_its_valid_rows(
    secretariat, program, residents, django_capture_on_commit_callbacks
):
    _response, checked = upload(
        secretariat,
        niks_csv(nik(serial=1), nik(serial=2), nik(serial=3)),
        execute=django_capture_on_commit_callbacks,
    )
    enrol_url = reverse(
        "programs:enrollment_upload_enroll", kwargs={"code": CODE, "pk": checked.pk}
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat.post(enrol_url)

    assert response.url == detail_url(checked)
    checked.refresh_from_db()
    assert checked.status == UploadStatus.DONE
    assert checked.summary.enrolled == 2
    assert set(Enrollment.objects.values_list("person__nik", flat=True)) == {
        nik(serial=1),
        nik(serial=2),
    }
    page = secretariat.get(detail_url(checked)).content.decode()
    assert "2 people enrolled by" in page

    again = secretariat.post(enrol_url, follow=True).content.decode()
    assert "Only a checked file that was not enrolled can be enrolled." in again
    assert Enrollment.objects.count() == 2


def test_the_error_report_lists_the_refused_rows_and_is_logged(
    secretariat, program, residents, django_capture_on_commit_callbacks
):
    _response, checked = upload(
        secretariat,
        niks_csv(nik(serial=1), nik(serial=3)),
        execute=django_capture_on_commit_callbacks,
    )

    response = secretariat.get(
        reverse("programs:enrollment_upload_error_report", kwargs={"code": CODE, "pk": checked.pk})
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == (3, nik(serial=3), "WARGA")
    log = ExportLog.objects.get()
    assert log.what == "enrollment-error-report" and log.filters["program"] == CODE


def test_a_file_that_is_not_a_spreadsheet_fails_with_a_clear_message(
    secretariat, program, tmp_path, django_capture_on_commit_callbacks
):
    content = write_pdf_as_xlsx(tmp_path).read_bytes()

    _response, failed = upload(
        secretariat, content, name="peserta.xlsx", execute=django_capture_on_commit_callbacks
    )

    assert failed.status == UploadStatus.FAILED
    page = secretariat.get(detail_url(failed)).content.decode()
    assert 'data-testid="upload-message"' in page
    assert "This is not a spreadsheet or CSV file" in page or "No header row" in page
    assert "/daftarkan/" not in page


def test_an_empty_file_is_refused_by_the_form(secretariat, program):
    response = secretariat.post(
        reverse("programs:enrollment_upload", kwargs={"code": CODE}),
        {"file": SimpleUploadedFile("kosong.csv", b"")},
    )

    assert response.status_code == 200
    assert "The file is empty. Export the data again and upload it." in response.content.decode()
    assert not EnrollmentUpload.objects.exists()


def test_a_file_over_the_limit_is_refused_by_the_form(secretariat, program, settings):
    settings.TKPK_DTSEN_MAX_BYTES = 10
    response = secretariat.post(
        reverse("programs:enrollment_upload", kwargs={"code": CODE}),
        {"file": SimpleUploadedFile("besar.csv", niks_csv("1", "2"))},
    )

    assert "the limit is 10" in response.content.decode()
    assert not EnrollmentUpload.objects.exists()


def test_the_status_polls_as_a_partial_while_it_runs(secretariat, program, users):
    running = EnrollmentUpload.objects.create(
        program=program,
        file_name="peserta.csv",
        created_by=users[Role.SECRETARIAT],
        status=UploadStatus.CHECKING,
        rows_done=50,
        rows_total=200,
    )

    response = secretariat.get(detail_url(running), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body
    assert 'hx-trigger="every 1s"' in body and "50 of 200 rows" in body
    assert "w-pct-25" in body


def test_the_lead_agency_operator_may_upload(
    english, program, residents, django_capture_on_commit_callbacks
):
    operator = UserFactory(role=Role.AGENCY, agency=program.lead_agency)
    client = english(operator)

    _response, checked = upload(
        client, niks_csv(nik(serial=1)), execute=django_capture_on_commit_callbacks
    )

    assert checked.status == UploadStatus.CHECKED and checked.created_by == operator


@pytest.mark.parametrize("role", [Role.AGENCY, Role.LEADER, Role.PARTNER])
def test_others_are_refused(client, users, program, role):
    client.force_login(users[role])  # the agency operator works for another agency

    url = reverse("programs:enrollment_upload", kwargs={"code": CODE})
    assert client.get(url).status_code == 403
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", niks_csv(nik(serial=1)))})
    assert response.status_code == 403
    assert not EnrollmentUpload.objects.exists()


def test_an_upload_is_found_only_under_its_own_program(secretariat, program, users):
    other = ProgramFactory(code="PKH-2025")
    upload = EnrollmentUpload.objects.create(
        program=other, file_name="p.csv", created_by=users[Role.SECRETARIAT]
    )

    assert secretariat.get(detail_url(upload)).status_code == 404


def test_an_upload_whose_worker_died_fails_instead_of_polling_forever(secretariat, program, users):
    import datetime

    from django.utils import timezone

    from programs.uploads import stale_after

    long_ago = timezone.now() - stale_after() - datetime.timedelta(seconds=1)
    died = EnrollmentUpload.objects.create(
        program=program,
        file_name="peserta.csv",
        created_by=users[Role.SECRETARIAT],
        status=UploadStatus.ENROLLING,
        beat_at=long_ago,
    )
    alive = EnrollmentUpload.objects.create(
        program=program,
        file_name="peserta.csv",
        created_by=users[Role.SECRETARIAT],
        status=UploadStatus.CHECKING,
        beat_at=timezone.now(),
    )

    page = secretariat.get(detail_url(died)).content.decode()

    assert "The work was interrupted (the background worker stopped); nobody was enrolled." in page
    died.refresh_from_db()
    alive.refresh_from_db()
    assert (died.status, alive.status) == (UploadStatus.FAILED, UploadStatus.CHECKING)
