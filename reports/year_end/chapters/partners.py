"""Chapter 5: partner contributions — pledged against realised per partner and per kind
of pledge (verified realisations only, as the partner pages count them), and the year's
partner target."""

from django.utils.translation import gettext as _

from partners.models import quantity_written
from partners.selectors import TargetProgress, pledges_in_year, tallies
from reports.charts import Chart, ChartKind
from reports.dashboard import partners_table
from reports.dashboard.places import percent
from reports.tables import Column, Kind, Row, Table
from reports.year_end.chapters.common import gap
from reports.year_end.content import Chapter, ChartBlock, Section, TableBlock


def partners_chapter(year: int) -> Chapter:
    by_partner = partners_table(year)
    title = _("Pledged and realised per partner")
    if by_partner.rows:
        share = by_partner.column_index(_("Realised of pledged"))
        sections = [
            Section(title, (ChartBlock(Chart(by_partner, ChartKind.HBAR, series=(share,))),)),
            Section(_("Pledged and realised per kind"), (TableBlock(_kinds(year)),)),
        ]
    else:
        missing = _("No partner pledged anything for %(year)d.") % {"year": year}
        sections = [Section(title, (gap(missing),))]
    target = _target(year, by_partner.extra["target"])
    sections.append(Section(_("The partner target"), (TableBlock(target),)))
    return Chapter(title=_("Partner contributions"), sections=tuple(sections))


def _kinds(year: int) -> Table:
    rows = tuple(
        Row(
            cells=(
                str(tally.label),
                quantity_written(tally.pledged, tally.unit),
                quantity_written(tally.verified, tally.unit),
                percent(tally.verified, tally.pledged),
            ),
            key=f"{tally.kind}:{tally.unit}",
        )
        for tally in tallies(pledges_in_year(year))
    )
    return Table(
        slug="mitra-jenis",
        title=_("Partners' pledges of %(year)d by kind: pledged and realised") % {"year": year},
        columns=(
            Column(_("Kind"), Kind.TEXT),
            Column(_("Pledged"), Kind.TEXT),
            Column(_("Realised"), Kind.TEXT),
            Column(_("Realised of pledged"), Kind.PERCENT, 2),
        ),
        rows=rows,
        note=_(
            "The pledges of the commitments running in %(year)d, summed per kind and unit; "
            "realised: verified by the secretariat."
        )
        % {"year": year},
    )


def _target(year: int, target: TargetProgress) -> Table:
    return Table(
        slug="mitra-target",
        title=_("Partners with an active commitment in %(year)d against the target")
        % {"year": year},
        columns=(
            Column(_("Partners with an active commitment"), Kind.COUNT),
            Column(_("Target"), Kind.COUNT),
            Column(_("Reached of the target"), Kind.PERCENT, 2),
        ),
        rows=(Row(cells=(target.actual, target.target, percent(target.actual, target.target))),),
        note=_(
            "A partner counts when it signed a commitment whose period touches %(year)d; the "
            "target is the one the secretariat set for the year."
        )
        % {"year": year}
        if target.target
        else _("No partner target has been set for %(year)d.") % {"year": year},
    )
