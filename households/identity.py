"""NIK and No. KK: the layout rules, as pure functions.

A NIK is `PP KK CC DDMMYY SSSS`: province, regency/city and district of issue, the birth
date with 40 added to the day for women, and a serial from 0001. A No. KK has the same
shape with the card's issue date in place of a birth date. Both arrive from spreadsheets
typed by hand, so the cleaning rules here are forgiving about punctuation and strict
about digits.
"""

import datetime
import re

from tkpk.translation import Message as _

# The 38 province codes of Kepmendagri 300.2.2-2138/2025. Fixed here on purpose: a NIK
# issued anywhere in Indonesia is valid in every region, whatever areas are loaded.
PROVINCE_CODES = frozenset(
    str(code)
    for code in (
        *range(11, 20),  # Sumatra: Aceh … Kepulauan Bangka Belitung
        21,  # Kepulauan Riau
        *range(31, 37),  # Java: DKI Jakarta … Banten
        *range(51, 54),  # Bali, Nusa Tenggara
        *range(61, 66),  # Kalimantan
        *range(71, 77),  # Sulawesi
        81,  # Maluku
        82,  # Maluku Utara
        *range(91, 97),  # the six Papua provinces
    )
)
LENGTH = 16
# Spreadsheet doubles are exact only below 2**53; Excel itself keeps 15 digits.
EXACT_FLOAT_LIMIT = 2**53

_SEPARATORS = str.maketrans("", "", " .-\u00a0\t")
_DIGITS = re.compile(r"[0-9]{16}")
# Every valid DDMM of a NIK: the fast path of nik_error, which runs a million times a load.
_NIK_DAY_MONTH = frozenset(
    f"{day:02d}{month:02d}" for day in (*range(1, 32), *range(41, 72)) for month in range(1, 13)
)


def clean_number(text: str) -> str:
    """Drop the spaces, dots, dashes and leading apostrophe people type around a number."""
    text = text.strip()
    if text.startswith("'"):
        text = text[1:]
    return text.translate(_SEPARATORS)


def number_from_cell(value: float) -> tuple[str | None, str | None]:
    """The digits a numeric spreadsheet cell holds, or an error when Excel may have rounded it.

    A 16-digit number is beyond what Excel keeps, so its last digit comes back as 0; a
    number that does not end in 0 survived intact and is only worth a warning.
    """
    if isinstance(value, float):
        if not value.is_integer():
            return None, _("is a number with decimals in the spreadsheet, not a 16-digit code")
        value = int(value)
    if value >= EXACT_FLOAT_LIMIT or value % 10 == 0:
        return None, _(
            "was stored as a number, so Excel may have rounded its last digits (%(value)s); "
            "format the column as text and type it again"
        ) % {"value": value}
    return str(value), None


def _layout_error(digits: str) -> str | None:
    """Why `digits` is not 16 digits starting with a province; the column names the number."""
    if not _DIGITS.fullmatch(digits):
        return _("must be exactly 16 digits, not %(value)r") % {"value": digits}
    if digits[:2] not in PROVINCE_CODES:
        return _("starts with %(code)s, which is not a province code") % {"code": digits[:2]}
    return None


def nik_error(digits: str) -> str | None:
    """Why `digits` (already cleaned) is not a valid NIK, or None."""
    if (
        len(digits) == LENGTH
        and digits.isascii()
        and digits.isdigit()
        and digits[:2] in PROVINCE_CODES
        and digits[6:10] in _NIK_DAY_MONTH
        and digits[12:] != "0000"
    ):
        return None
    if error := _layout_error(digits):
        return error
    day, month = int(digits[6:8]), int(digits[8:10])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        return _("the birth day %(day)s is not 01–31 (men) or 41–71 (women)") % {"day": digits[6:8]}
    if not 1 <= month <= 12:
        return _("the birth month %(month)s is not 01–12") % {"month": digits[8:10]}
    if digits[12:] == "0000":
        return _("the serial number is 0000")
    return None


def kk_error(digits: str) -> str | None:
    """Why `digits` (already cleaned) is not a valid No. KK, or None."""
    valid = len(digits) == LENGTH and digits.isascii() and digits.isdigit()
    if valid and digits[:2] in PROVINCE_CODES:
        return None
    return _layout_error(digits)


def nik_is_female(nik: str) -> bool:
    return int(nik[6:8]) > 40


def nik_birth_date(nik: str, *, today: datetime.date) -> datetime.date | None:
    """The birth date a valid NIK encodes; the century is the latest not after `today`."""
    day = int(nik[6:8])
    day = day - 40 if day > 40 else day
    month, year = int(nik[8:10]), int(nik[10:12])
    year += 2000 if 2000 + year <= today.year else 1900
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def mask(number: str) -> str:
    """`6302********0001`: enough to tell records apart, not enough to misuse."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
