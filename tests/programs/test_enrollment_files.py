"""`program_enroll_file`: a spreadsheet of NIKs checked row by row, enrolled all together."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import load_workbook

from households.dtsen.report import write_error_report
from households.models import Person
from programs import enrollment_files
from programs.enrollment_files import EnrollmentFileError, program_enroll_file
from programs.models import Enrollment, EnrollmentEvent, ProgramStatus
from tests.factories import (
    AreaFactory,
    EnrollmentFactory,
    HouseholdFactory,
    PersonFactory,
    ProgramFactory,
    VillageQuotaFactory,
)
from tests.households.dtsen_files import nik, write_csv, write_xlsx
from tkpk.models import Role

pytestmark = pytest.mark.django_db

LANGADAI = "63.02.17.2003"
TARJUN = "63.02.17.2002"
BATULICIN = "63.02.10.2001"


@pytest.fixture
def program(other_agency):
    """Desil 1–4, one per household; Langadai (3 places) and Tarjun (1 place)."""
    program = ProgramFactory(
        code="KTB-WMP-2025", lead_agency=other_agency, max_desil=4, one_per_household=True
    )
    VillageQuotaFactory(
        program=program, village=AreaFactory(code=LANGADAI, name="Langadai"), quota=3
    )
    VillageQuotaFactory(program=program, village=AreaFactory(code=TARJUN, name="Tarjun"), quota=1)
    return program


@pytest.fixture
def secretariat(users):
    return users[Role.SECRETARIAT]


def resident(serial: int, village: str = LANGADAI, *, desil: int | None = 2, household=None):
    """Person `serial` (NIK nik(serial=serial)), alone in a household of `village` unless told."""
    household = household or HouseholdFactory(
        village=AreaFactory(code=village), desil=desil, desil_period="2025-Q3"
    )
    return PersonFactory(nik=nik(serial=serial), household=household)


def niks_file(tmp_path, rows, *, header=("NIK",), name="peserta.csv"):
    """A CSV with `header` and one line per row (a NIK, or a tuple of cells)."""
    lines = [list(header), *([row] if isinstance(row, str) else list(row) for row in rows)]
    return write_csv(tmp_path, lines, name=name)


_reports = []


@pytest.fixture(autouse=True)
def _english(_default_language):
    """Messages as written in the code (the site's language is Indonesian)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _clean_reports():
    """Problems are read back from the report's files: they go once the test is done."""
    yield
    while _reports:
        _reports.pop().workdir.cleanup()


def enrol(program, path, by, **kwargs):
    report = program_enroll_file(program=program, path=path, by=by, **kwargs)
    _reports.append(report)
    return report


def problems(report) -> list[tuple]:
    return [(row, column, str(message)) for row, column, message in report.errors]


def test_enrols_every_valid_row_with_its_household_village_and_desil(
    tmp_path, program, secretariat
):
    first, second = resident(1), resident(2, TARJUN, desil=4)
    path = niks_file(tmp_path, [first.nik, second.nik])

    report = enrol(program, path, secretariat)

    assert (report.rows, report.enrolled, report.already_enrolled) == (2, 2, 0)
    assert not report.errors and not report.warnings
    enrolled = Enrollment.objects.get(person=second)
    assert (enrolled.village_id, enrolled.desil_at_enrollment) == (TARJUN, 4)
    assert enrolled.desil_period_at_enrollment == "2025-Q3"
    assert enrolled.created_by == secretariat and enrolled.override_reason == ""
    assert EnrollmentEvent.objects.filter(enrollment__program=program).count() == 2


def test_an_unknown_nik_is_an_error_naming_it(tmp_path, program, secretariat):
    resident(1)
    path = niks_file(tmp_path, [nik(serial=1), nik(serial=9)])

    report = enrol(program, path, secretariat)

    assert problems(report) == [(3, "NIK", f"{nik(serial=9)} is not in the register.")]
    assert report.enrolled == 1


def test_an_invalid_nik_is_an_error_from_the_reader(tmp_path, program, secretariat):
    path = niks_file(tmp_path, ["630217010190001"])

    report = enrol(program, path, secretariat)

    [(row, column, message)] = problems(report)
    assert (row, column) == (2, "NIK") and "exactly 16 digits" in message


def test_a_nik_rounded_by_excel_is_an_error(tmp_path, program, secretariat):
    resident(1)
    path = write_xlsx(tmp_path, [["NIK"], [int(nik(serial=10))], [int(nik(serial=1))]])

    report = enrol(program, path, secretariat)

    [(row, column, message)] = problems(report)
    assert (row, column) == (2, "NIK") and "Excel may have rounded" in message
    assert report.enrolled == 1
    [(row, _column, warning)] = report.warnings
    assert row == 3 and "stored as a number" in warning


def test_an_ineligible_person_is_refused_with_the_rule(tmp_path, program, secretariat):
    resident(1, desil=7)
    path = niks_file(tmp_path, [nik(serial=1)])

    report = enrol(program, path, secretariat)

    assert problems(report) == [(2, "NIK", "desil 7 is above the program's limit of 4.")]
    assert not Enrollment.objects.exists()


def test_a_reason_lets_a_manager_set_an_overridable_rule_aside(tmp_path, program, secretariat):
    person = resident(1, desil=7)
    path = niks_file(
        tmp_path,
        [(person.nik, "Korban banjir Januari 2026")],
        header=("No NIK", "Alasan Pengecualian"),
    )

    report = enrol(program, path, secretariat)

    assert report.enrolled == 1 and not report.errors
    assert Enrollment.objects.get().override_reason == "Korban banjir Januari 2026"


def test_a_reason_from_someone_who_may_not_manage_the_program_is_not_used(tmp_path, program, users):
    resident(1, desil=7)
    path = niks_file(tmp_path, [(nik(serial=1), "kenal baik")], header=("NIK", "alasan"))
    operator = users[Role.AGENCY]  # of another agency than the program's lead

    report = enrol(program, path, operator, dry_run=True)

    assert problems(report) == [
        (2, "NIK", "desil 7 is above the program's limit of 4."),
        (
            2,
            "alasan",
            "a reason counts only when the secretariat or the program's lead agency enrols; "
            "it was not used.",
        ),
    ]
    with pytest.raises(PermissionDenied):
        enrol(program, path, operator)
    assert not Enrollment.objects.exists()


def test_a_reason_does_not_set_aside_the_village_rule(tmp_path, program, secretariat):
    resident(1, BATULICIN)
    path = niks_file(tmp_path, [(nik(serial=1), "dekat")], header=("NIK", "Alasan"))

    report = enrol(program, path, secretariat)

    [(_row, _column, message)] = problems(report)
    assert message == (
        f"lives in Wilayah {BATULICIN}, which is not a target village of this program."
    )


def test_a_second_member_of_a_household_names_the_row_of_the_first(tmp_path, program, secretariat):
    head = resident(1)
    resident(2, household=head.household)
    path = niks_file(tmp_path, [nik(serial=1), nik(serial=2)])

    report = enrol(program, path, secretariat)

    assert problems(report) == [
        (
            3,
            "NIK",
            "another member of the same household is in row 2, and the program takes one "
            "per household.",
        )
    ]
    assert report.enrolled == 1


def test_a_member_of_a_household_already_in_the_program_is_refused(tmp_path, program, secretariat):
    head = resident(1)
    EnrollmentFactory(program=program, person=head)
    resident(2, household=head.household)
    path = niks_file(tmp_path, [nik(serial=2)])

    report = enrol(program, path, secretariat)

    [(_row, _column, message)] = problems(report)
    assert message.startswith("another member of the same household is already a participant")


def test_a_full_quota_names_the_village(tmp_path, program, secretariat):
    resident(1, TARJUN)
    resident(2, TARJUN)
    path = niks_file(tmp_path, [nik(serial=1), nik(serial=2)])

    report = enrol(program, path, secretariat)

    assert problems(report) == [(3, "NIK", "the quota of Tarjun (1) is full.")]
    assert Enrollment.objects.get().person.nik == nik(serial=1)


def test_places_already_taken_count_against_the_quota(tmp_path, program, secretariat):
    EnrollmentFactory(program=program, person=resident(1, TARJUN))
    resident(2, TARJUN)
    path = niks_file(tmp_path, [nik(serial=2)])

    report = enrol(program, path, secretariat)

    assert problems(report) == [(2, "NIK", "the quota of Tarjun (1) is full.")]


def test_the_same_nik_twice_names_the_first_row(tmp_path, program, secretariat):
    resident(1)
    path = niks_file(tmp_path, [nik(serial=1), "", nik(serial=1)])

    report = enrol(program, path, secretariat)

    assert problems(report) == [
        (4, "NIK", f"{nik(serial=1)} already appears in row 2; only that row counts")
    ]
    assert report.enrolled == 1


def test_someone_already_enrolled_is_counted_not_refused(tmp_path, program, secretariat):
    EnrollmentFactory(program=program, person=resident(1))
    resident(2)
    path = niks_file(tmp_path, [nik(serial=1), nik(serial=2)])

    report = enrol(program, path, secretariat)

    assert (report.rows, report.enrolled, report.already_enrolled) == (2, 1, 1)
    assert not report.errors
    assert Enrollment.objects.filter(program=program).count() == 2


def test_a_person_in_another_running_program_is_a_warning(tmp_path, program, secretariat):
    person = resident(1)
    EnrollmentFactory(program=ProgramFactory(code="PKH-2025"), person=person)
    EnrollmentFactory(
        program=ProgramFactory(code="LAMA-2023", status=ProgramStatus.FINISHED), person=person
    )
    path = niks_file(tmp_path, [person.nik])

    report = enrol(program, path, secretariat)

    assert report.enrolled == 1
    assert [(r, c, str(m)) for r, c, m in report.warnings] == [
        (2, "NIK", "also takes part in Program PKH-2025, which is running.")
    ]


def test_valid_rows_are_enrolled_although_others_are_refused(tmp_path, program, secretariat):
    resident(1)
    resident(2, desil=9)
    resident(3)
    path = niks_file(tmp_path, [nik(serial=1), nik(serial=2), nik(serial=3)])

    report = enrol(program, path, secretariat)

    assert (report.enrolled, report.rejected, report.errors.count) == (2, 1, 1)
    assert Enrollment.objects.count() == 2


def test_nobody_is_enrolled_when_a_place_was_taken_while_the_file_was_checked(
    tmp_path, program, secretariat, monkeypatch
):
    resident(1, TARJUN)
    resident(2)
    path = niks_file(tmp_path, [nik(serial=1), nik(serial=2)])
    check = enrollment_files._Rows.check

    def check_then_someone_else_enrols(rows, batch):
        check(rows, batch)
        EnrollmentFactory(program=program, person=resident(3, TARJUN))

    monkeypatch.setattr(enrollment_files._Rows, "check", check_then_someone_else_enrols)

    with pytest.raises(EnrollmentFileError) as refused:
        enrol(program, path, secretariat)

    assert "others were enrolled in Tarjun: 1 of its 1 places are taken now" in str(refused.value)
    assert Enrollment.objects.count() == 1  # the other clerk's only


def test_nobody_is_enrolled_when_the_write_fails(tmp_path, program, secretariat, monkeypatch):
    resident(1)
    resident(2)
    path = niks_file(tmp_path, [nik(serial=1), nik(serial=2)])

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(enrollment_files.EnrollmentEvent.objects, "bulk_create", fail)

    with pytest.raises(RuntimeError):
        enrol(program, path, secretariat)

    assert not Enrollment.objects.exists()


def test_a_dry_run_counts_but_writes_nothing(tmp_path, program, secretariat):
    resident(1)
    resident(2, desil=8)
    path = niks_file(tmp_path, [nik(serial=1), nik(serial=2)])

    report = enrol(program, path, secretariat, dry_run=True)

    assert (report.enrolled, report.errors.count) == (1, 1)
    assert not Enrollment.objects.exists()
    assert not EnrollmentEvent.objects.exists()


def test_a_program_that_takes_nobody_refuses_the_file(tmp_path, program, secretariat):
    program.status = ProgramStatus.FINISHED
    program.save()
    path = niks_file(tmp_path, [nik(serial=1)])

    with pytest.raises(EnrollmentFileError, match="takes no new participants"):
        enrol(program, path, secretariat)


def test_a_file_without_a_nik_column_is_refused(tmp_path, program, secretariat):
    path = niks_file(tmp_path, ["Budi"], header=("Nama",))

    with pytest.raises(EnrollmentFileError, match="No header row with the columns NIK"):
        enrol(program, path, secretariat)


def test_the_json_is_the_command_contract(tmp_path, program, secretariat):
    resident(1)
    path = niks_file(tmp_path, [nik(serial=1), nik(serial=9)])
    report = enrol(program, path, secretariat, dry_run=True)
    out = io.StringIO()

    report.write_json(out.write)

    data = json.loads(out.getvalue())
    assert data == {
        "rows": 2,
        "enrolled": 1,
        "already_enrolled": 0,
        "error_count": 1,
        "warning_count": 0,
        "errors": [
            {"row": 3, "column": "NIK", "message": f"{nik(serial=9)} is not in the register."}
        ],
        "warnings": [],
    }


def test_the_error_report_shows_refused_rows_as_they_were_in_row_order(
    tmp_path, program, secretariat
):
    resident(1)
    resident(2, desil=9)
    path = niks_file(
        tmp_path,
        [(nik(serial=2), "Siti"), ("123", "Budi"), (nik(serial=1), "Ani"), (nik(serial=9), "Joko")],
        header=("NIK", "Nama"),
    )
    report = enrol(program, path, secretariat, dry_run=True)
    stream = io.BytesIO()

    write_error_report(report, stream)

    sheet = load_workbook(stream).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Row", "NIK", "Nama", "Reason"]
    assert [(row[0], row[1], row[2]) for row in rows[1:]] == [
        (2, nik(serial=2), "Siti"),
        (3, "123", "Budi"),
        (5, nik(serial=9), "Joko"),
    ]
    assert "desil 9" in rows[1][3] and "is not in the register" in rows[3][3]
    assert Person.objects.count() == 2
