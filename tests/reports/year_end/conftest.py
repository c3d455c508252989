"""A hand-built year whose every year-end figure is known by hand.

The register of tests/reports/conftest.py (its districts named, a fourth village added):

    district 63.02.17 Kelumpang Hilir   villages Langadai (4 households, 5 people), Bakau (2)
    district 63.02.18 Pulau Laut Utara  villages Sebelimbingan (1), Sarang Tiung (1, desil 2)

Statistics of 2022–2026 for the region (every indicator), its province (P0) and Banjar
(P0 of 2025 and 2026); a 2021 figure outside the five years.

Programs of 2026: P1 (pillar 1; APBD Rp 500 million, CSR Rp 150 million), P2 (pillar 2;
APBN Rp 250 million), P3 (pillar 2; Dana Desa Rp 75 million, quota 10 in Sarang Tiung, nobody
enrolled); an old program of 2024 with a budget that must not count.

Agencies: Dinsos P3AP2KB's verified plan (training 100 people, Rp 100 million, tagged direct:
Q1 25 people Rp 20 million verified, Q2 10 people Rp 10 million submitted; food-aid coverage
in % 60/70/80/90, tagged indirect: Q1 60, Q2 65); Disnakertrans's (job training 40 people,
Rp 50 million, direct: Q1 10 people Rp 12,5 million submitted); Dinkes's plan is a draft.

Partners in a 2026 commitment: PT Arutmin (money Rp 100 million: 40 verified, 10 awaiting;
jobs 10 people: 6 verified) and Baznas Kotabaru (money Rp 50 million: 50 verified, 5
returned); PT Arutmin's 2024 pledge does not count. The partner target of 2026 is 5.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from households.models import Area
from partners.models import PartnerKind, PartnerTarget, PledgeKind, RealisationStatus
from programs.models import BudgetLine, Progress, ReviewStatus
from programs.models.plans import BudgetTag
from programs.plan_services import (
    plan_create,
    plan_review,
    plan_submit,
    progress_save,
    quarter_report_open,
    report_review,
    report_submit,
)
from reports.models import PovertyStatistic, YearEndReport
from reports.summaries import summaries_refresh
from reports.year_end.content import ChartBlock, TableBlock
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    AgencyFactory,
    AreaFactory,
    CommitmentFactory,
    HouseholdFactory,
    PartnerFactory,
    PersonFactory,
    PillarFactory,
    PledgeFactory,
    ProgramFactory,
    RealisationFactory,
    UserFactory,
    VillageQuotaFactory,
)
from tests.reports.conftest import YEAR
from tkpk.models import Role

TODAY = datetime.date(2026, 11, 30)
MILLION = 1_000_000

REGION_FIGURES = {
    # year: P0, poor people, P1, P2, poverty line, extreme poverty
    2022: ("4.90", 16100, "0.70", "0.15", 480000, "1.20"),
    2023: ("4.71", 15600, "0.66", "0.14", 500000, "0.95"),
    2024: ("4.48", 15200, "0.62", "0.13", 520000, "0.60"),
    2025: ("4.36", 14900, "0.60", "0.12", 545000, "0.40"),
    2026: ("4.20", 14500, "0.57", "0.11", 560000, "0.21"),
}
PROVINCE_P0 = {2022: "4.49", 2023: "4.29", 2024: "4.07", 2025: "3.95", 2026: "3.80"}


def _statistic(code: str, year: int, rate: str, by, **fields) -> None:
    PovertyStatistic.objects.create(
        area_id=code,
        year=year,
        poverty_rate=Decimal(rate),
        source="BPS, Maret",
        entered_by=by,
        **fields,
    )


@pytest.fixture
def statistics(db, users):
    by = users[Role.SECRETARIAT]
    AreaFactory(code="63.03", name="Banjar")
    for year, (p0, poor, p1, p2, line, extreme) in REGION_FIGURES.items():
        _statistic(
            "63.02",
            year,
            p0,
            by,
            poor_people=poor,
            poverty_gap=Decimal(p1),
            poverty_severity=Decimal(p2),
            poverty_line=line,
            extreme_poverty_rate=Decimal(extreme),
        )
    _statistic("63.02", 2021, "5.01", by, poor_people=16500)
    for year, p0 in PROVINCE_P0.items():
        _statistic("63", year, p0, by)
    _statistic("63.03", 2025, "2.74", by)
    _statistic("63.03", 2026, "2.36", by)


def _names() -> None:
    for code, name in {
        "63": "Kalimantan Selatan",
        "63.02": "Kabupaten Kotabaru",
        "63.02.17": "Kelumpang Hilir",
        "63.02.18": "Pulau Laut Utara",
    }.items():
        Area.objects.filter(code=code).update(name=name)


@pytest.fixture
def programs(register, other_agency):
    """The register's P1 and P2 with budgets, P3 with a quota and nobody, an old program."""
    AreaFactory(code="63.02.18.2002", name="Sarang Tiung")
    household = HouseholdFactory(village_id="63.02.18.2002", desil=2, desil_period="2025-Q3")
    PersonFactory(household=household)
    _names()
    p3 = ProgramFactory(
        code="P3",
        pillar=register.p2.pillar,
        lead_agency=other_agency,
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2026, 11, 30),
    )
    VillageQuotaFactory(program=p3, village_id="63.02.18.2002", quota=10)
    old = ProgramFactory(
        code="OLD",
        pillar=register.p1.pillar,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    for program, source, amount in (
        (register.p1, "apbd", 500 * MILLION),
        (register.p1, "csr", 150 * MILLION),
        (register.p2, "apbn", 250 * MILLION),
        (p3, "dana_desa", 75 * MILLION),
        (old, "apbd", 999 * MILLION),
    ):
        BudgetLine.objects.create(program=program, source=source, amount=amount)
    return register


def verified(agency, operator, secretariat, activities: list[dict]):
    """`agency`'s plan of 2026 with `activities`, submitted and verified in January."""
    plan = plan_create(agency=agency, year=YEAR, by=operator)
    for fields in activities:
        ActivityFactory(plan=plan, updated_by=operator, **fields)
    plan = plan_submit(plan=plan, version=plan.version, by=operator)
    plan = plan_review(plan=plan, version=plan.version, verified=True, by=secretariat)
    plan.first_verified_on = datetime.date(2026, 1, 20)
    plan.save(update_fields=["first_verified_on"])
    return plan


def send_report(plan, quarter: int, entries: dict, operator, *, verify_by=None) -> None:
    """Send `plan`'s report of `quarter`: activity name → (realised, spent, beneficiaries)."""
    sent = quarter_report_open(plan=plan, quarter=quarter, today=TODAY)
    for activity in plan.activities.all():
        realised, spent, people = entries[activity.name]
        progress_save(
            progress=Progress(
                report=sent,
                activity=activity,
                realised=realised,
                spent=spent,
                beneficiaries=people,
            ),
            version=None,
            by=operator,
        )
    sent.refresh_from_db()
    sent = report_submit(report=sent, version=sent.version, by=operator)
    if verify_by:
        report_review(report=sent, version=sent.version, verified=True, by=verify_by)


@dataclass
class Plans:
    dinsos: object
    disnakertrans: object


@pytest.fixture
def plans(users, agency, other_agency):
    secretariat = users[Role.SECRETARIAT]
    operator = users[Role.AGENCY]
    dinsos = verified(
        agency,
        operator,
        secretariat,
        [
            {"name": "Pelatihan menjahit", "budget_tag": BudgetTag.DIRECT},
            {
                "name": "Cakupan bantuan pangan",
                "pillar": PillarFactory(order=1),
                "unit": "%",
                "adds_up": False,
                "target": 90,
                "target_q1": 60,
                "target_q2": 70,
                "target_q3": 80,
                "target_q4": 90,
                "budget": 0,
                "budget_tag": BudgetTag.INDIRECT,
            },
        ],
    )
    send_report(
        dinsos,
        1,
        {"Pelatihan menjahit": (25, 20 * MILLION, 25), "Cakupan bantuan pangan": (60, 0, None)},
        operator,
        verify_by=secretariat,
    )
    send_report(
        dinsos,
        2,
        {"Pelatihan menjahit": (10, 10 * MILLION, 10), "Cakupan bantuan pangan": (65, 0, None)},
        operator,
    )
    other_operator = UserFactory(username="opd.naker", role=Role.AGENCY, agency=other_agency)
    disnakertrans = verified(
        other_agency,
        other_operator,
        secretariat,
        [
            {
                "name": "Pelatihan kerja",
                "target": 40,
                "target_q1": 10,
                "target_q2": 10,
                "target_q3": 10,
                "target_q4": 10,
                "budget": 50 * MILLION,
                "budget_tag": BudgetTag.DIRECT,
            }
        ],
    )
    send_report(disnakertrans, 1, {"Pelatihan kerja": (10, 12_500_000, 10)}, other_operator)
    ActionPlanFactory(agency=AgencyFactory(acronym="Dinkes"), status=ReviewStatus.DRAFT)
    return Plans(dinsos, disnakertrans)


@dataclass
class Partners:
    arutmin: object
    baznas: object


@pytest.fixture
def partners(users, partner):
    baznas = PartnerFactory(name="Baznas Kotabaru", kind=PartnerKind.BAZNAS)
    commitment = CommitmentFactory(
        partners=[partner, baznas],
        start_date=datetime.date(2026, 1, 1),
        signed_on=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    money = PledgeFactory(commitment=commitment, partner=partner, quantity=100 * MILLION)
    RealisationFactory(pledge=money, quantity=40 * MILLION, status=RealisationStatus.VERIFIED)
    RealisationFactory(pledge=money, quantity=10 * MILLION, status=RealisationStatus.SUBMITTED)
    jobs = PledgeFactory(
        commitment=commitment, partner=partner, kind=PledgeKind.JOBS, quantity=10, unit="orang"
    )
    RealisationFactory(pledge=jobs, quantity=6, status=RealisationStatus.VERIFIED)
    zakat = PledgeFactory(commitment=commitment, partner=baznas, quantity=50 * MILLION)
    RealisationFactory(pledge=zakat, quantity=50 * MILLION, status=RealisationStatus.VERIFIED)
    RealisationFactory(
        pledge=zakat,
        quantity=5 * MILLION,
        status=RealisationStatus.RETURNED,
        review_comment="Bukti belum lengkap",
    )
    PledgeFactory(
        commitment=CommitmentFactory(
            partners=[partner],
            signed_on=datetime.date(2024, 1, 1),
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2024, 12, 31),
        ),
        partner=partner,
        quantity=999 * MILLION,
    )
    PartnerTarget.objects.create(year=YEAR, partners=5, set_by=users[Role.SECRETARIAT])
    return Partners(partner, baznas)


@pytest.fixture
def year_end(users):
    """The 2026 report as the secretariat wrote it: an introduction and the coordination."""
    return YearEndReport.objects.create(
        year=YEAR,
        foreword="Puji syukur.",
        introduction="**Dasar hukum**: Permendagri 53/2020.",
        coordination="- Rakor triwulan I\n- Rakor akhir tahun",
        recommendations="",
    )


@pytest.fixture
def full_year(statistics, programs, plans, partners):
    """Everything above, with the summaries of 2026 rebuilt on TODAY."""
    summaries_refresh(YEAR, today=TODAY)
    return programs


# --- reading a document as a reader does ----------------------------------------------------


def tables(*chapters) -> dict:
    """Every table of `chapters` by slug, those drawn as charts included, in document order."""
    found = {}
    for chapter in chapters:
        for block in (*chapter.lead, *(b for s in chapter.sections for b in s.blocks)):
            if isinstance(block, TableBlock):
                found[block.table.slug] = block.table
            elif isinstance(block, ChartBlock):
                found[block.chart.table.slug] = block.chart.table
    return found


def seen(table) -> list[list[str]]:
    """`table`'s cells as the document prints them."""
    from reports.tables import written

    return [
        [written(value, column) for value, column in zip(row.cells, table.columns, strict=True)]
        for row in table.rows
    ]


def section(chapter, title: str):
    return next(s for s in chapter.sections if s.title == title)


def reordered(table):
    """`table` with its columns in reverse order, as a dashboard table might be rearranged."""
    from dataclasses import replace

    return replace(
        table,
        columns=table.columns[::-1],
        rows=tuple(replace(row, cells=row.cells[::-1]) for row in table.rows),
    )
