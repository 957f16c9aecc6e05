"""Graded activity arithmetic: baseline, goal per level, weekly reviews and flares.

Pure functions of the pacing settings and what the patient reported, so the
rules clinicians set in content/settings/pacing.yml can be tested exactly:
- baseline = mean of the reported amounts, or, from a good-day and a bad-day amount, the
  bad-day amount: the first goal must be manageable on a harder day (graded activity's own advice);
- goal at level n = baseline x (first_goal_percent + n x weekly_step_percent) / 100;
- a complete week moves up one level when at least sessions_per_week sessions were
  done and the week's average pain stayed within pain_tolerance_points of the
  patient's usual level (their average over the 30 days before that week);
- a flare holds the week, and (after_flare: step_back) drops one level at once;
- goals are rounded to amounts a patient can follow, and every level up moves by at least
  one unit, so small baselines never stall (session_amount).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from statistics import fmean

from pacewise.content.pacing_settings import PacingSettings

WEEK = timedelta(days=7)
USUAL_PAIN_WINDOW = timedelta(days=30)


class Outcome(str, Enum):
    STEP_UP = "weekly_step"
    TOO_FEW_SESSIONS = "held_sessions"
    PAIN_ABOVE_USUAL = "held_pain"
    FLARE_WEEK = "held_flare"
    FLARE_STEP_BACK = "flare_step_back"
    FLARE_HOLD = "flare_hold"


FLARE_OUTCOMES = frozenset({Outcome.FLARE_STEP_BACK.value, Outcome.FLARE_HOLD.value})


@dataclass(frozen=True)
class WeekReview:
    week_start: datetime
    sessions_done: int
    pain_average: float | None
    usual_pain: float | None
    outcome: Outcome
    from_level: int
    to_level: int


def baseline(amounts: Sequence[float], good_day: float | None = None, bad_day: float | None = None) -> float:
    """What the patient can do now: the mean of the reported amounts, or what they manage on a harder day.

    The mean of a good day (30 minutes) and a bad day (5) would set a first goal far above what a
    harder day allows, against graded activity's own advice to start where every day is manageable.
    """
    if amounts:
        return fmean(amounts)
    values = [value for value in (bad_day, good_day) if value is not None]
    if not values:
        raise ValueError("a baseline needs at least one amount")
    return min(values)


def has_enough_for_baseline(amounts: Sequence[float], good_day: float | None, bad_day: float | None, settings: PacingSettings) -> bool:
    return len(amounts) >= settings.baseline_reports_needed or (good_day is not None and bad_day is not None)


def goal_percent(level: int, settings: PacingSettings) -> int:
    return settings.first_goal_percent + level * settings.weekly_step_percent


def goal_amount(baseline_amount: float, level: int, settings: PacingSettings) -> float:
    """The amount per session at a level, rounded so a patient can follow it (see round_for_unit)."""
    return baseline_amount * goal_percent(level, settings) / 100


def unit_step(unit: str) -> float:
    """The smallest amount a patient is asked to change: a minute or a repetition, 10 metres, 50 steps."""
    return {"metres": 10.0, "steps": 50.0}.get(unit, 1.0)


def round_for_unit(amount: float, unit: str) -> float:
    """Whole minutes and repetitions, metres to the nearest 10, steps to the nearest 50; never below the smallest step."""
    step = unit_step(unit)
    return max(step, round(amount / step) * step)


def session_amount(baseline_amount: float, level: int, settings: PacingSettings, unit: str) -> float:
    """The goal per session at a level, rounded (round_for_unit), each level at least one unit above the one below.

    Rounding alone stalls small baselines: 3 minutes gives 2, 3, 3, 3, 4 over five levels.
    """
    amount = round_for_unit(goal_amount(baseline_amount, 0, settings), unit)
    for higher in range(1, level + 1):
        amount = max(round_for_unit(goal_amount(baseline_amount, higher, settings), unit), amount + unit_step(unit))
    return amount


def flare_level(level: int, settings: PacingSettings) -> tuple[int, Outcome]:
    """The level after a flare: one down (never below the first goal), or held."""
    if settings.after_flare == "step_back" and level > 0:
        return level - 1, Outcome.FLARE_STEP_BACK
    return level, Outcome.FLARE_HOLD


def review_weeks(
    *,
    level: int,
    reviewed_until: datetime,
    now: datetime,
    sessions: Sequence[datetime],
    pain: Sequence[tuple[datetime, int]],
    flares: Sequence[datetime],
    settings: PacingSettings,
) -> list[WeekReview]:
    """Review each complete week from reviewed_until up to now, in order; the last review holds the new level."""
    reviews: list[WeekReview] = []
    week_start = reviewed_until
    while week_start + WEEK <= now:
        week_end = week_start + WEEK
        done = sum(week_start <= moment < week_end for moment in sessions)
        week_pain = [score for moment, score in pain if week_start <= moment < week_end]
        before = [score for moment, score in pain if week_start - USUAL_PAIN_WINDOW <= moment < week_start]
        pain_average = fmean(week_pain) if week_pain else None
        usual = fmean(before) if before else None

        if any(week_start <= moment < week_end for moment in flares):
            outcome = Outcome.FLARE_WEEK
        elif done < settings.sessions_per_week:
            outcome = Outcome.TOO_FEW_SESSIONS
        elif pain_average is not None and usual is not None and pain_average > usual + settings.pain_tolerance_points:
            outcome = Outcome.PAIN_ABOVE_USUAL
        else:
            outcome = Outcome.STEP_UP
        new_level = level + 1 if outcome is Outcome.STEP_UP else level
        reviews.append(WeekReview(week_start, done, pain_average, usual, outcome, level, new_level))
        level = new_level
        week_start = week_end
    return reviews


def sessions_this_week(sessions: Sequence[datetime], reviewed_until: datetime, now: datetime) -> int:
    """Sessions done in the current (not yet complete) plan week."""
    week_start = reviewed_until + WEEK * max(0, (now - reviewed_until) // WEEK)
    return sum(week_start <= moment <= now for moment in sessions)
