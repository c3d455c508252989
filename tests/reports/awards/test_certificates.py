"""Award certificates: one landscape page per winner with the region, category, year and
the signatory, read back with pypdf."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from households.models import Area
from reports.awards.candidates import CandidateKey
from reports.awards.certificates import (
    certificate_filename,
    certificate_of,
    certificate_pdf,
    certificates_filename,
    certificates_pdf,
    signatory_of,
)
from reports.awards.services import (
    award_candidate_add,
    award_category_create,
    award_winners_confirm,
)
from reports.models import AwardCandidate, CandidateKind
from tests.reports.awards.conftest import TODAY, YEAR, signed_report
from tkpk.models import Role


def pages(pdf: bytes) -> list[str]:
    """Each page's text on one line."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def landscape(pdf: bytes) -> bool:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4, points


@pytest.fixture
def winners(scene, users, settings):
    settings.TKPK_SIGNATORY_NAME = "H. Rusli, S.Sos., M.M."
    settings.TKPK_SIGNATORY_TITLE = "Wakil Bupati Kotabaru selaku Ketua TKPK"
    settings.TKPK_SIGNATORY_PLACE = "Kotabaru"
    Area.objects.filter(code="63.02").update(name="Kabupaten Kotabaru")
    secretariat = users[Role.SECRETARIAT]
    award_winners_confirm(
        category=scene.income,
        winners=[
            CandidateKey(CandidateKind.PARTNER, scene.sebuku.pk),
            CandidateKey(CandidateKind.AGENCY, scene.dinsos.pk),
        ],
        by=secretariat,
        today=TODAY,
    )
    special = award_category_create(year=YEAR, name="Desa Inovatif", by=secretariat)
    tarjun = award_candidate_add(
        category=special,
        kind=CandidateKind.OTHER,
        name="Desa Tarjun",
        justification="BUMDes membuka lapangan kerja",
        score=Decimal(90),
        by=secretariat,
    )
    award_winners_confirm(
        category=special, winners=[CandidateKey.of_row(tarjun)], by=secretariat, today=TODAY
    )
    return list(AwardCandidate.objects.filter(is_winner=True).order_by("category__order", "pk"))


def test_a_certificate_is_one_landscape_page_with_everything_it_must_say(winners, scene):
    dinsos = next(row for row in winners if row.agency_id == scene.dinsos.pk)
    pdf = certificate_pdf(dinsos)
    (text,) = pages(pdf)
    assert landscape(pdf)
    for expected in (
        "PIAGAM PENGHARGAAN",
        "KABUPATEN KOTABARU",
        "Dinas Sosial P3AP2KB",
        scene.income.name,
        "2026",
        "H. Rusli, S.Sos., M.M.",
        "Wakil Bupati Kotabaru selaku Ketua TKPK",
        "Kotabaru, ",
    ):
        assert expected in text, expected


def test_all_winners_print_as_one_pdf_a_page_each(winners, scene):
    found = pages(certificates_pdf(YEAR))
    assert len(found) == len(winners) == 3
    # Category by category, by name in each.
    assert "Dinas Sosial P3AP2KB" in found[0]
    assert "PT Sebuku Iron Lateritic Ores" in found[1]
    assert "Desa Tarjun" in found[2] and "Desa Inovatif" in found[2]
    assert certificates_pdf(YEAR + 1) is None


def test_without_a_signatory_name_a_blank_line_is_left_to_sign_on(winners, settings):
    settings.TKPK_SIGNATORY_NAME = ""
    settings.TKPK_SIGNATORY_PLACE = ""
    (text,) = pages(certificate_pdf(winners[0]))
    assert "H. Rusli" not in text
    assert "Wakil Bupati Kotabaru selaku Ketua TKPK" in text
    assert "Kotabaru, " not in text  # no place: the date alone


def test_a_very_long_name_still_fits_one_page(winners):
    row = winners[-1]
    row.name = ("Kelompok Usaha Bersama Perempuan Nelayan " * 5)[:200]  # the longest name
    row.save()
    assert len(pages(certificate_pdf(row))) == 1


def test_file_names_say_what_is_inside(winners, scene):
    dinsos = next(row for row in winners if row.agency_id == scene.dinsos.pk)
    assert certificate_filename(certificate_of(dinsos)) == (
        "Piagam-2026-peningkatan-pendapatan-dan-pemberdayaan-dinas-sosial-p3ap2kb.pdf"
    )
    assert certificates_filename(YEAR) == "Piagam-Penghargaan-kabupaten-kotabaru-2026.pdf"


def test_a_final_year_is_signed_by_whom_its_signed_report_names(winners, settings):
    signed_report(
        YEAR,
        signatory_name="H. Rusli, S.Sos., M.M.",
        signatory_title="Wakil Bupati Kotabaru selaku Ketua TKPK",
    )
    # A new deputy regent since: the certificates of the signed year keep the old one.
    settings.TKPK_SIGNATORY_NAME = "Hj. Nurhayati, S.E."
    settings.TKPK_SIGNATORY_TITLE = "Wakil Bupati Kotabaru"
    for text in pages(certificates_pdf(YEAR)) + pages(certificate_pdf(winners[0])):
        assert "H. Rusli, S.Sos., M.M." in text and "selaku Ketua TKPK" in text
        assert "Nurhayati" not in text
    # A year still open is signed by whom the settings name today.
    assert signatory_of(YEAR + 1).name == "Hj. Nurhayati, S.E."


def test_a_final_year_signed_without_a_name_leaves_the_line_blank(winners):
    signed_report(YEAR, signatory_name="", signatory_title="Ketua TKPK")
    (text,) = pages(certificate_pdf(winners[0]))
    assert "H. Rusli" not in text and "Ketua TKPK" in text
