"""A stored document sent back, shown or downloaded (tkpk/documents/serving.py)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from partners.models import Evidence
from tests.factories import CommitmentFactory
from tkpk.documents import DocumentKind, document_response
from tkpk.models import Role

from .files import PDF, PNG, xlsx


def stored(name: str, content: bytes) -> Evidence:
    evidence = Evidence()
    evidence.file.save(name, io.BytesIO(content), save=False)
    return evidence


def served(response) -> bytes:
    content = b"".join(response.streaming_content)
    response.file_to_stream.close()
    return content


def test_a_pdf_is_served_inline_with_its_type_and_the_name_given():
    evidence = stored("0123456789abcdef0123456789abcdef.pdf", PDF)

    response = document_response(evidence.file, name="Surat komitmen.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="Surat komitmen.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert served(response) == PDF


def test_the_served_name_takes_the_extension_of_the_stored_kind():
    evidence = stored("0123456789abcdef0123456789abcdef.png", PNG)

    response = document_response(evidence.file, name="foto dari WA")

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="foto dari WA.png"'
    assert served(response) == PNG


def test_a_workbook_is_downloaded_not_shown():
    xlsx_content = xlsx()
    evidence = stored("0123456789abcdef0123456789abcdef.xlsx", xlsx_content)

    response = document_response(evidence.file, name="rencana aksi.xlsx")

    assert response["Content-Type"] == DocumentKind.XLSX.content_type
    assert response["Content-Disposition"] == 'attachment; filename="rencana aksi.xlsx"'
    assert served(response) == xlsx_content


def csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored_as", "content"), [("abc.pdf", PDF), ("abc.png", PNG)], ids=["pdf", "png"]
)
def test_a_document_shown_in_the_browser_is_sandboxed_under_the_site_policy(
    client, users, partner, stored_as, content
):
    commitment = CommitmentFactory(partners=[partner], document_name="Surat komitmen")
    commitment.document.save(stored_as, ContentFile(content))
    client.force_login(users[Role.PARTNER])

    response = client.get(reverse("partners:commitment_document", args=[commitment.pk]))

    assert response["Content-Disposition"].startswith("inline;")
    policy = csp(response)
    assert policy["sandbox"] == []  # no allow-scripts, allow-same-origin, ...
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert b"".join(response.streaming_content) == content
