"""The register pages: the household list with its filter, household and person pages."""

import datetime
import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from households.identity import mask
from households.models import DtsenImport, HouseholdDesil, Relationship, Sex
from tests.factories import AreaFactory, HouseholdFactory, PersonFactory
from tkpk.models import Role

pytestmark = pytest.mark.django_db

LIST = reverse("households:household_list")
SEARCH = reverse("households:household_search")


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


def search(client, user, htmx=False, **fields):
    """Send the filter form as the page does (POST) and follow to the list it leads to."""
    client.force_login(user)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(SEARCH, fields, headers=headers, follow=True)


def urls_visited(response) -> list[str]:
    """Every address the browser went to: each redirect and the page it ended on.

    For htmx, the last one is the address it pushes into the history (hx-push-url).
    """
    request = response.request
    final = request["PATH_INFO"] + (
        "?" + request["QUERY_STRING"] if request["QUERY_STRING"] else ""
    )
    return [url for url, _status in response.redirect_chain] + [final]


def test_list_shows_head_village_member_count_and_desil(client, users, register):
    page = get_list(client, users[Role.SECRETARIAT]).content.decode()
    row = page[page.index("6302170101200001") :].split("</tr>")[0]
    # Each cell is labelled with its column, for the cards a phone shows.
    cells = dict(re.findall(r'<td[^>]* data-label="([^"]+)"[^>]*>(.*?)</td>', row))
    assert cells["Kepala Keluarga"] == "AHMAD FAUZI"
    assert cells["Desa"].startswith("Langadai ")
    assert cells["Anggota"] == "3"
    assert cells["Desil"] == "1"
    assert cells["Periode"] == "2025-09"


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
    response = search(client, users[Role.SECRETARIAT], q=typed)
    assert listed(response) == ["6302170101200001"]


def test_search_by_name_ignores_case_and_lists_each_household_once(client, users, register):
    secretariat = users[Role.SECRETARIAT]
    # "fauz" matches two members of the same household: the household is listed once.
    assert listed(search(client, secretariat, q="fauz")) == ["6302170101200001"]
    assert listed(search(client, secretariat, q="jamilah")) == ["6302060101200003"]
    assert listed(search(client, secretariat, q="tidak ada")) == []


def test_filters_combine(client, users, register):
    response = search(client, users[Role.SECRETARIAT], q="a", district="63.02.17", desil_to=2)
    assert listed(response) == ["6302170101200001"]
    url = urlsplit(urls_visited(response)[-1])
    assert url.path == LIST
    assert set(parse_qs(url.query)) == {"cari", "district", "desil_to"}


SEARCHES = [
    (Role.SECRETARIAT, "6302174202880002", ["6302170101200001"]),  # a wife's NIK
    (Role.SECRETARIAT, "6302 1701 0120 0001", ["6302170101200001"]),  # a No. KK, as typed
    (Role.SECRETARIAT, "jamilah", ["6302060101200003"]),
    (Role.LEADER, "siti aisyah", ["6302********0001"]),
]


@pytest.mark.parametrize(("role", "typed", "found"), SEARCHES)
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_a_search_text_never_reaches_a_url_or_a_log(
    client, users, register, caplog, role, typed, found, htmx
):
    # django.server (runserver's access log) does not propagate to the root logger.
    server_log = logging.getLogger("django.server")
    server_log.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    try:
        response = search(client, users[role], htmx=htmx, q=typed, desil_to="7")
        assert listed(response) == found
        # A reload of the address, and its second page, find the same again.
        address = urls_visited(response)[-1]
        assert listed(client.get(address)) == found
        assert listed(client.get(address + "&page=2")) == found
        # A mistyped number is refused (and the refusal logged) without echoing it.
        client.post(SEARCH, {"q": "6302 1701 0120"})
    finally:
        server_log.removeHandler(caplog.handler)
    assert "django.request" in {record.name for record in caplog.records}  # Bad Request
    visited = urls_visited(response)
    assert response.redirect_chain[0][1] == 303
    assert re.fullmatch(rf"{LIST}\?cari=[\w-]{{8}}&desil_to=7", visited[-1]), visited
    words = {typed, typed.replace(" ", ""), *typed.split(), "630217012", "6302 1701"}
    for word in words:
        for url in visited:
            assert word.lower() not in url.lower(), url
        assert word.lower() not in caplog.text.lower()


def test_htmx_search_redirects_to_the_address_it_pushes_and_answers_the_results(
    client, users, register
):
    client.force_login(users[Role.SECRETARIAT])
    headers = {"HX-Request": "true"}
    answer = client.post(SEARCH, {"q": "bahrudin"}, headers=headers)
    assert answer.status_code == 303
    assert answer["Location"].startswith(f"{LIST}?cari=")
    # htmx's request follows the redirect with its headers; it pushes the final address.
    results = client.get(answer["Location"], headers=headers).content.decode()
    assert results.lstrip().startswith('<div id="results">')
    assert "6302170101200002" in results
    # The full page at that address shows the search text back in its box.
    page = client.get(answer["Location"]).content.decode()
    assert 'name="q" value="bahrudin"' in page


def test_the_same_search_keeps_its_token_and_only_recent_searches_are_kept(
    english, users, register
):
    secretariat = users[Role.SECRETARIAT]
    first = urls_visited(search(english, secretariat, q="jamilah"))[-1]
    assert urls_visited(search(english, secretariat, q="fauzi"))[-1] != first
    assert urls_visited(search(english, secretariat, q="jamilah"))[-1] == first
    for n in range(20):
        search(english, secretariat, q=f"nama {n}")
    response = english.get(first)
    assert response.context["form"].errors["q"] == ["This search is no longer kept; type it again."]
    assert listed(response) == []
    assert len(english.session["register_searches"]) == 20


@pytest.mark.parametrize("who", ["another user", "a new session"])
def test_a_token_from_elsewhere_shows_neither_the_search_nor_its_results(
    english, users, register, settings, who
):
    english.force_login(users[Role.SECRETARIAT])
    address = urls_visited(english.post(SEARCH, {"q": "6302064101750005"}, follow=True))[-1]
    if who == "another user":
        english.force_login(users[Role.ADMIN])
    else:
        english.logout()  # which forgets every cookie, the language's too
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english.force_login(users[Role.SECRETARIAT])
    response = english.get(address)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This search is no longer kept; type it again." in html
    assert listed(response) == []
    assert "6302064101750005" not in html
    assert "6302060101200003" not in html


def test_an_unknown_token_is_a_message_not_an_error(english, users, register):
    english.force_login(users[Role.LEADER])
    response = english.get(LIST, {"cari": "tidak-ada", "district": "63.02.17"})
    assert "This search is no longer kept; type it again." in response.content.decode()
    assert listed(response) == []


def test_an_old_address_with_the_search_in_it_loses_the_search(client, users, register):
    client.force_login(users[Role.SECRETARIAT])
    response = client.get(LIST, {"q": "6302174202880002", "district": "63.02.17", "page": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?district=63.02.17&page=1"
    assert "6302174202880002" not in client.get(response["Location"]).content.decode()


def test_a_refused_htmx_search_shows_why_and_pushes_no_address(english, users, register):
    english.force_login(users[Role.LEADER])
    response = english.post(SEARCH, {"q": "6302174202880002"}, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx swaps only a 2xx answer
    assert response["HX-Push-Url"] == "false"
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "Searching by NIK or No. KK is for the secretariat" in html
    assert "6302170101200001" not in html


def test_a_leader_may_search_but_still_not_write(client, users, register):
    from tkpk.models import ExportLog

    leader = users[Role.LEADER]
    response = search(client, leader, q="bahrudin")
    assert response.redirect_chain[0][1] == 303
    assert listed(response) == ["6302********0002"]
    client.force_login(leader)
    assert client.post(reverse("households:household_export"), {"format": "csv"}).status_code == 403
    assert not ExportLog.objects.exists()


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


INVALID_FILTERS = [
    ({"desil_from": "11"}, "Select a valid choice"),
    ({"desil_from": "abc"}, "Select a valid choice"),
    ({"desil_from": "7", "desil_to": "3"}, "“Desil to” cannot be below “Desil from”."),
    ({"district": "99.99.99"}, "Select a valid choice"),
    ({"village": "63.02.17.9999"}, "Select a valid choice"),
    # A village of another district than the one chosen.
    ({"district": "63.02.06", "village": "63.02.17.2003"}, "Select a valid choice"),
]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        *INVALID_FILTERS,
        ({"q": "6302 1701 0120"}, "A NIK or No. KK has 16 digits; 12 were typed."),
        ({"q": "x" * 101}, "at most 100 characters"),
    ],
)
def test_an_invalid_filter_gives_a_message_not_an_error(english, users, register, params, message):
    english.force_login(users[Role.SECRETARIAT])
    response = english.post(SEARCH, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The filter cannot be used" in html
    assert message in html
    assert listed(response) == []


@pytest.mark.parametrize(("params", "message"), INVALID_FILTERS)
def test_an_edited_address_with_an_invalid_filter_gives_a_message(
    english, users, register, params, message
):
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
    address = urls_visited(search(client, users[Role.LEADER], q="warga", district="63.02.17"))[-1]
    # Session (read and save), user, region name, the district checked and listed, the
    # villages, the count and one query for the page of households with heads and counts.
    with django_assert_max_num_queries(11):
        response = client.get(address)
    assert len(listed(response)) == 20


def test_htmx_gets_only_the_results_and_a_new_district_redraws_the_villages(
    client, users, register
):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(SEARCH, {"desil_to": "4"}, HTTP_HX_REQUEST="true", follow=True)
    results = response.content.decode()
    assert "<html" not in results
    assert results.lstrip().startswith('<div id="results">')
    assert 'id="village-field"' not in results
    assert "6302170101200002" in results
    assert urls_visited(response)[-1] == f"{LIST}?desil_to=4"

    # The district's own request leaves the village out (hx-params="not village").
    redrawn = client.post(
        SEARCH,
        {"district": "63.02.06", "q": "jamilah"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER="district-field",
        follow=True,
    ).content.decode()
    village_field = redrawn.split('id="village-field"')[1].split("</select>")[0]
    assert 'hx-swap-oob="true"' in village_field
    assert "Tarjun" in village_field
    assert "Langadai" not in village_field
    assert "6302060101200003" in redrawn


def test_the_form_works_without_javascript(client, users, register):
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(LIST).content.decode()
    form = page.split(f'<form method="post" action="{SEARCH}"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'type="submit"' in form
    for name in ("q", "district", "village", "desil_from", "desil_to"):
        assert f'name="{name}"' in form
    # A plain POST is answered by a redirect to the list's address, a full page.
    response = client.post(SEARCH, {"q": "fauzi"}, follow=True)
    assert "<html" in response.content.decode()
    assert listed(response) == ["6302170101200001"]
    # Clearing the filter is a plain link to the list.
    assert f'<a class="btn btn-link" href="{LIST}">' in page


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
    response = client.post(SEARCH, {"q": siti.nik})
    assert response.status_code == 400
    assert response.context["form"].errors["q"]
    assert not listed(response)
    assert "register_searches" not in client.session
    assert listed(client.post(SEARCH, {"q": "siti"}, follow=True)) == ["6302********0001"]


@pytest.mark.parametrize("role", [Role.AGENCY, Role.PARTNER])
def test_agency_operators_and_partners_may_not_open_the_register(client, users, register, role):
    client.force_login(users[role])
    ahmad = register["ahmad"]
    for url in (
        LIST,
        reverse("households:household_detail", kwargs={"pk": ahmad.pk}),
    ):
        assert client.get(url).status_code == 403, url
    # An agency operator opens a person only through its own programs (tests/programs):
    # to anyone else, the person is not there.
    person = reverse("households:person_detail", kwargs={"pk": ahmad.members.first().pk})
    assert client.get(person).status_code == (404 if role == Role.AGENCY else 403)
    assert client.post(SEARCH, {"q": "ahmad"}).status_code == 403
    assert "register_searches" not in client.session


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
