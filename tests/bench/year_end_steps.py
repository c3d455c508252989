"""The year-end part of `make bench`: steps that run, each in a fresh process, from run.py.

The register, the programs, the plans (30 agencies × 25 activities) and the boundaries are
set up with the other parts' steps; `partners` adds partners with pledges and verified
realisations on the programs, and the year's award categories (one per pillar) so that
chapter 6 ranks the agencies and partners as a real year's does. `build` times one output
of the year-end document from the data — the figures computed, then the PDF or the .docx
printed — in its own process, so its peak memory is its own.
"""

import resource
import time

YEAR = 2025
AGENCIES = 30
PLAN_ACRONYM = "LAPORAN-OPD-{n:02d}"
PARTNERS = 40
TARGET_SECONDS = {"pdf": 30, "docx": 15}
TARGET_PEAK_MB = 1024


def step_partners(year: str) -> dict:
    """PARTNERS partners, each with a commitment on one of the year's programs, a money and a
    jobs pledge, and a verified realisation of half of each; the year's award categories."""
    import datetime
    from decimal import Decimal

    from partners.models import (
        RUPIAH,
        Commitment,
        Partner,
        PartnerKind,
        Pledge,
        PledgeKind,
        Realisation,
        RealisationStatus,
    )
    from programs.models import Program
    from reports.awards.services import award_categories_ensure
    from tkpk.models import Role, User

    started = time.perf_counter()
    year = int(year)
    programs = list(Program.objects.filter(start_date__year__lte=year).order_by("pk")[:PARTNERS])
    kinds = list(PartnerKind.values)
    clerk, _created = User.objects.get_or_create(
        username="bench.sekretariat", defaults={"name": "Bench", "role": Role.SECRETARIAT}
    )
    signed = datetime.date(year, 2, 1)
    pledges = []
    for n in range(PARTNERS):
        partner = Partner.objects.create(name=f"Mitra Bench {n:02d}", kind=kinds[n % len(kinds)])
        commitment = Commitment.objects.create(
            title=f"Komitmen bench {n:02d}",
            program=programs[n % len(programs)] if programs else None,
            signed_on=signed,
            start_date=signed,
            end_date=datetime.date(year, 12, 31),
            created_by=clerk,
        )
        commitment.partners.add(partner)
        pledges += [
            Pledge(
                commitment=commitment,
                partner=partner,
                kind=PledgeKind.MONEY,
                quantity=Decimal(50_000_000 + n * 1_000_000),
                unit=RUPIAH,
            ),
            Pledge(
                commitment=commitment,
                partner=partner,
                kind=PledgeKind.JOBS,
                quantity=10 + n,
                unit="orang",
            ),
        ]
    Pledge.objects.bulk_create(pledges)
    Realisation.objects.bulk_create(
        Realisation(
            pledge=pledge,
            delivered_on=datetime.date(year, 9, 1),
            quantity=pledge.quantity // 2,
            status=RealisationStatus.VERIFIED,
            entered_by=clerk,
        )
        for pledge in pledges
    )
    categories = award_categories_ensure(year=year, by=clerk)
    return {
        "partners": PARTNERS,
        "pledges": len(pledges),
        "categories": len(categories),
        "seconds": time.perf_counter() - started,
    }


def step_build(year: str, output: str) -> dict:
    """The document of `year` from the data, printed as `output` (pdf or docx)."""
    import datetime

    from reports.models import YearEndReport
    from reports.year_end.chapters import document_compute
    from reports.year_end.docx import document_docx
    from reports.year_end.pdf import document_pdf

    today = datetime.date(int(year), 12, 15)
    report = YearEndReport(year=int(year), foreword="Kata pengantar bench.")
    started = time.perf_counter()
    document = document_compute(report, today=today)
    computed = time.perf_counter() - started
    render = document_pdf if output == "pdf" else document_docx
    content = render(document)
    seconds = time.perf_counter() - started
    return {
        "output": output,
        "seconds": seconds,
        "compute": computed,
        "print": seconds - computed,
        "bytes": len(content),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "chapters": len(document.chapters),
        "appendices": len(document.appendices),
        "blocks": sum(
            1
            for chapter in (*document.chapters, *document.appendices)
            for section in chapter.sections
            for _block in section.blocks
        ),
    }


STEPS = {"year-end-partners": step_partners, "year-end-build": step_build}
