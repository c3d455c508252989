"""Achievement of an action plan's activities, computed from targets and reported progress.

The threshold lives here and nowhere else; pages show it from here (BEHIND_BELOW, through
the `achievement` template tags). Only
reports that were sent count (submitted or verified): a draft or a returned report is
"no report" until it is sent again.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import QUARTERS, Activity

# Under this share of the cumulative target an activity, or an agency, is behind.
BEHIND_BELOW = Decimal("0.80")


class Standing(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    NO_REPORT = "no_report", _("No report")


@dataclass(frozen=True)
class Reported:
    """What one activity's sent report says for one quarter."""

    realised: Decimal
    spent: Decimal


@dataclass(frozen=True)
class ActivityAchievement:
    """One activity at the end of one quarter."""

    quarter: int
    target: Decimal  # the quarter's own target
    realised: Decimal | None  # the quarter's own realised value; None: not reported
    cumulative_target: Decimal
    cumulative_realised: Decimal
    spent: Decimal  # up to and including the quarter
    budget: Decimal

    @property
    def reported(self) -> bool:
        return self.realised is not None

    @property
    def ratio(self) -> Decimal | None:
        """Realised over target up to the quarter; None when nothing was due yet."""
        if not self.cumulative_target:
            return None
        return self.cumulative_realised / self.cumulative_target

    @property
    def absorption(self) -> Decimal | None:
        return absorption(self.spent, self.budget)

    @property
    def standing(self) -> str:
        if not self.reported:
            return Standing.NO_REPORT
        return standing_of(self.ratio)


def absorption(spent: Decimal, budget: Decimal) -> Decimal | None:
    """Budget spent over budget; None without a budget."""
    return spent / budget if budget else None


def standing_of(ratio: Decimal | None) -> str:
    """On track or behind, for a reported ratio (None: nothing was due, so on track)."""
    return Standing.BEHIND if ratio is not None and ratio < BEHIND_BELOW else Standing.ON_TRACK


def cumulative_target(activity: Activity, quarter: int) -> Decimal:
    """The target to have reached by the end of `quarter`: the sum of the quarters so far,
    or for an indicator that does not add up, the quarter's own level."""
    if not activity.adds_up:
        return activity.quarter_target(quarter)
    return sum((activity.quarter_target(q) for q in QUARTERS if q <= quarter), Decimal(0))


def activity_achievement(
    activity: Activity, quarter: int, reported: dict[int, Reported]
) -> ActivityAchievement:
    """`activity` at the end of `quarter`, from its sent reports by quarter."""
    so_far = [reported[q] for q in QUARTERS if q <= quarter and q in reported]
    own = reported.get(quarter)
    if activity.adds_up:
        realised = sum((entry.realised for entry in so_far), Decimal(0))
    else:
        # A level such as a percentage: the latest value reported is where it stands.
        realised = so_far[-1].realised if so_far else Decimal(0)
    return ActivityAchievement(
        quarter=quarter,
        target=activity.quarter_target(quarter),
        realised=own.realised if own else None,
        cumulative_target=cumulative_target(activity, quarter),
        cumulative_realised=realised,
        spent=sum((entry.spent for entry in so_far), Decimal(0)),
        budget=activity.budget,
    )


@dataclass(frozen=True)
class PlanAchievement:
    """A plan, or a part of it such as one pillar, at the end of one quarter."""

    quarter: int
    activities: tuple[ActivityAchievement, ...]

    @property
    def reported(self) -> bool:
        return any(item.reported for item in self.activities)

    @property
    def ratio(self) -> Decimal | None:
        """The mean of the activities' ratios, each counted up to 100 %, so that one
        activity far over its target does not hide another behind."""
        ratios = [min(item.ratio, Decimal(1)) for item in self.activities if item.ratio is not None]
        return sum(ratios, Decimal(0)) / len(ratios) if ratios else None

    @property
    def spent(self) -> Decimal:
        return sum((item.spent for item in self.activities), Decimal(0))

    @property
    def budget(self) -> Decimal:
        return sum((item.budget for item in self.activities), Decimal(0))

    @property
    def absorption(self) -> Decimal | None:
        return absorption(self.spent, self.budget)

    @property
    def standing(self) -> str:
        return standing_of(self.ratio) if self.reported else Standing.NO_REPORT


def plan_achievement(
    activities: list[Activity], quarter: int, reported: dict[int, dict[int, Reported]]
) -> PlanAchievement:
    """`activities` at the end of `quarter`; `reported` maps activity id → quarter → sent."""
    return PlanAchievement(
        quarter=quarter,
        activities=tuple(
            activity_achievement(activity, quarter, reported.get(activity.pk, {}))
            for activity in activities
        ),
    )
