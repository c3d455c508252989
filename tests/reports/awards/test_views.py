"""The awards pages: who sees and does what, the forms and their messages, a final year."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports.awards.candidates import CandidateKey
from reports.awards.services import award_winners_confirm
from reports.models import (
    AwardCandidate,
    AwardCategory,
    AwardMethod,
    CandidateKind,
    ReportStatus,
    YearEndReport,
)
from tests.reports.awards.conftest import YEAR
from tkpk.models import Role

AGENCY, PARTNER, OTHER = CandidateKind.AGENCY, CandidateKind.PARTNER, CandidateKind.OTHER


@pytest.fixture(autouse=True)
def counted_on_1_december(monkeypatch):
    """The pages count scores today: here 1 December 2026, as the scene's are worked out."""
    from tests.reports.awards.conftest import TODAY

    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode() if status == 200 else response


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- roles -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECRETARIAT, Role.LEADER])
def test_the_region_readers_read_every_awards_page(client, users, scene, role):
    urls = [
        reverse("reports:award_index"),
        reverse("reports:award_year", args=[YEAR]),
        reverse("reports:award_category", args=[scene.income.pk]),
    ]
    for url in urls:
        assert page(client, users[role], url)


@pytest.mark.parametrize("role", [Role.AGENCY, Role.PARTNER])
def test_operators_and_partners_see_no_ranking_only_the_published_method(
    client, users, scene, role
):
    client.force_login(users[role])
    winner = AwardCandidate.objects.create(
        category=scene.income, kind=AGENCY, agency=scene.dinsos, is_winner=True
    )
    for url in (
        reverse("reports:award_year", args=[YEAR]),
        reverse("reports:award_category", args=[scene.income.pk]),
        reverse("reports:award_certificate", args=[winner.pk]),
        reverse("reports:award_certificates", args=[YEAR]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("reports:award_start", args=[YEAR + 1]))
    assert response.status_code == 403
    method = reverse("reports:award_method", args=[YEAR])
    html = client.get(method).content.decode()
    assert 'data-testid="method-text"' in html and 'data-testid="weights-form"' not in html
    assert client.post(method, {"agency_achievement": 100}).status_code == 403


def test_a_leader_reads_but_cannot_decide(client, users, scene):
    leader = users[Role.LEADER]
    html = page(client, leader, reverse("reports:award_category", args=[scene.income.pk]))
    assert 'data-testid="adjust-form"' not in html and 'data-testid="winners-form"' not in html
    method = page(client, leader, reverse("reports:award_method", args=[YEAR]))
    assert 'data-testid="weights-form"' not in method
    for name, args in (
        ("award_start", [YEAR]),
        ("award_method", [YEAR]),
        ("award_winners_confirm", [scene.income.pk]),
    ):
        assert client.post(reverse(f"reports:{name}", args=args), {}).status_code == 403
    assert not AwardCandidate.objects.exists()


# --- the year ----------------------------------------------------------------------------


def test_the_secretariat_starts_a_year_and_sees_its_categories(client, users, db):
    secretariat = users[Role.SECRETARIAT]
    html = page(client, secretariat, reverse("reports:award_year", args=[YEAR]))
    assert 'data-testid="start-form"' in html
    response = client.post(reverse("reports:award_start", args=[YEAR]), follow=True)
    assert messages_of(response) == [
        "Penghargaan tahun 2026 dimulai: satu kategori untuk setiap pilar strategi."
    ]
    html = response.content.decode()
    assert html.count('data-testid="category-card"') == AwardCategory.objects.count() == 4
    assert 'data-testid="start-form"' not in html
    assert "Pengurangan beban pengeluaran" in html


def test_the_year_page_shows_leading_candidates_and_winners(client, users, scene):
    award_winners_confirm(
        category=scene.income,
        winners=[CandidateKey(PARTNER, scene.sebuku.pk)],
        by=users[Role.SECRETARIAT],
    )
    html = page(client, users[Role.LEADER], reverse("reports:award_index"))
    assert "PT Sebuku Iron Lateritic Ores" in html and "80,00" in html
    assert "4 kandidat" in html
    assert 'data-testid="winners"' in html
    assert reverse("reports:award_certificates", args=[YEAR]) in html


def test_in_january_the_menu_opens_last_years_awards_until_this_years_start(
    client, users, scene, monkeypatch
):
    import datetime

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2027, 1, 15))
    html = page(client, users[Role.LEADER], reverse("reports:award_index"))
    assert "Penghargaan 2026" in html and scene.income.name in html
    AwardCategory.objects.create(year=2027, name="Desa terbaik", order=101)
    html = page(client, users[Role.LEADER], reverse("reports:award_index"))
    assert "Penghargaan 2027" in html and scene.income.name not in html


def test_a_special_category_is_added_and_a_taken_name_refused(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    url = reverse("reports:award_category_create", args=[YEAR])
    response = client.post(url, {"name": "Desa inovatif"})
    special = AwardCategory.objects.get(name="Desa inovatif")
    assert response.url == reverse("reports:award_category", args=[special.pk])
    response = client.post(url, {"name": scene.income.name})
    assert response.status_code == 400
    assert "sudah memiliki kategori bernama" in response.content.decode()


# --- the method --------------------------------------------------------------------------


def test_the_method_page_explains_in_plain_words_with_the_weights(client, users, db):
    html = page(client, users[Role.LEADER], reverse("reports:award_method", args=[YEAR]))
    assert "<strong>Capaian target, 40 %</strong>" in html
    assert "alasan tertulis" in html


def test_the_secretariat_sets_the_weights_and_is_told_when_they_do_not_add_up(client, users, db):
    client.force_login(users[Role.SECRETARIAT])
    url = reverse("reports:award_method", args=[YEAR])
    weights = {
        "agency_achievement": 40,
        "agency_absorption": 30,
        "agency_on_time": 20,
        "agency_evidence": 20,
        "partner_realised": 50,
        "partner_value": 30,
        "partner_people": 20,
    }
    response = client.post(url, weights)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bobot perangkat daerah berjumlah 110 %, bukan 100 %: perbaiki bobotnya." in html
    assert 'value="20"' in html  # what was typed stays
    response = client.post(url, {**weights, "agency_on_time": 15, "agency_evidence": 15})
    assert response.status_code == 302
    assert AwardMethod.objects.get(year=YEAR).agency_on_time == 15


# --- a category --------------------------------------------------------------------------


def test_the_category_page_shows_each_part_so_anyone_can_recompute(client, users, scene):
    html = page(
        client, users[Role.LEADER], reverse("reports:award_category", args=[scene.income.pk])
    )
    assert "Capaian target: 80,00 % × 40 = <strong>32</strong>" in html
    assert "Laporan triwulan tepat waktu: 66,67 % × 15 = <strong>10,0005</strong>" in html
    assert "Bukti terverifikasi: 33,33 % × 15 = <strong>4,9995</strong>" in html
    assert (
        "Capaian target: — × 40 = <strong>0</strong> "
        '<span class="text-body-secondary">(belum ada laporan triwulan yang dikirim)</span>'
    ) in html
    assert "65,00" in html
    assert "komitmen umum" in html  # general commitments: said on the page


def test_an_adjustment_needs_a_reason_then_shows_it(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    url = reverse("reports:award_adjust", args=[scene.income.pk])
    key = str(CandidateKey(AGENCY, scene.disnaker.pk))
    response = client.post(url, {"candidate": key, "score": "85,5", "reason": ""})
    assert response.status_code == 400
    assert "Tuliskan alasan penyesuaiannya." in response.content.decode()
    assert not AwardCandidate.objects.exists()
    response = client.post(
        url, {"candidate": key, "score": "85,5", "reason": "Laporan tertunda karena banjir"}
    )
    assert response.status_code == 302
    response = client.get(response.url)
    assert messages_of(response) == ["Skor Dinas Tenaga Kerja dan Transmigrasi disesuaikan."]
    html = response.content.decode()
    assert "Laporan tertunda karena banjir" in html and "85,50" in html
    response = client.post(url, {"candidate": key, "score": "", "reason": ""}, follow=True)
    assert messages_of(response) == [
        "Penyesuaian skor Dinas Tenaga Kerja dan Transmigrasi dihapus."
    ]
    assert not AwardCandidate.objects.exists()


def test_a_village_is_added_by_hand_with_its_score_and_can_be_removed(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    url = reverse("reports:award_candidate_add", args=[scene.income.pk])
    response = client.post(url, {"kind": OTHER, "name": "Desa Tarjun", "justification": "BUMDes"})
    assert response.status_code == 400
    assert "Berikan skornya" in response.content.decode()
    response = client.post(
        url,
        {"kind": OTHER, "name": "Desa Tarjun", "justification": "BUMDes", "score": "90"},
        follow=True,
    )
    assert messages_of(response) == ["Desa Tarjun ditambahkan ke kandidat."]
    html = response.content.decode()
    assert 'data-testid="justification"' in html and "BUMDes" in html
    tarjun = AwardCandidate.objects.get(name="Desa Tarjun")
    response = client.post(
        reverse("reports:award_candidate_remove", args=[scene.income.pk]),
        {"candidate": str(CandidateKey.of_row(tarjun))},
        follow=True,
    )
    assert messages_of(response) == ["Desa Tarjun dihapus dari kandidat."]
    assert not AwardCandidate.objects.exists()


def test_the_winners_are_confirmed_and_get_their_certificate(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    url = reverse("reports:award_winners_confirm", args=[scene.income.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Pilih paling sedikit satu pemenang." in response.content.decode()
    sebuku = str(CandidateKey(PARTNER, scene.sebuku.pk))
    response = client.post(url, {"winners": [sebuku]}, follow=True)
    assert messages_of(response) == ["Pemenang telah ditetapkan."]
    winner = AwardCandidate.objects.get(is_winner=True)
    assert reverse("reports:award_certificate", args=[winner.pk]) in response.content.decode()
    client.force_login(users[Role.LEADER])
    response = client.get(reverse("reports:award_certificate", args=[winner.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="Piagam-2026-' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "PT Sebuku Iron Lateritic Ores" in reader.pages[0].extract_text()
    response = client.get(reverse("reports:award_certificates", args=[YEAR]))
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_no_certificate_without_a_winner(client, users, scene):
    client.force_login(users[Role.LEADER])
    assert client.get(reverse("reports:award_certificates", args=[YEAR])).status_code == 404
    row = AwardCandidate.objects.create(
        category=scene.income,
        kind=AGENCY,
        agency=scene.disnaker,
        adjusted_score=50,
        adjustment_reason="x",
    )
    assert client.get(reverse("reports:award_certificate", args=[row.pk])).status_code == 404


# --- a final year ------------------------------------------------------------------------


def test_a_final_year_shows_no_forms_and_refuses_a_change(client, users, scene):
    YearEndReport.objects.create(
        year=YEAR, status=ReportStatus.FINAL, frozen={}, finalised_at=timezone.now()
    )
    client.force_login(users[Role.SECRETARIAT])
    html = page(
        client, users[Role.SECRETARIAT], reverse("reports:award_category", args=[scene.income.pk])
    )
    assert 'data-testid="year-final"' in html and 'data-testid="adjust-form"' not in html
    response = client.post(
        reverse("reports:award_adjust", args=[scene.income.pk]),
        {
            "candidate": str(CandidateKey(AGENCY, scene.disnaker.pk)),
            "score": "90",
            "reason": "Banjir",
        },
    )
    assert response.status_code == 400
    assert (
        "Laporan akhir tahun 2026 sudah final: penghargaan tahun itu tidak dapat diubah lagi."
        in response.content.decode()
    )
    response = client.post(reverse("reports:award_start", args=[YEAR]), follow=True)
    assert messages_of(response) == [
        "Laporan akhir tahun 2026 sudah final: penghargaan tahun itu tidak dapat diubah lagi."
    ]
    assert not AwardCandidate.objects.exists()


def test_a_year_out_of_range_is_not_found(client, users, db):
    client.force_login(users[Role.LEADER])
    assert client.get(reverse("reports:award_year", args=[1999])).status_code == 404
