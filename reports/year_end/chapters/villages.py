"""The appendix: each district's villages with their register and program figures, read
from the area summaries (the same figures as the dashboard's village maps)."""

from django.conf import settings
from django.utils.translation import gettext as _

from households.models import Area, AreaLevel
from reports.dashboard import poor_households
from reports.dashboard.places import percent
from reports.models import AreaSummary
from reports.tables import Column, Kind, Row, Table
from reports.year_end.chapters.common import gap
from reports.year_end.content import Chapter, Section, TableBlock


def villages_appendix(year: int) -> Chapter:
    title = _("Figures per village")
    areas = Area.objects.within(settings.TKPK_REGION_CODE).filter(
        level__in=(AreaLevel.DISTRICT, AreaLevel.VILLAGE)
    )
    districts, villages = [], {}
    for area in areas.order_by("code"):
        if area.level == AreaLevel.DISTRICT:
            districts.append(area)
        else:
            villages.setdefault(area.parent_id, []).append(area)
    summaries = {
        s.area_id: s
        for s in AreaSummary.objects.filter(
            area__in=areas.filter(level=AreaLevel.VILLAGE), year=year
        )
    }
    if not summaries:
        missing = _("The register has no figures for %(year)d yet.") % {"year": year}
        return Chapter(title=title, sections=(Section(_("Villages"), (gap(missing),)),))
    return Chapter(
        title=title,
        sections=tuple(
            Section(d.name, (TableBlock(_district(d, villages.get(d.code, []), summaries, year)),))
            for d in districts
        ),
    )


def _row(village: Area, s: AreaSummary | None) -> Row:
    poor = poor_households(s) or 0
    return Row(
        cells=(
            village.name,
            s.households if s else 0,
            s.people if s else 0,
            poor,
            percent(poor, s.households) if s else None,
            s.participants if s else 0,
            s.reached_households if s else 0,
            s.excluded_households if s else 0,
            s.graduated_households if s else 0,
        ),
        key=village.code,
    )


def _district(district: Area, villages: list[Area], summaries: dict, year: int) -> Table:
    return Table(
        slug=f"desa-{district.code}",
        title=_("Villages of %(district)s, %(year)d") % {"district": district.name, "year": year},
        columns=(
            Column(_("Village"), Kind.TEXT),
            Column(_("Households"), Kind.COUNT),
            Column(_("People"), Kind.COUNT),
            Column(_("Households in desil 1–4"), Kind.COUNT),
            Column(_("Share in desil 1–4"), Kind.PERCENT, 2),
            Column(_("Program participants"), Kind.COUNT),
            Column(_("Households reached by a program"), Kind.COUNT),
            Column(_("Poor households reached by no program"), Kind.COUNT),
            Column(_("Households that moved up a desil"), Kind.COUNT),
        ),
        rows=tuple(_row(v, summaries.get(v.code)) for v in villages),
        note=_(
            "From the register's latest DTSEN load. Participants hold a place in a program of "
            "%(year)d, counted in the village they were enrolled in; a poor household (desil "
            "1–4) is reached by no program when no program of the year enrols anyone of it; a "
            "household moved up when its desil in a later load is higher than at enrolment."
        )
        % {"year": year},
    )
