"""`manage.py enrol PROGRAM_CODE PATH`: the contract scripts and the benchmark rely on.

`--json` prints one object; exit status 0 when the file was read (whatever its rows), 2
with one line on stderr when it was not; `--dry-run` enrols nobody.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from programs.models import Enrollment, ProgramStatus
from tests.factories import (
    AreaFactory,
    EnrollmentFactory,
    HouseholdFactory,
    PersonFactory,
    ProgramFactory,
    VillageQuotaFactory,
)
from tests.households.dtsen_files import nik, write_csv, write_pdf_as_xlsx
from tkpk.models import Role

pytestmark = pytest.mark.django_db

LANGADAI = "63.02.17.2003"
CONTRACT = {
    "rows",
    "enrolled",
    "already_enrolled",
    "error_count",
    "warning_count",
    "errors",
    "warnings",
}


@pytest.fixture(autouse=True)
def _english(_default_language):
    with translation.override("en"):
        yield


@pytest.fixture
def program(other_agency):
    program = ProgramFactory(code="KTB-WMP-2025", lead_agency=other_agency, max_desil=4)
    VillageQuotaFactory(
        program=program, village=AreaFactory(code=LANGADAI, name="Langadai"), quota=5
    )
    return program


@pytest.fixture
def admin(users):
    return users[Role.ADMIN]


def resident(serial: int, *, desil: int = 2):
    household = HouseholdFactory(village=AreaFactory(code=LANGADAI), desil=desil)
    return PersonFactory(nik=nik(serial=serial), household=household)


@pytest.fixture
def mixed_file(tmp_path, program):
    """Row 2 valid, row 3 already enrolled, row 4 desil too high, row 5 in another program."""
    resident(1)
    EnrollmentFactory(program=program, person=resident(2))
    resident(3, desil=8)
    EnrollmentFactory(program=ProgramFactory(code="PKH-2025"), person=resident(4))
    lines = [["NIK", "Nama"], *([nik(serial=n), f"WARGA {n}"] for n in range(1, 5))]
    return write_csv(tmp_path, lines)


def run(*args) -> str:
    out = StringIO()
    call_command("enrol", *(str(arg) for arg in args), stdout=out, stderr=StringIO())
    return out.getvalue()


def run_json(*args) -> dict:
    out = run(*args, "--json")
    assert out.count("\n") <= 1, "one JSON object, on one line"
    return json.loads(out)


def refused(*args) -> str:
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert message.strip() and "\n" not in message
    return message


def test_json_prints_one_object_with_the_contract_keys(mixed_file, admin):
    data = run_json("KTB-WMP-2025", mixed_file)

    assert set(data) == CONTRACT
    assert {k: data[k] for k in ("rows", "enrolled", "already_enrolled")} == {
        "rows": 4,
        "enrolled": 2,
        "already_enrolled": 1,
    }
    assert (data["error_count"], data["warning_count"]) == (1, 1)
    assert data["errors"] == [
        {"row": 4, "column": "NIK", "message": "desil 8 is above the program's limit of 4."}
    ]
    assert data["warnings"] == [
        {
            "row": 5,
            "column": "NIK",
            "message": "also takes part in Program PKH-2025, which is running.",
        }
    ]
    assert Enrollment.objects.filter(program__code="KTB-WMP-2025").count() == 3


def test_enrolments_are_recorded_as_the_first_administrator_unless_by_names_a_user(
    tmp_path, program, admin
):
    resident(1)
    resident(2)
    run("KTB-WMP-2025", write_csv(tmp_path, [["NIK"], [nik(serial=1)]], name="a.csv"))
    run(
        "KTB-WMP-2025",
        write_csv(tmp_path, [["NIK"], [nik(serial=2)]], name="b.csv"),
        "--by",
        "sekretariat",
    )

    by = dict(Enrollment.objects.values_list("person__nik", "created_by__username"))
    assert by == {nik(serial=1): "admin", nik(serial=2): "sekretariat"}


def test_dry_run_enrols_nobody_and_says_so(mixed_file, admin):
    out = run("KTB-WMP-2025", mixed_file, "--dry-run")

    assert "4 rows read (header in row 1)" in out
    assert "row 4, NIK: desil 8 is above the program's limit of 4." in out
    assert "Dry run: nobody was enrolled." in out
    assert Enrollment.objects.filter(program__code="KTB-WMP-2025").count() == 1


def test_dry_run_json_counts_who_would_be_enrolled(mixed_file, admin):
    data = run_json("KTB-WMP-2025", mixed_file, "--dry-run")

    assert data["enrolled"] == 2
    assert Enrollment.objects.filter(program__code="KTB-WMP-2025").count() == 1


def test_a_file_whose_rows_all_fail_still_exits_0(tmp_path, program, admin):
    data = run_json("KTB-WMP-2025", write_csv(tmp_path, [["NIK"], [nik(serial=7)]]))

    assert (data["enrolled"], data["error_count"]) == (0, 1)


def test_a_file_that_cannot_be_read_exits_2_with_one_line(tmp_path, program, admin):
    message = refused("KTB-WMP-2025", write_pdf_as_xlsx(tmp_path))

    assert message.startswith("dtsen.xlsx: ") and message.endswith("Nobody was enrolled.")


def test_a_missing_file_or_program_exits_2(tmp_path, program, admin):
    assert "no such file" in refused("KTB-WMP-2025", tmp_path / "none.csv")
    path = write_csv(tmp_path, [["NIK"], [nik(serial=1)]])
    assert "KTB-X: no such program." in refused("KTB-X", path)


def test_a_closed_program_exits_2(tmp_path, program, admin):
    program.status = ProgramStatus.FINISHED
    program.save()

    message = refused("KTB-WMP-2025", write_csv(tmp_path, [["NIK"], [nik(serial=1)]]))

    assert "takes no new participants" in message


def test_a_user_who_may_not_manage_the_program_exits_2(tmp_path, program, users):
    message = refused(
        "KTB-WMP-2025", write_csv(tmp_path, [["NIK"], [nik(serial=1)]]), "--by", "opd"
    )

    assert message == "opd may not enrol participants in KTB-WMP-2025."


def test_without_any_administrator_the_command_asks_for_a_user(tmp_path, program):
    message = refused("KTB-WMP-2025", write_csv(tmp_path, [["NIK"], [nik(serial=1)]]))

    assert "--by" in message
