"""An upload checked: a printable name, a size within the limit, content of an allowed kind."""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from tkpk.translation import shorten

from .kinds import DocumentKind, sniff

# The models' file-name fields (Commitment.document_name, Evidence.name) hold 200.
NAME_LENGTH = 200


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
