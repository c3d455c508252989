import datetime

import pytest

from households.models import Person
from tests.factories import (
    AreaFactory,
    HouseholdFactory,
    PersonFactory,
    ProgramFactory,
    VillageQuotaFactory,
)
from tkpk.models import Role

LANGADAI = "63.02.17.2003"
TARJUN = "63.02.17.2002"
TODAY = datetime.date(2025, 10, 6)


@pytest.fixture
def kotabaru(db, other_agency):
    """The Kotabaru program: desil 1–4, aged 18–59, one per household, two villages."""
    program = ProgramFactory(
        code="KTB-WMP-2025",
        name="Pemberdayaan Warga Miskin Produktif",
        lead_agency=other_agency,
        max_desil=4,
        min_age=18,
        max_age=59,
        one_per_household=True,
    )
    VillageQuotaFactory(
        program=program, village=AreaFactory(code=LANGADAI, name="Langadai"), quota=4
    )
    VillageQuotaFactory(program=program, village=AreaFactory(code=TARJUN, name="Tarjun"), quota=1)
    return program


@pytest.fixture
def lead_operator(kotabaru):
    from tests.factories import UserFactory

    return UserFactory(username="opd.disnakertrans", role=Role.AGENCY, agency=kotabaru.lead_agency)


def resident(
    village: str = LANGADAI, *, desil: int | None = 2, born=datetime.date(1990, 1, 1), **kwargs
) -> Person:
    """A person in their own household of `village` with the household's latest desil."""
    household = HouseholdFactory(
        village=AreaFactory(code=village), desil=desil, desil_period="2025-Q3"
    )
    return PersonFactory(household=household, birth_date=born, **kwargs)


@pytest.fixture
def verified_plan(users, agency):
    """`agency`'s verified plan of 2026: training that adds up (25 people a quarter, Rp 100
    million, pillar 2) and food-aid coverage in % that does not (60, 70, 80, 90; pillar 1)."""
    from programs.plan_services import plan_create, plan_review, plan_submit
    from tests.factories import ActivityFactory, PillarFactory

    operator = users[Role.AGENCY]
    plan = plan_create(agency=agency, year=2026, by=operator)
    ActivityFactory(plan=plan, name="Pelatihan menjahit", updated_by=operator)
    ActivityFactory(
        plan=plan,
        name="Cakupan bantuan pangan",
        pillar=PillarFactory(order=1),
        indicator="Keluarga desil 1 menerima bantuan",
        unit="%",
        adds_up=False,
        target=90,
        target_q1=60,
        target_q2=70,
        target_q3=80,
        target_q4=90,
        budget=0,
        updated_by=operator,
    )
    plan = plan_submit(plan=plan, version=plan.version, by=operator)
    plan = plan_review(plan=plan, version=plan.version, verified=True, by=users[Role.SECRETARIAT])
    # Verified in January, as plans are: its reports are due on the year's deadlines.
    plan.first_verified_on = datetime.date(2026, 1, 20)
    plan.save(update_fields=["first_verified_on"])
    return plan


@pytest.fixture
def operator(users):
    return users[Role.AGENCY]


@pytest.fixture
def secretariat(users):
    return users[Role.SECRETARIAT]


@pytest.fixture
def other_operator(other_agency):
    from tests.factories import UserFactory

    return UserFactory(username="opd.lain", role=Role.AGENCY, agency=other_agency)


@pytest.fixture
def draft_plan(operator, agency):
    """`agency`'s draft 2026 plan with one training activity."""
    from programs.plan_services import plan_create
    from tests.factories import ActivityFactory

    plan = plan_create(agency=agency, year=2026, by=operator)
    ActivityFactory(plan=plan, name="Pelatihan menjahit", updated_by=operator)
    return plan
