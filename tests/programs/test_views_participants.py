"""Enrolling from the eligible list and by search, the override, and following a participant."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from programs.models import Enrollment, EnrollmentStatus
from tests.factories import EnrollmentFactory, ProgramFactory
from tests.programs.conftest import LANGADAI, TARJUN, resident
from tkpk.models import ExportLog, Role

pytestmark = pytest.mark.django_db


def test_the_eligible_list_shows_the_quota_and_enrolling_takes_a_place(
    client, kotabaru, lead_operator
):
    person = resident(name="BUDI SANTOSO")
    client.force_login(lead_operator)
    url = reverse("programs:eligible_list", args=[kotabaru.code, LANGADAI])
    page = client.get(url).content.decode()
    assert "4 dari 4 tempat tersisa" in page
    assert "BUDI SANTOSO" in page
    response = client.post(
        reverse("programs:enroll", args=[kotabaru.code]), {"person": person.pk, "next": url}
    )
    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert "3 dari 4 tempat tersisa" in page
    assert "BUDI SANTOSO terdaftar di KTB-WMP-2025" in page
    assert Enrollment.objects.get().created_by == lead_operator


def test_a_refused_person_gets_the_reason_and_the_override_form(client, kotabaru, lead_operator):
    person = resident(desil=6)
    client.force_login(lead_operator)
    url = reverse("programs:enroll", args=[kotabaru.code])
    response = client.post(url, {"person": person.pk})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Desil 6 melebihi batas program, yaitu 4." in page
    assert 'name="override_reason"' in page
    response = client.post(url, {"person": person.pk, "override_reason": "Korban banjir"})
    assert response.status_code == 302
    assert Enrollment.objects.get().override_reason == "Korban banjir"


def test_a_full_quota_offers_no_override(client, kotabaru, lead_operator):
    EnrollmentFactory(program=kotabaru, person=resident(TARJUN))
    client.force_login(lead_operator)
    response = client.post(
        reverse("programs:enroll", args=[kotabaru.code]), {"person": resident(TARJUN).pk}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Kuota Tarjun (1) sudah penuh." in page
    assert 'name="override_reason"' not in page


def test_search_by_nik_flags_another_running_program(client, kotabaru, lead_operator):
    person = resident(name="RINA")
    EnrollmentFactory(program=ProgramFactory(name="Bantuan Sembako"), person=person)
    client.force_login(lead_operator)
    response = client.post(
        reverse("programs:person_search", args=[kotabaru.code]), {"q": person.nik}
    )
    page = response.content.decode()
    assert "RINA" in page and "Bantuan Sembako" in page
    assert person.nik not in response.request["PATH_INFO"]


def test_another_agency_cannot_enrol_or_see_the_eligible_list(client, kotabaru, users):
    client.force_login(users[Role.AGENCY])
    person = resident()
    assert (
        client.get(reverse("programs:eligible_list", args=[kotabaru.code, LANGADAI])).status_code
        == 403
    )
    response = client.post(reverse("programs:enroll", args=[kotabaru.code]), {"person": person.pk})
    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_a_village_outside_the_targets_has_no_eligible_list(client, kotabaru, lead_operator):
    client.force_login(lead_operator)
    url = reverse("programs:eligible_list", args=[kotabaru.code, "63.02.06.2013"])
    assert client.get(url).status_code == 404


def test_the_lead_agency_moves_a_participant_on(client, kotabaru, lead_operator):
    enrollment = EnrollmentFactory(program=kotabaru, person=resident())
    client.force_login(lead_operator)
    url = reverse("programs:participant_status", args=[kotabaru.code, enrollment.pk])
    response = client.post(url, {"status-status": "exited", "status-on": "2025-11-01"})
    assert response.status_code == 400
    assert "Pilih alasan peserta keluar." in response.content.decode()
    response = client.post(
        url, {"status-status": "exited", "status-on": "2025-11-01", "status-exit_reason": "moved"}
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.exit_reason) == (EnrollmentStatus.EXITED, "moved")


def test_an_involved_agency_sees_participants_but_cannot_change_them(
    client, kotabaru, users, agency
):
    kotabaru.agencies.add(agency)
    enrollment = EnrollmentFactory(program=kotabaru, person=resident(name="ANI"))
    client.force_login(users[Role.AGENCY])
    page = client.get(reverse("programs:participant_detail", args=[kotabaru.code, enrollment.pk]))
    assert "ANI" in page.content.decode()
    response = client.post(
        reverse("programs:participant_status", args=[kotabaru.code, enrollment.pk]),
        {"status-status": "active", "status-on": "2025-11-01"},
    )
    assert response.status_code == 403


def test_participants_export_masks_the_nik_for_an_agency_and_is_logged(
    client, kotabaru, lead_operator
):
    person = resident()
    EnrollmentFactory(program=kotabaru, person=person)
    client.force_login(lead_operator)
    response = client.get(reverse("programs:participants_export", args=[kotabaru.code]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[1][0] == person.nik_masked
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.rows) == (lead_operator, "participants", 1)


def test_an_agency_opens_a_person_only_through_its_own_programs(
    client, kotabaru, lead_operator, users
):
    reached = resident(name="TERJANGKAU")
    EnrollmentFactory(program=kotabaru, person=reached)
    stranger = resident()
    client.force_login(lead_operator)
    page = client.get(reverse("households:person_detail", args=[reached.pk])).content.decode()
    assert "TERJANGKAU" in page and kotabaru.name in page
    assert reached.nik not in page
    assert client.get(reverse("households:person_detail", args=[stranger.pk])).status_code == 404
    client.force_login(users[Role.AGENCY])
    assert client.get(reverse("households:person_detail", args=[reached.pk])).status_code == 404


def test_an_enrol_button_carries_a_large_id_as_digits(client, kotabaru, lead_operator):
    """Indonesian number formatting writes 12345 as 12.345: an id must never be formatted."""
    person = resident(pk=12345)
    client.force_login(lead_operator)
    page = client.get(reverse("programs:eligible_list", args=[kotabaru.code, LANGADAI]))
    assert f'name="person" value="{person.pk}"' in page.content.decode()


def test_income_is_typed_the_indonesian_way(client, kotabaru, lead_operator):
    enrollment = EnrollmentFactory(program=kotabaru, person=resident())
    client.force_login(lead_operator)
    response = client.post(
        reverse("programs:participant_income", args=[kotabaru.code, enrollment.pk]),
        {"income-amount": "1.500.000", "income-on": "2025-11-01"},
    )
    assert response.status_code == 302
    assert enrollment.incomes.get().amount == 1_500_000


def test_a_full_village_offers_no_enrol_button(client, kotabaru, lead_operator):
    EnrollmentFactory(program=kotabaru, person=resident(TARJUN))
    resident(TARJUN, name="MENUNGGU")
    client.force_login(lead_operator)
    page = client.get(reverse("programs:eligible_list", args=[kotabaru.code, TARJUN]))
    text = page.content.decode()
    assert "MENUNGGU" in text and "Kuota sudah penuh" in text
    assert 'name="person"' not in text


def test_the_search_stays_in_the_program_villages(client, kotabaru, lead_operator):
    resident(LANGADAI, name="SALEH DALAM")
    resident("63.02.06.2013", name="SALEH LUAR")
    client.force_login(lead_operator)
    page = client.post(reverse("programs:person_search", args=[kotabaru.code]), {"q": "saleh"})
    text = page.content.decode()
    assert "SALEH DALAM" in text and "SALEH LUAR" not in text


def test_an_override_of_only_spaces_asks_for_the_reason(client, kotabaru, lead_operator):
    person = resident(desil=6)
    client.force_login(lead_operator)
    response = client.post(
        reverse("programs:enroll", args=[kotabaru.code]),
        {"person": person.pk, "override_reason": "   "},
    )
    assert response.status_code == 409
    assert "Tuliskan alasan orang ini tetap didaftarkan." in response.content.decode()
    assert not Enrollment.objects.exists()
