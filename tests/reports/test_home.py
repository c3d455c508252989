"""The home page's year-end panel: the latest report and its winners for leaders, each
operator's own standing in this year's awards (scores known by hand: awards/conftest.py)."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.awards.candidates import CandidateKey
from reports.awards.services import award_score_adjust, award_winners_confirm
from reports.models import BuildStatus, CandidateKind, ReportBuild
from reports.year_end.services import report_finalise, year_end_report_start
from tests.reports.awards import conftest as awards
from tests.reports.awards.conftest import TODAY, YEAR
from tkpk.models import Role

# The awards' hand-built year, as a fixture of this module too.
scene = awards.scene


@pytest.fixture(autouse=True)
def _on_the_counting_day(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _panel(html: str) -> str:
    start = html.index('data-testid="year-end-glance"')
    return html[start : html.index("</section>", start)]


def test_an_agency_operator_sees_where_its_agency_stands_and_why(client, users, scene):
    panel = _panel(_home(client, users[Role.AGENCY]))
    assert "Posisi Anda dalam penghargaan 2026" in panel
    assert "peringkat 2 dari 4, skor 65,00" in panel
    # Each part of the score, so the agency knows what to improve.
    assert "capaian target 80 %" in panel and "serapan anggaran 60 %" in panel
    assert "PT Sebuku" not in panel  # the others' scores are the secretariat's page


def test_an_adjusted_score_is_shown_with_its_reason_and_the_method_opens(client, users, scene):
    award_score_adjust(
        category=scene.income,
        key=CandidateKey(CandidateKind.AGENCY, scene.dinsos.pk),
        score=Decimal("85.5"),
        reason="Laporan tertunda karena banjir",
        by=users[Role.SECRETARIAT],
    )
    panel = _panel(_home(client, users[Role.AGENCY]))
    assert (
        "Skor hitungan 65,00, disesuaikan sekretariat menjadi 85,50: Laporan tertunda karena banjir"
    ) in panel
    method = reverse("reports:award_method", args=[YEAR])
    assert method in panel
    assert client.get(method).status_code == 200
    assert client.post(method, {}).status_code == 403


def test_a_partner_operator_sees_its_own_standing(client, users, scene):
    panel = _panel(_home(client, users[Role.PARTNER]))
    assert "peringkat 3 dari 4, skor 63,50" in panel


def test_an_operator_outside_every_category_sees_no_panel(client, users, db):
    assert 'data-testid="year-end-glance"' not in _home(client, users[Role.AGENCY])


def test_a_leader_sees_the_report_its_files_and_the_confirmed_winners(client, users, scene):
    secretariat = users[Role.SECRETARIAT]
    report = year_end_report_start(year=YEAR, by=secretariat)
    build = ReportBuild.objects.create(report=report, status=BuildStatus.DONE)
    build.pdf.save("laporan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    award_winners_confirm(
        category=scene.income,
        winners=[CandidateKey(CandidateKind.PARTNER, scene.sebuku.pk)],
        by=secretariat,
        today=TODAY,
    )
    panel = _panel(_home(client, users[Role.LEADER]))
    assert "Laporan Akhir Tahun 2026" in panel and "Draf" in panel
    assert reverse("reports:year_end_download", args=[build.pk, "pdf"]) in panel
    assert f"{scene.income.name}: PT Sebuku" in panel
    assert reverse("reports:award_year", args=[YEAR]) in panel


def test_a_leader_sees_no_panel_before_any_report_or_winner(client, users, db):
    assert 'data-testid="year-end-glance"' not in _home(client, users[Role.LEADER])


def test_an_operator_learns_of_its_win_once_the_report_is_signed(client, users, scene):
    secretariat = users[Role.SECRETARIAT]
    award_winners_confirm(
        category=scene.income,
        winners=[CandidateKey(CandidateKind.AGENCY, scene.dinsos.pk)],
        by=secretariat,
        today=TODAY,
    )
    assert "Pemenang" not in _panel(_home(client, users[Role.AGENCY]))  # the rakor announces

    report = year_end_report_start(year=YEAR, by=secretariat)
    report_finalise(report=report, version=report.version, by=secretariat, today=TODAY)
    panel = _panel(_home(client, users[Role.AGENCY]))
    assert "Pemenang" in panel and "peringkat 2 dari 4, skor 65,00" in panel
