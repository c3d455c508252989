"""The secretariat's decisions on the awards: what each service stores and what it refuses."""

import contextlib
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from programs.models import Pillar
from reports.awards import services
from reports.awards.candidates import CandidateKey, ranking
from reports.awards.services import (
    award_candidate_add,
    award_candidate_remove,
    award_categories_ensure,
    award_category_create,
    award_category_delete,
    award_category_rename,
    award_method_set,
    award_score_adjust,
    award_winners_confirm,
)
from reports.models import (
    AwardCandidate,
    AwardCategory,
    AwardMethod,
    CandidateKind,
)
from tests.factories import AgencyFactory, UserFactory
from tests.reports.awards.conftest import TODAY, YEAR, signed_report
from tkpk.models import Role

AGENCY, PARTNER, OTHER = CandidateKind.AGENCY, CandidateKind.PARTNER, CandidateKind.OTHER
WEIGHTS = {
    "agency_achievement": 50,
    "agency_absorption": 20,
    "agency_on_time": 15,
    "agency_evidence": 15,
    "partner_realised": 40,
    "partner_value": 40,
    "partner_people": 20,
}


@pytest.fixture
def secretariat(users):
    return users[Role.SECRETARIAT]


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- categories and the method ---------------------------------------------------------


def test_categories_are_one_per_pillar_named_after_it_and_made_once(db, secretariat):
    made = award_categories_ensure(year=YEAR, by=secretariat)
    pillars = list(Pillar.objects.all())
    assert [(c.pillar, c.name, c.order) for c in made] == [(p, p.name, p.order) for p in pillars]
    again = award_categories_ensure(year=YEAR, by=secretariat)
    assert [c.pk for c in again] == [c.pk for c in made]
    assert AwardCategory.objects.filter(year=YEAR + 1).count() == 0


def test_a_special_category_comes_after_the_pillars_with_a_unique_name(db, secretariat):
    special = award_category_create(year=YEAR, name="  Desa   terbaik ", by=secretariat)
    assert special.name == "Desa terbaik" and special.is_special
    pillars = award_categories_ensure(year=YEAR, by=secretariat)
    assert pillars[-1] == special  # ordered after the pillars made later
    with pytest.raises(ValidationError) as refused:
        award_category_create(year=YEAR, name="DESA TERBAIK", by=secretariat)
    assert "Tahun 2026 sudah memiliki kategori bernama “DESA TERBAIK”." in messages_of(
        refused.value
    )
    with pytest.raises(ValidationError):
        award_category_create(year=YEAR, name="  ", by=secretariat)


@pytest.mark.parametrize("role", [Role.LEADER, Role.AGENCY, Role.PARTNER])
def test_only_the_secretariat_and_the_administrator_decide(db, users, role):
    with pytest.raises(PermissionDenied):
        award_categories_ensure(year=YEAR, by=users[role])
    with pytest.raises(PermissionDenied):
        award_method_set(year=YEAR, by=users[role], **WEIGHTS)
    assert award_categories_ensure(year=YEAR, by=users[Role.ADMIN])


def test_a_category_is_renamed_a_pillar_s_too_to_a_free_name(scene, secretariat):
    renamed = award_category_rename(
        category=scene.income, name="  Pemberdayaan   ekonomi ", by=secretariat
    )
    assert renamed.name == "Pemberdayaan ekonomi" == AwardCategory.objects.get(pk=renamed.pk).name
    assert renamed.pillar_id == scene.income.pillar_id  # still the pillar's award
    with pytest.raises(ValidationError) as refused:
        award_category_rename(category=scene.income, name=scene.burden.name, by=secretariat)
    assert "2026 sudah memiliki kategori bernama" in messages_of(refused.value)
    with pytest.raises(ValidationError) as refused:
        award_category_rename(category=scene.income, name="  ", by=secretariat)
    assert "name" in refused.value.message_dict
    # The same name in other capitals is the category's own: a correction of case.
    shouted = "PEMBERDAYAAN EKONOMI"
    renamed = award_category_rename(category=scene.income, name=shouted, by=secretariat)
    assert renamed.name == shouted


def test_a_special_award_is_deleted_with_its_candidates(scene, secretariat):
    special = award_category_create(year=YEAR, name="Desa inovatif", by=secretariat)
    award_candidate_add(
        category=special, kind=OTHER, name="Desa Tarjun", justification="BUMDes",
        score=Decimal(80), by=secretariat,
    )  # fmt: skip
    award_category_delete(category=special, by=secretariat)
    assert not AwardCategory.objects.filter(pk=special.pk).exists()
    assert not AwardCandidate.objects.exists()


def test_a_pillar_s_award_is_not_deleted(scene, secretariat):
    with pytest.raises(ValidationError) as refused:
        award_category_delete(category=scene.income, by=secretariat)
    assert messages_of(refused.value) == (
        f"“{scene.income.name}” adalah penghargaan sebuah pilar strategi: penghargaan ini "
        "tidak dapat dihapus, hanya dapat diubah namanya."
    )
    assert AwardCategory.objects.filter(pk=scene.income.pk).exists()


def test_an_award_with_winners_is_not_deleted_until_they_are_removed(scene, secretariat):
    special = award_category_create(year=YEAR, name="Desa inovatif", by=secretariat)
    tarjun = award_candidate_add(
        category=special, kind=OTHER, name="Desa Tarjun", justification="BUMDes",
        score=Decimal(80), by=secretariat,
    )  # fmt: skip
    award_winners_confirm(
        category=special, winners=[CandidateKey.of_row(tarjun)], by=secretariat, today=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        award_category_delete(category=special, by=secretariat)
    assert messages_of(refused.value) == (
        "“Desa inovatif” sudah memiliki pemenang yang ditetapkan (Desa Tarjun), yang piagamnya "
        "mungkin sudah dicetak: untuk menghapusnya, hapus dulu mereka dari kandidat."
    )
    assert award_candidate_remove(
        category=special, key=CandidateKey.of_row(tarjun), by=secretariat
    )  # a win taken away
    special.refresh_from_db()
    assert special.confirmed_at is None  # no winner left: undecided again
    award_category_delete(category=special, by=secretariat)
    assert not AwardCategory.objects.filter(pk=special.pk).exists()


@pytest.mark.parametrize("role", [Role.AGENCY, Role.PARTNER, Role.LEADER])
def test_only_managers_rename_or_delete(scene, users, role):
    with pytest.raises(PermissionDenied):
        award_category_rename(category=scene.income, name="x", by=users[role])
    with pytest.raises(PermissionDenied):
        award_category_delete(category=scene.income, by=users[role])


def test_the_method_is_set_per_year_and_changed_in_place(db, secretariat):
    award_method_set(year=YEAR, by=secretariat, **WEIGHTS)
    award_method_set(
        year=YEAR, by=secretariat, **{**WEIGHTS, "agency_on_time": 5, "agency_evidence": 25}
    )
    method = AwardMethod.objects.get(year=YEAR)
    assert (method.agency_on_time, method.agency_evidence, method.set_by) == (5, 25, secretariat)


def test_weights_that_do_not_add_up_to_100_are_refused_with_the_sums(db, secretariat):
    with pytest.raises(ValidationError) as refused:
        award_method_set(
            year=YEAR, by=secretariat, **{**WEIGHTS, "agency_evidence": 25, "partner_people": 10}
        )
    assert refused.value.messages == [
        "Bobot perangkat daerah berjumlah 110 %, bukan 100 %: perbaiki bobotnya.",
        "Bobot mitra berjumlah 90 %, bukan 100 %: perbaiki bobotnya.",
    ]
    assert not AwardMethod.objects.exists()


def test_weights_are_fixed_once_a_winner_is_confirmed_by_them(scene, secretariat):
    award_method_set(year=YEAR, by=secretariat, **WEIGHTS)
    award_winners_confirm(
        category=scene.income,
        winners=[CandidateKey(CandidateKind.PARTNER, scene.sebuku.pk)],
        by=secretariat,
        today=TODAY,
    )
    with pytest.raises(ValidationError) as refused:
        award_method_set(
            year=YEAR, by=secretariat, **{**WEIGHTS, "agency_on_time": 5, "agency_evidence": 25}
        )
    assert refused.value.messages == [
        f"Pemenang sudah ditetapkan dengan bobot ini ({scene.income.name}): bobot tahun "
        "2026 tidak dapat diubah lagi."
    ]
    assert AwardMethod.objects.get(year=YEAR).agency_on_time == WEIGHTS["agency_on_time"]


def test_a_final_year_refuses_every_change(scene, secretariat):
    special = award_category_create(year=YEAR, name="Desa inovatif", by=secretariat)
    signed_report(YEAR)
    message = "Laporan akhir tahun 2026 sudah final: penghargaan tahun itu tidak dapat diubah lagi."
    attempts = [
        lambda: award_categories_ensure(year=YEAR, by=secretariat),
        lambda: award_category_create(year=YEAR, name="Khusus", by=secretariat),
        lambda: award_method_set(year=YEAR, by=secretariat, **WEIGHTS),
        lambda: award_candidate_add(
            category=scene.income, kind=OTHER, name="Desa Tarjun", justification="x",
            score=Decimal(50), by=secretariat,
        ),
        lambda: award_score_adjust(
            category=scene.income, key=CandidateKey(AGENCY, scene.dinsos.pk),
            score=Decimal(70), reason="x", by=secretariat,
        ),
        lambda: award_winners_confirm(
            category=scene.income, winners=[CandidateKey(AGENCY, scene.dinsos.pk)],
            by=secretariat,
        ),
        lambda: award_category_rename(category=scene.income, name="Pendapatan", by=secretariat),
        lambda: award_category_delete(category=special, by=secretariat),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert messages_of(refused.value) == message
    assert not AwardCandidate.objects.exists() and not AwardMethod.objects.exists()
    assert AwardCategory.objects.filter(name__in=[scene.income.name, special.name]).count() == 2
    # Another year is still open.
    assert award_categories_ensure(year=YEAR + 1, by=secretariat)


# --- candidates ------------------------------------------------------------------------


def test_an_agency_is_added_by_hand_with_its_justification(scene, secretariat):
    row = award_candidate_add(
        category=scene.income,
        kind=AGENCY,
        agency=scene.dinkes,
        justification="  Pelatihan kader kesehatan desa  ",
        by=secretariat,
    )
    assert (row.added_by_hand, row.justification, row.updated_by) == (
        True,
        "Pelatihan kader kesehatan desa",
        secretariat,
    )
    names = [item.name for item in ranking(scene.income, today=TODAY)]
    assert "Dinas Kesehatan" in names
    with pytest.raises(ValidationError) as refused:
        award_candidate_add(
            category=scene.income,
            kind=AGENCY,
            agency=scene.dinkes,
            justification="lagi",
            by=secretariat,
        )
    assert messages_of(refused.value) == "Kandidat ini sudah ditambahkan ke kategori ini."


def test_a_candidate_from_the_data_needs_no_adding(scene, secretariat):
    with pytest.raises(ValidationError) as refused:
        award_candidate_add(
            category=scene.income,
            kind=AGENCY,
            agency=scene.dinsos,
            justification="x",
            by=secretariat,
        )
    assert messages_of(refused.value) == (
        "Dinas Sosial P3AP2KB sudah menjadi kandidat kategori ini dari datanya: "
        "tidak perlu ditambahkan."
    )


def test_a_partner_with_a_general_commitment_is_added_by_hand(scene, secretariat):
    award_candidate_add(
        category=scene.income,
        kind=PARTNER,
        partner=scene.bank,
        justification="Dana CSR umum untuk pelatihan",
        by=secretariat,
    )
    assert "Bank Kalsel" in [item.name for item in ranking(scene.income, today=TODAY)]


def test_adding_asks_for_a_justification_and_the_one_added(scene, secretariat):
    with pytest.raises(ValidationError) as refused:
        award_candidate_add(
            category=scene.income,
            kind=AGENCY,
            agency=scene.dinkes,
            justification=" ",
            by=secretariat,
        )
    assert refused.value.message_dict == {
        "justification": ["Tuliskan alasan kandidat ini ditambahkan."]
    }
    with pytest.raises(ValidationError) as refused:
        award_candidate_add(category=scene.income, kind=PARTNER, justification="x", by=secretariat)
    assert refused.value.message_dict == {"partner": ["Pilih mitranya."]}


def test_an_other_candidate_needs_a_name_and_the_score_given(scene, secretariat):
    def add(**fields):
        return award_candidate_add(
            category=scene.income, kind=OTHER, justification="BUMDes maju", by=secretariat, **fields
        )

    with pytest.raises(ValidationError) as refused:
        add(name="", score=Decimal(80))
    assert refused.value.message_dict == {"name": ["Tuliskan nama kandidat, misalnya Desa Tarjun."]}
    with pytest.raises(ValidationError) as refused:
        add(name="Desa Tarjun")
    assert "score" in refused.value.message_dict
    with pytest.raises(ValidationError):
        add(name="Desa Tarjun", score=Decimal(101))
    row = add(name="Desa Tarjun", score=Decimal("77.5"))
    assert (row.adjusted_score, row.adjustment_reason) == (Decimal("77.5"), "BUMDes maju")
    with pytest.raises(ValidationError):
        add(name="desa tarjun", score=Decimal(60))


def test_removing_a_hand_added_candidate(scene, secretariat):
    other = award_candidate_add(
        category=scene.income, kind=OTHER, name="Desa Tarjun", justification="x",
        score=Decimal(50), by=secretariat,
    )  # fmt: skip
    award_candidate_add(
        category=scene.income, kind=AGENCY, agency=scene.dinkes, justification="x", by=secretariat
    )
    award_candidate_remove(category=scene.income, key=CandidateKey.of_row(other), by=secretariat)
    award_candidate_remove(
        category=scene.income, key=CandidateKey(AGENCY, scene.dinkes.pk), by=secretariat
    )
    assert not AwardCandidate.objects.exists()
    with pytest.raises(ValidationError):  # from the data: it stays
        award_candidate_remove(
            category=scene.income, key=CandidateKey(AGENCY, scene.dinsos.pk), by=secretariat
        )


def test_removing_a_winner_takes_its_win_unless_it_qualifies_from_the_data(scene, secretariat):
    # Dinkes (pillar 1 only) does not qualify here; Dinsos, added by hand before its plan
    # qualified, now does from its data.
    award_candidate_add(
        category=scene.income, kind=AGENCY, agency=scene.dinkes, justification="x", by=secretariat
    )
    AwardCandidate.objects.create(
        category=scene.income, kind=AGENCY, agency=scene.dinsos, added_by_hand=True,
        justification="Rencana aksi belum diverifikasi",
    )  # fmt: skip
    dinsos, dinkes = CandidateKey(AGENCY, scene.dinsos.pk), CandidateKey(AGENCY, scene.dinkes.pk)
    award_winners_confirm(
        category=scene.income, winners=[dinsos, dinkes], by=secretariat, today=TODAY
    )
    assert award_candidate_remove(category=scene.income, key=dinkes, by=secretariat) is True
    assert not AwardCandidate.objects.filter(agency=scene.dinkes).exists()
    assert award_candidate_remove(category=scene.income, key=dinsos, by=secretariat) is False
    row = AwardCandidate.objects.get(agency=scene.dinsos)
    assert row.is_winner and not row.added_by_hand and row.justification == ""
    scene.income.refresh_from_db()
    assert scene.income.confirmed_at is not None  # Dinsos still won


# --- adjustments -----------------------------------------------------------------------


def test_an_adjustment_needs_its_reason_and_can_be_cleared(scene, secretariat):
    key = CandidateKey(AGENCY, scene.disnaker.pk)
    with pytest.raises(ValidationError) as refused:
        award_score_adjust(
            category=scene.income, key=key, score=Decimal(70), reason=" ", by=secretariat
        )
    assert refused.value.message_dict == {"reason": ["Tuliskan alasan penyesuaiannya."]}
    row = award_score_adjust(
        category=scene.income,
        key=key,
        score=Decimal("70.25"),
        reason="Laporan tertunda karena banjir",
        by=secretariat,
    )
    assert (row.kind, row.agency, row.added_by_hand) == (AGENCY, scene.disnaker, False)
    disnaker = next(i for i in ranking(scene.income, today=TODAY) if i.key == key)
    assert (disnaker.computed, disnaker.final, disnaker.rank) == (
        Decimal("0.00"),
        Decimal("70.25"),
        2,
    )
    # Cleared, the row holds nothing any more: a candidate from the data needs none.
    assert (
        award_score_adjust(category=scene.income, key=key, score=None, reason="", by=secretariat)
        is None
    )
    assert not AwardCandidate.objects.exists()


def test_an_adjustment_is_refused_for_who_is_not_a_candidate_or_out_of_range(scene, secretariat):
    with pytest.raises(ValidationError) as refused:
        award_score_adjust(
            category=scene.income,
            key=CandidateKey(AGENCY, scene.dinkes.pk),  # pillar 1 only
            score=Decimal(50),
            reason="x",
            by=secretariat,
        )
    assert messages_of(refused.value) == "Ini bukan kandidat kategori ini."
    with pytest.raises(ValidationError) as refused:
        award_score_adjust(
            category=scene.income,
            key=CandidateKey(AGENCY, scene.dinsos.pk),
            score=Decimal("100.5"),
            reason="x",
            by=secretariat,
        )
    assert "adjusted_score" in refused.value.message_dict


def test_an_other_keeps_a_score(scene, secretariat):
    other = award_candidate_add(
        category=scene.income, kind=OTHER, name="Desa Tarjun", justification="BUMDes",
        score=Decimal(50), by=secretariat,
    )  # fmt: skip
    key = CandidateKey.of_row(other)
    with pytest.raises(ValidationError):
        award_score_adjust(category=scene.income, key=key, score=None, reason="", by=secretariat)
    row = award_score_adjust(
        category=scene.income, key=key, score=Decimal(85), reason="Dinilai ulang", by=secretariat
    )
    assert (row.adjusted_score, row.adjustment_reason, row.justification) == (
        Decimal(85),
        "Dinilai ulang",
        "BUMDes",
    )


# --- winners ---------------------------------------------------------------------------


def test_confirming_winners_stores_them_and_who_confirmed(scene, secretariat):
    sebuku, dinsos = CandidateKey(PARTNER, scene.sebuku.pk), CandidateKey(AGENCY, scene.dinsos.pk)
    category = award_winners_confirm(
        category=scene.income, winners=[sebuku, dinsos], by=secretariat, today=TODAY
    )
    assert category.confirmed_by == secretariat and category.confirmed_at is not None
    rows = AwardCandidate.objects.filter(category=scene.income, is_winner=True)
    assert {CandidateKey.of_row(row) for row in rows} == {sebuku, dinsos}
    winners = [i.name for i in ranking(scene.income, today=TODAY) if i.is_winner]
    assert winners == ["PT Sebuku Iron Lateritic Ores", "Dinas Sosial P3AP2KB"]
    # Confirmed again: the choice is replaced, and rows holding nothing else go.
    award_winners_confirm(category=scene.income, winners=[dinsos], by=secretariat, today=TODAY)
    assert [CandidateKey.of_row(row) for row in AwardCandidate.objects.all()] == [dinsos]


def test_winners_must_be_scored_candidates_and_at_least_one(scene, secretariat):
    with pytest.raises(ValidationError) as refused:
        award_winners_confirm(category=scene.income, winners=[], by=secretariat)
    assert refused.value.message_dict == {"winners": ["Pilih paling sedikit satu pemenang."]}
    stranger = AgencyFactory(acronym="Dishub", name="Dinas Perhubungan")
    with pytest.raises(ValidationError) as refused:
        award_winners_confirm(
            category=scene.income, winners=[CandidateKey(AGENCY, stranger.pk)], by=secretariat
        )
    assert refused.value.message_dict == {
        "winners": ["Pemenang harus kandidat kategori ini yang memiliki skor."]
    }
    assert AwardCategory.objects.get(pk=scene.income.pk).confirmed_at is None


def test_a_winner_keeps_its_row_when_its_adjustment_is_cleared(scene, secretariat):
    key = CandidateKey(AGENCY, scene.disnaker.pk)
    award_score_adjust(
        category=scene.income, key=key, score=Decimal(99), reason="x", by=secretariat
    )
    award_winners_confirm(category=scene.income, winners=[key], by=secretariat, today=TODAY)
    award_score_adjust(category=scene.income, key=key, score=None, reason="", by=secretariat)
    row = AwardCandidate.objects.get()
    assert row.is_winner and row.adjusted_score is None and row.adjustment_reason == ""


@pytest.mark.django_db(transaction=True)
def test_two_clerks_adding_the_same_village_at_once_add_it_once(monkeypatch):
    """On PostgreSQL, two real connections: the category's lock makes the check exact."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the row lock is PostgreSQL's")
    clerks = [UserFactory(role=Role.SECRETARIAT), UserFactory(role=Role.SECRETARIAT)]
    category = award_category_create(year=YEAR, name="Desa terbaik", by=clerks[0])
    locked = services._locked
    both_checking = threading.Barrier(2, timeout=5)

    def slow_lock(category):
        found = locked(category)
        # Without the lock both threads would pass here together and both would insert.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checking.wait(timeout=1)
        return found

    monkeypatch.setattr(services, "_locked", slow_lock)
    start = threading.Barrier(2)
    outcomes = []

    def add(clerk):
        start.wait()
        try:
            award_candidate_add(
                category=category, kind=OTHER, name="Desa Tarjun", justification="BUMDes",
                score=Decimal(80), by=clerk,
            )  # fmt: skip
            outcomes.append("added")
        except ValidationError as refused:
            outcomes.append(messages_of(refused))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["Kandidat ini sudah ditambahkan ke kategori ini.", "added"]
    assert AwardCandidate.objects.filter(category=category).count() == 1
