import datetime
from collections import Counter
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from partners import demo
from partners.models import (
    RUPIAH,
    Commitment,
    Evidence,
    Partner,
    PartnerKind,
    PartnerTarget,
    Pledge,
    PledgeKind,
    Realisation,
    RealisationStatus,
)
from partners.selectors import participants_helped, partner_target_progress, partner_to_do
from programs.models import FundingSource, Program
from tkpk.models import Role, User

pytestmark = pytest.mark.django_db

MODELS = (Partner, PartnerTarget, Commitment, Pledge, Realisation, Evidence, User)

SIGNATORIES_OF_SEED_000 = {
    "PT Arutmin Indonesia NPLCT": PartnerKind.COMPANY,
    "PT Indocement Tunggal Prakasa Unit Tarjun": PartnerKind.COMPANY,
    "PT Guthrie Internasional Pulau Laut Refinery": PartnerKind.COMPANY,
    "PT AKR Corporindo Tbk": PartnerKind.COMPANY,
    "PT Smart Tbk Unit Tarjun": PartnerKind.COMPANY,
    "PT Jasa Baratana Anugerah": PartnerKind.COMPANY,
    "Bank Kalsel Cabang Kotabaru": PartnerKind.BUMD,
    "BUMDes Pesona Rejo Jata Tegalrejo": PartnerKind.BUMDES,
}
KOTABARU_VILLAGES = {
    "63.02.17.2003",
    "63.02.17.2006",
    "63.02.17.2002",
    "63.02.06.2013",
    "63.02.22.2005",
}
# A day inside the Kotabaru commitment's period, so the tests do not depend on the clock.
DURING = datetime.date(2026, 6, 1)


@dataclass(frozen=True)
class Loaded:
    first: list[int]  # rows of MODELS after the first load
    second: list[int]  # ... and after the second


def _seed() -> None:
    call_command("seed_demo", force=True, stdout=StringIO(), stderr=StringIO())


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded twice, once for the whole module (it takes seconds), then undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        _seed()
        first = [model.objects.count() for model in MODELS]
        _seed()
        yield Loaded(first, [model.objects.count() for model in MODELS])
        transaction.set_rollback(True)


@pytest.fixture
def kotabaru(loaded) -> Commitment:
    return Commitment.objects.get(program__code="KTB-WMP-2025")


def test_the_eight_signatories_of_seed_000_sign_one_commitment_for_the_program(kotabaru):
    assert kotabaru.signed_on == datetime.date(2025, 10, 4)
    assert dict(kotabaru.partners.values_list("name", "kind")) == SIGNATORIES_OF_SEED_000
    assert "Wakil Bupati Kotabaru" in kotabaru.government_signatories
    assert "Kepala BPS" in kotabaru.government_signatories
    assert Commitment.objects.filter(program__code="KTB-WMP-2025").count() == 1
    # Every signatory pledges something, some for the program's villages.
    pledges = kotabaru.pledges.all()
    assert {p.partner.name for p in pledges} == set(SIGNATORIES_OF_SEED_000)
    villages = {p.village_id for p in pledges if p.village_id}
    assert villages and villages <= KOTABARU_VILLAGES
    assert {p.kind for p in pledges} == set(PledgeKind.values)


def test_the_demo_says_its_pledges_are_invented(kotabaru):
    for pledge in Pledge.objects.all():
        assert pledge.description.endswith("(nilai contoh)")
    # The rupiah pledged are the program's CSR budget line.
    pledged = kotabaru.pledges.filter(unit=RUPIAH).aggregate(total=Sum("quantity"))["total"]
    budget = Program.objects.get(code="KTB-WMP-2025").budget_lines.get(source=FundingSource.CSR)
    assert pledged == budget.amount == 185_000_000


def test_the_signed_document_is_a_pdf_stored_as_an_upload_is(kotabaru):
    assert kotabaru.document_name.endswith(".pdf")
    assert kotabaru.document.name.startswith("partners/commitments/")
    assert kotabaru.document.name != f"partners/commitments/{kotabaru.document_name}"
    with kotabaru.document.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    assert b"Dokumen contoh untuk demo" in content


def test_realisations_are_in_every_state_reviewed_by_the_secretariat(kotabaru):
    realisations = Realisation.objects.filter(pledge__commitment=kotabaru)
    assert set(realisations.values_list("status", flat=True)) == set(RealisationStatus.values)
    for realisation in realisations:
        assert kotabaru.start_date <= realisation.delivered_on <= kotabaru.end_date
        if realisation.status == RealisationStatus.SUBMITTED:
            assert realisation.reviewed_by is None
        else:
            assert realisation.reviewed_by.username == "sekretariat"
        if realisation.status == RealisationStatus.RETURNED:
            assert realisation.review_comment
        # Entered after delivery and reviewed after entry, as the story goes, so that the
        # verification queue's order (by entry) reads sensibly.
        assert timezone.localdate(realisation.entered_at) > realisation.delivered_on
        if realisation.reviewed_at:
            assert realisation.reviewed_at > realisation.entered_at
    assert Evidence.objects.filter(realisation__in=realisations).exists()


def test_mitra_is_pt_arutmins_operator_with_something_to_do(loaded):
    mitra = User.objects.get(username="mitra")
    assert (mitra.role, mitra.partner.name) == (Role.PARTNER, "PT Arutmin Indonesia NPLCT")
    assert mitra.name == "Petugas CSR PT Arutmin"
    to_do = partner_to_do(mitra.partner_id, today=DURING)
    assert [r.entered_by for r in to_do.returned] == [mitra]
    assert to_do.due and to_do.awaiting == 1
    # The other partners have no operator in the demo: the secretariat entered theirs.
    others = Realisation.objects.exclude(pledge__partner=mitra.partner)
    assert set(others.values_list("entered_by__username", flat=True)) == {"sekretariat"}


def test_the_program_page_can_say_who_got_jobs_through_which_partner(kotabaru):
    helped = {
        (h.partner, h.kind): h.participants
        for h in participants_helped(kotabaru.program, Commitment.objects.all())
    }
    assert helped[("PT Indocement Tunggal Prakasa Unit Tarjun", PledgeKind.JOBS)] == 3
    assert helped[("BUMDes Pesona Rejo Jata Tegalrejo", PledgeKind.JOBS)] == 2
    named = Realisation.participants.through.objects.filter(
        realisation__pledge__commitment=kotabaru
    )
    assert {link.enrollment.program.code for link in named} == {"KTB-WMP-2025"}
    assert max(Counter(link.enrollment_id for link in named).values()) == 1


def test_baznas_and_the_csr_forum_sign_a_general_commitment(loaded):
    general = Commitment.objects.get(program=None)
    assert dict(general.partners.values_list("name", "kind")) == {
        "Baznas Kabupaten Kotabaru": PartnerKind.BAZNAS,
        "Forum CSR Kabupaten Kotabaru": PartnerKind.OTHER,
    }
    assert "(contoh)" in general.title
    assert Partner.objects.get(name="Forum CSR Kabupaten Kotabaru").in_csr_forum
    assert general.document_name.endswith(".pdf")


def test_the_partner_list_has_something_to_filter_and_a_target(loaded):
    kinds = set(Partner.objects.values_list("kind", flat=True))
    assert kinds == set(PartnerKind.values)
    without = Partner.objects.filter(commitments=None)
    assert {PartnerKind.COMMUNITY, PartnerKind.UNIVERSITY} <= set(
        without.values_list("kind", flat=True)
    )
    members = Partner.objects.filter(in_csr_forum=True, name__in=SIGNATORIES_OF_SEED_000)
    assert 0 < members.count() < len(SIGNATORIES_OF_SEED_000)
    progress = partner_target_progress(2026)
    assert (progress.target, progress.actual) == (50, 10)
    assert partner_target_progress(2025).actual == 8


def test_loading_the_demo_twice_adds_nothing(loaded):
    assert loaded.first == loaded.second
    assert loaded.first[MODELS.index(Commitment)] == len(demo.DEMO_COMMITMENTS)
