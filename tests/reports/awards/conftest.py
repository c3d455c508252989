"""A hand-built year whose every award score is known by hand (counted on 1 December 2026).

Pillar 2 (income and empowerment), category "Peningkatan pendapatan":

    agency `Dinsos` (verified_plan): training, 25 people a quarter, Rp 100 million (pillar 2);
      Q1 verified, sent 5 Apr (on time), 25 people, Rp 20 M, one evidence file
      Q2 verified, sent 20 Jul (late),     15 people, Rp 30 M, no file
      Q3 awaiting,  sent 9 Oct (on time),  20 people, Rp 10 M, one file (not verified yet)
      achievement at Q3 60/75 = 80 % ×40 = 32; absorption 60/100 M = 60 % ×30 = 18;
      on time 2 of 3 due = 66,67 % ×15 = 10,0005; evidence 1 of 3 = 33,33 % ×15 = 4,9995
      score 65,00
    agency `Disnakertrans`: verified plan, one pillar-2 activity, no report at all:
      on time 0 of 3 → score 0,00
    agency `Dinkes`: verified plan in pillar 1 only (not a candidate here);
    agency `Dinas PU`: pillar-2 activity in a draft plan (not a candidate).

    partner `PT Arutmin` on program P2 (pillar 2): Rp 100 M pledged, Rp 50 M verified
      (Rp 30 M awaiting); 10 jobs pledged, 10 verified naming 3 people (one named twice)
      realised (50 % + 100 %) / 2 = 75 % ×50 = 37,5; value 50/250 = 20 % ×30 = 6;
      people 3/3 ×20 = 20 → 63,50
    partner `PT Sebuku` on program P2: Rp 200 M pledged, Rp 250 M verified
      realised 100 % ×50 = 50; value 100 % ×30 = 30; people 0 → 80,00
    partner `Bank Kalsel`: a general commitment only (not a candidate by itself):
      Rp 40 M pledged, Rp 40 M verified.

Ranking of pillar 2: PT Sebuku 80,00 · Dinsos 65,00 · PT Arutmin 63,50 · Disnakertrans 0,00.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from partners.models import PledgeKind, RealisationStatus
from programs.models import ProgressEvidence, ReviewStatus
from reports.awards.services import award_categories_ensure
from reports.models import AwardCategory, ReportStatus, YearEndReport
from reports.year_end.content import Document, Narrative
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    AgencyFactory,
    AreaFactory,
    CommitmentFactory,
    EnrollmentFactory,
    PartnerFactory,
    PersonFactory,
    PillarFactory,
    PledgeFactory,
    ProgramFactory,
    ProgressFactory,
    QuarterReportFactory,
    RealisationFactory,
)
from tkpk.models import Role

YEAR = 2026
TODAY = datetime.date(2026, 12, 1)


@dataclass
class Scene:
    income: AwardCategory  # pillar 2
    burden: AwardCategory  # pillar 1
    dinsos: object
    disnaker: object
    dinkes: object
    arutmin: object
    sebuku: object
    bank: object
    program: object


def sent_on(month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, 9))


def report(plan, quarter, status, sent, realised, spent, evidence, user):
    """A sent quarterly report of `plan` with the progress of its pillar-2 training."""
    quarter_report = QuarterReportFactory(
        plan=plan, quarter=quarter, status=status, first_submitted_at=sent
    )
    activity = plan.activities.get(name="Pelatihan menjahit")
    progress = ProgressFactory(
        report=quarter_report, activity=activity, realised=realised, spent=spent
    )
    if evidence:
        item = ProgressEvidence(progress=progress, name="daftar-hadir.pdf", uploaded_by=user)
        item.file.save("daftar-hadir.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return quarter_report


def signed_report(
    year: int,
    *,
    finalised_at: datetime.datetime | None = None,
    signatory_name: str = "H. Rusli, S.Sos., M.M.",
    signatory_title: str = "Wakil Bupati Kotabaru selaku Ketua TKPK",
) -> YearEndReport:
    """`year`'s report, final since `finalised_at` (default: now), its signed document
    naming the signatory; its chapters do not matter to the awards."""
    finalised_at = finalised_at or timezone.now()
    signed = Document(
        year=year,
        title="Laporan Pelaksanaan Penanggulangan Kemiskinan Daerah",
        region="Kabupaten Kotabaru",
        province="Kalimantan Selatan",
        status=ReportStatus.FINAL,
        generated_at=finalised_at.isoformat(),
        figures_as_of="",
        foreword=Narrative(""),
        chapters=(),
        finalised_at=finalised_at.isoformat(),
        signatory_name=signatory_name,
        signatory_title=signatory_title,
    )
    return YearEndReport.objects.create(
        year=year, status=ReportStatus.FINAL, frozen=signed.to_json(), finalised_at=finalised_at
    )


def verified_plan_of(agency, activities, user):
    """A verified 2026 plan written directly: its activities agreed."""
    plan = ActionPlanFactory(
        agency=agency,
        status=ReviewStatus.VERIFIED,
        verified_version={"activities": []},
        first_verified_on=datetime.date(YEAR, 1, 20),
        created_by=user,
    )
    for fields in activities:
        ActivityFactory(plan=plan, agreed=True, updated_by=user, **fields)
    return plan


@pytest.fixture
def scene(db, users, agency, other_agency, partner, verified_plan) -> Scene:
    secretariat = users[Role.SECRETARIAT]
    operator = users[Role.AGENCY]
    burden_pillar, income_pillar = PillarFactory(order=1), PillarFactory(order=2)
    plan = verified_plan
    report(plan, 1, ReviewStatus.VERIFIED, sent_on(4, 5), 25, 20_000_000, True, operator)
    report(plan, 2, ReviewStatus.VERIFIED, sent_on(7, 20), 15, 30_000_000, False, operator)
    report(plan, 3, ReviewStatus.SUBMITTED, sent_on(10, 9), 20, 10_000_000, True, operator)
    verified_plan_of(
        other_agency,
        [{"pillar": income_pillar, "name": "Pelatihan kerja", "budget": 50_000_000}],
        secretariat,
    )
    dinkes = AgencyFactory(acronym="Dinkes", name="Dinas Kesehatan")
    verified_plan_of(dinkes, [{"pillar": burden_pillar, "name": "PBI-JK"}], secretariat)
    draft = ActionPlanFactory(agency=AgencyFactory(acronym="Dinas PU", name="Dinas PUPR"))
    ActivityFactory(plan=draft, pillar=income_pillar, agreed=False)

    program = ProgramFactory(code="P2", pillar=income_pillar)
    arutmin = partner
    sebuku = PartnerFactory(name="PT Sebuku Iron Lateritic Ores")
    bank = PartnerFactory(name="Bank Kalsel")
    on_program = CommitmentFactory(partners=[arutmin, sebuku], program=program)
    money = PledgeFactory(commitment=on_program, partner=arutmin, quantity=100_000_000)
    verified = RealisationStatus.VERIFIED
    RealisationFactory(pledge=money, quantity=50_000_000, status=verified)
    RealisationFactory(pledge=money, quantity=30_000_000)  # awaiting: counts nowhere
    jobs = PledgeFactory(
        commitment=on_program, partner=arutmin, kind=PledgeKind.JOBS, quantity=10, unit="orang"
    )
    village = AreaFactory(code="63.02.17.2003", name="Langadai")
    people = [EnrollmentFactory(program=program, person=PersonFactory()) for _ in range(3)]
    assert all(enrollment.village == village for enrollment in people)
    first = RealisationFactory(pledge=jobs, quantity=6, status=verified)
    first.participants.set(people[:2])
    second = RealisationFactory(pledge=jobs, quantity=4, status=verified)
    second.participants.set(people[1:])
    big = PledgeFactory(commitment=on_program, partner=sebuku, quantity=200_000_000)
    RealisationFactory(pledge=big, quantity=250_000_000, status=verified)
    general = CommitmentFactory(partners=[bank], program=None)
    RealisationFactory(
        pledge=PledgeFactory(commitment=general, partner=bank, quantity=40_000_000),
        quantity=40_000_000,
        status=verified,
    )
    categories = {
        category.pillar_id: category
        for category in award_categories_ensure(year=YEAR, by=secretariat)
    }
    return Scene(
        income=categories[income_pillar.pk],
        burden=categories[burden_pillar.pk],
        dinsos=agency,
        disnaker=other_agency,
        dinkes=dinkes,
        arutmin=arutmin,
        sebuku=sebuku,
        bank=bank,
        program=program,
    )
