"""Uploaded documents: checked by content, kept across a validation error, served safely."""

import io
import os
import re
import time
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from django import forms
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation

from partners.models import Commitment, Evidence
from tkpk.documents import (
    KEPT_DIR,
    DocumentField,
    DocumentKind,
    KeepsDocuments,
    MultipleDocumentField,
    display_name,
    document_response,
    document_save,
    documents_removed_on_failure,
    keep,
    kept,
    kept_files_prune,
)
from tkpk.models import Role

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + b"\x00\x00\x00\x0dIHDR"
    + b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    + b"\x90wS\xde"
    + b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Kegiatan", "Bukti"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(field: forms.Field, data) -> list[str]:
    with translation.override("en"), pytest.raises(forms.ValidationError) as raised:
        field.clean(data)
    return raised.value.messages


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("surat komitmen.pdf", PDF, DocumentKind.PDF),
        ("foto.png", PNG, DocumentKind.PNG),
        ("foto.JPG", JPEG, DocumentKind.JPEG),
        ("foto.jpeg", JPEG, DocumentKind.JPEG),
    ],
)
def test_a_pdf_or_image_is_accepted_with_its_kind_and_name(name, content, kind):
    checked = DocumentField().clean(upload(name, content))

    assert checked.kind == kind
    assert checked.name == name
    assert checked.upload.read() == content


def test_a_name_without_a_known_extension_is_judged_by_content():
    assert DocumentField().clean(upload("scan", PDF)).kind == DocumentKind.PDF
    assert DocumentField().clean(upload("scan.heic", JPEG)).kind == DocumentKind.JPEG


def test_a_pdf_renamed_jpg_is_refused_saying_what_it_really_is():
    assert refusal(DocumentField(), upload("surat.jpg", PDF)) == [
        "“surat.jpg” is a PDF, not a JPEG image: rename it to “surat.pdf” and upload it again."
    ]


@pytest.mark.parametrize("program", [WINDOWS_PROGRAM, LINUX_PROGRAM])
def test_a_program_renamed_pdf_is_refused(program):
    assert refusal(DocumentField(), upload("setup.pdf", program)) == [
        "“setup.pdf” is not really a PDF: its content is of another kind. "
        "Accepted kinds: PDF, JPEG image, PNG image."
    ]


def test_a_file_of_no_accepted_kind_is_refused_naming_the_kinds():
    assert refusal(DocumentField(), upload("program", LINUX_PROGRAM)) == [
        "“program” is not one of the accepted kinds of file (PDF, JPEG image, PNG image)."
    ]


def test_a_png_signature_without_its_header_chunk_is_not_a_png():
    assert refusal(DocumentField(), upload("foto.png", PNG[:8] + b"\x00" * 40))[0].startswith(
        "“foto.png” is not really a PNG image"
    )


def test_an_empty_file_is_refused():
    assert refusal(DocumentField(), upload("surat.pdf", b"")) == [
        "“surat.pdf” is empty. Check the file on your computer and upload it again."
    ]


def test_a_file_over_the_limit_is_refused_with_its_size_and_the_limit(settings):
    settings.TKPK_DOCUMENT_MAX_BYTES = 2048

    assert refusal(DocumentField(), upload("surat.pdf", PDF + b" " * 3000)) == [
        "“surat.pdf” is 3.0\xa0KB; the limit is 2.0\xa0KB. Save it smaller, for example by "
        "scanning at a lower resolution, and upload it again."
    ]


def test_a_workbook_is_accepted_only_where_workbooks_are():
    with_workbooks = DocumentField(kinds=(DocumentKind.PDF, DocumentKind.XLSX))

    assert with_workbooks.clean(upload("rencana aksi.xlsx", xlsx())).kind == DocumentKind.XLSX
    assert refusal(DocumentField(), upload("rencana aksi.xlsx", xlsx())) == [
        "“rencana aksi.xlsx” is not one of the accepted kinds of file (PDF, JPEG image, PNG image)."
    ]


def test_a_zip_without_a_workbook_inside_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    field = DocumentField(kinds=(DocumentKind.XLSX,))

    assert refusal(field, upload("laporan.xlsx", buffer.getvalue()))[0].startswith(
        "“laporan.xlsx” is not really an Excel workbook"
    )


def test_the_file_input_hints_the_accepted_kinds_and_the_content_still_decides():
    html = str(DocumentField().widget.render("document", None))

    assert 'accept=".pdf,application/pdf,.jpg,.jpeg,image/jpeg,.png,image/png"' in html


def test_the_name_kept_is_printable_and_at_most_200_characters():
    assert display_name("surat\u202egpj.exe") == "suratgpj.exe"
    assert display_name("surat\r\nX-Evil: 1.pdf") == "suratX-Evil: 1.pdf"
    long = display_name("a" * 300 + ".pdf")
    assert len(long) == 200
    assert long.endswith("a.pdf")


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


def test_a_stored_document_has_a_random_name_with_the_extension_of_its_content():
    evidence = Evidence()
    checked = DocumentField().clean(upload("../../etc/passwd surat.jpeg", JPEG))

    document_save(checked, evidence.file)

    assert re.fullmatch(r"partners/evidence/[0-9a-f]{32}\.jpg", evidence.file.name)
    with evidence.file.open("rb") as stored_file:
        assert stored_file.read() == JPEG


def test_a_document_stored_by_a_block_that_fails_is_deleted_again():
    kept_evidence, lost_evidence = Evidence(), Evidence()
    document_save(DocumentField().clean(upload("a.pdf", PDF)), kept_evidence.file)
    with pytest.raises(RuntimeError), documents_removed_on_failure():
        document_save(DocumentField().clean(upload("b.pdf", PDF)), lost_evidence.file)
        raise RuntimeError("the row was not written")

    assert not default_storage.exists(lost_evidence.file.name)
    assert default_storage.exists(kept_evidence.file.name)


def test_a_kept_document_comes_back_to_its_user_only(users):
    owner, other = users[Role.PARTNER], users[Role.SECRETARIAT]
    checked = DocumentField().clean(upload("surat.pdf", PDF))

    token = keep(checked, user=owner)
    back = kept(token, user=owner)

    assert (back.name, back.kind, back.upload.read()) == ("surat.pdf", DocumentKind.PDF, PDF)
    back.upload.close()
    assert kept(token, user=other) is None
    assert kept(token[:-2] + ("aa" if not token.endswith("aa") else "bb"), user=owner) is None
    assert kept("not a token", user=owner) is None


def test_a_kept_document_expires_after_a_day(users, monkeypatch):
    owner = users[Role.PARTNER]
    token = keep(DocumentField().clean(upload("surat.pdf", PDF)), user=owner)
    later = time.time() + timedelta(days=1, minutes=1).total_seconds()

    monkeypatch.setattr(signing.time, "time", lambda: later)

    assert kept(token, user=owner) is None


def test_keeping_a_large_upload_copies_it_and_leaves_the_request_file(users):
    temporary = TemporaryUploadedFile("surat.pdf", "application/pdf", len(PDF), None)
    temporary.write(PDF)
    temporary.seek(0)
    checked = DocumentField().clean(temporary)

    keep(checked, user=users[Role.PARTNER])

    assert os.path.exists(temporary.temporary_file_path())
    temporary.close()


def test_old_kept_files_are_pruned_and_recent_ones_stay(users):
    token = keep(DocumentField().clean(upload("baru.pdf", PDF)), user=users[Role.PARTNER])
    old = default_storage.save(f"{KEPT_DIR}/{'0' * 32}.pdf", io.BytesIO(PDF))
    two_days_ago = time.time() - timedelta(days=2).total_seconds()
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))

    assert kept_files_prune() == 1
    assert not default_storage.exists(old)
    recent = kept(token, user=users[Role.PARTNER])
    assert recent.upload.size == len(PDF)
    recent.upload.close()


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


@pytest.mark.django_db
def test_a_kept_document_stays_chosen_through_a_second_failure(users):
    owner = users[Role.PARTNER]
    first = CommitmentForm({"title": ""}, {"document": upload("surat.pdf", PDF)}, user=owner)
    first.is_valid()
    token = kept_token(str(first))

    second = CommitmentForm({"title": "", "document_kept": token}, {}, user=owner)

    assert not second.is_valid()
    assert kept_token(str(second)) == token
