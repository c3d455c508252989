"""Chapter 4: implementation per agency — each verified action plan's activities with
target against realised, budget against spent, beneficiaries and standing; the region's
extreme-poverty budget tags summed, and the agencies × quarters of the dashboard."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from partners.models import quantity_written
from programs.achievement import BEHIND_BELOW, Standing, absorption
from programs.models.plans import BudgetTag
from reports.charts import Chart, ChartKind
from reports.dashboard import agencies_table
from reports.tables import Column, Kind, Row, Table, written
from reports.year_end.chapters.common import gap
from reports.year_end.chapters.plans import ActivityFigures, PlanFigures, plan_figures
from reports.year_end.content import Chapter, ChartBlock, Section, TableBlock


def agencies_chapter(year: int, *, today: datetime.date) -> Chapter:
    plans = plan_figures(year)
    title = _("Implementation per agency")
    if not plans:
        missing = _("No agency has a verified action plan for %(year)d.") % {"year": year}
        return Chapter(title=title, sections=(Section(_("All agencies"), (gap(missing),)),))
    table = _agencies(year, plans)
    absorption = Chart(table, ChartKind.HBAR, series=(table.column_index(_("Budget absorption")),))
    together = Section(
        _("All agencies"),
        (
            ChartBlock(absorption),
            TableBlock(_budget_tags(year, plans)),
            TableBlock(agencies_table(year, today=today)),
        ),
    )
    each = tuple(
        Section(f"{p.plan.agency.name} ({p.plan.agency.acronym})", (TableBlock(_activities(p)),))
        for p in plans
    )
    return Chapter(title=title, sections=(together, *each))


def _percent(ratio: Decimal | None) -> Decimal | None:
    return None if ratio is None else ratio * 100


def _quarter(quarter: int | None) -> str:
    return _("Q%(quarter)d") % {"quarter": quarter} if quarter else ""


def _standing(label: str) -> str:
    return str(Standing(label).label)


def _rules() -> str:
    behind = written(BEHIND_BELOW * 100, Column("", Kind.PERCENT))
    return _(
        "Targets and budgets as in force in the verified plan. Achievement: realised against "
        "the target up to the last quarter reported (submitted or verified), the mean of the "
        "activities each counted up to 100 %%; behind under %(behind)s."
    ) % {"behind": behind}


def _agencies(year: int, plans: list[PlanFigures]) -> Table:
    rows = []
    for figures in plans:
        achievement = figures.achievement
        rows.append(
            Row(
                cells=(
                    figures.plan.agency.acronym,
                    len(figures.activities),
                    figures.budget,
                    achievement.spent if achievement else None,
                    _percent(achievement.absorption if achievement else None),
                    _percent(achievement.ratio if achievement else None),
                    _standing(achievement.standing if achievement else Standing.NO_REPORT),
                    _quarter(figures.quarter),
                ),
                key=str(figures.plan.agency_id),
            )
        )
    return Table(
        slug="perangkat-daerah-anggaran",
        title=_("Agencies' action plans of %(year)d: budget spent and targets achieved")
        % {"year": year},
        columns=(
            Column(_("Agency"), Kind.TEXT),
            Column(_("Activities"), Kind.COUNT),
            Column(_("Budget"), Kind.RUPIAH),
            Column(_("Spent"), Kind.RUPIAH),
            Column(_("Budget absorption"), Kind.PERCENT, 0),
            Column(_("Achievement"), Kind.PERCENT, 0),
            Column(_("Standing"), Kind.TEXT),
            Column(_("Last quarter reported"), Kind.TEXT),
        ),
        rows=tuple(rows),
        note=" ".join(
            (
                _rules(),
                _("Spent: as reported up to that quarter."),
                _(
                    "Realised and beneficiaries add up over the quarters, or for an indicator "
                    "that does not add up (a percentage), the latest value counts."
                ),
            )
        ),
    )


def _tag_row(label: str, items: list[ActivityFigures], **fields) -> Row:
    budget = sum((item.activity.budget for item in items), Decimal(0))
    spent = sum((item.achievement.spent for item in items if item.achievement), Decimal(0))
    return Row(
        cells=(label, len(items), budget, spent, _percent(absorption(spent, budget))), **fields
    )


def _budget_tags(year: int, plans: list[PlanFigures]) -> Table:
    """The Ministry of Finance's extreme-poverty tags, summed over every agency's activities."""
    items = [item for figures in plans for item in figures.activities]
    rows = [
        _tag_row(
            str(tag.label),
            [item for item in items if item.activity.budget_tag == tag],
            key=tag.value,
        )
        for tag in BudgetTag
    ]
    rows.append(_tag_row(_("Total"), items, highlight=True))
    return Table(
        slug="penandaan-anggaran",
        title=_("Extreme-poverty budget tags of %(year)d") % {"year": year},
        columns=(
            Column(_("Budget tag"), Kind.TEXT),
            Column(_("Activities"), Kind.COUNT),
            Column(_("Budget"), Kind.RUPIAH),
            Column(_("Spent"), Kind.RUPIAH),
            Column(_("Budget absorption"), Kind.PERCENT, 0),
        ),
        rows=tuple(rows),
        note=_(
            "The activities of the agencies' verified action plans, by the tag each carries; "
            "spent as reported up to each agency's last quarter reported."
        ),
    )


def _activity_row(item: ActivityFigures) -> Row:
    activity, done = item.activity, item.achievement
    target = done.cumulative_target if done else activity.target
    return Row(
        cells=(
            activity.name,
            activity.pillar.short_name,
            quantity_written(target, activity.unit),
            quantity_written(done.cumulative_realised, activity.unit) if done else None,
            _percent(done.ratio if done else None),
            activity.budget,
            done.spent if done else None,
            _percent(done.absorption if done else None),
            item.beneficiaries,
            _standing(done.standing if done else Standing.NO_REPORT),
        ),
        key=str(activity.pk),
    )


def _activities(figures: PlanFigures) -> Table:
    agency, quarter = figures.plan.agency, figures.quarter
    target = (
        _("Target up to %(quarter)s") % {"quarter": _quarter(quarter)}
        if quarter
        else _("Yearly target")
    )
    when = (
        _("Measured at the end of %(quarter)s, the last quarter reported.")
        % {"quarter": _quarter(quarter)}
        if quarter
        else _("No quarterly report has been sent yet.")
    )
    return Table(
        slug=f"rencana-aksi-{agency.pk}",
        title=_("%(agency)s: activities of %(year)d")
        % {"agency": agency.acronym, "year": figures.plan.year},
        columns=(
            Column(_("Activity"), Kind.TEXT),
            Column(_("Pillar"), Kind.TEXT),
            Column(target, Kind.TEXT),
            Column(_("Realised"), Kind.TEXT),
            Column(_("Achievement"), Kind.PERCENT, 0),
            Column(_("Budget"), Kind.RUPIAH),
            Column(_("Spent"), Kind.RUPIAH),
            Column(_("Budget absorption"), Kind.PERCENT, 0),
            Column(_("Beneficiaries"), Kind.COUNT),
            Column(_("Standing"), Kind.TEXT),
        ),
        rows=tuple(_activity_row(item) for item in figures.activities),
        # The rules are given once, under the agencies' table; each agency's says when.
        note=when,
    )
