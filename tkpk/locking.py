"""Optimistic locking: a save based on what someone else has changed meanwhile is refused.

A record that two people may edit at once carries a `version` counter raised by every
write. A form sends back the version its author read; the service compares it with the
stored one under a row lock and raises EditConflict on a mismatch, carrying the stored
record so that the page can show the other person's change beside what was typed.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime

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
    changed it last and when."""
    if version is not None and stored.version != version:
        raise EditConflict(stored, by=by, at=at)
