"""Loading poverty statistics from a spreadsheet: `statistic_file_load`.

The file (`kode`, `tahun`, one column per indicator, optionally `sumber`) is read by the
DTSEN reader's child process (households/dtsen/checking.py), with bounded memory and
time, which also reports each bad row with its column, as every other load does. The
child checks each cell against INDICATORS and the area codes the worker answers; the
worker then judges the plausible steps of the whole file at once (a row against the
stored years and against the file's other rows) and writes every row, or none.
"""

import datetime
import re
import tempfile
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from openpyxl import Workbook

from households.dtsen.checking import Header, check_file
from households.dtsen.columns import Columns
from households.dtsen.problems import Problem
from households.dtsen.reading import DtsenFileError, Source
from households.dtsen.rules import BatchCheck, drop_controls, row_by_row
from households.models import Area, AreaLevel
from reports.models import INDICATORS, Indicator, PovertyStatistic
from reports.models.statistics import FIRST_YEAR
from reports.statistics import (
    Step,
    allowed_areas,
    statistic_steps,
    statistic_write,
    stored_years,
)
from tkpk.models import User
from tkpk.spreadsheets import sheet_start, workbook_bytes
from tkpk.translation import Message as _

# The names a column may have in the file; the first is the template's. Compared after
# households.dtsen.columns.normalise_header, so "P0 (%)" is "p0".
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "poverty_rate": ("p0", "persentase_penduduk_miskin", "tingkat_kemiskinan"),
    "poor_people": ("jumlah_penduduk_miskin", "penduduk_miskin"),
    "poverty_gap": ("p1", "indeks_kedalaman_kemiskinan"),
    "poverty_severity": ("p2", "indeks_keparahan_kemiskinan"),
    "poverty_line": ("garis_kemiskinan",),
    "extreme_poverty_rate": ("kemiskinan_ekstrem", "persentase_kemiskinan_ekstrem"),
    "human_development_index": ("ipm", "indeks_pembangunan_manusia"),
    "unemployment_rate": ("tpt", "tingkat_pengangguran_terbuka"),
    "gini_ratio": ("gini", "rasio_gini", "gini_ratio"),
}
assert set(INDICATOR_COLUMNS) == {indicator.field for indicator in INDICATORS}  # noqa: S101

STATISTIC_COLUMNS = Columns(
    aliases={
        "area": ("kode", "kode_wilayah", "kode_kabupaten_kota"),
        "year": ("tahun",),
        **INDICATOR_COLUMNS,
        "source": ("sumber", "sumber_data"),
    },
    required={"area": "kode", "year": "tahun", "poverty_rate": "p0"},
)
TEMPLATE_COLUMNS = ["kode", "tahun", *(names[0] for names in INDICATOR_COLUMNS.values()), "sumber"]

# A file of statistics holds a few hundred rows at most; these bound what a request reads.
MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # all the parts of a workbook, unpacked
MAX_ROWS = 2000
SOURCE_LENGTH = PovertyStatistic._meta.get_field("source").max_length
# Problems a report keeps; a file with more is mostly the wrong file.
KEPT_PROBLEMS = 200
WORK_FOLDER_PREFIX = "tkpk-statistik-"


class StatisticFileError(Exception):
    """The file as a whole cannot be loaded; nothing was written."""


@dataclass(frozen=True)
class Record:
    """One accepted row: the figures of one area and year."""

    row: int
    area: str
    year: int
    values: dict[str, object]  # indicator field -> value, for the columns the file has
    source: str  # empty: the default source given with the upload


@dataclass
class StatisticFileReport:
    """What a load found and did. Nothing is written when there are errors, nor when there
    are steps not confirmed (`needs_confirmation`)."""

    rows: int = 0
    records: list[Record] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    steps: list[Step] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: int = 0

    @property
    def needs_confirmation(self) -> bool:
        return not self.error_count and bool(self.steps) and not self.written

    @property
    def step_keys(self) -> list[str]:
        return [step.key for step in self.steps]


@dataclass(frozen=True)
class AreaCodes:
    """The worker's answer to the header: which codes exist, and which are allowed."""

    known: frozenset[str]
    allowed: frozenset[str]


def statistic_file_load(
    *,
    path: Path,
    by: User,
    source: str = "",
    confirmed: Collection[str] = (),
    today: datetime.date | None = None,
) -> StatisticFileReport:
    """Check the statistics in `path` and, when the file has no errors and every
    implausible step is among the `confirmed` Step keys, write all its rows.

    `source` is written for rows whose `sumber` cell is empty. Raises StatisticFileError
    (nothing written) when the file as a whole cannot be read.
    """
    path = Path(path)
    _refuse_oversized(path)
    report = StatisticFileReport()
    _read(path, report, today or timezone.localdate())
    if not report.error_count:
        _source_errors(report, source)
    if report.error_count:
        report.errors.sort(key=lambda problem: problem[0])
        return report
    with transaction.atomic():
        report.steps = file_steps(report.records)
        if any(step.key not in confirmed for step in report.steps):
            return report
        _write(report, source=source, by=by)
        if report.error_count:
            transaction.set_rollback(True)
            report.written = 0
    return report


def _read(path: Path, report: StatisticFileReport, today: datetime.date) -> None:
    """Check every row in the DTSEN reader's bounded child process, into `report`."""
    with tempfile.TemporaryDirectory(prefix=WORK_FOLDER_PREFIX) as work:

        def on_header(header: Header) -> AreaCodes:
            report.ignored_columns = header.ignored
            return area_codes()

        try:
            checked = check_file(
                path=path,
                sheet=None,
                today=today,
                workdir=Path(work),
                on_header=on_header,
                on_rows=report.records.extend,
                progress=lambda done, total: None,
                columns=STATISTIC_COLUMNS,
                checker=statistic_row_checker,
            )
        except DtsenFileError as error:
            raise StatisticFileError(error.args[0]) from error
    report.rows = checked.rows
    report.error_count = checked.errors.count
    report.errors = checked.errors.first[:KEPT_PROBLEMS]


def _refuse_oversized(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise StatisticFileError(
            _("The file is larger than a file of statistics can be (%(limit)d MB).")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise StatisticFileError(
                _("The workbook is damaged. Save it again from Excel and upload it again.")
            ) from error
        if unpacked > MAX_UNPACKED_BYTES:
            raise StatisticFileError(
                _(
                    "The workbook holds far more than a file of statistics needs (a cell far "
                    "outside the data?). Copy the table into a new workbook and upload it."
                )
            )


def area_codes() -> AreaCodes:
    provinces_and_regencies = Area.objects.filter(
        level__in=(AreaLevel.PROVINCE, AreaLevel.REGENCY)
    ).values_list("code", flat=True)
    return AreaCodes(
        known=frozenset(provinces_and_regencies),
        allowed=frozenset(allowed_areas().values_list("code", flat=True)),
    )


def _source_errors(report: StatisticFileReport, source: str) -> None:
    """Rows without a source, when the upload gave none either."""
    if source.strip():
        return
    for record in report.records:
        if not record.source:
            report.errors.append(
                (
                    record.row,
                    "sumber",
                    _(
                        "the source is empty: fill the column sumber, or give a source for "
                        "the whole file on the upload form"
                    ),
                )
            )
            report.error_count += 1


def file_steps(records: list[Record]) -> list[Step]:
    """The implausible steps of the file's rows, against the stored years and each other."""
    known: dict[str, dict[int, dict[str, object]]] = {}
    for record in records:
        if record.area not in known:
            years = {r.year + shift for r in records if r.area == record.area for shift in (-1, 1)}
            known[record.area] = stored_years(record.area, years)
    for record in records:
        stored = known[record.area].get(record.year, {})
        known[record.area][record.year] = {**stored, **record.values}
    rows = {(record.area, record.year): record.row for record in records}
    steps: dict[str, Step] = {}
    for record in records:
        values = known[record.area][record.year]
        for step in statistic_steps(
            area=record.area, year=record.year, values=values, known=known[record.area]
        ):
            # The row that brings the later value: the one a person looks at first.
            row = rows.get((record.area, step.to_year), record.row)
            steps.setdefault(step.key, replace(step, row=row))
    return sorted(steps.values(), key=lambda step: (step.row, step.indicator.field))


def _write(report: StatisticFileReport, *, source: str, by: User) -> None:
    stored = {
        (statistic.area_id, statistic.year): statistic
        for statistic in PovertyStatistic.objects.select_for_update().filter(
            area_id__in={record.area for record in report.records},
            year__in={record.year for record in report.records},
        )
    }
    for record in report.records:
        statistic = stored.get((record.area, record.year)) or PovertyStatistic(
            area_id=record.area, year=record.year
        )
        try:
            statistic_write(statistic, values=record.values, source=record.source or source, by=by)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    report.errors.append((record.row, _column_of(name), message))
                    report.error_count += 1
            continue
        report.written += 1


def _column_of(name: str) -> str | None:
    if name in INDICATOR_COLUMNS:
        return INDICATOR_COLUMNS[name][0]
    return {"area": "kode", "year": "tahun", "source": "sumber"}.get(name)


def template_xlsx() -> bytes:
    """An empty statistics workbook: the header row, and the allowed areas' codes on a
    second sheet."""
    workbook = Workbook(write_only=True)
    sheet_start(workbook, "Statistik", [(name, max(8, len(name) + 2)) for name in TEMPLATE_COLUMNS])
    areas = sheet_start(workbook, "Kode wilayah", [("kode", 10), ("nama", 40)])
    for area in allowed_areas():
        areas.append([area.code, area.name])
    return workbook_bytes(workbook).getvalue()


# ---------------------------------------------------------------------------------------
# In the reading child.


def statistic_row_checker(source: Source, answer: AreaCodes, today: datetime.date) -> BatchCheck:
    """The child's checker of statistics rows: accepted rows as `Record`s.

    Each cell is checked against INDICATORS; the area against the codes the worker
    answered; the same area and year twice names the row where it first appears.
    """
    columns = source.columns
    names = {key: source.names[index] for key, index in columns.items()}
    first_rows: dict[tuple[str, int], int] = {}
    rows = 0

    def check(row: int, cells: list) -> tuple[Record | None, list[Problem], list[Problem]]:
        nonlocal rows
        rows += 1
        if rows > MAX_ROWS:
            raise DtsenFileError(
                _("The file has more than %(rows)d rows: is it a file of statistics?")
                % {"rows": MAX_ROWS}
            )
        errors: list[Problem] = []
        area = _area(_cell(cells, columns["area"]), answer)
        if isinstance(area, ValueError):
            errors.append((row, names["area"], str(area)))
        year = _year(_cell(cells, columns["year"]), today)
        if isinstance(year, ValueError):
            errors.append((row, names["year"], str(year)))
        values = _indicator_values(row, cells, columns, names, errors)
        if not errors and values.get("poverty_rate") is None:
            errors.append((row, names["poverty_rate"], _("P0 is empty: every row needs it")))
        text = _text(_cell(cells, columns["source"])) if "source" in columns else ""
        if len(text) > SOURCE_LENGTH:
            errors.append(
                (
                    row,
                    names["source"],
                    _("is longer than %(length)d characters") % {"length": SOURCE_LENGTH},
                )
            )
        if errors:
            return None, errors, []
        first = first_rows.setdefault((area, year), row)
        if first != row:
            duplicate = _("%(code)s %(year)d already appears in row %(first)d") % {
                "code": area,
                "year": year,
                "first": first,
            }
            return None, [(row, names["area"], duplicate)], []
        return Record(row=row, area=area, year=year, values=values, source=text), [], []

    return row_by_row(check)


def _indicator_values(
    row: int, cells: list, columns: dict[str, int], names: dict[str, str], errors: list[Problem]
) -> dict:
    """The row's indicators by field, read as INDICATORS says; each bad cell an error."""
    values = {}
    for indicator in INDICATORS:
        if indicator.field not in columns:
            continue
        value = parse_value(_cell(cells, columns[indicator.field]), indicator)
        if isinstance(value, ValueError):
            errors.append((row, names[indicator.field], str(value)))
        else:
            values[indicator.field] = value
    return values


def _cell(cells: list, index: int):
    return cells[index] if index < len(cells) else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(drop_controls(str(value)).split())


_CODE = re.compile(r"\d{2}(\.\d{2})?")
_CODE_DIGITS = re.compile(r"\d{4}")


def _area(value, answer: AreaCodes) -> str | ValueError:
    """The area code of a cell: "63.02", also 63.02 kept as a number or 6302."""
    if isinstance(value, bool):
        text = ""
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        # 63.10 typed into a spreadsheet comes back as the number 63.1.
        text = str(int(value)) if value.is_integer() else f"{value:.2f}"
    else:
        text = _text(value)
    if not text:
        return ValueError(_("the area code is empty"))
    if _CODE_DIGITS.fullmatch(text):
        text = f"{text[:2]}.{text[2:]}"
    if not _CODE.fullmatch(text) or text not in answer.known:
        return ValueError(
            _("%(code)s is not a known province, regency or city code") % {"code": text[:20]}
        )
    if text not in answer.allowed:
        return ValueError(
            _("%(code)s is not the region, its province or another regency or city of the province")
            % {"code": text}
        )
    return text


def _year(value, today: datetime.date) -> int | ValueError:
    text = _text(value)
    if not text:
        return ValueError(_("the year is empty"))
    if not text.isdigit():
        return ValueError(_("%(value)s is not a year") % {"value": text[:20]})
    year = int(text)
    if not FIRST_YEAR <= year <= today.year:
        return ValueError(
            _("%(year)d is outside the years %(first)d to %(last)d")
            % {"year": year, "first": FIRST_YEAR, "last": today.year}
        )
    return year


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def parse_value(value, indicator: Indicator) -> Decimal | int | ValueError | None:
    """A cell of `indicator` as its value (None when empty), or the ValueError saying why not.

    Text is read the Indonesian way ("5,83"; "1.010" is a thousand and ten); a single dot
    in an indicator with decimals is taken as a decimal point ("5.83").
    """
    if value is None or isinstance(value, bool):
        number = None if value is None else ValueError(_("is not a number"))
    elif isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        number = _decimal_text(_text(value), indicator)
    if number is None or isinstance(number, ValueError):
        return number
    if not number.is_finite():
        return ValueError(_("is not a number"))
    number = number.normalize() if number != number.to_integral_value() else number.quantize(1)
    if -number.as_tuple().exponent > indicator.decimals:
        if indicator.decimals == 0:
            return ValueError(_("%(value)s must be a whole number") % {"value": _shown(number)})
        return ValueError(
            _("%(value)s has more than %(decimals)d decimals")
            % {"value": _shown(number), "decimals": indicator.decimals}
        )
    if not indicator.low <= number <= indicator.high:
        return ValueError(
            _("%(value)s is outside %(low)s to %(high)s")
            % {
                "value": _shown(number),
                "low": _shown(indicator.low),
                "high": _shown(indicator.high),
            }
        )
    return int(number) if indicator.decimals == 0 else number


def _shown(number: Decimal) -> str:
    """A number as typed the Indonesian way, every decimal kept: 43,6; 50.000.000."""
    return number_format(number, use_l10n=True, force_grouping=True)


def _decimal_text(text: str, indicator: Indicator) -> Decimal | ValueError | None:
    if not text or text in ("-", "—"):
        return None
    shown = text
    text = text.replace("%", "").replace(" ", "")
    if text.casefold().startswith("rp"):
        text = text[2:].lstrip(".")
    if "," in text:
        whole, _comma, decimals = text.partition(",")
        text = whole.replace(".", "") + "." + decimals
    elif text.count(".") > 1 or (text.count(".") == 1 and indicator.decimals == 0):
        text = text.replace(".", "")
    if not _NUMBER.fullmatch(text):
        return ValueError(_("%(value)s is not a number") % {"value": shown[:20]})
    try:
        return Decimal(text)
    except InvalidOperation:
        return ValueError(_("%(value)s is not a number") % {"value": shown[:20]})
