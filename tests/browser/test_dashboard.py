"""A leader drills down the dashboard in a browser: the region's map, a district's map, a
village, and the households behind one of its numbers, with the No. KK masked."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from households.models import Relationship
from reports.boundaries import DEMO_BOUNDARIES, DEMO_SOURCE, boundaries_import
from reports.summaries import summaries_refresh
from tests.browser.conftest import axe_violations
from tests.browser.test_shell import sign_in
from tests.factories import (
    AreaFactory,
    EnrollmentFactory,
    HouseholdFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
)
from tkpk.models import Role

pytestmark = pytest.mark.browser

# A point of an SVG link that the link itself receives (not a neighbour, a name label or
# the legend): the map is clicked where a person would click it.
POINT_IN_LINK = """link => {
    const box = link.getBoundingClientRect();
    for (let step = 8; step <= 32; step *= 2) {
        for (let i = 1; i < step; i++) {
            for (let j = 1; j < step; j++) {
                const x = box.left + box.width * i / step, y = box.top + box.height * j / step;
                const hit = document.elementFromPoint(x, y);
                if (hit && link.contains(hit) && hit.tagName.toLowerCase() !== 'title') {
                    return {x, y};
                }
            }
        }
    }
    return null;
}"""


@pytest.fixture
def kotabaru(transactional_db, settings):
    """Three districts of the demo boundaries; the register lives in Pulaulaut Utara.

    Sungai Taib: four households, three poor (desil 1, 2, 3) and one of desil 7; the desil 1
    household takes part in a program of this year, so two poor ones are reached by none.
    Stagen: one household of desil 5. Langadai (Kelumpang Hilir): one household of desil 2.
    """
    settings.TKPK_REGION_CODE = "63.02"
    year = timezone.localdate().year
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    AreaFactory(code="63.02.06", name="Pulaulaut Utara")
    AreaFactory(code="63.02.17", name="Kelumpang Hilir")
    AreaFactory(code="63.02.22", name="Pulaulaut Sigam")
    sungai_taib = AreaFactory(code="63.02.06.2013", name="Sungai Taib")
    stagen = AreaFactory(code="63.02.06.2011", name="Stagen")
    AreaFactory(code="63.02.06.2012", name="Rampa")
    langadai = AreaFactory(code="63.02.17.2003", name="Langadai")
    AreaFactory(code="63.02.22.2008", name="Sigam")
    heads = {}
    for no_kk, village, head, desil in [
        ("6302060101260001", sungai_taib, "AHMAD FAUZI", 1),
        ("6302060101260002", sungai_taib, "BAHRUDIN", 2),
        ("6302060101260003", sungai_taib, "JAMILAH", 3),
        ("6302060101260004", sungai_taib, "SITI AMINAH", 7),
        ("6302060101260005", stagen, "RUSLAN", 5),
        ("6302170101260006", langadai, "MASRAN", 2),
    ]:
        household = HouseholdFactory(
            no_kk=no_kk, village=village, desil=desil, desil_period=f"{year - 1}-Q3"
        )
        heads[head] = PersonFactory(household=household, name=head, relationship=Relationship.HEAD)
    program = ProgramFactory(
        code="KTB-SEMBAKO",
        name="Sembako Daerah",
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year, 12, 31),
    )
    EnrollmentFactory(
        program=program,
        person=heads["AHMAD FAUZI"],
        enrolled_on=datetime.date(year, 1, 15),
        desil_period_at_enrollment=f"{year - 1}-Q3",
    )
    boundaries_import(DEMO_BOUNDARIES, within="63.02", source=DEMO_SOURCE)
    summaries_refresh(year)
    return UserFactory(username="uji.pimpinan", role=Role.LEADER)


def click_map_area(page, name: str) -> None:
    """Click the area called `name` (its <title> starts "<name>: ") on the page's map."""
    chart = page.locator("[data-figure='wilayah'] [data-testid='figure-chart']")
    area = chart.locator("a").filter(has=page.locator("title", has_text=re.compile(f"^{name}: ")))
    expect(area).to_have_count(1)
    area.scroll_into_view_if_needed()
    point = area.evaluate(POINT_IN_LINK)
    assert point is not None, f"no point of {name} on the map takes a click"
    page.mouse.click(point["x"], point["y"])


def test_a_leader_goes_from_the_region_map_to_a_village_list(page, live_server, kotabaru):
    sign_in(page, live_server, kotabaru.username)
    page.get_by_role("navigation").get_by_role("link", name="Dasbor").first.click()
    expect(page).to_have_url(re.compile(r"/dasbor/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Kotabaru")
    expect(page.get_by_test_id("key-figures")).to_be_visible()
    region_map = page.locator("[data-figure='wilayah'] [data-testid='figure-chart'] svg")
    expect(region_map).to_be_visible()
    # Pulaulaut Utara: 3 of its 5 households are in desil 1–4, its hover text says so.
    expect(region_map.locator("title", has_text="Pulaulaut Utara: 60,00")).to_have_count(1)
    assert axe_violations(page) == []

    click_map_area(page, "Pulaulaut Utara")
    expect(page).to_have_url(re.compile(r"/dasbor/wilayah/63\.02\.06/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pulaulaut Utara")
    village_map = page.locator("[data-figure='wilayah'] [data-testid='figure-chart'] svg")
    expect(village_map.locator("title", has_text="Sungai Taib: 75,00")).to_have_count(1)
    assert axe_violations(page) == []

    click_map_area(page, "Sungai Taib")
    expect(page).to_have_url(re.compile(r"/dasbor/wilayah/63\.02\.06\.2013/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sungai Taib")
    lists = page.get_by_test_id("village-lists")
    lists.get_by_role("link", name="Rumah tangga miskin yang tidak terjangkau program").click()

    expect(page).to_have_url(re.compile(r"/dasbor/wilayah/63\.02\.06\.2013/daftar/eksklusi/"))
    rows = page.get_by_test_id("household-row")
    # BAHRUDIN (desil 2) before JAMILAH (desil 3); AHMAD FAUZI is reached, SITI AMINAH is
    # not poor, and Stagen's and Langadai's households live elsewhere.
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("BAHRUDIN")
    expect(rows.nth(1)).to_contain_text("JAMILAH")
    expect(rows.nth(0).get_by_role("rowheader")).to_have_text("6302********0002")
    table = page.get_by_test_id("household-list")
    expect(table).not_to_contain_text("6302060101260002")
    expect(table.get_by_role("link")).to_have_count(0)  # no way to the household for a leader
    assert axe_violations(page) == []
