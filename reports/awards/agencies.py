"""Agencies as award candidates: who qualifies in a pillar, and the four parts of their
score, read from their verified action plans in a fixed number of queries.

An agency qualifies in a pillar when its verified plan of the year (a plan with a verified
version, a revision open or not) has agreed activities in that pillar; only those count.
One added by hand is measured on all agreed activities of its plan. Achievement and
absorption are the plan rule (programs.achievement.plan_achievement over the activities in
force, at the last quarter reported, as plan_selectors.achievement_so_far measures a plan).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.achievement import PlanAchievement, plan_achievement
from programs.models import (
    ActionPlan,
    Activity,
    Progress,
    ProgressEvidence,
    QuarterReport,
    ReviewStatus,
)
from programs.plan_selectors import deadlines, in_force, plan_deadlines, reported_progress
from reports.awards.scoring import PARTS, Measure, measured, share
from reports.models import CandidateKind
from tkpk.models import Agency


@dataclass(frozen=True)
class AgencyScored:
    agency: Agency
    measures: dict[str, Measure]


def qualifying_plans(year: int, pillar_id: int | None) -> QuerySet[ActionPlan]:
    """The verified plans of `year` with agreed activities in the pillar (none without one)."""
    if pillar_id is None:
        return ActionPlan.objects.none()
    in_pillar = Activity.objects.filter(plan__year=year, pillar_id=pillar_id, agreed=True)
    return ActionPlan.objects.filter(
        year=year, verified_version__isnull=False, pk__in=in_pillar.values("plan")
    )


def agency_measures(
    year: int,
    pillar_id: int | None,
    *,
    by_hand: Iterable[int],
    others: Iterable[Agency],
    today: datetime.date,
) -> list[AgencyScored]:
    """Every agency qualifying in the pillar, those added by hand (ids), and `others` (with
    a row in the category without qualifying any more), each with its four parts."""
    by_hand = set(by_hand)
    agencies = {agency.pk: agency for agency in others}
    plans = list(
        ActionPlan.objects.filter(year=year, verified_version__isnull=False)
        .filter(
            Q(pk__in=qualifying_plans(year, pillar_id).values("pk"))
            | Q(agency__in=by_hand | set(agencies))
        )
        .select_related("agency")
    )
    agencies.update({plan.agency_id: plan.agency for plan in plans})
    missing = by_hand - set(agencies)
    agencies.update({agency.pk: agency for agency in Agency.objects.filter(pk__in=missing)})
    counted = _counted_activities(plans, pillar_id, by_hand)
    facts = _PlanFacts.read(plans, year, today=today)
    by_agency = {plan.agency_id: plan for plan in plans}
    result = []
    for agency_id, agency in agencies.items():
        plan = by_agency.get(agency_id)
        if plan is None:
            why = _("no verified action plan of %(year)s") % {"year": year}
            measures = dict.fromkeys(_KEYS, Measure(None, why))
        elif not counted[plan.pk]:
            measures = dict.fromkeys(_KEYS, Measure(None, _("no agreed activity counts here")))
        else:
            measures = facts.measures(plan, counted[plan.pk])
        result.append(AgencyScored(agency, measures))
    return result


_KEYS = tuple(spec.key for spec in PARTS[CandidateKind.AGENCY])


def _counted_activities(
    plans: list[ActionPlan], pillar_id: int | None, by_hand: set[int]
) -> dict[int, list[Activity]]:
    """plan id → the agreed activities that count: the pillar's, or all for an agency
    added by hand."""
    counted: dict[int, list[Activity]] = {plan.pk: [] for plan in plans}
    whole = {plan.pk for plan in plans if plan.agency_id in by_hand}
    for activity in Activity.objects.filter(plan__in=[plan.pk for plan in plans], agreed=True):
        if activity.plan_id in whole or activity.pillar_id == pillar_id:
            counted[activity.plan_id].append(activity)
    return counted


@dataclass
class _PlanFacts:
    """What the measures read for a set of plans, read once for all of them."""

    today: datetime.date
    year_deadlines: dict[int, datetime.date]
    reported: dict
    reports: dict[int, dict[int, tuple[str, datetime.datetime | None]]]
    entries: dict[int, list[tuple[str, bool]]]  # activity id → (report status, has evidence)

    @classmethod
    def read(cls, plans: list[ActionPlan], year: int, *, today: datetime.date) -> "_PlanFacts":
        reports: dict[int, dict] = defaultdict(dict)
        for plan_id, quarter, status, first in QuarterReport.objects.filter(
            plan__in=plans
        ).values_list("plan_id", "quarter", "status", "first_submitted_at"):
            reports[plan_id][quarter] = (status, first)
        entries: dict[int, list[tuple[str, bool]]] = defaultdict(list)
        documented = Exists(ProgressEvidence.objects.filter(progress=OuterRef("pk")))
        for activity_id, status, has_file in (
            Progress.objects.filter(
                report__plan__in=plans,
                report__status__in=ReviewStatus.reported(),
                realised__gt=0,
            )
            .annotate(documented=documented)
            .values_list("activity_id", "report__status", "documented")
        ):
            entries[activity_id].append((status, has_file))
        return cls(
            today=today,
            year_deadlines=deadlines(year) if plans else {},
            reported=reported_progress(plans) if plans else {},
            reports=reports,
            entries=entries,
        )

    def measures(self, plan: ActionPlan, activities: list[Activity]) -> dict[str, Measure]:
        achievement = self._achievement(plan, activities)
        no_report = _("no quarterly report sent")
        if achievement is None:
            achieved = absorption = Measure(None, no_report)
        else:
            nothing_due = _("nothing was due by the last quarter reported")
            achieved = measured(achievement.ratio, nothing_due)
            absorption = measured(achievement.absorption, _("no budget on these activities"))
        return {
            "achievement": achieved,
            "absorption": absorption,
            "on_time": self._on_time(plan),
            "evidence": self._evidence(activities),
        }

    def _achievement(self, plan: ActionPlan, activities: list[Activity]) -> PlanAchievement | None:
        """At the end of the last quarter reported (None before the first), as
        plan_selectors.achievement_so_far measures a whole plan."""
        sent = [
            quarter
            for quarter, (status, _first) in self.reports[plan.pk].items()
            if status in ReviewStatus.reported()
        ]
        if not sent:
            return None
        return plan_achievement(in_force(plan, activities), max(sent), self.reported)

    def _on_time(self, plan: ActionPlan) -> Measure:
        # The first sending is judged against the deadline before any return: a return
        # gives time for the correction, not for the report itself.
        due = plan_deadlines(plan, self.year_deadlines, returned={})
        passed = [quarter for quarter, day in due.items() if day < self.today]
        on_time = 0
        for quarter in passed:
            _status, first = self.reports[plan.pk].get(quarter, (None, None))
            if first is not None and timezone.localtime(first).date() <= due[quarter]:
                on_time += 1
        return share(on_time, len(passed), _("no report was due yet"))

    def _evidence(self, activities: list[Activity]) -> Measure:
        rows = [row for activity in activities for row in self.entries.get(activity.pk, [])]
        shown = sum(status == ReviewStatus.VERIFIED and has_file for status, has_file in rows)
        return share(shown, len(rows), _("nothing realised was reported"))
