"""What a file is, from its first bytes (tkpk/documents/kinds.py)."""

import io
import zipfile

from tkpk.documents import DocumentField, DocumentKind

from .files import JPEG, PDF, PNG, refusal, upload, xlsx


def test_a_name_without_a_known_extension_is_judged_by_content():
    assert DocumentField().clean(upload("scan", PDF)).kind == DocumentKind.PDF
    assert DocumentField().clean(upload("scan.heic", JPEG)).kind == DocumentKind.JPEG


def test_a_png_signature_without_its_header_chunk_is_not_a_png():
    assert refusal(DocumentField(), upload("foto.png", PNG[:8] + b"\x00" * 40))[0].startswith(
        "“foto.png” is not really a PNG image"
    )


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
