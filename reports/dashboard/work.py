"""What the region does about poverty: programs by pillar, partners, agencies × quarters."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from partners.models import quantity_written
from partners.selectors import (
    partner_target_progress,
    partners_with_tallies,
    pledges_in_year,
    rupiah_total,
)
from programs.models import Program
from programs.models.plans import QUARTERS, report_late
from programs.plan_selectors import CellState, cell_state
from reports.dashboard.places import percent
from reports.models import (
    AgencyQuarterSummary,
    ProgramSummary,
)
from reports.tables import Column, Kind, Row, Table, written


def programs_table(year: int, *, programs=None) -> Table:
    """Each program of the year with its reach; `programs` narrows (an agency's own)."""
    chosen = Program.objects.in_year(year) if programs is None else programs.in_year(year)
    summaries = (
        ProgramSummary.objects.filter(year=year, program__in=chosen)
        .select_related("program__pillar")
        .order_by("program__pillar__order", "program__pillar", "program__code")
    )
    rows = tuple(
        Row(
            cells=(
                f"{s.program.code} {s.program.name}",
                s.program.pillar.short_name,
                s.planned,
                s.reached_people,
                percent(s.reached_people, s.planned),
                s.overlap_people,
                s.excluded_households,
                s.graduated,
                s.measured,
            ),
            link=reverse("programs:program_detail", kwargs={"code": s.program.code}),
            key=s.program.code,
        )
        for s in summaries
    )
    return Table(
        slug="program",
        title=_("Programs of %(year)d: reached against planned") % {"year": year},
        columns=(
            Column(_("Program"), Kind.TEXT),
            Column(_("Pillar"), Kind.TEXT),
            Column(_("Places planned"), Kind.COUNT),
            Column(_("People reached"), Kind.COUNT),
            Column(_("Reached of planned"), Kind.PERCENT, 2),
            Column(_("Also in another program"), Kind.COUNT),
            Column(_("Eligible households reached by no program"), Kind.COUNT),
            Column(_("Participants who moved up a desil"), Kind.COUNT),
            Column(_("Participants measured"), Kind.COUNT),
        ),
        rows=rows,
        note=_(
            "Planned: the sum of the village quotas (empty when a village has no limit). "
            "Exclusion follows each program's own rules (villages, desil, age)."
        ),
    )


def pillars_table(programs: Table) -> Table:
    """Planned and reached summed per pillar, from the programs' table."""
    totals: dict[str, list] = {}
    for row in programs.rows:
        pillar = row.cells[1]
        planned, reached = row.cells[2], row.cells[3]
        total = totals.setdefault(pillar, [0, 0, True])
        total[0] += planned or 0
        total[1] += reached
        total[2] = total[2] and planned is not None
    rows = tuple(
        Row(cells=(pillar, planned if known else None, reached))
        for pillar, (planned, reached, known) in totals.items()
    )
    return Table(
        slug="pilar",
        title=_("Programs by strategy pillar: planned and reached"),
        columns=(
            Column(_("Pillar"), Kind.TEXT),
            Column(_("Places planned"), Kind.COUNT),
            Column(_("Places held"), Kind.COUNT),
        ),
        rows=rows,
        note=programs.note
        + " "
        + _(
            "Places held: the people reached, program by program; one person in two programs "
            "of a pillar holds two places."
        ),
    )


def partners_table(year: int, *, partner_id: int | None = None) -> Table:
    """Money pledged against money realised (verified), per partner, and the year's target."""
    pledges = pledges_in_year(year)
    if partner_id is not None:
        pledges = pledges.filter(partner=partner_id)
    rows = []
    for each in partners_with_tallies(pledges):
        money = rupiah_total(each.tallies)
        places = [t for t in each.tallies if not t.in_rupiah]
        rows.append(
            Row(
                cells=(
                    each.partner.name,
                    each.partner.get_kind_display(),
                    money.pledged,
                    money.verified,
                    percent(money.verified, money.pledged),
                    "; ".join(
                        f"{t.label}: {quantity_written(t.verified)}/{quantity_written(t.pledged)}"
                        for t in places
                    ),
                ),
                link=reverse("partners:partner_detail", kwargs={"pk": each.partner.pk}),
                key=str(each.partner.pk),
            )
        )
    target = partner_target_progress(year)
    note = _("Realised: verified by the secretariat.")
    if partner_id is None and target.target:
        note += " " + _(
            "%(actual)d partners have an active commitment in %(year)d; the target is %(target)d."
        ) % {"actual": target.actual, "year": year, "target": target.target}
    return Table(
        slug="mitra",
        title=_("Partners in %(year)d: pledged and realised") % {"year": year},
        columns=(
            Column(_("Partner"), Kind.TEXT),
            Column(_("Kind"), Kind.TEXT),
            Column(_("Money pledged"), Kind.RUPIAH),
            Column(_("Money realised"), Kind.RUPIAH),
            Column(_("Realised of pledged"), Kind.PERCENT, 2),
            Column(_("Goods, jobs and places (realised/pledged)"), Kind.TEXT),
        ),
        rows=tuple(rows),
        note=note,
        extra={"target": target},
    )


def _cell_text(summary: AgencyQuarterSummary, today: datetime.date) -> tuple[str, bool]:
    status = summary.report_status or None
    late = summary.has_verified_plan and report_late(summary.due_on, status, today)
    state = cell_state(summary.has_verified_plan, status, late)
    label = CellState(state).label
    if summary.achievement is not None and state in (CellState.VERIFIED, CellState.SUBMITTED):
        # A no-break space: "96 %" never wraps between the number and its sign.
        share = written(summary.achievement * 100, Column("", Kind.PERCENT)).replace(" ", "\u00a0")
        label = f"{label}: {share}"
    if late:
        label = _("Late") + " — " + label
    return label, late


def _agency_row(agency, quarters: dict[int, AgencyQuarterSummary], today: datetime.date) -> Row:
    """One agency's quarters as text, highlighted when one is late, with its latest figures."""
    cells, any_late, latest = [], False, None
    for quarter in QUARTERS:
        summary = quarters.get(quarter)
        if summary is None:
            cells.append("—")
            continue
        text, late = _cell_text(summary, today)
        any_late = any_late or late
        cells.append(text)
        if summary.achievement is not None:
            latest = summary
    absorption = latest.absorption if latest else None
    return Row(
        cells=(
            agency.acronym,
            *cells,
            latest.achievement * 100 if latest else None,
            absorption * 100 if absorption is not None else None,
        ),
        highlight=any_late,
        key=str(agency.pk),
    )


def agencies_table(year: int, *, today: datetime.date, agency_id: int | None = None) -> Table:
    """Agencies × quarters: each report's state and achievement, late ones highlighted, and
    the latest achievement and budget absorption reported."""
    summaries = AgencyQuarterSummary.objects.filter(year=year).select_related("agency")
    if agency_id is not None:
        summaries = summaries.filter(agency=agency_id)
    by_agency: dict = {}
    for summary in summaries.order_by("agency__acronym", "quarter"):
        by_agency.setdefault(summary.agency, {})[summary.quarter] = summary
    rows, without_plan = [], []
    for agency, quarters in by_agency.items():
        if any(summary.has_verified_plan for summary in quarters.values()):
            rows.append(_agency_row(agency, quarters, today))
        else:
            without_plan.append(agency.acronym)
    return Table(
        slug="perangkat-daerah",
        title=_("Agencies × quarters of %(year)d") % {"year": year},
        columns=(
            Column(_("Agency"), Kind.TEXT),
            *(Column(_("Q%(quarter)d") % {"quarter": q}, Kind.TEXT) for q in QUARTERS),
            Column(_("Achievement, latest quarter"), Kind.PERCENT, 0),
            Column(_("Budget absorption, latest quarter"), Kind.PERCENT, 0),
        ),
        rows=tuple(rows),
        note=_(
            "Achievement: realised against the cumulative target, the mean of the activities "
            "(each counted up to 100 %); only sent reports count."
        )
        + (
            " " + _("No verified plan: %(agencies)s.") % {"agencies": ", ".join(without_plan)}
            if without_plan
            else ""
        ),
        extra={"highlight_label": _("late report")},
    )
