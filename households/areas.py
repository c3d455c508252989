"""Kepmendagri area codes: format, level and parent, as pure functions.

`63` province · `63.02` regency/city · `63.02.17` district · `63.02.17.2003` village.
"""

import re

from django.utils.translation import gettext as _

CODE_PATTERNS = {
    1: re.compile(r"\d{2}"),
    2: re.compile(r"\d{2}\.\d{2}"),
    3: re.compile(r"\d{2}\.\d{2}\.\d{2}"),
    4: re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}"),
}
CODE_LENGTHS = {1: 2, 2: 5, 3: 8, 4: 13}


class AreaCodeError(ValueError):
    """A code that is not a Kepmendagri area code; the message says why."""


def area_level(code: str) -> int:
    """The level (1 province … 4 village) a well-formed code implies."""
    for level, pattern in CODE_PATTERNS.items():
        if pattern.fullmatch(code):
            if any(set(part) == {"0"} for part in code.split(".")):
                raise AreaCodeError(
                    _("%(code)s: no part of an area code may be zero.") % {"code": code}
                )
            return level
    raise AreaCodeError(
        _("%(code)r is not an area code: expected 63, 63.02, 63.02.17 or 63.02.17.2003.")
        % {"code": code}
    )


def parent_code(code: str) -> str | None:
    """The code of the area one level up, or None for a province."""
    head, _sep, _tail = code.rpartition(".")
    return head or None


def is_within(code: str, prefix: str) -> bool:
    """True when `code` is `prefix` itself or lies below it."""
    return code == prefix or code.startswith(prefix + ".")
