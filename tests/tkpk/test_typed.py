"""What a user typed survives a session that ended before they saved: the signed-out POST is
kept, and the form comes back filled after signing in (tkpk/typed.py)."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from partners.models import Pledge, PledgeKind, Realisation
from tests.factories import PASSWORD, CommitmentFactory, PledgeFactory
from tkpk.models import Role
from tkpk.typed import KEPT_MAX_BYTES, KEPT_PATHS, KEPT_SESSION_KEY, typed_data, typed_keep

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WARNING = (
    "Your session had ended before this form was saved. "
    "What you typed is back: check it and save again."
)
FILES_AGAIN = "Files must be chosen again."
TYPED = {
    "csrfmiddlewaretoken": "token-of-the-ended-session",
    "delivered_on": "2025-11-10",
    "quantity": "125.000.000",
    "note": "Tahap pertama, diserahkan di kantor desa",
}


@pytest.fixture
def pledges(partner) -> list[Pledge]:
    """Two pledges of the partner operator's partner: Rp 500.000.000 and 20 jobs."""
    commitment = CommitmentFactory(partners=[partner])
    return [
        PledgeFactory(commitment=commitment, quantity=500_000_000),
        PledgeFactory(commitment=commitment, kind=PledgeKind.JOBS, quantity=20, unit="orang"),
    ]


@pytest.fixture
def form_url(pledges) -> str:
    return reverse("partners:realisation_create", args=[pledges[0].pk])


@pytest.fixture
def ended(client, users, form_url):
    """A partner operator had the realisation form open until their session ran out."""
    client.force_login(users[Role.PARTNER])
    assert client.get(form_url).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    return client


def sign_in_and_follow(client, login_url: str):
    return client.post(login_url, {"username": "mitra", "password": PASSWORD}, follow=True)


def kept(client) -> dict:
    return client.session.get(KEPT_SESSION_KEY, {})


def test_a_form_posted_after_the_session_ended_comes_back_filled_after_signing_in(ended, form_url):
    tomorrow = timezone.localdate() + timedelta(days=1)
    # A date in the future: an error the returned form shows next to its field.
    response = ended.post(form_url, {**TYPED, "delivered_on": tomorrow.isoformat()})
    assert response.status_code == 302
    login_url = f"{reverse('login')}?next={form_url}"
    assert response.url == login_url
    assert not Realisation.objects.exists()

    page = sign_in_and_follow(ended, login_url)

    assert page.redirect_chain == [(form_url, 302)]
    assert page.status_code == 200
    text = page.content.decode()
    assert gettext(WARNING) in text
    assert gettext(FILES_AGAIN) not in text
    assert f'value="{tomorrow.isoformat()}"' in text
    assert 'value="125.000.000"' in text
    assert "Tahap pertama, diserahkan di kantor desa" in text
    form = page.context["form"]
    assert form.is_bound and "delivered_on" in form.errors
    assert gettext("The delivery date cannot be in the future.") in text
    # Nothing is saved until the user presses save.
    assert not Realisation.objects.exists()


def test_the_returned_form_saves_when_the_user_presses_save(ended, form_url):
    ended.post(form_url, TYPED)
    page = sign_in_and_follow(ended, f"{reverse('login')}?next={form_url}")
    assert page.context["form"].is_valid()
    assert not Realisation.objects.exists()

    response = ended.post(form_url, page.context["form"].data)
    assert response.status_code == 302
    assert Realisation.objects.get().quantity == 125_000_000


def test_files_are_not_kept_but_the_other_fields_are_and_the_user_is_told(ended, form_url):
    ended.post(form_url, {**TYPED, "evidence": [SimpleUploadedFile("kuitansi.pdf", PDF)]})
    assert kept(ended)[form_url]["files"] is True

    page = sign_in_and_follow(ended, f"{reverse('login')}?next={form_url}")

    text = page.content.decode()
    assert f"{gettext(WARNING)} {gettext(FILES_AGAIN)}" in text
    assert "Tahap pertama, diserahkan di kantor desa" in text
    assert "kuitansi.pdf" not in text


def test_the_csrf_token_is_not_kept(ended, form_url):
    ended.post(form_url, TYPED)
    fields = dict(kept(ended)[form_url]["fields"])
    assert "csrfmiddlewaretoken" not in fields
    assert fields["note"] == [TYPED["note"]]


def test_typed_data_too_large_to_keep_is_dropped(ended, form_url):
    ended.post(form_url, {**TYPED, "note": "x" * (KEPT_MAX_BYTES + 1)})
    assert form_url not in kept(ended)

    page = sign_in_and_follow(ended, f"{reverse('login')}?next={form_url}")
    assert not page.context["form"].is_bound
    assert gettext(WARNING) not in page.content.decode()


def test_a_form_opened_with_nothing_kept_is_empty(client, users, form_url):
    client.force_login(users[Role.PARTNER])
    page = client.get(form_url)
    assert page.status_code == 200
    assert not page.context["form"].is_bound
    assert gettext(WARNING) not in page.content.decode()


def test_what_was_typed_comes_back_once_and_a_reload_is_empty(ended, form_url):
    ended.post(form_url, TYPED)
    first = sign_in_and_follow(ended, f"{reverse('login')}?next={form_url}")
    assert first.context["form"].is_bound
    assert KEPT_SESSION_KEY not in ended.session

    again = ended.get(form_url)
    assert not again.context["form"].is_bound
    text = again.content.decode()
    assert gettext(WARNING) not in text
    assert "Tahap pertama" not in text


def test_what_was_typed_longer_ago_than_a_session_lasts_is_dropped(ended, form_url, settings):
    ended.post(form_url, TYPED)
    session = ended.session
    stash = session[KEPT_SESSION_KEY]
    stash[form_url]["at"] -= settings.SESSION_COOKIE_AGE
    session[KEPT_SESSION_KEY] = stash
    session.save()

    page = sign_in_and_follow(ended, f"{reverse('login')}?next={form_url}")

    assert not page.context["form"].is_bound
    assert "Tahap pertama" not in page.content.decode()
    assert KEPT_SESSION_KEY not in ended.session


def test_typed_data_is_kept_for_its_own_path_only(ended, form_url, pledges):
    ended.post(form_url, TYPED)
    sign_in_and_follow(ended, reverse("login"))
    other = reverse("partners:realisation_create", args=[pledges[1].pk])
    assert not ended.get(other).context["form"].is_bound
    assert ended.get(form_url).context["form"].is_bound


def test_the_oldest_paths_give_way_to_newer_ones():
    session = SessionStore()
    for number in range(KEPT_PATHS + 2):
        request = RequestFactory().post(f"/form/{number}/", {"note": "x" * 1000})
        request.session = session
        typed_keep(request)
    assert list(session[KEPT_SESSION_KEY]) == [f"/form/{n}/" for n in range(2, KEPT_PATHS + 2)]

    request = RequestFactory().post("/form/big/", {"note": "x" * (KEPT_MAX_BYTES - 500)})
    request.session = session
    typed_keep(request)
    assert list(session[KEPT_SESSION_KEY]) == ["/form/big/"]


def test_typed_data_of_a_post_is_the_post_and_of_a_plain_get_none():
    post = RequestFactory().post("/form/", {"note": "Catatan"})
    post.session = SessionStore()
    assert typed_data(post) is post.POST
    get = RequestFactory().get("/form/")
    get.session = SessionStore()
    assert typed_data(get) is None


def test_the_post_of_an_ended_session_passes_the_csrf_check_and_is_kept(users, form_url):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users[Role.PARTNER])
    page = browser.get(form_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = browser.post(form_url, {**TYPED, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert dict(kept(browser)[form_url]["fields"])["note"] == [TYPED["note"]]


def test_a_post_only_action_sent_after_the_session_ended_leads_back_to_its_page(client):
    page = "http://testserver/rencana-aksi/5/triwulan/3/"
    action = reverse("programs:report_review", args=[5, 3])
    response = client.post(action, {"comment": "Lampirkan foto"}, HTTP_REFERER=page)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/rencana-aksi/5/triwulan/3/"
    # Another site's page is not followed: back to the address posted to.
    response = client.post(action, {"comment": "x"}, HTTP_REFERER="https://example.com/a/")
    assert response.url == f"{reverse('login')}?next={action}"
