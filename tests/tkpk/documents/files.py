"""Small files for the document tests: good ones of each kind, programs in disguise."""

import io

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

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
    """The messages `field` refuses `data` with, in English."""
    with translation.override("en"), pytest.raises(forms.ValidationError) as raised:
        field.clean(data)
    return raised.value.messages
