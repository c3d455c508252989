"""Response headers: no-store for signed-in users, Permissions-Policy, the CSP, and pages that
need no inline script or style to work under that policy."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import TestCase
from django.urls import reverse
from django.views.decorators.cache import cache_control

from households.models import DtsenImport, ImportStatus, RegisterExport
from tests.factories import AreaFactory, HouseholdFactory, PersonFactory
from tkpk.middleware import SecurityHeadersMiddleware
from tkpk.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(settings):
    settings.TKPK_REGION_CODE = "63.02"
    household = HouseholdFactory(village=AreaFactory(code="63.02.17.2003", name="Langadai"))
    PersonFactory(household=household)
    return household


def csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.LEADER])
def test_register_pages_are_not_stored_by_the_browser_or_a_proxy(client, users, household, role):
    client.force_login(users[role])
    for url in (
        reverse("households:household_list"),
        reverse("households:household_detail", args=[household.pk]),
        reverse("households:person_detail", args=[household.members.get().pk]),
    ):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"], url
            assert "private" in response["Cache-Control"], url


def test_the_dtsen_error_report_download_is_not_stored(client, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load = DtsenImport.objects.create(
        file_name="dtsen.csv",
        period="2025-Q3",
        status=ImportStatus.CHECKED,
        error_report=ContentFile(b"PK rejected rows", name="galat.xlsx"),
    )
    client.force_login(users[Role.SECRETARIAT])
    response = client.get(reverse("households:dtsen_error_report", args=[load.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]


def test_an_export_download_keeps_its_own_never_cache(client, users, household, settings):
    client.force_login(users[Role.SECRETARIAT])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("households:household_export"), {"format": "csv"})
    response = client.get(
        reverse("households:export_download", args=[RegisterExport.objects.get().pk])
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_view_that_chose_its_caching_keeps_its_choice(rf, users):
    view = cache_control(max_age=60, public=True)(lambda request: HttpResponse("ok"))
    request = rf.get("/")
    request.user = users[Role.SECRETARIAT]
    response = SecurityHeadersMiddleware(view)(request)
    assert response["Cache-Control"] == "max-age=60, public"


def test_an_anonymous_answer_is_left_cacheable(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))(request)
    assert "Cache-Control" not in response


def test_every_answer_turns_off_the_browser_features_we_do_not_use(client, users):
    signed_out = client.get(reverse("login"))
    client.force_login(users[Role.SECRETARIAT])
    signed_in = client.get(reverse("home"))
    for response in (signed_out, signed_in):
        features = dict(
            item.strip().split("=") for item in response["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()"
        assert set(features.values()) == {"()"}


@pytest.mark.parametrize("url", ["/masuk/", "/", "/rumah-tangga/", "/admin/"])
def test_the_content_security_policy_allows_no_inline_script_style_or_eval(client, users, url):
    if url != "/masuk/":
        client.force_login(users[Role.ADMIN])
    response = client.get(url)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]


INLINE = {
    "script": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style", re.I),
    "style attribute": re.compile(r"\sstyle=", re.I),
    "event handler": re.compile(r"\son[a-z]+=", re.I),
    "htmx eval": re.compile(r"\shx-on|js:", re.I),
}


def inline_code(html: str) -> list[str]:
    return [kind for kind, pattern in INLINE.items() if pattern.search(html)]


def test_pages_hold_no_inline_script_or_style(client, users, household, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    export = RegisterExport.objects.create(
        user=users[Role.SECRETARIAT], file_format="csv", rows_total=8, rows_done=3
    )
    load = DtsenImport.objects.create(
        file_name="dtsen.csv", period="2025-Q3", status=ImportStatus.CHECKING, rows_total=4
    )
    client.force_login(users[Role.SECRETARIAT])
    urls = [
        reverse("home"),
        reverse("households:area_list"),
        reverse("households:household_list"),
        reverse("households:household_detail", args=[household.pk]),
        reverse("households:person_detail", args=[household.members.get().pk]),
        reverse("households:export_detail", args=[export.pk]),
        reverse("households:dtsen_list"),
        reverse("households:dtsen_detail", args=[load.pk]),
        reverse("user_list"),
        reverse("password_change"),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert inline_code(html) == [], url
    progress = client.get(reverse("households:export_detail", args=[export.pk])).content.decode()
    assert 'class="progress-bar progress-bar-striped progress-bar-animated w-pct-37"' in progress
    client.logout()
    assert inline_code(client.get(reverse("login")).content.decode()) == []
    assert inline_code(render_to_string("500.html")) == []


@pytest.mark.parametrize("percent", [0, 1, 50, 99, 100])
def test_every_progress_width_has_its_class(percent):
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "tkpk.css").read_text()
    html = render_to_string("components/progress.html", {"percent": percent})
    assert f"w-pct-{percent}" in html
    assert f".w-pct-{percent} {{ width: {percent}%; }}" in css
