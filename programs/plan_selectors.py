"""Reads on action plans and quarterly progress that several pages need: who sees which
plan, the deadlines, each activity's achievement, the secretariat's agencies × quarters
overview with its late list, and an agency operator's to-do."""

import copy
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.achievement import (
    ActivityAchievement,
    PlanAchievement,
    Reported,
    activity_achievement,
    plan_achievement,
)
from programs.models import (
    QUARTERS,
    ActionPlan,
    Activity,
    PlanAction,
    PlanEvent,
    Progress,
    QuarterReport,
    ReportDeadline,
    ReviewStatus,
    default_deadline,
    quarter_end,
    report_due_on,
    report_late,
)
from tkpk.models import Agency, Role, User
from tkpk.permissions import REGION_READERS, scope_to_user


def plans_for(user: User) -> QuerySet[ActionPlan]:
    """The plans `user` may read: every agency's for the secretariat, the administrator and
    leaders; its own agency's for an agency operator; none for a partner."""
    return scope_to_user(ActionPlan.objects.select_related("agency"), user)


def deadlines(year: int) -> dict[int, datetime.date]:
    """Each quarter's report deadline in `year`: the secretariat's, else the default."""
    chosen = dict(ReportDeadline.objects.filter(year=year).values_list("quarter", "due_on"))
    return {quarter: chosen.get(quarter) or default_deadline(year, quarter) for quarter in QUARTERS}


def plan_deadlines(
    plan: ActionPlan,
    year_deadlines: dict[int, datetime.date] | None = None,
    returned: dict[int, datetime.date] | None = None,
) -> dict[int, datetime.date]:
    """When each quarter's report of `plan` is due (models.report_due_on). When reading many
    plans of one year, pass the year's `deadlines` and the day each report now returned
    was returned (returned_days)."""
    year_deadlines = year_deadlines or deadlines(plan.year)
    if returned is None:
        returned = returned_days(plan.reports.values_list("quarter", "status", "reviewed_at"))
    return {
        quarter: report_due_on(due, plan.first_verified_on, returned.get(quarter))
        for quarter, due in year_deadlines.items()
    }


def returned_days(reports) -> dict[int, datetime.date]:
    """quarter → the day its report was returned, for (quarter, status, reviewed_at) rows of
    reports now returned to the agency."""
    return {
        quarter: timezone.localtime(reviewed_at).date()
        for quarter, status, reviewed_at in reports
        if status == ReviewStatus.RETURNED and reviewed_at is not None
    }


def in_force(plan: ActionPlan, activities: list[Activity]) -> list[Activity]:
    """`activities` of `plan` as they are in force: while a revision is open, those of the
    verified version keep its targets and budget until the revision is verified."""
    if plan.status == ReviewStatus.VERIFIED or not plan.verified_version:
        return activities
    verified = {item["id"]: item for item in plan.verified_version["activities"]}
    return [_as_verified(activity, verified.get(activity.pk)) for activity in activities]


def _as_verified(activity: Activity, verified: dict | None) -> Activity:
    if verified is None:
        return activity
    activity = copy.copy(activity)
    activity.target, activity.budget = Decimal(verified["target"]), Decimal(verified["budget"])
    activity.adds_up = verified["adds_up"]
    for quarter, target in zip(QUARTERS, verified["quarter_targets"], strict=True):
        setattr(activity, f"target_q{quarter}", Decimal(target))
    return activity


def reported_progress(plans) -> dict[int, dict[int, Reported]]:
    """activity id → quarter → what its sent (submitted or verified) report says."""
    rows = Progress.objects.filter(
        report__plan__in=plans, report__status__in=ReviewStatus.reported()
    ).values_list("activity_id", "report__quarter", "realised", "spent")
    reported: dict[int, dict[int, Reported]] = defaultdict(dict)
    for activity_id, quarter, realised, spent in rows:
        reported[activity_id][quarter] = Reported(realised=realised, spent=spent)
    return reported


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity  # as it stands, a revision's changes included
    quarters: tuple[ActivityAchievement, ...]  # Q1..Q4, against the targets in force

    @property
    def cells(self) -> list[tuple[Decimal, ActivityAchievement]]:
        """Each quarter's target as it stands, beside its achievement (whose own target is
        the verified one while a revision is open)."""
        return [
            (self.activity.quarter_target(achievement.quarter), achievement)
            for achievement in self.quarters
        ]


def activity_rows(plan: ActionPlan) -> list[ActivityRow]:
    """`plan`'s activities with their achievement at the end of each quarter, measured
    against the targets in force (in_force)."""
    activities = list(
        plan.activities.select_related("pillar", "program").prefetch_related("villages")
    )
    reported = reported_progress([plan])
    return [
        ActivityRow(
            activity=activity,
            quarters=tuple(
                activity_achievement(measured, quarter, reported.get(activity.pk, {}))
                for quarter in QUARTERS
            ),
        )
        for activity, measured in zip(activities, in_force(plan, activities), strict=True)
    ]


def latest_reported_quarters(plans) -> dict[int, int | None]:
    """plan id → the last quarter whose report the plan's agency has sent (submitted or
    verified), None before its first; for any number of plans in one query."""
    plans = list(plans)
    latest = dict(
        QuarterReport.objects.filter(plan__in=plans, status__in=ReviewStatus.reported())
        .order_by()
        .values("plan")
        .annotate(last=models.Max("quarter"))
        .values_list("plan", "last")
    )
    return {plan.pk: latest.get(plan.pk) for plan in plans}


def latest_reported_quarter(plan: ActionPlan) -> int | None:
    """The last quarter whose report `plan`'s agency has sent, if any."""
    return latest_reported_quarters([plan])[plan.pk]


def achievement_so_far(plan: ActionPlan) -> PlanAchievement | None:
    """`plan` at the end of the last quarter reported; None before its first report."""
    quarter = latest_reported_quarter(plan)
    if quarter is None:
        return None
    activities = in_force(plan, list(plan.activities.filter(agreed=True)))
    return plan_achievement(activities, quarter, reported_progress([plan]))


# --- the secretariat's overview ---------------------------------------------------------


class CellState(models.TextChoices):
    """What the overview shows for one agency in one quarter."""

    VERIFIED = "verified", _("Verified")
    SUBMITTED = "submitted", _("Awaiting verification")
    RETURNED = "returned", _("Returned")
    MISSING = "missing", _("Missing")
    NOT_DUE = "not_due", _("Not due yet")
    NO_PLAN = "no_plan", _("No verified plan")


@dataclass(frozen=True)
class OverviewCell:
    quarter: int
    state: str
    due_on: datetime.date
    late: bool  # the deadline has passed and no report was sent
    achievement: PlanAchievement | None
    report_status: str | None = None  # the QuarterReport's, None before it is opened
    reminded_at: datetime.datetime | None = None


@dataclass
class OverviewRow:
    agency: Agency
    plan: ActionPlan | None
    cells: list[OverviewCell] = field(default_factory=list)


def cell_state(verified_plan: bool, status: str | None, late: bool) -> str:
    """One agency's quarter: the report's status, or missing, not due, or no verified plan."""
    if not verified_plan:
        return CellState.NO_PLAN
    if status in (ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED, ReviewStatus.RETURNED):
        return status
    return CellState.MISSING if late else CellState.NOT_DUE


def overview(year: int, *, today: datetime.date, pillar_id: int | None = None) -> list[OverviewRow]:
    """Agencies × quarters of `year`: each report's state, achievement and lateness, over
    the activities of one pillar when `pillar_id` is given. A fixed number of queries."""
    plans = {plan.agency_id: plan for plan in ActionPlan.objects.in_year(year)}
    agencies = Agency.objects.filter(models.Q(is_active=True) | models.Q(pk__in=plans))
    activities: dict[int, list[Activity]] = defaultdict(list)
    chosen = Activity.objects.filter(plan__year=year, agreed=True)
    if pillar_id is not None:
        chosen = chosen.filter(pillar_id=pillar_id)
    for activity in chosen:
        activities[activity.plan_id].append(activity)
    reported = reported_progress(list(plans.values()))
    reports: dict[int, list] = defaultdict(list)
    for plan_id, quarter, status, reviewed_at in QuarterReport.objects.filter(
        plan__year=year
    ).values_list("plan_id", "quarter", "status", "reviewed_at"):
        reports[plan_id].append((quarter, status, reviewed_at))
    statuses = {
        (plan_id, quarter): status
        for plan_id, rows in reports.items()
        for quarter, status, _at in rows
    }
    reminders = _last_reminders(year)
    year_deadlines = deadlines(year)
    rows = []
    for agency in agencies:
        plan = plans.get(agency.pk)
        row = OverviewRow(agency=agency, plan=plan)
        due = (
            plan_deadlines(plan, year_deadlines, returned_days(reports[plan.pk]))
            if plan
            else year_deadlines
        )
        for quarter in QUARTERS:
            status = statuses.get((plan.pk, quarter)) if plan else None
            unsent = status not in ReviewStatus.reported()
            late = (
                plan is not None and plan.was_verified and report_late(due[quarter], status, today)
            )
            sent_any = plan is not None and not unsent
            row.cells.append(
                OverviewCell(
                    quarter=quarter,
                    state=cell_state(plan is not None and plan.was_verified, status, late),
                    report_status=status,
                    due_on=due[quarter],
                    late=late,
                    achievement=plan_achievement(
                        in_force(plan, activities[plan.pk]), quarter, reported
                    )
                    if sent_any
                    else None,
                    reminded_at=reminders.get((plan.pk, quarter)) if plan else None,
                )
            )
        rows.append(row)
    return rows


def _last_reminders(year: int) -> dict[tuple[int, int], datetime.datetime]:
    rows = (
        PlanEvent.objects.filter(plan__year=year, action=PlanAction.REMINDED)
        .values("plan_id", "quarter")
        .annotate(last=models.Max("at"))
    )
    return {(row["plan_id"], row["quarter"]): row["last"] for row in rows}


@dataclass(frozen=True)
class LateReport:
    agency: Agency
    plan: ActionPlan
    quarter: int
    due_on: datetime.date
    state: str
    reminded_at: datetime.datetime | None


def late_reports(rows: list[OverviewRow]) -> list[LateReport]:
    """The reports of `overview` rows whose deadline has passed with nothing sent."""
    return [
        LateReport(
            agency=row.agency,
            plan=row.plan,
            quarter=cell.quarter,
            due_on=cell.due_on,
            state=cell.state,
            reminded_at=cell.reminded_at,
        )
        for row in rows
        for cell in row.cells
        if cell.late
    ]


# --- an agency operator's to-do ------------------------------------------------------------


@dataclass(frozen=True)
class DueReport:
    plan: ActionPlan
    quarter: int
    due_on: datetime.date
    late: bool
    days: int  # days after the deadline when late, else days left before it
    status: str | None  # the report's status; None before anything was entered
    reminded_at: datetime.datetime | None

    @property
    def status_label(self) -> str:
        return ReviewStatus(self.status).label if self.status else _("Not started")


@dataclass(frozen=True)
class AgencyToDo:
    plan: ActionPlan | None  # this year's plan
    year: int
    due: list[DueReport]  # quarters ended or in their last month, not sent (returned too)
    upcoming: DueReport | None  # the next report after those, with its deadline
    returned: list[PlanEvent]  # the latest return of a plan or report still to correct
    achievement: PlanAchievement | None

    @property
    def reminded(self) -> list[DueReport]:
        return [item for item in self.due if item.reminded_at]


def agency_to_do(user: User, *, today: datetime.date) -> AgencyToDo | None:
    """What an agency operator has to do: this year's plan, the reports due (last
    year's too, until they are sent), what was returned and why, and the
    achievement so far. None for other roles."""
    if user.role != Role.AGENCY or user.agency_id is None:
        return None
    plans = {
        plan.year: plan
        for plan in ActionPlan.objects.filter(
            agency=user.agency_id, year__in=(today.year - 1, today.year)
        )
    }
    due: list[DueReport] = []
    returned: list[PlanEvent] = []
    upcoming = None
    for plan in sorted(plans.values(), key=lambda plan: plan.year):
        if plan.status == ReviewStatus.RETURNED:
            returned.append(_last_event(plan, None, PlanAction.RETURNED))
        if plan.was_verified:
            unsent = _unsent_reports(plan, today=today)
            due.extend(item for item in unsent if _is_due(item, today))
            upcoming = next((item for item in unsent if not _is_due(item, today)), upcoming)
    for item in due:
        if item.status == ReviewStatus.RETURNED:
            returned.append(_last_event(item.plan, item.quarter, PlanAction.RETURNED))
    current = plans.get(today.year)
    return AgencyToDo(
        plan=current,
        year=today.year,
        due=due,
        upcoming=upcoming,
        returned=[event for event in returned if event is not None],
        achievement=achievement_so_far(current) if current else None,
    )


def _last_event(plan: ActionPlan, quarter: int | None, action: str) -> PlanEvent | None:
    return plan.events.filter(quarter=quarter, action=action).select_related("by").first()


def _unsent_reports(plan: ActionPlan, *, today: datetime.date) -> list[DueReport]:
    """Every quarter of `plan` whose report has not been sent, oldest first."""
    reports = list(plan.reports.values_list("quarter", "status", "reviewed_at"))
    statuses = {quarter: status for quarter, status, _at in reports}
    reminders = {
        quarter: at
        for quarter, at in plan.events.filter(action=PlanAction.REMINDED)
        .order_by("at")
        .values_list("quarter", "at")
    }
    due_dates = plan_deadlines(plan, returned=returned_days(reports))
    return [
        DueReport(
            plan=plan,
            quarter=quarter,
            due_on=due_dates[quarter],
            late=report_late(due_dates[quarter], statuses.get(quarter), today),
            days=abs((today - due_dates[quarter]).days),
            status=statuses.get(quarter),
            reminded_at=reminders.get(quarter),
        )
        for quarter in QUARTERS
        if statuses.get(quarter) not in ReviewStatus.reported()
    ]


def _is_due(report: DueReport, today: datetime.date) -> bool:
    """Whether a report is to be worked on now: its quarter has ended, or is in its last
    month."""
    end = quarter_end(report.plan.year, report.quarter)
    return end < today or (end.year, end.month) == (today.year, today.month)


# --- the region's readers' home ---------------------------------------------------------


@dataclass(frozen=True)
class PlansAtAGlance:
    """This year's action plans for the secretariat, the administrator and leaders."""

    year: int
    statuses: list[tuple[str, str, int]]  # key, label, number of agencies
    awaiting: int  # quarterly reports awaiting verification
    late: int  # quarterly reports whose deadline passed with nothing sent
    # Last year's, in its first quarter: its fourth quarter is due in January.
    late_last_year: int = 0


def plans_at_a_glance(user: User, *, today: datetime.date) -> PlansAtAGlance | None:
    """The plans by status, the reports awaiting verification and the late ones (last
    year's too in January–March); None for roles that do not read the whole region."""
    if user.role not in REGION_READERS:
        return None
    rows = overview(today.year, today=today)
    counts: Counter[str] = Counter()
    for row in rows:
        if row.plan is None:
            counts["none"] += 1
        elif row.plan.status == ReviewStatus.DRAFT and row.plan.was_verified:
            counts["revision"] += 1
        else:
            counts[row.plan.status] += 1
    labels = [
        ("none", _("No plan yet")),
        (ReviewStatus.DRAFT, ReviewStatus.DRAFT.label),
        (ReviewStatus.SUBMITTED, ReviewStatus.SUBMITTED.label),
        (ReviewStatus.RETURNED, ReviewStatus.RETURNED.label),
        (ReviewStatus.VERIFIED, ReviewStatus.VERIFIED.label),
        ("revision", _("Verified, revision open")),
    ]
    return PlansAtAGlance(
        year=today.year,
        statuses=[(key, label, counts[key]) for key, label in labels],
        awaiting=sum(cell.state == CellState.SUBMITTED for row in rows for cell in row.cells),
        late=len(late_reports(rows)),
        late_last_year=len(late_reports(overview(today.year - 1, today=today)))
        if today.month <= 3
        else 0,
    )
