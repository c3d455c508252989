"""The accepted rows of one load in staging tables, compared with and written to the register.

The rows are staged as they arrive (PostgreSQL COPY, or plain inserts on SQLite). Then
everything is set-based SQL: which row speaks for each household, which rows disagree
with it, what the write would create or change (counted, and listed person by person),
and the write itself. The same expressions decide "changed" for the counts, the list of
changes and the write, so the three cannot disagree.

On PostgreSQL the staging tables are UNLOGGED tables that other connections can read, so
that the list of changes is written on a second connection while the first writes the
register: the machine's second core works instead of waiting.
"""

import logging
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from households.dtsen.rules import RECORD_FIELDS
from households.models import Household, HouseholdDesil, Person, PersonChange, Tally

logger = logging.getLogger(__name__)
REGISTER_LOCK = 6302003  # any constant: the key of the advisory lock a write takes
DESIL_COLUMNS = ("desil", "desil_provinsi", "desil_kabupaten")

# How each stored field takes a new value (see `_changed` and `_merged`).
PERSON_RULES = (
    ("name", "always"),
    ("sex", "blank_keeps"),
    ("birth_date", "null_keeps"),
    ("relationship", "null_keeps"),
    ("household_id", "always"),
)
# The person's own fields, which a row sets from its cells (the household it joins apart).
PERSON_OWN_RULES = tuple(rule for rule in PERSON_RULES if rule[0] != "household_id")
HOUSEHOLD_RULES = (
    ("village_id", "always"),
    ("address", "blank_keeps"),
    ("rt", "blank_keeps"),
    ("rw", "blank_keeps"),
    ("dusun", "blank_keeps"),
)
HOUSEHOLD_COLUMNS = tuple(column for column, _kind in HOUSEHOLD_RULES)


@dataclass(frozen=True)
class Disagreement:
    """A row of a household whose desil or village differs from the row chosen for it."""

    row: int
    no_kk: str
    desil: tuple[int | None, int | None, int | None]
    village: str
    chosen_row: int
    chosen_desil: tuple[int | None, int | None, int | None]
    chosen_village: str


def _varchar(meta, name: str) -> str:
    """The staging column for a stored text field: as long as the field, never NULL."""
    field = meta.get_field(name)
    if field.is_relation:
        field = field.target_field
    return f"varchar({field.max_length}) NOT NULL"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _changed(kind: str, new: str, old: str) -> str:
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


def _desil_merged(column: str, new: str, old: str) -> str:
    """A newer period replaces the latest desil; the same period only fills in or corrects."""
    return (
        f"CASE WHEN {new}.desil_period > {old}.desil_period THEN {new}.{column} "
        f"WHEN {new}.desil_period = {old}.desil_period "
        f"THEN COALESCE({new}.{column}, {old}.{column}) ELSE {old}.{column} END"
    )


def _household_changed(new: str, old: str) -> str:
    """True when the staged household's own fields (not its desil) would change."""
    return " OR ".join(_changed(kind, f"{new}.{c}", f"{old}.{c}") for c, kind in HOUSEHOLD_RULES)


def _household_desil_changed(new: str, old: str) -> str:
    """True when the staged household's latest desil would change."""
    corrected = " OR ".join(
        _changed("null_keeps", f"{new}.{c}", f"{old}.{c}") for c in DESIL_COLUMNS
    )
    return (
        f"{new}.desil_period > {old}.desil_period "
        f"OR ({new}.desil_period = {old}.desil_period AND ({corrected}))"
    )


def _person_changed(staged: str, person: str, household: str) -> str:
    """True when the staged row would change the stored person (moved household included)."""
    return " OR ".join(
        _changed(kind, f"{staged}.no_kk", f"{household}.no_kk")
        if column == "household_id"
        else _changed(kind, f"{staged}.{column}", f"{person}.{column}")
        for column, kind in PERSON_RULES
    )


class Staging:
    """The tables holding the accepted rows of one load, until `drop`."""

    def __init__(self) -> None:
        # The creation time in the name lets a later load drop the tables of one whose
        # worker was killed (see _drop_forgotten).
        suffix = f"{int(time.time())}_{uuid.uuid4().hex[:8]}"
        self.people = f"dtsen_stage_person_{suffix}"
        self.households = f"dtsen_stage_household_{suffix}"
        self.postgres = connection.vendor == "postgresql"
        person, household = Person._meta, Household._meta
        person_columns = {
            "file_row": "integer NOT NULL",
            "nik": _varchar(person, "nik"),
            "no_kk": _varchar(household, "no_kk"),
            "name": _varchar(person, "name"),
            "sex": _varchar(person, "sex"),
            "birth_date": "date",
            "relationship": "smallint",
            "village": _varchar(household, "village"),
            **{c: _varchar(household, c) for c in ("address", "rt", "rw", "dusun")},
            **dict.fromkeys(DESIL_COLUMNS, "smallint"),
        }
        household_columns = {
            "no_kk": _varchar(household, "no_kk"),
            "village_id": _varchar(household, "village"),
            **{c: _varchar(household, c) for c in ("address", "rt", "rw", "dusun")},
            **dict.fromkeys(DESIL_COLUMNS, "smallint"),
            "desil_period": _varchar(household, "desil_period"),
            "file_row": "integer NOT NULL",
        }
        # Other connections see the tables, and the rows staged in them, as each statement
        # commits (a load runs in autocommit, outside any transaction).
        self.shared = (
            self.postgres and connection.get_autocommit() and not connection.in_atomic_block
        )
        with connection.cursor() as cursor:
            if self.shared:
                _drop_forgotten(cursor)
            # The people's columns follow RECORD_FIELDS (`row` is the file row).
            for table, columns in (
                (self.people, person_columns),
                (self.households, household_columns),
            ):
                definition = ", ".join(f"{name} {kind}" for name, kind in columns.items())
                kind = "UNLOGGED" if self.postgres else "TEMPORARY"
                cursor.execute(f"CREATE {kind} TABLE {table} ({definition})")

    def add_people(self, rows: list[tuple]) -> None:
        """Accepted rows as tuples in RECORD_FIELDS order."""
        if rows:
            self._insert(self.people, ("file_row", *RECORD_FIELDS[1:]), rows)

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

    def add_households(self, period: str) -> None:
        """One household per No. KK, from its head's row, or its first row without a head."""
        has_desil = " OR ".join(f"{c} IS NOT NULL" for c in DESIL_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.households} "  # noqa: S608 - table names are ours
                "(no_kk, village_id, address, rt, rw, dusun, desil, desil_provinsi, "
                "desil_kabupaten, desil_period, file_row) "
                "SELECT no_kk, village, address, rt, rw, dusun, desil, desil_provinsi, "
                f"desil_kabupaten, CASE WHEN {has_desil} THEN %s ELSE '' END, file_row "
                "FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY no_kk ORDER BY "
                "CASE WHEN relationship = 1 THEN 0 ELSE 1 END, file_row) AS position "
                f"FROM {self.people} s) ranked WHERE position = 1",
                [period],
            )
            cursor.execute(
                f"CREATE UNIQUE INDEX {self.households}_no_kk ON {self.households} (no_kk)"
            )
            if self.postgres:
                # The planner needs row counts and distinct values, not fine histograms:
                # a small sample measures them as well, in a fraction of the time.
                cursor.execute("SET default_statistics_target = 10")
                cursor.execute(f"ANALYZE {self.people}")
                cursor.execute(f"ANALYZE {self.households}")
                cursor.execute("RESET default_statistics_target")

    def disagreements(self) -> Iterator[Disagreement]:
        """Rows whose desil or village differ from their household's chosen row, in row order."""
        desil = ", ".join(f"p.{c}" for c in DESIL_COLUMNS)
        chosen = ", ".join(f"h.{c}" for c in DESIL_COLUMNS)
        differs = " OR ".join(f"p.{c} IS DISTINCT FROM h.{c}" for c in DESIL_COLUMNS)
        # A server-side cursor on PostgreSQL: a file may hold a million such rows.
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                f"SELECT p.file_row, p.no_kk, {desil}, p.village, "  # noqa: S608
                f"h.file_row, {chosen}, h.village_id "
                f"FROM {self.people} p JOIN {self.households} h ON h.no_kk = p.no_kk "
                f"WHERE p.file_row <> h.file_row AND ({differs} OR p.village <> h.village_id) "
                "ORDER BY p.file_row"
            )
            while rows := cursor.fetchmany(2000):
                for row, no_kk, d1, d2, d3, village, chosen_row, c1, c2, c3, chosen_village in rows:
                    yield Disagreement(
                        row=row,
                        no_kk=no_kk,
                        desil=(d1, d2, d3),
                        village=village,
                        chosen_row=chosen_row,
                        chosen_desil=(c1, c2, c3),
                        chosen_village=chosen_village,
                    )

    def count_people(self) -> Tally:
        """What the write would do to people, counted (record_changes lists them too)."""
        person, household = _table(Person), _table(Household)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), "  # noqa: S608 - table names are ours
                "COALESCE(SUM(CASE WHEN p.id IS NULL THEN 1 ELSE 0 END), 0), "
                f"COALESCE(SUM(CASE WHEN p.id IS NOT NULL AND ({_person_changed('s', 'p', 'h')}) "
                "THEN 1 ELSE 0 END), 0) "
                f"FROM {self.people} s LEFT JOIN {person} p ON p.nik = s.nik "
                f"LEFT JOIN {household} h ON h.id = p.household_id"
            )
            return _counts(cursor.fetchone())

    def compare(self, period: str) -> tuple[Tally, Tally]:
        """What the write would do to households, and to the desil history."""
        household, history = _table(Household), _table(HouseholdDesil)
        desil_corrected = " OR ".join(
            _changed("null_keeps", f"s.{c}", f"d.{c}") for c in DESIL_COLUMNS
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), "  # noqa: S608
                "COALESCE(SUM(CASE WHEN h.id IS NULL THEN 1 ELSE 0 END), 0), "
                "COALESCE(SUM(CASE WHEN h.id IS NOT NULL AND "
                f"({_household_changed('s', 'h')}) THEN 1 ELSE 0 END), 0) "
                f"FROM {self.households} s LEFT JOIN {household} h ON h.no_kk = s.no_kk"
            )
            households = _counts(cursor.fetchone())
            cursor.execute(
                "SELECT COUNT(*), "  # noqa: S608
                "COALESCE(SUM(CASE WHEN d.id IS NULL THEN 1 ELSE 0 END), 0), "
                f"COALESCE(SUM(CASE WHEN d.id IS NOT NULL AND ({desil_corrected}) "
                "THEN 1 ELSE 0 END), 0) "
                f"FROM {self.households} s LEFT JOIN {household} h ON h.no_kk = s.no_kk "
                f"LEFT JOIN {history} d ON d.household_id = h.id AND d.period = %s "
                "WHERE s.desil_period <> ''",
                [period],
            )
            desil_records = _counts(cursor.fetchone())
        return households, desil_records

    @contextmanager
    def changes_recorded(self, dtsen_import_id: int) -> Iterator[dict]:
        """`record_changes` while the body runs; its counts in the yielded dict's "people".

        When the staging tables are shared, the list is written on a connection of its
        own, beside the body (the write of the register), and reads the register as it
        was before the write, as a list of changes must. Its transaction commits only
        once the body has succeeded: a write that fails leaves no list behind. An error
        of either is raised; the body's first.
        """
        recorded: dict = {}
        if not self.shared:
            recorded["people"] = self.record_changes(dtsen_import_id)
            yield recorded
            return
        body_done = threading.Event()
        body_failed = threading.Event()
        failed: list[BaseException] = []

        def record() -> None:
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    # A lock the write holds would make this wait for ever: fail instead.
                    cursor.execute(f"SET LOCAL lock_timeout = '{LIST_LOCK_TIMEOUT}s'")
                    recorded["people"] = self.record_changes(dtsen_import_id)
                    body_done.wait()
                    if body_failed.is_set():
                        raise _WriteFailed
            except _WriteFailed:
                pass  # rolled back with the write
            except BaseException as error:  # raised in the caller's thread
                failed.append(error)
            finally:
                connection.close()  # this thread's own connection

        thread = threading.Thread(target=record, name=f"dtsen-changes-{dtsen_import_id}")
        thread.start()
        try:
            yield recorded
        except BaseException:
            body_failed.set()
            raise
        finally:
            body_done.set()
            thread.join()
            if failed and body_failed.is_set():
                logger.warning("The list of changes failed too", exc_info=failed[0])
        if failed:
            raise failed[0]

    def record_changes(self, dtsen_import_id: int) -> Tally:
        """List, for the load, each person the write adds or changes: before and after.

        Returns the people counts as the list has them, so the two always agree.
        """
        person, household = _table(Person), _table(Household)
        changes = PersonChange._meta
        columns = ", ".join(
            connection.ops.quote_name(changes.get_field(name).column)
            for name in (
                "dtsen_import", "kind", "row", "nik", "no_kk", "old_no_kk", "name", "old_name",
                "sex", "old_sex", "birth_date", "old_birth_date", "relationship",
                "old_relationship", "village", "old_village", "desil", "old_desil",
            )
        )  # fmt: skip
        merged = {c: _merged(kind, f"s.{c}", f"p.{c}") for c, kind in PERSON_OWN_RULES}
        # The desil the household will have: the file's, unless the register knows a newer one.
        new_desil = _desil_merged("desil", "sh", "th")
        new_desil = f"CASE WHEN th.id IS NULL THEN sh.desil ELSE {new_desil} END"
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(changes.db_table)} "  # noqa: S608
                "WHERE dtsen_import_id = %s",
                [dtsen_import_id],
            )
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(changes.db_table)} ({columns}) "  # noqa: S608
                "SELECT %s, CASE WHEN p.id IS NULL THEN %s ELSE %s END, s.file_row, s.nik, "
                "s.no_kk, COALESCE(oh.no_kk, ''), "
                f"{merged['name']}, COALESCE(p.name, ''), COALESCE({merged['sex']}, ''), "
                "COALESCE(p.sex, ''), "
                f"{merged['birth_date']}, p.birth_date, {merged['relationship']}, "
                "p.relationship, sh.village_id, COALESCE(oh.village_id, ''), "
                f"{new_desil}, oh.desil "
                f"FROM {self.people} s JOIN {self.households} sh ON sh.no_kk = s.no_kk "
                f"LEFT JOIN {person} p ON p.nik = s.nik "
                f"LEFT JOIN {household} oh ON oh.id = p.household_id "
                f"LEFT JOIN {household} th ON th.no_kk = s.no_kk "
                f"WHERE p.id IS NULL OR ({_person_changed('s', 'p', 'oh')})",
                [dtsen_import_id, PersonChange.Kind.ADDED, PersonChange.Kind.CHANGED],
            )
            cursor.execute(f"SELECT COUNT(*) FROM {self.people}")  # noqa: S608
            staged = cursor.fetchone()[0]
        kinds = dict(
            PersonChange.objects.filter(dtsen_import_id=dtsen_import_id)
            .values_list("kind")
            .annotate(count=models.Count("pk"))
            .order_by()
        )
        added = kinds.get(PersonChange.Kind.ADDED, 0)
        changed = kinds.get(PersonChange.Kind.CHANGED, 0)
        return Tally(created=added, updated=changed, unchanged=staged - added - changed)

    def write(self, *, period: str, dtsen_import_id: int) -> None:
        """Change what the register knows and the file changes, then add what it does not.

        Each table is written with one UPDATE of the rows that change (a join of the staged
        rows with the stored ones) and one INSERT of the new rows: no row the file leaves
        unchanged is touched, and a new row is added without probing for a conflict.
        UPDATE ... FROM needs SQLite 3.33 (2020) or later.
        """
        now = timezone.now()
        with connection.cursor() as cursor:
            if self.postgres:
                # The holds_register constraint keeps loads apart; this lock makes sure of it.
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REGISTER_LOCK])
                # Checking each foreign key as its row is written is cheaper in bulk than
                # queueing 200,000 checks for the commit.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # Autovacuum's ANALYZE cannot see the rows this write adds until it commits:
                # run meanwhile, it records the tables as (nearly) empty, and this write's
                # later joins and the next load's are planned for that (measured: a load of
                # 6 s took 41 s, and the next check ran for minutes). This lock keeps ANALYZE
                # and VACUUM off until the commit; it blocks no reader and no writer. It
                # cancels an ordinary autovacuum of these tables (after deadlock_timeout)
                # but waits for a manual VACUUM or ANALYZE, an autovacuum against
                # wraparound, or a CREATE or REINDEX ... CONCURRENTLY.
                tables = ", ".join(_table(m) for m in (Household, Person, HouseholdDesil))
                cursor.execute(f"LOCK TABLE {tables} IN SHARE UPDATE EXCLUSIVE MODE")
            self._write_households(cursor, now)
            self._write_people(cursor, now)
            self._write_desil_history(cursor, period, dtsen_import_id)

    def _write_households(self, cursor, now) -> None:
        household = _table(Household)
        merged = [
            *(f"{c} = {_merged(kind, f's.{c}', f'h.{c}')}" for c, kind in HOUSEHOLD_RULES),
            *(f"{c} = {_desil_merged(c, 's', 'h')}" for c in DESIL_COLUMNS),
            "desil_period = CASE WHEN s.desil_period > h.desil_period "
            "THEN s.desil_period ELSE h.desil_period END",
            "updated_at = %s",
        ]
        cursor.execute(
            f"UPDATE {household} AS h SET {', '.join(merged)} "  # noqa: S608 - names are ours
            f"FROM {self.households} s WHERE h.no_kk = s.no_kk "
            f"AND ({_household_changed('s', 'h')} OR {_household_desil_changed('s', 'h')})",
            [now],
        )
        columns = ", ".join(("no_kk", *HOUSEHOLD_COLUMNS, *DESIL_COLUMNS, "desil_period"))
        # The sort takes every new row before the first is written. Without it, a table
        # whose statistics say it is empty (a failed load, vacuumed) is scanned once per
        # staged row while the INSERT grows it: 58,000 households took 27 s. Hence a sort
        # key no index provides (the staged rows' index on no_kk has the database's
        # collation, not "C"), in no_kk order so that the table's own index grows at its
        # end: 400,000 households in 3.1 s, in a shuffled file's order 3.8 s.
        in_no_kk_order = 's.no_kk COLLATE "C"' if self.postgres else "s.no_kk"
        cursor.execute(
            f"INSERT INTO {household} ({columns}, created_at, updated_at) "  # noqa: S608
            f"SELECT {columns}, %s, %s FROM {self.households} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {household} h WHERE h.no_kk = s.no_kk) "
            f"ORDER BY {in_no_kk_order}",
            [now, now],
        )
        self._count_if_grown(cursor, Household)

    def _write_people(self, cursor, now) -> None:
        person, household = _table(Person), _table(Household)
        merged = [f"{c} = {_merged(kind, f's.{c}', f'p.{c}')}" for c, kind in PERSON_OWN_RULES]
        changed = " OR ".join(
            _changed(kind, "h.id", "p.household_id")
            if c == "household_id"
            else _changed(kind, f"s.{c}", f"p.{c}")
            for c, kind in PERSON_RULES
        )
        cursor.execute(
            f"UPDATE {person} AS p SET {', '.join(merged)}, household_id = h.id, "  # noqa: S608
            f"updated_at = %s FROM {self.people} s JOIN {household} h ON h.no_kk = s.no_kk "
            f"WHERE p.nik = s.nik AND ({changed})",
            [now],
        )
        cursor.execute(
            f"INSERT INTO {person} "  # noqa: S608
            "(nik, name, sex, birth_date, relationship, household_id, created_at, updated_at) "
            "SELECT s.nik, s.name, s.sex, s.birth_date, s.relationship, h.id, %s, %s "
            f"FROM {self.people} s JOIN {household} h ON h.no_kk = s.no_kk "
            f"WHERE NOT EXISTS (SELECT 1 FROM {person} p WHERE p.nik = s.nik) "
            # In household order, the household index grows at its end: a province's four
            # million new people took 48 s instead of 81 s in the file's order. Within a
            # household, the file's order still gives the ids (the "first member"). The
            # sort also ends the NOT EXISTS before the first row is written (see above):
            # "+ 0", so that the primary key's order cannot stand in for it.
            "ORDER BY h.id + 0, s.file_row",
            [now, now],
        )
        self._count_if_grown(cursor, Person)

    def _write_desil_history(self, cursor, period: str, dtsen_import_id: int) -> None:
        household, history = _table(Household), _table(HouseholdDesil)
        merged = ", ".join(f"{c} = COALESCE(s.{c}, d.{c})" for c in DESIL_COLUMNS)
        changed = " OR ".join(_changed("null_keeps", f"s.{c}", f"d.{c}") for c in DESIL_COLUMNS)
        cursor.execute(
            f"UPDATE {history} AS d SET {merged}, dtsen_import_id = %s "  # noqa: S608
            f"FROM {self.households} s JOIN {household} h ON h.no_kk = s.no_kk "
            "WHERE d.household_id = h.id AND d.period = %s AND s.desil_period <> '' "
            f"AND ({changed})",
            [dtsen_import_id, period],
        )
        cursor.execute(
            f"INSERT INTO {history} "  # noqa: S608
            f"(household_id, period, dtsen_import_id, {', '.join(DESIL_COLUMNS)}) "
            f"SELECT h.id, %s, %s, {', '.join(f's.{c}' for c in DESIL_COLUMNS)} "
            f"FROM {self.households} s JOIN {household} h ON h.no_kk = s.no_kk "
            "WHERE s.desil_period <> '' AND NOT EXISTS "
            f"(SELECT 1 FROM {history} d WHERE d.household_id = h.id AND d.period = %s) "
            "ORDER BY h.id + 0",  # as the people's INSERT: every new row before the first
            [period, dtsen_import_id, period],
        )
        self._count_if_grown(cursor, HouseholdDesil)

    def _count_if_grown(self, cursor, model) -> None:
        """After the INSERT just run on `cursor`: when it grew the table by more than a
        tenth, tell the planner the new number of rows, so that the statements after it
        and the next load are planned for the table as it is.

        ANALYZE inside the write counts the rows the write added. The count (pg_class)
        is written in place: other sessions see it at once, and it stays if the load
        rolls back, an overestimate that costs nothing until VACUUM counts again.
        Sampling the primary key alone is enough for the count and costs a fraction of a
        whole ANALYZE (0.02 s instead of 0.15 s at 200,000 people); autovacuum usually
        takes the full statistics soon after the commit, as a partial ANALYZE does not
        reset its count of changes.
        """
        added = cursor.rowcount
        if not self.postgres or added <= 0:
            return
        table = model._meta.db_table
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        known = max(cursor.fetchone()[0], 0)  # -1: never counted
        if added > RECOUNT_AFTER_GROWTH * known:
            cursor.execute(f"ANALYZE {_table(model)} ({model._meta.pk.column})")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.people}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.households}")


FORGOTTEN_AFTER_SECONDS = 24 * 3600
# A write that adds more than this share of a table's rows counts them for the planner.
RECOUNT_AFTER_GROWTH = 0.1
# How long the list of changes waits for a row lock before failing the load.
LIST_LOCK_TIMEOUT = 60


class _WriteFailed(Exception):
    """The write beside the list failed: the list rolls back."""


def _drop_forgotten(cursor) -> None:
    """Drop the staging tables of loads that started more than a day ago: their worker was
    killed before it could (the tables hold NIKs and names)."""
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tableowner = current_user AND tablename LIKE 'dtsen\\_stage\\_%'"
    )
    cutoff = time.time() - FORGOTTEN_AFTER_SECONDS
    for (table,) in cursor.fetchall():
        stamp = table.rsplit("_", 2)[-2]
        if stamp.isdigit() and int(stamp) < cutoff:
            try:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            except DatabaseError:  # another load dropping it too, say: not this load's problem
                logger.warning("Could not drop the forgotten staging table %s", table)


def _counts(row) -> Tally:
    total, created, updated = (int(value) for value in row)
    return Tally(created=created, updated=updated, unchanged=total - created - updated)
