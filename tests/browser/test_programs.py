import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Enrollment
from tests.browser.conftest import axe_violations
from tests.browser.test_shell import sign_in
from tests.factories import ProgramFactory, UserFactory, VillageQuotaFactory
from tkpk.models import Agency, Role

pytestmark = pytest.mark.browser


def test_the_lead_agency_enrols_from_the_eligible_list_and_the_quota_goes_down(
    page, live_server, register
):
    disnaker = Agency.objects.get(acronym="Disnaker")
    program = ProgramFactory(
        code="KTB-WMP-2025",
        name="Pemberdayaan Warga Miskin Produktif",
        end_date=timezone.localdate() + datetime.timedelta(days=90),  # running today
        lead_agency=disnaker,
        max_desil=4,
        min_age=18,
        max_age=59,
        one_per_household=True,
    )
    VillageQuotaFactory(program=program, village_id="63.02.17.2003", quota=4)
    VillageQuotaFactory(program=program, village_id="63.02.06.2013", quota=10)
    operator = UserFactory(username="uji.disnaker", role=Role.AGENCY, agency=disnaker)

    sign_in(page, live_server, operator.username)
    # The home page lists the agency's running program.
    page.get_by_role("link", name="Pemberdayaan Warga Miskin Produktif").click()
    langadai = page.locator("tr[data-village='63.02.17.2003']")
    expect(langadai.get_by_test_id("places-left")).to_have_text("4")
    assert axe_violations(page) == []

    langadai.get_by_role("link", name="Warga yang memenuhi syarat").click()
    expect(page.get_by_test_id("quota-left")).to_contain_text("4 dari 4 tempat tersisa")
    candidates = page.get_by_test_id("candidate")
    # Desil 1 before desil 4; JAMILAH (desil 7, Tarjun) is not on Langadai's list.
    expect(candidates).to_have_count(2)
    expect(candidates.first).to_contain_text("AHMAD FAUZI")
    assert axe_violations(page) == []

    candidates.first.get_by_role("button", name="Daftarkan AHMAD FAUZI").click()
    expect(page.get_by_role("alert").first).to_contain_text("AHMAD FAUZI terdaftar di KTB-WMP-2025")
    expect(page.get_by_test_id("quota-left")).to_contain_text("3 dari 4 tempat tersisa")
    expect(page.get_by_test_id("candidate")).to_have_count(1)
    assert Enrollment.objects.get().person.name == "AHMAD FAUZI"

    page.get_by_role("link", name="KTB-WMP-2025").click()
    expect(langadai.get_by_test_id("places-left")).to_have_text("3")
    expect(page.get_by_test_id("participants-table")).to_contain_text("AHMAD FAUZI")
