"""The areas pages count the register's households and people per district and village."""

import pytest
from django.urls import reverse

from tests.factories import AreaFactory, HouseholdFactory, PersonFactory
from tkpk.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(settings):
    settings.TKPK_REGION_CODE = "63.02"
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    villages = {
        "langadai": AreaFactory(code="63.02.17.2003", name="Langadai"),
        "tegal_rejo": AreaFactory(code="63.02.17.2004", name="Tegal Rejo"),
        "tarjun": AreaFactory(code="63.02.06.2013", name="Tarjun"),
        "empty": AreaFactory(code="63.02.06.2014", name="Sungai Kupang"),
    }
    for village, sizes in {"langadai": [3, 1], "tegal_rejo": [2], "tarjun": [4, 2, 1]}.items():
        for size in sizes:
            household = HouseholdFactory(village=villages[village])
            for _member in range(size):
                PersonFactory(household=household)
    # Another regency's households are not counted.
    PersonFactory(household=HouseholdFactory(village=AreaFactory(code="63.03.01.2001")))
    return villages


def test_area_list_counts_households_and_people_per_district(client, users, areas):
    client.force_login(users[Role.SECRETARIAT])
    response = client.get(reverse("households:area_list"))
    counts = {
        d.code: (d.village_count, d.household_count, d.person_count)
        for d in response.context["districts"]
    }
    assert counts == {"63.02.06": (2, 3, 7), "63.02.17": (2, 3, 6)}
    assert (response.context["household_total"], response.context["person_total"]) == (6, 13)
    html = response.content.decode()
    assert 'href="/rumah-tangga/?district=63.02.17"' in html


def test_area_detail_counts_per_village_and_links_to_its_households(client, users, areas):
    client.force_login(users[Role.ADMIN])
    response = client.get(reverse("households:area_detail", kwargs={"code": "63.02.06"}))
    counts = {v.name: (v.household_count, v.person_count) for v in response.context["villages"]}
    assert counts == {"Tarjun": (3, 7), "Sungai Kupang": (0, 0)}
    link = "/rumah-tangga/?district=63.02.06&amp;village=63.02.06.2013"
    assert f'href="{link}">Tarjun</a>' in response.content.decode()

    listing = client.get(link.replace("&amp;", "&"))
    assert listing.context["page"].paginator.count == 3


def test_area_pages_count_in_a_fixed_number_of_queries(
    client, users, areas, django_assert_max_num_queries
):
    for code in ("63.02.01.2001", "63.02.02.2001", "63.02.03.2001"):
        PersonFactory(household=HouseholdFactory(village=AreaFactory(code=code)))
    client.force_login(users[Role.SECRETARIAT])
    # Session (read, and save in a savepoint), user, region name, one query for the areas.
    with django_assert_max_num_queries(7):
        client.get(reverse("households:area_list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("households:area_detail", kwargs={"code": "63.02.17"}))
