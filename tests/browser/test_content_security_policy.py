"""The pages work under the Content Security Policy, and nothing they do is refused by it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_shell import sign_in
from tkpk.models import Role

pytestmark = pytest.mark.browser

# Reported to the page by the browser; the init script forwards each one to the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


@pytest.fixture
def problems(page):
    """What the browser refused or failed at: policy violations, console errors, JS errors."""
    found = []
    page.expose_function("reportViolation", lambda text: found.append(f"CSP: {text}"))
    page.add_init_script(REPORT_VIOLATIONS)

    def console(message):
        # The site has no favicon; the browser's request for one is not a page's doing.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            found.append(f"console: {message.text} {message.location['url']}")

    page.on("console", console)
    page.on("pageerror", lambda error: found.append(f"error: {error}"))
    page.on("response", lambda r: r.status >= 400 and found.append(f"{r.status} {r.url}"))
    return found


def rows(page):
    return page.locator("#results tbody tr")


def test_the_main_pages_and_live_filtering_work_under_the_policy(
    page, live_server, register, problems
):
    sign_in(page, live_server, register[Role.SECRETARIAT].username)
    assert page.evaluate("htmx.config.allowEval") is False

    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Rumah Tangga"
    ).click()
    expect(rows(page)).to_have_count(3)
    # Typing filters in place (htmx), and the address carries a token, not the text.
    page.get_by_label("NIK, No. KK, atau nama").fill("6302170101200002")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("BAHRUDIN")
    expect(page).to_have_url(re.compile(r"/rumah-tangga/\?cari=[\w-]+$"))
    assert "6302170101200002" not in page.url
    # A new district narrows the villages and drops the village chosen before.
    page.get_by_label("NIK, No. KK, atau nama").fill("")
    expect(rows(page)).to_have_count(3)
    page.get_by_label("Kecamatan").select_option(label="Kelumpang Hilir")
    expect(rows(page)).to_have_count(2)
    page.get_by_label("Desa").select_option(label="Langadai")
    expect(page).to_have_url(re.compile(r"district=63\.02\.17&village=63\.02\.17\.2003$"))
    page.get_by_label("Kecamatan").select_option(label="Kelumpang Tengah")
    expect(rows(page)).to_have_count(1)
    expect(page.get_by_label("Desa").locator("option")).to_have_text(
        ["Semua desa/kelurahan", "Tarjun"]
    )
    expect(page).to_have_url(f"{live_server.url}/rumah-tangga/?district=63.02.06")
    # Back goes to the previous filter: htmx asks the server, it keeps no copy of the page.
    page.go_back()
    expect(page).to_have_url(re.compile(r"village=63\.02\.17\.2003$"))
    expect(rows(page)).to_have_count(2)
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None

    rows(page).first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("6302170101200001")

    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Muat DTSEN").click()
    expect(page.get_by_role("button", name="Unggah dan periksa")).to_be_visible()

    # Bootstrap's JavaScript: the user menu opens.
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    assert problems == []


def test_the_admin_and_its_javascript_work_under_the_policy(page, live_server, register, problems):
    sign_in(page, live_server, register[Role.ADMIN].username)
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(f"{live_server.url}/admin/tkpk/agency/")
    # actions.js: "select all" ticks every row and counts them.
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("2 dari 2")
    page.goto(f"{live_server.url}/admin/tkpk/user/{register[Role.SECRETARIAT].pk}/change/")
    expect(page.locator("#id_username")).to_have_value(register[Role.SECRETARIAT].username)
    assert problems == []
