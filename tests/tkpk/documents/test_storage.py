"""A checked document stored, and removed again on failure (tkpk/documents/storage.py)."""

import re

import pytest
from django.core.files.storage import default_storage

from partners.models import Evidence
from tkpk.documents import DocumentField, document_save, documents_removed_on_failure

from .files import JPEG, PDF, upload


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
