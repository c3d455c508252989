"""Validators of our own: passwords (next to Django's AUTH_PASSWORD_VALIDATORS) and dates."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _letters_and_digits(value: str) -> str:
    """`value` compared as a person types it: case and punctuation do not count."""
    return "".join(char for char in value.casefold() if char.isalnum())


class PasswordContainsUserValidator:
    """Refuse a password that contains the username, the name or the e-mail's local part.

    Django's UserAttributeSimilarityValidator compares whole strings, so `korban3korban3`
    for user `korban3` scores under its threshold and passes; a password holding the
    username (repeated, reversed, in other case or with punctuation) is guessed first.
    """

    # Shorter values (a two-letter username) would refuse too many good passwords.
    min_length = 3
    attributes = {
        "username": gettext_lazy("username"),
        "name": gettext_lazy("name"),
        "email": gettext_lazy("e-mail address"),
    }

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        typed = _letters_and_digits(password)
        for attribute, label in self.attributes.items():
            value = getattr(user, attribute, None) or ""
            if attribute == "email":
                value = value.rpartition("@")[0]
            value = _letters_and_digits(value)
            if len(value) >= self.min_length and (value in typed or value[::-1] in typed):
                raise ValidationError(
                    _("The password must not contain the %(attribute)s, not even backwards."),
                    code="password_contains_user_attribute",
                    params={"attribute": label},
                )

    def get_help_text(self) -> str:
        return _("Your password must not contain your username, name or e-mail address.")


# The years the application plans and reports in: a year filter or a target outside them
# is a slip.
FIRST_YEAR, LAST_YEAR = 2000, 2100
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def validate_plausible_date(value: datetime.date) -> None:
    """A date a person could mean: typing 0001 or 9999 for a year is a slip, not a date."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_DATE.year, "last": LATEST_DATE.year}
        )


def validate_more_than_zero(value) -> None:
    """A quantity pledged or delivered: zero or less is nothing to record."""
    if value is not None and value <= 0:
        raise ValidationError(_("Enter a number greater than 0."))
