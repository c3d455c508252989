"""Achievement is computed from targets and sent progress, by the one threshold."""

from decimal import Decimal

import pytest

from programs.achievement import (
    BEHIND_BELOW,
    Reported,
    Standing,
    activity_achievement,
    cumulative_target,
    plan_achievement,
)
from programs.models import Activity

D = Decimal


def training(**changes) -> Activity:
    """100 people in the year, 10/20/30/40 a quarter, Rp 1.000.000."""
    values = dict(target=D(100), target_q1=D(10), target_q2=D(20), target_q3=D(30), target_q4=D(40))
    values.update(budget=D(1_000_000), adds_up=True, pk=1)
    values.update(changes)
    return Activity(**values)


def coverage() -> Activity:
    """A percentage that does not add up: levels 60, 70, 80, 90."""
    return Activity(
        pk=2,
        target=D(90),
        target_q1=D(60),
        target_q2=D(70),
        target_q3=D(80),
        target_q4=D(90),
        adds_up=False,
        budget=D(0),
    )


def sent(realised, spent=0) -> Reported:
    return Reported(realised=D(realised), spent=D(spent))


def test_the_threshold_is_eighty_percent_of_the_cumulative_target():
    assert D("0.80") == BEHIND_BELOW


def test_cumulative_target_adds_the_quarters_so_far():
    assert [cumulative_target(training(), q) for q in (1, 2, 3, 4)] == [10, 30, 60, 100]


def test_cumulative_target_of_a_percentage_is_the_quarter_level():
    assert [cumulative_target(coverage(), q) for q in (1, 2, 3, 4)] == [60, 70, 80, 90]


def test_exactly_eighty_percent_is_on_track_and_just_under_is_behind():
    on_the_line = activity_achievement(training(), 2, {1: sent(10), 2: sent(14)})
    assert on_the_line.ratio == D("0.8") and on_the_line.standing == Standing.ON_TRACK
    under = activity_achievement(training(), 2, {1: sent(10), 2: sent(13)})
    assert under.ratio < BEHIND_BELOW and under.standing == Standing.BEHIND


def test_a_quarter_without_a_sent_report_is_no_report_even_after_earlier_ones():
    achievement = activity_achievement(training(), 2, {1: sent(10)})
    assert achievement.standing == Standing.NO_REPORT
    assert achievement.realised is None and achievement.cumulative_realised == 10


def test_a_percentage_stands_where_it_was_last_reported_not_at_the_sum():
    achievement = activity_achievement(coverage(), 2, {1: sent(65), 2: sent(68)})
    assert achievement.cumulative_realised == 68
    assert achievement.ratio == D(68) / D(70) and achievement.standing == Standing.ON_TRACK


def test_budget_absorption_is_spent_so_far_over_the_budget():
    achievement = activity_achievement(training(), 3, {1: sent(10, 100_000), 3: sent(30, 150_000)})
    assert achievement.spent == 250_000 and achievement.absorption == D("0.25")
    assert activity_achievement(coverage(), 1, {1: sent(60, 5)}).absorption is None


def test_nothing_due_yet_is_on_track():
    nothing_due = training(target_q1=D(0), target_q2=D(0), target_q3=D(0), target_q4=D(100))
    achievement = activity_achievement(nothing_due, 1, {1: sent(0)})
    assert achievement.ratio is None and achievement.standing == Standing.ON_TRACK


def test_a_plan_averages_its_activities_counting_each_at_most_in_full():
    plan = plan_achievement(
        [training(), coverage()], 1, {1: {1: sent(30)}, 2: {1: sent(30)}}
    )  # training 300 % counts as 100 %; coverage 30 of 60 is 50 %
    assert plan.ratio == D("0.75") and plan.standing == Standing.BEHIND


@pytest.mark.parametrize(
    "reported, standing", [({}, Standing.NO_REPORT), ({1: {1: sent(9)}}, Standing.ON_TRACK)]
)
def test_a_plan_without_any_sent_report_is_no_report(reported, standing):
    assert plan_achievement([training()], 1, reported).standing == standing
