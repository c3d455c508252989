"""Optimistic locking: a save based on what someone else has changed meanwhile is refused.

A record that two people may edit at once carries a `version` counter raised by every
write. A form sends back the version its author read; the service compares it with the
stored one under a row lock and raises EditConflict on a mismatch, carrying the stored
record so that the page can show the other person's change beside what was typed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime

from tkpk.forms import refusal_show
from tkpk.translation import Message as _


class EditConflict(ValidationError):
    """Someone saved the record after the author of this save opened it."""

    def __init__(self, current: models.Model, *, by, at) -> None:
        super().__init__(
            _(
                "%(who)s saved this at %(time)s, after you opened it. Their saved values are "
                "shown beside yours, and nothing of yours was saved: check both, then save "
                "again to keep yours."
            )
            % {"who": by.get_full_name() if by else "—", "time": _when(at)},
            code="edit_conflict",
        )
        self.current = current


def _when(at) -> str:
    return date_format(localtime(at), "j M Y H:i") if at else "—"


def version_check(stored: models.Model, version: int | None, *, by, at) -> None:
    """Raise EditConflict unless `version` is the stored record's; `by` and `at` say who
    changed it last and when. No version (a form opened before the record existed, or a
    tampered one) is a conflict too: a save never goes through unchecked."""
    if stored.version != version:
        raise EditConflict(stored, by=by, at=at)


@dataclass(frozen=True)
class ConflictRow:
    label: str
    theirs: str
    yours: str


def conflict_show(form: forms.BaseForm, conflict: EditConflict) -> list[ConflictRow]:
    """Show `conflict` above `form`, base the form's next save on the stored version (so
    that saving again keeps what was typed, knowingly), and return the fields where the
    stored record and the typed form differ, for the page to show side by side. Files
    chosen stay chosen (they are added, never replace the stored ones)."""
    refusal_show(form, conflict)
    data = form.data.copy()
    data[form.add_prefix("version")] = conflict.current.version
    form.data = data
    rows = []
    for name, field in form.fields.items():
        if name == "version" or isinstance(field, forms.FileField):
            continue
        if not hasattr(conflict.current, name):
            continue
        theirs = _stored_text(conflict.current, name)
        yours = _typed_text(field, form.cleaned_data.get(name))
        if theirs != yours:
            rows.append(ConflictRow(label=str(field.label), theirs=theirs, yours=yours))
    return rows


def _stored_text(record: models.Model, name: str) -> str:
    if display := getattr(record, f"get_{name}_display", None):
        return str(display())
    value = getattr(record, name)
    if hasattr(value, "all"):  # a many-to-many manager
        return ", ".join(sorted(str(item) for item in value.all()))
    return _text(value)


def _typed_text(field: forms.Field, value) -> str:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(sorted(str(item) for item in value or ()))
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value or ""))
    return _text(value)


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, Decimal):
        value = value.normalize() if value != value.to_integral_value() else value.quantize(1)
        return number_format(value, use_l10n=True, force_grouping=True)
    return str(value)
