"""The secretariat writes a recommendation into the year-end report, builds the document in
the background while the page shows its progress, downloads the PDF and finds the
recommendation in it."""

import re
import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

import reports.tasks
from reports.models import BuildStatus, ReportBuild
from reports.year_end.services import report_build_run
from tests.browser.conftest import axe_violations
from tests.browser.test_shell import sign_in
from tests.factories import AreaFactory, UserFactory
from tkpk.models import Role

pytestmark = pytest.mark.browser

RECOMMENDATION = "Perluas padat karya desa di Pulau Sebuku"


class SlowWorker:
    """Stands in for the worker: builds in a thread a moment after the build is queued, so
    that the page shows the waiting build and its progress before the files."""

    def __init__(self):
        self.threads = []

    def enqueue(self, build_id):
        def work():
            time.sleep(1.5)
            try:
                report_build_run(build_id)
            finally:
                connection.close()

        thread = threading.Thread(target=work)
        thread.start()
        self.threads.append(thread)
        return SimpleNamespace(id=f"slow-{build_id}")

    def join(self):
        for thread in self.threads:
            thread.join(timeout=120)


@pytest.fixture
def worker(monkeypatch):
    slow = SlowWorker()
    monkeypatch.setattr(reports.tasks, "report_build_task", slow)
    yield slow
    slow.join()


@pytest.fixture
def secretariat(transactional_db, settings, tmp_path):
    settings.TKPK_REGION_CODE = "63.02"
    settings.MEDIA_ROOT = tmp_path
    AreaFactory(code="63", name="Kalimantan Selatan")
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    AreaFactory(code="63.02.01", name="Pulau Sebuku")
    return UserFactory(username="uji.sekretariat", role=Role.SECRETARIAT)


def test_secretariat_writes_a_recommendation_and_finds_it_in_the_pdf(
    page, live_server, secretariat, worker
):
    year = timezone.localdate().year
    sign_in(page, live_server, secretariat.username)
    menu = page.get_by_role("navigation", name="Menu utama")
    menu.get_by_role("link", name="Laporan Akhir Tahun").click()
    expect(page.get_by_test_id("no-reports")).to_be_visible()
    expect(page.get_by_label("Tahun laporan")).to_have_value(str(year))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Mulai atau buka laporan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Laporan Akhir Tahun {year}")

    section = page.get_by_test_id("section-recommendations")
    expect(section).to_contain_text("Belum ditulis.")
    section.locator("summary").click()
    section.get_by_label("Rekomendasi").fill(f"- {RECOMMENDATION}\n- Satukan data **DTSEN**")
    assert axe_violations(page) == []
    section.get_by_role("button", name="Simpan").click()
    section = page.get_by_test_id("section-recommendations")
    expect(section.get_by_role("listitem").first).to_have_text(RECOMMENDATION)
    expect(section.locator("strong")).to_have_text("DTSEN")

    page.get_by_role("button", name="Susun dokumen").click()
    panel = page.get_by_test_id("build-panel")
    # The page polls the build: its progress first, then the files, without a reload.
    expect(panel.get_by_role("progressbar")).to_be_visible()
    assert axe_violations(page) == []
    expect(panel.get_by_test_id("download-pdf")).to_be_visible(timeout=90_000)
    expect(panel.get_by_role("progressbar")).to_have_count(0)
    build = ReportBuild.objects.get()
    assert build.status == BuildStatus.DONE, build.error
    expect(panel).to_contain_text("dari data pada saat itu (draf)")
    assert axe_violations(page) == []

    with page.expect_download() as downloading:
        panel.get_by_test_id("download-pdf").click()
    download = downloading.value
    assert download.suggested_filename == f"Laporan-TKPK-Kabupaten-Kotabaru-{year}.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert RECOMMENDATION in re.sub(r"\s+", " ", text)
