"""Oversized request bodies are refused before anything reads them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households.models import DtsenImport
from households.synthetic import DTSEN_COLUMNS
from tkpk.models import Role

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anything reads a byte of it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def post_declaring(client, url, length):
    """A POST that announces `length` bytes but whose body must never be read."""
    return client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=batas",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
    )


def test_an_anonymous_large_post_is_refused_without_reading_the_body(client):
    response = post_declaring(client, reverse("login"), 300 * MB)
    assert response.status_code == 413
    assert (
        response.text
        == "Permintaan terlalu besar. Masuk terlebih dahulu sebelum mengunggah berkas."
    )
    # Just above what Django keeps in memory is already too much for a stranger.
    small_but_not_tiny = post_declaring(client, reverse("login"), 3 * MB)
    assert small_but_not_tiny.status_code == 413


def test_a_signed_in_post_over_the_upload_limit_is_refused_without_reading_the_body(
    client, users, settings
):
    settings.TKPK_DTSEN_MAX_BYTES = 200 * MB
    client.force_login(users[Role.SECRETARIAT])
    response = post_declaring(client, reverse("households:dtsen_list"), 300 * MB)
    assert response.status_code == 413
    assert "paling besar 200 MB" in response.text
    assert not DtsenImport.objects.exists()


def test_the_refusal_follows_the_chosen_language(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = post_declaring(client, reverse("login"), 300 * MB)
    assert response.text == "The request is too large. Sign in before uploading a file."


def test_an_anonymous_sign_in_still_works(client, users):
    response = client.post(
        reverse("login"), {"username": "sekretariat", "password": "kata-sandi-uji-9173"}
    )
    assert response.status_code == 302


def test_a_signed_in_upload_over_the_anonymous_limit_is_accepted(client, users, settings):
    header = "|".join(DTSEN_COLUMNS) + "\n"
    blanks = [""] * (len(DTSEN_COLUMNS) - 3)
    row = "|".join(["6302170101900001", "6302170101200001", "WARGA", *blanks]) + "\n"
    content = (header + row * (3 * MB // len(row) + 1)).encode()
    assert len(content) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("households:dtsen_list"),
        {"file": SimpleUploadedFile("dtsen.csv", content), "period": "2025-Q4", "sheet": ""},
    )
    load = DtsenImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:dtsen_detail", args=[load.pk])
    assert load.file.size == len(content)
    assert load.created_by == users[Role.SECRETARIAT]
