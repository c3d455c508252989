"""The register pages: the household list with its filter, household and person pages."""

import datetime
import re

import pytest
from django.urls import reverse

from households.identity import mask
from households.models import DtsenImport, HouseholdDesil, Relationship, Sex
from tests.factories import AreaFactory, HouseholdFactory, PersonFactory
from tkpk.models import Role

pytestmark = pytest.mark.django_db

LIST = reverse("households:household_list")


@pytest.fixture(autouse=True)
def region(settings):
    settings.TKPK_REGION_CODE = "63.02"
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    AreaFactory(code="63.02.17", name="Kelumpang Hilir")
    AreaFactory(code="63.02.06", name="Kelumpang Tengah")
    return {
        "langadai": AreaFactory(code="63.02.17.2003", name="Langadai"),
        "tegal_rejo": AreaFactory(code="63.02.17.2004", name="Tegal Rejo"),
        "tarjun": AreaFactory(code="63.02.06.2013", name="Tarjun"),
    }


@pytest.fixture
def english(client, settings):
    """Interface strings in English, the source language, whatever the catalog holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def register(region):
    """Three households in two districts, desil 1, 4 and 7."""
    ahmad = HouseholdFactory(
        no_kk="6302170101200001",
        village=region["langadai"],
        address="Jl. Transmigrasi No. 7",
        rt="003",
        rw="001",
        dusun="Dusun Harapan",
        desil=1,
        desil_period="2025-09",
    )
    PersonFactory(household=ahmad, nik="6302170101850001", name="AHMAD FAUZI")
    PersonFactory(
        household=ahmad,
        nik="6302174202880002",
        name="SITI AISYAH",
        sex=Sex.FEMALE,
        birth_date=datetime.date(1988, 2, 2),
        relationship=Relationship.SPOUSE,
    )
    PersonFactory(
        household=ahmad,
        nik="6302170303150003",
        name="RIZKY FAUZAN",
        birth_date=datetime.date(2015, 3, 3),
        relationship=Relationship.CHILD,
    )
    bahrudin = HouseholdFactory(
        no_kk="6302170101200002", village=region["tegal_rejo"], desil=4, desil_period="2025-09"
    )
    PersonFactory(household=bahrudin, nik="6302170101700004", name="BAHRUDIN")
    jamilah = HouseholdFactory(
        no_kk="6302060101200003", village=region["tarjun"], desil=7, desil_period="2025-06"
    )
    PersonFactory(household=jamilah, nik="6302064101750005", name="JAMILAH", sex=Sex.FEMALE)
    return {"ahmad": ahmad, "bahrudin": bahrudin, "jamilah": jamilah}


def listed(response) -> list[str]:
    """The No. KK column of the list, as the page shows it."""
    return re.findall(r'/rumah-tangga/\d+/"><code>([0-9*]+)</code>', response.content.decode())


def get_list(client, user, **params):
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return response


def test_list_shows_head_village_member_count_and_desil(client, users, register):
    page = get_list(client, users[Role.SECRETARIAT]).content.decode()
    row = page[page.index("6302170101200001") :].split("</tr>")[0]
    assert "AHMAD FAUZI" in row
    assert "Langadai" in row
    assert '<td class="num">3</td>' in row
    assert '<td class="num">1</td>' in row
    assert "2025-09" in row


def test_head_is_the_member_marked_head_else_the_first_member(client, users, region):
    household = HouseholdFactory(village=region["langadai"])
    PersonFactory(household=household, name="NORDIN", relationship=Relationship.CHILD)
    PersonFactory(household=household, name="JUBAIDAH", relationship=Relationship.HEAD)
    no_head = HouseholdFactory(village=region["langadai"])
    PersonFactory(household=no_head, name="HAMIDAH", relationship=Relationship.CHILD)
    PersonFactory(household=no_head, name="IDRIS", relationship=None)
    response = get_list(client, users[Role.SECRETARIAT])
    heads = {h.no_kk: h.head_name for h in response.context["page"]}
    assert heads == {household.no_kk: "JUBAIDAH", no_head.no_kk: "HAMIDAH"}


def test_filter_by_district_and_village(client, users, register):
    secretariat = users[Role.SECRETARIAT]
    assert listed(get_list(client, secretariat, district="63.02.17")) == [
        "6302170101200001",
        "6302170101200002",
    ]
    assert listed(get_list(client, secretariat, village="63.02.06.2013")) == ["6302060101200003"]
    both = get_list(client, secretariat, district="63.02.17", village="63.02.17.2004")
    assert listed(both) == ["6302170101200002"]


def test_a_chosen_district_narrows_the_village_select(client, users, register):
    response = get_list(client, users[Role.SECRETARIAT], district="63.02.06")
    village_select = response.content.decode().split('name="village"')[1].split("</select>")[0]
    assert "Tarjun" in village_select
    assert "Langadai" not in village_select


def test_filter_by_desil_range(client, users, register):
    secretariat = users[Role.SECRETARIAT]
    assert listed(get_list(client, secretariat, desil_from=1, desil_to=4)) == [
        "6302170101200001",
        "6302170101200002",
    ]
    assert listed(get_list(client, secretariat, desil_from=5)) == ["6302060101200003"]
    assert listed(get_list(client, secretariat, desil_to=1)) == ["6302170101200001"]


@pytest.mark.parametrize(
    "typed",
    [
        "6302174202880002",  # the wife's NIK finds her household
        "6302 1742 0288 0002",
        "6302.1742.0288.0002",
        "6302170101200001",  # the No. KK
        "6302.1701.0120.0001",
        " 6302 1701 0120 0001 ",
    ],
)
def test_search_by_nik_or_no_kk_however_it_is_typed(client, users, register, typed):
    response = get_list(client, users[Role.SECRETARIAT], q=typed)
    assert listed(response) == ["6302170101200001"]


def test_search_by_name_ignores_case_and_lists_each_household_once(client, users, register):
    secretariat = users[Role.SECRETARIAT]
    # "fauz" matches two members of the same household: the household is listed once.
    assert listed(get_list(client, secretariat, q="fauz")) == ["6302170101200001"]
    assert listed(get_list(client, secretariat, q="jamilah")) == ["6302060101200003"]
    assert listed(get_list(client, secretariat, q="tidak ada")) == []


def test_filters_combine(client, users, register):
    response = get_list(client, users[Role.SECRETARIAT], q="a", district="63.02.17", desil_to=2)
    assert listed(response) == ["6302170101200001"]


def test_pagination_keeps_the_filter(client, users, region):
    for _n in range(53):
        household = HouseholdFactory(village=region["langadai"], desil=2)
        PersonFactory(household=household)
    HouseholdFactory(village=region["tarjun"], desil=2)
    HouseholdFactory(village=region["langadai"], desil=9)
    secretariat = users[Role.SECRETARIAT]
    first = get_list(client, secretariat, village="63.02.17.2003", desil_to=3)
    assert len(listed(first)) == 50
    assert first.context["page"].paginator.count == 53
    next_link = re.search(r'href="(\?[^"]*page=2)"', first.content.decode()).group(1)
    assert "village=63.02.17.2003" in next_link
    assert "desil_to=3" in next_link
    second = client.get(LIST + next_link.replace("&amp;", "&"))
    assert len(listed(second)) == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"desil_from": "11"}, "Select a valid choice"),
        ({"desil_from": "abc"}, "Select a valid choice"),
        ({"desil_from": "7", "desil_to": "3"}, "“Desil to” cannot be below “Desil from”."),
        ({"district": "99.99.99"}, "Select a valid choice"),
        ({"village": "63.02.17.9999"}, "Select a valid choice"),
        # A village of another district than the one chosen.
        ({"district": "63.02.06", "village": "63.02.17.2003"}, "Select a valid choice"),
        ({"q": "6302 1701 0120"}, "A NIK or No. KK has 16 digits; 12 were typed."),
        ({"q": "x" * 101}, "at most 100 characters"),
    ],
)
def test_an_invalid_filter_gives_a_message_not_an_error(english, users, register, params, message):
    response = get_list(english, users[Role.SECRETARIAT], **params)
    html = response.content.decode()
    assert "The filter cannot be used" in html
    assert message in html
    assert listed(response) == []


def test_list_queries_do_not_grow_with_the_rows(
    client, users, region, django_assert_max_num_queries
):
    for n in range(40):
        household = HouseholdFactory(village=region["langadai" if n % 2 else "tarjun"], desil=3)
        PersonFactory(household=household)
        PersonFactory(household=household, relationship=Relationship.CHILD)
    client.force_login(users[Role.LEADER])
    # Session (read and save), user, region name, the district checked and listed, the
    # villages, the count and one query for the page of households with heads and counts.
    with django_assert_max_num_queries(11):
        response = client.get(LIST, {"district": "63.02.17", "q": "warga"})
    assert len(listed(response)) == 20


def test_htmx_gets_only_the_results_and_a_new_district_redraws_the_villages(
    client, users, register
):
    client.force_login(users[Role.SECRETARIAT])
    results = client.get(LIST, {"desil_to": "4"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in results
    assert results.lstrip().startswith('<div id="results">')
    assert 'id="village-field"' not in results
    assert "6302170101200002" in results

    redrawn = client.get(
        LIST, {"district": "63.02.06"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="district-field"
    ).content.decode()
    village_field = redrawn.split('id="village-field"')[1].split("</select>")[0]
    assert 'hx-swap-oob="true"' in village_field
    assert "Tarjun" in village_field
    assert "Langadai" not in village_field


def test_the_form_works_without_javascript(client, users, register):
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(LIST).content.decode()
    form = page.split('<form method="get"')[1].split("</form>")[0]
    assert f'action="{LIST}"' in form
    assert 'type="submit"' in form
    for name in ("q", "district", "village", "desil_from", "desil_to"):
        assert f'name="{name}"' in form
    # A full page for a plain GET, not the htmx fragment.
    assert "<html" in client.get(LIST, {"q": "fauzi"}).content.decode()


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.ADMIN])
def test_secretariat_and_admin_see_nik_no_kk_and_address_in_full(client, users, register, role):
    ahmad = register["ahmad"]
    listing = get_list(client, users[role]).content.decode()
    assert "6302170101200001" in listing

    detail = client.get(reverse("households:household_detail", kwargs={"pk": ahmad.pk}))
    html = detail.content.decode()
    assert "6302170101200001" in html
    assert "6302174202880002" in html
    assert "Jl. Transmigrasi No. 7" in html
    assert "003/001" in html
    assert "Dusun Harapan" in html

    siti = ahmad.members.get(name="SITI AISYAH")
    person = client.get(reverse("households:person_detail", kwargs={"pk": siti.pk}))
    assert "6302174202880002" in person.content.decode()
    assert "6302170101200001" in person.content.decode()


def test_leader_sees_masks_everywhere_and_no_street_address(client, users, register):
    ahmad = register["ahmad"]
    listing = get_list(client, users[Role.LEADER])
    assert listed(listing) == ["6302********0003", "6302********0001", "6302********0002"]
    assert listed(listing) == [mask(h.no_kk) for h in listing.context["page"]]
    assert "6302170101200001" not in listing.content.decode()
    assert reverse("households:household_export") not in listing.content.decode()

    detail = client.get(reverse("households:household_detail", kwargs={"pk": ahmad.pk}))
    html = detail.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "6302********0001" in title
    for secret in (
        "6302170101200001",
        "6302174202880002",
        "Jl. Transmigrasi",
        "003/001",
        "Dusun Harapan",
    ):
        assert secret not in html, secret
    assert "6302********0002" in html  # the wife's masked NIK
    assert "Langadai" in html
    assert "Kelumpang Hilir" in html

    siti = ahmad.members.get(name="SITI AISYAH")
    person = client.get(reverse("households:person_detail", kwargs={"pk": siti.pk}))
    html = person.content.decode()
    assert "SITI AISYAH" in html
    assert "6302174202880002" not in html
    assert "6302170101200001" not in html
    assert "6302********0002" in re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_a_leader_cannot_rebuild_a_nik_from_the_birth_date_or_probe_by_number(
    client, users, register
):
    """The mask hides the district and DDMMYY; a full birth date would give them back."""
    siti = register["ahmad"].members.get(name="SITI AISYAH")
    client.force_login(users[Role.LEADER])
    for url in (
        reverse("households:person_detail", kwargs={"pk": siti.pk}),
        reverse("households:household_detail", kwargs={"pk": siti.household_id}),
    ):
        html = client.get(url).content.decode()
        assert "1988" in html
        assert "Februari 1988" not in html and "Feb 1988" not in html, url
    response = client.get(LIST, {"q": siti.nik})
    assert response.context["form"].errors["q"]
    assert not listed(response)
    assert listed(client.get(LIST, {"q": "siti"})) == ["6302********0001"]


@pytest.mark.parametrize("role", [Role.AGENCY, Role.PARTNER])
def test_agency_operators_and_partners_may_not_open_the_register(client, users, register, role):
    client.force_login(users[role])
    ahmad = register["ahmad"]
    for url in (
        LIST,
        reverse("households:household_detail", kwargs={"pk": ahmad.pk}),
        reverse("households:person_detail", kwargs={"pk": ahmad.members.first().pk}),
    ):
        assert client.get(url).status_code == 403, url


def test_household_detail_shows_desil_history_newest_first(client, users, register):
    ahmad = register["ahmad"]
    loads = {
        period: DtsenImport.objects.create(
            file_name=f"keluarga_dtsen_v3_{period}.csv", period=period
        )
        for period in ("2025-03", "2025-09", "2025-06")
    }
    for period, (national, provincial, regency) in {
        "2025-03": (3, 2, 4),
        "2025-09": (1, 1, 2),
        "2025-06": (2, None, 3),
    }.items():
        HouseholdDesil.objects.create(
            household=ahmad,
            period=period,
            dtsen_import=loads[period],
            desil=national,
            desil_provinsi=provincial,
            desil_kabupaten=regency,
        )
    client.force_login(users[Role.LEADER])
    html = client.get(reverse("households:household_detail", kwargs={"pk": ahmad.pk})).content
    rows = re.findall(r'<tr data-testid="desil-row">(.*?)</tr>', html.decode(), re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    assert cells == [
        ["2025-09", "1", "1", "2", "keluarga_dtsen_v3_2025-09.csv"],
        ["2025-06", "2", "—", "3", "keluarga_dtsen_v3_2025-06.csv"],
        ["2025-03", "3", "2", "4", "keluarga_dtsen_v3_2025-03.csv"],
    ]


def test_household_detail_lists_members_with_age_and_relationship(english, users, register):
    english.force_login(users[Role.SECRETARIAT])
    ahmad = register["ahmad"]
    response = english.get(reverse("households:household_detail", kwargs={"pk": ahmad.pk}))
    members = [(m.name, m.get_relationship_display()) for m in response.context["members"]]
    assert members == [
        ("AHMAD FAUZI", "Head of family"),
        ("SITI AISYAH", "Wife/husband"),
        ("RIZKY FAUZAN", "Child"),
    ]
    html = response.content.decode()
    assert "Female" in html
    assert "2 Feb 1988" in html


@pytest.mark.parametrize(
    ("birth_date", "answer"),
    [
        (datetime.date(1990, 1, 1), "Yes"),
        (datetime.date(2015, 3, 3), "No"),
        (datetime.date(1940, 1, 1), "No"),
        (None, "Unknown: no birth date"),
    ],
)
def test_person_page_says_whether_of_productive_age(english, users, region, birth_date, answer):
    person = PersonFactory(birth_date=birth_date)
    english.force_login(users[Role.LEADER])
    html = english.get(reverse("households:person_detail", kwargs={"pk": person.pk})).content
    assert re.search(r'data-testid="productive">(.*?)</dd>', html.decode()).group(1) == answer


def test_register_pages_of_another_region_are_not_found(client, users, region):
    outside = HouseholdFactory(village=AreaFactory(code="63.03.01.2001"))
    person = PersonFactory(household=outside)
    client.force_login(users[Role.SECRETARIAT])
    assert listed(client.get(LIST)) == []
    household_page = reverse("households:household_detail", kwargs={"pk": outside.pk})
    assert client.get(household_page).status_code == 404
    person_page = reverse("households:person_detail", kwargs={"pk": person.pk})
    assert client.get(person_page).status_code == 404


def test_empty_register_says_no_dtsen_file_was_imported(english, users):
    english.force_login(users[Role.SECRETARIAT])
    assert "no DTSEN file has been imported yet" in english.get(LIST).content.decode()
