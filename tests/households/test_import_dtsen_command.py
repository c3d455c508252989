"""`manage.py import_dtsen`: the contract the tests, the benchmark and scripts rely on.

`--json` prints one object; exit status 0 when the file was read, 2 with one line on
stderr when it was not; `--dry-run` writes nothing; two imports never hold the register
at once.
"""

import datetime
import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from households.dtsen import staging
from households.dtsen.services import current_period
from households.models import (
    DtsenImport,
    Household,
    HouseholdDesil,
    ImportStatus,
    Person,
)
from tests.factories import AreaFactory
from tests.households.dtsen_files import (
    DTSEN_HEADERS,
    VILLAGE,
    kk,
    nik,
    person,
    table,
    write_csv,
    write_encrypted_xlsx,
    write_far_cell_xlsx,
    write_pdf_as_xlsx,
    write_xlsx,
)

PROJECT = Path(__file__).resolve().parents[2]
CONTRACT = {
    "rows",
    "created",
    "updated",
    "unchanged",
    "error_count",
    "warning_count",
    "errors",
    "warnings",
    "households",
    "desil_records",
    "ignored_columns",
}
HEADERS = DTSEN_HEADERS | {"nik": "NIK", "no_kk": "No. KK", "desil": "Desil"}
HEADERS_WITH_EXTRA = HEADERS | {"catatan": "Catatan Petugas"}


@pytest.fixture
def village(db):
    return AreaFactory(code=VILLAGE, name="Langadai")


def run(*args) -> str:
    """Run the command in this process; its stdout."""
    out = StringIO()
    call_command("import_dtsen", *(str(arg) for arg in args), stdout=out, stderr=StringIO())
    return out.getvalue()


def run_json(*args) -> dict:
    out = run(*args, "--json")
    assert out.count("\n") <= 1, "one JSON object, on one line"
    return json.loads(out)  # fails on anything printed besides the object


def refused(*args) -> str:
    """Run the command expecting a file-level failure; its one-line message."""
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert message.strip() and "\n" not in message
    return message


@pytest.fixture
def mixed_file(tmp_path, village):
    """Two households, one rejected row, one warning, one household conflict, one extra column."""
    people = [
        person(1, hubungan="Kepala Keluarga", desil="3", catatan="ok"),  # row 2
        person(2, no_kk=kk(1), hubungan="Anak", desil="4"),  # row 3: desil differs
        person(3, nik="630217010190003"),  # row 4: 15 digits
        person(4, hubungan="Pacar"),  # row 5: unknown relationship
    ]
    return write_csv(tmp_path, table(people, headers=HEADERS_WITH_EXTRA), delimiter="|")


def test_json_prints_one_object_with_the_contract_keys(mixed_file):
    data = run_json(mixed_file, "--period", "2025-Q3")

    assert set(data) == CONTRACT
    assert {key: data[key] for key in ("rows", "created", "updated", "unchanged")} == {
        "rows": 4,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }
    assert (data["error_count"], data["warning_count"]) == (1, 2)
    assert data["households"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert data["ignored_columns"] == ["Catatan Petugas"]
    [error] = data["errors"]
    assert set(error) == {"row", "column", "message"}
    assert (error["row"], error["column"]) == (4, "NIK")
    assert "630217010190003" in error["message"]
    assert [(w["row"], w["column"]) for w in data["warnings"]] == [
        (3, "Desil"),
        (5, "status_hubungan_keluarga"),
    ]
    assert all(isinstance(w["message"], str) and w["message"] for w in data["warnings"])


def test_json_problem_lists_are_complete_and_counts_match_them(tmp_path, village):
    people = [person(n, nik=f"99{n:014d}") for n in range(1, 61)]
    path = write_csv(tmp_path, table(people, headers=HEADERS))

    data = run_json(path, "--period", "2025-Q3")

    assert data["error_count"] == 60 == len(data["errors"])
    assert [error["row"] for error in data["errors"]] == list(range(2, 62))
    assert data["created"] == 0
    assert not Person.objects.exists()


def test_json_has_the_same_counts_as_the_register_shows(mixed_file):
    data = run_json(mixed_file, "--period", "2025-Q3")

    assert Person.objects.count() == data["created"]
    assert Household.objects.count() == data["households"]["created"]
    assert Household.objects.get(no_kk=kk(1)).desil == 3


def test_the_summary_without_json_tells_counts_and_problems_by_row(mixed_file):
    out = run(mixed_file, "--period", "2025-Q3")

    [error_line] = [line for line in out.splitlines() if "630217010190003" in line]
    assert re.search(r"\b4\b", error_line) and "NIK" in error_line  # row 4, column NIK
    [warning_line] = [line for line in out.splitlines() if "Pacar" in line]
    assert re.search(r"\b5\b", warning_line) and "status_hubungan_keluarga" in warning_line
    assert "Catatan Petugas" in out
    assert re.search(r"\b4\b.*\b3\b.*\b1\b", out.splitlines()[0])  # read, accepted, rejected


def test_a_second_run_of_the_same_file_reports_everything_unchanged(mixed_file):
    run_json(mixed_file, "--period", "2025-Q3")

    data = run_json(mixed_file, "--period", "2025-Q3")

    assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 3)
    assert data["households"] == {"created": 0, "updated": 0, "unchanged": 2}


def test_dry_run_writes_nothing_and_reports_what_the_import_then_does(mixed_file):
    checked = run_json(mixed_file, "--period", "2025-Q3", "--dry-run")

    assert not Person.objects.exists()
    assert not Household.objects.exists()
    assert not DtsenImport.objects.exists()
    imported = run_json(mixed_file, "--period", "2025-Q3")
    assert checked == imported


def test_dry_run_says_so_in_the_summary(mixed_file):
    plain = run(mixed_file, "--period", "2025-Q3")
    Person.objects.all().delete()
    Household.objects.all().delete()

    dry = run(mixed_file, "--period", "2025-Q3", "--dry-run")

    assert len(dry.splitlines()) == len(plain.splitlines()) + 1
    assert not Person.objects.exists()


def test_an_import_is_kept_as_a_done_snapshot_with_its_report(mixed_file):
    data = run_json(mixed_file, "--period", "2025-q4")

    snapshot = DtsenImport.objects.get()
    assert snapshot.status == ImportStatus.DONE
    assert (snapshot.file_name, snapshot.period, snapshot.created_by) == (
        mixed_file.name,
        "2025-Q4",
        None,
    )
    assert snapshot.finished_at is not None
    assert snapshot.holds_register is None
    kept = {key: snapshot.report[key] for key in CONTRACT}
    for problem in (*kept["errors"], *kept["warnings"]):
        del problem["i18n"]  # the same message, kept to show it in the reader's language
    assert kept == data
    assert set(HouseholdDesil.objects.values_list("dtsen_import", "period")) == {
        (snapshot.pk, "2025-Q4")
    }


def test_the_period_defaults_to_the_current_quarter(tmp_path, village):
    path = write_csv(tmp_path, table([person(1, desil="2")]))

    run(path)

    assert DtsenImport.objects.get().period == current_period(timezone.localdate())
    assert Household.objects.get().desil_period == current_period(timezone.localdate())


def test_a_sheet_is_chosen_by_name(tmp_path, village):
    path = write_xlsx(
        tmp_path,
        table([person(1)]),
        sheet="Keluarga",
        sheets_before={"Petunjuk": [["Baca dulu"]]},
    )

    data = run_json(path, "--sheet", "Keluarga", "--period", "2025-Q3")

    assert data["created"] == 1
    assert DtsenImport.objects.get().sheet == "Keluarga"


# ---------------------------------------------------------------------------------------
# File-level failures: exit status 2, one line, nothing written


@pytest.fixture
def known(village, tmp_path_factory):
    path = write_csv(tmp_path_factory.mktemp("known"), table([person(9)]))
    run(path, "--period", "2025-Q2")
    return list(Person.objects.values()), list(Household.objects.values())


def assert_unchanged(known):
    assert (list(Person.objects.values()), list(Household.objects.values())) == known
    assert not DtsenImport.objects.filter(holds_register=True).exists()
    assert not DtsenImport.objects.filter(status=ImportStatus.DONE, period="2025-Q3").exists()


def test_a_pdf_renamed_xlsx_exits_2(tmp_path, known):
    message = refused(write_pdf_as_xlsx(tmp_path), "--period", "2025-Q3")

    assert "dtsen.xlsx" in message
    assert_unchanged(known)


def test_a_password_protected_workbook_exits_2(tmp_path, known):
    refused(write_encrypted_xlsx(tmp_path, table([person(1)])), "--period", "2025-Q3")

    assert_unchanged(known)


def test_a_file_without_the_required_columns_exits_2(tmp_path, known):
    path = write_csv(tmp_path, [["NIK", "Nama"], [nik(), "SITI"]])

    message = refused(path, "--period", "2025-Q3")

    assert "No. KK" in message and "Kode Desa" in message
    assert_unchanged(known)


def test_an_empty_file_exits_2(tmp_path, known):
    path = tmp_path / "kosong.csv"
    path.touch()

    refused(path, "--period", "2025-Q3")

    assert_unchanged(known)


def test_a_missing_file_exits_2(tmp_path, known):
    message = refused(tmp_path / "tidak-ada.xlsx", "--period", "2025-Q3")

    assert "tidak-ada.xlsx" in message
    assert_unchanged(known)


@pytest.mark.parametrize("period", ["2025", "2025-Q5", "Q3-2025", "2025-3"])
def test_a_bad_period_exits_2_before_reading_anything(tmp_path, known, period):
    path = write_csv(tmp_path, table([person(1)]))

    message = refused(path, "--period", period)

    assert "2025-Q3" in message  # the example of a good period
    assert_unchanged(known)


def test_an_unknown_sheet_exits_2_naming_the_sheets(tmp_path, known):
    path = write_xlsx(tmp_path, table([person(1)]), sheet="Keluarga")

    message = refused(path, "--sheet", "Data", "--period", "2025-Q3")

    assert "Keluarga" in message
    assert_unchanged(known)


def test_a_file_that_failed_is_kept_as_a_failed_load_that_frees_the_register(tmp_path, known):
    refused(write_pdf_as_xlsx(tmp_path), "--period", "2025-Q3")

    for failed in DtsenImport.objects.exclude(status=ImportStatus.DONE):
        assert failed.status == ImportStatus.FAILED
        assert failed.message
    path = write_csv(tmp_path, table([person(1)]))
    assert run_json(path, "--period", "2025-Q3")["created"] == 1


def test_a_crash_mid_import_frees_the_register_and_writes_nothing(tmp_path, known, monkeypatch):
    def crash(self, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(staging.Staging, "write", crash)
    path = write_csv(tmp_path, table([person(1)]))

    with pytest.raises(RuntimeError):
        run(path, "--period", "2025-Q3")

    assert_unchanged(known)
    assert DtsenImport.objects.get(period="2025-Q3").status == ImportStatus.FAILED


# ---------------------------------------------------------------------------------------
# One import at a time


def other_import(*, heartbeat_seconds_ago: int) -> DtsenImport:
    return DtsenImport.objects.create(
        file_name="dtsen-kotabaru-lain.xlsx",
        period="2025-Q3",
        status=ImportStatus.IMPORTING,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=heartbeat_seconds_ago),
        holds_register=True,
    )


def test_an_import_while_another_holds_the_register_exits_2_and_writes_nothing(tmp_path, village):
    running = other_import(heartbeat_seconds_ago=5)
    path = write_csv(tmp_path, table([person(1)]))

    message = refused(path, "--period", "2025-Q3")

    assert "dtsen-kotabaru-lain.xlsx" in message
    assert not Person.objects.exists()
    assert list(DtsenImport.objects.all()) == [running]
    running.refresh_from_db()
    assert (running.status, running.holds_register) == (ImportStatus.IMPORTING, True)


def test_a_register_held_50_seconds_without_news_is_still_busy(tmp_path, village):
    other_import(heartbeat_seconds_ago=50)
    path = write_csv(tmp_path, table([person(1)]))

    refused(path, "--period", "2025-Q3")

    assert not Person.objects.exists()


def test_a_holder_silent_for_over_a_minute_is_interrupted_and_the_import_runs(tmp_path, village):
    stale = other_import(heartbeat_seconds_ago=61)
    path = write_csv(tmp_path, table([person(1)]))

    data = run_json(path, "--period", "2025-Q3")

    assert data["created"] == 1
    stale.refresh_from_db()
    assert (stale.status, stale.holds_register) == (ImportStatus.INTERRUPTED, None)
    assert "worker stopped" in stale.message["msgid"]
    assert DtsenImport.objects.get(holds_register=None, status=ImportStatus.DONE)


def test_a_dry_run_does_not_need_the_register(tmp_path, village):
    other_import(heartbeat_seconds_ago=5)
    path = write_csv(tmp_path, table([person(1)]))

    assert run_json(path, "--dry-run", "--period", "2025-Q3")["created"] == 1
    assert not Person.objects.exists()


# ---------------------------------------------------------------------------------------
# As a real process: exit status and stderr


def manage(*args, database_url: str) -> subprocess.CompletedProcess:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "manage.py", "import_dtsen", *(str(arg) for arg in args)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "case",
    ["pdf", "missing", "bad-period", "no-header", "far-cell"],
)
def test_a_file_level_failure_exits_2_with_one_line_on_stderr(tmp_path, case):
    # Each case fails before the database is touched, so the process gets an empty one.
    good = write_csv(tmp_path, table([person(1)]), name="good.csv")
    args = {
        "pdf": [write_pdf_as_xlsx(tmp_path), "--dry-run"],
        "missing": [tmp_path / "hilang.csv"],
        "bad-period": [good, "--period", "2025-Q9"],
        "no-header": [write_csv(tmp_path, [["NIK"], [nik()]], name="nohead.csv"), "--dry-run"],
        # Its reader aborts: what it prints (a backtrace) stays out of stderr.
        "far-cell": [write_far_cell_xlsx(tmp_path), "--dry-run"],
    }[case]

    result = manage(*args, "--json", database_url=f"sqlite:///{tmp_path / 'unused.sqlite3'}")

    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].strip()


def test_rows_with_errors_still_exit_0_as_a_real_process(
    tmp_path, transactional_db, village, postgres_url
):
    path = write_csv(tmp_path, table([person(1), person(2, nik="123")]), delimiter="|")

    result = manage(path, "--json", "--period", "2025-Q3", database_url=postgres_url)

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["created"], data["error_count"]) == (1, 1)
    assert list(Person.objects.values_list("nik", flat=True)) == [nik(serial=1)]
    assert DtsenImport.objects.get().status == ImportStatus.DONE
