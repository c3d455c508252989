"""Documents kept between two POSTs behind a signed token (tkpk/documents/keeping.py)."""

import io
import os
import time
from datetime import timedelta

from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile

from tkpk.documents import KEPT_DIR, DocumentField, DocumentKind, keep, kept, kept_files_prune
from tkpk.models import Role

from .files import PDF, upload


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
