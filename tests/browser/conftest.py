import os
import shutil
from pathlib import Path

import pytest

from households.models import Relationship
from tests.factories import AgencyFactory, AreaFactory, HouseholdFactory, PersonFactory, UserFactory
from tkpk.models import Role

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TKPK_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_URL = "/__test__/axe.min.js"  # never reaches the server: see axe_violations
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI and was not found at {CHROMIUM}")
        pytest.skip("Debian's chromium package is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="id-ID", timezone_id="Asia/Makassar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run axe-core on the current page; return the serious and critical violations.

    An inline script would break the page's Content Security Policy (script-src 'self'),
    so axe is loaded as a same-origin script that Playwright answers from the file.
    """
    origin = page.evaluate("location.origin")
    page.route(f"{origin}{AXE_URL}", lambda route: route.fulfill(path=str(AXE)))
    page.add_script_tag(url=f"{origin}{AXE_URL}")
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture
def register(transactional_db, settings):
    """Three households in two villages of Kotabaru, two agencies, and who signs in."""
    settings.TKPK_REGION_CODE = "63.02"
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    AreaFactory(code="63.02.17", name="Kelumpang Hilir")
    AreaFactory(code="63.02.06", name="Kelumpang Tengah")
    langadai = AreaFactory(code="63.02.17.2003", name="Langadai")
    tarjun = AreaFactory(code="63.02.06.2013", name="Tarjun")
    for no_kk, village, head, desil in [
        ("6302170101200001", langadai, "AHMAD FAUZI", 1),
        ("6302170101200002", langadai, "BAHRUDIN", 4),
        ("6302060101200003", tarjun, "JAMILAH", 7),
    ]:
        household = HouseholdFactory(no_kk=no_kk, village=village, desil=desil)
        PersonFactory(household=household, name=head, relationship=Relationship.HEAD)
    AgencyFactory(acronym="Dinsos", name="Dinas Sosial")
    AgencyFactory(acronym="Disnaker", name="Dinas Tenaga Kerja")
    return {
        role: UserFactory(username=f"uji.{role}", role=role)
        for role in (Role.SECRETARIAT, Role.LEADER, Role.ADMIN)
    }
