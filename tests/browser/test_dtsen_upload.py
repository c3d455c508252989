import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from playwright.sync_api import expect

import households.tasks
from households.dtsen import services
from households.models import DtsenImport, ImportStatus, Person
from households.services import areas_import, read_region_file
from tests.browser.conftest import axe_violations
from tests.browser.test_shell import sign_in
from tests.factories import UserFactory
from tkpk.demo import DEMO_AREAS, DEMO_UPLOAD, UPLOAD_HEADERS
from tkpk.models import Role

pytestmark = pytest.mark.browser


class SlowWorker:
    """Stands in for the worker: runs the task in a thread, a moment after it is queued."""

    def __init__(self, run):
        self.run = run
        self.threads = []

    def enqueue(self, dtsen_import_id):
        def work():
            time.sleep(1.5)  # long enough for the page to show the waiting load
            try:
                self.run(dtsen_import_id=dtsen_import_id)
            finally:
                connection.close()

        thread = threading.Thread(target=work)
        thread.start()
        self.threads.append(thread)
        return SimpleNamespace(id=f"slow-{dtsen_import_id}-{len(self.threads)}")  # a TaskResult

    def join(self):
        for thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture
def workers(monkeypatch):
    check = SlowWorker(services.dtsen_import_check)
    load = SlowWorker(services.dtsen_import_run)
    monkeypatch.setattr(households.tasks, "check_dtsen_task", check)
    monkeypatch.setattr(households.tasks, "import_dtsen_task", load)
    yield check, load
    check.join()
    load.join()


@pytest.fixture
def region(transactional_db, settings, tmp_path):
    settings.TKPK_REGION_CODE = "63.02"
    settings.MEDIA_ROOT = tmp_path
    areas_import(areas=read_region_file(DEMO_AREAS))  # the villages of the example file
    return UserFactory(username="uji.sekretariat", role=Role.SECRETARIAT)


def test_secretariat_uploads_watches_the_check_and_imports(page, live_server, region, workers):
    sign_in(page, live_server, region.username)
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Muat DTSEN").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Berkas DTSEN").set_input_files(str(DEMO_UPLOAD))
    page.get_by_label("Periode").fill("2025-Q4")
    page.get_by_role("button", name="Unggah dan periksa").click()

    status = page.get_by_test_id("load-status")
    expect(status.get_by_role("progressbar")).to_be_visible()
    # The page polls until the check is done, then shows the summary in place.
    expect(page.get_by_test_id("summary")).to_be_visible(timeout=20_000)
    expect(status.get_by_role("progressbar")).to_have_count(0)
    expect(status).to_contain_text(UPLOAD_HEADERS["nomor_induk_kependudukan"])
    expect(page.get_by_role("link", name="Unduh laporan galat (.xlsx)")).to_be_visible()
    assert axe_violations(page) == []
    assert not Person.objects.exists()

    page.get_by_role("button", name="Impor").click()
    expect(status).to_contain_text("Diimpor", timeout=20_000)
    load = DtsenImport.objects.get()
    assert load.status == ImportStatus.DONE
    assert Person.objects.count() == load.report["accepted"]

    page.get_by_role("link", name="Muat DTSEN").first.click()
    expect(page.get_by_role("table")).to_contain_text(DEMO_UPLOAD.name)
