"""The writes on partners: who may act for a partner, commitments all or nothing, reviews."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from partners.models import (
    Commitment,
    Partner,
    PartnerKind,
    PartnerTarget,
    Pledge,
    PledgeKind,
    Realisation,
    RealisationStatus,
)
from partners.selectors import tallies
from partners.services import (
    commitment_save,
    may_act_for,
    may_review,
    partner_save,
    partner_target_set,
    pledge_unit,
    realisation_review,
    realisation_save,
)
from tests.factories import (
    EnrollmentFactory,
    PartnerFactory,
    ProgramFactory,
    RealisationFactory,
)
from tkpk.documents import CheckedDocument, DocumentKind
from tkpk.models import Role

pytestmark = pytest.mark.django_db


def messages_of(error: pytest.ExceptionInfo) -> str:
    return " ".join(str(message) for message in error.value.messages)


# Who may act -----------------------------------------------------------------------------


def test_the_secretariat_admin_and_the_partners_own_operator_act_for_it(users, partner):
    other = PartnerFactory()
    acting = {role: may_act_for(user, partner) for role, user in users.items()}
    assert acting == {
        Role.ADMIN: True,
        Role.SECRETARIAT: True,
        Role.AGENCY: False,
        Role.LEADER: False,
        Role.PARTNER: True,
    }
    assert may_act_for(users[Role.PARTNER], other) is False
    assert may_act_for(users[Role.PARTNER], partner.pk) is True  # by id too
    assert {role for role, user in users.items() if may_review(user)} == {
        Role.ADMIN,
        Role.SECRETARIAT,
    }


# Partners --------------------------------------------------------------------------------


def test_only_the_secretariat_and_admin_add_a_partner(users):
    saved = partner_save(
        partner=Partner(name="Baznas Kabupaten Kotabaru", kind=PartnerKind.BAZNAS),
        by=users[Role.SECRETARIAT],
    )
    assert saved.pk
    for role in (Role.AGENCY, Role.LEADER, Role.PARTNER):
        with pytest.raises(PermissionDenied):
            partner_save(partner=Partner(name=f"Baru {role}", kind="other"), by=users[role])
    assert Partner.objects.count() == 2  # the `partner` fixture and Baznas


def test_a_partner_operator_saves_its_own_partner_but_no_other(users, partner):
    partner.phone = "0518-21234"
    partner_save(partner=partner, by=users[Role.PARTNER])
    partner.refresh_from_db()
    assert partner.phone == "0518-21234"
    other = PartnerFactory(name="Bank Kalsel Cabang Kotabaru")
    other.phone = "1"
    with pytest.raises(PermissionDenied):
        partner_save(partner=other, by=users[Role.PARTNER])
    for role in (Role.AGENCY, Role.LEADER):
        with pytest.raises(PermissionDenied):
            partner_save(partner=partner, by=users[role])


def test_a_partner_is_checked_before_it_is_saved(users, partner):
    with pytest.raises(ValidationError) as error:
        partner_save(
            partner=Partner(name=partner.name, kind="company", email="bukan surel"),
            by=users[Role.ADMIN],
        )
    assert set(error.value.message_dict) == {"name", "email"}


# The target ------------------------------------------------------------------------------


def test_spaces_do_not_make_a_second_partner_of_one(users, partner):
    twin = Partner(name="  PT  Arutmin Indonesia   NPLCT ", kind=PartnerKind.COMPANY)
    with pytest.raises(ValidationError) as error:
        partner_save(partner=twin, by=users[Role.SECRETARIAT])
    assert set(error.value.message_dict) == {"name"}
    spaced = partner_save(
        partner=Partner(name=" Yayasan  Peduli ", kind=PartnerKind.COMMUNITY),
        by=users[Role.SECRETARIAT],
    )
    assert spaced.name == "Yayasan Peduli"


def test_the_target_is_set_once_per_year_and_changed_in_place(users):
    secretariat, admin = users[Role.SECRETARIAT], users[Role.ADMIN]
    partner_target_set(year=2026, partners=50, by=secretariat)
    target = partner_target_set(year=2026, partners=45, by=admin)
    assert list(PartnerTarget.objects.values_list("year", "partners")) == [(2026, 45)]
    assert target.set_by == admin


@pytest.mark.parametrize("role", [Role.AGENCY, Role.LEADER, Role.PARTNER])
def test_only_the_secretariat_and_admin_set_the_target(users, role):
    with pytest.raises(PermissionDenied):
        partner_target_set(year=2026, partners=50, by=users[role])
    assert not PartnerTarget.objects.exists()


def test_a_target_of_no_partners_or_a_wild_year_is_refused(users):
    with pytest.raises(ValidationError) as error:
        partner_target_set(year=1990, partners=0, by=users[Role.SECRETARIAT])
    assert set(error.value.message_dict) == {"year", "partners"}


# Units -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("money", "", "Rp"),
        ("money", "juta", "Rp"),  # money is counted in rupiah whatever is typed
        ("goods", "Rp.", "Rp"),
        ("capital", "IDR", "Rp"),
        ("goods", "  ton  beras ", "ton beras"),
        ("goods", "", ""),
        ("jobs", "", "orang"),
        ("training", "orang", "orang"),
    ],
)
def test_a_pledges_unit_is_stored_one_way(kind, typed, stored):
    assert pledge_unit(kind, typed) == stored


# Commitments -----------------------------------------------------------------------------


def new_commitment(**fields) -> Commitment:
    defaults = {
        "title": "Komitmen Bersama Pemberdayaan Warga Miskin Produktif",
        "signed_on": datetime.date(2025, 10, 4),
        "start_date": datetime.date(2025, 10, 4),
        "end_date": datetime.date(2026, 12, 31),
    }
    return Commitment(**(defaults | fields))


def test_a_commitment_signed_by_several_partners_is_saved_once_with_their_pledges(users, partner):
    bank = PartnerFactory(name="Bank Kalsel Cabang Kotabaru", kind=PartnerKind.BUMD)
    commitment = commitment_save(
        commitment=new_commitment(program=ProgramFactory(code="KTB-WMP-2025")),
        partners=[partner, bank],
        pledges=[
            Pledge(partner=partner, kind="money", quantity=500_000_000, unit="rupiah"),
            Pledge(partner=partner, kind="jobs", quantity=20, unit=""),
            Pledge(partner=bank, kind="money", quantity=250_000_000, unit=""),
        ],
        by=users[Role.SECRETARIAT],
    )
    assert Commitment.objects.get() == commitment
    assert commitment.created_by == users[Role.SECRETARIAT]
    assert set(commitment.partners.all()) == {partner, bank}
    assert sorted(commitment.pledges.values_list("partner__name", "kind", "quantity", "unit")) == [
        ("Bank Kalsel Cabang Kotabaru", "money", 250_000_000, "Rp"),
        ("PT Arutmin Indonesia NPLCT", "jobs", 20, "orang"),
        ("PT Arutmin Indonesia NPLCT", "money", 500_000_000, "Rp"),
    ]


def test_a_pledge_of_a_partner_that_did_not_sign_is_refused_and_nothing_is_saved(users, partner):
    outsider = PartnerFactory(name="PT Smart Tbk Unit Tarjun")
    with pytest.raises(ValidationError) as error:
        commitment_save(
            commitment=new_commitment(),
            partners=[partner],
            pledges=[
                Pledge(partner=partner, kind="money", quantity=1, unit=""),
                Pledge(partner=outsider, kind="money", quantity=1, unit=""),
            ],
            by=users[Role.SECRETARIAT],
        )
    assert messages_of(error) == (
        "PT Smart Tbk Unit Tarjun memberi janji tetapi tidak termasuk mitra penanda tangan: "
        "centang mitra itu."
    )
    assert not Commitment.objects.exists()
    assert not Pledge.objects.exists()


def test_a_partner_unticked_from_a_commitment_cannot_leave_its_saved_pledge_behind(
    users, joint_commitment, partner
):
    """Every line's partner must be a signer, also a line the form did not change."""
    commitment = joint_commitment.commitment
    with pytest.raises(ValidationError):
        commitment_save(
            commitment=commitment,
            partners=[partner, joint_commitment.bank],  # the BUMDes no longer ticked
            pledges=[],
            by=users[Role.SECRETARIAT],
        )
    assert commitment.partners.count() == 3


def test_a_commitment_needs_a_signer_and_a_period_that_ends_after_it_starts(users, partner):
    with pytest.raises(ValidationError):
        commitment_save(commitment=new_commitment(), partners=[], pledges=[], by=users[Role.ADMIN])
    with pytest.raises(ValidationError):
        commitment_save(
            commitment=new_commitment(end_date=datetime.date(2025, 1, 1)),
            partners=[partner],
            pledges=[Pledge(partner=partner, kind="money", quantity=1, unit="")],
            by=users[Role.ADMIN],
        )
    assert not Commitment.objects.exists()
    assert not Pledge.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENCY, Role.LEADER, Role.PARTNER])
def test_only_the_secretariat_and_admin_save_commitments(users, partner, role):
    with pytest.raises(PermissionDenied):
        commitment_save(commitment=new_commitment(), partners=[partner], pledges=[], by=users[role])


def test_a_pledge_with_realisations_is_neither_removed_nor_moved(users, joint_commitment):
    money = joint_commitment.money
    RealisationFactory(pledge=money)
    commitment = joint_commitment.commitment
    signers = list(commitment.partners.all())
    with pytest.raises(ValidationError):
        commitment_save(
            commitment=commitment,
            partners=signers,
            pledges=[],
            removed=[money],
            by=users[Role.SECRETARIAT],
        )
    money.partner = joint_commitment.bank
    with pytest.raises(ValidationError):
        commitment_save(
            commitment=commitment, partners=signers, pledges=[money], by=users[Role.SECRETARIAT]
        )
    money.refresh_from_db()
    assert money.partner.name == "PT Arutmin Indonesia NPLCT"
    money.kind, money.unit = PledgeKind.JOBS, "orang"  # rupiah delivered would become people
    with pytest.raises(ValidationError) as error:
        commitment_save(
            commitment=commitment, partners=signers, pledges=[money], by=users[Role.SECRETARIAT]
        )
    assert "tetap dengan mitra, jenis, dan satuannya" in messages_of(error)
    money.refresh_from_db()
    assert money.kind == PledgeKind.MONEY
    money.quantity = Decimal(600_000_000)  # the amount may still be corrected
    commitment_save(
        commitment=commitment, partners=signers, pledges=[money], by=users[Role.SECRETARIAT]
    )
    # A line without realisations goes.
    commitment_save(
        commitment=commitment,
        partners=signers,
        pledges=[],
        removed=[joint_commitment.goods],
        by=users[Role.SECRETARIAT],
    )
    assert commitment.pledges.count() == 3


# Realisations ----------------------------------------------------------------------------


def realisation(pledge, quantity=10, **fields) -> Realisation:
    return Realisation(
        pledge=pledge, delivered_on=datetime.date(2025, 11, 10), quantity=quantity, **fields
    )


def test_a_partner_operator_records_what_its_partner_delivered_with_evidence(
    users, joint_commitment
):
    pdf = CheckedDocument(
        upload=ContentFile(b"%PDF-1.4\n%%EOF\n", name="kuitansi.pdf"),
        kind=DocumentKind.PDF,
        name="Kuitansi November.pdf",
    )
    saved = realisation_save(
        realisation=realisation(joint_commitment.money, 125_000_000),
        evidence=[pdf],
        by=users[Role.PARTNER],
    )
    assert (saved.status, saved.entered_by) == (RealisationStatus.SUBMITTED, users[Role.PARTNER])
    evidence = saved.evidence.get()
    assert evidence.name == "Kuitansi November.pdf"
    assert evidence.file.read().startswith(b"%PDF")


def test_a_partner_operator_cannot_record_for_another_partner(users, joint_commitment):
    for role in (Role.PARTNER, Role.AGENCY, Role.LEADER):
        with pytest.raises(PermissionDenied):
            realisation_save(realisation=realisation(joint_commitment.bank_money), by=users[role])
    assert not Realisation.objects.exists()
    realisation_save(realisation=realisation(joint_commitment.bank_money), by=users[Role.ADMIN])


def test_a_returned_realisation_corrected_awaits_verification_again_and_a_verified_one_is_final(
    users, joint_commitment
):
    entry = realisation_save(
        realisation=realisation(joint_commitment.money, 100), by=users[Role.PARTNER]
    )
    entry = realisation_review(
        realisation=entry,
        version=entry.version,
        verified=False,
        comment="Kuitansi belum ada",
        by=users[Role.SECRETARIAT],
    )
    assert entry.status == RealisationStatus.RETURNED
    entry.quantity = Decimal(90)
    entry = realisation_save(realisation=entry, by=users[Role.PARTNER])
    entry.refresh_from_db()
    assert (entry.status, entry.quantity) == (RealisationStatus.SUBMITTED, 90)
    realisation_review(
        realisation=entry, version=entry.version, verified=True, by=users[Role.SECRETARIAT]
    )
    entry.refresh_from_db()
    entry.quantity = Decimal(1)
    with pytest.raises(ValidationError):
        realisation_save(realisation=entry, by=users[Role.PARTNER])
    entry.refresh_from_db()
    assert (entry.status, entry.quantity) == (RealisationStatus.VERIFIED, 90)


def test_jobs_name_participants_of_the_program_at_most_as_many_as_delivered(
    users, joint_commitment
):
    program = joint_commitment.commitment.program
    people = [EnrollmentFactory(program=program) for _ in range(3)]
    by = users[Role.PARTNER]
    jobs = realisation_save(
        realisation=realisation(joint_commitment.jobs, 2), participants=people[:2], by=by
    )
    assert set(jobs.participants.all()) == set(people[:2])
    with pytest.raises(ValidationError) as error:
        realisation_save(
            realisation=realisation(joint_commitment.jobs, 2), participants=people, by=by
        )
    assert messages_of(error) == "3 peserta disebut, padahal yang diserahkan 2."
    crowd = people + [EnrollmentFactory(program=program) for _ in range(8)]
    with pytest.raises(ValidationError) as error:
        realisation_save(
            realisation=realisation(joint_commitment.jobs, 10), participants=crowd, by=by
        )
    assert messages_of(error) == "11 peserta disebut, padahal yang diserahkan 10."
    stranger = EnrollmentFactory(program=ProgramFactory())
    with pytest.raises(ValidationError):
        realisation_save(
            realisation=realisation(joint_commitment.jobs, 2), participants=[stranger], by=by
        )
    with pytest.raises(ValidationError):
        realisation_save(
            realisation=realisation(joint_commitment.money, 2), participants=people[:1], by=by
        )
    # All or nothing: the refused entries were not kept.
    assert Realisation.objects.count() == 1


def test_returning_a_realisation_needs_a_comment(users, joint_commitment):
    entry = RealisationFactory(pledge=joint_commitment.money)
    with pytest.raises(ValidationError) as error:
        realisation_review(
            realisation=entry,
            version=entry.version,
            verified=False,
            comment="   ",
            by=users[Role.SECRETARIAT],
        )
    assert "comment" in error.value.message_dict
    entry.refresh_from_db()
    assert entry.status == RealisationStatus.SUBMITTED


def test_a_realisation_is_reviewed_once(users, joint_commitment):
    entry = RealisationFactory(pledge=joint_commitment.money)
    reviewed = realisation_review(
        realisation=entry, version=entry.version, verified=True, by=users[Role.ADMIN]
    )
    assert (reviewed.status, reviewed.reviewed_by) == (
        RealisationStatus.VERIFIED,
        users[Role.ADMIN],
    )
    assert reviewed.reviewed_at is not None
    for verified, comment in ((True, ""), (False, "Ternyata kurang")):
        with pytest.raises(ValidationError) as error:
            realisation_review(
                realisation=entry,
                version=entry.version,
                verified=verified,
                comment=comment,
                by=users[Role.SECRETARIAT],
            )
        assert messages_of(error) == (
            "Realisasi ini tidak lagi menunggu verifikasi: statusnya terverifikasi."
        )
    entry.refresh_from_db()
    assert (entry.status, entry.review_comment) == (RealisationStatus.VERIFIED, "")


@pytest.mark.parametrize("role", [Role.AGENCY, Role.LEADER, Role.PARTNER])
def test_only_the_secretariat_and_admin_review(users, joint_commitment, role):
    entry = RealisationFactory(pledge=joint_commitment.money)
    with pytest.raises(PermissionDenied):
        realisation_review(realisation=entry, version=entry.version, verified=True, by=users[role])


def test_a_correction_sent_while_the_verifier_reads_is_not_verified_unseen(users, joint_commitment):
    entry = realisation_save(
        realisation=realisation(joint_commitment.money, 10_000_000), by=users[Role.PARTNER]
    )
    seen = entry.version  # the verifier opens the entry: Rp 10.000.000
    entry.quantity = Decimal(400_000_000)
    realisation_save(realisation=entry, by=users[Role.PARTNER])
    with pytest.raises(ValidationError) as error:
        realisation_review(
            realisation=entry, version=seen, verified=True, by=users[Role.SECRETARIAT]
        )
    assert "diperbaiki ketika Anda sedang membacanya" in messages_of(error)
    entry.refresh_from_db()
    assert (entry.status, entry.quantity) == (RealisationStatus.SUBMITTED, 400_000_000)
    realisation_review(
        realisation=entry, version=entry.version, verified=True, by=users[Role.SECRETARIAT]
    )


def test_a_commitment_whose_realisations_name_participants_keeps_its_program(
    users, joint_commitment
):
    commitment = joint_commitment.commitment
    hired = realisation_save(
        realisation=realisation(joint_commitment.jobs, 1),
        participants=[EnrollmentFactory(program=commitment.program)],
        by=users[Role.SECRETARIAT],
    )
    signers = list(commitment.partners.all())
    commitment.program = ProgramFactory(code="PKH-2026")
    with pytest.raises(ValidationError) as error:
        commitment_save(commitment=commitment, partners=signers, pledges=[], by=hired.entered_by)
    assert "programnya tidak dapat diganti" in messages_of(error)
    assert Commitment.objects.get().program.code == "KTB-WMP-2025"
    hired.participants.clear()  # once no one is named, the program may be corrected
    commitment_save(commitment=commitment, partners=signers, pledges=[], by=hired.entered_by)
    assert Commitment.objects.get().program.code == "PKH-2026"


def test_places_for_people_are_whole_and_nothing_is_delivered_before_the_commitment(
    users, joint_commitment
):
    by = users[Role.PARTNER]
    with pytest.raises(ValidationError) as error:
        realisation_save(realisation=realisation(joint_commitment.jobs, Decimal("2.5")), by=by)
    assert "dihitung utuh" in messages_of(error)
    early = realisation(joint_commitment.money, 1_000_000)
    early.delivered_on = datetime.date(2025, 10, 3)  # the day before the signing
    with pytest.raises(ValidationError) as error:
        realisation_save(realisation=early, by=by)
    assert "sebelum komitmen ditandatangani dan dimulai (4 Okt 2025)" in messages_of(error)
    rice = realisation(joint_commitment.goods, Decimal("1.5"))  # tonnes may be fractional
    realisation_save(realisation=rice, by=users[Role.SECRETARIAT])
    assert Realisation.objects.count() == 1


def test_a_units_spelling_does_not_split_the_sums(users, partner):
    commitment = Commitment(
        title="Bantuan beras",
        signed_on=datetime.date(2025, 10, 4),
        start_date=datetime.date(2025, 10, 4),
        end_date=datetime.date(2025, 12, 31),
    )
    lines = [
        Pledge(partner=partner, kind=PledgeKind.GOODS, quantity=2, unit="Ton"),
        Pledge(partner=partner, kind=PledgeKind.GOODS, quantity=3, unit=" ton "),
    ]
    commitment_save(
        commitment=commitment, partners=[partner], pledges=lines, by=users[Role.SECRETARIAT]
    )
    assert [(t.unit, t.pledged) for t in tallies(commitment.pledges.all())] == [("ton", 5)]


def test_a_realisation_wrong_twice_hears_both_at_once(users, joint_commitment):
    wrong = realisation(joint_commitment.jobs, Decimal("2.5"))
    wrong.delivered_on = datetime.date(2025, 1, 1)
    with pytest.raises(ValidationError) as error:
        realisation_save(realisation=wrong, by=users[Role.PARTNER])
    assert set(error.value.message_dict) == {"quantity", "delivered_on"}


def test_a_commitment_is_not_signed_after_its_period(users, partner):
    late = Commitment(
        title="Ditandatangani terlambat",
        signed_on=datetime.date(2026, 2, 1),
        start_date=datetime.date(2025, 10, 4),
        end_date=datetime.date(2025, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        commitment_save(commitment=late, partners=[partner], pledges=[], by=users[Role.SECRETARIAT])
    assert error.value.message_dict == {
        "signed_on": ["Tanggal penandatanganan tidak boleh setelah akhir periode."]
    }
