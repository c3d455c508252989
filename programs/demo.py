"""The demo's programs: the Kotabaru scene (KTB-WMP-2025) and two programs that overlap it.

Graduation compares a household's desil at enrolment with its latest DTSEN desil, so the
demo register comes in two periods: a 2025-Q2 version, generated here from the committed
2025-Q3 file, then that file itself. Participants enrolled between the two loads stand on
their 2025-Q2 desil; chosen households have another desil in 2025-Q2, so against 2025-Q3
some move up, some stay and some move down; a few households are in 2025-Q2 only (they
left the register); people enrolled after 2025-Q3 arrives have nothing newer yet.

Everything is planned from the 2025-Q3 file alone (deterministic) and every enrolment,
status change and income goes through programs.services, dated, as a user's would.
"""

import csv
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from django.db import transaction

from households.models import Area, Person
from households.models.register import PRODUCTIVE_AGE
from households.synthetic import DTSEN_COLUMNS, write_csv
from programs.models import (
    BudgetLine,
    Enrollment,
    EnrollmentEvent,
    EnrollmentStatus,
    ExitReason,
    FundingSource,
    Pillar,
    Program,
    ProgramKind,
    ProgramStatus,
    VillageQuota,
)
from programs.services import (
    EnrollmentRefused,
    enrollment_status_change,
    income_record,
    program_enroll,
)
from tkpk.models import Agency, User

D = datetime.date
EARLIER_PERIOD = "2025-Q2"
# The day the 2025-Q3 register reaches the secretariat in the demo's story: who is
# enrolled before it stands on a 2025-Q2 desil, who is enrolled after on a 2025-Q3 one.
LATER_REGISTER_ARRIVES = D(2025, 12, 15)
MID_PROGRAM = D(2026, 1, 15)  # when empowerment programs ask participants' income again

LANGADAI, TEGAL_REJO, TARJUN = "63.02.17.2003", "63.02.17.2006", "63.02.17.2002"
SUNGAI_TAIB, TIRAWAN, STAGEN = "63.02.06.2013", "63.02.22.2005", "63.02.06.2011"

ENROLLED, ACTIVE = EnrollmentStatus.ENROLLED, EnrollmentStatus.ACTIVE
GRADUATED, EXITED = EnrollmentStatus.GRADUATED, EnrollmentStatus.EXITED


class Fate(StrEnum):
    """How the participant's household goes from 2025-Q2 to 2025-Q3 in the register."""

    UP = "up"  # a higher desil in 2025-Q3: better off
    SAME = "same"
    DOWN = "down"
    LEFT = "left"  # in 2025-Q2 only
    LATE = "late"  # enrolled after 2025-Q3 arrived: nothing newer to compare with


@dataclass(frozen=True)
class Story:
    """One participant: where they live, what happens to their household and to them."""

    key: str  # names the person for another program's story (`same_as`)
    village: str
    fate: Fate
    status: str  # where the participant ends up
    enrolled_on: datetime.date
    exit_reason: str = ""
    exited_on: datetime.date | None = None
    same_as: str = ""  # the same person as this story of an earlier program


@dataclass(frozen=True)
class DemoProgram:
    code: str
    name: str
    pillar_order: int
    lead: str  # agency acronym
    agencies: tuple[str, ...]
    kind: str
    start: datetime.date
    end: datetime.date
    graduates_on: datetime.date
    description: str
    budget: tuple[tuple[str, int, str], ...]
    by: str  # the username who enrols and updates
    stories: tuple[Story, ...]
    quotas: tuple[tuple[str, int], ...] = ()
    max_desil: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    productive_age_only: bool = False
    one_per_household: bool = False
    records_income: bool = False

    def steps(self, story: Story) -> list[tuple[str, datetime.date]]:
        """The statuses the participant passes through after enrolment, dated."""
        start = story.enrolled_on
        if story.status == ENROLLED:
            return []
        if story.status == EXITED and story.exit_reason == ExitReason.REFUSED:
            return [(EXITED, start + datetime.timedelta(days=7))]
        steps = [(ACTIVE, start + datetime.timedelta(days=14))]
        if story.status == GRADUATED:
            steps.append((GRADUATED, self.graduates_on))
        elif story.status == EXITED:
            steps.append((EXITED, story.exited_on or start + datetime.timedelta(days=45)))
        return steps


def _s(key, village, fate, status, on, reason="", exited_on=None, same_as="") -> Story:
    return Story(key, village, fate, status, on, reason, exited_on, same_as)


def _oct(day: int) -> datetime.date:
    return D(2025, 10, day)


LATE_ON = D(2026, 1, 12)

KOTABARU = DemoProgram(
    code="KTB-WMP-2025",
    name="Pemberdayaan Warga Miskin Produktif",
    pillar_order=2,
    lead="Disnakertrans",
    agencies=("DKUMPP", "DPMD"),
    kind=ProgramKind.EMPOWERMENT,
    start=D(2025, 10, 1),
    end=D(2026, 3, 31),
    graduates_on=D(2026, 3, 31),
    description=(
        "Program enam bulan bagi warga miskin produktif (desil 1–4, usia 18–59 tahun, satu "
        "orang per keluarga) di lima desa: pelatihan keterampilan kerja, pendampingan dan "
        "bantuan modal usaha. Peserta dipilih dari DTSEN. Enam perusahaan, satu bank daerah "
        "(BUMD) dan satu BUMDes menandatangani komitmen bersama. Berhasil bila peserta "
        "tidak lagi miskin ketika program berakhir."
    ),
    budget=(
        (FundingSource.APBD, 555_000_000, "Pelatihan, pendampingan dan modal usaha"),
        (FundingSource.CSR, 185_000_000, "Komitmen bersama mitra CSR, bank daerah, BUMDes"),
    ),
    by="opd.disnakertrans",
    quotas=((LANGADAI, 4), (TEGAL_REJO, 10), (TARJUN, 3), (SUNGAI_TAIB, 10), (TIRAWAN, 10)),
    max_desil=4,
    min_age=18,
    max_age=59,
    one_per_household=True,
    records_income=True,
    stories=(
        # Langadai: four places, all taken once a replacement fills the place of who moved.
        _s("LGD-1", LANGADAI, Fate.UP, GRADUATED, _oct(1)),
        _s("LGD-2", LANGADAI, Fate.SAME, ACTIVE, _oct(1)),
        _s("LGD-3", LANGADAI, Fate.DOWN, ACTIVE, _oct(2)),
        _s("LGD-4", LANGADAI, Fate.SAME, EXITED, _oct(2), ExitReason.MOVED),
        _s("LGD-5", LANGADAI, Fate.SAME, ENROLLED, D(2025, 11, 20)),
        # Tegal Rejo: eight of ten places.
        _s("TGR-1", TEGAL_REJO, Fate.UP, GRADUATED, _oct(3)),
        _s("TGR-2", TEGAL_REJO, Fate.UP, GRADUATED, _oct(3)),
        _s("TGR-3", TEGAL_REJO, Fate.SAME, GRADUATED, _oct(3)),
        _s("TGR-4", TEGAL_REJO, Fate.SAME, ACTIVE, _oct(6)),
        _s("TGR-5", TEGAL_REJO, Fate.DOWN, ACTIVE, _oct(6)),
        _s("TGR-6", TEGAL_REJO, Fate.LEFT, ACTIVE, _oct(6)),
        _s("TGR-7", TEGAL_REJO, Fate.SAME, EXITED, _oct(7), ExitReason.REFUSED),
        _s("TGR-8", TEGAL_REJO, Fate.SAME, ACTIVE, _oct(7)),
        _s("TGR-9", TEGAL_REJO, Fate.LATE, ENROLLED, LATE_ON),
        # Tarjun: two of three.
        _s("TRJ-1", TARJUN, Fate.UP, GRADUATED, _oct(8)),
        _s("TRJ-2", TARJUN, Fate.DOWN, ACTIVE, _oct(8)),
        # Sungai Taib: seven of ten.
        _s("SGT-1", SUNGAI_TAIB, Fate.UP, GRADUATED, _oct(9)),
        _s("SGT-2", SUNGAI_TAIB, Fate.SAME, GRADUATED, _oct(9)),
        _s("SGT-3", SUNGAI_TAIB, Fate.SAME, ACTIVE, _oct(9)),
        _s("SGT-4", SUNGAI_TAIB, Fate.UP, ACTIVE, _oct(10)),
        _s("SGT-5", SUNGAI_TAIB, Fate.DOWN, ACTIVE, _oct(10)),
        # Above desil 4 in 2025-Q3: no longer eligible, seen once the new register came.
        _s("SGT-6", SUNGAI_TAIB, Fate.UP, EXITED, _oct(10), ExitReason.NOT_ELIGIBLE, D(2026, 1, 5)),
        _s("SGT-7", SUNGAI_TAIB, Fate.SAME, ACTIVE, _oct(13)),
        _s("SGT-8", SUNGAI_TAIB, Fate.LATE, ENROLLED, LATE_ON),
        # Tirawan: five of ten.
        _s("TRW-1", TIRAWAN, Fate.UP, GRADUATED, _oct(14)),
        _s("TRW-2", TIRAWAN, Fate.SAME, ACTIVE, _oct(14)),
        _s("TRW-3", TIRAWAN, Fate.DOWN, ACTIVE, _oct(14)),
        _s("TRW-4", TIRAWAN, Fate.SAME, EXITED, _oct(15), ExitReason.DIED),
        _s("TRW-5", TIRAWAN, Fate.LEFT, EXITED, _oct(15), ExitReason.MOVED),
        _s("TRW-6", TIRAWAN, Fate.SAME, ENROLLED, _oct(15)),
        _s("TRW-7", TIRAWAN, Fate.LATE, ACTIVE, LATE_ON),
    ),
)

# Food aid for the whole region: one household member each, some of them also in the
# Kotabaru program; the others one household in every village.
FOOD_AID_STATUSES = (ACTIVE, ACTIVE, ACTIVE, ENROLLED, ACTIVE, EXITED, ACTIVE, ACTIVE)
FOOD_AID_EXITS = (ExitReason.MOVED, ExitReason.DIED, ExitReason.OTHER)
FOOD_AID_OVERLAP = (
    _s(
        "BPD-K1",
        LANGADAI,
        Fate.UP,
        EXITED,
        D(2025, 7, 7),
        ExitReason.NOT_ELIGIBLE,
        D(2026, 1, 5),
        same_as="LGD-1",
    ),
    _s("BPD-K2", TEGAL_REJO, Fate.UP, GRADUATED, D(2025, 7, 7), same_as="TGR-1"),
    _s("BPD-K3", TEGAL_REJO, Fate.SAME, ACTIVE, D(2025, 7, 8), same_as="TGR-3"),
    _s("BPD-K4", TARJUN, Fate.DOWN, ACTIVE, D(2025, 7, 8), same_as="TRJ-2"),
    _s("BPD-K5", SUNGAI_TAIB, Fate.SAME, ACTIVE, D(2025, 7, 9), same_as="SGT-2"),
    _s("BPD-K6", SUNGAI_TAIB, Fate.DOWN, ACTIVE, D(2025, 7, 9), same_as="SGT-5"),
    _s("BPD-K7", TIRAWAN, Fate.SAME, ACTIVE, D(2025, 7, 10), same_as="TRW-2"),
)

FOOD_AID = DemoProgram(
    code="KTB-BPD-2025",
    name="Bantuan Pangan Daerah bagi Keluarga Desil 1–4",
    pillar_order=1,
    lead="Dinsos P3AP2KB",
    agencies=("DKPP",),
    kind=ProgramKind.SOCIAL_ASSISTANCE,
    start=D(2025, 7, 1),
    end=D(2026, 12, 31),
    graduates_on=D(2026, 6, 30),
    description=(
        "Paket bahan pangan bulanan bagi keluarga desil 1–4 DTSEN di seluruh Kabupaten "
        "Kotabaru yang belum menerima bantuan pangan pusat; satu penerima per keluarga."
    ),
    budget=((FundingSource.APBD, 1_240_000_000, "Paket pangan 18 bulan"),),
    by="opd.dinsos",
    max_desil=4,
    one_per_household=True,
    stories=FOOD_AID_OVERLAP,  # the village-by-village ones are added by the plan
)

MICRO_BUSINESS = DemoProgram(
    code="KTB-PUM-2025",
    name="Pelatihan dan Modal Usaha Mikro",
    pillar_order=2,
    lead="DKUMPP",
    agencies=("Disnakertrans",),
    kind=ProgramKind.EMPOWERMENT,
    start=D(2025, 11, 1),
    end=D(2026, 4, 30),
    graduates_on=D(2026, 4, 30),
    description=(
        "Pelatihan pengolahan hasil perikanan dan pertanian, pemasaran daring dan bantuan "
        "peralatan usaha bagi warga usia produktif desil 1–5 di tiga desa."
    ),
    budget=(
        (FundingSource.APBD, 210_000_000, "Pelatihan dan peralatan"),
        (FundingSource.DANA_DESA, 45_000_000, "Tempat usaha bersama"),
    ),
    by="sekretariat",
    quotas=((TEGAL_REJO, 8), (SUNGAI_TAIB, 8), (STAGEN, 6)),
    max_desil=5,
    productive_age_only=True,
    records_income=True,
    stories=(
        # In three programs (with food aid), in two, and new people.
        _s("PUM-1", TEGAL_REJO, Fate.UP, GRADUATED, D(2025, 11, 3), same_as="TGR-1"),
        _s("PUM-2", SUNGAI_TAIB, Fate.SAME, ACTIVE, D(2025, 11, 3), same_as="SGT-2"),
        _s("PUM-3", TEGAL_REJO, Fate.SAME, ACTIVE, D(2025, 11, 4), same_as="TGR-4"),
        _s(
            "PUM-4",
            SUNGAI_TAIB,
            Fate.SAME,
            EXITED,
            D(2025, 11, 4),
            ExitReason.REFUSED,
            same_as="SGT-3",
        ),
        _s("PUM-5", STAGEN, Fate.UP, GRADUATED, D(2025, 11, 5)),
        _s("PUM-6", STAGEN, Fate.SAME, ACTIVE, D(2025, 11, 5)),
        _s("PUM-7", STAGEN, Fate.DOWN, ACTIVE, D(2025, 11, 5)),
        _s("PUM-8", TEGAL_REJO, Fate.SAME, ACTIVE, D(2025, 11, 6)),
        _s("PUM-9", SUNGAI_TAIB, Fate.UP, ACTIVE, D(2025, 11, 6)),
        _s("PUM-10", STAGEN, Fate.LATE, ACTIVE, D(2026, 1, 19)),
        _s("PUM-11", STAGEN, Fate.LATE, ENROLLED, D(2026, 1, 19)),
    ),
)

DEMO_PROGRAMS = (KOTABARU, FOOD_AID, MICRO_BUSINESS)


# --- the plan, from the 2025-Q3 file alone -----------------------------------------------

_NIK, _KK, _NAME, _SEX, _BORN = range(5)
_VILLAGE = DTSEN_COLUMNS.index("kode_kelurahan_desa")
_DESIL = tuple(
    DTSEN_COLUMNS.index(name)
    for name in ("desil_nasional", "desil_provinsi", "desil_kabupaten_kota")
)


@dataclass
class _Household:
    rows: list[list[str]]

    @property
    def no_kk(self) -> str:
        return self.rows[0][_KK]

    @property
    def village(self) -> str:
        return self.rows[0][_VILLAGE]

    @property
    def desil(self) -> int:
        return int(self.rows[0][_DESIL[0]])


@dataclass
class Plan:
    """Who takes part in what, and how the 2025-Q2 register differs from 2025-Q3."""

    earlier_shift: dict[str, int] = field(default_factory=dict)  # No. KK -> Q2 minus Q3
    earlier_only: list[list[str]] = field(default_factory=list)  # rows of 2025-Q2 only
    participants: list[tuple[DemoProgram, Story, str]] = field(default_factory=list)  # NIK

    def earlier_rows(self, later_rows: list[list[str]]) -> Iterator[tuple[str, ...]]:
        for row in later_rows:
            shift = self.earlier_shift.get(row[_KK], 0)
            if shift:
                row = list(row)
                for column in _DESIL:
                    row[column] = str(min(10, max(1, int(row[column]) + shift)))
            yield tuple(row)
        yield from (tuple(row) for row in self.earlier_only)


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="|")
        next(reader)
        return list(reader)


def plan_make(later_rows: list[list[str]]) -> Plan:
    """Pick each story's person from the 2025-Q3 rows, in file order (so always the same)."""
    households: dict[str, _Household] = {}
    for row in later_rows:
        households.setdefault(row[_KK], _Household([])).rows.append(row)
    picker = _Picker(list(households.values()), later_rows)
    plan = Plan()
    by_key: dict[str, str] = {}
    for program in DEMO_PROGRAMS:
        stories = list(program.stories)
        if program is FOOD_AID:
            stories += _food_aid_villages(picker)
        for story in stories:
            nik = by_key[story.same_as] if story.same_as else picker.pick(program, story, plan)
            if nik is None:
                continue
            by_key[story.key] = nik
            plan.participants.append((program, story, nik))
    return plan


def _food_aid_villages(picker: "_Picker") -> list[Story]:
    stories = []
    villages = sorted({h.village for h in picker.households})
    for index, village in enumerate(villages):
        status = FOOD_AID_STATUSES[index % len(FOOD_AID_STATUSES)]
        reason = FOOD_AID_EXITS[index % len(FOOD_AID_EXITS)] if status == EXITED else ""
        on = D(2025, 7, 14) + datetime.timedelta(days=index // 3)
        stories.append(_s(f"BPD-{index + 1}", village, Fate.SAME, status, on, reason))
    # Three more once 2025-Q3 arrived: nothing to compare with yet.
    for index, village in enumerate(villages[:3]):
        stories.append(_s(f"BPD-L{index + 1}", village, Fate.LATE, ACTIVE, D(2026, 2, 2)))
    return stories


class _Picker:
    """Finds, village by village, an unused household fitting a fate and a member the
    program's age rules admit."""

    def __init__(self, households: list[_Household], rows: list[list[str]]) -> None:
        self.households = households
        self.used: set[str] = set()
        # Names for the households of 2025-Q2 only, from the end of the file.
        self.names = {
            sex: iter([row[_NAME] for row in reversed(rows) if row[_SEX] == sex])
            for sex in ("1", "2")
        }

    def pick(self, program: DemoProgram, story: Story, plan: Plan) -> str | None:
        fits = _FITS[story.fate]
        for household in self.households:
            if household.village != story.village or household.no_kk in self.used:
                continue
            if not fits(household.desil):
                continue
            member = _member(program, household.rows, story.enrolled_on)
            if member is None:
                continue
            self.used.add(household.no_kk)
            if story.fate == Fate.UP:
                plan.earlier_shift[household.no_kk] = -2
            elif story.fate == Fate.DOWN:
                plan.earlier_shift[household.no_kk] = 1
            elif story.fate == Fate.LEFT:
                return self._copy(household, member, plan)
            return member[_NIK]
        return None

    def _copy(self, household: _Household, member: list[str], plan: Plan) -> str:
        """A household like `household` in 2025-Q2 only: other serial numbers, other names."""
        for row in household.rows:
            copy = list(row)
            # Serials 9xxx: the demo's few thousand people use the lowest ones only.
            copy[_NIK] = row[_NIK][:12] + "9" + row[_NIK][13:]
            copy[_KK] = row[_KK][:12] + "9" + row[_KK][13:]
            copy[_NAME] = next(self.names[row[_SEX]])
            plan.earlier_only.append(copy)
        return member[_NIK][:12] + "9" + member[_NIK][13:]


_FITS: dict[Fate, Callable[[int], bool]] = {
    Fate.UP: lambda desil: desil in (5, 6),  # desil 3 or 4 in 2025-Q2
    Fate.SAME: lambda desil: desil <= 4,
    Fate.DOWN: lambda desil: desil <= 3,  # one higher in 2025-Q2
    Fate.LEFT: lambda desil: desil <= 4,
    Fate.LATE: lambda desil: desil <= 4,
}


def _member(program: DemoProgram, rows: list[list[str]], on: datetime.date) -> list[str] | None:
    """The first member (the head first) of an age the program admits on `on`."""
    low, high = program.min_age, program.max_age
    if program.productive_age_only:
        youngest, oldest = PRODUCTIVE_AGE
        low, high = max(low or youngest, youngest), min(high or oldest, oldest)
    for row in rows:
        born = D.fromisoformat(row[_BORN])
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        if (low is None or age >= low) and (high is None or age <= high):
            return row
    return None


def earlier_register_write(path: Path, later_rows: list[list[str]], plan: Plan) -> int:
    return write_csv(path, plan.earlier_rows(later_rows))


# --- writing it, through the services ------------------------------------------------


def programs_before_later_register(plan: Plan) -> None:
    """The programs and what happened to their participants before 2025-Q3 arrived."""
    if Program.objects.filter(code=KOTABARU.code).exists():
        return
    with transaction.atomic():
        for program in DEMO_PROGRAMS:
            _program_write(program)
        _run(plan, lambda on: on < LATER_REGISTER_ARRIVES)


def programs_after_later_register(plan: Plan) -> None:
    """What happened once 2025-Q3 arrived: late enrolments, graduations, exits."""
    codes = [program.code for program in DEMO_PROGRAMS]
    if EnrollmentEvent.objects.filter(
        enrollment__program__code__in=codes, on__gte=LATER_REGISTER_ARRIVES
    ).exists():
        return
    with transaction.atomic():
        _run(plan, lambda on: on >= LATER_REGISTER_ARRIVES)


def _program_write(demo: DemoProgram) -> Program:
    agencies = {
        a.acronym: a for a in Agency.objects.filter(acronym__in=[demo.lead, *demo.agencies])
    }
    program = Program(
        code=demo.code,
        name=demo.name,
        pillar=Pillar.objects.get(order=demo.pillar_order),
        lead_agency=agencies[demo.lead],
        kind=demo.kind,
        start_date=demo.start,
        end_date=demo.end,
        description=demo.description,
        status=ProgramStatus.RUNNING,
        max_desil=demo.max_desil,
        min_age=demo.min_age,
        max_age=demo.max_age,
        productive_age_only=demo.productive_age_only,
        one_per_household=demo.one_per_household,
    )
    program.full_clean()
    program.save()
    program.agencies.set([agencies[acronym] for acronym in demo.agencies])
    for source, amount, note in demo.budget:
        BudgetLine.objects.create(program=program, source=source, amount=amount, note=note)
    villages = Area.objects.in_bulk([code for code, _quota in demo.quotas])
    for code, quota in demo.quotas:
        VillageQuota.objects.create(program=program, village=villages[code], quota=quota)
    return program


def _run(plan: Plan, when: Callable[[datetime.date], bool]) -> None:
    """Do, in date order, the steps of every story that fall in `when`."""
    steps = [step for step in _timeline(plan) if when(step[0])]
    steps.sort(key=lambda step: (step[0], step[1]))
    users = {u.username: u for u in User.objects.filter(username__in=[p.by for p in DEMO_PROGRAMS])}
    programs = {p.code: p for p in Program.objects.filter(code__in=[p.code for p in DEMO_PROGRAMS])}
    for on, _order, demo, nik, action, value in steps:
        program, by = programs[demo.code], users[demo.by]
        if action == "enrol":
            try:
                program_enroll(program=program, person=Person.objects.get(nik=nik), by=by, on=on)
            except EnrollmentRefused:
                # A register loaded by an older demo, without 2025-Q2: not everyone fits.
                continue
            continue
        enrollment = Enrollment.objects.filter(program=program, person__nik=nik).first()
        if enrollment is None:
            continue
        if action == "income":
            income_record(enrollment=enrollment, amount=Decimal(value), by=by, on=on)
        else:
            enrollment_status_change(
                enrollment=enrollment, status=action, by=by, on=on, exit_reason=value
            )


def _timeline(plan: Plan) -> Iterator[tuple]:
    """(date, order, program, NIK, action, value) for every enrolment, status and income."""
    order = 0
    for index, (demo, story, nik) in enumerate(plan.participants):
        steps = [(story.enrolled_on, "enrol", "")]
        steps += [
            (on, status, story.exit_reason if status == EXITED else "")
            for status, on in demo.steps(story)
        ]
        if demo.records_income:
            steps += _incomes(demo, story, index)
        for on, action, value in steps:
            order += 1
            yield on, order, demo, nik, action, value


def _incomes(demo: DemoProgram, story: Story, index: int) -> list[tuple]:
    """Monthly income at enrolment, and again mid-program and at graduation for some."""
    base = 450_000 + 50_000 * (index % 8)
    growth = {Fate.UP: (150, 220), Fate.SAME: (115, 140), Fate.DOWN: (90, 95)}
    mid, end = growth.get(story.fate, (110, 120))
    incomes = [(story.enrolled_on, "income", base)]
    if story.status in (ACTIVE, GRADUATED) and story.enrolled_on < MID_PROGRAM:
        incomes.append((MID_PROGRAM, "income", _rounded(base * mid // 100)))
    if story.status == GRADUATED:
        incomes.append((demo.graduates_on, "income", _rounded(base * end // 100)))
    return incomes


def _rounded(amount: int) -> int:
    return amount // 10_000 * 10_000
