"""`dtsen_load`: the one service that reads a DTSEN file and writes it into the register.

The file is read and its rows checked in a child process with bounded memory and time
(households/dtsen/checking.py); the accepted rows arrive here in batches and are kept
in staging tables; the register is then compared and written with a few set-based
statements inside one transaction (households/dtsen/staging.py), so a load commits every
valid row or none. Problems are counted and kept in files, never all in memory.
"""

import datetime
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from households.dtsen.checking import Header, check_file
from households.dtsen.problems import (
    Problem,
    Problems,
    ProblemWriter,
    problem_as_json,
    write_json,
)
from households.dtsen.reading import DtsenFileError
from households.dtsen.staging import Disagreement, Staging
from households.models import Area, DtsenImport, ImportPhase, ImportStatus, PersonChange, Tally
from tkpk.translation import Message as _

Progress = Callable[[str, int, int], None]
# Each load's files (problems, rejected rows) live in a temporary folder named so.
WORK_FOLDER_PREFIX = "tkpk-dtsen-"


class LoadCancelled(Exception):
    """Raised by a progress callback to stop a load; nothing is written."""


@dataclass
class LoadReport:
    """What a load found and did; `write_json()` is the `import_dtsen --json` contract."""

    rows: int = 0
    people: Tally = field(default_factory=Tally)
    households: Tally = field(default_factory=Tally)
    # The household desil records of the load's period (a household's own fields apart).
    desil_records: Tally = field(default_factory=Tally)
    errors: Problems = field(default_factory=Problems)
    warnings: Problems = field(default_factory=Problems)
    ignored_columns: list[str] = field(default_factory=list)
    header: Header | None = None
    rejected_rows: Path | None = None  # RejectedRows file, for the error report
    reader_peak_memory: int = 0  # bytes, of the child process that read the file
    # Holds the files above; they go when the report does.
    workdir: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    @property
    def header_row(self) -> int:
        return self.header.row if self.header else 0

    @property
    def accepted(self) -> int:
        return self.people.total

    @property
    def rejected(self) -> int:
        return self.rows - self.accepted

    def counts(self) -> dict:
        """The numbers of the JSON contract, without the problem lists."""
        return {
            "rows": self.rows,
            **self.people.as_dict(),
            "error_count": self.errors.count,
            "warning_count": self.warnings.count,
            "households": self.households.as_dict(),
            "desil_records": self.desil_records.as_dict(),
            "ignored_columns": self.ignored_columns,
        }

    def as_dict(self) -> dict:
        """The report as a load keeps it: the counts and the first problems of each kind."""
        return {
            **self.counts(),
            "errors": [problem_as_json(problem) for problem in self.errors.first],
            "warnings": [problem_as_json(problem) for problem in self.warnings.first],
        }

    def write_json(self, write: Callable[[str], object]) -> None:
        """The whole report as one JSON object, streamed (problems.write_json)."""
        write_json(write, self.counts(), errors=self.errors, warnings=self.warnings)


def dtsen_load(
    *,
    path: Path,
    period: str,
    sheet: str | None = None,
    dry_run: bool = False,
    dtsen_import_id: int | None = None,
    progress: Progress | None = None,
    before_write: Callable[[], None] | None = None,
    on_written: Callable[[LoadReport], None] | None = None,
    today: datetime.date | None = None,
) -> LoadReport:
    """Check `path` and, unless `dry_run`, write its valid rows into the register.

    Raises DtsenFileError (nothing written) when the file as a whole cannot be read, and
    whatever `progress` raises (LoadCancelled) to stop. A load with the id of its
    DtsenImport lists the people it adds or changes; a real load needs one, which the
    desil history points to. `before_write` and `on_written` run inside the write's
    transaction, so what they record commits together with the register or not at all.
    """
    if not dry_run and dtsen_import_id is None:
        raise ValueError("A load that writes needs its DtsenImport.")
    progress = progress or (lambda phase, done, total: None)
    workdir = tempfile.TemporaryDirectory(prefix=WORK_FOLDER_PREFIX)
    report = LoadReport(workdir=workdir)
    staging = Staging()
    try:
        _read(path, sheet, period, today or timezone.localdate(), report, staging, progress)
        progress(ImportPhase.COMPARING, report.rows, report.rows)
        staging.add_households(period)
        report.warnings += _household_warnings(staging, report.header, Path(workdir.name))
        report.households, report.desil_records = staging.compare(period)
        # The people are counted from the list of changes where there is one: an import
        # committed meanwhile by another load cannot make the two disagree.
        if dry_run:
            if dtsen_import_id is None:
                report.people = staging.count_people()
            else:
                with transaction.atomic():
                    report.people = staging.record_changes(dtsen_import_id)
            return report
        progress(ImportPhase.WRITING, report.rows, report.rows)
        with transaction.atomic():
            if before_write is not None:
                before_write()
            with staging.changes_recorded(dtsen_import_id) as recorded:
                _forget_stale_changes(dtsen_import_id)
                staging.write(period=period, dtsen_import_id=dtsen_import_id)
            report.people = recorded["people"]
            if on_written is not None:
                on_written(report)
        return report
    except BaseException:
        workdir.cleanup()
        raise
    finally:
        staging.drop()


def _read(path, sheet, period, today, report: LoadReport, staging: Staging, progress) -> None:
    """Read and check the file in the child process, staging its accepted rows."""

    def on_header(header: Header) -> frozenset[str]:
        _refuse_older_period(period)
        report.header, report.ignored_columns = header, header.ignored
        progress(ImportPhase.READING, 0, header.total)
        return frozenset(Area.objects.villages().values_list("code", flat=True))

    checked = check_file(
        path=path,
        sheet=sheet,
        today=today,
        workdir=Path(report.workdir.name),
        on_header=on_header,
        on_rows=staging.add_people,
        progress=lambda done, total: progress(ImportPhase.READING, done, total),
    )
    report.rows, report.errors, report.warnings = checked.rows, checked.errors, checked.warnings
    report.rejected_rows, report.reader_peak_memory = checked.rejected_rows, checked.peak_memory


def _forget_stale_changes(dtsen_import_id: int) -> None:
    """Once the register changes, what other loads would have changed is out of date: drop
    their lists (names and NIKs kept for nothing); an imported load keeps what it did."""
    PersonChange.objects.exclude(dtsen_import__status=ImportStatus.DONE).exclude(
        dtsen_import_id=dtsen_import_id
    ).delete()


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


def _household_warnings(staging: Staging, header: Header, workdir: Path) -> Problems:
    """Rows whose desil or village disagree with the row chosen for their household."""
    writer = ProblemWriter(
        workdir / "household-warnings.jsonl.gz", keep=settings.TKPK_DTSEN_STORED_PROBLEMS
    )
    try:
        writer.extend(_disagreement_problems(staging.disagreements(), header))
    finally:
        problems = writer.close()
    return problems


def _disagreement_problems(found: Iterator[Disagreement], header: Header) -> Iterator[Problem]:
    desil_columns = [
        header.column_name(f) if f in header.columns else None
        for f in ("desil", "desil_provinsi", "desil_kabupaten_kota")
    ]
    village_column = header.column_name("village")
    for row in found:
        if row.desil != row.chosen_desil:
            first_difference = next(
                i for i, value in enumerate(row.desil) if value != row.chosen_desil[i]
            )
            yield (
                row.row,
                desil_columns[first_difference],
                _(
                    "household %(kk)s has desil %(desil)s in row %(row)d, which is "
                    "used; the desil of this row is ignored"
                )
                % {"kk": row.no_kk, "row": row.chosen_row, "desil": _desil_text(row.chosen_desil)},
            )
        if row.village != row.chosen_village:
            yield (
                row.row,
                village_column,
                _(
                    "household %(kk)s lies in village %(village)s in row %(row)d, "
                    "which is used; the village of this row is ignored"
                )
                % {"kk": row.no_kk, "row": row.chosen_row, "village": row.chosen_village},
            )


def _desil_text(desil: tuple) -> str:
    national, provincial, regency = ("–" if value is None else value for value in desil)
    return _("national %(national)s, provincial %(provincial)s, regency %(regency)s") % {
        "national": national,
        "provincial": provincial,
        "regency": regency,
    }
