import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import PartnerFactory, UserFactory
from tkpk.models import Role, User
from tkpk.services import user_save

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "rahasia-yang-cukup-panjang-7"


def form_data(**overrides):
    data = {
        "username": "opd.dinkes",
        "name": "Operator Dinkes",
        "email": "dinkes@example.go.id",
        "role": Role.AGENCY,
        "agency": "",
        "partner": "",
        "is_active": "on",
        "password": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def test_secretariat_creates_an_agency_operator_who_can_sign_in(client, users, agency):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("user_create"), form_data(agency=agency.pk), follow=True)
    assert "Pengguna opd.dinkes" in response.content.decode()
    created = User.objects.get(username="opd.dinkes")
    assert created.role == Role.AGENCY
    assert created.agency == agency
    assert created.check_password(NEW_PASSWORD)


def test_agency_operator_without_agency_is_refused_with_a_message(client, users):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("user_create"), form_data())
    assert response.status_code == 200
    assert "Pilih perangkat daerah" in response.content.decode()
    assert not User.objects.filter(username="opd.dinkes").exists()


def test_other_roles_may_not_have_an_agency(client, users, agency):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("user_create"), form_data(role=Role.LEADER, agency=agency.pk))
    assert response.status_code == 200
    assert not User.objects.filter(username="opd.dinkes").exists()


def test_secretariat_cannot_create_or_see_administrators(client, users):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("user_create"), form_data(role=Role.ADMIN))
    assert response.status_code == 200
    assert not User.objects.filter(username="opd.dinkes").exists()
    listing = client.get(reverse("user_list")).content.decode()
    assert "sekretariat" in listing
    assert f'href="{reverse("user_update", kwargs={"pk": users[Role.ADMIN].pk})}"' not in listing
    admin_page = reverse("user_update", kwargs={"pk": users[Role.ADMIN].pk})
    assert client.get(admin_page).status_code == 404


def test_administrator_can_grant_the_administrator_role(client, users):
    client.force_login(users[Role.ADMIN])
    client.post(reverse("user_create"), form_data(role=Role.ADMIN, username="admin2"))
    assert User.objects.get(username="admin2").is_staff


def test_service_refuses_administrator_changes_by_the_secretariat(users):
    secretariat = users[Role.SECRETARIAT]
    with pytest.raises(PermissionDenied):
        user_save(user=User(username="x", role=Role.ADMIN), by=secretariat)
    demoted = users[Role.ADMIN]
    demoted.role = Role.LEADER
    with pytest.raises(PermissionDenied):
        user_save(user=demoted, by=secretariat)


def test_editing_keeps_the_password_when_left_empty_and_can_disable(client, users, agency):
    operator = users[Role.AGENCY]
    client.force_login(users[Role.SECRETARIAT])
    url = reverse("user_update", kwargs={"pk": operator.pk})
    data = form_data(username=operator.username, agency=agency.pk, password="")
    del data["is_active"]
    response = client.post(url, data)
    assert response.status_code == 302
    operator.refresh_from_db()
    assert not operator.is_active
    assert operator.check_password("kata-sandi-uji-9173")


def test_weak_password_is_refused(client, users, agency):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("user_create"), form_data(agency=agency.pk, password="12345678"))
    assert response.status_code == 200
    assert not User.objects.filter(username="opd.dinkes").exists()


def test_user_list_filters_by_role_and_search(client, users):
    bank = PartnerFactory(name="Bank Kalsel Cabang Kotabaru")
    UserFactory(username="mitra.bankkalsel", role=Role.PARTNER, name="Bank Kalsel", partner=bank)
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(reverse("user_list"), {"role": Role.PARTNER}).content.decode()
    assert "mitra.bankkalsel" in page
    assert "pimpinan" not in page
    page = client.get(reverse("user_list"), {"q": "kalsel"}).content.decode()
    assert "mitra.bankkalsel" in page
    assert ">mitra<" not in page


def test_database_refuses_agency_operator_without_agency(agency):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create(username="lepas", role=Role.AGENCY, agency=None)


def test_operator_of_a_deactivated_agency_can_still_be_disabled(client, users, agency):
    operator = users[Role.AGENCY]
    agency.is_active = False
    agency.save()
    client.force_login(users[Role.SECRETARIAT])
    data = form_data(username=operator.username, agency=agency.pk, password="")
    del data["is_active"]
    response = client.post(reverse("user_update", kwargs={"pk": operator.pk}), data)
    assert response.status_code == 302
    operator.refresh_from_db()
    assert not operator.is_active
    # ... but a new operator cannot be placed in it.
    created = client.post(reverse("user_create"), form_data(agency=agency.pk))
    assert created.status_code == 200
    assert not User.objects.filter(username="opd.dinkes").exists()


def test_every_error_of_a_field_is_shown_once_with_one_id(client, users, agency):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("user_create"), form_data(agency=agency.pk, password="1234"))
    html = response.content.decode()
    assert html.count('id="id_password_error"') == 1
    assert "terlalu pendek" in html
    assert "seluruhnya terdiri dari angka" in html


def test_users_carry_administrator_rights_only_through_their_role(users):
    admin, leader = users[Role.ADMIN], users[Role.LEADER]
    assert admin.is_staff and admin.is_superuser and admin.has_perm("tkpk.delete_agency")
    assert not leader.is_staff and not leader.has_perm("tkpk.view_agency")
    assert list(User.objects.with_perm("tkpk.view_agency")) == [admin]
    with pytest.raises(ValueError, match="role"):
        User.objects.create_user("tanpa-peran")
    assert User.objects.create_superuser("root2", password="x").role == Role.ADMIN


def test_a_password_holding_the_username_is_refused_on_the_page(client, users, agency):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("user_create"),
        form_data(username="korban3", agency=agency.pk, password="korban3korban3"),
    )
    assert response.status_code == 200
    assert "Kata sandi tidak boleh memuat nama pengguna" in response.content.decode()
    assert not User.objects.filter(username="korban3").exists()


def test_a_password_is_checked_against_the_new_username_when_editing(client, users, agency):
    operator = users[Role.AGENCY]
    client.force_login(users[Role.SECRETARIAT])
    url = reverse("user_update", kwargs={"pk": operator.pk})
    data = form_data(
        username="dinkes.banjir", email="", agency=agency.pk, password="Dinkes-Banjir!2026"
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Kata sandi tidak boleh memuat nama pengguna" in response.content.decode()
    operator.refresh_from_db()
    assert operator.username == "opd"
    assert operator.check_password("kata-sandi-uji-9173")


def test_a_password_holding_the_name_is_refused_on_the_page(client, users, agency):
    client.force_login(users[Role.SECRETARIAT])
    data = form_data(name="Wakil Bupati", role=Role.LEADER, password="wakil-bupati-2026")
    response = client.post(reverse("user_create"), data)
    assert "Kata sandi tidak boleh memuat nama," in response.content.decode()
    assert not User.objects.filter(username="opd.dinkes").exists()


# --- partner operators (issue 9) ------------------------------------------------------


def test_secretariat_creates_a_partner_operator_bound_to_its_partner(client, users, partner):
    client.force_login(users[Role.SECRETARIAT])
    data = form_data(username="csr.arutmin", role=Role.PARTNER, partner=partner.pk)
    response = client.post(reverse("user_create"), data, follow=True)
    assert "Pengguna csr.arutmin" in response.content.decode()
    created = User.objects.get(username="csr.arutmin")
    assert (created.role, created.partner, created.agency) == (Role.PARTNER, partner, None)


def test_partner_operator_without_partner_is_refused_with_a_message(client, users):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("user_create"), form_data(role=Role.PARTNER))
    assert response.status_code == 200
    assert "Pilih mitra tempat operator ini bekerja." in response.content.decode()
    assert not User.objects.filter(username="opd.dinkes").exists()


@pytest.mark.parametrize("role", [Role.AGENCY, Role.LEADER, Role.SECRETARIAT])
def test_other_roles_may_not_belong_to_a_partner(client, users, agency, partner, role):
    client.force_login(users[Role.SECRETARIAT])
    data = form_data(role=role, agency=agency.pk if role == Role.AGENCY else "", partner=partner.pk)
    response = client.post(reverse("user_create"), data)
    assert response.status_code == 200
    assert "Hanya operator mitra yang terhubung ke mitra." in response.content.decode()
    assert not User.objects.filter(username="opd.dinkes").exists()


def test_an_operator_moved_to_another_role_must_leave_its_partner(client, users, partner):
    operator = users[Role.PARTNER]
    client.force_login(users[Role.SECRETARIAT])
    url = reverse("user_update", kwargs={"pk": operator.pk})
    data = form_data(username=operator.username, role=Role.LEADER, partner=partner.pk, password="")
    assert client.post(url, data).status_code == 200
    data["partner"] = ""
    assert client.post(url, data).status_code == 302
    operator.refresh_from_db()
    assert (operator.role, operator.partner) == (Role.LEADER, None)


def test_an_inactive_partner_takes_no_new_operator_but_keeps_its_own(client, users, partner):
    operator = users[Role.PARTNER]
    partner.is_active = False
    partner.save()
    client.force_login(users[Role.SECRETARIAT])
    form = client.get(reverse("user_create")).content.decode()
    assert "PT Arutmin Indonesia NPLCT" not in form
    created = client.post(reverse("user_create"), form_data(role=Role.PARTNER, partner=partner.pk))
    assert created.status_code == 200
    assert not User.objects.filter(username="opd.dinkes").exists()
    url = reverse("user_update", kwargs={"pk": operator.pk})
    assert "PT Arutmin Indonesia NPLCT" in client.get(url).content.decode()
    data = form_data(username=operator.username, role=Role.PARTNER, partner=partner.pk, password="")
    del data["is_active"]
    assert client.post(url, data).status_code == 302
    operator.refresh_from_db()
    assert not operator.is_active and operator.partner == partner


def test_user_list_shows_each_operators_partner_or_agency(client, users):
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(reverse("user_list")).content.decode()
    assert '<th scope="col">Mitra</th>' in page
    assert "<td>PT Arutmin Indonesia NPLCT</td>" in page
    assert "<td>Dinsos P3AP2KB</td>" in page
    found = client.get(reverse("user_list"), {"q": "arutmin"}).context["page"]
    assert [user.username for user in found] == ["mitra"]


def test_database_refuses_partner_operator_without_partner_and_others_with_one(partner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="lepas", role=Role.PARTNER, partner=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="pimpinan2", role=Role.LEADER, partner=partner)


def test_service_refuses_a_partner_operator_without_partner(users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="tepat satu mitra"):
        user_save(user=User(username="lepas", role=Role.PARTNER), by=users[Role.SECRETARIAT])
