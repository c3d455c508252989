"""Who sees which partner, and pledged against realised: per pledge, partner, type and year."""

import datetime
from decimal import Decimal

import pytest

from partners.models import (
    Commitment,
    PartnerKind,
    PartnerTarget,
    PledgeKind,
    RealisationStatus,
)
from partners.selectors import (
    Tally,
    commitments_for,
    participants_helped,
    partner_target_progress,
    partner_to_do,
    partners_for,
    partners_with_tallies,
    pledges_in_year,
    programs_of_partner,
    realisations_awaiting,
    realisations_for,
    tallies,
    tallies_by,
    with_realised,
)
from tests.factories import (
    CommitmentFactory,
    EnrollmentFactory,
    PartnerFactory,
    PledgeFactory,
    RealisationFactory,
    UserFactory,
)
from tkpk.models import Role

pytestmark = pytest.mark.django_db

VERIFIED, SUBMITTED, RETURNED = (
    RealisationStatus.VERIFIED,
    RealisationStatus.SUBMITTED,
    RealisationStatus.RETURNED,
)


def deliver(pledge, quantity, status=SUBMITTED, **fields):
    if status == RETURNED:
        fields.setdefault("review_comment", "Bukti kurang")
    return RealisationFactory(pledge=pledge, quantity=quantity, status=status, **fields)


def commitment_in(start: tuple[int, int, int], end: tuple[int, int, int], partners):
    return CommitmentFactory(
        partners=partners,
        signed_on=datetime.date(*start),
        start_date=datetime.date(*start),
        end_date=datetime.date(*end),
    )


# Who sees what ---------------------------------------------------------------------------


def test_a_partner_operator_sees_its_own_partner_commitments_and_realisations_only(
    users, joint_commitment, partner
):
    other = commitment_in((2025, 1, 1), (2025, 12, 31), [joint_commitment.bank])
    mine = deliver(joint_commitment.money, 10)
    theirs = deliver(joint_commitment.bank_money, 10)
    operator = users[Role.PARTNER]
    assert list(partners_for(operator)) == [partner]
    # The joint commitment once, though it has three signers; not the bank's own.
    assert list(commitments_for(operator)) == [joint_commitment.commitment]
    assert list(realisations_for(operator)) == [mine]
    for role in (Role.ADMIN, Role.SECRETARIAT, Role.LEADER, Role.AGENCY):
        user = users[role]
        assert partners_for(user).count() == 3
        assert set(commitments_for(user)) == {joint_commitment.commitment, other}
        assert set(realisations_for(user)) == {mine, theirs}


def test_the_programs_of_a_partner_are_those_of_the_commitments_it_signed(joint_commitment):
    general = commitment_in((2025, 1, 1), (2025, 12, 31), [joint_commitment.bank])
    assert general.program is None
    assert list(programs_of_partner(joint_commitment.bank.pk)) == [
        joint_commitment.commitment.program
    ]
    assert not programs_of_partner(PartnerFactory().pk).exists()


# Pledged against realised ----------------------------------------------------------------


def test_reported_counts_what_awaits_or_is_verified_and_verified_only_what_was_checked(
    joint_commitment,
):
    money = joint_commitment.money
    deliver(money, 100_000_000, VERIFIED)
    deliver(money, 50_000_000, SUBMITTED)
    deliver(money, 30_000_000, RETURNED)
    line = with_realised(type(money).objects.filter(pk=money.pk)).get()
    assert (line.reported, line.verified) == (150_000_000, 100_000_000)
    untouched = with_realised(type(money).objects.filter(pk=joint_commitment.bank_money.pk)).get()
    assert (untouched.reported, untouched.verified) == (0, 0)


def test_tallies_keep_each_kind_and_unit_apart_in_the_kinds_order(joint_commitment, partner):
    commitment = joint_commitment.commitment
    PledgeFactory(
        commitment=commitment,
        partner=partner,
        kind=PledgeKind.GOODS,
        quantity=10,
        unit="paket",
    )
    deliver(joint_commitment.goods, Decimal("1.5"), VERIFIED)
    deliver(joint_commitment.jobs, 6, VERIFIED)
    deliver(joint_commitment.jobs, 4)
    deliver(joint_commitment.bank_money, 250_000_000, VERIFIED)
    assert tallies(commitment.pledges.all()) == [
        Tally("money", "Rp", 750_000_000, 250_000_000, 250_000_000),
        Tally("goods", "paket", 10, 0, 0),
        Tally("goods", "ton", Decimal("2.5"), Decimal("1.5"), Decimal("1.5")),
        Tally("jobs", "orang", 20, 10, 6),
    ]


def test_a_tally_gives_percents_and_a_bar_that_stops_at_full():
    tally = Tally("jobs", "orang", Decimal(20), Decimal(25), Decimal(6))
    assert (tally.verified_percent, tally.reported_percent, tally.verified_bar) == (30, 125, 30)
    over = Tally("money", "Rp", Decimal(100), Decimal(150), Decimal(150))
    assert (over.verified_percent, over.verified_bar) == (150, 100)
    assert Tally("goods", "ton").verified_percent is None
    assert (Tally("money", "Rp").in_rupiah, tally.in_rupiah) == (True, False)
    assert str(tally.label) == "Lapangan kerja"


def test_a_joint_commitment_is_tallied_per_signing_partner_and_per_partner_type(
    joint_commitment, partner
):
    deliver(joint_commitment.money, 125_000_000, VERIFIED)
    deliver(joint_commitment.bank_money, 50_000_000)
    pledges = joint_commitment.commitment.pledges.all()
    by_partner = tallies_by(pledges, "partner")
    assert by_partner[partner.pk] == [
        Tally("money", "Rp", 500_000_000, 125_000_000, 125_000_000),
        Tally("jobs", "orang", 20, 0, 0),
    ]
    assert by_partner[joint_commitment.bank.pk] == [
        Tally("money", "Rp", 250_000_000, 50_000_000, 0)
    ]
    by_type = tallies_by(pledges, "partner__kind")
    assert set(by_type) == {PartnerKind.COMPANY, PartnerKind.BUMD, PartnerKind.BUMDES}
    assert by_type[PartnerKind.BUMD] == by_partner[joint_commitment.bank.pk]
    by_program = tallies_by(pledges, "commitment__program")
    assert list(by_program) == [joint_commitment.commitment.program_id]
    # Rupiah of two partners add up; never with people or tonnes.
    assert by_program[joint_commitment.commitment.program_id][0] == Tally(
        "money", "Rp", 750_000_000, 175_000_000, 125_000_000
    )


def test_partners_with_tallies_lists_each_giver_by_name(joint_commitment):
    rows = partners_with_tallies(joint_commitment.commitment.pledges.all())
    assert {row.partner.name for row in rows} == {
        "PT Arutmin Indonesia NPLCT",
        "Bank Kalsel Cabang Kotabaru",
        "BUMDes Pesona Rejo Jata Tegalrejo",
    }
    assert [len(row.tallies) for row in rows if row.partner == joint_commitment.bumdes] == [1]


def test_the_pledges_of_a_year_are_those_of_commitments_running_in_it(joint_commitment):
    old = PartnerFactory()
    old_pledge = PledgeFactory(commitment=commitment_in((2023, 5, 1), (2024, 4, 30), [old]))
    assert set(pledges_in_year(2024)) == {old_pledge}
    assert pledges_in_year(2025).count() == 4  # from October 2025
    assert pledges_in_year(2026).count() == 4
    assert not pledges_in_year(2027).exists()


# The target ------------------------------------------------------------------------------


def test_the_target_counts_each_partner_with_a_commitment_in_the_year_once(
    users, joint_commitment, partner
):
    commitment_in((2026, 1, 1), (2026, 6, 30), [partner])  # a second one: still one partner
    commitment_in((2024, 1, 1), (2025, 12, 31), [PartnerFactory()])  # ended before 2026
    commitment_in((2027, 1, 1), (2027, 12, 31), [PartnerFactory()])  # starts after 2026
    PartnerFactory()  # no commitment
    PartnerTarget.objects.create(year=2026, partners=50, set_by=users[Role.SECRETARIAT])
    progress = partner_target_progress(2026)
    assert (progress.year, progress.target, progress.actual) == (2026, 50, 3)
    assert (progress.percent, progress.reached) == (6, False)


def test_a_year_without_a_target_still_counts_and_a_reached_one_is_full(users, joint_commitment):
    progress = partner_target_progress(2025)
    assert (progress.target, progress.actual, progress.percent, progress.reached) == (
        None,
        3,
        0,
        False,
    )
    PartnerTarget.objects.create(year=2025, partners=2, set_by=users[Role.SECRETARIAT])
    progress = partner_target_progress(2025)
    assert (progress.percent, progress.reached) == (100, True)


# What is due, and what waits -------------------------------------------------------------


def test_participants_helped_counts_the_named_participants_of_verified_realisations(
    joint_commitment, partner
):
    program = joint_commitment.commitment.program
    people = [EnrollmentFactory(program=program) for _ in range(3)]
    first = deliver(joint_commitment.jobs, 2, VERIFIED)
    first.participants.set(people[:2])
    again = deliver(joint_commitment.jobs, 2, VERIFIED)
    again.participants.set(people[1:2])  # the same person twice counts once
    waiting = deliver(joint_commitment.jobs, 1)
    waiting.participants.set(people[2:])
    helped = participants_helped(program, Commitment.objects.all())
    assert [(h.partner, h.kind, h.participants) for h in helped] == [
        ("PT Arutmin Indonesia NPLCT", "jobs", 2)
    ]


def test_a_partners_to_do_lists_what_is_left_what_came_back_and_what_waits(
    joint_commitment, partner
):
    commitment_in((2024, 1, 1), (2024, 12, 31), [partner])  # ended: nothing is due from it
    deliver(joint_commitment.money, 500_000_000, VERIFIED)
    deliver(joint_commitment.jobs, 5)
    returned = deliver(joint_commitment.jobs, 3, RETURNED)
    deliver(joint_commitment.bank_money, 1, RETURNED)  # the bank's
    to_do = partner_to_do(partner.pk, today=datetime.date(2026, 2, 1))
    assert [(due.pledge, due.remaining) for due in to_do.due] == [(joint_commitment.jobs, 15)]
    assert to_do.returned == [returned]
    assert to_do.awaiting == 1


def test_realisations_awaiting_are_the_submitted_ones_oldest_first(joint_commitment):
    first = deliver(joint_commitment.money, 1)
    deliver(joint_commitment.money, 2, VERIFIED)
    deliver(joint_commitment.money, 3, RETURNED)
    second = deliver(joint_commitment.bank_money, 4)
    assert list(realisations_awaiting()) == [first, second]


def test_an_operator_of_another_partner_sees_none_of_this_one(joint_commitment):
    operator = UserFactory(role=Role.PARTNER, partner=joint_commitment.bank)
    deliver(joint_commitment.money, 1)
    assert list(partners_for(operator)) == [joint_commitment.bank]
    assert not realisations_for(operator).exists()
