"""Award certificates (piagam penghargaan): one A4 landscape page per confirmed winner,
printed by reports.printing (the one way to make a PDF), one at a time or all at once.

A final year's certificates are signed by whom its signed report names, not by today's
settings: the signatory may have changed since."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from households.selectors import region_name
from reports.awards.candidates import final_report, winners_of
from reports.models import AwardCandidate
from reports.printing import pdf_from_html
from reports.year_end.content import Document


@dataclass(frozen=True)
class Certificate:
    """What one certificate says."""

    winner: str
    category: str
    year: int
    day: datetime.date  # the day the winners were confirmed


@dataclass(frozen=True)
class Signatory:
    name: str  # empty: a blank line is left to sign on
    title: str


def certificate_of(candidate: AwardCandidate) -> Certificate:
    category = candidate.category
    confirmed = category.confirmed_at or timezone.now()
    return Certificate(
        winner=str(candidate),
        category=category.name,
        year=category.year,
        day=timezone.localtime(confirmed).date(),
    )


def signatory_of(year: int) -> Signatory:
    """Who signs `year`'s certificates: the signatory of its signed report once it is
    final, else the one in the settings."""
    report = final_report(year)
    if report is None:
        return Signatory(settings.TKPK_SIGNATORY_NAME, settings.TKPK_SIGNATORY_TITLE)
    signed = Document.from_json(report.frozen)
    return Signatory(signed.signatory_name, signed.signatory_title)


def certificates_html(certificates: list[Certificate]) -> str:
    """The certificates of one year as one HTML document, a page each, for pdf_from_html."""
    signatory = signatory_of(certificates[0].year) if certificates else None
    return render_to_string(
        "reports/awards/certificate.html",
        {
            "certificates": [
                {"item": item, "signed": signed_line(item.day)} for item in certificates
            ],
            "region": region_name(),
            "signatory": signatory,
        },
    )


def signed_line(day: datetime.date) -> str:
    """ "Kotabaru, 15 Desember 2026", or the date alone when no place is set."""
    written = date_format(day, "j F Y")
    place = settings.TKPK_SIGNATORY_PLACE
    return f"{place}, {written}" if place else written


def certificate_pdf(candidate: AwardCandidate) -> bytes:
    """One winner's certificate, one page."""
    return pdf_from_html(certificates_html([certificate_of(candidate)]))


def certificates_pdf(year: int) -> bytes | None:
    """Every winner's certificate of `year` in one PDF, to print; None without winners."""
    certificates = [certificate_of(candidate) for candidate in winners_of(year)]
    return pdf_from_html(certificates_html(certificates)) if certificates else None


def certificate_filename(certificate: Certificate) -> str:
    parts = (certificate.year, slugify(certificate.category), slugify(certificate.winner))
    return "Piagam-{}-{}-{}.pdf".format(*parts)


def certificates_filename(year: int) -> str:
    return f"Piagam-Penghargaan-{slugify(region_name())}-{year}.pdf"
