"""The form fields and widgets of an upload, and the form mixin that keeps what passed."""

from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .checking import CheckedDocument, document_check
from .keeping import KeptFile, keep, kept, kept_file
from .kinds import DOCUMENTS, DocumentKind, accept_attribute

# The hidden input after a file input `<name>` that carries the tokens of the kept files.
KEPT_SUFFIX = "_kept"


class _KeptToken(str):
    """A token posted back in `<name>_kept`: a file chosen before, not a new upload."""


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
        chosen = [item for item in values if isinstance(item, KeptFile)]
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


def _size_limit() -> str:
    return _("At most %(limit)s per file.") % {
        "limit": filesizeformat(settings.TKPK_DOCUMENT_MAX_BYTES)
    }


_size_limit_text = lazy(_size_limit, str)


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
        # The limit is said before a file is chosen, not only when one is refused; lazily,
        # in the language and with the limit of the request that shows the form.
        self.help_text = format_lazy("{} {}", self.help_text, _size_limit_text())

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

    def _kept_for_widget(self, data) -> KeptFile | None:
        if not isinstance(data, _KeptToken):
            return None
        found = kept_file(data, user=self.user)
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
