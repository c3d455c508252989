import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from households.models import Area, Household, Person
from programs.models import (
    Enrollment,
    EnrollmentEvent,
    EnrollmentStatus,
    ExitReason,
    IncomeRecord,
    Program,
    ProgramStatus,
)
from programs.services import EnrollmentRefused, program_enroll
from tkpk.demo import DEMO_DTSEN, DEMO_PASSWORD, DEMO_PEOPLE, DEMO_UPLOAD
from tkpk.models import Agency, Role, User

pytestmark = pytest.mark.django_db


def seed(**kwargs):
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def test_demo_has_one_user_per_role_and_the_seed_agencies(settings):
    settings.DEBUG = True
    output = seed()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert (
        Agency.objects.filter(
            acronym__in=["Dinsos P3AP2KB", "DisperkimLH", "Bappedalitbang"]
        ).count()
        == 3
    )
    assert Agency.objects.count() == 16
    assert Area.objects.get(code="63.02.17.2003").name == "Langadai"
    assert Area.objects.get(code="63.02.22.2005").name == "Tirawan"
    for user in User.objects.all():
        assert user.username in output
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="opd.dinsos").agency.acronym == "Dinsos P3AP2KB"
    assert User.objects.get(username="mitra").partner.name == "PT Arutmin Indonesia NPLCT"


def test_demo_is_idempotent(settings):
    settings.DEBUG = True
    seed()
    models = (Area, Agency, User, Program, Enrollment, EnrollmentEvent, IncomeRecord)
    counts = [model.objects.count() for model in models]
    seed()
    assert [model.objects.count() for model in models] == counts


def test_demo_refuses_production_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert not User.objects.exists()
    seed(force=True)
    assert User.objects.exists()


def test_demo_loads_a_synthetic_register_once_per_period(settings):
    from households.models import DtsenImport, Household, Person

    settings.DEBUG = True
    seed()
    people = Person.objects.count()
    # Everyone of the committed 2025-Q3 file, and the households of 2025-Q2 that left it.
    assert Person.objects.filter(household__desil_period="2025-Q3").count() == DEMO_PEOPLE
    left = Household.objects.filter(desil_period="2025-Q2")
    assert 1 <= left.count() <= 3
    assert people == DEMO_PEOPLE + Person.objects.filter(household__in=left).count()
    assert Household.objects.filter(village__code__startswith="63.02.").count() > 500
    assert Person.objects.filter(household__village__code="63.02.17.2003").exists()  # Langadai
    seed()
    assert Person.objects.count() == people
    assert sorted(DtsenImport.objects.values_list("period", flat=True)) == ["2025-Q2", "2025-Q3"]


def test_the_example_upload_file_shows_what_real_files_contain(settings):
    from households.dtsen.loading import dtsen_load

    settings.DEBUG = True
    seed()
    report = dtsen_load(path=DEMO_UPLOAD, period="2025-Q4", dry_run=True)
    assert report.header_row == 3  # below two title rows
    assert report.rows == DEMO_PEOPLE
    assert report.people.updated > 0 and report.people.created == 0
    # The next quarter's desil are new desil records, not changed households.
    assert report.households.updated == 0
    assert report.desil_records.created == report.households.unchanged
    columns = {column for _row, column, _message in report.errors}
    assert {"NIK", "Kode Desa", "Tgl Lahir"} <= columns
    assert any(column == "SHDK" for _row, column, _message in report.warnings)


def test_the_committed_demo_register_is_what_the_generator_makes(tmp_path, settings, monkeypatch):
    import tkpk.demo as demo

    settings.DEBUG = True
    seed()
    monkeypatch.setattr(demo, "DEMO_DTSEN", tmp_path / demo.DEMO_DTSEN.name)
    monkeypatch.setattr(demo, "DEMO_UPLOAD", tmp_path / demo.DEMO_UPLOAD.name)
    demo.demo_files_write(demo.demo_villages())
    assert (tmp_path / demo.DEMO_DTSEN.name).read_bytes() == DEMO_DTSEN.read_bytes()


# --- the programs (issue 8) ----------------------------------------------------------

KOTABARU_QUOTAS = {
    "63.02.17.2003": ("Langadai", 4),
    "63.02.17.2006": ("Tegal Rejo", 10),
    "63.02.17.2002": ("Tarjun", 3),
    "63.02.06.2013": ("Sungai Taib", 10),
    "63.02.22.2005": ("Tirawan", 10),
}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    seed()
    return Program.objects.get(code="KTB-WMP-2025")


def test_demo_has_the_kotabaru_program_with_its_five_village_quotas(demo):
    assert demo.pillar.order == 2
    assert demo.lead_agency.acronym == "Disnakertrans"
    assert demo.kind == "empowerment"
    assert (str(demo.start_date), str(demo.end_date)) == ("2025-10-01", "2026-03-31")
    assert (demo.max_desil, demo.min_age, demo.max_age) == (4, 18, 59)
    assert demo.one_per_household
    assert demo.status == ProgramStatus.RUNNING
    assert "warga miskin produktif" in demo.description
    assert set(demo.budget_lines.values_list("source", flat=True)) == {"apbd", "csr"}
    quotas = {q.village_id: (q.village.name, q.quota) for q in demo.quotas.all()}
    assert quotas == KOTABARU_QUOTAS


def holding(program, village):
    return Enrollment.objects.holding_a_place().filter(program=program, village=village).count()


def test_langadai_is_full_and_other_kotabaru_villages_have_places_left(demo):
    assert holding(demo, "63.02.17.2003") == 4
    for village, (_name, quota) in KOTABARU_QUOTAS.items():
        if village != "63.02.17.2003":
            assert 0 < holding(demo, village) < quota
    secretariat = User.objects.get(username="sekretariat")
    eligible = [
        p
        for p in Person.objects.filter(
            household__village="63.02.17.2003", household__desil__lte=4
        ).exclude(household__enrollments__program=demo)
        if 18 <= p.age(on=datetime.date(2026, 11, 1)) <= 59
    ]
    with pytest.raises(EnrollmentRefused, match="Langadai"):
        program_enroll(program=demo, person=eligible[0], by=secretariat)


def test_kotabaru_participants_are_in_every_state_with_their_dated_history(demo):
    enrollments = list(demo.enrollments.prefetch_related("events", "incomes"))
    assert {e.status for e in enrollments} == set(EnrollmentStatus.values)
    for enrollment in enrollments:
        events = list(enrollment.events.all())
        assert events[0].status == EnrollmentStatus.ENROLLED
        assert events[0].on == enrollment.enrolled_on
        assert events[-1].status == enrollment.status
        assert events[-1].on == enrollment.status_changed_on
        if enrollment.status == EnrollmentStatus.EXITED:
            assert enrollment.exit_reason in ExitReason.values
        assert [i.on for i in enrollment.incomes.all()][:1] == [enrollment.enrolled_on]
    reasons = {e.exit_reason for e in enrollments if e.exit_reason}
    assert len(reasons) >= 3
    graduated = [e for e in enrollments if e.status == EnrollmentStatus.GRADUATED]
    assert all(len(e.incomes.all()) == 3 for e in graduated)
    assert all(e.incomes.all()[2].amount > e.incomes.all()[0].amount for e in graduated)


def outcome(enrollment) -> str:
    """The graduation rule of issue 8, spelled out for the test."""
    household = enrollment.household
    latest = max(household.village.households.values_list("desil_period", flat=True), default="")
    if household.desil_period < latest:
        return "left"
    if household.desil_period <= enrollment.desil_period_at_enrollment:
        return "not yet"
    if household.desil > enrollment.desil_at_enrollment:
        return "up"
    if household.desil < enrollment.desil_at_enrollment:
        return "down"
    return "same"


def test_graduation_shows_moved_up_same_down_left_and_not_yet_measured(demo):
    outcomes = [outcome(e) for e in demo.enrollments.select_related("household__village")]
    assert set(outcomes) == {"up", "same", "down", "left", "not yet"}
    graduated = demo.enrollments.filter(status=EnrollmentStatus.GRADUATED)
    assert {outcome(e) for e in graduated} <= {"up", "same"}
    assert outcomes.count("up") >= 5


def test_demo_programs_overlap_and_leave_eligible_households_unreached(demo):
    from django.db.models import Count

    others = Program.objects.exclude(pk=demo.pk)
    assert {(p.pillar.order, p.lead_agency.acronym) for p in others} == {
        (1, "Dinsos P3AP2KB"),
        (2, "DKUMPP"),
    }
    food_aid = others.get(pillar__order=1)
    assert not food_aid.quotas.exists()  # the whole region
    assert food_aid.enrollments.values("village").distinct().count() > 20
    training = others.get(pillar__order=2)
    assert set(training.quotas.values_list("village", flat=True)) & set(KOTABARU_QUOTAS)
    programs_per_person = Counter(
        Enrollment.objects.values("person").annotate(n=Count("program")).values_list("n", flat=True)
    )
    assert programs_per_person[2] >= 3 and programs_per_person[3] >= 2
    unreached = Household.objects.filter(village__code__startswith="63.02.", desil__lte=4).exclude(
        enrollments__isnull=False
    )
    assert unreached.count() > 100


def test_the_secretariat_sees_the_kotabaru_program_page(demo, client):
    client.force_login(User.objects.get(username="sekretariat"))
    response = client.get(reverse("programs:program_detail", kwargs={"code": demo.code}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pemberdayaan Warga Miskin Produktif" in page
    assert "KTB-WMP-2025" in page
