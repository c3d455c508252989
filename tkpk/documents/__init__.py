"""Uploaded documents: checked by content, kept across a validation error, served safely.

An upload is hostile until proven otherwise. Its kind is read from its first bytes, never
from its name or the browser's content type; at most a few bytes are read (and, for a
workbook, the zip's directory); the size limit is TKPK_DOCUMENT_MAX_BYTES. It is stored
under a random name with the extension of the kind found, and served with that kind's
content type; the name the user gave is kept apart, for display and download only.

A ModelForm with a document. Leave the model's FileField (and its name field) out of
`Meta.fields`: the form field gives a `CheckedDocument`, which the service stores.

    class CommitmentForm(KeepsDocuments, forms.ModelForm):
        document = DocumentField(label=_("Signed document"), required=False)

        class Meta:
            model = Commitment
            fields = ["title", "signed_on", "start_date", "end_date"]

    form = CommitmentForm(request.POST or None, request.FILES or None, user=request.user)
    if form.is_valid():  # cleaned_data["document"]: a CheckedDocument, or None if none chosen
        commitment_create(..., document=form.cleaned_data["document"], by=request.user)

    # in the service
    if document:
        document_save(document, commitment.document)
        commitment.document_name = document.name

Several files in one input (evidence): `MultipleDocumentField(max_count=10)` gives a list
of CheckedDocument, each stored with `document_save(checked, evidence.file)`.

Kept across a validation error: when another field of a `KeepsDocuments` form fails, each
document that passed is saved under kept/ in default storage (`keep()`) and the form
re-renders with a hidden input `<field name>_kept` carrying a signed token, and the text
"Already chosen: “surat.pdf”" above the file input. The next POST without a new file
gives the same document back (`kept()`); a new file replaces it. The token is bound to
the user and lasts KEPT_MAX_AGE; `keep()` deletes kept files older than that each time
it keeps one (`kept_files_prune()`), so no scheduled task is needed.

Serving: `document_response(commitment.document, name=commitment.document_name)`; the
view checks permissions first. A PDF or image is shown inline under the site's Content
Security Policy plus `sandbox`.

Modules: `kinds` (what a file is, from its bytes), `checking` (an upload made a
CheckedDocument), `fields` (form fields, widgets, the KeepsDocuments mixin), `keeping`
(kept/ and its tokens), `storage` (saving into a model's file field), `serving` (the
response). Import from `tkpk.documents`.
"""

from .checking import NAME_LENGTH, CheckedDocument, display_name, document_check
from .fields import (
    KEPT_SUFFIX,
    DocumentField,
    DocumentInput,
    KeepsDocuments,
    MultipleDocumentField,
    MultipleDocumentInput,
)
from .keeping import KEPT_DIR, KEPT_MAX_AGE, keep, kept, kept_files_prune
from .kinds import DOCUMENTS, HEAD_BYTES, DocumentKind, accept_attribute, sniff
from .serving import document_response
from .storage import document_save, documents_removed_on_failure, stored_name

__all__ = [
    "DOCUMENTS",
    "HEAD_BYTES",
    "KEPT_DIR",
    "KEPT_MAX_AGE",
    "KEPT_SUFFIX",
    "NAME_LENGTH",
    "CheckedDocument",
    "DocumentField",
    "DocumentInput",
    "DocumentKind",
    "KeepsDocuments",
    "MultipleDocumentField",
    "MultipleDocumentInput",
    "accept_attribute",
    "display_name",
    "document_check",
    "document_response",
    "document_save",
    "documents_removed_on_failure",
    "keep",
    "kept",
    "kept_files_prune",
    "sniff",
    "stored_name",
]
