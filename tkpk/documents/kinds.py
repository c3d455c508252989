"""The kinds of document we accept, each recognised by its first bytes, never by its name."""

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files import File
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

# The longest signature below (PNG's 8 bytes, then IHDR's length and type).
HEAD_BYTES = 16


class DocumentKind(models.TextChoices):
    PDF = "pdf", gettext_lazy("PDF")
    JPEG = "jpeg", gettext_lazy("JPEG image")
    PNG = "png", gettext_lazy("PNG image")
    XLSX = "xlsx", gettext_lazy("Excel workbook")

    @property
    def content_type(self) -> str:
        return _TRAITS[self].content_type

    @property
    def extension(self) -> str:
        """The extension it is stored under and that a rename is asked for: ".pdf"."""
        return _TRAITS[self].extensions[0]

    @property
    def noun(self) -> str:
        """The label with its article, for sentences: "a PDF", "an Excel workbook"."""
        return str(_TRAITS[self].noun)

    @property
    def inline(self) -> bool:
        """Whether a browser shows it in the page rather than saving it."""
        return _TRAITS[self].inline

    def matches(self, head: bytes, file: File) -> bool:
        return _TRAITS[self].matches(head, file)

    @classmethod
    def from_name(cls, name: str) -> "DocumentKind | None":
        """The kind a file name claims by its extension, or None if it is not one of ours."""
        suffix = PurePosixPath(name).suffix.lower()
        return next((kind for kind in cls if suffix in _TRAITS[kind].extensions), None)


def _is_pdf(head: bytes, file: File) -> bool:
    # Strict: PDF readers accept up to 1 KB before the marker, which hides polyglots.
    return head.startswith(b"%PDF-")


def _is_jpeg(head: bytes, file: File) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _is_png(head: bytes, file: File) -> bool:
    # The signature, then the first chunk, which must be IHDR (13 bytes long).
    return head.startswith(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")


def _is_xlsx(head: bytes, file: File) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        # Reads the end record and the central directory only; nothing is decompressed.
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return False
    finally:
        file.seek(0)
    return {"[Content_Types].xml", "xl/workbook.xml"} <= names


@dataclass(frozen=True)
class _Traits:
    content_type: str
    extensions: tuple[str, ...]  # the first is the one stored and suggested
    noun: Promise
    inline: bool
    matches: Callable[[bytes, File], bool]


_TRAITS = {
    DocumentKind.PDF: _Traits(
        "application/pdf", (".pdf",), gettext_lazy("a PDF"), inline=True, matches=_is_pdf
    ),
    DocumentKind.JPEG: _Traits(
        "image/jpeg", (".jpg", ".jpeg"), gettext_lazy("a JPEG image"), inline=True, matches=_is_jpeg
    ),
    DocumentKind.PNG: _Traits(
        "image/png", (".png",), gettext_lazy("a PNG image"), inline=True, matches=_is_png
    ),
    DocumentKind.XLSX: _Traits(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
        gettext_lazy("an Excel workbook"),
        inline=False,
        matches=_is_xlsx,
    ),
}

DOCUMENTS = (DocumentKind.PDF, DocumentKind.JPEG, DocumentKind.PNG)


def sniff(file: File, kinds: Sequence[DocumentKind] = tuple(DocumentKind)) -> DocumentKind | None:
    """Which of `kinds` the content of `file` is, from its first bytes; None if none."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return next((kind for kind in kinds if kind.matches(head, file)), None)


def accept_attribute(kinds: Sequence[DocumentKind]) -> str:
    """The file input's `accept`: a hint for the browser's file picker; content decides."""
    return ",".join(
        item for kind in kinds for item in (*_TRAITS[kind].extensions, kind.content_type)
    )
