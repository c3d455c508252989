"""The register in the Django admin: administrators read it; nobody edits it there."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from tkpk.models import ExportLog, Role

pytestmark = pytest.mark.django_db


def test_admin_reads_a_household_with_its_members_but_cannot_change_it(client, users):
    person = PersonFactory(name="AHMAD FAUZI")
    household = person.household
    client.force_login(users[Role.ADMIN])
    url = reverse("admin:households_household_change", args=[household.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "AHMAD FAUZI" in page.content.decode()
    assert client.post(url, {"no_kk": "6302170101209999"}).status_code == 403
    household.refresh_from_db()
    assert household.no_kk != "6302170101209999"
    delete = reverse("admin:households_person_delete", args=[person.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    found = client.get(reverse("admin:households_person_changelist"), {"q": "ahmad"})
    assert "AHMAD FAUZI" in found.content.decode()


def test_the_admin_does_not_search_by_nik_which_would_put_it_in_the_address(client, users):
    person = PersonFactory(name="AHMAD FAUZI")
    client.force_login(users[Role.ADMIN])
    for model, number in (("person", person.nik), ("household", person.household.no_kk)):
        page = client.get(reverse(f"admin:households_{model}_changelist"), {"q": number})
        assert "AHMAD FAUZI" not in page.content.decode()
        assert "Rumah Tangga" in page.content.decode()  # where to search a number instead


def test_export_log_cannot_be_changed_or_deleted_in_admin(client, users):
    log = ExportLog.objects.create(
        user=users[Role.SECRETARIAT], what="register", filters={}, rows=3, file_format="csv"
    )
    client.force_login(users[Role.ADMIN])
    assert client.get(reverse("admin:tkpk_exportlog_changelist")).status_code == 200
    change = reverse("admin:tkpk_exportlog_change", args=[log.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"rows": 0}).status_code == 403
    delete = reverse("admin:tkpk_exportlog_delete", args=[log.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    log.refresh_from_db()
    assert log.rows == 3
