"""The year's action plans and their quarterly progress as one workbook: the matrix the
rakor slides are made from, and the semester report (Q1–Q2) in the same layout.

A summary sheet holds the overview's agencies × quarters; then one sheet per pillar holds
one row per activity of every agency's plan, the quarters as columns. Built in a fixed
number of queries, whatever the number of agencies and activities.
"""

import datetime
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

from programs.achievement import Reported, activity_achievement
from programs.models import QUARTERS, ActionPlan, Activity, Pillar, ReviewStatus
from programs.plan_selectors import (
    CellState,
    OverviewCell,
    OverviewRow,
    in_force,
    overview,
    reported_progress,
)
from tkpk.spreadsheets import BOLD, neutralise, sheet_start, workbook_bytes

WHOLE_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
# Column widths in characters.
NAME, TEXT, LONG, SHORT, NUMBER = 30, 18, 40, 10, 16
# Excel refuses these in a sheet's name, and names longer than 31 characters.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31
SEMESTER_QUARTERS = (1, 2)


def write_plans(
    year: int, *, today: datetime.date, quarters: Iterable[int] = QUARTERS
) -> tuple[io.BytesIO, int]:
    """(the .xlsx, the number of activities in it) of `year`'s plans, over `quarters`."""
    quarters = tuple(quarters)
    rows = overview(year, today=today)
    cells = {(row.plan.pk, cell.quarter): cell for row in rows if row.plan for cell in row.cells}
    activities: dict[int, list[Activity]] = defaultdict(list)
    chosen = (
        Activity.objects.filter(plan__year=year)
        .select_related("plan__agency")
        .order_by("plan__agency__acronym", "position", "pk")
    )
    for activity in chosen:
        activities[activity.pillar_id].extend(in_force(activity.plan, [activity]))
    reported = reported_progress(ActionPlan.objects.in_year(year))
    workbook = Workbook(write_only=True)
    taken = {_summary_title().casefold()}
    _summary_sheet(workbook, rows, quarters)
    for pillar in Pillar.objects.all():
        _pillar_sheet(
            workbook,
            sheet_title(pillar.short_name, taken),
            activities[pillar.pk],
            quarters,
            cells,
            reported,
        )
    return workbook_bytes(workbook), sum(len(items) for items in activities.values())


def _summary_title() -> str:
    return _("Summary")


def sheet_title(name: str, taken: set[str]) -> str:
    """`name` as Excel accepts a sheet's name: without the characters it forbids, at most
    31 characters, unlike the names in `taken` (casefolded; the new one is added)."""
    base = SHEET_NAME_FORBIDDEN.sub("-", name).strip().strip("'")[:SHEET_NAME_LENGTH]
    base = base or _("Pillar")
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" ({number})"
        title = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(title.casefold())
    return title


def _summary_sheet(workbook: Workbook, rows: list[OverviewRow], quarters: tuple[int, ...]) -> None:
    columns = [(_("Agency"), SHORT + 4), (_("Agency name"), NAME), (_("Plan"), TEXT)]
    for quarter in quarters:
        columns += [
            (_("Q%(quarter)d report") % {"quarter": quarter}, TEXT),
            (_("Q%(quarter)d achievement") % {"quarter": quarter}, SHORT + 2),
            (_("Q%(quarter)d budget absorption") % {"quarter": quarter}, SHORT + 2),
        ]
    sheet = sheet_start(workbook, _summary_title(), columns)
    for row in rows:
        values: list = [row.agency.acronym, row.agency.name, _plan_status(row.plan)]
        for cell in row.cells:
            if cell.quarter not in quarters:
                continue
            achievement = cell.achievement
            values += [
                _state(cell),
                _percent(sheet, achievement.ratio if achievement else None),
                _percent(sheet, achievement.absorption if achievement else None),
            ]
        _append(sheet, values)


def _pillar_sheet(
    workbook: Workbook,
    title: str,
    activities: list[Activity],
    quarters: tuple[int, ...],
    cells: dict[tuple[int, int], OverviewCell],
    reported: dict[int, dict[int, Reported]],
) -> None:
    sheet = sheet_start(workbook, title, _pillar_columns(quarters))
    spent_totals = dict.fromkeys(quarters, Decimal(0))
    for activity in activities:
        sent = reported.get(activity.pk, {})
        for quarter, own in sent.items():
            if quarter in spent_totals:
                spent_totals[quarter] += own.spent
        _append(sheet, _activity_values(sheet, activity, quarters, cells, sent))
    _totals(sheet, activities, quarters, spent_totals)


def _pillar_columns(quarters: tuple[int, ...]) -> list[tuple[str, int]]:
    columns = [
        (_("Agency"), SHORT + 4),
        (_("Plan"), TEXT),
        (_("Activity"), LONG),
        (_("Sub-activity code"), TEXT),
        (_("Indicator"), LONG),
        (_("Unit"), SHORT),
        (_("Yearly target"), NUMBER),
        (_("Budget (Rp)"), NUMBER),
        (_("Funding source"), SHORT),
        (_("Extreme poverty budget tag"), TEXT),
        (_("Target group"), TEXT),
    ]
    for quarter in quarters:
        columns += [
            (_("Q%(quarter)d target") % {"quarter": quarter}, SHORT + 2),
            (_("Q%(quarter)d realised") % {"quarter": quarter}, SHORT + 2),
            (_("Q%(quarter)d achievement") % {"quarter": quarter}, SHORT + 2),
            (_("Q%(quarter)d budget spent (Rp)") % {"quarter": quarter}, NUMBER),
            (_("Q%(quarter)d report") % {"quarter": quarter}, TEXT),
        ]
    return columns


def _activity_values(
    sheet,
    activity: Activity,
    quarters: tuple[int, ...],
    cells: dict[tuple[int, int], OverviewCell],
    sent: dict[int, Reported],
) -> list:
    """One activity's row: what it is, then each quarter's target, realised, achievement,
    spending and the state of its agency's report."""
    plan = activity.plan
    values: list = [
        plan.agency.acronym,
        _plan_status(plan),
        activity.name,
        activity.sub_activity_code,
        activity.indicator,
        activity.unit,
        _number(sheet, activity.target),
        _number(sheet, activity.budget),
        activity.get_funding_source_display(),
        activity.get_budget_tag_display(),
        activity.get_target_group_display(),
    ]
    for quarter in quarters:
        own = sent.get(quarter)
        ratio = activity_achievement(activity, quarter, sent).ratio if own else None
        values += [
            _number(sheet, activity.quarter_target(quarter)),
            _number(sheet, own.realised if own else None),
            _percent(sheet, ratio),
            _number(sheet, own.spent if own else None),
            _activity_state(activity, cells.get((plan.pk, quarter))),
        ]
    return values


def _totals(
    sheet, activities: list[Activity], quarters: tuple[int, ...], spent: dict[int, Decimal]
) -> None:
    """Money adds up across activities; targets do not (their units differ)."""
    budget = sum((activity.budget for activity in activities), Decimal(0))
    label = _("Total, %(count)d activities") % {"count": len(activities)}
    values: list = [_bold(sheet, label), *[None] * 6, _number(sheet, budget, bold=True)]
    values += [None] * 3
    for quarter in quarters:
        values += [None, None, None, _number(sheet, spent[quarter], bold=True), None]
    _append(sheet, values)


def _plan_status(plan: ActionPlan | None) -> str:
    if plan is None:
        return _("No plan")
    if not plan.was_verified:
        return _("%(status)s, plan not verified yet") % {"status": plan.get_status_display()}
    if plan.revision and plan.status != ReviewStatus.VERIFIED:
        return _("Verified; revision %(revision)d %(status)s") % {
            "revision": plan.revision,
            "status": plan.get_status_display().lower(),
        }
    return plan.get_status_display()


def _state(cell: OverviewCell | None) -> str:
    if cell is None:
        return str(CellState.NO_PLAN.label)
    label = str(CellState(cell.state).label)
    if cell.late and cell.state != CellState.MISSING:
        return _("%(state)s, late") % {"state": label}
    return label


def _activity_state(activity: Activity, cell: OverviewCell | None) -> str:
    if cell is not None and cell.state != CellState.NO_PLAN and not activity.agreed:
        # Added in a revision not verified yet: no progress is reported on it.
        return _("Not in the verified plan")
    return _state(cell)


def _number(sheet, value: Decimal | None, *, bold: bool = False) -> Cell | None:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = WHOLE_FORMAT if value == value.to_integral_value() else DECIMAL_FORMAT
    if bold:
        cell.font = BOLD
    return cell


def _percent(sheet, ratio: Decimal | None) -> Cell | None:
    if ratio is None:
        return None
    cell = WriteOnlyCell(sheet, value=float(ratio))
    cell.number_format = PERCENT_FORMAT
    return cell


def _bold(sheet, text: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=neutralise(text))
    cell.font = BOLD
    return cell


def _append(sheet, values: list) -> None:
    sheet.append([value if isinstance(value, Cell) else _cell(value) for value in values])


def _cell(value: object) -> object:
    # A label such as a choice's is translated lazily; a worksheet takes only the text.
    return neutralise(str(value) if isinstance(value, Promise) else value)
