"""The register on a phone: households as cards, nothing off screen, nothing scrolls sideways."""

import pytest
from playwright.sync_api import expect

from households.models import Relationship
from tests.browser.conftest import axe_violations
from tests.browser.test_shell import sign_in
from tests.factories import AreaFactory, HouseholdFactory, PersonFactory, UserFactory
from tkpk.models import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def register(transactional_db, settings):
    settings.TKPK_REGION_CODE = "63.02"
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    AreaFactory(code="63.02.17", name="Kelumpang Hilir")
    village = AreaFactory(code="63.02.17.2003", name="Sungai Kupang Jaya")
    for no_kk, head, desil in [
        ("6302170101200001", "SITI NURHALIZAH BINTI MUHAMMAD ABDULLAH", 10),
        ("6302170101200002", "BAHRUDIN", 4),
    ]:
        household = HouseholdFactory(
            no_kk=no_kk, village=village, desil=desil, desil_period="2025-Q4"
        )
        PersonFactory(household=household, name=head, relationship=Relationship.HEAD)
    return {
        role: UserFactory(username=f"uji.{role}", role=role)
        for role in (Role.SECRETARIAT, Role.LEADER)
    }


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        """() => document.documentElement.scrollWidth > window.innerWidth
           || [...document.querySelectorAll('.table-responsive')]
                .some((box) => box.scrollWidth > box.clientWidth)"""
    )


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.LEADER])
def test_on_a_phone_every_household_shows_its_card_number_head_village_and_desil(
    page, live_server, register, role
):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, register[role].username)
    page.goto(f"{live_server.url}/rumah-tangga/")
    cards = page.locator("#results tbody tr")
    expect(cards).to_have_count(2)
    assert not scrolls_sideways(page)
    first = cards.first
    no_kk = "6302170101200001" if role == Role.SECRETARIAT else "6302********0001"
    # Scrolled down to (the page is taller than the phone), each is wholly on screen.
    for text in (no_kk, "SITI NURHALIZAH BINTI MUHAMMAD ABDULLAH", "Sungai Kupang Jaya"):
        first.get_by_text(text).scroll_into_view_if_needed()
        expect(first.get_by_text(text)).to_be_in_viewport(ratio=1)
    desil = first.get_by_test_id("desil")
    expect(desil).to_have_text("10")
    desil.scroll_into_view_if_needed()
    expect(desil).to_be_in_viewport(ratio=1)
    box = desil.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Each line says what it is, in the interface's language.
    assert desil.evaluate("(cell) => getComputedStyle(cell, '::before').content") == '"Desil"'
    assert axe_violations(page) == []


def test_on_a_wide_screen_the_households_stay_a_table(page, live_server, register):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, register[Role.SECRETARIAT].username)
    page.goto(f"{live_server.url}/rumah-tangga/")
    expect(page.get_by_role("columnheader", name="Desil")).to_be_visible()
    assert (
        page.locator("#results tbody tr").first.evaluate("(row) => getComputedStyle(row).display")
        == "table-row"
    )
    assert not scrolls_sideways(page)
