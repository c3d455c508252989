"""The awards pages: who sees and does what, the forms and their messages, a final year."""

import datetime
import io
import re
from decimal import Decimal

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
)
from tests.reports.awards.conftest import TODAY, YEAR, signed_report
from tkpk.models import Role

AGENCY, PARTNER, OTHER = CandidateKind.AGENCY, CandidateKind.PARTNER, CandidateKind.OTHER


@pytest.fixture(autouse=True)
def counted_on_1_december(monkeypatch):
    """The pages count scores today: here 1 December 2026, as the scene's are worked out."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode() if status == 200 else response


def text_of(html: str) -> str:
    """What a reader sees of `html`: its text, on one line."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def refused_alert(html: str) -> str:
    """The text of the alert at the top that says a form was not saved."""
    found = re.search(
        r'<div class="alert alert-danger" role="alert" data-testid="refused">(.*?)</div>',
        html,
        re.S,
    )
    assert found, "no alert says the form was refused"
    return found.group(1)


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
    parts = [text_of(item) for item in re.findall(r"<li class=\"mb-1\">(.*?)</li>", html, re.S)]
    # Points with two decimals, as the document's table writes them (tables.part_written).
    assert "Capaian target: 80,00 % × 40 = 32,00" in parts
    assert "Laporan triwulan tepat waktu: 66,67 % × 15 = 10,00" in parts
    assert "Bukti terverifikasi: 33,33 % × 15 = 5,00" in parts
    assert "Capaian target: — × 40 = 0,00 (belum ada laporan triwulan yang dikirim)" in parts
    assert "65,00" in html
    # 10,0005 + 4,9995 are shown 10,00 + 5,00: the caption says the score sums them exact.
    assert "jumlah poin yang tepat (sebelum dibulatkan)" in html
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
    signed_report(YEAR)
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
    alert = refused_alert(response.content.decode())
    assert (
        "Laporan akhir tahun 2026 sudah final: penghargaan tahun itu tidak dapat diubah lagi."
        in alert
    )
    assert 'href="#' not in alert  # no form on the page to go to
    response = client.post(reverse("reports:award_start", args=[YEAR]), follow=True)
    assert messages_of(response) == [
        "Laporan akhir tahun 2026 sudah final: penghargaan tahun itu tidak dapat diubah lagi."
    ]
    assert not AwardCandidate.objects.exists()


def test_a_final_year_is_counted_on_the_day_it_was_signed_and_says_so(
    client, users, scene, monkeypatch
):
    """In February Q4's report is due: counted today, Dinsos would score 62,50."""
    signed_report(YEAR, finalised_at=timezone.make_aware(datetime.datetime(2026, 12, 15, 10)))
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2027, 2, 1))
    leader = users[Role.LEADER]
    for url in (
        reverse("reports:award_category", args=[scene.income.pk]),
        reverse("reports:award_year", args=[YEAR]),
    ):
        html = page(client, leader, url)
        assert "65,00" in html and "62,50" not in html, url
        note = text_of(html.split('data-testid="year-final"')[1].split("</div>")[0])
        assert "difinalkan pada 15 Desember 2026" in note
        assert "peringkat resmi adalah yang tercantum dalam dokumen yang ditandatangani" in note
        assert reverse("reports:year_end_detail", args=[YEAR]) in html


def test_a_year_out_of_range_is_not_found(client, users, db):
    client.force_login(users[Role.LEADER])
    assert client.get(reverse("reports:award_year", args=[1999])).status_code == 404


# --- a refused form is said at the top ---------------------------------------------------


def test_a_refused_adjustment_is_said_at_the_top_with_a_link_to_the_form(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    key = str(CandidateKey(AGENCY, scene.disnaker.pk))
    response = client.post(
        reverse("reports:award_adjust", args=[scene.income.pk]),
        {"candidate": key, "score": "85,5", "reason": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    alert = refused_alert(html)
    assert "“Sesuaikan skor” belum disimpan:" in alert
    assert "Alasan penyesuaian: Tuliskan alasan penyesuaiannya." in text_of(alert)
    assert 'href="#adjust"' in alert and 'id="adjust"' in html
    # Above the ranking, where the page opens; the form below keeps what was typed.
    assert html.index('data-testid="refused"') < html.index('data-testid="ranking"')
    assert 'value="85,5"' in html


@pytest.mark.parametrize(
    ("url_name", "data", "anchor", "title"),
    [
        ("award_candidate_add", {"kind": "other", "name": "Desa Tarjun"}, "add", "Tambahkan"),
        ("award_winners_confirm", {}, "winners", "Tetapkan pemenang"),
        ("award_category_rename", {"name": ""}, "rename", "Ubah nama penghargaan"),
    ],
)
def test_every_refused_form_of_a_category_links_to_itself(
    client, users, scene, url_name, data, anchor, title
):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse(f"reports:{url_name}", args=[scene.income.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    alert = refused_alert(html)
    assert title in alert and f'href="#{anchor}"' in alert and f'id="{anchor}"' in html


def test_a_refused_special_award_is_said_at_the_top_of_the_year(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("reports:award_category_create", args=[YEAR]), {"name": scene.income.name}
    )
    assert response.status_code == 400
    html = response.content.decode()
    alert = refused_alert(html)
    assert "sudah memiliki kategori bernama" in alert and 'href="#create"' in alert
    assert 'id="create"' in html


# --- renaming and deleting a category ----------------------------------------------------


def test_a_category_is_renamed_from_its_page(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    url = reverse("reports:award_category", args=[scene.income.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="rename-form"' in html
    assert 'data-testid="delete-form"' not in html  # a pillar's award is not deleted
    response = client.post(
        reverse("reports:award_category_rename", args=[scene.income.pk]),
        {"name": "Pemberdayaan ekonomi"},
        follow=True,
    )
    assert messages_of(response) == ["Penghargaan ini sekarang bernama “Pemberdayaan ekonomi”."]
    assert "<h1" in response.content.decode() and "Pemberdayaan ekonomi" in text_of(
        response.content.decode().split("<h1")[1].split("</h1>")[0]
    )


def test_a_special_award_is_deleted_only_when_ticked(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    special = AwardCategory.objects.create(year=YEAR, name="Desa inovtif", order=101)
    url = reverse("reports:award_category_delete", args=[special.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Centang kotak ini untuk menghapus penghargaan khusus." in refused_alert(
        response.content.decode()
    )
    assert AwardCategory.objects.filter(pk=special.pk).exists()
    response = client.post(url, {"confirmed": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:award_year", args=[YEAR])
    assert messages_of(response) == ["Penghargaan khusus “Desa inovtif” dihapus."]
    assert not AwardCategory.objects.filter(pk=special.pk).exists()


def test_a_special_award_with_winners_is_not_deleted_and_says_why(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    special = AwardCategory.objects.create(year=YEAR, name="Desa inovatif", order=101)
    AwardCandidate.objects.create(
        category=special, kind=OTHER, name="Desa Tarjun", justification="BUMDes",
        added_by_hand=True, adjusted_score=80, adjustment_reason="BUMDes", is_winner=True,
    )  # fmt: skip
    response = client.post(
        reverse("reports:award_category_delete", args=[special.pk]), {"confirmed": "on"}
    )
    assert response.status_code == 400
    assert "“Desa inovatif” sudah memiliki pemenang yang ditetapkan (Desa Tarjun)" in refused_alert(
        response.content.decode()
    )
    assert AwardCategory.objects.filter(pk=special.pk).exists()


# --- the add form, the winners form, removing a winner -----------------------------------


def test_the_add_form_names_agencies_in_full_and_groups_fields_by_kind(client, users, scene):
    html = page(
        client,
        users[Role.SECRETARIAT],
        reverse("reports:award_category", args=[scene.income.pk]),
    )
    form = html.split('data-testid="add-form"')[1].split("</form>")[0]
    agency_select = form.split('name="agency"')[1].split("</select>")[0]
    options = [
        text_of(option) for option in re.findall(r"<option[^>]*>(.*?)</option>", agency_select)
    ]
    assert options[0] == "— pilih —"
    assert "Dinas Kesehatan (Dinkes)" in options
    assert options[1:] == sorted(options[1:], key=str.casefold)  # by name, not acronym
    for legend in (
        "Untuk perangkat daerah",
        "Untuk mitra",
        "Untuk kecamatan, desa, atau organisasi (Lainnya): kedua kolom wajib diisi",
    ):
        assert legend in form


def test_the_winners_form_names_each_kind_in_a_word(client, users, scene):
    AwardCandidate.objects.create(
        category=scene.income, kind=OTHER, name="Desa Megasari", justification="BUMDes",
        added_by_hand=True, adjusted_score=70, adjustment_reason="BUMDes",
    )  # fmt: skip
    html = page(
        client,
        users[Role.SECRETARIAT],
        reverse("reports:award_category", args=[scene.income.pk]),
    )
    winners = text_of(html.split('data-testid="winners-form"')[1].split("</form>")[0])
    assert "Desa Megasari (Lainnya)" in winners and "((" not in winners and "))" not in winners
    assert "Dinas Sosial P3AP2KB (Perangkat daerah)" in winners


def test_removing_a_winner_asks_first(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    tarjun = AwardCandidate.objects.create(
        category=scene.income, kind=OTHER, name="Desa Tarjun", justification="BUMDes",
        added_by_hand=True, adjusted_score=Decimal(90), adjustment_reason="BUMDes",
        is_winner=True,
    )  # fmt: skip
    url = reverse("reports:award_candidate_remove", args=[scene.income.pk])
    response = client.post(url, {"candidate": str(CandidateKey.of_row(tarjun))})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="remove-confirm"' in html
    assert "Desa Tarjun adalah pemenang" in html and "piagamnya tidak dapat diunduh lagi" in html
    assert AwardCandidate.objects.filter(pk=tarjun.pk, is_winner=True).exists()  # not yet
    response = client.post(
        url, {"candidate": str(CandidateKey.of_row(tarjun)), "confirmed": "on"}, follow=True
    )
    assert messages_of(response) == [
        "Desa Tarjun dihapus dari kandidat dan tidak lagi menjadi pemenang."
    ]
    assert not AwardCandidate.objects.filter(pk=tarjun.pk).exists()
