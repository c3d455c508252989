import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory
from tkpk.models import Role

pytestmark = pytest.mark.browser

MENUS = {
    Role.ADMIN: [
        "Beranda",
        "Dasbor",
        "Statistik",
        "Wilayah",
        "Rumah Tangga",
        "Program",
        "Mitra",
        "Rencana Aksi",
        "Laporan Akhir Tahun",
        "Penghargaan",
        "Muat DTSEN",
        "Perangkat Daerah",
        "Pengguna",
        "Administrasi",
    ],
    Role.SECRETARIAT: [
        "Beranda",
        "Dasbor",
        "Statistik",
        "Wilayah",
        "Rumah Tangga",
        "Program",
        "Mitra",
        "Rencana Aksi",
        "Laporan Akhir Tahun",
        "Penghargaan",
        "Muat DTSEN",
        "Perangkat Daerah",
        "Pengguna",
    ],
    Role.AGENCY: ["Beranda", "Program", "Mitra", "Rencana Aksi", "Perangkat Daerah Saya"],
    Role.LEADER: [
        "Beranda",
        "Dasbor",
        "Statistik",
        "Rumah Tangga",
        "Program",
        "Mitra",
        "Rencana Aksi",
        "Laporan Akhir Tahun",
        "Penghargaan",
        "Perangkat Daerah",
    ],
    Role.PARTNER: ["Beranda", "Program", "Mitra Saya"],
}


@pytest.fixture
def accounts(transactional_db, settings):
    settings.TKPK_REGION_CODE = "63.02"
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    AreaFactory(code="63.02.17.2003", name="Langadai")
    agency = AgencyFactory(acronym="Dinsos P3AP2KB", name="Dinas Sosial P3AP2KB")
    return {
        role: UserFactory(
            username=f"uji.{role}", role=role, agency=agency if role == Role.AGENCY else None
        )
        for role in Role.values
    }


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")


def test_login_page_passes_accessibility_check(page, live_server, accounts):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/masuk/?next=/")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("role", Role.values)
def test_each_role_signs_in_and_sees_its_menu(page, live_server, accounts, role):
    sign_in(page, live_server, accounts[role].username)
    expect(page.get_by_role("banner")).to_contain_text("TKPK Kabupaten Kotabaru")
    menu = page.get_by_role("navigation", name="Menu utama").get_by_role("link")
    expect(menu).to_have_text(MENUS[role])
    assert axe_violations(page) == []

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(f"{live_server.url}/masuk/")


def test_menu_folds_away_on_a_phone(page, live_server, accounts):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server, accounts[Role.SECRETARIAT].username)
    areas = page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Wilayah")
    expect(areas).to_be_hidden()
    page.get_by_role("button", name="Tampilkan atau sembunyikan menu").click()
    expect(areas).to_be_visible()
    areas.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wilayah Kabupaten Kotabaru")
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1000, 1280])
def test_the_header_never_pushes_the_page_sideways(page, live_server, accounts, width):
    """The longest menu (an administrator's) and a long name still fit a small laptop."""
    admin = accounts[Role.ADMIN]
    admin.name = "Muhammad Abdurrahman Syahputra Wijaya Kusumanegara"
    admin.save()
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server, admin.username)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.get_by_role("navigation", name="Menu utama").get_by_role("link")).to_have_text(
        MENUS[Role.ADMIN]
    )
