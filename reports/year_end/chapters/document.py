"""The whole document: its cover's facts, the foreword, the six chapters and the appendix."""

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners.selectors import pledges_in_year
from programs.models import ActionPlan, Program
from reports.dashboard import place_of
from reports.models import AreaSummary, PovertyStatistic, SummaryRefresh, YearEndReport
from reports.year_end.chapters.agencies import agencies_chapter
from reports.year_end.chapters.common import printable_chapter
from reports.year_end.chapters.coordination import coordination_chapter
from reports.year_end.chapters.introduction import introduction_chapter
from reports.year_end.chapters.partners import partners_chapter
from reports.year_end.chapters.poverty import poverty_chapter
from reports.year_end.chapters.programs import programs_chapter
from reports.year_end.chapters.villages import villages_appendix
from reports.year_end.content import Document, Narrative


def has_anything(year: int) -> bool:
    """Whether `year` has something to report: statistics, a register summary, a program,
    an action plan or a pledge."""
    return (
        PovertyStatistic.objects.filter(year=year).exists()
        or AreaSummary.objects.filter(year=year).exists()
        or Program.objects.in_year(year).exists()
        or ActionPlan.objects.in_year(year).exists()
        or pledges_in_year(year).exists()
    )


def _iso(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def document_compute(report: YearEndReport, *, today: datetime.date) -> Document:
    """The content of `report`'s document from today's data, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _compute(report, today)


def _compute(report: YearEndReport, today: datetime.date) -> Document:
    year = report.year
    region = place_of(None)
    refresh = SummaryRefresh.objects.filter(year=year).first()
    finaliser = report.finalised_by if report.finalised_by_id else None
    chapters = (
        introduction_chapter(report),
        poverty_chapter(year, region),
        programs_chapter(year),
        agencies_chapter(year, today=today),
        partners_chapter(year),
        coordination_chapter(report, today=today),
    )
    return Document(
        year=year,
        title=_("Regional poverty-reduction implementation report"),
        region=region.area.name,
        province=region.area.parent.name if region.area.parent_id else "",
        status=report.status,
        generated_at=_iso(timezone.now()),
        figures_as_of=_iso(refresh.finished_at if refresh else None),
        foreword=Narrative(report.foreword, _("The foreword has not been written yet.")),
        chapters=tuple(printable_chapter(c) for c in chapters),
        appendices=(printable_chapter(villages_appendix(year)),),
        finalised_by=(finaliser.name or finaliser.username) if finaliser else "",
        finalised_at=_iso(report.finalised_at),
        signatory_name=settings.TKPK_SIGNATORY_NAME,
        signatory_title=settings.TKPK_SIGNATORY_TITLE,
    )
