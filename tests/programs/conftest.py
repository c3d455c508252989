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
