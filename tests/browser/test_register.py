import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_shell import sign_in
from tkpk.models import Role

pytestmark = pytest.mark.browser


def rows(page):
    return page.locator("#results tbody tr")


def test_secretariat_filters_the_register_in_place(page, live_server, register):
    sign_in(page, live_server, register[Role.SECRETARIAT].username)
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Rumah Tangga"
    ).click()
    expect(rows(page)).to_have_count(3)
    assert axe_violations(page) == []

    page.get_by_label("Kecamatan").select_option(label="Kelumpang Tengah")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("JAMILAH")
    expect(page).to_have_url(f"{live_server.url}/rumah-tangga/?district=63.02.06")
    # The village select now offers only the district's villages.
    village = page.get_by_label("Desa")
    expect(village.locator("option")).to_have_text(["Semua desa/kelurahan", "Tarjun"])

    page.get_by_label("Kecamatan").select_option(label="Kelumpang Hilir")
    expect(rows(page)).to_have_count(2)
    page.get_by_label("Desa").select_option(label="Langadai")
    page.get_by_label("NIK, No. KK, atau nama").fill("bahru")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("BAHRUDIN")
    expect(page.get_by_role("button", name="Ekspor ke Excel")).to_be_visible()
    # The address carries a token for the search text, never the text itself.
    expect(page).to_have_url(
        re.compile(r"\?cari=[\w-]+&district=63\.02\.17&village=63\.02\.17\.2003$")
    )
    assert "bahru" not in page.url

    # A reload of the pushed address gives the same result as a whole page.
    page.reload()
    expect(rows(page)).to_have_count(1)
    expect(page.get_by_label("NIK, No. KK, atau nama")).to_have_value("bahru")


def test_leader_sees_masked_card_numbers(page, live_server, register):
    sign_in(page, live_server, register[Role.LEADER].username)
    page.goto(f"{live_server.url}/rumah-tangga/")
    expect(rows(page).first.locator("code")).to_have_text("6302********0003")
    expect(page.get_by_role("button", name="Ekspor ke Excel")).to_have_count(0)
    rows(page).first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("6302********0003")
    assert axe_violations(page) == []
