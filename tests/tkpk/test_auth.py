from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tkpk.models import Role

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_in_indonesian_and_signs_in(client, users):
    page = client.get(reverse("login"))
    assert "Masuk" in page.content.decode()
    response = sign_in(client, "sekretariat")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"].username == "sekretariat"


def test_wrong_password_says_so_and_keeps_the_user_out(client, users):
    response = sign_in(client, "sekretariat", "salah")
    assert response.status_code == 200
    assert "kata sandi" in response.content.decode().lower()
    assert client.get(reverse("home")).status_code == 302


def test_repeated_failed_logins_are_throttled(client, users, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "opd", "salah").status_code == 200
    locked = sign_in(client, "opd", "salah")
    assert locked.status_code == 429
    assert "Terlalu banyak" in locked.content.decode()
    # Even the right password is refused during the cool-off.
    assert sign_in(client, "opd").status_code == 429
    # Another account from the same address is not blocked.
    assert sign_in(client, "sekretariat").status_code == 302


def test_logout_is_a_post_and_ends_the_session(client, users):
    client.force_login(users[Role.LEADER])
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_requires_the_old_password(client, users):
    client.force_login(users[Role.AGENCY])
    url = reverse("password_change")
    new = "baru-dan-panjang-2026"
    wrong = client.post(url, {"old_password": "salah", "new_password1": new, "new_password2": new})
    assert wrong.status_code == 200
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    users[Role.AGENCY].refresh_from_db()
    assert users[Role.AGENCY].check_password(new)


def test_sessions_expire_after_inactivity(client, users, settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(users[Role.SECRETARIAT])
    client.get(reverse("home"))
    session = Session.objects.get()
    expiry = session.expire_date
    assert expiry <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)

    # Activity pushes the expiry forward ...
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get(reverse("home"))
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=5)

    # ... and an idle session that ran out signs the user out.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_throttle_trusts_only_the_proxy_count_it_is_told(rf, settings):
    from tkpk.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3", REMOTE_ADDR="127.0.0.1")
    settings.TKPK_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.TKPK_PROXY_COUNT = 1
    assert client_ip(request) == "10.1.2.3"  # not the forged left-most address


def test_password_change_refuses_a_password_holding_the_username(client, users):
    operator = users[Role.AGENCY]
    client.force_login(operator)
    new = f"{operator.username.upper()}-{operator.username}-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert "Kata sandi tidak boleh memuat nama pengguna" in response.content.decode()
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)


def test_wrong_password_message_reads_naturally_in_indonesian(client, users):
    page = sign_in(client, "sekretariat", "salah").content.decode()
    assert "Nama pengguna atau kata sandi salah." in page
    assert "nama pengguna nama pengguna" not in page.lower()


def test_wrong_password_message_reads_naturally_in_english(client, users):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = sign_in(client, "tidak-ada", "salah").content.decode()
    assert "Wrong username or password. Note that both are case-sensitive." in page
