"""The row rules: file rows in, clean person records or lists of problems out.

Each rule is a parser of one cell value (`parse_*`), plus the few checks across columns
in DtsenChecker. Files have millions of rows, so the checker takes a batch of rows a
column at a time: values that repeat (dates, sexes, desil, relationships, village codes)
are parsed once, and only the rows with a problem are looked at one by one.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import itemgetter

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


# What an accepted row becomes, in this order: how rows travel and are staged (`row` is
# the row number in the file).
RECORD_FIELDS = (
    "row",
    "nik",
    "no_kk",
    "name",
    "sex",
    "birth_date",
    "relationship",
    "village",
    "address",
    "rt",
    "rw",
    "dusun",
    "desil",
    "desil_provinsi",
    "desil_kabupaten",
)


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


def _unneutralised(text: str) -> str:
    """Drop the apostrophe our own exports put before text a spreadsheet would run."""
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


@dataclass
class CheckedRows:
    """What the checker found in a batch of rows, each list in row order."""

    accepted: list[tuple]  # the values of each accepted row, in RECORD_FIELDS order
    rejected: list[tuple[int, list, list[Problem]]]  # (row, its cells as read, its errors)
    warnings: list[Problem]  # of the accepted rows


# Checks a batch: the row numbers and, for each, the cells as read.
BatchCheck = Callable[[list[int], list[list]], CheckedRows]
# Checks one row of a small table (a list of NIKs, statistics): the values sent to the
# worker or None for a rejected row, its errors, its warnings.
RowCheck = Callable[[int, list], tuple[tuple | None, list[Problem], list[Problem]]]


def row_by_row(check_row: RowCheck) -> BatchCheck:
    """A checker of batches that checks each row with `check_row`."""

    def check(numbers: list[int], rows: list[list]) -> CheckedRows:
        checked = CheckedRows(accepted=[], rejected=[], warnings=[])
        for row, cells in zip(numbers, rows, strict=True):
            values, errors, warnings = check_row(row, cells)
            if values is None:
                checked.rejected.append((row, cells, errors))
            else:
                checked.accepted.append(values)
                checked.warnings.extend(warnings)
        return checked

    return check


# A parsed column: the values, the errors and the warnings of its cells, each aligned with
# the rows; None instead of a list when no cell has one.
Column = tuple[list, list | None, list | None]


class DtsenChecker:
    """Checks the rows of one file a batch at a time, column by column.

    Each column's values go through its parser once per distinct value (a file of a
    million rows has a few thousand distinct dates, a handful of sexes and desil); only
    the rows with a problem are looked at one by one. A NIK seen before names the row
    where it first appeared, across batches.
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
        self.width = len(names)
        self.index = {field: columns.get(field) for field in FIELDS}
        self.column = {
            field: names[index] if index is not None else None
            for field, index in self.index.items()
        }
        self.village_exists = villages
        self.first_row_by_nik: dict[str, int] = {}
        parsers = {
            "nik": partial(parse_number, rule=nik_error),
            "no_kk": partial(parse_number, rule=kk_error),
            "nama": parse_name,
            **PARSERS,
            "tanggal_lahir": partial(parse_birth_date, today=today),
            **{field: partial(parse_text, limit=MAX_LENGTH[field]) for field in TEXT_FIELDS},
        }
        # NIKs and names hardly repeat: remembering them would only cost memory.
        self._columns = {
            field: _ParsedValues(parser, remember=field not in ("nik", "nama"))
            for field, parser in parsers.items()
        }
        self._village_known: dict[str, str | None] = {}
        # birth date -> the DDMMYY a man's and a woman's NIK carry for it
        self._nik_dates: dict[datetime.date, tuple[str, str]] = {}

    def check(self, numbers: list[int], rows: list[list]) -> CheckedRows:
        """Check the rows numbered `numbers` in the file."""
        shifted: list[tuple[int, list, list[Problem]]] = []
        lengths = set(map(len, rows))
        if self.fixed_width and lengths - {self.width}:
            numbers, rows, shifted = self._without_shifted(numbers, rows)
        shortest = min(lengths, default=0)
        parsed = {field: self._parse(field, rows, shortest) for field in FIELDS}
        values = {field: column[0] for field, column in parsed.items()}
        errors = self._errors(numbers, parsed)
        bad = _marked(errors)
        warnings = self._warnings(parsed)
        rejected = [(numbers[i], rows[i], _problems(numbers[i], errors, i)) for i in sorted(bad)]
        if shifted:
            rejected = sorted([*rejected, *shifted], key=itemgetter(0))
        warned = sorted(_marked(warnings) - bad)
        record = zip(numbers, *(values[field] for field in RECORD_SOURCES), strict=True)
        return CheckedRows(
            accepted=[row for i, row in enumerate(record) if i not in bad] if bad else list(record),
            rejected=rejected,
            warnings=[p for i in warned for p in _problems(numbers[i], warnings, i)],
        )

    def _without_shifted(self, numbers, rows):
        """The rows whose values stay in their columns, and the others rejected."""
        kept_numbers, kept_rows, shifted = [], [], []
        for number, cells in zip(numbers, rows, strict=True):
            if len(cells) != self.width and _shifted(cells, self.width):
                message = _(
                    "the row has %(cells)d values but the header has %(columns)d; a "
                    "separator or quote inside a value shifts the columns"
                ) % {"cells": len(cells), "columns": self.width}
                shifted.append((number, cells, [(number, None, message)]))
            else:
                kept_numbers.append(number)
                kept_rows.append(cells)
        return kept_numbers, kept_rows, shifted

    def _parse(self, field: str, rows: list[list], shortest: int) -> Column:
        """One column of the rows, parsed; the shortest row has `shortest` cells."""
        index = self.index[field]
        if index is None:  # an optional column the file does not have: every cell empty
            cells = [""] * len(rows)
        elif index < shortest:
            cells = list(map(itemgetter(index), rows))
        else:  # a spreadsheet leaves out the empty cells at the end of a row
            cells = [row[index] if index < len(row) else "" for row in rows]
        return self._columns[field].parse(cells)

    def _errors(self, numbers: list[int], parsed: dict) -> list[tuple[str | None, list | None]]:
        """(header, error or None for each row) in the order a row's errors are listed."""
        errors = [(self.column[field], parsed[field][1]) for field in ("nik", "no_kk")]
        errors.append((self.column["nik"], self._repeated(numbers, parsed["nik"][0])))
        errors += [(self.column[field], parsed[field][1]) for field in ("nama", *PARSERS)]
        errors.append((self.column["village"], self._unknown_villages(parsed["village"][0])))
        return errors

    def _repeated(self, numbers: list[int], niks: list) -> list[str | None] | None:
        """For each row, the error of a NIK already seen in an earlier row, or None."""
        first = list(map(self.first_row_by_nik.setdefault, niks, numbers))
        self.first_row_by_nik.pop(None, None)  # rows without a valid NIK
        if first == numbers:
            return None
        return [
            None
            if nik is None or row == number
            else _("%(nik)s already appears in row %(first)d; only that row counts")
            % {"nik": nik, "first": row}
            for nik, row, number in zip(niks, first, numbers, strict=True)
        ]

    def _unknown_villages(self, villages: list) -> list[str | None] | None:
        known = self._village_known
        for code in set(villages).difference(known):
            known[code] = (
                None
                if code is None or self.village_exists(code)
                else _("%(code)s is not a village code in the areas list") % {"code": code}
            )
        if not any(map(known.get, set(villages))):
            return None
        return list(map(known.__getitem__, villages))

    def _warnings(self, parsed: dict) -> list[tuple[str | None, list | None]]:
        """(header, warning or None for each row) in the order a row's warnings are listed."""
        warnings = [
            (self.column[field], parsed[field][2])
            for field in ("nik", "no_kk", *PARSERS, *TEXT_FIELDS)
        ]
        # Across columns; a row with errors is not looked at (its NIK may be missing).
        niks = parsed["nik"][0]
        sexes, births = parsed["jenis_kelamin"][0], parsed["tanggal_lahir"][0]
        sex_differs = _("the sex contradicts the NIK (women have 40 added to the birth day)")
        warnings.append(
            (
                self.column["jenis_kelamin"],
                _none_if_empty(
                    [
                        sex_differs
                        if sex and nik is not None and (sex == Sex.FEMALE) != nik_is_female(nik)
                        else None
                        for sex, nik in zip(sexes, niks, strict=True)
                    ]
                ),
            )
        )
        nik_dates = self._nik_dates
        warnings.append(
            (
                self.column["tanggal_lahir"],
                _none_if_empty(
                    [
                        None
                        if born is None
                        or nik is None
                        or nik[6:12] in (nik_dates.get(born) or self._nik_date(born))
                        else _("the birth date %(date)s contradicts the NIK (%(nik_date)s)")
                        % {"date": born.isoformat(), "nik_date": nik[6:12]}
                        for born, nik in zip(births, niks, strict=True)
                    ]
                ),
            )
        )
        return warnings

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


# A column's distinct cell values remembered, at most; a file has a few thousand dates.
REMEMBERED_VALUES = 100_000


class _ParsedValues:
    """A column's parser, called once per distinct cell value while the values repeat."""

    def __init__(self, parse: Callable[[object], "Parsed"], *, remember: bool) -> None:
        self.parse_one = parse
        self.remember = remember
        self.values: dict = {}
        self.problems: dict = {}  # cell value -> (error, warning), when it has either

    def parse(self, cells: list) -> Column:
        if not self.remember:
            return _column(list(map(self.parse_one, cells)))
        try:
            distinct = set(cells)
        except TypeError:  # an unhashable cell value
            return _column(list(map(self.parse_one, cells)))
        if (True in distinct or False in distinct) and any(type(c) is bool for c in cells):
            # TRUE equals 1 and FALSE 0 as keys, but a spreadsheet's TRUE is not 1.
            return _column(list(map(self.parse_one, cells)))
        values, problems = self.values, self.problems
        if len(values) > REMEMBERED_VALUES:
            values.clear()
            problems.clear()
        for cell in distinct.difference(values):
            values[cell], error, warning = self.parse_one(cell)
            if error or warning:
                problems[cell] = (error, warning)
        parsed = list(map(values.__getitem__, cells))
        found = problems.keys() & distinct
        if not found:
            return parsed, None, None
        errors = {cell: problems[cell][0] for cell in found if problems[cell][0]}
        warnings = {cell: problems[cell][1] for cell in found if problems[cell][1]}
        return (
            parsed,
            list(map(errors.get, cells)) if errors else None,
            list(map(warnings.get, cells)) if warnings else None,
        )


def _column(parsed: list[tuple]) -> Column:
    """The parts of a list of (value, error, warning), in three passes that make no object
    per row (millions of objects would keep the garbage collector busy)."""
    values, errors, warnings = (list(map(itemgetter(part), parsed)) for part in range(3))
    return values, _none_if_empty(errors), _none_if_empty(warnings)


def _none_if_empty(problems: list) -> list | None:
    """None for a column without any problem, which is then skipped."""
    return None if problems.count(None) == len(problems) else problems


def _marked(columns: list[tuple[str | None, list | None]]) -> set[int]:
    """The rows with a problem in any of `columns`."""
    rows = set()
    for _header, column in columns:
        if column is not None:
            rows.update(i for i, problem in enumerate(column) if problem is not None)
    return rows


def _problems(row: int, columns: list[tuple[str | None, list | None]], i: int) -> list[Problem]:
    """Row `i`'s problems, in the order of `columns`."""
    return [
        (row, header, column[i])
        for header, column in columns
        if column is not None and column[i] is not None
    ]


def _shifted(cells: list, width: int) -> bool:
    """Fewer values than headers, or more with something in the extra ones."""
    return len(cells) < width or any(cells[width:])


# Parsers of one cell value: (value, error or None, warning or None). Cached per value, so
# they may not depend on the row; checks across columns are done in DtsenChecker.
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


def parse_name(value) -> Parsed:
    """A name with its spaces tidied; empty or too long is an error."""
    name = _unneutralised(" ".join(value.split()) if type(value) is str else _text(value))
    name = drop_controls(name)
    if not name:
        return name, _("the name is empty"), None
    if len(name) > MAX_LENGTH["nama"]:
        return (
            name,
            _("the name is longer than %(max)d characters") % {"max": MAX_LENGTH["nama"]},
            None,
        )
    return name, None, None


def parse_text(value, *, limit: int) -> Parsed:
    """An address, RT, RW or dusun: stripped, cut to what the register holds (a warning)."""
    text = drop_controls(value.strip() if type(value) is str else _text(value))
    if text[:1] == "'":
        text = _unneutralised(text)
    if len(text) > limit:
        return (
            text[:limit],
            None,
            _("longer than %(max)d characters; cut to that length") % {"max": limit},
        )
    return text, None, None


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
TEXT_FIELDS = ("alamat", "rt", "rw", "dusun")
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


def dtsen_checker(source, answer: frozenset[str], today: datetime.date) -> BatchCheck:
    """The checker of DTSEN rows (households/dtsen/checking.py).

    `source` is the opened file (reading.Source); `answer` the village codes the rows may
    name, as the worker answered the header.
    """
    return DtsenChecker(
        columns=source.columns,
        names=source.names,
        villages=answer.__contains__,
        today=today,
        fixed_width=source.kind == "text",
    ).check


# The file column each of RECORD_FIELDS after `row` comes from.
RECORD_SOURCES = (
    "nik",
    "no_kk",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "hubungan",
    "village",
    *TEXT_FIELDS,
    *DESIL_FIELDS,
)
