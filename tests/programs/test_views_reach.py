"""The overlap and exclusion pages and their exports, per role."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from households.identity import mask
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    EnrollmentFactory,
    HouseholdFactory,
    PersonFactory,
    PillarFactory,
    ProgramFactory,
    VillageQuotaFactory,
)
from tkpk.models import ExportLog, Role

pytestmark = pytest.mark.django_db

OVERLAP = reverse("programs:overlap")
OVERLAP_EXPORT = reverse("programs:overlap_export")


@pytest.fixture(autouse=True)
def region(settings):
    settings.TKPK_REGION_CODE = "63.02"
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    AreaFactory(code="63.02.17", name="Kelumpang Hilir")
    AreaFactory(code="63.02.06", name="Kelumpang Tengah")
    return {
        "langadai": AreaFactory(code="63.02.17.2003", name="Langadai"),
        "tarjun": AreaFactory(code="63.02.06.2013", name="Tarjun"),
    }


@pytest.fixture
def english(client, settings):
    """Interface strings in English, the source language, whatever the catalog holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def scene(region, agency, other_agency):
    """AHMAD in Langadai is in PKH (the operator's agency) and WMP; SITI in Tarjun in WMP and
    SEMBAKO (neither the operator's); RUDI in Langadai, desil 2, in no program."""
    bansos, empowerment = PillarFactory(order=1), PillarFactory(order=2)
    pkh = ProgramFactory(code="PKH-2025", pillar=bansos, lead_agency=agency, max_desil=4)
    VillageQuotaFactory(program=pkh, village=region["langadai"])
    wmp = ProgramFactory(code="WMP-2025", pillar=empowerment, lead_agency=other_agency)
    sembako = ProgramFactory(code="SEMBAKO-2025", pillar=bansos, lead_agency=other_agency)
    ahmad = PersonFactory(
        name="AHMAD FAUZI",
        nik="6302170101850001",
        household=HouseholdFactory(no_kk="6302170101200001", village=region["langadai"], desil=1),
    )
    siti = PersonFactory(
        name="SITI AISYAH",
        nik="6302064202880002",
        household=HouseholdFactory(no_kk="6302060101200002", village=region["tarjun"], desil=3),
    )
    rudi = PersonFactory(
        name="RUDI HARTONO",
        nik="6302170101800003",
        household=HouseholdFactory(no_kk="6302170101200003", village=region["langadai"], desil=2),
    )
    for program, person in ((pkh, ahmad), (wmp, ahmad), (wmp, siti), (sembako, siti)):
        EnrollmentFactory(program=program, person=person)
    return {"pkh": pkh, "wmp": wmp, "ahmad": ahmad, "siti": siti, "rudi": rudi}


def text(response) -> str:
    return response.content.decode()


def sign_in(client, users, role):
    client.force_login(users[role])
    return client


# Overlap ---------------------------------------------------------------------------------


def test_overlap_page_lists_people_with_their_programs_and_the_definitions(english, users, scene):
    response = sign_in(english, users, Role.SECRETARIAT).get(OVERLAP, {"year": 2025})

    assert response.status_code == 200
    page = text(response)
    assert "In 2025: 2 people and 2 households reached by more than one program." in page
    assert "AHMAD FAUZI" in page and "SITI AISYAH" in page
    assert "6302170101850001" in page  # the secretariat sees NIKs in full
    assert "PKH-2025" in page and "SEMBAKO-2025" in page
    assert "Same year: programs whose period touches the chosen year." in page
    assert "RUDI" not in page


def test_overlap_defaults_to_this_year_in_the_region(english, users, scene):
    response = sign_in(english, users, Role.SECRETARIAT).get(OVERLAP)

    assert response.status_code == 200
    assert response.context["scope"].year == timezone.localdate().year


def test_overlap_masks_nik_for_a_leader(english, users, scene):
    response = sign_in(english, users, Role.LEADER).get(OVERLAP, {"year": 2025})

    page = text(response)
    assert "AHMAD FAUZI" in page
    assert "6302170101850001" not in page
    assert mask("6302170101850001") in page


def test_overlap_filters_by_district_pillar_and_shows_households(english, users, scene):
    client = sign_in(english, users, Role.SECRETARIAT)

    by_district = text(client.get(OVERLAP, {"year": 2025, "district": "63.02.06"}))
    assert "SITI AISYAH" in by_district and "AHMAD FAUZI" not in by_district
    bansos = scene["pkh"].pillar_id
    by_pillar = text(client.get(OVERLAP, {"year": 2025, "pillar": bansos}))
    assert "In 2025: 0 people and 0 households" in by_pillar
    households = text(client.get(OVERLAP, {"year": 2025, "unit": "households"}))
    assert "6302170101200001" in households and "Head of family" in households


def test_overlap_of_another_year_is_empty(english, users, scene):
    page = text(sign_in(english, users, Role.SECRETARIAT).get(OVERLAP, {"year": 2024}))

    assert "Nobody is reached by more than one program with this filter." in page


def test_overlap_htmx_answers_with_the_results_only(english, users, scene):
    response = sign_in(english, users, Role.SECRETARIAT).get(
        OVERLAP, {"year": 2025, "village": "63.02.17.2003"}, HTTP_HX_REQUEST="true"
    )

    page = text(response)
    assert page.lstrip().startswith('<div id="results">')
    assert "AHMAD FAUZI" in page and "SITI" not in page


def test_overlap_refuses_a_bad_year(english, users, scene):
    response = sign_in(english, users, Role.SECRETARIAT).get(OVERLAP, {"year": 1900})

    assert response.status_code == 400
    assert "The filter cannot be used" in text(response)


@pytest.mark.parametrize("on", ["0001-01-01", "9999-12-31"])
def test_exclusion_refuses_an_implausible_date_instead_of_failing(english, users, scene, on):
    response = sign_in(english, users, Role.SECRETARIAT).get(
        exclusion_url(scene["pkh"]), {"on": on}
    )

    assert response.status_code == 400
    assert "Enter a date between 1900 and 2100." in text(response)


def test_an_agency_operator_sees_only_overlap_touching_their_programs(english, users, scene):
    response = sign_in(english, users, Role.AGENCY).get(OVERLAP, {"year": 2025})

    page = text(response)
    assert "AHMAD FAUZI" in page  # PKH is theirs; WMP, the other program, is shown too
    assert "WMP-2025" in page
    assert "SITI AISYAH" not in page
    assert mask("6302170101850001") in page


def test_partners_may_not_see_overlap(client, users, scene):
    assert sign_in(client, users, Role.PARTNER).get(OVERLAP).status_code == 403


def test_overlap_export_is_logged_and_masked_for_a_leader(users, scene, client):
    response = sign_in(client, users, Role.LEADER).get(
        OVERLAP_EXPORT, {"year": 2025, "district": "63.02.17"}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 2
    assert rows[1][:2] == (mask("6302170101850001"), "AHMAD FAUZI")
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.rows, log.file_format) == (
        users[Role.LEADER],
        "overlap-people",
        1,
        "xlsx",
    )
    assert log.filters == {"year": 2025, "district": "63.02.17"}


def test_overlap_export_of_households_in_full_for_the_secretariat(users, scene, client):
    response = sign_in(client, users, Role.SECRETARIAT).get(
        OVERLAP_EXPORT, {"year": 2025, "unit": "households"}
    )

    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert {row[0] for row in rows[1:]} == {"6302170101200001", "6302060101200002"}
    assert ExportLog.objects.get().what == "overlap-households"


# Exclusion -------------------------------------------------------------------------------


def exclusion_url(program, export=False):
    name = "programs:exclusion_export" if export else "programs:exclusion"
    return reverse(name, kwargs={"code": program.code})


def test_exclusion_page_lists_the_missed_poorest_first(english, users, scene):
    response = sign_in(english, users, Role.SECRETARIAT).get(exclusion_url(scene["pkh"]))

    assert response.status_code == 200
    page = text(response)
    assert "1 eligible household not reached" in page
    assert "RUDI HARTONO" in page and "6302170101200003" in page
    assert "AHMAD" not in page  # reached
    assert "SITI" not in page  # not in a target village
    assert "Where: the program's target villages." in page
    assert "Eligible: latest national desil 4 or lower" in page


def test_exclusion_masks_no_kk_for_a_leader_and_an_agency_operator(english, users, scene):
    for role in (Role.LEADER, Role.AGENCY):
        page = text(sign_in(english, users, role).get(exclusion_url(scene["pkh"])))
        assert "RUDI HARTONO" in page
        assert "6302170101200003" not in page
        assert mask("6302170101200003") in page


def test_exclusion_of_another_agency_s_program_is_forbidden(client, users, scene):
    client = sign_in(client, users, Role.AGENCY)

    assert client.get(exclusion_url(scene["wmp"])).status_code == 403
    assert client.get(exclusion_url(scene["wmp"], export=True)).status_code == 403
    assert not ExportLog.objects.exists()


def test_an_agency_joining_a_program_sees_its_exclusion(client, users, scene, agency):
    scene["wmp"].agencies.add(agency)

    assert sign_in(client, users, Role.AGENCY).get(exclusion_url(scene["wmp"])).status_code == 200


def test_partners_may_not_see_exclusion(client, users, scene):
    assert sign_in(client, users, Role.PARTNER).get(exclusion_url(scene["pkh"])).status_code == 403


def test_exclusion_of_an_unknown_program_is_404(client, users, scene):
    client = sign_in(client, users, Role.SECRETARIAT)

    assert client.get(reverse("programs:exclusion", kwargs={"code": "NOPE"})).status_code == 404


def test_exclusion_offers_only_the_target_villages_and_filters_by_them(english, users, scene):
    client = sign_in(english, users, Role.SECRETARIAT)

    response = client.get(exclusion_url(scene["pkh"]))
    villages = [v.name for v in response.context["form"].fields["village"].queryset]
    assert villages == ["Langadai"]
    refused = client.get(exclusion_url(scene["pkh"]), {"village": "63.02.06.2013"})
    assert refused.status_code == 400


def test_exclusion_age_date_filter(english, users, scene):
    scene["pkh"].min_age = 40
    scene["pkh"].save()
    client = sign_in(english, users, Role.SECRETARIAT)

    # RUDI was born on 1 January 1990 (the factory's birth date): 40 on 1 January 2030.
    assert "RUDI" not in text(client.get(exclusion_url(scene["pkh"]), {"on": "2029-12-31"}))
    assert "RUDI" in text(client.get(exclusion_url(scene["pkh"]), {"on": "2030-01-01"}))


def test_exclusion_export_is_logged_with_no_kk_masked_for_an_agency(users, scene, client):
    response = sign_in(client, users, Role.AGENCY).get(
        exclusion_url(scene["pkh"], export=True), {"on": "2025-11-01"}
    )

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][:2] == (mask("6302170101200003"), "RUDI HARTONO")
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.rows) == (users[Role.AGENCY], "exclusion", 1)
    assert log.filters == {
        "program": "PKH-2025",
        "on": "2025-11-01",
        "district": None,
        "village": None,
    }


def test_exclusion_export_in_full_for_the_secretariat(users, scene, client):
    response = sign_in(client, users, Role.SECRETARIAT).get(
        exclusion_url(scene["pkh"], export=True)
    )

    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][0] == "6302170101200003"


def test_another_agency_gets_403_even_for_a_program_it_neither_leads_nor_joins(
    client, users, scene
):
    outsider = AgencyFactory(acronym="Dinkes")
    users[Role.AGENCY].agency = outsider
    users[Role.AGENCY].save()
    client = sign_in(client, users, Role.AGENCY)

    assert client.get(exclusion_url(scene["pkh"])).status_code == 403
    # Overlap is open to them, but holds nothing: none of the programs is theirs.
    assert "AHMAD" not in text(client.get(OVERLAP, {"year": 2025}))
