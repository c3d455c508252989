"""The form fields, their widgets and KeepsDocuments (tkpk/documents/fields.py)."""

import re

import pytest
from django import forms
from django.utils import translation

from partners.models import Commitment
from tkpk.documents import (
    DocumentField,
    DocumentKind,
    KeepsDocuments,
    MultipleDocumentField,
    document_save,
)
from tkpk.models import Role

from .files import PDF, PNG, WINDOWS_PROGRAM, refusal, upload


def test_the_file_input_hints_the_accepted_kinds_and_the_content_still_decides():
    html = str(DocumentField().widget.render("document", None))

    assert 'accept=".pdf,application/pdf,.jpg,.jpeg,image/jpeg,.png,image/png"' in html


def test_several_files_with_one_bad_are_refused_naming_the_bad_one():
    field = MultipleDocumentField()
    files = [upload("kuitansi.pdf", PDF), upload("daftar.exe.pdf", WINDOWS_PROGRAM)]

    messages = refusal(field, files)

    assert len(messages) == 1
    assert messages[0].startswith("“daftar.exe.pdf” is not really a PDF")


def test_several_good_files_come_back_in_order():
    files = [upload("kuitansi.pdf", PDF), upload("foto.png", PNG)]

    documents = MultipleDocumentField().clean(files)

    assert [(d.name, d.kind) for d in documents] == [
        ("kuitansi.pdf", DocumentKind.PDF),
        ("foto.png", DocumentKind.PNG),
    ]


def test_more_files_than_the_maximum_are_refused():
    files = [upload(f"foto{n}.png", PNG) for n in range(3)]

    assert refusal(MultipleDocumentField(max_count=2), files) == [
        "You chose 3 files; at most 2 are accepted at a time."
    ]


class CommitmentForm(KeepsDocuments, forms.ModelForm):
    document = DocumentField(required=True)

    class Meta:
        model = Commitment
        fields = ["title"]


def kept_token(html: str) -> str:
    return re.search(r'name="document_kept" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_a_document_chosen_is_not_lost_when_another_field_fails(users):
    owner = users[Role.PARTNER]
    first = CommitmentForm(
        {"title": ""}, {"document": upload("surat.pdf", PDF)}, user=owner, instance=Commitment()
    )

    assert not first.is_valid()
    assert "document" not in first.errors
    with translation.override("en"):
        html = str(first)
    assert "Already chosen: “surat.pdf”. Choose another file only to replace it." in html
    assert "required" not in re.search(r'<input type="file"[^>]*>', html).group(0)

    again = CommitmentForm(
        {"title": "Komitmen bersama", "document_kept": kept_token(html)},
        {},
        user=owner,
        instance=Commitment(),
    )

    assert again.is_valid(), again.errors
    document = again.cleaned_data["document"]
    assert (document.name, document.kind) == ("surat.pdf", DocumentKind.PDF)
    document_save(document, again.instance.document)
    assert re.fullmatch(r"partners/commitments/[0-9a-f]{32}\.pdf", again.instance.document.name)
    with again.instance.document.open("rb") as stored_file:
        assert stored_file.read() == PDF


@pytest.mark.django_db
def test_a_kept_token_posted_by_someone_else_or_tampered_with_is_refused(users):
    owner, other = users[Role.PARTNER], users[Role.SECRETARIAT]
    first = CommitmentForm({"title": ""}, {"document": upload("surat.pdf", PDF)}, user=owner)
    first.is_valid()
    token = kept_token(str(first))

    for user, posted in [(other, token), (owner, token + "x")]:
        form = CommitmentForm({"title": "Komitmen", "document_kept": posted}, {}, user=user)
        with translation.override("en"):
            assert form.errors["document"] == [
                "The file chosen earlier is no longer kept. Choose it again."
            ]
        assert "Already chosen" not in str(form)


@pytest.mark.django_db
def test_a_new_file_refused_replaces_the_one_kept_before(users):
    owner = users[Role.PARTNER]
    first = CommitmentForm({"title": ""}, {"document": upload("surat.pdf", PDF)}, user=owner)
    first.is_valid()
    token = kept_token(str(first))

    second = CommitmentForm(
        {"title": "", "document_kept": token},
        {"document": upload("surat.jpg", PDF)},
        user=owner,
    )

    assert "document" in second.errors
    assert "document_kept" not in str(second)


@pytest.mark.django_db
def test_a_kept_document_stays_chosen_through_a_second_failure(users):
    owner = users[Role.PARTNER]
    first = CommitmentForm({"title": ""}, {"document": upload("surat.pdf", PDF)}, user=owner)
    first.is_valid()
    token = kept_token(str(first))

    second = CommitmentForm({"title": "", "document_kept": token}, {}, user=owner)

    assert not second.is_valid()
    assert kept_token(str(second)) == token


class EvidenceForm(KeepsDocuments, forms.Form):
    note = forms.CharField()
    files = MultipleDocumentField()


@pytest.mark.django_db
def test_several_evidence_files_are_kept_together(users):
    owner = users[Role.PARTNER]
    first = EvidenceForm(
        {"note": ""},
        {"files": [upload("kuitansi.pdf", PDF), upload("foto.png", PNG)]},
        user=owner,
    )
    assert not first.is_valid()
    with translation.override("en"):
        html = str(first)
    tokens = re.findall(r'name="files_kept" value="([^"]+)"', html)
    assert "Already chosen: “kuitansi.pdf”, “foto.png”." in html

    again = EvidenceForm({"note": "Diserahkan", "files_kept": tokens}, {}, user=owner)

    assert again.is_valid(), again.errors
    documents = again.cleaned_data["files"]
    assert [d.name for d in documents] == ["kuitansi.pdf", "foto.png"]
    for document in documents:
        document.upload.close()
