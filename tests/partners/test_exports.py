"""The partners' and the pledges' spreadsheets: their rows, formats, filters and log."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from partners.models import PartnerKind, PledgeKind, RealisationStatus
from tests.factories import (
    CommitmentFactory,
    EnrollmentFactory,
    PartnerFactory,
    PledgeFactory,
    RealisationFactory,
)
from tkpk.models import ExportLog, Role

pytestmark = pytest.mark.django_db

PARTNERS = reverse("partners:partner_export")
PLEDGES = reverse("partners:pledge_export")


def download(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response, load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def values(sheet) -> list[tuple]:
    return list(sheet.values)


@pytest.fixture
def delivered(joint_commitment, users):
    """A verified and a waiting transfer of PT Arutmin's money, and 6 jobs verified for
    two named participants; a returned delivery of the BUMDes' rice."""
    money, jobs = joint_commitment.money, joint_commitment.jobs
    RealisationFactory(
        pledge=money,
        quantity=125_000_000,
        delivered_on=datetime.date(2025, 11, 10),
        status=RealisationStatus.VERIFIED,
        reviewed_by=users[Role.SECRETARIAT],
        reviewed_at=timezone.make_aware(datetime.datetime(2025, 11, 12, 9, 30)),
    )
    RealisationFactory(
        pledge=money, quantity=50_000_000, delivered_on=datetime.date(2026, 2, 1), note="Tahap 2"
    )
    jobs_done = RealisationFactory(
        pledge=jobs,
        quantity=6,
        delivered_on=datetime.date(2026, 1, 5),
        status=RealisationStatus.VERIFIED,
    )
    program = joint_commitment.commitment.program
    jobs_done.participants.set([EnrollmentFactory(program=program) for _ in range(2)])
    RealisationFactory(
        pledge=joint_commitment.goods,
        quantity=Decimal("1.5"),
        delivered_on=datetime.date(2026, 3, 1),
        status=RealisationStatus.RETURNED,
        review_comment="Foto serah terima belum ada",
    )
    return joint_commitment


def test_the_partners_file_has_each_profile_and_what_it_pledged_in_the_year_per_kind(
    client, users, delivered, partner
):
    partner.sector, partner.contact_person = "Pertambangan", "Budi Santoso"
    partner.area = delivered.goods.village  # Langadai, in Kelumpang Hilir
    partner.in_csr_forum = True
    partner.save()
    PartnerFactory(name="Baznas Kabupaten Kotabaru", kind=PartnerKind.BAZNAS)
    response, workbook = download(client, users[Role.SECRETARIAT], PARTNERS, year=2026)
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mitra-2026-per-{today}.xlsx"'
    )
    profiles, kinds = workbook.worksheets
    rows = {row[0]: row for row in values(profiles)[1:]}
    assert values(profiles)[0][:4] == ("Nama", "Jenis mitra", "Sektor", "Narahubung")
    assert values(profiles)[0][11:] == (
        "Komitmen, semua tahun",
        "Dijanjikan tahun 2026, dalam rupiah",
        "Terverifikasi, dalam rupiah",
        "Dilaporkan, dalam rupiah",
    )
    assert set(rows) == {
        "Bank Kalsel Cabang Kotabaru",
        "Baznas Kabupaten Kotabaru",
        "BUMDes Pesona Rejo Jata Tegalrejo",
        "PT Arutmin Indonesia NPLCT",
    }
    arutmin = rows["PT Arutmin Indonesia NPLCT"]
    assert arutmin[1:4] == ("Perusahaan swasta (CSR)", "Pertambangan", "Budi Santoso")
    assert arutmin[7:] == (
        "Kelumpang Hilir",
        "Langadai",
        "Ya",
        "Ya",
        1,
        500_000_000,
        125_000_000,
        175_000_000,
    )
    assert rows["Baznas Kabupaten Kotabaru"][-4:] == (0, 0, 0, 0)
    # Per kind and unit, never rupiah added to people or tonnes; a returned entry counts nowhere.
    assert values(kinds)[0] == (
        "Mitra",
        "Jenis mitra",
        "Jenis janji",
        "Satuan",
        "Dijanjikan tahun 2026",
        "Terverifikasi",
        "Dilaporkan",
        "Terverifikasi (%)",
    )
    assert sorted(row[0:1] + row[2:] for row in values(kinds)[1:]) == [
        ("BUMDes Pesona Rejo Jata Tegalrejo", "Barang", "ton", 2.5, 0, 0, 0),
        ("Bank Kalsel Cabang Kotabaru", "Uang", "Rp", 250_000_000, 0, 0, 0),
        ("PT Arutmin Indonesia NPLCT", "Lapangan kerja", "orang", 20, 6, 6, 0.3),
        ("PT Arutmin Indonesia NPLCT", "Uang", "Rp", 500_000_000, 125_000_000, 175_000_000, 0.25),
    ]
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.filters, log.rows, log.file_format) == (
        users[Role.SECRETARIAT],
        "partners",
        {"year": 2026},
        4,
        "xlsx",
    )


def test_the_partners_file_counts_everything_in_rupiah_of_the_years_commitments_only(
    client, users, joint_commitment
):
    bank = joint_commitment.bank
    capital = PledgeFactory(
        commitment=joint_commitment.commitment,
        partner=bank,
        kind=PledgeKind.CAPITAL,
        quantity=60_000_000,
    )
    RealisationFactory(pledge=capital, quantity=60_000_000, status=RealisationStatus.VERIFIED)
    older = CommitmentFactory(
        partners=[bank],
        signed_on=datetime.date(2023, 5, 1),
        start_date=datetime.date(2023, 5, 1),
        end_date=datetime.date(2024, 4, 30),
    )
    PledgeFactory(commitment=older, partner=bank, quantity=40_000_000)

    def bank_row(year: int) -> tuple:
        _, workbook = download(client, users[Role.LEADER], PARTNERS, year=year, kind="bumd")
        profiles, kinds = (values(sheet)[1:] for sheet in workbook.worksheets)
        assert [row[0] for row in profiles] == ["Bank Kalsel Cabang Kotabaru"]
        return profiles[0][11:], [row[2:] for row in kinds]

    assert bank_row(2026) == (
        (2, 310_000_000, 60_000_000, 60_000_000),
        [
            ("Uang", "Rp", 250_000_000, 0, 0, 0),
            ("Modal usaha", "Rp", 60_000_000, 60_000_000, 60_000_000, 1),
        ],
    )
    assert bank_row(2024) == ((2, 40_000_000, 0, 0), [("Uang", "Rp", 40_000_000, 0, 0, 0)])
    assert bank_row(2022) == ((2, 0, 0, 0), [])


def test_the_partners_file_is_of_this_year_when_none_is_chosen(client, users, partner):
    this_year = timezone.localdate().year
    response, workbook = download(client, users[Role.ADMIN], PARTNERS, kind="company")
    assert f'filename="mitra-{this_year}-per-' in response["Content-Disposition"]
    assert values(workbook.worksheets[0])[0][12] == f"Dijanjikan tahun {this_year}, dalam rupiah"
    assert ExportLog.objects.get().filters == {"kind": "company", "year": this_year}


def test_money_is_a_number_shown_as_rupiah_under_a_bold_frozen_header(client, users, delivered):
    _, workbook = download(client, users[Role.LEADER], PARTNERS, year=2026)
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["J"].width
    money = [cell for cell in sheet["M"][1:]]
    assert all(cell.number_format == '"Rp" #,##0' for cell in money)
    assert sorted(cell.value for cell in money) == [0, 250_000_000, 500_000_000]


def test_the_partners_file_follows_the_lists_filter(client, users, delivered):
    PartnerFactory(name="Baznas Kabupaten Kotabaru", kind=PartnerKind.BAZNAS, in_csr_forum=True)
    _, workbook = download(client, users[Role.ADMIN], PARTNERS, kind="bumd")
    assert [row[0] for row in values(workbook.worksheets[0])[1:]] == ["Bank Kalsel Cabang Kotabaru"]
    _, workbook = download(client, users[Role.ADMIN], PARTNERS, committed="no", year="2026")
    assert [row[0] for row in values(workbook.worksheets[0])[1:]] == ["Baznas Kabupaten Kotabaru"]
    logs = list(ExportLog.objects.order_by("created_at", "pk").values_list("filters", "rows"))
    this_year = timezone.localdate().year
    assert logs == [
        ({"kind": "bumd", "year": this_year}, 1),
        ({"committed": "no", "year": 2026}, 1),
    ]


def test_a_filter_the_partners_file_cannot_use_gives_no_file_and_no_log(client, users, partner):
    client.force_login(users[Role.SECRETARIAT])
    response = client.get(PARTNERS, {"year": "abad"})
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "Saringan tidak dapat digunakan:" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_the_pledges_file_has_a_row_per_pledge_and_per_realisation(client, users, delivered):
    response, workbook = download(client, users[Role.SECRETARIAT], PLEDGES)
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert response["Content-Disposition"] == f'attachment; filename="janji-mitra-{today}.xlsx"'
    pledges, realisations = workbook.worksheets
    assert values(pledges)[0] == (
        "Komitmen",
        "Tanggal penandatanganan",
        "Periode dari",
        "Periode sampai",
        "Program",
        "Mitra",
        "Jenis mitra",
        "Jenis janji",
        "Jumlah",
        "Satuan",
        "Uraian",
        "Desa",
        "Terverifikasi",
        "Dilaporkan",
    )
    rows = {(row[5], row[7]): row for row in values(pledges)[1:]}
    assert len(rows) == 4
    title = "Komitmen Bersama Pemberdayaan Warga Miskin Produktif"
    money = rows["PT Arutmin Indonesia NPLCT", "Uang"]
    assert money[:5] == (
        title,
        datetime.datetime(2025, 10, 4),
        datetime.datetime(2025, 10, 4),
        datetime.datetime(2026, 12, 31),
        "KTB-WMP-2025",
    )
    assert money[6:] == (
        "Perusahaan swasta (CSR)",
        "Uang",
        500_000_000,
        "Rp",
        None,
        None,
        125_000_000,
        175_000_000,
    )
    goods = rows["BUMDes Pesona Rejo Jata Tegalrejo", "Barang"]
    assert goods[8:] == (2.5, "ton", "Beras", "Langadai", 0, 0)

    assert values(realisations)[0][:4] == ("Tanggal diserahkan", "Mitra", "Komitmen", "Janji")
    arutmin, bumdes = "PT Arutmin Indonesia NPLCT", "BUMDes Pesona Rejo Jata Tegalrejo"
    assert [row[:2] + row[3:8] for row in values(realisations)[1:]] == [
        (datetime.datetime(2025, 11, 10), arutmin, "Uang", 125_000_000, "Rp", "Terverifikasi", 0),
        (
            datetime.datetime(2026, 1, 5),
            arutmin,
            "Lapangan kerja: Tenaga kerja lokal",
            6,
            "orang",
            "Terverifikasi",
            2,
        ),
        (
            datetime.datetime(2026, 2, 1),
            arutmin,
            "Uang",
            50_000_000,
            "Rp",
            "Menunggu verifikasi",
            0,
        ),
        (datetime.datetime(2026, 3, 1), bumdes, "Barang: Beras", 1.5, "ton", "Dikembalikan", 0),
    ]
    first, _, waiting, returned = values(realisations)[1:]
    assert first[8:10] == (
        users[Role.SECRETARIAT].get_full_name(),
        datetime.datetime(2025, 11, 12, 9, 30),
    )
    assert waiting[10] == "Tahap 2"
    assert returned[11] == "Foto serah terima belum ada"
    log = ExportLog.objects.get()
    assert (log.what, log.filters, log.rows) == ("pledges", {}, 8)


def test_the_pledges_file_of_a_year_has_that_years_commitments_only(client, users, delivered):
    old = PartnerFactory(name="PT Lama")
    PledgeFactory(
        commitment=CommitmentFactory(
            partners=[old],
            signed_on=datetime.date(2023, 5, 1),
            start_date=datetime.date(2023, 5, 1),
            end_date=datetime.date(2024, 4, 30),
        ),
        partner=old,
    )
    response, workbook = download(client, users[Role.LEADER], PLEDGES, year="2024")
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert response["Content-Disposition"] == (
        f'attachment; filename="janji-mitra-2024-per-{today}.xlsx"'
    )
    assert [row[5] for row in values(workbook.worksheets[0])[1:]] == ["PT Lama"]
    assert len(values(workbook.worksheets[1])) == 1  # the header: nothing delivered
    _, workbook = download(client, users[Role.LEADER], PLEDGES, year="2026")
    assert "PT Lama" not in {row[5] for row in values(workbook.worksheets[0])[1:]}
    assert ExportLog.objects.filter(what="pledges", filters={"year": 2024}, rows=1).exists()


def test_a_formula_typed_into_a_name_stays_text(client, users, partner):
    PartnerFactory(name='=HYPERLINK("http://x")')
    _, workbook = download(client, users[Role.SECRETARIAT], PARTNERS)
    names = {row[0] for row in values(workbook.worksheets[0])[1:]}
    assert '\'=HYPERLINK("http://x")' in names


@pytest.mark.parametrize("url", [PARTNERS, PLEDGES])
@pytest.mark.parametrize("role", [Role.AGENCY, Role.PARTNER])
def test_agencies_and_partners_download_neither_file(client, users, partner, url, role):
    client.force_login(users[role])
    assert client.get(url).status_code == 403
    assert not ExportLog.objects.exists()
