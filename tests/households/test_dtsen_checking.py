"""Hostile files: none may kill the worker or eat the machine (households/dtsen/checking.py).

Each file is built by the test and sent through the upload page's background path and
through `import_dtsen`; after it, a good file still loads. Memory is asserted on the child
process that read the file, which reports its own peak.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from households.dtsen.loading import dtsen_load
from households.dtsen.reading import DtsenFileError
from households.models import DtsenImport, Household, ImportStatus, Person
from tests.factories import AreaFactory
from tests.households.dtsen_files import (
    VILLAGE,
    person,
    table,
    write_csv,
    write_far_cell_xlsx,
    write_truncated_sheet_xlsx,
    write_unclosed_row_xlsx,
    write_zip_bomb_xlsx,
)
from tkpk.models import Role

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
HEADER = {"nik": "NIK", "no_kk": "No KK", "nama": "Nama", "village": "Kode Desa"}


@pytest.fixture(autouse=True)
def village(db):
    return AreaFactory(code=VILLAGE, name="Langadai")


@pytest.fixture
def secretariat(client, users):
    client.force_login(users[Role.SECRETARIAT])
    return client


def upload(client, path, execute):
    """Upload as the page does; the check runs at once (the test settings' task backend)."""
    with execute(execute=True), path.open("rb") as stream:
        client.post(
            reverse("households:dtsen_list"),
            {"file": SimpleUploadedFile(path.name, stream.read()), "period": "2025-Q3"},
        )
    return DtsenImport.objects.latest("pk")


def command(path) -> str:
    """Run import_dtsen, which must fail on the file: the msgid of the failed load's message."""
    with pytest.raises(CommandError) as raised:
        call_command("import_dtsen", str(path), "--period", "2025-Q3")
    assert raised.value.returncode == 2
    assert path.name in str(raised.value) and "\n" not in str(raised.value)
    failed = DtsenImport.objects.latest("pk")
    assert failed.status == ImportStatus.FAILED
    return failed.message["msgid"]


def a_good_file_still_loads(client, tmp_path, execute) -> None:
    """After a hostile file, the next one is taken and checked as usual."""
    good = upload(client, write_csv(tmp_path, table([person(1)]), name="baik.csv"), execute)
    assert good.status == ImportStatus.CHECKED
    assert good.summary.accepted == 1


def assert_nothing_written() -> None:
    assert not Person.objects.exists()
    assert not Household.objects.exists()


def test_a_cell_at_xfd1048576_fails_the_load_not_the_worker(
    secretariat, tmp_path, django_capture_on_commit_callbacks
):
    path = write_far_cell_xlsx(tmp_path)
    assert path.stat().st_size < 10_000

    load = upload(secretariat, path, django_capture_on_commit_callbacks)

    assert load.status == ImportStatus.FAILED
    assert load.message["msgid"].startswith("The file could not be read: the reader stopped")
    page = secretariat.get(reverse("households:dtsen_detail", args=[load.pk])).content.decode()
    assert "hx-trigger" not in page  # no progress bar left waiting
    assert reverse("households:dtsen_list") in page  # upload another file
    assert_nothing_written()
    a_good_file_still_loads(secretariat, tmp_path, django_capture_on_commit_callbacks)


def test_a_cell_far_away_fails_import_dtsen_with_one_line(tmp_path):
    message = command(write_far_cell_xlsx(tmp_path, "ZZ100000"))

    assert message.startswith("The file could not be read: the reader stopped")
    assert_nothing_written()


def test_rejected_rows_are_counted_and_kept_on_disk_not_in_memory(tmp_path, settings):
    def all_rejected(rows):
        path = tmp_path / f"satu-{rows}.csv"
        path.write_text("NIK,No KK,Nama,Kode Desa\n" + "1,1,1,1\n" * rows)
        return dtsen_load(path=path, period="2025-Q3", dry_run=True)

    small, large = all_rejected(10_000), all_rejected(100_000)

    assert (large.rows, large.accepted) == (100_000, 0)
    assert large.errors.count == 300_000
    assert len(large.errors.first) == settings.TKPK_DTSEN_STORED_PROBLEMS
    assert sum(1 for _problem in large.errors) == 300_000  # all of them, from the file
    # Ten times the problems, the same memory: 270,000 more problems held as objects
    # would take some 50 MB more.
    assert large.reader_peak_memory - small.reader_peak_memory < 10 * MB


def test_a_file_of_rejected_rows_is_checked_on_the_upload_page_with_every_problem_counted(
    secretariat, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "satu.csv"
    path.write_text("NIK,No KK,Nama,Kode Desa\n" + "1,1,1,1\n" * 20_000)

    load = upload(secretariat, path, django_capture_on_commit_callbacks)

    assert load.status == ImportStatus.CHECKED
    assert (load.summary.rejected, load.summary.error_count) == (20_000, 60_000)
    assert len(load.summary.stored_errors) == 200  # the rest are in the error report
    assert load.error_report
    page = secretariat.get(reverse("households:dtsen_detail", args=[load.pk])).content.decode()
    assert reverse("households:dtsen_import", args=[load.pk]) not in page  # nothing to import


def test_import_dtsen_json_streams_every_error(tmp_path, capsys):
    path = tmp_path / "satu.csv"
    path.write_text("NIK,No KK,Nama,Kode Desa\n" + "1,1,1,1\n" * 5_000)

    call_command("import_dtsen", str(path), "--dry-run", "--json", "--period", "2025-Q3")

    data = json.loads(capsys.readouterr().out)
    assert data["error_count"] == len(data["errors"]) == 15_000
    assert [(e["row"], e["column"]) for e in data["errors"][-3:]] == [
        (5_001, "NIK"),
        (5_001, "No KK"),
        (5_001, "Kode Desa"),
    ]


def test_a_zip_bomb_is_refused_before_it_is_read(
    secretariat, tmp_path, django_capture_on_commit_callbacks
):
    path = write_zip_bomb_xlsx(tmp_path, megabytes=120)
    assert path.stat().st_size < 2 * MB

    load = upload(secretariat, path, django_capture_on_commit_callbacks)

    assert load.status == ImportStatus.FAILED
    assert "times its size" in load.message["msgid"]
    assert_nothing_written()
    assert "times its size" in command(path)
    a_good_file_still_loads(secretariat, tmp_path, django_capture_on_commit_callbacks)


@pytest.mark.parametrize("streamed", [False, True], ids=["calamine", "streamed"])
def test_a_row_that_never_closes_is_an_error_not_an_empty_file(tmp_path, settings, streamed):
    if streamed:
        settings.TKPK_XLSX_STREAM_BYTES = 0
    path = write_unclosed_row_xlsx(tmp_path, megabytes=20)

    with pytest.raises(DtsenFileError) as raised, translation.override("en"):
        dtsen_load(path=path, period="2025-Q3", dry_run=True)

    assert ("longer than 16 MB" if streamed else "damaged") in str(raised.value)
    expected = "The workbook cannot be read after" if streamed else "The workbook is damaged"
    assert command(path).startswith(expected)
    assert_nothing_written()


@pytest.mark.parametrize("streamed", [False, True], ids=["calamine", "streamed"])
def test_a_truncated_workbook_is_an_error_never_zero_rows(tmp_path, settings, streamed):
    if streamed:
        settings.TKPK_XLSX_STREAM_BYTES = 0
    path = write_truncated_sheet_xlsx(tmp_path, [list(person(1).values())])

    with pytest.raises(DtsenFileError):
        dtsen_load(path=path, period="2025-Q3", dry_run=True)

    # Neither "0 rows" nor a missing header: a damaged file.
    assert command(path).startswith(("The workbook is damaged", "The workbook cannot be read"))
    assert_nothing_written()


def test_a_header_without_rows_is_an_error(tmp_path):
    path = write_csv(tmp_path, [list(HEADER.values())])

    with pytest.raises(DtsenFileError, match="no rows"), translation.override("en"):
        dtsen_load(path=path, period="2025-Q3", dry_run=True)


def test_a_file_that_needs_too_much_processor_time_fails_with_a_message(
    secretariat, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.TKPK_DTSEN_READER_CPU_SECONDS = 1
    path = tmp_path / "lama.csv"
    path.write_text("NIK,No KK,Nama,Kode Desa\n" + "1,1,1,1\n" * 300_000)

    load = upload(secretariat, path, django_capture_on_commit_callbacks)

    assert load.status == ImportStatus.FAILED
    assert "processor time" in load.message["msgid"]
    settings.TKPK_DTSEN_READER_CPU_SECONDS = 60
    a_good_file_still_loads(secretariat, tmp_path, django_capture_on_commit_callbacks)
