"""The DTSEN upload page: upload, background check, summary, import, history, error report."""

import datetime
import html
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from households.dtsen import services
from households.models import DtsenImport, Household, ImportStatus, Person
from households.synthetic import DTSEN_COLUMNS, synthetic_rows
from tests.factories import AreaFactory
from tkpk.models import ExportLog, Role

pytestmark = pytest.mark.django_db

LIST = reverse("households:dtsen_list")
VILLAGE = "63.02.17.2003"


@pytest.fixture
def village():
    return AreaFactory(code=VILLAGE, name="Langadai")


def dtsen_csv(rows, *, extra=()):
    lines = ["|".join(DTSEN_COLUMNS)]
    lines += ["|".join(row) for row in rows]
    lines += list(extra)
    return ("\n".join(lines) + "\n").encode()


def valid_rows(count=12):
    return list(synthetic_rows(villages=[VILLAGE], people=count))


def upload(client, content, *, name="dtsen.csv", period="2025-Q3", execute=None):
    with execute(execute=True):
        return client.post(
            LIST,
            {"file": SimpleUploadedFile(name, content), "period": period, "sheet": ""},
        )


@pytest.fixture
def secretariat(client, users):
    client.force_login(users[Role.SECRETARIAT])
    return client


def test_upload_is_checked_in_the_background_and_summarised_without_writing(
    secretariat, village, django_capture_on_commit_callbacks
):
    bad = "|".join(["6302170101850000", "6302170101200001", "SITI", *[""] * 14])
    response = upload(
        secretariat,
        dtsen_csv(valid_rows(), extra=[bad]),
        execute=django_capture_on_commit_callbacks,
    )
    load = DtsenImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:dtsen_detail", args=[load.pk])
    assert load.status == ImportStatus.CHECKED
    assert load.report["rows"] == 13
    assert load.report["rejected"] == 1
    assert not Person.objects.exists()  # a check writes nothing

    page = secretariat.get(response["Location"]).content.decode()
    assert "dtsen.csv" in page
    assert 'data-testid="summary"' in page
    assert "nomor_induk_kependudukan" in page  # the column of the error, as written
    assert reverse("households:dtsen_import", args=[load.pk]) in page
    assert reverse("households:dtsen_error_report", args=[load.pk]) in page


def test_import_commits_the_checked_rows_and_the_history_shows_it(
    secretariat, users, village, django_capture_on_commit_callbacks
):
    upload(secretariat, dtsen_csv(valid_rows(12)), execute=django_capture_on_commit_callbacks)
    load = DtsenImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat.post(reverse("households:dtsen_import", args=[load.pk]))
    assert response.status_code == 302
    load.refresh_from_db()
    assert load.status == ImportStatus.DONE
    assert load.imported_by == users[Role.SECRETARIAT]
    assert load.holds_register is None
    assert Person.objects.count() == 12
    assert Household.objects.filter(desil_period="2025-Q3").exists()
    history = secretariat.get(LIST).content.decode()
    assert "dtsen.csv" in history and "2025-Q3" in history


def test_an_imported_file_cannot_be_imported_twice(
    secretariat, village, django_capture_on_commit_callbacks
):
    upload(secretariat, dtsen_csv(valid_rows(3)), execute=django_capture_on_commit_callbacks)
    load = DtsenImport.objects.get()
    url = reverse("households:dtsen_import", args=[load.pk])
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(url)
    response = secretariat.post(url, follow=True)
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    assert DtsenImport.objects.get().status == ImportStatus.DONE


def test_a_second_import_waits_while_another_holds_the_register(
    secretariat, users, village, django_capture_on_commit_callbacks
):
    upload(secretariat, dtsen_csv(valid_rows(3)), execute=django_capture_on_commit_callbacks)
    load = DtsenImport.objects.get()
    DtsenImport.objects.create(
        file_name="other.xlsx",
        period="2025-Q3",
        status=ImportStatus.IMPORTING,
        holds_register=True,
        heartbeat_at=timezone.now(),
    )
    response = secretariat.post(reverse("households:dtsen_import", args=[load.pk]), follow=True)
    text = response.content.decode()
    assert "other.xlsx" in text
    load.refresh_from_db()
    assert load.status == ImportStatus.CHECKED
    assert not Person.objects.exists()


def test_a_load_whose_worker_died_frees_the_register(
    secretariat, village, django_capture_on_commit_callbacks
):
    upload(secretariat, dtsen_csv(valid_rows(3)), execute=django_capture_on_commit_callbacks)
    load = DtsenImport.objects.get()
    dead = DtsenImport.objects.create(
        file_name="other.xlsx",
        period="2025-Q3",
        status=ImportStatus.IMPORTING,
        holds_register=True,
        heartbeat_at=timezone.now() - services.stale_after() * 2,
    )
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(reverse("households:dtsen_import", args=[load.pk]))
    dead.refresh_from_db()
    assert dead.status == ImportStatus.INTERRUPTED
    assert Person.objects.count() == 3


def test_the_error_report_holds_the_rejected_rows_as_they_were_and_is_logged(
    secretariat, users, village, django_capture_on_commit_callbacks
):
    bad = "|".join(["=1+1", "6302170101200001", "SITI", *[""] * 14])
    upload(
        secretariat,
        dtsen_csv(valid_rows(2), extra=[bad]),
        execute=django_capture_on_commit_callbacks,
    )
    load = DtsenImport.objects.get()
    response = secretariat.get(reverse("households:dtsen_error_report", args=[load.pk]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][1:4] == ("nomor_induk_kependudukan", "nomor_kartu_keluarga", "nama")
    assert rows[1][0] == 4  # the header is row 1, two valid rows, then this one
    assert rows[1][1] == "'=1+1"  # kept as written, but never run as a formula
    assert "nomor_induk_kependudukan" in rows[1][-1]
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.rows) == (users[Role.SECRETARIAT], "dtsen-error-report", 1)


def test_a_file_that_is_not_a_table_fails_with_a_message_and_writes_nothing(
    secretariat, village, django_capture_on_commit_callbacks
):
    upload(
        secretariat,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        name="dtsen.xlsx",
        execute=django_capture_on_commit_callbacks,
    )
    load = DtsenImport.objects.get()
    assert load.status == ImportStatus.FAILED
    page = secretariat.get(reverse("households:dtsen_detail", args=[load.pk])).content.decode()
    assert load.message_text and html.escape(load.message_text) in page
    assert reverse("households:dtsen_import", args=[load.pk]) not in page
    assert reverse("households:dtsen_list") in page  # "upload another file"


@pytest.mark.parametrize(
    ("content", "period", "field"),
    [
        (b"", "2025-Q3", "file"),
        (b"a|b\n", "2025-13", "period"),
        (b"a|b\n", "", "period"),
    ],
)
def test_the_upload_form_refuses_bad_input_with_a_message(secretariat, content, period, field):
    response = secretariat.post(
        LIST, {"file": SimpleUploadedFile("dtsen.csv", content), "period": period}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not DtsenImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(secretariat, settings):
    settings.TKPK_DTSEN_MAX_BYTES = 10
    response = secretariat.post(
        LIST, {"file": SimpleUploadedFile("dtsen.csv", b"x" * 11), "period": "2025-Q3"}
    )
    assert "file" in response.context["form"].errors
    assert not DtsenImport.objects.exists()


def test_the_progress_partial_polls_while_running_and_stops_when_done(secretariat, users):
    load = DtsenImport.objects.create(
        file_name="dtsen.csv",
        period="2025-Q3",
        status=ImportStatus.CHECKING,
        phase="reading",
        rows_done=500,
        rows_total=2000,
        created_by=users[Role.SECRETARIAT],
    )
    url = reverse("households:dtsen_detail", args=[load.pk])
    partial = secretariat.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'hx-trigger="every 1s"' in partial
    assert 'aria-valuenow="25"' in partial
    load.status = ImportStatus.CHECKED
    load.report = {"rows": 2000, "accepted": 2000, "rejected": 0, "households": {}}
    load.save()
    partial = secretariat.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert 'data-testid="summary"' in partial


def test_stop_cancels_a_waiting_load(secretariat, users):
    load = DtsenImport.objects.create(
        file_name="dtsen.csv", period="2025-Q3", status=ImportStatus.CHECK_QUEUED
    )
    secretariat.post(reverse("households:dtsen_cancel", args=[load.pk]))
    load.refresh_from_db()
    assert load.status == ImportStatus.CANCELLED
    # The task that finds it later does nothing.
    services.dtsen_import_check(dtsen_import_id=load.pk)
    load.refresh_from_db()
    assert load.status == ImportStatus.CANCELLED


def test_stop_asks_a_running_check_to_stop_at_its_next_progress_report(
    secretariat, village, django_capture_on_commit_callbacks
):
    upload(secretariat, dtsen_csv(valid_rows(3)), execute=django_capture_on_commit_callbacks)
    load = DtsenImport.objects.get()
    DtsenImport.objects.filter(pk=load.pk).update(status=ImportStatus.CHECKING, phase="reading")
    secretariat.post(reverse("households:dtsen_cancel", args=[load.pk]))
    load.refresh_from_db()
    assert load.cancel_requested
    DtsenImport.objects.filter(pk=load.pk).update(status=ImportStatus.CHECK_QUEUED)
    services.dtsen_import_check(dtsen_import_id=load.pk)
    load.refresh_from_db()
    assert load.status == ImportStatus.CANCELLED
    assert load.message


@pytest.mark.parametrize("role", [Role.AGENCY, Role.LEADER, Role.PARTNER])
def test_only_the_secretariat_and_administrators_may_upload(client, users, village, role):
    client.force_login(users[role])
    response = client.post(
        LIST,
        {"file": SimpleUploadedFile("dtsen.csv", dtsen_csv(valid_rows(2))), "period": "2025-Q3"},
    )
    assert response.status_code == 403
    assert not DtsenImport.objects.exists()


def test_a_load_nobody_picks_up_says_the_worker_is_not_running(secretariat, users):
    load = DtsenImport.objects.create(
        file_name="dtsen.csv",
        period="2025-Q3",
        status=ImportStatus.CHECK_QUEUED,
        heartbeat_at=timezone.now(),
    )
    url = reverse("households:dtsen_detail", args=[load.pk])
    assert "db_worker" not in secretariat.get(url).content.decode()
    DtsenImport.objects.filter(pk=load.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "db_worker" in secretariat.get(url).content.decode()


def test_a_load_being_written_can_no_longer_be_stopped(secretariat):
    load = DtsenImport.objects.create(
        file_name="dtsen.csv",
        period="2025-Q3",
        status=ImportStatus.IMPORTING,
        phase="writing",
        holds_register=True,
        heartbeat_at=timezone.now(),
    )
    response = secretariat.post(reverse("households:dtsen_cancel", args=[load.pk]), follow=True)
    load.refresh_from_db()
    assert not load.cancel_requested
    assert load.status == ImportStatus.IMPORTING
    assert len(list(response.context["messages"])) == 1


def test_a_check_whose_worker_died_is_shown_as_interrupted_not_busy_forever(secretariat):
    load = DtsenImport.objects.create(
        file_name="dtsen.csv",
        period="2025-Q3",
        status=ImportStatus.CHECKING,
        phase="reading",
        heartbeat_at=timezone.now() - services.stale_after() * 2,
    )
    page = secretariat.get(reverse("households:dtsen_detail", args=[load.pk])).content.decode()
    load.refresh_from_db()
    assert load.status == ImportStatus.INTERRUPTED
    assert "hx-trigger" not in page
    assert html.escape(load.message_text) in page


def test_a_file_with_no_valid_row_offers_no_import(
    secretariat, village, django_capture_on_commit_callbacks
):
    bad = "|".join(["6302170101850000", "6302170101200001", "SITI", *[""] * 14])
    upload(secretariat, dtsen_csv([], extra=[bad]), execute=django_capture_on_commit_callbacks)
    load = DtsenImport.objects.get()
    assert load.status == ImportStatus.CHECKED
    page = secretariat.get(reverse("households:dtsen_detail", args=[load.pk])).content.decode()
    assert reverse("households:dtsen_import", args=[load.pk]) not in page
    assert reverse("households:dtsen_error_report", args=[load.pk]) in page


# --- what changed, and warnings before an import ---------------------------------------


@pytest.fixture
def loaded_then_changed(secretariat, village, django_capture_on_commit_callbacks):
    """A register of 12 people, then a checked file with one renamed, one moved, one new."""
    rows = valid_rows(12)
    upload(secretariat, dtsen_csv(rows), execute=django_capture_on_commit_callbacks)
    first = DtsenImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(reverse("households:dtsen_import", args=[first.pk]))
    renamed = list(rows[0])
    renamed[2] = "NAMA BARU"
    moved = list(rows[1])
    moved[1] = "6302171503209999"  # another No. KK: a household of its own now
    new = list(valid_rows(13)[12])
    changed = [renamed, moved, *rows[2:], new]
    upload(
        secretariat,
        dtsen_csv(changed),
        period="2025-Q4",
        execute=django_capture_on_commit_callbacks,
    )
    return DtsenImport.objects.latest("pk"), rows


def test_the_check_lists_who_would_be_added_and_changed_field_by_field(loaded_then_changed):
    load, rows = loaded_then_changed
    secretariat = Client()
    secretariat.force_login(load.created_by)

    page = secretariat.get(reverse("households:dtsen_detail", args=[load.pk])).content.decode()
    assert "1 orang ditambahkan" in page and "2 orang berubah" in page

    url = reverse("households:dtsen_changes", args=[load.pk])
    changed = secretariat.get(url, {"jenis": "changed"}).content.decode()
    assert rows[0][0] in changed and html.escape(rows[0][2]) in changed
    assert "<del>" + html.escape(rows[0][2]) + "</del> → <strong>NAMA BARU</strong>" in changed
    assert "6302171503209999" in changed  # the household it moves to
    assert rows[2][0] not in changed  # unchanged people are not listed
    added = secretariat.get(url, {"jenis": "added"}).content.decode()
    assert valid_rows(13)[12][0] in added and rows[0][0] not in added


def test_the_import_replaces_the_list_with_what_it_did(
    loaded_then_changed, django_capture_on_commit_callbacks
):
    load, _rows = loaded_then_changed
    client = Client()
    client.force_login(load.created_by)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("households:dtsen_import", args=[load.pk]))
    load.refresh_from_db()
    assert load.status == ImportStatus.DONE
    kinds = sorted(load.changes.values_list("kind", flat=True))
    assert kinds == ["added", "changed", "changed"]
    assert load.summary.people.created == 1 and load.summary.people.updated == 2


def test_the_change_list_downloads_as_a_logged_xlsx(loaded_then_changed, users):
    load, rows = loaded_then_changed
    client = Client()
    client.force_login(load.created_by)

    response = client.get(
        reverse("households:dtsen_changes_download", args=[load.pk]), {"jenis": "changed"}
    )

    assert response.status_code == 200
    assert "perubahan-2025-Q4" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *lines = list(sheet.iter_rows(values_only=True))
    assert header[:5] == ("Baris", "Jenis", "NIK", "Nama sebelum", "Nama sesudah")
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    by_nik = {line[2]: line for line in lines}
    assert by_nik[rows[0][0]][3:5] == (rows[0][2], "NAMA BARU")
    assert len(lines) == 2
    log = ExportLog.objects.get()
    assert (log.what, log.rows, log.user) == ("dtsen-changes", 2, users[Role.SECRETARIAT])


def test_a_second_check_of_a_loaded_file_says_nothing_would_change(
    secretariat, users, village, django_capture_on_commit_callbacks
):
    content = dtsen_csv(valid_rows(3))
    upload(secretariat, content, execute=django_capture_on_commit_callbacks)
    first = DtsenImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(reverse("households:dtsen_import", args=[first.pk]))

    upload(secretariat, content, execute=django_capture_on_commit_callbacks)
    again = DtsenImport.objects.latest("pk")

    page = secretariat.get(reverse("households:dtsen_detail", args=[again.pk])).content.decode()
    assert 'data-testid="already-loaded"' in page
    assert "sudah diimpor untuk 2025-Q3" in page and str(users[Role.SECRETARIAT]) in page
    assert "Tidak ada yang akan berubah" in page


def test_a_new_file_for_a_period_already_loaded_is_named_before_the_import(
    secretariat, village, django_capture_on_commit_callbacks
):
    upload(secretariat, dtsen_csv(valid_rows(3)), execute=django_capture_on_commit_callbacks)
    first = DtsenImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(reverse("households:dtsen_import", args=[first.pk]))

    upload(secretariat, dtsen_csv(valid_rows(4)), execute=django_capture_on_commit_callbacks)
    second = DtsenImport.objects.latest("pk")

    page = secretariat.get(reverse("households:dtsen_detail", args=[second.pk])).content.decode()
    assert "2025-Q3 sudah dimuat" in page
    assert "Tidak ada yang akan berubah" not in page


def test_problems_and_failures_show_in_the_language_of_the_reader(
    secretariat, village, django_capture_on_commit_callbacks
):
    bad = "|".join(["123", "6302170101200001", "SITI", *[""] * 14])
    upload(
        secretariat,
        dtsen_csv(valid_rows(2), extra=[bad]),
        execute=django_capture_on_commit_callbacks,
    )
    checked = DtsenImport.objects.get()
    upload(secretariat, b"%PDF-1.7\n", name="x.xlsx", execute=django_capture_on_commit_callbacks)
    failed = DtsenImport.objects.latest("pk")

    secretariat.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = secretariat.get(reverse("households:dtsen_detail", args=[checked.pk])).content.decode()
    assert "must be exactly 16 digits" in page
    page = secretariat.get(reverse("households:dtsen_detail", args=[failed.pk])).content.decode()
    assert "No header row with the columns NIK, No. KK, Nama, Kode Desa" in page

    secretariat.post(reverse("set_language"), {"language": "id", "next": "/"})
    page = secretariat.get(reverse("households:dtsen_detail", args=[checked.pk])).content.decode()
    assert "must be exactly 16 digits" not in page
