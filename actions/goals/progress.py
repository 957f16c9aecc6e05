"""Bringing a stored goal up to date: review the weeks that have ended, apply a flare, log a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from actions.goals.plan import FLARE_OUTCOMES, USUAL_PAIN_WINDOW, WEEK, Outcome, WeekReview, flare_level, review_weeks, sessions_this_week
from pacewise.content.pacing_settings import PacingSettings
from pacewise.storage.goals import Goal, GoalChange, goal_changes, save_goal_progress, session_times
from pacewise.storage.pain_diary import pain_entries


@dataclass(frozen=True)
class GoalStatus:
    goal: Goal
    reviews: list[WeekReview]  # the weeks reviewed just now (empty mid-week)
    sessions_this_week: int


def up_to_date(goal: Goal, patient_key: str, now: datetime, settings: PacingSettings) -> GoalStatus:
    """Review every week that has ended since the last look, store the result, and count this week's sessions."""
    sessions = session_times(goal)
    flares = [change.changed_at for change in goal_changes(goal) if change.reason in FLARE_OUTCOMES]
    # Only what the reviews look at: the weeks to review and the 30 days before the first of them.
    pain = [(entry.logged_at, entry.score) for entry in pain_entries(patient_key, since=goal.reviewed_until - USUAL_PAIN_WINDOW)]
    reviews = review_weeks(level=goal.level, reviewed_until=goal.reviewed_until, now=now, sessions=sessions, pain=pain, flares=flares, settings=settings)
    if reviews:
        changes = [GoalChange(review.week_start, review.from_level, review.to_level, review.outcome.value) for review in reviews]
        last = reviews[-1]
        goal = save_goal_progress(goal, patient_key, last.to_level, last.week_start + WEEK, changes)
    return GoalStatus(goal, reviews, sessions_this_week(sessions, goal.reviewed_until, now))


def apply_flare(goal: Goal, patient_key: str, now: datetime, settings: PacingSettings) -> tuple[Goal, Outcome]:
    """After a flare: one level down or held (per the settings), recorded so the week is held too."""
    new_level, outcome = flare_level(goal.level, settings)
    goal = save_goal_progress(goal, patient_key, new_level, goal.reviewed_until, [GoalChange(now, goal.level, new_level, outcome.value)])
    return goal, outcome
