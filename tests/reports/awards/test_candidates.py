"""Who is a candidate of a category, each part of their score from the data, and the
ranking (the scene in conftest.py, with its scores worked out by hand)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import RealisationStatus
from programs.models import Activity, ReviewStatus
from reports.awards.candidates import (
    CandidateKey,
    candidate_keys,
    counting_day,
    ranking,
    winners_by_category,
)
from reports.awards.services import award_candidate_add, award_winners_confirm
from reports.models import AwardCandidate, AwardCategory, AwardMethod, CandidateKind
from tests.factories import (
    AgencyFactory,
    CommitmentFactory,
    PartnerFactory,
    PledgeFactory,
    QuarterReportFactory,
    RealisationFactory,
)
from tests.reports.awards.conftest import TODAY, YEAR, signed_report, verified_plan_of
from tkpk.models import Role

AGENCY, PARTNER, OTHER = CandidateKind.AGENCY, CandidateKind.PARTNER, CandidateKind.OTHER


def by_name(found):
    return {item.name: item for item in found}


def values(item) -> dict:
    """Each part's percentage (None when it could not be measured)."""
    return {part.key: part.percent for part in item.parts}


def test_the_pillar_ranking_orders_agencies_and_partners_by_score(scene):
    found = ranking(scene.income, today=TODAY)
    assert [(item.name, item.final, item.rank) for item in found] == [
        ("PT Sebuku Iron Lateritic Ores", Decimal("80.00"), 1),
        ("Dinas Sosial P3AP2KB", Decimal("65.00"), 2),
        ("PT Arutmin Indonesia NPLCT", Decimal("63.50"), 3),
        ("Dinas Tenaga Kerja dan Transmigrasi", Decimal("0.00"), 4),
    ]
    assert [item.kind for item in found] == [PARTNER, AGENCY, PARTNER, AGENCY]


def test_agencies_qualify_by_agreed_activities_of_a_verified_plan_in_the_pillar(scene):
    keys = candidate_keys(scene.income)
    assert CandidateKey(AGENCY, scene.dinsos.pk) in keys
    assert CandidateKey(AGENCY, scene.disnaker.pk) in keys
    assert CandidateKey(AGENCY, scene.dinkes.pk) not in keys  # pillar 1 only
    names = by_name(ranking(scene.income, today=TODAY))
    assert "Dinas PUPR" not in names  # its plan is a draft
    burden = by_name(ranking(scene.burden, today=TODAY))
    assert set(burden) == {"Dinas Sosial P3AP2KB", "Dinas Kesehatan"}


def test_agency_achievement_is_the_plan_rule_at_the_last_quarter_reported(scene):
    dinsos = by_name(ranking(scene.income, today=TODAY))["Dinas Sosial P3AP2KB"]
    # Q3 (awaiting verification) is sent: 25 + 15 + 20 = 60 of 75 people.
    assert values(dinsos)["achievement"] == Decimal("80.00")
    assert dinsos.parts[0].points == Decimal("32.0000")


def test_agency_achievement_counts_only_the_pillar_activities(scene):
    dinsos = by_name(ranking(scene.burden, today=TODAY))["Dinas Sosial P3AP2KB"]
    # Its reports hold progress only for the training (pillar 2): coverage realised 0 of 80.
    assert values(dinsos)["achievement"] == Decimal("0.00")
    absorption = dinsos.parts[1]
    assert absorption.value is None and absorption.why == "kegiatan ini tidak beranggaran"


def test_agency_absorption_is_spent_against_the_budget(scene):
    dinsos = by_name(ranking(scene.income, today=TODAY))["Dinas Sosial P3AP2KB"]
    assert values(dinsos)["absorption"] == Decimal("60.00")  # Rp 60 M of Rp 100 M


def test_agency_on_time_counts_first_sending_against_each_quarter_due(scene):
    found = by_name(ranking(scene.income, today=TODAY))
    assert values(found["Dinas Sosial P3AP2KB"])["on_time"] == Decimal("66.67")  # Q2 late
    assert values(found["Dinas Tenaga Kerja dan Transmigrasi"])["on_time"] == 0  # none sent
    # On 1 August only Q1 and Q2 were due: one of two.
    early = by_name(ranking(scene.income, today=datetime.date(2026, 8, 1)))
    assert values(early["Dinas Sosial P3AP2KB"])["on_time"] == Decimal("50.00")
    # On the deadline day itself the quarter is not yet counted (report_late's rule).
    on_deadline = by_name(ranking(scene.income, today=datetime.date(2026, 7, 10)))
    assert values(on_deadline["Dinas Sosial P3AP2KB"])["on_time"] == Decimal("100.00")


def test_agency_on_time_before_any_deadline_cannot_be_measured(scene):
    dinsos = by_name(ranking(scene.income, today=datetime.date(2026, 3, 1)))["Dinas Sosial P3AP2KB"]
    on_time = dinsos.parts[2]
    assert on_time.value is None and on_time.points == 0
    assert on_time.why == "belum ada laporan yang jatuh tempo"


def test_a_returned_report_sent_late_first_is_still_late(scene):
    plan = scene.dinsos.action_plans.get(year=YEAR)
    plan.reports.filter(quarter=2).update(
        status=ReviewStatus.RETURNED,
        review_comment="Lengkapi",
        reviewed_at=datetime.datetime(2026, 11, 25, tzinfo=datetime.UTC),
    )
    dinsos = by_name(ranking(scene.income, today=TODAY))["Dinas Sosial P3AP2KB"]
    assert values(dinsos)["on_time"] == Decimal("66.67")


def test_agency_evidence_counts_verified_reports_with_a_file(scene):
    found = by_name(ranking(scene.income, today=TODAY))
    # Q1 verified with a file; Q2 verified without; Q3 with a file but not verified yet.
    assert values(found["Dinas Sosial P3AP2KB"])["evidence"] == Decimal("33.33")
    disnaker = found["Dinas Tenaga Kerja dan Transmigrasi"]
    assert values(disnaker) == {
        "achievement": None,
        "absorption": None,
        "on_time": Decimal("0.00"),
        "evidence": None,
    }
    assert disnaker.parts[0].why == "belum ada laporan triwulan yang dikirim"


def test_agency_score_is_recomputable_from_its_parts(scene):
    dinsos = by_name(ranking(scene.income, today=TODAY))["Dinas Sosial P3AP2KB"]
    assert [(part.weight, part.points) for part in dinsos.parts] == [
        (40, Decimal("32.0000")),
        (30, Decimal("18.0000")),
        (15, Decimal("10.0005")),
        (15, Decimal("4.9995")),
    ]
    assert dinsos.computed == Decimal("65.00")


def test_a_revision_in_preparation_does_not_change_the_targets_scored(scene):
    plan = scene.dinsos.action_plans.get(year=YEAR)
    plan.verified_version = {
        "activities": [
            {
                "id": activity.pk,
                "target": str(activity.target),
                "budget": str(activity.budget),
                "adds_up": activity.adds_up,
                "quarter_targets": [str(t) for t in activity.quarter_targets()],
            }
            for activity in plan.activities.all()
        ]
    }
    plan.status = ReviewStatus.DRAFT
    plan.save()
    Activity.objects.filter(plan=plan, name="Pelatihan menjahit").update(
        target=400, target_q1=100, target_q2=100, target_q3=100, target_q4=100
    )
    dinsos = by_name(ranking(scene.income, today=TODAY))["Dinas Sosial P3AP2KB"]
    assert values(dinsos)["achievement"] == Decimal("80.00")


def test_partner_realised_is_verified_against_pledged_per_pledge_averaged(scene):
    found = by_name(ranking(scene.income, today=TODAY))
    # Money 50 of 100 (30 awaiting do not count), jobs 10 of 10: (50 % + 100 %) / 2.
    assert values(found["PT Arutmin Indonesia NPLCT"])["realised"] == Decimal("75.00")
    # 250 of 200 counts as 100 %.
    assert values(found["PT Sebuku Iron Lateritic Ores"])["realised"] == Decimal("100.00")


def test_partner_value_is_against_the_largest_in_the_category(scene):
    found = by_name(ranking(scene.income, today=TODAY))
    assert values(found["PT Arutmin Indonesia NPLCT"])["value"] == Decimal("20.00")  # 50/250
    assert values(found["PT Sebuku Iron Lateritic Ores"])["value"] == Decimal("100.00")


def test_partner_people_counts_each_person_once_against_the_most(scene):
    found = by_name(ranking(scene.income, today=TODAY))
    assert values(found["PT Arutmin Indonesia NPLCT"])["people"] == Decimal("100.00")
    assert values(found["PT Sebuku Iron Lateritic Ores"])["people"] == 0


def test_partner_people_cannot_be_measured_when_nobody_was_named(scene):
    special = AwardCategory.objects.create(year=YEAR, name="Mitra terbaik", order=101)
    AwardCandidate.objects.create(
        category=special,
        kind=PARTNER,
        partner=scene.bank,
        added_by_hand=True,
        justification="CSR umum",
    )
    (bank,) = ranking(special, today=TODAY)
    people = bank.parts[2]
    assert people.value is None and people.why == "tidak ada kandidat yang menjangkau peserta"


def test_a_partner_with_a_general_commitment_counts_only_when_added_by_hand(scene):
    assert CandidateKey(PARTNER, scene.bank.pk) not in candidate_keys(scene.income)
    AwardCandidate.objects.create(
        category=scene.income,
        kind=PARTNER,
        partner=scene.bank,
        added_by_hand=True,
        justification="Dana CSR umum untuk pelatihan",
    )
    bank = by_name(ranking(scene.income, today=TODAY))["Bank Kalsel"]
    assert bank.added_by_hand and bank.justification == "Dana CSR umum untuk pelatihan"
    assert values(bank)["realised"] == Decimal("100.00")  # 40 of 40 million
    assert values(bank)["value"] == Decimal("16.00")  # 40 of Sebuku's 250 million


def test_a_partner_added_by_hand_counts_all_its_pledges_of_the_year(scene):
    other_program = CommitmentFactory(partners=[scene.arutmin], program=None)
    PledgeFactory(commitment=other_program, partner=scene.arutmin, quantity=50_000_000)
    AwardCandidate.objects.create(
        category=scene.income,
        kind=PARTNER,
        partner=scene.arutmin,
        added_by_hand=True,
        justification="Juga CSR umum",
    )
    arutmin = by_name(ranking(scene.income, today=TODAY))["PT Arutmin Indonesia NPLCT"]
    # (50 % + 100 % + 0 %) / 3
    assert values(arutmin)["realised"] == Decimal("50.00")


def test_an_agency_added_by_hand_counts_its_whole_plan(scene):
    special = AwardCategory.objects.create(year=YEAR, name="Inovasi", order=101)
    AwardCandidate.objects.create(
        category=special, kind=AGENCY, agency=scene.dinsos, added_by_hand=True, justification="x"
    )
    (dinsos,) = ranking(special, today=TODAY)
    # Training 60/75 (80 %) and coverage 0 of 80 (0 %): the mean is 40 %.
    assert values(dinsos)["achievement"] == Decimal("40.00")


def test_a_special_category_has_no_candidates_until_added(scene):
    special = AwardCategory.objects.create(year=YEAR, name="Desa terbaik", order=101)
    assert ranking(special, today=TODAY) == []
    assert candidate_keys(special) == set()


def test_an_adjusted_score_overrides_the_computed_one_and_moves_the_rank(scene):
    AwardCandidate.objects.create(
        category=scene.income,
        kind=AGENCY,
        agency=scene.disnaker,
        adjusted_score=Decimal("90"),
        adjustment_reason="Laporan terlambat karena bencana banjir",
    )
    first = ranking(scene.income, today=TODAY)[0]
    assert first.name == "Dinas Tenaga Kerja dan Transmigrasi"
    assert first.computed == Decimal("0.00") and first.final == Decimal("90")
    assert first.reason == "Laporan terlambat karena bencana banjir"


def test_an_other_candidate_has_the_score_the_secretariat_gave(scene):
    AwardCandidate.objects.create(
        category=scene.income,
        kind=OTHER,
        name="Desa Tarjun",
        justification="BUMDes membuka 30 lapangan kerja",
        added_by_hand=True,
        adjusted_score=Decimal("70.5"),
        adjustment_reason="BUMDes membuka 30 lapangan kerja",
    )
    tarjun = by_name(ranking(scene.income, today=TODAY))["Desa Tarjun"]
    assert tarjun.kind == OTHER and tarjun.parts == () and tarjun.computed is None
    assert tarjun.final == Decimal("70.5") and tarjun.rank == 2


def test_equal_scores_share_a_rank_and_are_ordered_by_name(scene):
    for agency, score in ((scene.disnaker, "65"), (scene.dinsos, "65")):
        AwardCandidate.objects.create(
            category=scene.income,
            kind=AGENCY,
            agency=agency,
            adjusted_score=Decimal(score),
            adjustment_reason="Sama",
        )
    found = ranking(scene.income, today=TODAY)
    assert [(item.name, item.rank) for item in found] == [
        ("PT Sebuku Iron Lateritic Ores", 1),
        ("Dinas Sosial P3AP2KB", 2),
        ("Dinas Tenaga Kerja dan Transmigrasi", 2),
        ("PT Arutmin Indonesia NPLCT", 4),
    ]


def test_the_year_weights_are_used(scene):
    AwardMethod.objects.create(
        year=YEAR,
        agency_achievement=100,
        agency_absorption=0,
        agency_on_time=0,
        agency_evidence=0,
        partner_realised=100,
        partner_value=0,
        partner_people=0,
    )
    found = by_name(ranking(scene.income, today=TODAY))
    assert found["Dinas Sosial P3AP2KB"].computed == Decimal("80.00")
    assert found["PT Arutmin Indonesia NPLCT"].computed == Decimal("75.00")


@pytest.mark.django_db
def test_the_ranking_reads_the_same_queries_for_more_candidates(scene, users):
    AwardCandidate.objects.create(
        category=scene.income, kind=AGENCY, agency=scene.dinsos, is_winner=True
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            found = ranking(AwardCategory.objects.get(pk=scene.income.pk), today=TODAY)
        return len(captured), len(found)

    before, candidates = count()
    pillar = scene.income.pillar
    for n in range(5):
        plan = verified_plan_of(
            AgencyFactory(acronym=f"OPD-X{n}", name=f"Dinas X{n}"),
            [{"pillar": pillar, "name": f"Kegiatan {n}"}, {"pillar": pillar, "name": "Lain"}],
            users[Role.SECRETARIAT],
        )
        QuarterReportFactory(plan=plan, quarter=1, status=ReviewStatus.VERIFIED)
        partner = PartnerFactory(name=f"PT Tambahan {n}")
        pledge = PledgeFactory(
            commitment=CommitmentFactory(partners=[partner], program=scene.program),
            partner=partner,
        )
        RealisationFactory(pledge=pledge, status=RealisationStatus.VERIFIED)
        AwardCandidate.objects.create(
            category=scene.income, kind=PARTNER, partner=partner, is_winner=True
        )
    after, more = count()
    assert more == candidates + 10
    assert after == before


# --- the day counted, the winners ----------------------------------------------------------


def test_a_draft_year_is_counted_today_a_final_one_on_the_local_day_it_was_signed(scene):
    later = datetime.date(2027, 2, 1)
    assert counting_day(YEAR, later) == later
    # 23:30 UTC on 1 December is already 2 December in Kotabaru (WITA, UTC+8).
    signed_report(YEAR, finalised_at=datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC))
    assert counting_day(YEAR, later) == datetime.date(2026, 12, 2)
    assert counting_day(YEAR + 1, later) == later  # another year is not final


def test_a_final_ranking_does_not_drift_with_the_days_after_it(scene):
    """Q4's report falls due in January: counted then, Dinsos would lose on-time points."""
    later = datetime.date(2027, 2, 1)
    dinsos = CandidateKey(AGENCY, scene.dinsos.pk)

    def score_on(day):
        return next(item for item in ranking(scene.income, today=day) if item.key == dinsos).final

    assert score_on(later) < score_on(TODAY) == Decimal("65.00")
    signed_report(YEAR, finalised_at=timezone.make_aware(datetime.datetime(2026, 12, 1, 10)))
    assert score_on(counting_day(YEAR, later)) == Decimal("65.00")


def test_the_winners_by_category_are_named_in_full_in_the_categories_order(scene, users):
    secretariat = users[Role.SECRETARIAT]
    assert winners_by_category(YEAR) == []
    tarjun = award_candidate_add(
        category=scene.burden, kind=OTHER, name="Desa Tarjun", justification="BUMDes",
        score=Decimal(75), by=secretariat,
    )  # fmt: skip
    award_winners_confirm(
        category=scene.income,
        winners=[CandidateKey(AGENCY, scene.dinsos.pk), CandidateKey(PARTNER, scene.sebuku.pk)],
        by=secretariat,
        today=TODAY,
    )
    award_winners_confirm(
        category=scene.burden, winners=[CandidateKey.of_row(tarjun)], by=secretariat, today=TODAY
    )
    assert winners_by_category(YEAR) == [
        (scene.burden.name, ["Desa Tarjun"]),
        # An agency by its name, not its acronym: as the ranking and the certificate say it.
        (scene.income.name, ["Dinas Sosial P3AP2KB", "PT Sebuku Iron Lateritic Ores"]),
    ]
    assert winners_by_category(YEAR + 1) == []
