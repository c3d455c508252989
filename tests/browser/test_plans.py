"""An agency reports a quarter's progress with evidence; the secretariat returns it; the
agency reads why on its home page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Progress, QuarterReport, ReviewStatus
from programs.plan_services import plan_create, plan_review, plan_submit
from tests.browser.conftest import axe_violations
from tests.browser.test_partners import PDF, sign_out
from tests.browser.test_shell import sign_in
from tests.factories import ActivityFactory, AgencyFactory, PillarFactory, UserFactory
from tkpk.models import Role

pytestmark = pytest.mark.browser


def test_an_agency_reports_a_quarter_with_evidence_and_reads_why_it_was_returned(
    page, live_server, transactional_db
):
    today = timezone.localdate()
    # The last quarter that has ended, or the first while it is still running.
    quarter = max(1, (today.month - 1) // 3)
    dinsos = AgencyFactory(acronym="Dinsos P3AP2KB", name="Dinas Sosial P3AP2KB")
    operator = UserFactory(username="uji.opd", role=Role.AGENCY, agency=dinsos)
    secretariat = UserFactory(username="uji.sekretariat", role=Role.SECRETARIAT)
    plan = plan_create(agency=dinsos, year=today.year, by=operator)
    ActivityFactory(
        plan=plan,
        name="Pelatihan menjahit bagi perempuan kepala keluarga",
        pillar=PillarFactory(order=2),
        updated_by=operator,
    )
    plan = plan_submit(plan=plan, version=plan.version, by=operator)
    plan_review(plan=plan, version=plan.version, verified=True, by=secretariat)

    sign_in(page, live_server, operator.username)
    due = page.get_by_test_id("due")
    report_link = f"Laporan triwulan {quarter} tahun {today.year}"
    expect(due).to_contain_text(report_link)
    assert axe_violations(page) == []
    due.get_by_role("link", name=report_link).click()
    page.get_by_role("link", name="Isi").click()
    page.get_by_label("Realisasi (orang)").fill("20")
    page.get_by_label("Anggaran terserap (Rp)").fill("18.500.000")
    page.get_by_label("Penerima manfaat terjangkau").fill("20")
    page.get_by_label("Yang telah dilaksanakan").fill("Pelatihan angkatan pertama di Langadai")
    page.get_by_label("Berkas bukti").set_input_files(
        {"name": "daftar-hadir.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("link", name="daftar-hadir.pdf")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("alert").first).to_contain_text("telah dikirim ke sekretariat")
    report = QuarterReport.objects.get(plan=plan, quarter=quarter)
    assert report.status == ReviewStatus.SUBMITTED
    assert Progress.objects.get(report=report).spent == 18_500_000
    sign_out(page)

    sign_in(page, live_server, secretariat.username)
    page.goto(f"{live_server.url}/rencana-aksi/rekap/")
    assert axe_violations(page) == []
    cell = page.locator(f'[data-testid="matrix-cell"][data-quarter="{quarter}"]')
    expect(cell).to_have_attribute("data-state", "submitted")
    cell.get_by_role("link").click()
    assert axe_violations(page) == []
    page.get_by_label("Catatan").fill("Lampirkan foto kegiatan dan rincian belanja.")
    page.get_by_role("button", name="Kembalikan").click()
    expect(page.get_by_role("alert").first).to_contain_text("dikembalikan ke perangkat daerah")
    sign_out(page)

    sign_in(page, live_server, operator.username)
    returned = page.get_by_test_id("returned")
    expect(returned).to_contain_text("Lampirkan foto kegiatan dan rincian belanja.")
    expect(returned).to_contain_text(report_link)
    assert axe_violations(page) == []
    report.refresh_from_db()
    assert report.status == ReviewStatus.RETURNED
