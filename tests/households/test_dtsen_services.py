"""A load's life (households/dtsen/services.py): heartbeats, interruptions, task results."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files import File
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from households.dtsen import services
from households.models import DtsenImport, ImportStatus, Person
from households.synthetic import synthetic_rows, write_csv
from tests.factories import AreaFactory
from tests.households.dtsen_files import VILLAGE

PROJECT = Path(__file__).resolve().parents[2]


def running_task(task_path: str = "households.tasks.import_dtsen_task") -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        run_after=get_date_max(),
        started_at=timezone.now(),
    )


def a_load(status, *, seconds_ago, **fields) -> DtsenImport:
    return DtsenImport.objects.create(
        file_name="dtsen.csv",
        period="2025-Q3",
        status=status,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
        **fields,
    )


@pytest.mark.django_db
def test_a_load_silent_for_a_minute_is_interrupted_and_its_task_closed():
    task = running_task()
    load = a_load(ImportStatus.IMPORTING, seconds_ago=61, holds_register=True, task_id=str(task.id))

    assert services.release_stale_loads() == 1

    load.refresh_from_db()
    assert (load.status, load.holds_register) == (ImportStatus.INTERRUPTED, None)
    assert "worker stopped" in load.message["msgid"]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.finished_at is not None


@pytest.mark.django_db
def test_a_load_that_beat_recently_or_waits_in_the_queue_is_left_alone():
    working = a_load(ImportStatus.CHECKING, seconds_ago=30)
    # A queued load waits for the worker to finish another one: that is not silence.
    queued = a_load(ImportStatus.IMPORT_QUEUED, seconds_ago=3600, holds_register=True)

    assert services.release_stale_loads() == 0

    working.refresh_from_db()
    queued.refresh_from_db()
    assert (working.status, queued.status) == (ImportStatus.CHECKING, ImportStatus.IMPORT_QUEUED)


@pytest.mark.django_db(transaction=True)
def test_a_load_longer_than_the_silence_limit_keeps_beating(tmp_path, settings):
    settings.TKPK_DTSEN_STALE_SECONDS = 1  # beats every 1/6 s
    load = a_load(ImportStatus.CHECKING, seconds_ago=0)

    with services._heartbeat(load.pk):
        time.sleep(1.5)  # a long SQL statement: no progress reports meanwhile
        assert services.release_stale_loads() == 0

    load.refresh_from_db()
    assert load.status == ImportStatus.CHECKING


# ---------------------------------------------------------------------------------------
# A real worker, killed in the middle of a load (PostgreSQL: the worker is another process)


def worker(url: str, media: Path, *args: str) -> subprocess.Popen:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tkpk.settings",
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": str(media),
        "TKPK_DTSEN_STALE_SECONDS": "2",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",  # one process: the one that is killed
            "--no-startup-delay",
            "--interval",
            "0.2",
            *args,
        ],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("waited in vain")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_the_register_free_and_unchanged(
    tmp_path, settings, postgres_url
):
    settings.MEDIA_ROOT = tmp_path
    settings.TKPK_DTSEN_STALE_SECONDS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    AreaFactory(code=VILLAGE, name="Langadai")
    path = tmp_path / "besar.csv"
    write_csv(path, synthetic_rows(villages=[VILLAGE], people=150_000))
    load = DtsenImport.objects.create(
        file_name=path.name, period="2025-Q3", status=ImportStatus.CHECKED
    )
    with path.open("rb") as stream:
        load.file.save(path.name, File(stream))
    services.dtsen_import_start(dtsen_import=load, by=None)

    killed = worker(postgres_url, tmp_path)
    try:
        wait_for(lambda: DtsenImport.objects.get(pk=load.pk).status == ImportStatus.IMPORTING)
        time.sleep(1)  # well into reading the file
        os.kill(killed.pid, signal.SIGKILL)
    finally:
        killed.wait(timeout=10)

    time.sleep(2.5)  # the heartbeat stops
    assert services.release_stale_loads() == 1
    load.refresh_from_db()
    assert (load.status, load.holds_register) == (ImportStatus.INTERRUPTED, None)
    assert DBTaskResult.objects.get(id=load.task_id).status == TaskResultStatus.FAILED
    assert not Person.objects.exists()

    # The register is free, and a new worker takes the next load.
    again = DtsenImport.objects.create(
        file_name=path.name, period="2025-Q3", status=ImportStatus.CHECKED, file=load.file.name
    )
    services.dtsen_import_start(dtsen_import=again, by=None)
    next_worker = worker(postgres_url, tmp_path, "--batch")
    assert next_worker.wait(timeout=120) == 0
    again.refresh_from_db()
    assert again.status == ImportStatus.DONE
    assert Person.objects.count() == 150_000


@pytest.mark.django_db
def test_a_load_marked_interrupted_while_it_ran_does_not_write(tmp_path, monkeypatch):
    AreaFactory(code=VILLAGE, name="Langadai")
    path = tmp_path / "dtsen.csv"
    write_csv(path, synthetic_rows(villages=[VILLAGE], people=3))
    load = DtsenImport.objects.create(
        file_name=path.name,
        period="2025-Q3",
        status=ImportStatus.IMPORT_QUEUED,
        holds_register=True,
    )
    with path.open("rb") as stream:
        load.file.save(path.name, File(stream))
    real = services._progress_updater

    def progress_while_a_page_calls_it_dead(dtsen_import_id):
        def progress(phase, done, total):
            real(dtsen_import_id)(phase, done, total)
            if phase == "writing":  # its worker looked dead for a minute meanwhile
                DtsenImport.objects.filter(pk=dtsen_import_id).update(
                    status=ImportStatus.INTERRUPTED, holds_register=None
                )

        return progress

    monkeypatch.setattr(services, "_progress_updater", progress_while_a_page_calls_it_dead)
    services.dtsen_import_run(dtsen_import_id=load.pk)

    load.refresh_from_db()
    assert load.status == ImportStatus.INTERRUPTED
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_stop_on_the_page_stops_an_import_dtsen_run_with_one_line(tmp_path, monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    AreaFactory(code=VILLAGE, name="Langadai")
    path = tmp_path / "dtsen.csv"
    write_csv(path, synthetic_rows(villages=[VILLAGE], people=3))
    real = services._progress_updater

    def stopped_while_reading(dtsen_import_id):
        def progress(phase, done, total):
            load = DtsenImport.objects.get(pk=dtsen_import_id)
            assert services.dtsen_import_cancel(dtsen_import=load)  # Stop, on the page
            real(dtsen_import_id)(phase, done, total)

        return progress

    monkeypatch.setattr(services, "_progress_updater", stopped_while_reading)
    with pytest.raises(CommandError) as raised:
        call_command("import_dtsen", str(path), "--period", "2025-Q3")

    assert raised.value.returncode == 2 and "\n" not in str(raised.value)
    assert DtsenImport.objects.get().status == ImportStatus.CANCELLED
    assert not Person.objects.exists()
