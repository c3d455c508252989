"""Realisation pages: recording what arrived with evidence, naming participants, verifying,
and a partner operator kept to its own partner's pledges and entries."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from partners.models import Evidence, Realisation, RealisationStatus
from programs.models import EnrollmentStatus, ExitReason
from tests.factories import EnrollmentFactory, ProgramFactory, RealisationFactory, UserFactory
from tkpk.models import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + b"\x00" * 32


def upload(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def evidence_of(realisation: Realisation, name: str = "kuitansi.pdf") -> Evidence:
    item = Evidence(realisation=realisation, name=name, uploaded_by=realisation.entered_by)
    item.file.save("0123.pdf", ContentFile(PDF), save=False)
    item.save()
    return item


def create_url(pledge) -> str:
    return reverse("partners:realisation_create", args=[pledge.pk])


def test_a_partner_operator_records_a_realisation_with_evidence(client, users, joint_commitment):
    money = joint_commitment.money
    client.force_login(users[Role.PARTNER])
    response = client.post(
        create_url(money),
        {
            "delivered_on": "2025-11-10",
            "quantity": "125.000.000",
            "note": "Tahap pertama",
            "evidence": [upload("kuitansi.pdf"), upload("foto serah terima.png", PNG)],
        },
    )

    assert response.status_code == 302
    realisation = Realisation.objects.get()
    assert (realisation.pledge, realisation.quantity) == (money, 125_000_000)
    assert realisation.status == RealisationStatus.SUBMITTED
    assert realisation.entered_by == users[Role.PARTNER]
    assert sorted(realisation.evidence.values_list("name", flat=True)) == [
        "foto serah terima.png",
        "kuitansi.pdf",
    ]
    page = client.get(response.url).content.decode()
    assert "Rp 125.000.000" in page
    assert "Tahap pertama" in page
    assert "Menunggu verifikasi" in page
    item = realisation.evidence.get(name="kuitansi.pdf")
    download = client.get(reverse("partners:evidence_download", args=[realisation.pk, item.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_a_validation_error_keeps_what_was_typed_and_the_evidence(client, users, joint_commitment):
    money = joint_commitment.money
    client.force_login(users[Role.PARTNER])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        create_url(money),
        {
            "delivered_on": tomorrow.isoformat(),
            "quantity": "1.250.000",
            "note": "Tahap pertama",
            "evidence": [upload("kuitansi.pdf"), upload("foto.png", PNG)],
        },
    )

    assert response.status_code == 400
    assert not Realisation.objects.exists()
    page = response.content.decode()
    assert "Tanggal penyerahan tidak boleh di masa depan." in page
    assert 'value="1.250.000"' in page
    assert "Tahap pertama" in page
    assert "Sudah dipilih:" in page and "“kuitansi.pdf”" in page and "“foto.png”" in page
    tokens = re.findall(r'name="evidence_kept" value="([^"]+)"', page)
    assert len(tokens) == 2

    response = client.post(
        create_url(money),
        {"delivered_on": "2025-11-10", "quantity": "1.250.000", "evidence_kept": tokens},
    )
    assert response.status_code == 302
    assert sorted(Evidence.objects.values_list("name", flat=True)) == ["foto.png", "kuitansi.pdf"]


def test_evidence_that_is_not_what_its_name_says_is_refused(client, users, joint_commitment):
    client.force_login(users[Role.PARTNER])
    response = client.post(
        create_url(joint_commitment.money),
        {"delivered_on": "2025-11-10", "quantity": "1.000", "evidence": [upload("foto.jpg")]},
    )
    assert response.status_code == 400
    assert "“foto.jpg”" in response.content.decode()
    assert not Realisation.objects.exists()


def test_a_partner_operator_cannot_record_against_another_partners_pledge(
    client, users, joint_commitment
):
    client.force_login(users[Role.PARTNER])
    url = create_url(joint_commitment.bank_money)
    assert client.get(url).status_code == 404
    response = client.post(url, {"delivered_on": "2025-11-10", "quantity": "1.000.000"})
    assert response.status_code == 404
    assert not Realisation.objects.exists()


def test_a_partner_operator_cannot_open_or_change_another_partners_realisation(
    client, users, joint_commitment
):
    theirs = RealisationFactory(pledge=joint_commitment.bank_money, note="Catatan bank")
    item = evidence_of(theirs)
    client.force_login(users[Role.PARTNER])
    assert client.get(reverse("partners:realisation_detail", args=[theirs.pk])).status_code == 404
    update = reverse("partners:realisation_update", args=[theirs.pk])
    assert client.get(update).status_code == 404
    response = client.post(update, {"delivered_on": "2025-11-10", "quantity": "1"})
    assert response.status_code == 404
    download = reverse("partners:evidence_download", args=[theirs.pk, item.pk])
    assert client.get(download).status_code == 404
    page = client.get(reverse("partners:realisation_list")).content.decode()
    assert "Catatan bank" not in page
    assert reverse("partners:realisation_detail", args=[theirs.pk]) not in page
    theirs.refresh_from_db()
    assert theirs.quantity == 25_000_000


def test_evidence_is_reached_only_through_its_own_realisation(client, users, joint_commitment):
    mine = RealisationFactory(pledge=joint_commitment.money)
    theirs = RealisationFactory(pledge=joint_commitment.bank_money)
    item = evidence_of(theirs)
    client.force_login(users[Role.PARTNER])
    url = reverse("partners:evidence_download", args=[mine.pk, item.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.AGENCY, Role.LEADER])
def test_agency_operators_and_leaders_read_but_neither_record_nor_review(
    client, users, joint_commitment, role
):
    realisation = RealisationFactory(pledge=joint_commitment.money)
    client.force_login(users[role])
    page = client.get(reverse("partners:realisation_detail", args=[realisation.pk]))
    assert page.status_code == 200
    assert 'data-testid="review-form"' not in page.content.decode()
    assert (
        reverse("partners:realisation_update", args=[realisation.pk]) not in page.content.decode()
    )
    assert client.get(create_url(joint_commitment.money)).status_code == 403
    data = {"delivered_on": "2025-11-10", "quantity": "1.000"}
    assert client.post(create_url(joint_commitment.money), data).status_code == 403
    review = reverse("partners:realisation_review", args=[realisation.pk])
    assert client.post(review, {"decision": "verify", "version": 1}).status_code == 403
    realisation.refresh_from_db()
    assert realisation.status == RealisationStatus.SUBMITTED
    assert Realisation.objects.count() == 1


def test_a_partner_operator_cannot_review_its_own_entry(client, users, joint_commitment):
    realisation = RealisationFactory(pledge=joint_commitment.money)
    client.force_login(users[Role.PARTNER])
    review = reverse("partners:realisation_review", args=[realisation.pk])
    assert client.post(review, {"decision": "verify", "version": 1}).status_code == 403
    realisation.refresh_from_db()
    assert realisation.status == RealisationStatus.SUBMITTED


def test_returning_without_a_comment_is_refused(client, users, joint_commitment):
    realisation = RealisationFactory(pledge=joint_commitment.money)
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("partners:realisation_review", args=[realisation.pk]),
        {"decision": "return", "version": 1, "comment": "  "},
    )
    assert response.status_code == 400
    assert gettext("Say why the realisation is returned.") in response.content.decode()
    realisation.refresh_from_db()
    assert realisation.status == RealisationStatus.SUBMITTED


def test_verifying_moves_the_sums_on_the_commitment_page(client, users, joint_commitment):
    realisation = RealisationFactory(pledge=joint_commitment.money, quantity=125_000_000)
    commitment_url = reverse("partners:commitment_detail", args=[joint_commitment.commitment.pk])
    client.force_login(users[Role.SECRETARIAT])

    def pledge_cells() -> tuple[str, str]:
        page = client.get(commitment_url).content.decode()
        row = re.search(rf'<tr data-pledge="{joint_commitment.money.pk}">(.*?)</tr>', page, re.S)
        cell = {
            label: re.sub(r"\s+", " ", re.search(rf'data-label="{label}">(.*?)</td>', row[1])[1])
            for label in (gettext("Reported"), gettext("Verified"))
        }
        return cell[gettext("Reported")], cell[gettext("Verified")]

    reported, verified = pledge_cells()
    assert reported.startswith("Rp 125.000.000")
    assert verified == "Rp 0"

    detail = client.get(reverse("partners:realisation_detail", args=[realisation.pk]))
    assert 'data-testid="review-form"' in detail.content.decode()
    response = client.post(
        reverse("partners:realisation_review", args=[realisation.pk]),
        {"decision": "verify", "version": 1},
    )
    assert response.status_code == 302
    realisation.refresh_from_db()
    assert realisation.status == RealisationStatus.VERIFIED
    assert realisation.reviewed_by == users[Role.SECRETARIAT]
    reported, verified = pledge_cells()
    assert reported.startswith("Rp 125.000.000")
    assert verified == "Rp 125.000.000"
    page = client.get(commitment_url).content.decode()
    assert "25 %" in page  # 125 of 500 million verified

    # A second review of the same entry is told why, not a crash.
    again = client.post(
        reverse("partners:realisation_review", args=[realisation.pk]),
        {"decision": "return", "version": 1, "comment": "Kurang bukti"},
    )
    assert again.status_code == 400
    assert "tidak lagi menunggu verifikasi" in again.content.decode()
    realisation.refresh_from_db()
    assert realisation.status == RealisationStatus.VERIFIED


def test_a_returned_entry_is_corrected_and_awaits_verification_again(
    client, users, joint_commitment
):
    realisation = RealisationFactory(pledge=joint_commitment.money, quantity=100_000_000)
    client.force_login(users[Role.SECRETARIAT])
    client.post(
        reverse("partners:realisation_review", args=[realisation.pk]),
        {"decision": "return", "version": 1, "comment": "Jumlah tidak sesuai kuitansi"},
    )
    realisation.refresh_from_db()
    assert realisation.status == RealisationStatus.RETURNED

    client.force_login(users[Role.PARTNER])
    update = reverse("partners:realisation_update", args=[realisation.pk])
    page = client.get(update).content.decode()
    assert "Jumlah tidak sesuai kuitansi" in page
    assert 'value="100.000.000"' in page
    response = client.post(update, {"delivered_on": "2025-11-10", "quantity": "95.000.000"})
    assert response.status_code == 302
    realisation.refresh_from_db()
    assert (realisation.status, realisation.quantity) == (RealisationStatus.SUBMITTED, 95_000_000)


def test_a_verified_entry_cannot_be_changed(client, users, joint_commitment):
    realisation = RealisationFactory(
        pledge=joint_commitment.money, status=RealisationStatus.VERIFIED
    )
    client.force_login(users[Role.PARTNER])
    update = reverse("partners:realisation_update", args=[realisation.pk])
    page = client.get(update).content.decode()
    assert "Realisasi ini sudah terverifikasi: tidak dapat diubah lagi." in page
    assert 'name="quantity"' not in page
    response = client.post(update, {"delivered_on": "2025-11-10", "quantity": "1"})
    assert response.status_code == 400
    realisation.refresh_from_db()
    assert realisation.quantity == 25_000_000
    detail = client.get(reverse("partners:realisation_detail", args=[realisation.pk]))
    assert update not in detail.content.decode()


@pytest.fixture
def participants(joint_commitment):
    """Three enrolled in the commitment's program, one who exited, one of another program."""
    program = joint_commitment.commitment.program
    enrolled = [EnrollmentFactory(program=program) for _ in range(3)]
    exited = EnrollmentFactory(
        program=program, status=EnrollmentStatus.EXITED, exit_reason=ExitReason.MOVED
    )
    stranger = EnrollmentFactory(program=ProgramFactory(code="LAIN-2025"))
    return enrolled, exited, stranger


def test_the_secretariat_names_the_participants_who_got_the_jobs(
    client, users, joint_commitment, participants
):
    enrolled, exited, stranger = participants
    jobs = joint_commitment.jobs
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(create_url(jobs)).content.decode()
    for enrollment in enrolled:
        assert enrollment.person.name in page
    assert exited.person.name not in page
    assert stranger.person.name not in page

    response = client.post(
        create_url(jobs),
        {
            "delivered_on": "2025-11-10",
            "quantity": "2",
            "participants": [enrolled[0].pk, enrolled[1].pk],
        },
    )
    assert response.status_code == 302
    realisation = Realisation.objects.get()
    assert set(realisation.participants.all()) == {enrolled[0], enrolled[1]}
    page = client.get(response.url).content.decode()
    assert enrolled[0].person.name in page

    # The partner's operator sees how many were named, not who.
    client.force_login(users[Role.PARTNER])
    page = client.get(response.url).content.decode()
    assert enrolled[0].person.name not in page
    assert "2 peserta program disebut." in page


def test_no_more_participants_than_delivered_and_only_the_programs_own(
    client, users, joint_commitment, participants
):
    enrolled, _exited, stranger = participants
    client.force_login(users[Role.SECRETARIAT])
    url = create_url(joint_commitment.jobs)
    response = client.post(
        url,
        {"delivered_on": "2025-11-10", "quantity": "2", "participants": [e.pk for e in enrolled]},
    )
    assert response.status_code == 400
    assert "3 peserta disebut, padahal yang diserahkan 2." in response.content.decode()
    # The ticks survive the refusal.
    assert (
        len(re.findall(r'name="participants" value="\d+"[^>]*checked', response.content.decode()))
        == 3
    )

    response = client.post(
        url, {"delivered_on": "2025-11-10", "quantity": "2", "participants": [stranger.pk]}
    )
    assert response.status_code == 400
    assert not Realisation.objects.exists()


def test_a_partner_operator_is_never_offered_the_participants(
    client, users, joint_commitment, participants
):
    enrolled, _exited, _stranger = participants
    client.force_login(users[Role.PARTNER])
    url = create_url(joint_commitment.jobs)
    page = client.get(url).content.decode()
    assert enrolled[0].person.name not in page
    assert 'name="participants"' not in page
    # Sent anyway, the names are ignored.
    response = client.post(
        url, {"delivered_on": "2025-11-10", "quantity": "2", "participants": [enrolled[0].pk]}
    )
    assert response.status_code == 302
    assert not Realisation.objects.get().participants.exists()


def test_money_pledges_name_nobody(client, users, joint_commitment, participants):
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(create_url(joint_commitment.money)).content.decode()
    assert 'name="participants"' not in page


def test_the_secretariat_sees_its_queue_longest_waiting_first_with_when_each_was_entered(
    client, users, joint_commitment
):
    # Entered today, though delivered first; the other waits since three days ago.
    newer = RealisationFactory(
        pledge=joint_commitment.money, note="kedua", delivered_on=datetime.date(2025, 10, 10)
    )
    older = RealisationFactory(
        pledge=joint_commitment.bank_money, note="pertama", delivered_on=datetime.date(2025, 11, 1)
    )
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    Realisation.objects.filter(pk=older.pk).update(entered_at=three_days_ago)
    RealisationFactory(pledge=joint_commitment.goods, status=RealisationStatus.VERIFIED, quantity=1)
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(reverse("partners:realisation_list")).content.decode()
    assert "Yang paling lama menunggu lebih dulu, menurut waktu dicatat." in page
    queue = re.search(r'data-testid="queue">(.*?)</table>', page, re.S)[1]
    older_at = queue.index(reverse("partners:realisation_detail", args=[older.pk]))
    newer_at = queue.index(reverse("partners:realisation_detail", args=[newer.pk]))
    assert older_at < newer_at
    assert queue.count("/realisasi/") == 2
    entered = re.findall(r'data-testid="entered-at">([^<]*)<', queue)
    assert entered == [
        date_format(timezone.localtime(at), "j M Y H:i")
        for at in (three_days_ago, Realisation.objects.get(pk=newer.pk).entered_at)
    ]
    # The full list below is by delivery, and says nothing of entry times.
    listed = page[page.index('data-testid="realisations"') :]
    assert 'data-testid="entered-at"' not in listed

    verified = client.get(reverse("partners:realisation_list"), {"status": "verified"})
    listed = re.search(r'data-testid="realisations">(.*?)</table>', verified.content.decode(), re.S)
    assert listed[1].count("/realisasi/") == 1
    by_partner = client.get(
        reverse("partners:realisation_list"), {"partner": joint_commitment.bank.pk}
    ).content.decode()
    listed = re.search(r'data-testid="realisations">(.*?)</table>', by_partner, re.S)[1]
    assert reverse("partners:realisation_detail", args=[older.pk]) in listed
    assert reverse("partners:realisation_detail", args=[newer.pk]) not in listed


def test_a_partner_operator_lists_only_its_own_entries_and_has_no_queue(
    client, users, joint_commitment
):
    mine = RealisationFactory(pledge=joint_commitment.money)
    theirs = RealisationFactory(pledge=joint_commitment.bank_money)
    client.force_login(users[Role.PARTNER])
    page = client.get(reverse("partners:realisation_list")).content.decode()
    assert reverse("partners:realisation_detail", args=[mine.pk]) in page
    assert reverse("partners:realisation_detail", args=[theirs.pk]) not in page
    assert 'data-testid="queue"' not in page
    assert joint_commitment.bank.name not in page


def test_another_partners_operator_records_for_its_own_pledge_only(client, joint_commitment):
    operator = UserFactory(role=Role.PARTNER, partner=joint_commitment.bank)
    client.force_login(operator)
    data = {"delivered_on": "2025-11-10", "quantity": "50.000.000"}
    assert client.post(create_url(joint_commitment.money), data).status_code == 404
    assert client.post(create_url(joint_commitment.bank_money), data).status_code == 302
    assert Realisation.objects.get().pledge == joint_commitment.bank_money


def field_errors(page: str, field_id: str) -> str:
    """The text of the errors shown under the field `field_id` (components/field.html)."""
    found = re.search(rf'id="{field_id}_error">(.*?)</div>\s*</div>', page, re.S)
    return re.sub(r"<[^>]+>", " ", found[1]) if found else ""


@pytest.mark.parametrize(
    ("pledge", "data", "field", "message"),
    [
        (
            "jobs",
            {"delivered_on": "2025-11-10", "quantity": "2,5"},
            "quantity",
            "Lapangan kerja dan kesempatan pelatihan dihitung utuh: tulis bilangan bulat.",
        ),
        (
            "money",
            {"delivered_on": "2025-11-10", "quantity": "0"},
            "quantity",
            "Masukkan angka lebih besar dari 0.",
        ),
        (
            "money",
            {"delivered_on": "2025-10-03", "quantity": "1.000.000"},
            "delivered_on",
            "Tanggal ini sebelum komitmen ditandatangani dan dimulai (4 Okt 2025)",
        ),
    ],
    ids=["half-a-person", "zero", "before-the-signing"],
)
def test_what_the_model_refuses_is_marked_on_its_field(
    client, users, joint_commitment, pledge, data, field, message
):
    client.force_login(users[Role.PARTNER])
    response = client.post(create_url(getattr(joint_commitment, pledge)), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in field_errors(page, f"id_{field}")
    assert f'value="{data["quantity"]}"' in page and f'value="{data["delivered_on"]}"' in page
    assert not Realisation.objects.exists()


def test_a_correction_sent_while_the_verifier_reads_is_not_verified_unseen(
    client, users, joint_commitment
):
    realisation = RealisationFactory(pledge=joint_commitment.money, quantity=100_000_000)
    detail = reverse("partners:realisation_detail", args=[realisation.pk])
    review = reverse("partners:realisation_review", args=[realisation.pk])
    client.force_login(users[Role.SECRETARIAT])
    read = re.search(r'name="version" value="(\d+)"', client.get(detail).content.decode())[1]
    assert read == "1"

    partner_side = Client()
    partner_side.force_login(users[Role.PARTNER])
    correction = {"delivered_on": "2025-11-10", "quantity": "150.000.000"}
    update = reverse("partners:realisation_update", args=[realisation.pk])
    assert partner_side.post(update, correction).status_code == 302

    response = client.post(review, {"decision": "verify", "version": read})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Realisasi ini diperbaiki ketika Anda sedang membacanya: baca lagi." in page
    realisation.refresh_from_db()
    assert (realisation.status, realisation.reviewed_by) == (RealisationStatus.SUBMITTED, None)
    # The page shows the correction now, and the version it shows is the one verified next.
    assert "Rp 150.000.000" in re.search(r'data-testid="quantity">(.*?)<', page)[1]
    shown = re.search(r'name="version" value="(\d+)"', page)[1]
    assert shown == "2"
    assert client.post(review, {"decision": "verify", "version": shown}).status_code == 302
    realisation.refresh_from_db()
    assert (realisation.status, realisation.quantity) == (RealisationStatus.VERIFIED, 150_000_000)


@pytest.mark.parametrize("role", [Role.LEADER, Role.AGENCY])
def test_evidence_is_named_to_readers_but_downloaded_only_by_the_secretariat_and_its_partner(
    client, users, joint_commitment, role
):
    realisation = RealisationFactory(pledge=joint_commitment.money)
    item = evidence_of(realisation, "daftar serah terima.pdf")
    detail = reverse("partners:realisation_detail", args=[realisation.pk])
    download = reverse("partners:evidence_download", args=[realisation.pk, item.pk])
    note = (
        "Berkas bukti hanya dapat diunduh oleh sekretariat dan mitra pemiliknya, "
        "karena sering memuat nama orang."
    )

    client.force_login(users[role])
    page = client.get(detail).content.decode()
    assert "daftar serah terima.pdf" in page
    assert download not in page
    assert note in page
    assert client.get(download).status_code == 403

    for entitled in (Role.SECRETARIAT, Role.PARTNER):
        client.force_login(users[entitled])
        page = client.get(detail).content.decode()
        assert download in page and note not in page, entitled
        assert client.get(download).status_code == 200, entitled


def test_no_participant_named_reads_the_same_to_everyone(client, users, joint_commitment):
    realisation = RealisationFactory(pledge=joint_commitment.jobs, quantity=2)
    detail = reverse("partners:realisation_detail", args=[realisation.pk])
    said = set()
    for role in (Role.SECRETARIAT, Role.PARTNER):
        client.force_login(users[role])
        page = client.get(detail).content.decode()
        said.add(
            re.sub(r"<[^>]+>", "", re.search(r'data-testid="participants">(.*?)</dd>', page)[1])
        )
    assert said == {"Tidak ada yang disebut."}


def test_a_program_without_participants_says_so_where_they_would_be_ticked(
    client, users, joint_commitment
):
    client.force_login(users[Role.SECRETARIAT])
    page = client.get(create_url(joint_commitment.jobs)).content.decode()
    assert "Program ini belum memiliki peserta." in page
    assert 'name="participants"' not in page
