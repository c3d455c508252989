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
view checks permissions first.
"""

import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tkpk.translation import shorten

# The models' file-name fields (Commitment.document_name, Evidence.name) hold 200.
NAME_LENGTH = 200
# The longest signature below (PNG's 8 bytes, then IHDR's length and type).
HEAD_BYTES = 16
KEPT_DIR = "kept"
KEPT_SUFFIX = "_kept"
KEPT_MAX_AGE = timedelta(days=1)
_KEPT_SALT = "tkpk.documents.kept"


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


@dataclass(frozen=True)
class CheckedDocument:
    """An upload whose content is one of the allowed kinds.

    `name` is the name the user gave (printable, at most NAME_LENGTH characters), for
    display only. `token` is set when it came back from `kept()`.
    """

    upload: File
    kind: DocumentKind
    name: str
    token: str = ""


def display_name(raw: str) -> str:
    """The user's file name without control or direction characters, cut to NAME_LENGTH."""
    # A right-to-left override would show "gpj.exe" as "exe.jpg"; a newline breaks headers.
    name = "".join(c for c in raw if unicodedata.category(c)[0] != "C").strip()
    if len(name) > NAME_LENGTH:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= 10 else ""
        name = name[: NAME_LENGTH - len(suffix)] + suffix
    return name


def document_check(upload: File, kinds: Sequence[DocumentKind]) -> CheckedDocument:
    """`upload` as a CheckedDocument, or ValidationError with one sentence naming it."""
    name = display_name(upload.name or "")
    if not name:
        raise ValidationError(forms.FileField.default_error_messages["invalid"], code="invalid")
    shown = shorten(name)
    if not upload.size:
        raise ValidationError(
            _("“%(name)s” is empty. Check the file on your computer and upload it again.")
            % {"name": shown},
            code="empty",
        )
    if upload.size > settings.TKPK_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _(
                "“%(name)s” is %(size)s; the limit is %(limit)s. Save it smaller, for example "
                "by scanning at a lower resolution, and upload it again."
            )
            % {
                "name": shown,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.TKPK_DOCUMENT_MAX_BYTES),
            },
            code="too_large",
        )
    actual = sniff(upload, kinds)
    named = DocumentKind.from_name(name)
    if actual is None:
        raise ValidationError(_not_accepted(shown, named, kinds), code="kind")
    if named is not None and named != actual:
        raise ValidationError(
            _(
                "“%(name)s” is %(actual)s, not %(named)s: rename it to “%(rename)s” and "
                "upload it again."
            )
            % {
                "name": shown,
                "actual": actual.noun,
                "named": named.noun,
                "rename": shorten(PurePosixPath(name).stem + actual.extension),
            },
            code="renamed",
        )
    return CheckedDocument(upload=upload, kind=actual, name=name)


def _not_accepted(name: str, named: DocumentKind | None, kinds: Sequence[DocumentKind]) -> str:
    labels = ", ".join(str(kind.label) for kind in kinds)
    if named in kinds:
        # The name claims an accepted kind: an executable renamed .pdf, a .png that is WebP.
        return _(
            "“%(name)s” is not really %(named)s: its content is of another kind. "
            "Accepted kinds: %(kinds)s."
        ) % {"name": name, "named": named.noun, "kinds": labels}
    return _("“%(name)s” is not one of the accepted kinds of file (%(kinds)s).") % {
        "name": name,
        "kinds": labels,
    }


class _KeptToken(str):
    """A token posted back in `<name>_kept`: a file chosen before, not a new upload."""


@dataclass(frozen=True)
class _Kept:
    token: str
    path: str
    name: str
    kind: DocumentKind


class DocumentInput(forms.FileInput):
    """A file input that also carries, and names, the files kept from the last POST."""

    def value_from_datadict(self, data, files, name):
        uploads = super().value_from_datadict(data, files, name)
        if self.allow_multiple_selected:
            uploads = uploads if isinstance(uploads, list) else [uploads] if uploads else []
        if uploads:
            return uploads
        tokens = [_KeptToken(token) for token in _getlist(data, name + KEPT_SUFFIX) if token]
        if self.allow_multiple_selected:
            return tokens
        return tokens[0] if tokens else None

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and (
            name + KEPT_SUFFIX not in data
        )

    def render(self, name, value, attrs=None, renderer=None):
        values = value if isinstance(value, list) else [value]
        chosen = [item for item in values if isinstance(item, _Kept)]
        attrs = dict(attrs or {})
        if chosen:
            # The browser must not insist on a new file when one is already chosen.
            attrs.pop("required", None)
            if attrs.get("id"):
                described = attrs.get("aria-describedby", "")
                attrs["aria-describedby"] = f"{attrs['id']}{KEPT_SUFFIX} {described}".strip()
        html = super().render(name, None, attrs, renderer)
        if not chosen:
            return html
        hidden = format_html_join(
            "",
            '<input type="hidden" name="{}" value="{}">',
            ((name + KEPT_SUFFIX, item.token) for item in chosen),
        )
        names = ", ".join(f"“{item.name}”" for item in chosen)
        text = ngettext(
            "Already chosen: %(names)s. Choose another file only to replace it.",
            "Already chosen: %(names)s. Choose other files only to replace them.",
            len(chosen),
        ) % {"names": names}
        note = format_html(
            '<div class="form-text mt-0 mb-1"{}>{}</div>',
            format_html(' id="{}{}"', attrs["id"], KEPT_SUFFIX) if attrs.get("id") else "",
            text,
        )
        return hidden + note + html


class MultipleDocumentInput(DocumentInput):
    allow_multiple_selected = True


class DocumentField(forms.FileField):
    """One document whose content is one of `kinds`; cleans to a CheckedDocument or None.

    None means no new file was chosen: with `required=True` and an `initial` (the
    document already stored), that is allowed and means "keep the current one".
    """

    widget = DocumentInput

    def __init__(self, *, kinds: Sequence[DocumentKind] = DOCUMENTS, **kwargs) -> None:
        self.kinds = tuple(kinds)
        self.user = None  # set by KeepsDocuments, to read back the files it kept
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": accept_attribute(self.kinds)}

    def clean(self, data, initial=None):
        document = self.document(data) if data else None
        if document is None and self.required and not initial:
            raise ValidationError(self.error_messages["required"], code="required")
        return document

    def document(self, data) -> CheckedDocument:
        """A new upload checked, or the file a kept token points to."""
        if isinstance(data, _KeptToken):
            document = kept(data, user=self.user)
            if document is None or document.kind not in self.kinds:
                raise ValidationError(
                    _("The file chosen earlier is no longer kept. Choose it again."),
                    code="kept_gone",
                )
            return document
        return document_check(data, self.kinds)

    def bound_data(self, data, initial):
        """What the re-rendered widget shows: the files kept, for this user only."""
        if isinstance(data, list):
            return [item for item in map(self._kept_for_widget, data) if item]
        return self._kept_for_widget(data)

    def _kept_for_widget(self, data) -> _Kept | None:
        if not isinstance(data, _KeptToken):
            return None
        found = _unsign(data, user=self.user)
        return found if found and found.kind in self.kinds else None


class MultipleDocumentField(DocumentField):
    """Up to `max_count` documents in one input; cleans to a list of CheckedDocument."""

    widget = MultipleDocumentInput

    def __init__(self, *, max_count: int = 10, **kwargs) -> None:
        self.max_count = max_count
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = data or []
        if len(items) > self.max_count:
            raise ValidationError(
                ngettext(
                    "You chose %(count)d files; at most %(limit)d is accepted at a time.",
                    "You chose %(count)d files; at most %(limit)d are accepted at a time.",
                    self.max_count,
                )
                % {"count": len(items), "limit": self.max_count},
                code="too_many",
            )
        documents, errors = [], []
        for item in items:
            try:
                documents.append(self.document(item))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        if not documents and self.required and not initial:
            raise ValidationError(self.error_messages["required"], code="required")
        return documents


class KeepsDocuments:
    """A form mixin: documents that passed are kept when another field fails.

    Takes `user=` (who may read the kept files back). Put it before the form class:
    `class CommitmentForm(KeepsDocuments, forms.ModelForm)`.
    """

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.document_user = user
        for field in self.fields.values():
            if isinstance(field, DocumentField):
                field.user = user

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self._errors:
            self.keep_documents()

    def keep_documents(self) -> None:
        """Carry the documents that passed into the page shown again, as hidden tokens.

        Runs by itself when a field fails; call it when a service refuses a valid form
        (tkpk.forms.refusal_show does).
        """
        data, files = _mutable(self.data), _mutable(self.files)
        for name, field in self.fields.items():
            if not isinstance(field, DocumentField):
                continue
            key = self.add_prefix(name)
            files.pop(key, None)
            value = None if name in self._errors else self.cleaned_data.get(name)
            documents = value if isinstance(value, list) else [value] if value else []
            # A refused new file drops the one kept before: the user meant to replace it.
            data.setlist(key + KEPT_SUFFIX, [self._keep(d) for d in documents])
        self.data, self.files = data, files

    def _keep(self, document: CheckedDocument) -> str:
        if document.token:  # kept already: its token stays good, its file is not needed now
            document.upload.close()
            return document.token
        return keep(document, user=self.document_user)


def _getlist(data, key: str) -> list:
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data.get(key)
    return value if isinstance(value, list) else [] if value is None else [value]


def _mutable(data) -> MultiValueDict:
    if isinstance(data, MultiValueDict):
        return data.copy()
    copy = MultiValueDict()
    for key, value in (data or {}).items():
        copy.setlist(key, value if isinstance(value, list) else [value])
    return copy


def stored_name(checked: CheckedDocument) -> str:
    """A random file name with the extension of the kind found, never the user's name."""
    return uuid.uuid4().hex + checked.kind.extension


# The files document_save() stored inside the innermost documents_removed_on_failure().
_stored_here: ContextVar[list[FieldFile] | None] = ContextVar("stored_documents", default=None)


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


def keep(checked: CheckedDocument, *, user) -> str:
    """Save the document under kept/ and return a token that gives it back to `user`."""
    if getattr(user, "pk", None) is None:
        raise ValueError("Only a signed-in user's documents are kept.")
    kept_files_prune()
    # Wrapped, so a temporary upload is copied rather than moved from under the request.
    path = default_storage.save(
        f"{KEPT_DIR}/{uuid.uuid4().hex}{checked.kind.extension}", File(checked.upload)
    )
    return signing.dumps(
        {"user": user.pk, "path": path, "name": checked.name, "kind": checked.kind.value},
        salt=_KEPT_SALT,
    )


_KEPT_PATH = re.compile(rf"{KEPT_DIR}/[0-9a-f]{{32}}\.[a-z]+")


def _unsign(token: str, *, user) -> _Kept | None:
    try:
        data = signing.loads(token, salt=_KEPT_SALT, max_age=KEPT_MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return None
    pk = getattr(user, "pk", None)
    if not isinstance(data, dict) or pk is None or data.get("user") != pk:
        return None
    path, name, kind = data.get("path"), data.get("name"), data.get("kind")
    if not isinstance(path, str) or not _KEPT_PATH.fullmatch(path) or not isinstance(name, str):
        return None
    if kind not in DocumentKind.values or not path.endswith(DocumentKind(kind).extension):
        return None
    return _Kept(token=token, path=path, name=name, kind=DocumentKind(kind))


def kept(token: str, *, user) -> CheckedDocument | None:
    """The document `keep()` saved for `user`, opened; None if the token is not good.

    `upload` is an open file: `document_save()` closes it, any other caller must.
    """
    found = _unsign(token, user=user)
    if found is None:
        return None
    try:
        upload = default_storage.open(found.path, "rb")
    except FileNotFoundError:
        return None
    return CheckedDocument(upload=upload, kind=found.kind, name=found.name, token=token)


def kept_files_prune(older_than: timedelta = KEPT_MAX_AGE) -> int:
    """Delete kept files older than `older_than`; return how many."""
    try:
        _dirs, names = default_storage.listdir(KEPT_DIR)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    deleted = 0
    for name in names:
        path = f"{KEPT_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # pruned by another request meanwhile
            continue
    return deleted


def document_response(
    field_file: FieldFile, *, name: str, kind: DocumentKind | None = None
) -> FileResponse:
    """The stored document, named `name`, of the kind its stored extension says.

    Shown in the browser for PDF and images, downloaded otherwise. The view checks
    permissions first.
    """
    kind = kind or DocumentKind.from_name(field_file.name or "")
    try:
        stream = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    filename = display_name(name) or "document"
    if kind is None:
        response = FileResponse(
            stream, as_attachment=True, filename=filename, content_type="application/octet-stream"
        )
    else:
        if DocumentKind.from_name(filename) != kind:
            filename += kind.extension
        response = FileResponse(
            stream, as_attachment=not kind.inline, filename=filename, content_type=kind.content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response
