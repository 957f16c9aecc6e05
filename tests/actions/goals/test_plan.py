"""The graded activity arithmetic, exactly as the pacing settings describe it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.goals.plan import (
    WEEK,
    Outcome,
    baseline,
    flare_level,
    goal_amount,
    has_enough_for_baseline,
    review_weeks,
    round_for_unit,
    session_amount,
    sessions_this_week,
    unit_step,
)
from pacewise.content.pacing_settings import PacingSettings

SETTINGS = PacingSettings()
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def days(n: float) -> datetime:
    return START + timedelta(days=n)


def test_baseline_is_the_mean_of_the_reported_amounts():
    assert baseline([10, 12, 8]) == 10


def test_baseline_from_a_good_day_and_a_bad_day_is_what_a_harder_day_allows():
    assert baseline([], good_day=30, bad_day=5) == 5
    first_goal = session_amount(baseline([], good_day=30, bad_day=5), 0, SETTINGS, "minutes")
    assert first_goal <= 5  # never above what the patient manages on a bad day


def test_a_baseline_needs_three_amounts_or_a_good_and_bad_day():
    assert not has_enough_for_baseline([10, 12], None, None, SETTINGS)
    assert has_enough_for_baseline([10, 12, 8], None, None, SETTINGS)
    assert not has_enough_for_baseline([], 20, None, SETTINGS)
    assert has_enough_for_baseline([], 20, 5, SETTINGS)


def test_first_goal_is_80_percent_then_10_percent_of_baseline_per_level():
    assert goal_amount(10, 0, SETTINGS) == pytest.approx(8)
    assert goal_amount(10, 1, SETTINGS) == pytest.approx(9)
    assert goal_amount(10, 4, SETTINGS) == pytest.approx(12)


def test_the_percentages_come_from_the_settings():
    gentler = replace(SETTINGS, first_goal_percent=70, weekly_step_percent=5)
    assert goal_amount(20, 2, gentler) == pytest.approx(16)


@given(st.floats(min_value=1, max_value=500), st.integers(min_value=0, max_value=20))
def test_each_level_adds_exactly_one_weekly_step(base, level):
    step = goal_amount(base, level + 1, SETTINGS) - goal_amount(base, level, SETTINGS)
    assert step == pytest.approx(base * SETTINGS.weekly_step_percent / 100)


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [(8.4, "minutes", 8), (8.6, "minutes", 9), (0.2, "minutes", 1), (436, "metres", 440), (2130, "steps", 2150), (7.5, "repetitions", 8)],
)
def test_goals_are_rounded_to_amounts_a_patient_can_follow(amount, unit, expected):
    assert round_for_unit(amount, unit) == expected


def test_a_small_baseline_moves_at_every_level():
    assert [session_amount(3, level, SETTINGS, "minutes") for level in range(5)] == [2, 3, 4, 5, 6]


@given(st.floats(min_value=0.5, max_value=20000), st.integers(min_value=0, max_value=15), st.sampled_from(["minutes", "repetitions", "metres", "steps"]))
def test_every_level_up_asks_for_more_and_stays_close_to_the_plan(base, level, unit):
    lower, higher = session_amount(base, level, SETTINGS, unit), session_amount(base, level + 1, SETTINGS, unit)
    assert higher >= lower + unit_step(unit)
    assert higher >= round_for_unit(goal_amount(base, level + 1, SETTINGS), unit)  # never below the plan's own figure


def test_a_flare_steps_back_one_level_but_never_below_the_first_goal():
    assert flare_level(3, SETTINGS) == (2, Outcome.FLARE_STEP_BACK)
    assert flare_level(0, SETTINGS) == (0, Outcome.FLARE_HOLD)


def test_a_flare_holds_when_the_settings_say_hold():
    assert flare_level(3, replace(SETTINGS, after_flare="hold")) == (3, Outcome.FLARE_HOLD)


def review(*, now, sessions=(), pain=(), flares=(), level=0, settings=SETTINGS):
    return review_weeks(level=level, reviewed_until=START, now=now, sessions=list(sessions), pain=list(pain), flares=list(flares), settings=settings)


def test_nothing_is_reviewed_before_a_week_has_ended():
    assert review(now=days(6.9), sessions=[days(1), days(2), days(3)]) == []


def test_a_full_week_with_pain_near_usual_steps_up():
    usual = [(days(-10), 5), (days(-3), 5)]
    reviews = review(now=days(7), sessions=[days(1), days(3), days(5)], pain=[*usual, (days(2), 6)])
    assert [r.outcome for r in reviews] == [Outcome.STEP_UP]
    assert reviews[-1].to_level == 1


def test_too_few_sessions_holds_the_level():
    reviews = review(now=days(7), sessions=[days(1), days(3)])
    assert reviews[-1].outcome is Outcome.TOO_FEW_SESSIONS
    assert reviews[-1].to_level == 0


def test_pain_more_than_two_points_above_usual_holds_the_level():
    pain = [(days(-5), 4), (days(2), 7), (days(4), 7)]
    reviews = review(now=days(7), sessions=[days(1), days(3), days(5)], pain=pain)
    assert reviews[-1].outcome is Outcome.PAIN_ABOVE_USUAL
    assert reviews[-1].usual_pain == 4 and reviews[-1].pain_average == 7


def test_pain_exactly_two_points_above_usual_still_steps_up():
    pain = [(days(-5), 4), (days(2), 6)]
    assert review(now=days(7), sessions=[days(1), days(3), days(5)], pain=pain)[-1].outcome is Outcome.STEP_UP


def test_a_week_with_a_flare_does_not_step_up():
    reviews = review(now=days(7), sessions=[days(1), days(3), days(5)], flares=[days(4)])
    assert reviews[-1].outcome is Outcome.FLARE_WEEK
    assert reviews[-1].to_level == 0


def test_several_weeks_are_reviewed_in_order():
    sessions = [days(d) for d in (1, 2, 3, 8, 15, 16, 17)]
    reviews = review(now=days(21.5), sessions=sessions)
    assert [r.outcome for r in reviews] == [Outcome.STEP_UP, Outcome.TOO_FEW_SESSIONS, Outcome.STEP_UP]
    assert reviews[-1].to_level == 2
    assert reviews[-1].week_start + WEEK == days(21)


def test_sessions_are_counted_in_the_current_week_only():
    assert sessions_this_week([days(1), days(8), days(9)], START, days(10)) == 2
