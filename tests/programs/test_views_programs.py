"""The programs list, a program's page, and editing a program by role."""

import pytest
from django.urls import reverse

from partners.models import PartnerKind, PledgeKind, RealisationStatus
from programs.models import Program, VillageQuota
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    EnrollmentFactory,
    PartnerFactory,
    PillarFactory,
    PledgeFactory,
    ProgramFactory,
    RealisationFactory,
)
from tests.programs.conftest import LANGADAI, TARJUN, resident
from tkpk.models import Role

pytestmark = pytest.mark.django_db


def program_data(**changes):
    data = {
        "code": "KTB-WMP-2026",
        "name": "Pemberdayaan Warga Miskin Produktif 2026",
        "pillar": PillarFactory(order=2).pk,
        "kind": "empowerment",
        "status": "planned",
        "start_date": "2026-01-01",
        "end_date": "2026-06-30",
        "max_desil": "4",
        "min_age": "18",
        "max_age": "59",
        "one_per_household": "on",
        "quotas-TOTAL_FORMS": "1",
        "quotas-INITIAL_FORMS": "0",
        "quotas-0-village": LANGADAI,
        "quotas-0-quota": "4",
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-source": "apbd",
        "budget-0-amount": "150000000",
    }
    return data | changes


def test_the_secretariat_creates_a_program_with_quotas_and_budget(
    client, users, other_agency, kotabaru
):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("programs:program_create"), program_data(lead_agency=other_agency.pk)
    )
    assert response.status_code == 302
    program = Program.objects.get(code="KTB-WMP-2026")
    assert [(q.village_id, q.quota) for q in program.quotas.all()] == [(LANGADAI, 4)]
    assert program.budget_lines.get().amount == 150_000_000
    page = client.get(response.url).content.decode()
    assert "Rp 150.000.000" in page
    assert "Rumah tangga pada desil nasional 1–4" in page


def test_a_bad_program_says_what_is_wrong_and_saves_nothing(client, users, other_agency, kotabaru):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("programs:program_create"),
        program_data(lead_agency=other_agency.pk, end_date="2025-12-31", code="ktb 2026"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in page
    assert "KTB-WMP-2025" in page  # the example in the code's rule
    assert not Program.objects.filter(name__endswith="2026").exists()


def test_the_lead_agency_edits_its_program_but_cannot_hand_it_over(
    client, kotabaru, lead_operator, agency
):
    client.force_login(lead_operator)
    data = program_data(code=kotabaru.code, lead_agency=agency.pk, name="Nama baru")
    data |= {"quotas-0-village": "63.02.06.2013", "quotas-0-quota": "10"}
    AreaFactory(code="63.02.06.2013", name="Sungai Taib")
    response = client.post(reverse("programs:program_update", args=[kotabaru.code]), data)
    assert response.status_code == 302
    assert kotabaru.quotas.count() == 3
    kotabaru.refresh_from_db()
    assert (kotabaru.name, kotabaru.lead_agency) == ("Nama baru", lead_operator.agency)


def test_a_village_listed_twice_is_an_error_not_a_crash(client, users, kotabaru):
    client.force_login(users[Role.SECRETARIAT])
    data = program_data(code=kotabaru.code, lead_agency=kotabaru.lead_agency_id)
    data |= {"quotas-0-village": TARJUN}  # Tarjun is a target already
    response = client.post(reverse("programs:program_update", args=[kotabaru.code]), data)
    assert response.status_code == 400
    assert "Tarjun tercantum dua kali." in response.content.decode()


def test_a_target_village_cannot_be_swapped_under_its_participants(client, kotabaru, lead_operator):
    EnrollmentFactory(program=kotabaru, person=resident(TARJUN))
    quota = VillageQuota.objects.get(program=kotabaru, village=TARJUN)
    AreaFactory(code="63.02.06.2013", name="Sungai Taib")
    client.force_login(lead_operator)
    data = program_data(code=kotabaru.code, lead_agency=kotabaru.lead_agency_id) | {
        "quotas-INITIAL_FORMS": "1",
        "quotas-0-id": quota.pk,
        "quotas-0-village": "63.02.06.2013",  # a tampered post: the field is disabled
        "quotas-0-quota": "5",
    }
    response = client.post(reverse("programs:program_update", args=[kotabaru.code]), data)
    assert response.status_code == 302
    quota.refresh_from_db()
    assert (quota.village_id, quota.quota) == (TARJUN, 5)


def test_another_agency_cannot_edit_by_url_or_by_form(client, kotabaru, users, agency):
    client.force_login(users[Role.AGENCY])
    url = reverse("programs:program_update", args=[kotabaru.code])
    assert client.get(url).status_code == 403
    data = program_data(code=kotabaru.code, lead_agency=agency.pk, name="Dibajak")
    assert client.post(url, data).status_code == 403
    kotabaru.refresh_from_db()
    assert kotabaru.name != "Dibajak"


def test_a_quota_cannot_drop_below_the_participants_already_there(client, users, kotabaru):
    EnrollmentFactory(program=kotabaru, person=resident(TARJUN))
    client.force_login(users[Role.SECRETARIAT])
    quota = VillageQuota.objects.get(program=kotabaru, village=TARJUN)
    data = program_data(code=kotabaru.code, lead_agency=kotabaru.lead_agency_id) | {
        "quotas-INITIAL_FORMS": "1",
        "quotas-0-id": quota.pk,
        "quotas-0-village": TARJUN,
        "quotas-0-quota": "0",
    }
    response = client.post(reverse("programs:program_update", args=[kotabaru.code]), data)
    assert response.status_code == 400
    assert "Tarjun sudah punya 1 peserta" in response.content.decode()


def test_the_list_filters_by_pillar_agency_status_and_year(client, users, kotabaru):
    ProgramFactory(
        code="LAMA-2023", start_date="2023-01-01", end_date="2023-12-31", status="finished"
    )
    client.force_login(users[Role.LEADER])
    url = reverse("programs:program_list")
    assert "LAMA-2023" in client.get(url).content.decode()
    page = client.get(url, {"year": 2025}).content.decode()
    assert "KTB-WMP-2025" in page and "LAMA-2023" not in page
    page = client.get(url, {"status": "finished"}).content.decode()
    assert "KTB-WMP-2025" not in page and "LAMA-2023" in page
    page = client.get(url, {"agency": kotabaru.lead_agency_id}).content.decode()
    assert "KTB-WMP-2025" in page and "LAMA-2023" not in page


def test_the_program_page_shows_quota_bars_and_participants_by_role(client, users, kotabaru):
    person = resident(name="SITI AMINAH")
    EnrollmentFactory(program=kotabaru, person=person)
    client.force_login(users[Role.LEADER])
    page = client.get(reverse("programs:program_detail", args=[kotabaru.code])).content.decode()
    assert "SITI AMINAH" in page
    assert person.nik not in page and person.nik_masked in page
    assert "w-pct-25" in page  # Langadai: 1 of 4
    client.force_login(users[Role.AGENCY])  # an agency neither leading nor joining
    page = client.get(reverse("programs:program_detail", args=[kotabaru.code])).content.decode()
    assert "SITI AMINAH" not in page
    assert "w-pct-25" in page  # the counts are not personal


def test_a_partner_opens_only_the_programs_it_signed_for_and_never_who_takes_part(
    client, users, kotabaru, partner
):
    person = resident(LANGADAI, name="SITI AMINAH")
    EnrollmentFactory(program=kotabaru, person=person)
    other = ProgramFactory(code="PKH-2025")
    client.force_login(users[Role.PARTNER])
    detail = reverse("programs:program_detail", args=[kotabaru.code])
    assert client.get(detail).status_code == 404
    CommitmentFactory(program=kotabaru, partners=[partner])
    page = client.get(detail).content.decode()
    assert "w-pct-25" in page  # Langadai: 1 of 4, a count
    assert "SITI AMINAH" not in page and person.nik_masked not in page
    listing = client.get(reverse("programs:program_list")).content.decode()
    assert kotabaru.code in listing and other.code not in listing
    assert client.get(reverse("programs:program_detail", args=[other.code])).status_code == 404
    export = reverse("programs:participants_export", args=[kotabaru.code])
    assert client.get(export).status_code == 403


def test_the_secretariat_renames_a_pillar(client, users):
    pillar = PillarFactory(order=1)
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("programs:pillar_update", args=[pillar.pk]),
        {"name": "Mengurangi beban pengeluaran", "short_name": "Beban", "order": 1},
    )
    assert response.status_code == 302
    pillar.refresh_from_db()
    assert pillar.name == "Mengurangi beban pengeluaran"


def test_the_program_page_shows_its_partners_pledged_against_verified_and_who_got_jobs(
    client, users, kotabaru, partner
):
    bank = PartnerFactory(name="Bank Kalsel Cabang Kotabaru", kind=PartnerKind.BUMD)
    commitment = CommitmentFactory(program=kotabaru, partners=[partner, bank])
    money = PledgeFactory(commitment=commitment, partner=bank, quantity=150_000_000)
    RealisationFactory(pledge=money, quantity=50_000_000, status=RealisationStatus.VERIFIED)
    RealisationFactory(pledge=money, quantity=20_000_000)  # awaiting verification
    jobs = PledgeFactory(
        commitment=commitment, partner=partner, kind=PledgeKind.JOBS, quantity=10, unit="orang"
    )
    hired = RealisationFactory(pledge=jobs, quantity=6, status=RealisationStatus.VERIFIED)
    hired.participants.set(
        [EnrollmentFactory(program=kotabaru, person=resident(LANGADAI)) for _ in range(6)]
    )
    client.force_login(users[Role.LEADER])
    page = client.get(reverse("programs:program_detail", args=[kotabaru.code])).content.decode()
    assert "6 peserta mendapat pekerjaan melalui PT Arutmin Indonesia NPLCT" in page
    assert "Rp 150.000.000" in page and "Rp 50.000.000" in page and "Rp 70.000.000" in page
    assert "33 %" in page  # verified of pledged


def test_a_program_without_partners_says_so(client, users, kotabaru):
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(reverse("programs:program_detail", args=[kotabaru.code])).content.decode()
    assert "Belum ada mitra yang menandatangani komitmen untuk program ini." in page


def test_a_partner_reads_on_the_program_page_only_what_came_through_its_own_commitments(
    client, users, kotabaru, partner
):
    CommitmentFactory(program=kotabaru, partners=[partner])
    bank = PartnerFactory(name="Bank Kalsel Cabang Kotabaru", kind=PartnerKind.BUMD)
    jobs = PledgeFactory(
        commitment=CommitmentFactory(program=kotabaru, partners=[bank]),
        kind=PledgeKind.JOBS,
        quantity=5,
        unit="orang",
    )
    hired = RealisationFactory(pledge=jobs, quantity=1, status=RealisationStatus.VERIFIED)
    hired.participants.set([EnrollmentFactory(program=kotabaru, person=resident(LANGADAI))])
    url = reverse("programs:program_detail", args=[kotabaru.code])
    client.force_login(users[Role.PARTNER])
    assert "Bank Kalsel" not in client.get(url).content.decode()
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(url).content.decode()
    assert "1 peserta mendapat pekerjaan melalui Bank Kalsel Cabang Kotabaru." in page
