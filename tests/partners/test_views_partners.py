"""The partners list with the year's target, a partner's page and its profile form, by role."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from partners.models import (
    Evidence,
    Partner,
    PartnerKind,
    PartnerTarget,
    PledgeKind,
    RealisationStatus,
)
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    PartnerFactory,
    PledgeFactory,
    RealisationFactory,
    UserFactory,
)
from tests.partners.conftest import LANGADAI
from tkpk.models import Role

pytestmark = pytest.mark.django_db

LIST = reverse("partners:partner_list")
TARGET = reverse("partners:partner_target")


def page_of(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def table_rows(html: str, testid: str) -> list[str]:
    """The text of each body row of the table `testid`, tags stripped and spaces collapsed."""
    table = html[html.index(f'data-testid="{testid}"') :]
    table = table[table.index("</thead>") : table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [text(row) for row in rows]


def table_head(html: str, testid: str) -> str:
    table = html[html.index(f'data-testid="{testid}"') :]
    return text(table[table.index("<thead>") : table.index("</thead>")])


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def listed(html: str) -> set[str]:
    return set(re.findall(r'href="/mitra/\d+/">([^<]+)</a>', html))


# The list ------------------------------------------------------------------------------


def test_the_list_shows_what_each_partner_pledged_in_rupiah_in_the_year_verified_and_reported(
    client, users, joint_commitment
):
    RealisationFactory(
        pledge=joint_commitment.money, quantity=125_000_000, status=RealisationStatus.VERIFIED
    )
    RealisationFactory(pledge=joint_commitment.money, quantity=50_000_000)  # awaiting
    # Business capital valued in rupiah is counted with the bank's money.
    capital = PledgeFactory(
        commitment=joint_commitment.commitment,
        partner=joint_commitment.bank,
        kind=PledgeKind.CAPITAL,
        quantity=60_000_000,
    )
    RealisationFactory(pledge=capital, quantity=60_000_000, status=RealisationStatus.VERIFIED)
    joint_commitment.bank.sector = "Perbankan"
    joint_commitment.bank.save()
    PartnerFactory(name="Baznas Kabupaten Kotabaru", kind=PartnerKind.BAZNAS, in_csr_forum=True)
    html = page_of(client, users[Role.AGENCY], LIST, year=2026)
    assert table_head(html, "partner-table") == (
        "Mitra Jenis dan sektor Kecamatan atau desa/kelurahan Dalam rupiah "
        "Komitmen aktif tahun 2026 Dijanjikan tahun 2026 Terverifikasi Dilaporkan "
        "Terverifikasi dari yang dijanjikan"
    )
    # By name; how capitals sort depends on the database.
    assert set(table_rows(html, "partner-table")) == {
        "Bank Kalsel Cabang Kotabaru BUMD (badan usaha milik daerah) Perbankan — "
        "Rp 310.000.000 Rp 60.000.000 Rp 60.000.000 19 % ya",
        "Baznas Kabupaten Kotabaru Forum CSR Baznas — — — — tidak",
        # Rice in tonnes is no rupiah.
        "BUMDes Pesona Rejo Jata Tegalrejo BUMDes (badan usaha milik desa) — — — — ya",
        "PT Arutmin Indonesia NPLCT Perusahaan swasta (CSR) — Rp 500.000.000 "
        "Rp 125.000.000 Rp 175.000.000 25 % ya",
    }
    partner = joint_commitment.money.partner
    assert f'href="/mitra/{partner.pk}/"' in html


def test_the_lists_amounts_are_those_of_the_chosen_year(client, users, joint_commitment, partner):
    older = CommitmentFactory(
        partners=[partner],
        signed_on=datetime.date(2023, 5, 1),
        start_date=datetime.date(2023, 5, 1),
        end_date=datetime.date(2024, 4, 30),
    )
    PledgeFactory(commitment=older, partner=partner, quantity=40_000_000)
    user = users[Role.LEADER]
    arutmin = "PT Arutmin Indonesia NPLCT Perusahaan swasta (CSR) —"
    rows = table_rows(page_of(client, user, LIST, year=2024, q="arutmin"), "partner-table")
    assert rows == [f"{arutmin} Rp 40.000.000 Rp 0 Rp 0 0 % ya"]
    rows = table_rows(page_of(client, user, LIST, year=2026, q="arutmin"), "partner-table")
    assert rows == [f"{arutmin} Rp 500.000.000 Rp 0 Rp 0 0 % ya"]
    html = page_of(client, user, LIST, year=2022, q="arutmin")
    assert "Dijanjikan tahun 2022" in html
    assert table_rows(html, "partner-table") == [f"{arutmin} — — — tidak"]


def test_the_target_bar_counts_partners_with_a_commitment_running_in_the_year(
    client, users, joint_commitment
):
    PartnerTarget.objects.create(year=2026, partners=4, set_by=users[Role.SECRETARIAT])
    ended = PartnerFactory(name="PT Smart Tbk Unit Tarjun")
    CommitmentFactory(
        partners=[ended],
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        signed_on=datetime.date(2024, 1, 1),
    )
    html = page_of(client, users[Role.LEADER], LIST, year=2026)
    assert "3 dari 4 mitra memiliki komitmen aktif pada tahun 2026." in html
    assert "w-pct-75" in html
    # The year is written as a year, not as a number with a thousands separator.
    assert "2.026" not in html
    html = page_of(client, users[Role.LEADER], LIST, year=2025)
    assert (
        "4 mitra memiliki komitmen aktif pada tahun 2025; belum ada target untuk tahun itu." in html
    )


def test_the_year_is_this_year_unless_chosen(client, users):
    this_year = timezone.localdate().year
    PartnerTarget.objects.create(year=this_year, partners=50, set_by=users[Role.SECRETARIAT])
    CommitmentFactory(
        partners=[PartnerFactory()],
        start_date=datetime.date(this_year, 1, 1),
        end_date=datetime.date(this_year, 12, 31),
    )
    html = page_of(client, users[Role.SECRETARIAT], LIST)
    assert f"1 dari 50 mitra memiliki komitmen aktif pada tahun {this_year}." in html
    assert "w-pct-2" in html


def test_a_reached_target_is_said_and_the_bar_stops_at_full(client, users, joint_commitment):
    PartnerTarget.objects.create(year=2026, partners=2, set_by=users[Role.SECRETARIAT])
    html = page_of(client, users[Role.AGENCY], LIST, year=2026)
    assert "3 dari 2 mitra memiliki komitmen aktif pada tahun 2026." in html
    assert "w-pct-100" in html
    assert "Target tercapai" in html


def test_the_list_filters_by_type_forum_commitment_active_flag_and_name(
    client, users, joint_commitment
):
    PartnerFactory(name="Baznas Kabupaten Kotabaru", kind=PartnerKind.BAZNAS, in_csr_forum=True)
    PartnerFactory(name="PT Lama Tutup", is_active=False)
    everyone = {
        "Bank Kalsel Cabang Kotabaru",
        "Baznas Kabupaten Kotabaru",
        "BUMDes Pesona Rejo Jata Tegalrejo",
        "PT Arutmin Indonesia NPLCT",
        "PT Lama Tutup",
    }
    user = users[Role.SECRETARIAT]
    assert listed(page_of(client, user, LIST)) == everyone
    assert listed(page_of(client, user, LIST, kind="bumd")) == {"Bank Kalsel Cabang Kotabaru"}
    assert listed(page_of(client, user, LIST, forum="yes")) == {"Baznas Kabupaten Kotabaru"}
    assert "Baznas Kabupaten Kotabaru" not in listed(page_of(client, user, LIST, forum="no"))
    assert listed(page_of(client, user, LIST, committed="no", year=2026)) == {
        "Baznas Kabupaten Kotabaru",
        "PT Lama Tutup",
    }
    # The commitment ends in 2026: in 2027 nobody has one.
    assert listed(page_of(client, user, LIST, committed="yes", year=2027)) == set()
    assert listed(page_of(client, user, LIST, active="no")) == {"PT Lama Tutup"}
    assert listed(page_of(client, user, LIST, q="kalsel")) == {"Bank Kalsel Cabang Kotabaru"}
    html = page_of(client, user, LIST, q="tidak ada")
    assert "Tidak ada mitra yang sesuai dengan saringan." in html


def test_a_filter_it_cannot_use_is_explained(client, users, joint_commitment):
    html = page_of(client, users[Role.SECRETARIAT], LIST, year="1999", kind="pabrik")
    assert "Saringan tidak dapat digunakan:" in html
    assert "Tahun:" in html
    assert "Jenis:" in html


def test_the_table_by_partner_type_keeps_kinds_and_units_apart(client, users, joint_commitment):
    RealisationFactory(pledge=joint_commitment.jobs, quantity=6, status=RealisationStatus.VERIFIED)
    RealisationFactory(pledge=joint_commitment.jobs, quantity=4)
    RealisationFactory(
        pledge=joint_commitment.goods,
        quantity=1,
        status=RealisationStatus.RETURNED,
        review_comment="Foto tidak jelas",
    )
    html = page_of(client, users[Role.LEADER], LIST, year=2026)
    rows = table_rows(html, "kind-table")
    assert rows == [
        "Perusahaan swasta (CSR) 1 1 Uang Rp 500.000.000 Rp 0 Rp 0 0 %",
        "Lapangan kerja 20 orang 6 orang 10 orang 30 %",
        "BUMD (badan usaha milik daerah) 1 1 Uang Rp 250.000.000 Rp 0 Rp 0 0 %",
        "BUMDes (badan usaha milik desa) 1 1 Barang 2,5 ton 0 ton 0 ton 0 %",
    ]
    # In a year without commitments the types are listed with nothing pledged.
    rows = table_rows(page_of(client, users[Role.LEADER], LIST, year=2024), "kind-table")
    assert rows[0] == "Perusahaan swasta (CSR) 1 0 Belum ada janji."


def test_a_partner_operator_sees_no_list_of_partners(client, users, partner):
    client.force_login(users[Role.PARTNER])
    assert client.get(LIST).status_code == 403
    # Its own page does not link to it either.
    html = client.get(reverse("partners:partner_detail", args=[partner.pk])).content.decode()
    assert f'href="{LIST}"' not in html


def test_links_and_buttons_follow_the_role(client, users, partner):
    secretariat = page_of(client, users[Role.SECRETARIAT], LIST, year=2026)
    assert reverse("partners:partner_create") in secretariat
    assert reverse("partners:commitment_list") in secretariat
    assert f"{reverse('partners:pledge_export')}?year=2026" in secretariat
    assert "Unduh janji dan realisasi 2026 (.xlsx)" in secretariat
    assert "Unduh daftar mitra 2026 (.xlsx)" in secretariat
    assert 'data-testid="target-form"' in secretariat
    leader = page_of(client, users[Role.LEADER], LIST, year=2026)
    assert reverse("partners:partner_create") not in leader
    assert reverse("partners:partner_export") in leader
    assert 'data-testid="target-form"' not in leader
    agency = page_of(client, users[Role.AGENCY], LIST)
    assert reverse("partners:partner_create") not in agency
    assert reverse("partners:partner_export") not in agency
    assert 'data-testid="target-form"' not in agency
    assert reverse("partners:commitment_list") in agency


def test_the_export_link_carries_the_lists_filter_and_year(client, users, partner):
    html = page_of(client, users[Role.SECRETARIAT], LIST, kind="bumd", forum="yes", year=2025)
    assert f"{reverse('partners:partner_export')}?kind=bumd&amp;forum=yes&amp;year=2025" in html
    # With no year chosen, the year the list shows: the file is of the same year.
    this_year = timezone.localdate().year
    html = page_of(client, users[Role.SECRETARIAT], LIST, kind="bumd")
    assert f"{reverse('partners:partner_export')}?kind=bumd&amp;year={this_year}" in html


def cells_without_a_label(html: str, testid: str) -> list[str]:
    """The body cells of table `testid` that a phone would show without their column's name."""
    table = html[html.index(f'data-testid="{testid}"') :]
    table = table[table.index("</thead>") : table.index("</table>")]
    return [
        text(body)
        for attrs, body in re.findall(r"<td([^>]*)>(.*?)</td>", table, re.S)
        if not re.search(r"data-label=|stack-title|colspan", attrs) and "<a " not in body
    ]


def test_on_a_phone_each_row_of_the_partner_pages_is_a_labelled_card(
    client, users, joint_commitment, partner
):
    """tkpk.css stacks a `table-stack` table on a phone, each cell beside its column's name,
    so that the page does not scroll sideways (tests/browser checks the widths)."""
    RealisationFactory(pledge=joint_commitment.money, quantity=10_000_000)
    listing = page_of(client, users[Role.SECRETARIAT], LIST, year=2026)
    detail = page_of(
        client, users[Role.PARTNER], reverse("partners:partner_detail", args=[partner.pk])
    )
    for html, testid in [
        (listing, "partner-table"),
        (listing, "kind-table"),
        (detail, "commitment-table"),
        (detail, "tallies"),
        (detail, "pledge-table"),
    ]:
        assert re.search(rf'<table class="[^"]*\btable-stack\b[^"]*" data-testid="{testid}"', html)
        assert cells_without_a_label(html, testid) == [], testid
    # A visually hidden column name is placed absolutely: its box must hold it, or the page
    # is as wide as the table.
    assert re.search(
        r'<div class="table-responsive position-relative">\s*<table[^>]*data-testid="pledge-table"',
        detail,
    )


# The target ----------------------------------------------------------------------------


def test_the_secretariat_sets_and_changes_the_target(client, users, joint_commitment):
    client.force_login(users[Role.SECRETARIAT])
    html = client.get(LIST, {"year": 2027}).content.decode()
    assert "belum ada target untuk tahun itu." in html
    response = client.post(TARGET, {"year": "2027", "partners": "50"})
    assert response.status_code == 302
    assert response.url == f"{LIST}?year=2027"
    html = client.get(response.url).content.decode()
    assert "Target tahun 2027 sekarang 50 mitra." in html
    assert "0 dari 50 mitra memiliki komitmen aktif pada tahun 2027." in html
    client.post(TARGET, {"year": "2027", "partners": "40"})
    target = PartnerTarget.objects.get()
    assert (target.year, target.partners, target.set_by) == (2027, 40, users[Role.SECRETARIAT])


def test_a_bad_target_is_refused_and_what_was_typed_stays(client, users):
    client.force_login(users[Role.ADMIN])
    response = client.post(TARGET, {"year": "2027", "partners": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pastikan nilai ini lebih besar dari atau sama dengan 1." in html
    assert 'name="partners" value="0"' in html
    assert 'name="year" value="2027"' in html
    assert not PartnerTarget.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENCY, Role.PARTNER, Role.LEADER])
def test_only_the_secretariat_and_admin_set_the_target(client, users, role):
    client.force_login(users[role])
    response = client.post(TARGET, {"year": "2027", "partners": "50"})
    assert response.status_code == 403
    assert not PartnerTarget.objects.exists()


def test_the_target_is_set_by_post_only(client, users):
    client.force_login(users[Role.SECRETARIAT])
    assert client.get(TARGET, {"year": "2027", "partners": "50"}).status_code == 405


# A partner's page ----------------------------------------------------------------------


def test_a_partners_page_shows_its_profile_commitments_and_pledges_against_realisations(
    client, users, joint_commitment, partner
):
    partner.contact_person = "Budi Santoso"
    partner.phone = "0518-21234"
    partner.area = joint_commitment.goods.village  # Langadai, in Kelumpang Hilir
    partner.save()
    RealisationFactory(
        pledge=joint_commitment.money, quantity=125_000_000, status=RealisationStatus.VERIFIED
    )
    RealisationFactory(pledge=joint_commitment.money, quantity=50_000_000)
    RealisationFactory(
        pledge=joint_commitment.jobs,
        quantity=6,
        status=RealisationStatus.RETURNED,
        review_comment="Daftar nama belum dilampirkan",
    )
    url = reverse("partners:partner_detail", args=[partner.pk])
    html = page_of(client, users[Role.AGENCY], url)
    profile = html[html.index('data-testid="profile"') :]
    profile = " ".join(re.sub(r"<[^>]+>", " ", profile[: profile.index("</dl>")]).split())
    assert "Narahubung Budi Santoso Telepon 0518-21234 Surel —" in profile
    assert "Wilayah kerja Langadai (Kelumpang Hilir)" in profile
    assert table_rows(html, "commitment-table") == [
        "Komitmen Bersama Pemberdayaan Warga Miskin Produktif 4 Okt 2025 4 Okt 2025 – 31 Des 2026 "
        "KTB-WMP-2025 Pemberdayaan Warga Miskin Produktif 2"
    ]
    assert reverse("partners:commitment_detail", args=[joint_commitment.commitment.pk]) in html
    assert table_rows(html, "tallies") == [
        "Uang Rp 500.000.000 Rp 125.000.000 Rp 175.000.000 25 %",
        "Lapangan kerja 20 orang 0 orang 0 orang 0 %",
    ]
    pledges = table_rows(html, "pledge-table")
    assert pledges[0].startswith("Komitmen Bersama Pemberdayaan Warga Miskin Produktif Uang")
    assert table_head(html, "pledge-table").startswith(
        "Komitmen Jenis Uraian Desa Dijanjikan Terverifikasi Dilaporkan"
    )
    assert "Uang — — Rp 500.000.000 Rp 125.000.000 Rp 175.000.000 25 %" in pledges[0]
    assert "Lapangan kerja Tenaga kerja lokal — 20 orang 0 orang 0 orang 0 %" in pledges[1]
    # Its pledges only: the bank's are on the bank's page.
    assert "250.000.000" not in html
    realisations = table_rows(html, "realisation-table")
    assert len(realisations) == 3
    assert "Dikembalikan Daftar nama belum dilampirkan" in " ".join(realisations)
    assert "Terverifikasi" in " ".join(realisations)
    assert "Menunggu verifikasi" in " ".join(realisations)


def test_a_partners_documents_link_to_their_downloads(client, users, joint_commitment, partner):
    commitment = joint_commitment.commitment
    commitment.document.save("kb.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    commitment.document_name = "Komitmen Bersama 2025.pdf"
    commitment.save()
    realisation = RealisationFactory(pledge=joint_commitment.money)
    evidence = Evidence(
        realisation=realisation, name="kuitansi.jpg", uploaded_by=users[Role.PARTNER]
    )
    evidence.file.save("kuitansi.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
    evidence.save()
    other = RealisationFactory(pledge=joint_commitment.bank_money)
    Evidence.objects.create(
        realisation=other, name="bank.pdf", file="x.pdf", uploaded_by=users[Role.ADMIN]
    )
    html = page_of(
        client, users[Role.PARTNER], reverse("partners:partner_detail", args=[partner.pk])
    )
    assert reverse("partners:commitment_document", args=[commitment.pk]) in html
    assert "Komitmen Bersama 2025.pdf" in html
    assert reverse("partners:evidence_download", args=[realisation.pk, evidence.pk]) in html
    assert "kuitansi.jpg" in html
    assert "bank.pdf" not in html
    # A leader reads which evidence there is, but only its partner and the secretariat
    # download it: it often names people.
    html = page_of(
        client, users[Role.LEADER], reverse("partners:partner_detail", args=[partner.pk])
    )
    assert "kuitansi.jpg" in html
    assert reverse("partners:evidence_download", args=[realisation.pk, evidence.pk]) not in html
    assert "hanya dapat diunduh oleh sekretariat dan mitra pemiliknya" in html


def test_a_partner_operator_opens_only_its_own_partner(client, users, joint_commitment):
    client.force_login(users[Role.PARTNER])
    bank = joint_commitment.bank
    assert client.get(reverse("partners:partner_detail", args=[bank.pk])).status_code == 404
    assert client.get(reverse("partners:partner_update", args=[bank.pk])).status_code == 404
    response = client.post(
        reverse("partners:partner_update", args=[bank.pk]),
        {"name": "Bank Kalsel", "kind": "bumd"},
    )
    assert response.status_code == 404
    bank.refresh_from_db()
    assert bank.name == "Bank Kalsel Cabang Kotabaru"


def test_the_buttons_on_a_partners_page_follow_the_role(client, users, partner):
    url = reverse("partners:partner_detail", args=[partner.pk])
    edit = reverse("partners:partner_update", args=[partner.pk])
    new_commitment = f"{reverse('partners:commitment_create')}?partner={partner.pk}"
    secretariat = page_of(client, users[Role.SECRETARIAT], url)
    assert edit in secretariat and new_commitment in secretariat
    own = page_of(client, users[Role.PARTNER], url)
    assert edit in own and new_commitment not in own
    assert "Ubah profil" in own
    for role in (Role.AGENCY, Role.LEADER):
        html = page_of(client, users[role], url)
        assert edit not in html and new_commitment not in html


def test_the_partners_operator_records_realisations_from_its_page(client, users, joint_commitment):
    url = reverse("partners:partner_detail", args=[joint_commitment.money.partner_id])
    record = reverse("partners:realisation_create", args=[joint_commitment.money.pk])
    assert record in page_of(client, users[Role.PARTNER], url)
    assert record not in page_of(client, users[Role.AGENCY], url)
    assert record not in page_of(client, users[Role.LEADER], url)


# The profile form ----------------------------------------------------------------------


def partner_data(**changes) -> dict:
    data = {
        "name": "PT Indocement Tunggal Prakarsa Unit Tarjun",
        "kind": "company",
        "sector": "Semen",
        "contact_person": "Siti Aminah",
        "phone": "0518-6070",
        "email": "csr@example.co.id",
        "address": "Desa Tarjun, Kelumpang Hilir",
        "area": "",
        "is_active": "on",
    }
    return data | changes


def test_the_secretariat_adds_a_partner_in_a_village_of_the_region(client, users):
    AreaFactory(code=LANGADAI, name="Langadai")
    client.force_login(users[Role.SECRETARIAT])
    html = client.get(reverse("partners:partner_create")).content.decode()
    assert "Langadai (Wilayah 63.02.17)" in html
    assert "Kecamatan Wilayah 63.02.17" in html
    response = client.post(
        reverse("partners:partner_create"), partner_data(area=LANGADAI, in_csr_forum="on")
    )
    assert response.status_code == 302
    saved = Partner.objects.get(name="PT Indocement Tunggal Prakarsa Unit Tarjun")
    assert (saved.area_id, saved.in_csr_forum, saved.kind) == (LANGADAI, True, "company")
    assert response.url == reverse("partners:partner_detail", args=[saved.pk])
    html = client.get(response.url).content.decode()
    assert "PT Indocement Tunggal Prakarsa Unit Tarjun telah disimpan." in html


def test_a_place_outside_the_region_is_refused(client, users):
    AreaFactory(code="63.01.01.2001", name="Desa Tetangga")
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("partners:partner_create"), partner_data(area="63.01.01.2001"))
    assert response.status_code == 400
    assert "Desa Tetangga" not in response.content.decode()
    assert not Partner.objects.filter(sector="Semen").exists()


def test_a_second_partner_of_the_same_name_is_refused_and_nothing_typed_is_lost(
    client, users, partner
):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("partners:partner_create"), partner_data(name="PT Arutmin Indonesia NPLCT")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sudah ada mitra lain dengan nama ini; periksa daftar mitra." in html
    assert "Mitra tidak disimpan" in html
    assert 'value="Siti Aminah"' in html
    assert "Desa Tarjun, Kelumpang Hilir" in html
    assert Partner.objects.count() == 1


def name_error(html: str) -> str:
    """The error shown under the name field."""
    error = html[html.index('id="id_name_error">') + len('id="id_name_error">') :]
    return text(error[: error.index("</div></div>")])


def test_a_name_another_partner_has_in_other_capitals_is_refused_on_the_name_field(client, users):
    PartnerFactory(name="PT Sebuku Iron Lateritic Ores")
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("partners:partner_create"), partner_data(name="pt sebuku iron lateritic ores")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sudah ada mitra lain dengan nama ini; periksa daftar mitra." in name_error(html)
    assert re.search(r'name="name" value="pt sebuku iron lateritic ores"[^>]*is-invalid', html)
    assert Partner.objects.filter(name__iexact="PT Sebuku Iron Lateritic Ores").count() == 1


def test_renaming_a_partner_to_another_partners_name_is_refused(client, users, partner):
    PartnerFactory(name="PT Sebuku Iron Lateritic Ores")
    client.force_login(users[Role.ADMIN])
    url = reverse("partners:partner_update", args=[partner.pk])
    response = client.post(url, partner_data(name="PT SEBUKU IRON LATERITIC ORES"))
    assert response.status_code == 400
    assert "Sudah ada mitra lain" in name_error(response.content.decode())
    partner.refresh_from_db()
    assert partner.name == "PT Arutmin Indonesia NPLCT"
    # Its own name in other capitals is no clash.
    response = client.post(url, partner_data(name="PT ARUTMIN INDONESIA NPLCT"))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "PT ARUTMIN INDONESIA NPLCT"


def test_a_name_taken_between_the_forms_check_and_the_save_is_shown_on_the_name_field(
    client, users, monkeypatch
):
    def taken_meanwhile(*, partner, by):
        raise ValidationError({"name": "Sudah ada mitra lain dengan nama ini."})

    monkeypatch.setattr("partners.views.partners.partner_save", taken_meanwhile)
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("partners:partner_create"), partner_data())
    assert response.status_code == 400
    html = response.content.decode()
    assert name_error(html) == "Sudah ada mitra lain dengan nama ini."
    assert 'value="Siti Aminah"' in html


@pytest.mark.parametrize("role", [Role.AGENCY, Role.LEADER, Role.PARTNER])
def test_only_the_secretariat_and_admin_add_partners(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("partners:partner_create")).status_code == 403
    response = client.post(reverse("partners:partner_create"), partner_data())
    assert response.status_code == 403
    assert not Partner.objects.filter(sector="Semen").exists()


@pytest.mark.parametrize("role", [Role.AGENCY, Role.LEADER])
def test_an_agency_operator_and_a_leader_change_no_partner(client, users, partner, role):
    client.force_login(users[role])
    url = reverse("partners:partner_update", args=[partner.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, partner_data(name="Diubah")).status_code == 403
    partner.refresh_from_db()
    assert partner.name == "PT Arutmin Indonesia NPLCT"


def test_a_partner_operator_keeps_its_profile_but_not_its_name_type_flags_or_forum(
    client, users, partner
):
    client.force_login(users[Role.PARTNER])
    url = reverse("partners:partner_update", args=[partner.pk])
    html = client.get(url).content.decode()
    assert (
        "Nama, jenis, status aktif dan keanggotaan Forum CSR dikelola oleh sekretariat TKPK."
        in (html)
    )
    assert re.search(
        r'<input type="text" name="name" value="PT Arutmin Indonesia NPLCT"[^>]*disabled', html
    )
    assert re.search(r'<select name="kind"[^>]*disabled', html)
    response = client.post(
        url,
        partner_data(
            name="PT Arutmin Baru",
            contact_person="Andi Wijaya",
            kind="bumn",
            is_active="",
            in_csr_forum="on",
        ),
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.contact_person == "Andi Wijaya"
    assert (partner.name, partner.kind, partner.is_active, partner.in_csr_forum) == (
        "PT Arutmin Indonesia NPLCT",
        "company",
        True,
        False,
    )


def test_a_partner_operator_cannot_take_another_partners_name_either(client, users, partner):
    PartnerFactory(name="Bank Kalsel Cabang Kotabaru")
    client.force_login(users[Role.PARTNER])
    url = reverse("partners:partner_update", args=[partner.pk])
    response = client.post(url, partner_data(name="Bank Kalsel Cabang Kotabaru"))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "PT Arutmin Indonesia NPLCT"


def test_the_secretariat_changes_a_partners_type_and_forum_membership(client, users, partner):
    client.force_login(users[Role.SECRETARIAT])
    url = reverse("partners:partner_update", args=[partner.pk])
    response = client.post(
        url, partner_data(name=partner.name, kind="bumn", in_csr_forum="on", is_active="")
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.kind, partner.is_active, partner.in_csr_forum) == ("bumn", False, True)


def test_another_partners_operator_cannot_edit_it(client, partner):
    other = UserFactory(role=Role.PARTNER)
    client.force_login(other)
    url = reverse("partners:partner_update", args=[partner.pk])
    assert client.get(url).status_code == 404
