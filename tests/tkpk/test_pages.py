import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import DtsenImport, ImportStatus
from partners.models import PartnerTarget, RealisationStatus
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    HouseholdFactory,
    PersonFactory,
    PledgeFactory,
    ProgramFactory,
    RealisationFactory,
    UserFactory,
)
from tkpk.models import Role

pytestmark = pytest.mark.django_db


def menu_labels(response):
    return [item.label for item in response.context["menu"]]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            Role.ADMIN,
            [
                "Beranda",
                "Dasbor",
                "Statistik",
                "Wilayah",
                "Rumah Tangga",
                "Program",
                "Mitra",
                "Rencana Aksi",
                "Laporan Akhir Tahun",
                "Penghargaan",
                "Muat DTSEN",
                "Perangkat Daerah",
                "Pengguna",
                "Administrasi",
            ],
        ),
        (
            Role.SECRETARIAT,
            [
                "Beranda",
                "Dasbor",
                "Statistik",
                "Wilayah",
                "Rumah Tangga",
                "Program",
                "Mitra",
                "Rencana Aksi",
                "Laporan Akhir Tahun",
                "Penghargaan",
                "Muat DTSEN",
                "Perangkat Daerah",
                "Pengguna",
            ],
        ),
        (Role.AGENCY, ["Beranda", "Program", "Mitra", "Rencana Aksi", "Perangkat Daerah Saya"]),
        (
            Role.LEADER,
            [
                "Beranda",
                "Dasbor",
                "Statistik",
                "Rumah Tangga",
                "Program",
                "Mitra",
                "Rencana Aksi",
                "Laporan Akhir Tahun",
                "Penghargaan",
                "Perangkat Daerah",
            ],
        ),
        (Role.PARTNER, ["Beranda", "Program", "Mitra Saya"]),
    ],
)
def test_each_role_sees_only_its_menu(client, users, role, expected):
    client.force_login(users[role])
    response = client.get(reverse("home"))
    assert menu_labels(response) == expected
    for item in response.context["menu"]:
        assert client.get(item.url).status_code == 200, item.url


def test_header_names_the_region(client, users, settings):
    settings.TKPK_REGION_CODE = "63.02"
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    client.force_login(users[Role.LEADER])
    assert "TKPK Kabupaten Kotabaru" in client.get(reverse("home")).content.decode()


def test_areas_page_lists_the_districts_of_the_region_with_village_counts(client, users, settings):
    settings.TKPK_REGION_CODE = "63.02"
    for code in ["63.02.17.2002", "63.02.17.2003", "63.02.06.2013", "63.03.01.2001"]:
        AreaFactory(code=code)
    client.force_login(users[Role.SECRETARIAT])
    response = client.get(reverse("households:area_list"))
    districts = {d.code: d.village_count for d in response.context["districts"]}
    assert districts == {"63.02.06": 1, "63.02.17": 2}
    assert "2 kecamatan, 3 desa" in response.content.decode()

    detail = client.get(reverse("households:area_detail", kwargs={"code": "63.02.17"}))
    assert [v.code for v in detail.context["villages"]] == ["63.02.17.2002", "63.02.17.2003"]
    # A district of another regency is not part of this installation.
    outside = reverse("households:area_detail", kwargs={"code": "63.03.01"})
    assert client.get(outside).status_code == 404


def test_areas_page_tells_how_to_load_areas_when_empty(client, users):
    client.force_login(users[Role.SECRETARIAT])
    assert "import_regions" in client.get(reverse("households:area_list")).content.decode()


def test_agency_list_counts_active_operators(client, users, agency):
    client.force_login(users[Role.LEADER])
    response = client.get(reverse("agency_list"))
    counted = {a.acronym: a.operator_count for a in response.context["agencies"]}
    assert counted["Dinsos P3AP2KB"] == 1


def test_english_is_available(client, users):
    client.force_login(users[Role.SECRETARIAT])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Welcome" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Selamat datang" in client.get(reverse("home")).content.decode()


def test_numbers_are_written_the_indonesian_way():
    from django.template import Context, Template

    rendered = Template("{% load humanize %}{{ n }} {{ p|floatformat:2 }} {{ n|intcomma }}").render(
        Context({"n": 1010, "p": 5.83})
    )
    assert rendered == "1.010 5,83 1.010"


def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(client, users):
    client.force_login(users[Role.LEADER])
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Selamat datang" in page.content.decode()


def test_the_greeting_uses_the_full_name(client, users):
    client.force_login(UserFactory(username="wabup", name="Wakil Bupati Kotabaru"))
    page = client.get(reverse("home")).content.decode()
    assert "Selamat datang, Wakil Bupati Kotabaru" in page


def test_the_greeting_uses_the_username_when_there_is_no_name(client, users):
    client.force_login(UserFactory(username="operator.tanpa.nama", name=""))
    page = client.get(reverse("home")).content.decode()
    assert "Selamat datang, operator.tanpa.nama" in page


def test_home_shows_every_role_the_register_in_numbers_and_no_ones_data(client, users):
    village = AreaFactory(code="63.02.17.2003", name="Langadai")
    poor = HouseholdFactory(village=village, desil=2)
    PersonFactory(household=poor, name="SITI AMINAH")
    PersonFactory(household=HouseholdFactory(village=village, desil=7))
    DtsenImport.objects.create(
        file_name="q3.csv", period="2025-Q3", status=ImportStatus.DONE, finished_at=timezone.now()
    )

    for role in Role.values:
        client.force_login(users[role])
        page = client.get(reverse("home")).content.decode()
        summary = page.split('data-testid="register-summary"')[1].split("</section>")[0]
        assert "2025-Q3" in summary and "50,0 %" in summary, role
        assert "SITI AMINAH" not in page and poor.no_kk not in page


def test_home_shows_the_secretariat_the_loads_to_look_at(client, users):
    DtsenImport.objects.create(
        file_name="diperiksa.csv", period="2025-Q4", status=ImportStatus.CHECKED
    )
    DtsenImport.objects.create(file_name="lama.csv", period="2025-Q2", status=ImportStatus.DONE)

    client.force_login(users[Role.SECRETARIAT])
    page = client.get(reverse("home")).content.decode()
    assert "diperiksa.csv" in page and "lama.csv" not in page
    client.force_login(users[Role.LEADER])
    assert "diperiksa.csv" not in client.get(reverse("home")).content.decode()


def test_home_shows_a_partner_operator_what_is_due_and_what_came_back(client, users, partner):
    today = timezone.localdate()
    running = CommitmentFactory(
        title="Komitmen bersama Kotabaru",
        partners=[partner],
        start_date=today.replace(month=1, day=1),
        end_date=today.replace(month=12, day=31),
    )
    money = PledgeFactory(commitment=running, quantity=100_000_000)
    RealisationFactory(pledge=money, quantity=40_000_000)  # awaiting verification
    RealisationFactory(
        pledge=money,
        quantity=10_000_000,
        status=RealisationStatus.RETURNED,
        review_comment="Kuitansi tidak terbaca.",
    )
    other = PledgeFactory(commitment=CommitmentFactory(title="Komitmen mitra lain"))
    RealisationFactory(pledge=other, status=RealisationStatus.RETURNED, review_comment="Lain.")

    client.force_login(users[Role.PARTNER])
    page = client.get(reverse("home")).content.decode()
    to_do = page.split('data-testid="partner-to-do"')[1].split("</section>")[0]
    assert "Kuitansi tidak terbaca." in to_do and "Lain." not in to_do
    assert "Rp 60.000.000" in to_do  # 100 pledged, 40 reported; the returned 10 counts nowhere
    assert "1 realisasi menunggu verifikasi sekretariat." in to_do
    assert "Komitmen mitra lain" not in page


def test_home_shows_the_secretariat_realisations_to_verify_and_everyone_the_partner_target(
    client, users, partner
):
    year = timezone.localdate().year
    PartnerTarget.objects.create(year=year, partners=50, set_by=users[Role.SECRETARIAT])
    commitment = CommitmentFactory(
        partners=[partner],
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year, 12, 31),
    )
    RealisationFactory(pledge=PledgeFactory(commitment=commitment), quantity=25_000_000)

    client.force_login(users[Role.SECRETARIAT])
    page = client.get(reverse("home")).content.decode()
    queue = page.split('data-testid="realisations-awaiting"')[1].split("</section>")[0]
    assert "1 realisasi mitra menunggu verifikasi Anda" in queue
    assert "PT Arutmin Indonesia NPLCT: Rp 25.000.000" in queue
    client.force_login(users[Role.LEADER])
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="realisations-awaiting"' not in page
    assert f"1 dari 50 mitra memiliki komitmen aktif pada tahun {year}." in page


def test_home_lists_the_programs_running_today_not_those_past_their_end(client, users, agency):
    today = timezone.localdate()
    ProgramFactory(
        code="JALAN-2026",
        name="Program yang berjalan",
        lead_agency=agency,
        status="running",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=30),
    )
    ProgramFactory(
        code="LEWAT-2025",
        name="Program yang sudah lewat",
        lead_agency=agency,
        status="running",  # nobody has set it to finished yet
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=1),
    )
    client.force_login(users[Role.AGENCY])
    summary = (
        client.get(reverse("home")).content.decode().split('data-testid="programs-summary"')[1]
    )
    assert "Program yang berjalan" in summary and "Program yang sudah lewat" not in summary
