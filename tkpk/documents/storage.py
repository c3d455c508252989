"""A checked document stored in a model's file field, and removed again if the write fails."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.fields.files import FieldFile

from .checking import CheckedDocument

# The files document_save() stored inside the innermost documents_removed_on_failure().
_stored_here: ContextVar[list[FieldFile] | None] = ContextVar("stored_documents", default=None)


def stored_name(checked: CheckedDocument) -> str:
    """A random file name with the extension of the kind found, never the user's name."""
    return uuid.uuid4().hex + checked.kind.extension


@contextmanager
def documents_removed_on_failure() -> Iterator[None]:
    """Delete again the documents stored inside this block if the block fails.

    Wrap a service's transaction in it: a rolled-back row must not leave its file behind.
    """
    stored: list[FieldFile] = []
    token = _stored_here.set(stored)
    try:
        yield
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise
    finally:
        _stored_here.reset(token)


def document_save(checked: CheckedDocument, field_file: FieldFile) -> None:
    """Store the document in a model's file field (`commitment.document`); not saved yet.

    The caller keeps `checked.name` in the model's name field.
    """
    try:
        field_file.save(stored_name(checked), checked.upload, save=False)
    finally:
        if checked.token:
            checked.upload.close()
    stored = _stored_here.get()
    if stored is not None:
        stored.append(field_file)
