"""The row rules: one file row in, a clean person record or a list of problems out.

This runs once per row of files with a million rows, so values that repeat (dates, sexes,
desil, relationships, village codes) are parsed once and cached.
"""

import datetime
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from households.dtsen.problems import Problem
from households.identity import (
    clean_number,
    kk_error,
    nik_error,
    nik_is_female,
    number_from_cell,
)
from households.models import Household, Person, Relationship, Sex
from tkpk.spreadsheets import FORMULA_STARTS
from tkpk.translation import Message as _

# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
OLDEST_BIRTH = datetime.date(1880, 1, 1)
# The longest value each text column may hold: what the register stores.
MAX_LENGTH = {
    "nama": Person._meta.get_field("name").max_length,
    **{
        column: Household._meta.get_field(field).max_length
        for column, field in (("alamat", "address"), ("rt", "rt"), ("rw", "rw"), ("dusun", "dusun"))
    },
}

_SEX = {
    **dict.fromkeys(("1", "l", "laki-laki", "laki laki", "lakilaki", "m"), Sex.MALE.value),
    **dict.fromkeys(("2", "p", "perempuan", "f"), Sex.FEMALE.value),
}
_RELATIONSHIP = {
    "kepala keluarga": Relationship.HEAD,
    "istri/suami": Relationship.SPOUSE,
    "suami/istri": Relationship.SPOUSE,
    "istri": Relationship.SPOUSE,
    "suami": Relationship.SPOUSE,
    "anak": Relationship.CHILD,
    "menantu": Relationship.CHILD_IN_LAW,
    "cucu": Relationship.GRANDCHILD,
    "orang tua/mertua": Relationship.PARENT,
    "orang tua": Relationship.PARENT,
    "mertua": Relationship.PARENT,
    "famili lain": Relationship.OTHER_RELATIVE,
    "lainnya": Relationship.OTHER,
    **{str(choice.value): choice for choice in Relationship},
}
_DESIL = re.compile(r"(?:desil\s*)?(\d{1,2})(?:[.,]0+)?", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_DMY_DATE = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")
_VILLAGE_DOTTED = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_VILLAGE_DIGITS = re.compile(r"\d{10}")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Record:
    """A row that passed: what the register stores for one person and their household."""

    row: int
    nik: str
    no_kk: str
    name: str
    sex: str  # "" when not given
    birth_date: datetime.date | None
    relationship: int | None
    village: str
    address: str
    rt: str
    rw: str
    dusun: str
    desil: int | None
    desil_provinsi: int | None
    desil_kabupaten: int | None


RECORD_FIELDS = tuple(Record.__dataclass_fields__)
# A record as a plain tuple, in RECORD_FIELDS order: how records travel and are staged.
record_values = operator.attrgetter(*RECORD_FIELDS)


class _Invalid(Exception):
    pass


# C0 control characters and DEL: a DOS end-of-file mark or a stray NUL is never data;
# a line break inside a cell becomes a space.
_CONTROLS = {**dict.fromkeys([*range(32), 127]), **dict.fromkeys(map(ord, "\t\n\v\f\r"), " ")}


def drop_controls(text: str) -> str:
    return text if text.isprintable() else text.translate(_CONTROLS)


def _text(value) -> str:
    """A cell as text: whole numbers without `.0`, everything stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_MISSING = object()


def _unneutralised(text: str) -> str:
    """Drop the apostrophe our own exports put before text a spreadsheet would run."""
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


class RowChecker:
    """Checks rows of one file; remembers NIKs so a repeated one names its first row.

    Parsers of values that repeat are cached on the raw cell value: a file of a million
    rows has a few thousand distinct dates, a handful of sexes and desil.
    """

    def __init__(
        self,
        *,
        columns: dict[str, int],
        names: list[str],
        villages: Callable[[str], bool],
        today: datetime.date,
        fixed_width: bool = False,
    ) -> None:
        # A CSV row whose cell count differs from the header's has its values shifted.
        self.fixed_width = fixed_width
        self.names = names
        self.village_exists = villages
        self.today = today
        # Absent optional columns read an always-empty slot just past the header's width.
        self.width = len(names) + 1
        self.index = {field: columns.get(field, len(names)) for field in FIELDS}
        self.column = {
            field: names[i] if field in columns else None for field, i in self.index.items()
        }
        self.first_row_by_nik: dict[str, int] = {}
        # (column index, header, parser, cache of parsed values), in PARSERS order
        parsers = {**PARSERS, "tanggal_lahir": partial(parse_birth_date, today=today)}
        self._parsed = [
            (self.index[field], self.column[field], parsers[field], {}) for field in PARSERS
        ]
        # birth date -> the DDMMYY a man's and a woman's NIK carry for it
        self._nik_dates: dict[datetime.date, tuple[str, str]] = {}
        self._texts = [
            (self.index[field], self.column[field], MAX_LENGTH[field])
            for field in ("alamat", "rt", "rw", "dusun")
        ]

    def check(self, row: int, cells: list) -> tuple[Record | None, list[Problem], list[Problem]]:
        """(record or None, errors, warnings) for the row numbered `row` in the file."""
        errors: list[Problem] = []
        warnings: list[Problem] = []
        if self.fixed_width and len(cells) != len(self.names) and _shifted(cells, len(self.names)):
            errors.append(
                (
                    row,
                    None,
                    _(
                        "the row has %(cells)d values but the header has %(columns)d; a "
                        "separator or quote inside a value shifts the columns"
                    )
                    % {"cells": len(cells), "columns": len(self.names)},
                )
            )
            return None, errors, []
        if len(cells) < self.width:
            cells = [*cells, *[""] * (self.width - len(cells))]
        index, column = self.index, self.column

        nik = self._number(row, "nik", cells[index["nik"]], nik_error, errors, warnings)
        no_kk = self._number(row, "no_kk", cells[index["no_kk"]], kk_error, errors, warnings)
        if nik is not None:
            first = self.first_row_by_nik.setdefault(nik, row)
            if first != row:
                errors.append(
                    (
                        row,
                        column["nik"],
                        _("%(nik)s already appears in row %(first)d; only that row counts")
                        % {"nik": nik, "first": first},
                    )
                )

        name = cells[index["nama"]]
        name = _unneutralised(" ".join(name.split()) if type(name) is str else _text(name))
        name = drop_controls(name)
        if not name:
            errors.append((row, column["nama"], _("the name is empty")))
        elif len(name) > MAX_LENGTH["nama"]:
            errors.append(
                (
                    row,
                    column["nama"],
                    _("the name is longer than %(max)d characters") % {"max": MAX_LENGTH["nama"]},
                )
            )

        values = []
        for position, header, parse, cache in self._parsed:
            value = cells[position]
            try:
                parsed = cache[value]
            except KeyError:
                parsed = cache[value] = parse(value)
            except TypeError:  # an unhashable cell value
                parsed = parse(value)
            value, error, warning = parsed
            if error:
                errors.append((row, header, error))
            elif warning:
                warnings.append((row, header, warning))
            values.append(value)
        village, sex, birth_date, relationship, *desil = values
        texts = []
        for position, header, limit in self._texts:
            value = cells[position]
            value = drop_controls(value.strip() if type(value) is str else _text(value))
            if value[:1] == "'":
                value = _unneutralised(value)
            if len(value) > limit:
                warnings.append(
                    (
                        row,
                        header,
                        _("longer than %(max)d characters; cut to that length") % {"max": limit},
                    )
                )
                value = value[:limit]
            texts.append(value)
        if village is not None and not self.village_exists(village):
            errors.append(
                (
                    row,
                    column["village"],
                    _("%(code)s is not a village code in the areas list") % {"code": village},
                )
            )
        if errors:
            return None, errors, []

        if sex and (sex == Sex.FEMALE) != nik_is_female(nik):
            warnings.append(
                (
                    row,
                    column["jenis_kelamin"],
                    _("the sex contradicts the NIK (women have 40 added to the birth day)"),
                )
            )
        if birth_date is not None and nik[6:12] not in self._nik_date(birth_date):
            warnings.append(
                (
                    row,
                    column["tanggal_lahir"],
                    _("the birth date %(date)s contradicts the NIK (%(nik_date)s)")
                    % {"date": birth_date.isoformat(), "nik_date": nik[6:12]},
                )
            )
        address, rt, rw, dusun = texts
        desil, desil_provinsi, desil_kabupaten = desil
        record = Record(
            row=row,
            nik=nik,
            no_kk=no_kk,
            name=name,
            sex=sex,
            birth_date=birth_date,
            relationship=relationship,
            village=village,
            address=address,
            rt=rt,
            rw=rw,
            dusun=dusun,
            desil=desil,
            desil_provinsi=desil_provinsi,
            desil_kabupaten=desil_kabupaten,
        )
        return record, errors, warnings

    def _nik_date(self, birth_date: datetime.date) -> tuple[str, str]:
        try:
            return self._nik_dates[birth_date]
        except KeyError:
            month_year = birth_date.strftime("%m%y")
            pair = (
                f"{birth_date.day:02d}{month_year}",
                f"{birth_date.day + 40:02d}{month_year}",
            )
            self._nik_dates[birth_date] = pair
            return pair

    def _number(self, row, field, value, rule, errors, warnings) -> str | None:
        digits, error, warning = parse_number(value, rule)
        if error:
            errors.append((row, self.column[field], error))
        elif warning:
            warnings.append((row, self.column[field], warning))
        return digits


def _shifted(cells: list, width: int) -> bool:
    """Fewer values than headers, or more with something in the extra ones."""
    return len(cells) < width or any(cells[width:])


# Parsers of one cell value: (value, error or None, warning or None). Cached per value, so
# they may not depend on the row; checks across columns are done in RowChecker.check.
Parsed = tuple[object, str | None, str | None]


def parse_number(value, rule: Callable[[str], str | None]) -> Parsed:
    """A NIK or No. KK cell as (digits, error, warning); `rule` says what is wrong with digits.

    A number cell Excel may have rounded is an error, one that survived a warning; so is
    a number in scientific notation typed as text.
    """
    if type(value) is str and len(value) == 16 and value.isdigit():
        digits = value
        warning = None
    elif value is None or value == "":
        return None, _("the value is empty"), None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        digits, problem = number_from_cell(value)
        if problem:
            return None, problem, None
        warning = _("was stored as a number; format the column as text to keep it safe")
    else:
        digits = str(value)
        if "e+" in digits.casefold():
            return (
                None,
                _(
                    "%(value)s is in Excel's scientific notation, so digits were "
                    "lost; format the column as text and type it again"
                )
                % {"value": digits.strip()},
                None,
            )
        digits = clean_number(digits)
        warning = None
    if problem := rule(digits):
        return None, problem, None
    return digits, None, warning


def parse_village(value) -> Parsed:
    text = _text(value).replace(" ", "")
    if not text:
        return None, _("the village code is empty"), None
    if _VILLAGE_DIGITS.fullmatch(text):
        text = f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    if not _VILLAGE_DOTTED.fullmatch(text):
        return None, _("%(code)s is not a village code like 63.02.17.2003") % {"code": text}, None
    return text, None, None


def parse_sex(value) -> Parsed:
    text = _text(value)
    if not text:
        return "", None, None
    sex = _SEX.get(text.casefold())
    if sex is None:
        return "", _("%(value)r is not a sex: use 1/L or 2/P") % {"value": text}, None
    return sex, None, None


def parse_birth_date(value, *, today: datetime.date) -> Parsed:
    if value is None or value == "":
        return None, None, None
    parsed = _parse_date(value)
    if isinstance(parsed, str):
        return None, parsed, None
    if parsed < OLDEST_BIRTH:
        return None, _("%(date)s is not a possible birth date") % {"date": parsed}, None
    if parsed > today:
        return None, _("%(date)s is in the future") % {"date": parsed}, None
    return parsed, None, None


def _parse_date(value) -> datetime.date | str:
    """A date, or the reason it is not one."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer() or not 1 <= value <= 2958465:
            return _("%(value)s is not a date") % {"value": value}
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = str(value).strip()
    try:
        if match := _ISO_DATE.fullmatch(text):
            year, month, day = map(int, match.groups())
        elif match := _DMY_DATE.fullmatch(text):
            day, _sep, month, year = match.groups()
            day, month, year = int(day), int(month), int(year)
        elif text.isdigit() and len(text) == 4:
            return _("%(value)s is only a year: write the whole date") % {"value": text}
        elif text.isdigit() and len(text) <= 7:
            return _parse_date(int(text))
        else:
            raise _Invalid
    except _Invalid:
        return _("%(value)r is not a date: write YYYY-MM-DD or DD-MM-YYYY") % {"value": text}
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return _("%(value)s is not a day of the calendar") % {"value": text}


def parse_relationship(value) -> Parsed:
    text = _text(value)
    if not text:
        return None, None, None
    relationship = _RELATIONSHIP.get(_SPACES.sub(" ", text.casefold()))
    if relationship is None:
        return (
            None,
            None,
            _("%(value)r is not a known relationship; stored as unknown") % {"value": text},
        )
    return int(relationship), None, None


def parse_desil(value) -> Parsed:
    text = _text(value)
    if not text:
        return None, None, None
    match = _DESIL.fullmatch(text)
    if match and 1 <= int(match.group(1)) <= 10:
        return int(match.group(1)), None, None
    return (
        None,
        _("%(value)r is not a desil: write a whole number from 1 to 10") % {"value": text},
        None,
    )


DESIL_FIELDS = ("desil", "desil_provinsi", "desil_kabupaten_kota")
PARSERS = {
    "village": parse_village,
    "jenis_kelamin": parse_sex,
    "tanggal_lahir": parse_birth_date,
    "hubungan": parse_relationship,
    **dict.fromkeys(DESIL_FIELDS, parse_desil),
}
FIELDS = (
    "nik",
    "no_kk",
    "nama",
    "village",
    "jenis_kelamin",
    "tanggal_lahir",
    "hubungan",
    "alamat",
    "rt",
    "rw",
    "dusun",
    *DESIL_FIELDS,
)


# What a reading child's row checker answers for one row: (the values sent to the worker,
# or None for a rejected row; errors; warnings).
RowCheck = Callable[[int, list], tuple[tuple | None, list[Problem], list[Problem]]]


def dtsen_row_checker(source, answer: frozenset[str], today: datetime.date) -> RowCheck:
    """The checker of DTSEN rows (households/dtsen/checking.py): accepted rows as tuples.

    `source` is the opened file (reading.Source); `answer` the village codes the rows may
    name, as the worker answered the header.
    """
    check = RowChecker(
        columns=source.columns,
        names=source.names,
        villages=answer.__contains__,
        today=today,
        fixed_width=source.kind == "text",
    ).check

    def check_row(row: int, cells: list) -> tuple[tuple | None, list[Problem], list[Problem]]:
        record, errors, warnings = check(row, cells)
        return (None if record is None else record_values(record)), errors, warnings

    return check_row
