"""A small hand-built region whose every dashboard figure is known by hand.

Region 63.02, districts 63.02.17 (villages Langadai 63.02.17.2003 and Bakau 63.02.17.2004)
and 63.02.18 (village Sebelimbingan 63.02.18.2001). Register period 2025-Q3; enrolments
were made in 2025-Q2.

    village  household      desil  members  enrolments (programs of 2026)
    V1       h1             1      2        P1 and P2 (holding a place; same desil: measured)
    V1       h2             3      1        —                (poor, excluded)
    V1       h3             7      1        —
    V1       h4             none   1        —
    V2       h5             2      1        P1 (enrolled at desil 1: moved up)
    V2       h6             4      1        —                (poor, excluded)
    V3       h7             1      1        P2, exited       (poor, excluded; not measured)

P1 (pillar 1): quotas V1 5, V2 3, desil 1–4. P2 (pillar 2): the whole region, any desil.
"""

import datetime
from dataclasses import dataclass

import pytest

from programs.models import EnrollmentStatus, ExitReason
from tests.factories import (
    AreaFactory,
    EnrollmentFactory,
    HouseholdFactory,
    PersonFactory,
    PillarFactory,
    ProgramFactory,
    VillageQuotaFactory,
)

# An agency's verified plan of 2026, for the agencies × quarters panel.
from tests.programs.conftest import verified_plan  # noqa: F401

YEAR = 2026


@dataclass
class Register:
    v1: object
    v2: object
    v3: object
    households: dict
    people: dict
    p1: object
    p2: object


@pytest.fixture
def register(db, users):
    v1 = AreaFactory(code="63.02.17.2003", name="Langadai")
    v2 = AreaFactory(code="63.02.17.2004", name="Bakau")
    v3 = AreaFactory(code="63.02.18.2001", name="Sebelimbingan")
    AreaFactory(code="63.02", name="Kotabaru")
    layout = {
        "h1": (v1, 1, 2),
        "h2": (v1, 3, 1),
        "h3": (v1, 7, 1),
        "h4": (v1, None, 1),
        "h5": (v2, 2, 1),
        "h6": (v2, 4, 1),
        "h7": (v3, 1, 1),
    }
    households, people = {}, {}
    for name, (village, desil, members) in layout.items():
        household = HouseholdFactory(
            village=village, desil=desil, desil_period="2025-Q3" if desil else ""
        )
        households[name] = household
        people[name] = [PersonFactory(household=household) for _ in range(members)]
    one = PillarFactory(order=1, short_name="Beban", name="Pengurangan beban pengeluaran")
    two = PillarFactory(order=2, short_name="Pendapatan", name="Peningkatan pendapatan")
    p1 = ProgramFactory(code="P1", pillar=one, max_desil=4)
    VillageQuotaFactory(program=p1, village=v1, quota=5)
    VillageQuotaFactory(program=p1, village=v2, quota=3)
    p2 = ProgramFactory(
        code="P2",
        pillar=two,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    made = datetime.date(2025, 6, 1)

    def enrol(program, name, desil_then, **fields):
        return EnrollmentFactory(
            program=program,
            person=people[name][0],
            desil_at_enrollment=desil_then,
            desil_period_at_enrollment="2025-Q2",
            enrolled_on=made,
            **fields,
        )

    enrol(p1, "h1", 1)
    enrol(p2, "h1", 1)
    enrol(p1, "h5", 1)
    EnrollmentFactory(
        program=p2,
        person=people["h7"][0],
        desil_at_enrollment=1,
        desil_period_at_enrollment="2025-Q3",
        enrolled_on=made,
        status=EnrollmentStatus.EXITED,
        exit_reason=ExitReason.choices[0][0],
    )
    return Register(v1, v2, v3, households, people, p1, p2)
