"""Joint commitment pages: entered once with all partners and lines, its document, who sees it."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from partners.models import Commitment, PartnerKind, Pledge, PledgeKind, RealisationStatus
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    PartnerFactory,
    PledgeFactory,
    ProgramFactory,
    RealisationFactory,
    UserFactory,
)
from tkpk.models import Role

pytestmark = pytest.mark.django_db

LANGADAI = "63.02.17.2003"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def pdf(name: str = "surat.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def lines(*rows: dict, initial: int = 0, total: int | None = None) -> dict:
    """The pledge form set's fields: one dict per line, keyed by field name."""
    data = {
        "pledges-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "pledges-INITIAL_FORMS": str(initial),
    }
    for index, row in enumerate(rows):
        data |= {f"pledges-{index}-{key}": value for key, value in row.items()}
    return data


def commitment_data(partners, *rows: dict, **changes) -> dict:
    data = {
        "title": "Komitmen Bersama Pemberdayaan Warga Miskin Produktif",
        "partners": [p.pk for p in partners],
        "signed_on": "2025-10-04",
        "start_date": "2025-10-04",
        "end_date": "2026-12-31",
        "government_signatories": "Wakil Bupati Kotabaru\nKepala Bappeda",
    }
    return data | lines(*rows) | changes


@pytest.fixture
def bank(db):
    return PartnerFactory(name="Bank Kalsel Cabang Kotabaru", kind=PartnerKind.BUMD)


@pytest.fixture
def bumdes(db):
    return PartnerFactory(name="BUMDes Pesona Rejo Jata Tegalrejo", kind=PartnerKind.BUMDES)


@pytest.fixture
def langadai(db):
    return AreaFactory(code=LANGADAI, name="Langadai")


def test_a_commitment_of_three_partners_is_entered_once_with_its_pledge_lines(
    client, users, partner, bank, bumdes, langadai
):
    program = ProgramFactory(code="KTB-WMP-2025")
    client.force_login(users[Role.SECRETARIAT])
    data = commitment_data(
        [partner, bank, bumdes],
        {"partner": partner.pk, "kind": "money", "quantity": "1.500.000.000", "unit": ""},
        {"partner": partner.pk, "kind": "jobs", "quantity": "20", "description": "Tenaga lokal"},
        {"partner": bank.pk, "kind": "money", "quantity": "250.000.000", "unit": "rupiah"},
        {
            "partner": bumdes.pk,
            "kind": "goods",
            "quantity": "2,5",
            "unit": "ton",
            "description": "Beras",
            "village": LANGADAI,
        },
        {"partner": "", "kind": "", "quantity": "", "unit": ""},  # an extra line left empty
        program=program.pk,
        document=pdf(),
    )
    response = client.post(reverse("partners:commitment_create"), data)

    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert set(commitment.partners.all()) == {partner, bank, bumdes}
    assert commitment.program == program
    assert commitment.document_name == "surat.pdf"
    assert commitment.created_by == users[Role.SECRETARIAT]
    pledges = {(p.partner.name, p.kind, p.quantity, p.unit) for p in commitment.pledges.all()}
    assert pledges == {
        (partner.name, PledgeKind.MONEY, 1_500_000_000, "Rp"),
        (partner.name, PledgeKind.JOBS, 20, "orang"),
        (bank.name, PledgeKind.MONEY, 250_000_000, "Rp"),
        (bumdes.name, PledgeKind.GOODS, 2.5, "ton"),
    }
    assert commitment.pledges.get(kind=PledgeKind.GOODS).village == langadai
    page = client.get(response.url).content.decode()
    assert "Rp 1.500.000.000" in page
    assert "Rp 1.750.000.000" in page  # money of both partners, summed
    assert "2,5 ton" in page
    assert "Wakil Bupati Kotabaru" in page
    assert reverse("partners:commitment_document", args=[commitment.pk]) in page


def test_goods_without_a_unit_are_refused_on_their_line(client, users, partner):
    client.force_login(users[Role.SECRETARIAT])
    data = commitment_data(
        [partner], {"partner": partner.pk, "kind": "goods", "quantity": "100", "unit": ""}
    )
    response = client.post(reverse("partners:commitment_create"), data)
    assert response.status_code == 400
    assert "Sebutkan satuannya" in response.content.decode()
    assert not Commitment.objects.exists()


def test_a_partner_page_link_ticks_that_partner(client, users, partner, bank):
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(reverse("partners:commitment_create"), {"partner": bank.pk}).content.decode()
    ticked = re.findall(r'<input[^>]*name="partners"[^>]*>', page)
    assert [tag for tag in ticked if "checked" in tag] == [
        tag for tag in ticked if f'value="{bank.pk}"' in tag
    ]
    assert len(ticked) == 2


def test_an_inactive_partner_is_offered_only_where_it_signed(client, users, partner):
    retired = PartnerFactory(name="PT Sudah Tidak Aktif", is_active=False)
    old = CommitmentFactory(partners=[retired])
    client.force_login(users[Role.SECRETARIAT])
    assert retired.name not in client.get(reverse("partners:commitment_create")).content.decode()
    page = client.get(reverse("partners:commitment_update", args=[old.pk])).content.decode()
    assert retired.name in page


def test_a_validation_error_keeps_everything_typed_and_the_chosen_document(
    client, users, partner, bank
):
    client.force_login(users[Role.SECRETARIAT])
    data = commitment_data(
        [partner, bank],
        {"partner": bank.pk, "kind": "money", "quantity": "1.500.000", "description": "Modal"},
        end_date="2025-01-31",  # before the start
        document=pdf("surat komitmen.pdf"),
    )
    response = client.post(reverse("partners:commitment_create"), data)

    assert response.status_code == 400
    assert not Commitment.objects.exists()
    page = response.content.decode()
    assert "Komitmen Bersama Pemberdayaan Warga Miskin Produktif" in page
    assert 'value="1.500.000"' in page
    assert 'value="Modal"' in page
    assert "Wakil Bupati Kotabaru" in page
    assert re.search(rf'name="partners" value="{bank.pk}"[^>]*checked', page)
    assert "“surat komitmen.pdf”" in page
    token = re.search(r'name="document_kept" value="([^"]+)"', page).group(1)

    # Corrected, without choosing the file again: the kept one is saved.
    data = commitment_data(
        [partner, bank],
        {"partner": bank.pk, "kind": "money", "quantity": "1.500.000", "description": "Modal"},
        document_kept=token,
    )
    response = client.post(reverse("partners:commitment_create"), data)
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.document_name == "surat komitmen.pdf"
    assert commitment.document.read() == PDF


def test_a_pledge_of_a_partner_that_did_not_sign_is_refused_and_the_document_kept(
    client, users, partner, bank
):
    client.force_login(users[Role.SECRETARIAT])
    data = commitment_data(
        [partner],
        {"partner": bank.pk, "kind": "money", "quantity": "1.000.000"},
        document=pdf(),
    )
    response = client.post(reverse("partners:commitment_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    message = gettext(
        "%(partner)s makes a pledge but is not among the signing partners: tick it."
    ) % {"partner": bank.name}
    assert message in page
    assert "“surat.pdf”" in page
    assert 'name="document_kept"' in page
    assert not Commitment.objects.exists()
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("surat.jpg", PDF), ("surat.pdf", EXE), ("setup.exe", EXE)],
    ids=["pdf-renamed-jpg", "exe-renamed-pdf", "exe"],
)
def test_a_document_is_checked_by_its_content_and_a_bad_one_saves_nothing(
    client, users, partner, name, content
):
    client.force_login(users[Role.SECRETARIAT])
    data = commitment_data(
        [partner],
        {"partner": partner.pk, "kind": "money", "quantity": "1.000.000"},
        document=SimpleUploadedFile(name, content),
    )
    response = client.post(reverse("partners:commitment_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“{name}”" in page
    assert 'name="document_kept"' not in page
    assert not Commitment.objects.exists()
    assert 'value="1.000.000"' in page


def test_the_document_is_served_to_signers_and_not_to_another_partner(client, users, partner):
    commitment = CommitmentFactory(partners=[partner], document_name="Komitmen 2025.pdf")
    commitment.document.save("abc.pdf", ContentFile(PDF))
    url = reverse("partners:commitment_document", args=[commitment.pk])

    client.force_login(users[Role.PARTNER])  # the operator of `partner`, which signed
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF

    other = UserFactory(role=Role.PARTNER, partner=PartnerFactory(name="PT Lain"))
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("partners:commitment_detail", args=[commitment.pk])).status_code == 404
    )


def test_a_commitment_without_a_document_has_none_to_download(client, users, partner):
    commitment = CommitmentFactory(partners=[partner])
    client.force_login(users[Role.SECRETARIAT])
    response = client.get(reverse("partners:commitment_document", args=[commitment.pk]))
    assert response.status_code == 404


def test_the_update_changes_lines_removes_one_and_keeps_the_document(
    client, users, joint_commitment
):
    joint = joint_commitment
    joint.commitment.document_name = "asli.pdf"
    joint.commitment.document.save("asli.pdf", ContentFile(PDF))
    rows = []
    for pledge in joint.commitment.pledges.all():
        row = {
            "id": pledge.pk,
            "partner": pledge.partner_id,
            "kind": pledge.kind,
            "quantity": str(pledge.quantity).replace(".", ","),
            "unit": pledge.unit,
            "description": pledge.description,
            "village": pledge.village_id or "",
        }
        if pledge == joint.bank_money:
            row["quantity"] = "300.000.000"
        if pledge == joint.goods:
            row["DELETE"] = "on"
        rows.append(row)
    data = commitment_data(
        joint.commitment.partners.all(), program=joint.commitment.program_id
    ) | lines(*rows, initial=len(rows))
    client.force_login(users[Role.ADMIN])
    response = client.post(reverse("partners:commitment_update", args=[joint.commitment.pk]), data)

    assert response.status_code == 302
    joint.bank_money.refresh_from_db()
    assert joint.bank_money.quantity == 300_000_000
    assert not Pledge.objects.filter(pk=joint.goods.pk).exists()
    joint.commitment.refresh_from_db()
    assert joint.commitment.document_name == "asli.pdf"


def test_a_pledge_line_with_realisations_cannot_be_removed(client, users, joint_commitment):
    joint = joint_commitment
    RealisationFactory(pledge=joint.goods, quantity=1)
    rows = [
        {
            "id": p.pk,
            "partner": p.partner_id,
            "kind": p.kind,
            "quantity": str(p.quantity).replace(".", ","),
            "unit": p.unit,
            "description": p.description,
            "village": p.village_id or "",
            **({"DELETE": "on"} if p == joint.goods else {}),
        }
        for p in joint.commitment.pledges.all()
    ]
    data = commitment_data(
        joint.commitment.partners.all(), program=joint.commitment.program_id
    ) | lines(*rows, initial=len(rows))
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("partners:commitment_update", args=[joint.commitment.pk]), data)

    assert response.status_code == 400
    message = gettext("The pledge of %(partner)s has realisations: it cannot be removed.") % {
        "partner": joint.bumdes.name
    }
    assert message in response.content.decode()
    assert Pledge.objects.filter(pk=joint.goods.pk).exists()


def test_a_pledge_line_of_another_commitment_cannot_be_edited_through_this_one(
    client, users, joint_commitment, partner
):
    elsewhere = PledgeFactory(commitment=CommitmentFactory(partners=[partner]), quantity=5_000)
    data = commitment_data(joint_commitment.commitment.partners.all()) | lines(
        {"id": elsewhere.pk, "partner": partner.pk, "kind": "money", "quantity": "9.000.000"},
        initial=1,
    )
    client.force_login(users[Role.SECRETARIAT])
    client.post(reverse("partners:commitment_update", args=[joint_commitment.commitment.pk]), data)
    elsewhere.refresh_from_db()
    assert elsewhere.quantity == 5_000
    assert elsewhere.commitment.pledges.count() == 1


def test_a_partner_with_pledge_lines_cannot_be_unticked(client, users, joint_commitment, partner):
    # Only the first line is sent back: the bank's lines, left out, are checked all the same.
    joint = joint_commitment
    money = joint.money
    data = commitment_data([partner]) | lines(
        {"id": money.pk, "partner": partner.pk, "kind": "money", "quantity": "500.000.000"},
        initial=1,
    )
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(reverse("partners:commitment_update", args=[joint.commitment.pk]), data)
    assert response.status_code == 400
    assert joint.commitment.partners.count() == 3


@pytest.mark.parametrize("role", [Role.AGENCY, Role.LEADER, Role.PARTNER])
def test_only_the_secretariat_and_admin_enter_commitments(client, users, partner, role):
    commitment = CommitmentFactory(partners=[partner])
    client.force_login(users[role])
    data = commitment_data(
        [partner], {"partner": partner.pk, "kind": "money", "quantity": "1.000.000"}
    )
    assert client.get(reverse("partners:commitment_create")).status_code == 403
    assert client.post(reverse("partners:commitment_create"), data).status_code == 403
    update = reverse("partners:commitment_update", args=[commitment.pk])
    assert client.post(update, data).status_code == 403
    assert Commitment.objects.count() == 1


def test_a_leader_reads_the_commitment_but_is_offered_no_change(client, users, joint_commitment):
    client.force_login(users[Role.LEADER])
    response = client.get(
        reverse("partners:commitment_detail", args=[joint_commitment.commitment.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert joint_commitment.bank.name in page
    assert reverse("partners:commitment_update", args=[joint_commitment.commitment.pk]) not in page
    assert "Catat realisasi" not in page


def test_the_commitment_page_sums_per_partner_and_shows_each_partner_its_own_entries(
    client, users, joint_commitment
):
    joint = joint_commitment
    mine = RealisationFactory(
        pledge=joint.money, quantity=100_000_000, status=RealisationStatus.VERIFIED
    )
    theirs = RealisationFactory(pledge=joint.bank_money, quantity=50_000_000)
    url = reverse("partners:commitment_detail", args=[joint.commitment.pk])

    client.force_login(users[Role.PARTNER])
    page = client.get(url).content.decode()
    # Every signer's lines and the totals...
    assert "Rp 750.000.000" in page  # pledged in money by both
    assert "Rp 150.000.000" in page  # reported by both
    assert "Rp 250.000.000" in page  # the bank's line
    # ...but only its own partner's realisations, and it records only against its own lines.
    assert reverse("partners:realisation_detail", args=[mine.pk]) in page
    assert reverse("partners:realisation_detail", args=[theirs.pk]) not in page
    assert reverse("partners:realisation_create", args=[joint.money.pk]) in page
    assert reverse("partners:realisation_create", args=[joint.bank_money.pk]) not in page

    client.force_login(users[Role.SECRETARIAT])
    page = client.get(url).content.decode()
    assert reverse("partners:realisation_detail", args=[theirs.pk]) in page
    assert reverse("partners:realisation_create", args=[joint.bank_money.pk]) in page
    assert "Menunggu verifikasi" in page or gettext("Awaiting verification") in page


def test_the_list_filters_by_year_program_partner_and_type(client, users, partner, bank):
    program = ProgramFactory(code="KTB-WMP-2025")
    joint = CommitmentFactory(title="Komitmen Kotabaru", partners=[partner, bank], program=program)
    old = CommitmentFactory(
        title="Komitmen Lama",
        partners=[PartnerFactory(name="Baznas Kotabaru", kind=PartnerKind.BAZNAS)],
        signed_on=datetime.date(2023, 1, 5),
        start_date=datetime.date(2023, 1, 5),
        end_date=datetime.date(2023, 12, 31),
    )
    client.force_login(users[Role.AGENCY])
    url = reverse("partners:commitment_list")

    def titles(**query) -> set[str]:
        page = client.get(url, query).content.decode()
        return {c.title for c in (joint, old) if c.title in page}

    assert titles() == {"Komitmen Kotabaru", "Komitmen Lama"}
    assert titles(year=2026) == {"Komitmen Kotabaru"}
    assert titles(year=2023) == {"Komitmen Lama"}
    assert titles(program=program.pk) == {"Komitmen Kotabaru"}
    assert titles(partner=bank.pk) == {"Komitmen Kotabaru"}
    assert titles(kind=PartnerKind.BAZNAS) == {"Komitmen Lama"}
    assert titles(kind=PartnerKind.BUMD) == {"Komitmen Kotabaru"}
    assert "Komitmen bersama baru" not in client.get(url).content.decode()


def test_a_partner_operator_lists_only_what_its_partner_signed(client, users, partner):
    CommitmentFactory(title="Komitmen Kami", partners=[partner])
    CommitmentFactory(title="Komitmen Orang Lain", partners=[PartnerFactory(name="PT Lain")])
    client.force_login(users[Role.PARTNER])
    page = client.get(reverse("partners:commitment_list")).content.decode()
    assert "Komitmen Kami" in page
    assert "Komitmen Orang Lain" not in page
    assert "PT Lain" not in page  # not even in the partner filter


def test_the_secretariat_is_offered_a_new_commitment(client, users):
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(reverse("partners:commitment_list")).content.decode()
    assert "Komitmen bersama baru" in page
    page = client.get(reverse("partners:commitment_create")).content.decode()
    assert 'id="pledges-empty-form"' in page
    assert "Tambah baris" in page


def test_a_partner_operator_finds_links_only_to_its_own_partner_page(
    client, users, joint_commitment, partner
):
    commitment = joint_commitment.commitment
    own = reverse("partners:partner_detail", args=[partner.pk])
    bank = reverse("partners:partner_detail", args=[joint_commitment.bank.pk])
    pages = [
        reverse("partners:commitment_detail", args=[commitment.pk]),
        reverse("programs:program_detail", args=[commitment.program.code]),
    ]
    client.force_login(users[Role.PARTNER])
    for url in pages:
        page = client.get(url).content.decode()
        assert f'href="{own}"' in page and f'href="{bank}"' not in page, url
        assert "Bank Kalsel Cabang Kotabaru" in page, url  # named, as a co-signer
    client.force_login(users[Role.LEADER])
    for url in pages:
        assert f'href="{bank}"' in client.get(url).content.decode(), url


def field_errors(page: str, field_id: str) -> str:
    """The text of the errors shown under the field `field_id` (components/field.html)."""
    found = re.search(rf'id="{field_id}_error">(.*?)</div>\s*</div>', page, re.S)
    return re.sub(r"<[^>]+>", " ", found[1]) if found else ""


def top_of_form(page: str) -> str:
    """What the alert above the form lists."""
    return re.search(r'data-testid="form-errors">(.*?)</div>', page, re.S)[1]


def test_an_end_before_the_start_and_a_line_of_an_unticked_partner_are_marked_at_once(
    client, users, partner, bank
):
    client.force_login(users[Role.SECRETARIAT])
    data = commitment_data(
        [partner],
        {"partner": partner.pk, "kind": "money", "quantity": "1.000.000"},
        {"partner": bank.pk, "kind": "money", "quantity": "2.000.000"},
        end_date="2025-01-31",  # before the start
        document=pdf(),
    )
    response = client.post(reverse("partners:commitment_create"), data)

    assert response.status_code == 400
    page = response.content.decode()
    end = gettext("The end of the period must not be before its start.")
    unticked = gettext(
        "%(partner)s makes a pledge but is not among the signing partners: tick it."
    ) % {"partner": bank.name}
    # Each under its own field, in the same round, and said once.
    assert end in field_errors(page, "id_end_date")
    assert unticked in field_errors(page, "id_pledges-1-partner")
    assert not field_errors(page, "id_pledges-0-partner")
    assert end not in top_of_form(page) and unticked not in top_of_form(page)
    assert page.count(end) == 1
    assert "“surat.pdf”" in page and 'name="document_kept"' in page
    assert not Commitment.objects.exists()


def test_a_line_of_an_unticked_partner_keeps_the_document_while_the_form_passes(
    client, users, partner, bank
):
    client.force_login(users[Role.SECRETARIAT])
    data = commitment_data(
        [partner], {"partner": bank.pk, "kind": "money", "quantity": "1.000.000"}, document=pdf()
    )
    page = client.post(reverse("partners:commitment_create"), data).content.decode()
    token = re.search(r'name="document_kept" value="([^"]+)"', page)[1]

    data = commitment_data(
        [partner, bank],
        {"partner": bank.pk, "kind": "money", "quantity": "1.000.000"},
        document_kept=token,
    )
    assert client.post(reverse("partners:commitment_create"), data).status_code == 302
    assert Commitment.objects.get().document_name == "surat.pdf"


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("2,5", "Jobs and training places are counted whole: write a whole number."),
        ("0", "Enter a number greater than 0."),
    ],
    ids=["half-a-job", "zero"],
)
def test_a_pledge_quantity_the_model_refuses_is_marked_on_its_line(
    client, users, partner, quantity, message
):
    client.force_login(users[Role.SECRETARIAT])
    data = commitment_data(
        [partner],
        {"partner": partner.pk, "kind": "money", "quantity": "1.000.000"},
        {"partner": partner.pk, "kind": "jobs", "quantity": quantity},
    )
    response = client.post(reverse("partners:commitment_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert gettext(message) in field_errors(page, "id_pledges-1-quantity")
    assert f'value="{quantity}"' in page
    assert not Commitment.objects.exists()


def test_no_signing_partner_ticked_is_said_in_the_partners_box(client, users, partner):
    client.force_login(users[Role.SECRETARIAT])
    data = commitment_data([], {"partner": partner.pk, "kind": "money", "quantity": "1.000.000"})
    response = client.post(reverse("partners:commitment_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    fieldset = re.search(r"<fieldset class=\"mb-3\".*?</fieldset>", page, re.S)[0]
    assert 'data-testid="signing-partners"' in fieldset
    assert gettext("This field is required.") in field_errors(fieldset, "id_partners")


def test_the_edit_page_reads_the_partners_and_villages_once_for_all_its_lines(
    client, users, partner, bank, bumdes, langadai, django_assert_max_num_queries
):
    commitment = CommitmentFactory(partners=[partner, bank, bumdes])
    url = reverse("partners:commitment_update", args=[commitment.pk])
    client.force_login(users[Role.SECRETARIAT])

    def queries_with(lines: int) -> int:
        for _ in range(lines - commitment.pledges.count()):
            PledgeFactory(commitment=commitment, partner=bank, village=langadai)
        with django_assert_max_num_queries(1000) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few, many = queries_with(2), queries_with(12)
    assert many == few


def test_the_list_shows_what_was_reported_beside_what_was_verified(client, users, joint_commitment):
    RealisationFactory(pledge=joint_commitment.money, quantity=150_000_000)  # awaiting
    RealisationFactory(
        pledge=joint_commitment.bank_money, quantity=75_000_000, status=RealisationStatus.VERIFIED
    )
    client.force_login(users[Role.LEADER])
    page = client.get(reverse("partners:commitment_list")).content.decode()
    cell = re.sub(r"\s+", " ", re.search(r'data-testid="commitment-tallies">(.*?)</td>', page)[1])
    # Rp 750.000.000 pledged; 225.000.000 reported (30 %), 75.000.000 of it verified (10 %).
    assert "Rp 750.000.000" in cell
    assert "30 % dilaporkan, 10 % terverifikasi" in cell


def test_every_table_of_the_commitment_page_fits_a_phone(client, users, joint_commitment):
    RealisationFactory(pledge=joint_commitment.money)
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(
        reverse("partners:commitment_detail", args=[joint_commitment.commitment.pk])
    ).content.decode()
    tables = re.findall(r"<table[^>]*>", page)
    assert len(tables) >= 4  # by kind, by each of the three partners, the pledge lines
    # Each becomes a stack of cards on a phone (tkpk.css) instead of reaching past its edge.
    assert all("table-stack" in table for table in tables), tables
