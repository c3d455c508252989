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

PHONE = {"width": 390, "height": 844}


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
    expect(ranking).to_contain_text("80,00 % × 40 = 32,00")
    assert axe_violations(page) == []

    adjust = page.get_by_test_id("adjust-form")
    adjust.get_by_label("Kandidat").select_option(
        label="Dinas Tenaga Kerja dan Transmigrasi (Perangkat daerah)"
    )
    adjust.get_by_label("Skor disesuaikan").fill("85,5")
    adjust.get_by_role("button", name="Simpan penyesuaian").click()
    # Said at the top, where the page opens, and under the field, where it is corrected.
    expect(page.get_by_test_id("refused")).to_contain_text("Tuliskan alasan penyesuaiannya.")
    adjust = page.get_by_test_id("adjust-form")
    expect(adjust.get_by_text("Wajib diisi bila ada skor")).to_be_visible()
    expect(adjust.get_by_text("Tuliskan alasan penyesuaiannya.")).to_be_visible()
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


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        """() => document.documentElement.scrollWidth > window.innerWidth
           || [...document.querySelectorAll('.table-responsive')]
                .some((box) => box.scrollWidth > box.clientWidth)"""
    )


def test_on_a_phone_a_leader_reads_every_score_of_the_ranking(page, live_server, live_scene, users):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, users[Role.LEADER].username)
    page.goto(f"{live_server.url}/penghargaan/kategori/{live_scene.income.pk}/")
    rows = page.get_by_test_id("candidate-row")
    expect(rows).to_have_count(4)
    assert not scrolls_sideways(page)
    dinsos = rows.filter(has_text="Dinas Sosial P3AP2KB")
    # Each part on its own line, then the scores: all of it on screen once scrolled to.
    for text in ("Laporan triwulan tepat waktu:", "66,67 % × 15 = 10,00", "65,00"):
        dinsos.get_by_text(text).first.scroll_into_view_if_needed()
        expect(dinsos.get_by_text(text).first).to_be_in_viewport(ratio=1)
    assert axe_violations(page) == []


def test_a_refused_form_far_down_is_said_at_the_top_and_linked(
    page, live_server, live_scene, users
):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, users[Role.SECRETARIAT].username)
    page.goto(f"{live_server.url}/penghargaan/kategori/{live_scene.income.pk}/")
    add = page.get_by_test_id("add-form")
    add.get_by_label("Lainnya (kecamatan, desa, organisasi)").check()
    add.get_by_label("Nama kecamatan, desa atau organisasi").fill("Desa Megasari")
    add.get_by_label("Alasan pengusulan").fill("BUMDes membuka 30 lapangan kerja")
    add.get_by_role("button", name="Tambahkan kandidat").click()
    alert = page.get_by_test_id("refused")
    expect(alert).to_be_in_viewport()  # where the page opens, not far below
    expect(alert).to_contain_text("Berikan skornya")
    alert.get_by_role("link").click()
    add = page.get_by_test_id("add-form")
    expect(add).to_be_in_viewport()
    expect(add.get_by_label("Nama kecamatan, desa atau organisasi")).to_have_value("Desa Megasari")
    assert axe_violations(page) == []
