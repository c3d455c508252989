"""Reads of the year-end report that its pages need."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programs.plan_selectors import deadlines
from reports.models import NARRATIVE_FIELDS, AwardCategory, SummaryRefresh, YearEndReport


def finalise_warnings(report: YearEndReport, *, today: datetime.date) -> list[str]:
    """What is still missing before the report is signed: sections not written, award
    categories without confirmed winners, quarterly reports not yet due. Finalising is
    allowed anyway (the rakor may not wait); the page says what the document will lack."""
    found = []
    empty = [
        str(YearEndReport._meta.get_field(name).verbose_name)
        for name in NARRATIVE_FIELDS
        if not getattr(report, name).strip()
    ]
    if empty:
        found.append(_("Not written yet: %(sections)s.") % {"sections": ", ".join(empty)})
    categories = list(AwardCategory.objects.filter(year=report.year))
    if not categories:
        found.append(_("The awards of %(year)d have not been started.") % {"year": report.year})
    elif unconfirmed := [c.name for c in categories if c.confirmed_at is None]:
        found.append(
            _("No winners confirmed yet in: %(categories)s.")
            % {"categories": ", ".join(unconfirmed)}
        )
    if refresh_pending(report.year):
        found.append(
            _(
                "The figures are being counted again after recent changes; finalising now "
                "keeps the previous count. Wait a moment and open this page again."
            )
        )
    not_due = {q: due for q, due in deadlines(report.year).items() if due >= today}
    if not_due:
        first = min(not_due)
        found.append(
            _(
                "The reports of quarter %(quarter)d are due on %(due)s: the action plans are "
                "measured up to the last quarter each agency reported."
            )
            % {"quarter": first, "due": date_format(not_due[first], "j F Y")}
        )
    return found


def refresh_pending(year: int) -> bool:
    """Whether a worker is rebuilding the year's summaries right now: finalising meanwhile
    would freeze the count from before the latest changes (a rebuild merely asked for is
    done by finalising itself, first)."""
    state = SummaryRefresh.objects.filter(year=year).first()
    if state is None or state.started_at is None:
        return False
    return state.finished_at is None or state.finished_at < state.started_at
