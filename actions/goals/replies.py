"""How goal suggestions are worded: the amount, the week's sessions, and always a one-sentence why."""

from __future__ import annotations

from typing import Any

from actions.diary.summary import one_decimal
from actions.goals.plan import Outcome, WeekReview, goal_percent, round_for_unit, session_amount
from pacewise.content.pacing_settings import PacingSettings
from pacewise.storage.goals import Goal
from pacewise.text.amounts_parser import Unit, unit_label

GRADED_ACTIVITY_BUTTON = {"title": "Building up step by step", "payload": "/ask_graded_activity"}
PACING_BUTTON = {"title": "Pacing and the boom-bust cycle", "payload": "/ask_pacing"}
SET_GOAL_BUTTON = {"title": "Set an activity goal", "payload": "/set_activity_goal"}
SHOW_GOAL_BUTTON = {"title": "What's my goal this week?", "payload": "/ask_activity_goal"}

STORAGE_PROBLEM = "Sorry, I can't reach your activity plan just now. Please try again in a few minutes."
WHICH_ACTIVITY = "Which activity would you like to build up? Pick one, or tell me in a few words."
WHICH_ACTIVITY_AGAIN = (
    'Which activity is it? A few words is enough, like "walking" or "playing golf". '
    "If you're not sure, pick something you do most days but have been cutting down on."
)
WHICH_ACTIVITY_DONE = "Well done! Which activity was it?"
GOAL_STOPPED = "No problem, I've stopped. No goal was set."
GOAL_SET_ASIDE = 'OK, let\'s leave the activity goal for now. Say "set a goal" whenever you want to come back to it.'
TOO_BIG = "One of those amounts looks too big to be right. Could you tell me again?"
NO_PLAN_YET = "You don't have an activity plan yet. Would you like to set one up?"
READ_MORE = "Would you like to read more about building up?"
SESSIONS_NEED_A_PLAN = "I can keep track of sessions for an activity plan. Would you like to set one up?"
FLARE_OPENING = "I'm sorry you're having a flare. They are common with long-term pain and most settle."


def one_unit(unit: str) -> str:
    return f"Could you give all the amounts in one unit, for example all in {unit}?"


def amounts_question(activity: str, unit: str, settings: PacingSettings) -> str:
    example = {"minutes": "10, 12 and 8 minutes", "repetitions": "8, 10 and 6 times", "metres": "400, 500 and 300 metres", "steps": "2000, 2500 and 1800 steps"}
    return (
        f"How much {activity} can you do now before the pain starts to build? Tell me {settings.baseline_reports_needed} recent times "
        f'(for example "{example[unit]}"), or a good-day and a bad-day amount ("good day 20, bad day 5").'
    )


def more_needed(collected: dict[str, Any], settings: PacingSettings) -> str:
    unit = Unit(collected["unit"])
    if collected["good_day"] is not None and collected["bad_day"] is None:
        return f"Thanks: {unit_label(unit, collected['good_day'])} on a good day. And on a bad day?"
    if collected["bad_day"] is not None and collected["good_day"] is None:
        return f"Thanks: {unit_label(unit, collected['bad_day'])} on a bad day. And on a good day?"
    got = ", ".join(unit_label(unit, amount) for amount in collected["amounts"])
    missing = settings.baseline_reports_needed - len(collected["amounts"])
    more = "one more time" if missing == 1 else f"{missing} more times"
    return f"Thanks, I've noted {got}. To work out a fair starting point I need {more}: how much could you do on another occasion?"


def amount_text(goal: Goal, amount: float) -> str:
    return unit_label(Unit(goal.unit), round_for_unit(amount, goal.unit))


def session_goal(goal: Goal, settings: PacingSettings) -> str:
    return unit_label(Unit(goal.unit), session_amount(goal.baseline, goal.level, settings, goal.unit))


def _from_good_and_bad_days(goal: Goal) -> bool:
    return not goal.reported_amounts.get("amounts") and goal.reported_amounts.get("bad_day") is not None


def week_line(goal: Goal, settings: PacingSettings, sessions_done: int) -> str:
    return (
        f"**{goal.activity.capitalize()}**: {session_goal(goal, settings)} per session, {settings.sessions_per_week} times this week "
        f"({sessions_done} done so far)."
    )


def new_plan(goal: Goal, settings: PacingSettings) -> str:
    return (
        f"Your {goal.activity} plan is ready.\n"
        f"- Your baseline: {amount_text(goal, goal.baseline)} "
        f"({'what you can manage on a harder day' if _from_good_and_bad_days(goal) else 'the average of what you told me'}).\n"
        f"- This week: {session_goal(goal, settings)} per session, {settings.sessions_per_week} times.\n"
        f"Why: starting at {settings.first_goal_percent}% of your baseline leaves room for harder days, so you can keep it up "
        f"on most days and build from there."
    )


def why(reviews: list[WeekReview], goal: Goal, settings: PacingSettings) -> str:
    """The reason for this week's goal: the latest week's review, or how the plan works mid-week."""
    if not reviews:
        return (
            f"Why: your goal steps up by {settings.weekly_step_percent}% of your baseline after a week with "
            f"{settings.sessions_per_week} sessions done and your pain near its usual level; steady steps beat big jumps."
        )
    last = reviews[-1]
    if last.outcome is Outcome.STEP_UP:
        return (
            f"Why: last week you did {last.sessions_done} sessions and your pain stayed near its usual level, so it's time for a "
            f"small step up ({goal_percent(goal.level, settings)}% of your baseline)."
        )
    if last.outcome is Outcome.TOO_FEW_SESSIONS:
        return (
            f"Why: last week had {last.sessions_done} of {settings.sessions_per_week} sessions, so we'll stay at this level until "
            "a full week is done. Steady beats fast."
        )
    if last.outcome is Outcome.PAIN_ABOVE_USUAL:
        return (
            f"Why: your pain last week averaged {one_decimal(last.pain_average or 0)}, more than {settings.pain_tolerance_points} "
            f"points above your usual {one_decimal(last.usual_pain or 0)}, so we'll hold this level for another week."
        )
    return "Why: you had a flare last week, so we're holding steady before building up again."


def after_flare(goal: Goal, outcome: Outcome, settings: PacingSettings) -> str:
    if outcome is Outcome.FLARE_STEP_BACK:
        return (
            f"I've stepped your {goal.activity} goal back one level, to {session_goal(goal, settings)} per session. "
            "Why: easing back and then building up again after a flare helps you avoid the boom-bust cycle."
        )
    return (
        f"Your {goal.activity} goal stays at {session_goal(goal, settings)} per session for now, and won't step up this week. "
        "Why: holding steady through a flare, rather than stopping or pushing on, helps you avoid the boom-bust cycle."
    )


def session_logged(goal: Goal, settings: PacingSettings, sessions_done: int, amount: float | None) -> str:
    target = session_amount(goal.baseline, goal.level, settings, goal.unit)
    text = f"Well done! That's {sessions_done} of {settings.sessions_per_week} {goal.activity} sessions this week."
    if amount is not None and amount > target * 1.2:
        text += (
            f" You did {amount_text(goal, amount)}, more than your goal of {amount_text(goal, target)}. "
            "Why stick to the plan on good days: doing a lot more can tip you into the boom-bust cycle."
        )
    elif sessions_done >= settings.sessions_per_week:
        text += " That's this week's sessions done. Why it matters: a full week at this level is what lets your goal step up next week."
    else:
        text += f" Why it matters: {settings.sessions_per_week} sessions a week at this level is what lets your goal step up."
    if sessions_done < settings.sessions_per_week:
        text += f" Next time, aim for {amount_text(goal, target)} again."
    return text
