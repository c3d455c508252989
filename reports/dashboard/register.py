"""The register panels: households by desil, and the areas below a place with the
measures its map draws."""

from django.utils.translation import gettext as _

from households.models import Area, AreaLevel
from households.selectors import POOREST_DESIL
from reports.dashboard.places import Place, area_url, percent
from reports.models import (
    AreaSummary,
)
from reports.tables import Column, Kind, Row, Table


def _summary(area_code: str, year: int) -> AreaSummary | None:
    return AreaSummary.objects.filter(area=area_code, year=year).first()


def register_by_desil(place: Place, year: int) -> Table:
    summary = _summary(place.area.code, year)
    counts = summary.households_by_desil if summary else []
    total = summary.households if summary else 0
    rows = [
        Row(cells=(str(desil), counts[desil], percent(counts[desil], total)), highlight=False)
        for desil in range(1, 11)
        if counts
    ]
    if counts and counts[0]:
        rows.append(Row(cells=(_("No desil"), counts[0], percent(counts[0], total))))
    return Table(
        slug="register-desil",
        title=_("Households of %(area)s by national desil") % {"area": place.area.name},
        columns=(
            Column(_("Desil"), Kind.TEXT),
            Column(_("Households"), Kind.COUNT),
            Column(_("Share"), Kind.PERCENT, 2),
        ),
        rows=tuple(rows),
        note=_("Desil 1 is the poorest tenth of the country; the latest DTSEN load counts."),
    )


# The measures of an area: the map draws them (column index in `areas_table`), and a
# village's page lists the households behind each (reports/dashboard_lists.py).
MAP_MEASURES = {
    "desil": 4,
    "peserta": 6,
    "eksklusi": 7,
    "kelulusan": 8,
}


def list_labels() -> dict[str, str]:
    """What a village's list behind each measure holds: households, whatever the measure."""
    return {
        "desil": _("Households in desil 1–4"),
        "peserta": _("Households reached by a program"),
        "eksklusi": _("Poor households reached by no program"),
        "kelulusan": _("Households that moved up a desil"),
    }


def measure_labels() -> dict[str, str]:
    return {
        "desil": _("Share of households in desil 1–4"),
        "peserta": _("Households reached by a program"),
        "eksklusi": _("Poor households reached by no program"),
        "kelulusan": _("Households that moved up a desil"),
    }


def areas_table(place: Place, year: int, measure: str = "desil") -> Table:
    """The areas one level below `place`: districts of the region, villages of a district."""
    children = {area.code: area for area in Area.objects.filter(parent=place.area).order_by("code")}
    summaries = {
        s.area_id: s for s in AreaSummary.objects.filter(area__in=list(children), year=year)
    }
    rows = []
    for code, area in children.items():
        s = summaries.get(code)
        poor = poor_households(s) or 0
        rows.append(
            Row(
                cells=(
                    area.name,
                    s.households if s else 0,
                    s.people if s else 0,
                    poor,
                    percent(poor, s.households) if s else None,
                    s.participants if s else 0,
                    s.reached_households if s else 0,
                    s.excluded_households if s else 0,
                    s.graduated_households if s else 0,
                    s.measured_households if s else 0,
                ),
                link=area_url(code, year, measure),
                key=code,
            )
        )
    level = _("District") if place.level == AreaLevel.REGENCY else _("Village")
    return Table(
        slug="wilayah",
        title=_("%(area)s by %(level)s") % {"area": place.area.name, "level": level.lower()},
        columns=(
            Column(level, Kind.TEXT),
            Column(_("Households"), Kind.COUNT),
            Column(_("People"), Kind.COUNT),
            Column(_("Households in desil 1–4"), Kind.COUNT),
            Column(_("Share in desil 1–4"), Kind.PERCENT, 2),
            Column(_("Program participants"), Kind.COUNT),
            Column(_("Households reached by a program"), Kind.COUNT),
            Column(_("Poor households reached by no program"), Kind.COUNT),
            Column(_("Households that moved up a desil"), Kind.COUNT),
            Column(_("Households measured"), Kind.COUNT),
        ),
        rows=tuple(rows),
        note=_(
            "Participants hold a place in a program of %(year)d, counted in the village they "
            "were enrolled in. A poor household (desil 1–4) is excluded when no program of "
            "the year reaches it. A household moved up when its desil in a later DTSEN load "
            "is higher than at enrolment; measured: those with a later load."
        )
        % {"year": year},
    )


def area_figures(place: Place, year: int) -> AreaSummary | None:
    return _summary(place.area.code, year)


def poor_households(summary: AreaSummary | None) -> int | None:
    """Households in desil 1–4."""
    return sum(summary.households_by_desil[1 : POOREST_DESIL + 1]) if summary else None
