"""`dtsen_load`: the one service that reads a DTSEN file and writes it into the register.

The file is read and checked row by row into temporary staging tables (PostgreSQL COPY,
or plain inserts on SQLite); the register is then compared and written with a few
set-based statements inside one transaction, so a load commits every valid row or none.
The same SQL decides what counts as changed for the dry-run report and for the write.
"""

import csv
import datetime
import operator
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from households.dtsen.reading import DtsenFileError, Source, open_source
from households.dtsen.rules import Problem, Record, RowChecker, drop_controls
from households.dtsen.xlsx import XlsxError
from households.models import (
    Area,
    DtsenImport,
    Household,
    HouseholdDesil,
    ImportPhase,
    ImportStatus,
    Person,
)

CHUNK_ROWS = 5000
REGISTER_LOCK = 6302003  # any constant: the key of the advisory lock a write takes

Progress = Callable[[str, int, int], None]
Rejected = Callable[[int, list, list[Problem]], None]


class LoadCancelled(Exception):
    """Raised by a progress callback to stop a load; nothing is written."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class LoadReport:
    """What a load found and did; `as_dict()` is the `import_dtsen --json` contract."""

    rows: int = 0
    people: Counts = field(default_factory=Counts)
    households: Counts = field(default_factory=Counts)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    header_row: int = 0

    @property
    def accepted(self) -> int:
        return self.people.created + self.people.updated + self.people.unchanged

    @property
    def rejected(self) -> int:
        return self.rows - self.accepted

    def as_dict(self, *, limit: int | None = None) -> dict:
        def problems(items: list[Problem]) -> list[dict]:
            return [
                {"row": row, "column": column, "message": message}
                for row, column, message in items[:limit]
            ]

        return {
            "rows": self.rows,
            **self.people.as_dict(),
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "errors": problems(self.errors),
            "warnings": problems(self.warnings),
            "households": self.households.as_dict(),
            "ignored_columns": self.ignored_columns,
        }


@dataclass(slots=True)
class _HouseholdRows:
    """The rows of one No. KK seen so far, to pick the household's values at the end."""

    chosen: Record
    chosen_is_head: bool
    members: list  # (row, desil, village) of each row


def dtsen_load(
    *,
    path: Path,
    period: str,
    sheet: str | None = None,
    dry_run: bool = False,
    dtsen_import_id: int | None = None,
    progress: Progress | None = None,
    on_rejected: Rejected | None = None,
    on_header: Callable[[list[str]], None] | None = None,
    before_write: Callable[[], None] | None = None,
    on_written: Callable[[LoadReport], None] | None = None,
    today: datetime.date | None = None,
) -> LoadReport:
    """Check `path` and, unless `dry_run`, write its valid rows into the register.

    Raises DtsenFileError (nothing written) when the file as a whole cannot be read, and
    whatever `progress` raises (LoadCancelled) to stop. A real load needs the id of its
    DtsenImport, which the desil history points to; `on_written` runs inside the write's
    transaction, so what it records commits together with the register or not at all.
    """
    if not dry_run and dtsen_import_id is None:
        raise ValueError("A load that writes needs its DtsenImport.")
    today = today or timezone.localdate()
    progress = progress or (lambda phase, done, total: None)
    with open_source(path, sheet=sheet) as source:
        _refuse_older_period(period)
        report = LoadReport(ignored_columns=source.ignored, header_row=source.header_row)
        if on_header is not None:
            on_header(source.names)
        staging = _Staging()
        try:
            households = _read(source, report, staging, today, progress, on_rejected)
            staging.add_households(households, period)
            progress(ImportPhase.COMPARING, report.rows, report.rows)
            staging.analyse()
            report.people, report.households = staging.compare()
            if not dry_run:
                progress(ImportPhase.WRITING, report.rows, report.rows)
                with transaction.atomic():
                    if before_write is not None:
                        before_write()
                    staging.write(period=period, dtsen_import_id=dtsen_import_id)
                    if on_written is not None:
                        on_written(report)
        finally:
            staging.drop()
    return report


def _refuse_older_period(period: str) -> None:
    """An older file would overwrite newer names and addresses: load periods in order."""
    newest = DtsenImport.objects.filter(status=ImportStatus.DONE).aggregate(Max("period"))[
        "period__max"
    ]
    if newest and period < newest:
        raise DtsenFileError(
            _(
                "Period %(period)s is older than %(newest)s, which is already loaded; an older "
                "file would overwrite newer names and addresses. Load files in period order."
            )
            % {"period": period, "newest": newest}
        )


def _read(source: Source, report, staging, today, progress, on_rejected) -> dict:
    villages = set(Area.objects.villages().values_list("code", flat=True))
    checker = RowChecker(
        columns=source.columns,
        names=source.names,
        villages=villages.__contains__,
        today=today,
        fixed_width=source.kind == "text",
    )
    households: dict[str, _HouseholdRows] = {}
    batch: list[Record] = []
    progress(ImportPhase.READING, 0, source.total)
    seen = number = 0
    try:
        for number, cells in source.rows:
            seen += 1
            if seen % CHUNK_ROWS == 0:  # also for a file whose rows are all rejected
                progress(ImportPhase.READING, seen, max(seen, source.total))
            if _is_blank(cells):
                continue
            report.rows += 1
            record, errors, warnings = checker.check(number, cells)
            if record is None:
                report.errors.extend(errors)
                if on_rejected is not None:
                    on_rejected(number, cells, errors)
                continue
            report.warnings.extend(warnings)
            batch.append(record)
            _remember_household(households, record)
            if len(batch) >= CHUNK_ROWS:
                staging.add_people(batch)
                batch = []
    except XlsxError as error:
        raise DtsenFileError(
            _("The workbook cannot be read after row %(row)d (%(error)s). Save it again in Excel.")
            % {"row": number, "error": error}
        ) from error
    except csv.Error as error:
        raise DtsenFileError(
            _("The line after row %(row)d cannot be read as CSV (%(error)s); check its quotes.")
            % {"row": number, "error": error}
        ) from error
    staging.add_people(batch)
    report.warnings.extend(_household_warnings(households, source))
    report.warnings.sort(key=lambda problem: problem[0])
    return households


def _is_blank(cells: list) -> bool:
    """Every cell empty, blank or a control character (a DOS end-of-file mark, say)."""
    try:
        text = "".join(cells).strip()
    except TypeError:  # a spreadsheet row with numbers or dates in it
        return not any(
            drop_controls(c).strip() if isinstance(c, str) else c is not None for c in cells
        )
    return not text or not drop_controls(text).strip()


def _remember_household(households: dict, record: Record) -> None:
    seen = households.get(record.no_kk)
    is_head = record.relationship == 1
    member = (record.row, record.desil, record.village)
    if seen is None:
        households[record.no_kk] = _HouseholdRows(record, is_head, [member])
        return
    seen.members.append(member)
    # The head's row speaks for the household; without a head, the first row does.
    if is_head and not seen.chosen_is_head:
        seen.chosen, seen.chosen_is_head = record, True


def _household_warnings(households: dict, source: Source) -> list[Problem]:
    """Rows whose desil or village disagree with the row chosen for their household."""
    warnings: list[Problem] = []
    desil_columns = [
        source.column_name(f) if f in source.columns else None
        for f in ("desil", "desil_provinsi", "desil_kabupaten_kota")
    ]
    village_column = source.column_name("village")
    for no_kk, seen in households.items():
        if len(seen.members) == 1:
            continue
        chosen = seen.chosen
        for row, desil, village in seen.members:
            if desil != chosen.desil:
                first_difference = next(
                    i for i, value in enumerate(desil) if value != chosen.desil[i]
                )
                warnings.append(
                    (
                        row,
                        desil_columns[first_difference],
                        _(
                            "household %(kk)s has desil %(desil)s in row %(row)d, which is "
                            "used; the desil of this row is ignored"
                        )
                        % {"kk": no_kk, "row": chosen.row, "desil": _desil_text(chosen)},
                    )
                )
            if village != chosen.village:
                warnings.append(
                    (
                        row,
                        village_column,
                        _(
                            "household %(kk)s lies in village %(village)s in row %(row)d, "
                            "which is used; the village of this row is ignored"
                        )
                        % {"kk": no_kk, "row": chosen.row, "village": chosen.village},
                    )
                )
    return warnings


def _desil_text(record: Record) -> str:
    national, provincial, regency = ("–" if value is None else value for value in record.desil)
    return _("national %(national)s, provincial %(provincial)s, regency %(regency)s") % {
        "national": national,
        "provincial": provincial,
        "regency": regency,
    }


# ---------------------------------------------------------------------------------------
# Staging and the set-based comparison and write.


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


PERSON_COLUMNS = ("nik", "no_kk", "name", "sex", "birth_date", "relationship")
_STAGED_PERSON = operator.attrgetter(*PERSON_COLUMNS)
HOUSEHOLD_COLUMNS = (
    "no_kk",
    "village_id",
    "address",
    "rt",
    "rw",
    "dusun",
    "desil",
    "desil_provinsi",
    "desil_kabupaten",
    "desil_period",
)


def _changed(column: str, kind: str, new: str, old: str) -> str:
    """SQL that is true when writing `new` would change `old` (see `_merged`)."""
    if kind == "always":
        return f"{new} <> {old}"
    if kind == "blank_keeps":
        return f"({new} <> '' AND {new} <> {old})"
    return f"({new} IS NOT NULL AND {new} IS DISTINCT FROM {old})"


def _merged(kind: str, new: str, old: str) -> str:
    """The value to store: a blank or missing value in the file never erases a known one."""
    if kind == "always":
        return new
    if kind == "blank_keeps":
        return f"CASE WHEN {new} = '' THEN {old} ELSE {new} END"
    return f"COALESCE({new}, {old})"


PERSON_RULES = (
    ("name", "always"),
    ("sex", "blank_keeps"),
    ("birth_date", "null_keeps"),
    ("relationship", "null_keeps"),
    ("household_id", "always"),
)
HOUSEHOLD_RULES = (
    ("village_id", "always"),
    ("address", "blank_keeps"),
    ("rt", "blank_keeps"),
    ("rw", "blank_keeps"),
    ("dusun", "blank_keeps"),
)
DESIL_COLUMNS = ("desil", "desil_provinsi", "desil_kabupaten")


class _Staging:
    """Temporary tables holding the accepted rows of one load, on this connection only."""

    def __init__(self) -> None:
        suffix = uuid.uuid4().hex[:12]
        self.people = f"dtsen_stage_person_{suffix}"
        self.households = f"dtsen_stage_household_{suffix}"
        self.postgres = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.people} ("
                "nik varchar(16) NOT NULL, no_kk varchar(16) NOT NULL, "
                "name varchar(150) NOT NULL, sex varchar(1) NOT NULL, birth_date date, "
                "relationship smallint)"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.households} ("
                "no_kk varchar(16) NOT NULL, village_id varchar(13) NOT NULL, "
                "address varchar(255) NOT NULL, rt varchar(10) NOT NULL, "
                "rw varchar(10) NOT NULL, dusun varchar(100) NOT NULL, desil smallint, "
                "desil_provinsi smallint, desil_kabupaten smallint, "
                "desil_period varchar(7) NOT NULL)"
            )

    def _insert(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                    list(rows),
                )

    def add_people(self, records: list[Record]) -> None:
        if records:
            self._insert(
                self.people,
                PERSON_COLUMNS,
                map(_STAGED_PERSON, records),
            )

    def add_households(self, households: dict, period: str) -> None:
        def rows():
            for no_kk, seen in households.items():
                r = seen.chosen
                has_desil = any(value is not None for value in r.desil)
                yield (
                    no_kk,
                    r.village,
                    r.address,
                    r.rt,
                    r.rw,
                    r.dusun,
                    *r.desil,
                    period if has_desil else "",
                )

        self._insert(self.households, HOUSEHOLD_COLUMNS, rows())

    def analyse(self) -> None:
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {self.people}")
                cursor.execute(f"ANALYZE {self.households}")

    def _household_changed(self, new: str, old: str) -> str:
        """True when writing the staged household would change the stored one.

        A newer period replaces the latest desil as a whole (it is that period's
        snapshot); the same period again only fills in or corrects values.
        """
        plain = [_changed(c, kind, f"{new}.{c}", f"{old}.{c}") for c, kind in HOUSEHOLD_RULES]
        corrected = " OR ".join(
            _changed(c, "null_keeps", f"{new}.{c}", f"{old}.{c}") for c in DESIL_COLUMNS
        )
        return " OR ".join(
            [
                *plain,
                f"{new}.desil_period > {old}.desil_period",
                f"({new}.desil_period = {old}.desil_period AND ({corrected}))",
            ]
        )

    @staticmethod
    def _desil_merged(column: str, new: str, old: str) -> str:
        return (
            f"CASE WHEN {new}.desil_period > {old}.desil_period THEN {new}.{column} "
            f"WHEN {new}.desil_period = {old}.desil_period "
            f"THEN COALESCE({new}.{column}, {old}.{column}) ELSE {old}.{column} END"
        )

    def compare(self) -> tuple[Counts, Counts]:
        """How many people and households the write would create, update or leave alone."""
        person, household = _table(Person), _table(Household)
        person_changed = " OR ".join(
            _changed(c, kind, "s.no_kk", "h.no_kk")
            if c == "household_id"
            else _changed(c, kind, f"s.{c}", f"p.{c}")
            for c, kind in PERSON_RULES
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), "  # noqa: S608 - table names are ours
                "COALESCE(SUM(CASE WHEN p.id IS NULL THEN 1 ELSE 0 END), 0), "
                f"COALESCE(SUM(CASE WHEN p.id IS NOT NULL AND ({person_changed}) "
                "THEN 1 ELSE 0 END), 0) "
                f"FROM {self.people} s LEFT JOIN {person} p ON p.nik = s.nik "
                f"LEFT JOIN {household} h ON h.id = p.household_id"
            )
            people = self._counts(cursor.fetchone())
            cursor.execute(
                "SELECT COUNT(*), "  # noqa: S608
                "COALESCE(SUM(CASE WHEN h.id IS NULL THEN 1 ELSE 0 END), 0), "
                "COALESCE(SUM(CASE WHEN h.id IS NOT NULL AND "
                f"({self._household_changed('s', 'h')}) THEN 1 ELSE 0 END), 0) "
                f"FROM {self.households} s LEFT JOIN {household} h ON h.no_kk = s.no_kk"
            )
            households = self._counts(cursor.fetchone())
        return people, households

    @staticmethod
    def _counts(row) -> Counts:
        total, created, updated = (int(value) for value in row)
        return Counts(created=created, updated=updated, unchanged=total - created - updated)

    def write(self, *, period: str, dtsen_import_id: int) -> None:
        person, household = _table(Person), _table(Household)
        history = _table(HouseholdDesil)
        now = timezone.now()
        household_set = ", ".join(
            [
                *(
                    f"{c} = {_merged(kind, f'excluded.{c}', f'{household}.{c}')}"
                    for c, kind in HOUSEHOLD_RULES
                ),
                *(f"{c} = {self._desil_merged(c, 'excluded', household)}" for c in DESIL_COLUMNS),
                f"desil_period = CASE WHEN excluded.desil_period > {household}.desil_period "
                f"THEN excluded.desil_period ELSE {household}.desil_period END",
                "updated_at = excluded.updated_at",
            ]
        )
        household_where = self._household_changed("excluded", household)
        columns = ", ".join(HOUSEHOLD_COLUMNS)
        person_set = ", ".join(
            [
                *(
                    f"{c} = {_merged(kind, f'excluded.{c}', f'{person}.{c}')}"
                    for c, kind in PERSON_RULES
                ),
                "updated_at = excluded.updated_at",
            ]
        )
        person_where = " OR ".join(
            _changed(c, kind, f"excluded.{c}", f"{person}.{c}") for c, kind in PERSON_RULES
        )
        with connection.cursor() as cursor:
            if self.postgres:
                # The holds_register constraint keeps loads apart; this lock makes sure of it.
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REGISTER_LOCK])
                # Checking each foreign key as its row is written is cheaper in bulk than
                # queueing 200,000 checks for the commit.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # `WHERE true` keeps SQLite from reading ON CONFLICT as part of a join.
            cursor.execute(
                f"INSERT INTO {household} ({columns}, created_at, updated_at) "  # noqa: S608
                f"SELECT {columns}, %s, %s FROM {self.households} WHERE true "
                f"ON CONFLICT (no_kk) DO UPDATE SET {household_set} WHERE {household_where}",
                [now, now],
            )
            cursor.execute(
                f"INSERT INTO {person} "  # noqa: S608
                "(nik, name, sex, birth_date, relationship, household_id, created_at, updated_at) "
                "SELECT s.nik, s.name, s.sex, s.birth_date, s.relationship, h.id, %s, %s "
                f"FROM {self.people} s JOIN {household} h ON h.no_kk = s.no_kk WHERE true "
                f"ON CONFLICT (nik) DO UPDATE SET {person_set} WHERE {person_where}",
                [now, now],
            )
            desil_columns = ", ".join(DESIL_COLUMNS)
            desil_set = ", ".join(
                [f"{c} = COALESCE(excluded.{c}, {history}.{c})" for c in DESIL_COLUMNS]
                + ["dtsen_import_id = excluded.dtsen_import_id"]
            )
            desil_where = " OR ".join(
                _changed(c, "null_keeps", f"excluded.{c}", f"{history}.{c}") for c in DESIL_COLUMNS
            )
            cursor.execute(
                f"INSERT INTO {history} "  # noqa: S608
                f"(household_id, period, dtsen_import_id, {desil_columns}) "
                f"SELECT h.id, %s, %s, {', '.join(f's.{c}' for c in DESIL_COLUMNS)} "
                f"FROM {self.households} s JOIN {household} h ON h.no_kk = s.no_kk "
                "WHERE s.desil_period <> '' "
                f"ON CONFLICT (household_id, period) DO UPDATE SET {desil_set} "
                f"WHERE {desil_where}",
                [period, dtsen_import_id],
            )

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.people}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.households}")
