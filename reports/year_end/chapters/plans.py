"""The year's verified action plans as chapter 4 reads them: every agency's activities in
force, measured by the plan selectors' rules at the last quarter the agency reported, in
a fixed number of queries whatever the number of agencies."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from programs.achievement import ActivityAchievement, PlanAchievement, activity_achievement
from programs.models import ActionPlan, Activity, Progress, ReviewStatus
from programs.plan_selectors import in_force, latest_reported_quarters, reported_progress


@dataclass(frozen=True)
class ActivityFigures:
    activity: Activity  # as in force (a revision's changes wait for its verification)
    achievement: ActivityAchievement | None  # at the plan's last quarter reported
    beneficiaries: int | None


@dataclass(frozen=True)
class PlanFigures:
    plan: ActionPlan
    quarter: int | None  # the last quarter whose report was sent; None before the first
    activities: tuple[ActivityFigures, ...]

    @property
    def achievement(self) -> PlanAchievement | None:
        """The plan as achievement_so_far measures it: its activities at that quarter."""
        if self.quarter is None:
            return None
        return PlanAchievement(self.quarter, tuple(a.achievement for a in self.activities))

    @property
    def budget(self) -> Decimal:
        return sum((a.activity.budget for a in self.activities), Decimal(0))


def plan_figures(year: int) -> list[PlanFigures]:
    """Each agency with a verified plan for `year`, by acronym."""
    plans = list(
        ActionPlan.objects.in_year(year)
        .filter(verified_version__isnull=False)
        .select_related("agency")
        .order_by("agency__acronym")
    )
    agreed: dict[int, list[Activity]] = defaultdict(list)
    for activity in Activity.objects.filter(plan__in=plans, agreed=True).select_related("pillar"):
        agreed[activity.plan_id].append(activity)
    reported = reported_progress(plans)
    sent = ReviewStatus.reported()
    latest = latest_reported_quarters(plans)
    people: dict[int, dict[int, int]] = defaultdict(dict)
    for activity, quarter, count in Progress.objects.filter(
        report__plan__in=plans, report__status__in=sent, beneficiaries__isnull=False
    ).values_list("activity", "report__quarter", "beneficiaries"):
        people[activity][quarter] = count
    figures = []
    for plan in plans:
        quarter = latest[plan.pk]
        rows = tuple(
            ActivityFigures(
                activity=activity,
                achievement=activity_achievement(activity, quarter, reported.get(activity.pk, {}))
                if quarter
                else None,
                beneficiaries=_beneficiaries(activity, quarter, people.get(activity.pk, {})),
            )
            for activity in in_force(plan, agreed[plan.pk])
        )
        figures.append(PlanFigures(plan, quarter, rows))
    return figures


def _beneficiaries(activity: Activity, quarter: int | None, counts: dict[int, int]) -> int | None:
    """Counted as the realised value is: summed over the quarters for an indicator that
    adds up, the latest quarter's for one that does not."""
    so_far = [counts[q] for q in sorted(counts) if quarter and q <= quarter]
    if not so_far:
        return None
    return sum(so_far) if activity.adds_up else so_far[-1]
