"""The secretariat reads a pillar's ranking, adjusts a score with a reason, confirms the
winner and downloads its certificate; a leader reads the same page without its forms."""

import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import axe_violations
from tests.browser.test_shell import sign_in
from tests.programs.conftest import verified_plan  # noqa: F401 - the scene's plan
from tests.reports.awards.conftest import TODAY, scene  # noqa: F401 - the hand-built year
from tkpk.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture
def live_scene(transactional_db, monkeypatch, scene):  # noqa: F811
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    return scene


def test_secretariat_adjusts_confirms_and_prints_a_certificate(
    page, live_server, live_scene, users
):
    sign_in(page, live_server, users[Role.SECRETARIAT].username)
    page.goto(f"{live_server.url}/penghargaan/2026/")
    page.get_by_role("link", name=live_scene.income.name).click()
    ranking = page.get_by_test_id("ranking")
    expect(ranking).to_contain_text("Capaian target: 80,00 % × 40 = 32")
    assert axe_violations(page) == []

    adjust = page.get_by_test_id("adjust-form")
    adjust.get_by_label("Kandidat").select_option(
        label="Dinas Tenaga Kerja dan Transmigrasi (Perangkat daerah)"
    )
    adjust.get_by_label("Skor disesuaikan").fill("85,5")
    adjust.get_by_role("button", name="Simpan penyesuaian").click()
    expect(page.get_by_text("Wajib diisi bila ada skor")).to_be_visible()
    expect(page.get_by_text("Tuliskan alasan penyesuaiannya.")).to_be_visible()
    adjust = page.get_by_test_id("adjust-form")
    adjust.get_by_label("Alasan penyesuaian").fill("Laporan tertunda karena banjir Juli")
    adjust.get_by_role("button", name="Simpan penyesuaian").click()
    expect(page.get_by_role("status")).to_contain_text("disesuaikan")
    first = page.get_by_test_id("candidate-row").first
    expect(first).to_contain_text("Dinas Tenaga Kerja dan Transmigrasi")
    expect(first).to_contain_text("Laporan tertunda karena banjir Juli")

    winners = page.get_by_test_id("winners-form")
    winners.get_by_label("Dinas Tenaga Kerja dan Transmigrasi (Perangkat daerah)").check()
    winners.get_by_role("button", name="Tetapkan pemenang").click()
    expect(page.get_by_role("status")).to_contain_text("Pemenang telah ditetapkan.")
    expect(page.get_by_test_id("winner-badge")).to_have_count(1)
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Piagam (PDF)").click()
    text = PdfReader(io.BytesIO(download.value.path().read_bytes())).pages[0].extract_text()
    assert "Dinas Tenaga Kerja dan Transmigrasi" in " ".join(text.split())

    page.context.clear_cookies()  # signed out: the leader signs in on the same browser
    sign_in(page, live_server, users[Role.LEADER].username)
    page.goto(f"{live_server.url}/penghargaan/kategori/{live_scene.income.pk}/")
    expect(page.get_by_test_id("ranking")).to_contain_text("Laporan tertunda karena banjir Juli")
    expect(page.get_by_test_id("adjust-form")).to_have_count(0)
    assert axe_violations(page) == []
