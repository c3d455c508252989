"""An upload checked by name, size and content (tkpk/documents/checking.py)."""

import pytest

from tkpk.documents import DocumentField, DocumentKind, display_name

from .files import JPEG, LINUX_PROGRAM, PDF, PNG, WINDOWS_PROGRAM, refusal, upload


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


def test_the_name_kept_is_printable_and_at_most_200_characters():
    assert display_name("surat\u202egpj.exe") == "suratgpj.exe"
    assert display_name("surat\r\nX-Evil: 1.pdf") == "suratX-Evil: 1.pdf"
    long = display_name("a" * 300 + ".pdf")
    assert len(long) == 200
    assert long.endswith("a.pdf")
