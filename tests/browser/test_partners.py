import datetime
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from partners.models import Partner, Realisation, RealisationStatus
from tests.browser.conftest import axe_violations
from tests.browser.test_register_phone import PHONE, scrolls_sideways
from tests.browser.test_shell import sign_in
from tests.factories import CommitmentFactory, PartnerFactory, PledgeFactory, UserFactory
from tkpk.models import Role

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def sign_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()


def test_a_partner_records_a_realisation_with_evidence_and_the_secretariat_verifies_it(
    page, live_server, transactional_db
):
    arutmin = PartnerFactory(name="PT Arutmin Indonesia NPLCT")
    today = timezone.localdate()
    commitment = CommitmentFactory(
        title="Komitmen Bersama Kotabaru",
        partners=[arutmin, PartnerFactory(name="Bank Kalsel Cabang Kotabaru")],
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=120),
    )
    PledgeFactory(commitment=commitment, partner=arutmin, quantity=100_000_000)
    mitra = UserFactory(username="uji.mitra", role=Role.PARTNER, partner=arutmin)
    secretariat = UserFactory(username="uji.sekretariat", role=Role.SECRETARIAT)

    sign_in(page, live_server, mitra.username)
    due = page.get_by_test_id("due")
    expect(due).to_contain_text("Rp 100.000.000")
    assert axe_violations(page) == []
    due.get_by_role("link", name="Catat realisasi").click()
    page.get_by_label("Tanggal diserahkan").fill(today.isoformat())
    page.get_by_label("Jumlah yang diserahkan").fill("40.000.000")
    page.get_by_label("Catatan").fill("Transfer tahap pertama")
    page.get_by_label("Berkas bukti").set_input_files(
        {"name": "bukti-transfer.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert").first).to_contain_text("menunggu verifikasi")
    expect(page.get_by_role("link", name="bukti-transfer.pdf")).to_be_visible()
    realisation = Realisation.objects.get()
    assert realisation.status == RealisationStatus.SUBMITTED
    assert realisation.entered_by == mitra
    sign_out(page)

    sign_in(page, live_server, secretariat.username)
    queue = page.get_by_test_id("realisations-awaiting")
    expect(queue).to_contain_text("1 realisasi mitra menunggu verifikasi Anda")
    queue.get_by_role("link", name="PT Arutmin Indonesia NPLCT: Rp 40.000.000").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_role("alert").first).to_contain_text("Realisasi telah diverifikasi.")
    realisation.refresh_from_db()
    assert (realisation.status, realisation.reviewed_by) == (
        RealisationStatus.VERIFIED,
        secretariat,
    )

    page.goto(f"{live_server.url}/komitmen/{commitment.pk}/")
    tallies = page.get_by_test_id("tallies").first
    expect(tallies).to_contain_text("Rp 40.000.000")
    expect(tallies).to_contain_text("40 %")


def test_on_a_phone_the_partners_list_and_a_partners_page_do_not_scroll_sideways(
    page, live_server, transactional_db
):
    # The demo needs the pillars a migration seeds, which the browser test before this one
    # flushed away with the rest of its data.
    import_module("programs.migrations.0002_seed_pillars").seed(django_apps, None)
    call_command("seed_demo", force=True, stdout=StringIO(), stderr=StringIO())
    UserFactory(username="uji.sekretariat", role=Role.SECRETARIAT)
    arutmin = Partner.objects.get(name="PT Arutmin Indonesia NPLCT")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "uji.sekretariat")
    for path in ("/mitra/?year=2026", f"/mitra/{arutmin.pk}/"):
        page.goto(f"{live_server.url}{path}")
        assert not scrolls_sideways(page), path
        assert axe_violations(page) == [], path
    # Each pledge is a card, its figures wholly on screen once scrolled to.
    pledged = page.get_by_test_id("pledge-row").first.get_by_text("Rp 40.000.000")
    pledged.scroll_into_view_if_needed()
    expect(pledged).to_be_in_viewport(ratio=1)
