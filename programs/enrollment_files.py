"""Bulk enrolment from a spreadsheet of NIKs: `program_enroll_file`, behind the page and `enrol`.

The file is read by the DTSEN reader's child process (households/dtsen/checking.py), with
bounded memory and time, looking for its own columns: a NIK and, optionally, a reason to
enrol despite the rules. The child only parses NIK cells; the rules that need the
register run here, a batch of rows at a time with a few set-based queries, and the
places of each village are counted in memory as the rows go. The valid rows are then
written together, or none, while the program's row is locked and its quotas re-checked.
"""

import datetime
import heapq
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from households.dtsen.checking import Header, check_file
from households.dtsen.columns import ALIASES, Columns
from households.dtsen.problems import (
    Problem,
    Problems,
    ProblemWriter,
    RejectedRows,
    problem_as_json,
    write_json,
)
from households.dtsen.reading import DtsenFileError, Source
from households.dtsen.rules import BatchCheck, drop_controls, parse_number, row_by_row
from households.identity import nik_error
from households.models import Person
from programs.eligibility import Refusal, Rule, Rules, households_taken, quota_full_message
from programs.models import (
    Enrollment,
    EnrollmentEvent,
    EnrollmentStatus,
    Program,
    ProgramStatus,
)
from programs.selectors import running_programs_of
from programs.services import may_manage
from tkpk.models import User
from tkpk.signals import figures_changed
from tkpk.translation import Message as _

# The columns of a list of NIKs: only the NIK is needed; the reason is for the rows that
# break an overridable rule. Any other column (a name, a village) is read past.
ENROLLMENT_COLUMNS = Columns(
    aliases={
        "nik": ALIASES["nik"],
        "reason": ("alasan", "Alasan Pengecualian", "alasan_pengecualian", "Alasan Khusus"),
    },
    required={"nik": "NIK"},
)
# NIKs looked up in the register per query.
QUERY_CHUNK = 5000
# Rows per INSERT: well under PostgreSQL's 65,535 parameters.
WRITE_BATCH = 1000
WORK_FOLDER_PREFIX = "tkpk-peserta-"

Progress = Callable[[int, int], None]


class EnrollmentFileError(Exception):
    """The file as a whole cannot be enrolled; nobody was enrolled."""


@dataclass
class EnrollmentFileReport:
    """What a bulk enrolment found and did; `write_json()` is the `enrol --json` contract.

    In a dry run, `enrolled` counts who would be enrolled.
    """

    dry_run: bool = True
    rows: int = 0
    enrolled: int = 0
    already_enrolled: int = 0
    errors: Problems = field(default_factory=Problems)
    warnings: Problems = field(default_factory=Problems)
    ignored_columns: list[str] = field(default_factory=list)
    header: Header | None = None
    rejected_rows: Path | None = None  # RejectedRows file, for the error report
    # Holds the files above; they go when the report does.
    workdir: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    @property
    def rejected(self) -> int:
        return self.rows - self.enrolled - self.already_enrolled

    def counts(self) -> dict:
        """The numbers of the JSON contract, without the problem lists."""
        return {
            "rows": self.rows,
            "enrolled": self.enrolled,
            "already_enrolled": self.already_enrolled,
            "error_count": self.errors.count,
            "warning_count": self.warnings.count,
        }

    def as_dict(self) -> dict:
        """The report as an upload keeps it: the counts and the first problems of each kind."""
        return {
            **self.counts(),
            "rejected": self.rejected,
            "ignored_columns": self.ignored_columns,
            "errors": [problem_as_json(problem) for problem in self.errors.first],
            "warnings": [problem_as_json(problem) for problem in self.warnings.first],
        }

    def write_json(self, write: Callable[[str], object]) -> None:
        """The whole report as one JSON object, streamed (problems.write_json)."""
        write_json(write, self.counts(), errors=self.errors, warnings=self.warnings)


def program_enroll_file(
    *,
    program: Program,
    path: Path,
    by: User,
    dry_run: bool = False,
    progress: Progress | None = None,
    on_written: Callable[[EnrollmentFileReport], None] | None = None,
    today: datetime.date | None = None,
) -> EnrollmentFileReport:
    """Check the NIKs in `path` against `program` and, unless `dry_run`, enrol the valid ones.

    The reason column is honoured only for users who may manage the program (who alone
    may enrol). Raises EnrollmentFileError (nobody enrolled) when the file as a whole
    cannot be read or the program takes nobody, and PermissionDenied for a user who may
    not enrol. `on_written` runs inside the write's transaction.
    """
    may_override = may_manage(by, program)
    if not dry_run and not may_override:
        raise PermissionDenied
    _refuse_closed(program)
    today = today or timezone.localdate()
    progress = progress or (lambda done, total: None)
    workdir = tempfile.TemporaryDirectory(prefix=WORK_FOLDER_PREFIX)
    report = EnrollmentFileReport(dry_run=dry_run, workdir=workdir)
    try:
        rows = _check(
            program, path, report, may_override=may_override, today=today, progress=progress
        )
        report.enrolled = len(rows.valid)
        if not dry_run and rows.valid:
            with transaction.atomic():
                _write(program, rows, by=by, on=today)
                if on_written is not None:
                    on_written(report)
        return report
    except BaseException:
        workdir.cleanup()
        raise


def _refuse_closed(program: Program) -> None:
    if not program.is_open:
        raise EnrollmentFileError(
            _("The program is %(status)s and takes no new participants.")
            % {"status": ProgramStatus(program.status).label.lower()}
        )


def _check(
    program: Program,
    path: Path,
    report: EnrollmentFileReport,
    *,
    may_override: bool,
    today: datetime.date,
    progress: Progress,
) -> "_Rows":
    """Read the file in the child and check its rows against the register, batch by batch."""
    work = Path(report.workdir.name)
    keep = settings.TKPK_DTSEN_STORED_PROBLEMS
    errors = ProblemWriter(work / "register-errors.jsonl.gz", keep=keep)
    warnings = ProblemWriter(work / "register-warnings.jsonl.gz", keep=keep)
    rows: _Rows | None = None

    def on_header(header: Header) -> None:
        nonlocal rows
        report.header, report.ignored_columns = header, header.ignored
        progress(0, header.total)
        rows = _Rows(
            program=program,
            header=header,
            today=today,
            may_override=may_override,
            errors=errors,
            warnings=warnings,
            rejected=rejected,
        )

    with RejectedRows.writer(work / "register-rejected.pickle.gz") as rejected:
        try:
            checked = check_file(
                path=path,
                sheet=None,
                today=today,
                workdir=work,
                on_header=on_header,
                on_rows=lambda batch: rows.check(batch),
                progress=progress,
                columns=ENROLLMENT_COLUMNS,
                checker=enrollment_row_checker,
            )
        except DtsenFileError as error:
            raise EnrollmentFileError(error.args[0]) from error
        finally:
            errors.close()
            warnings.close()
    report.rows = checked.rows
    report.already_enrolled = rows.already_enrolled
    report.errors = checked.errors + errors.problems
    report.warnings = checked.warnings + warnings.problems
    report.rejected_rows = _merged(
        [checked.rejected_rows, rejected.path], work / "all-rejected.pickle.gz"
    )
    return rows


def _merged(paths: list[Path], into: Path) -> Path:
    """The rejected rows of the child and of the register checks, in one file, in row order."""
    with RejectedRows.writer(into) as merged:
        for row, cells, reasons in heapq.merge(*map(RejectedRows.read, paths), key=_first):
            merged.add(row, cells, [(row, column, message) for column, message in reasons])
    return into


def _first(item: tuple) -> int:
    return item[0]


# ---------------------------------------------------------------------------------------
# The register's rules, in the worker.


@dataclass(frozen=True, slots=True)
class _Valid:
    """A row that will be enrolled: what its Enrollment records."""

    row: int
    person_id: int
    household_id: int
    village_id: str
    desil: int | None
    desil_period: str
    reason: str


class _Rows:
    """Checks the rows the child accepted against the register and the rows before them."""

    def __init__(
        self,
        *,
        program: Program,
        header: Header,
        today: datetime.date,
        may_override: bool,
        errors: ProblemWriter,
        warnings: ProblemWriter,
        rejected: RejectedRows,
    ) -> None:
        self.program = program
        self.rules = Rules(program)
        self.today = today
        self.may_override = may_override
        self.nik_column = header.column_name("nik")
        self.reason_column = header.column_name("reason") if "reason" in header.columns else None
        self.errors, self.warnings, self.rejected = errors, warnings, rejected
        self.taken: Counter[str] = Enrollment.objects.places_by_village(
            program
        )  # places held in the register
        self.planned: Counter[str] = Counter()
        self.household_rows: dict[int, int] = {}  # household -> the valid row standing for it
        self.valid: list[_Valid] = []
        self.already_enrolled = 0

    def check(self, batch: list[tuple]) -> None:
        """Check one batch of (row, NIK, reason, cells), in file order."""
        for chunk in _chunks(batch, QUERY_CHUNK):
            facts = _Facts.fetch(self.program, [nik for _row, nik, _reason, _cells in chunk])
            for row, nik, reason, cells in chunk:
                problems = self._row(row, nik, reason, facts)
                if problems:
                    self.errors.extend(problems)
                    self.rejected.add(row, cells, problems)

    def _row(self, row: int, nik: str, reason: str, facts: "_Facts") -> list[Problem]:
        """The row's errors; none when it is enrolled (or already was)."""
        person = facts.people.get(nik)
        if person is None:
            return [(row, self.nik_column, _("%(nik)s is not in the register.") % {"nik": nik})]
        if person.pk in facts.enrolled:
            self.already_enrolled += 1
            return []
        household = person.household
        refusals = self.rules.refusals(
            person, on=self.today, household_taken=household.pk in facts.households_taken
        )
        first = self.household_rows.get(household.pk)
        if self.program.one_per_household and first is not None:
            refusals.append(
                Refusal(
                    Rule.HOUSEHOLD,
                    _(
                        "another member of the same household is in row %(row)d, and the "
                        "program takes one per household."
                    )
                    % {"row": first},
                )
            )
        quota = self.rules.quotas.get(household.village_id)
        if quota is not None and quota.quota is not None:
            village = quota.village_id
            if self.taken[village] + self.planned[village] >= quota.quota:
                refusals.append(Refusal(Rule.QUOTA, quota_full_message(quota)))
        problems = self._refused(row, reason, refusals)
        if problems:
            return problems
        self.valid.append(
            _Valid(
                row=row,
                person_id=person.pk,
                household_id=household.pk,
                village_id=household.village_id,
                desil=household.desil,
                desil_period=household.desil_period,
                reason=reason if self.may_override else "",
            )
        )
        self.planned[household.village_id] += 1
        self.household_rows.setdefault(household.pk, row)
        if names := facts.elsewhere.get(person.pk):
            self.warnings.add(
                (
                    row,
                    self.nik_column,
                    _("also takes part in %(programs)s, which is running.")
                    % {"programs": ", ".join(sorted(names))},
                )
            )
        return []

    def _refused(self, row: int, reason: str, refusals: list[Refusal]) -> list[Problem]:
        """The row's refusals as problems, once a reason has set the overridable ones aside."""
        if reason and self.may_override:
            refusals = [refusal for refusal in refusals if not refusal.overridable]
        problems = [(row, self.nik_column, refusal.message) for refusal in refusals]
        if problems and reason and not self.may_override:
            problems.append(
                (
                    row,
                    self.reason_column,
                    _(
                        "a reason counts only when the secretariat or the program's lead "
                        "agency enrols; it was not used."
                    ),
                )
            )
        return problems


@dataclass(frozen=True)
class _Facts:
    """What the register says about a chunk of NIKs, in four queries."""

    people: dict[str, Person]  # by NIK, with household and village
    enrolled: set[int]  # people already in the program, whatever their status
    households_taken: set[int]  # households holding a place in the program
    elsewhere: dict[int, list[str]]  # person -> names of the other running programs they are in

    @classmethod
    def fetch(cls, program: Program, niks: list[str]) -> "_Facts":
        people = {
            person.nik: person
            for person in Person.objects.filter(nik__in=niks).select_related("household__village")
        }
        ids = [person.pk for person in people.values()]
        enrolled = set(
            Enrollment.objects.filter(program=program, person_id__in=ids).values_list(
                "person_id", flat=True
            )
        )
        households = {person.household_id for person in people.values()}
        taken = households_taken(program, households) if program.one_per_household else set()
        elsewhere = {
            person: [other.name for other in others]
            for person, others in running_programs_of(ids, exclude=program).items()
        }
        return cls(people, enrolled, taken, elsewhere)


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------------------------------
# Writing.


def _write(program: Program, rows: _Rows, *, by: User, on: datetime.date) -> None:
    """Enrol every valid row, having locked the program and re-checked what others changed.

    Another enrolment may have been committed while the file was checked: under the lock
    nothing else can be, so the quotas, households and people are checked once more.
    """
    program = Program.objects.select_for_update().get(pk=program.pk)
    _refuse_closed(program)
    _recheck(program, rows.valid)
    enrollments = Enrollment.objects.bulk_create(
        (
            Enrollment(
                program=program,
                person_id=row.person_id,
                household_id=row.household_id,
                village_id=row.village_id,
                enrolled_on=on,
                status_changed_on=on,
                desil_at_enrollment=row.desil,
                desil_period_at_enrollment=row.desil_period,
                override_reason=row.reason,
                created_by=by,
            )
            for row in rows.valid
        ),
        batch_size=WRITE_BATCH,
    )
    EnrollmentEvent.objects.bulk_create(
        (
            EnrollmentEvent(enrollment=enrollment, status=EnrollmentStatus.ENROLLED, on=on, by=by)
            for enrollment in enrollments
        ),
        batch_size=WRITE_BATCH,
    )
    figures_changed.send(sender=Enrollment, years=program.years)


def _recheck(program: Program, valid: list[_Valid]) -> None:
    """Raise EnrollmentFileError when the register changed under the checked rows."""
    rules = Rules(program)
    taken = Enrollment.objects.places_by_village(program)
    planned = Counter(row.village_id for row in valid)
    for village, count in planned.items():
        if rules.whole_region:
            break
        quota = rules.quotas.get(village)
        if quota is None:
            raise EnrollmentFileError(
                _(
                    "While the file was checked, %(code)s stopped being a target village of "
                    "the program. Check the file again; nobody was enrolled."
                )
                % {"code": village}
            )
        if quota.quota is not None and taken[village] + count > quota.quota:
            raise EnrollmentFileError(
                _(
                    "While the file was checked, others were enrolled in %(village)s: "
                    "%(taken)d of its %(quota)d places are taken now, and the file adds "
                    "%(count)d. Check the file again; nobody was enrolled."
                )
                % {
                    "village": quota.village.name,
                    "taken": taken[village],
                    "quota": quota.quota,
                    "count": count,
                }
            )
    for chunk in _chunks(valid, QUERY_CHUNK):
        others = Enrollment.objects.filter(
            program=program, person_id__in=[r.person_id for r in chunk]
        )
        if program.one_per_household:
            others = others | Enrollment.objects.holding_a_place().filter(
                program=program, household_id__in=[r.household_id for r in chunk]
            )
        if others.exists():
            raise EnrollmentFileError(
                _(
                    "While the file was checked, some of its people or households were "
                    "enrolled. Check the file again; nobody was enrolled."
                )
            )


# ---------------------------------------------------------------------------------------
# In the reading child.


def enrollment_row_checker(source: Source, answer: object, today: datetime.date) -> BatchCheck:
    """The child's checker of a list of NIKs: accepted rows as (row, NIK, reason, cells).

    The cells go along so that a row the register refuses appears in the error report as
    it was. A NIK twice names the row where it first appears.
    """
    nik_at = source.columns["nik"]
    nik_column = source.names[nik_at]
    reason_at = source.columns.get("reason")
    first_rows: dict[str, int] = {}

    def check(row: int, cells: list) -> tuple[tuple | None, list[Problem], list[Problem]]:
        nik, error, warning = parse_number(_cell(cells, nik_at), nik_error)
        if error:
            return None, [(row, nik_column, error)], []
        first = first_rows.setdefault(nik, row)
        if first != row:
            duplicate = _("%(nik)s already appears in row %(first)d; only that row counts") % {
                "nik": nik,
                "first": first,
            }
            return None, [(row, nik_column, duplicate)], []
        reason = "" if reason_at is None else _reason(_cell(cells, reason_at))
        warnings = [(row, nik_column, warning)] if warning else []
        return (row, nik, reason, cells), [], warnings

    return row_by_row(check)


def _cell(cells: list, index: int):
    return cells[index] if index < len(cells) else None


def _reason(value) -> str:
    if value is None:
        return ""
    return " ".join(drop_controls(str(value)).split())
