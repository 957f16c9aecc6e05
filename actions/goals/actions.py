"""Graded activity goals: setting one up (activity_goal_form), this week's goal, sessions done, flares."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.content import default_library, intent_for_topic
from actions.diary.recording import log_score_given_with_a_question
from actions.diary.score_parser import current_pain_score
from actions.forms import PacewiseFormValidation, latest_text
from actions.goals import replies
from actions.goals.activities import DEFAULT_UNIT, custom_activity, find_activity
from actions.goals.amounts_parser import Unit, parse_amounts, unit_label
from actions.goals.plan import baseline, has_enough_for_baseline
from actions.goals.progress import apply_flare, up_to_date
from actions.goals.settings import PacingSettings, pacing_settings
from actions.patients import patient_key_for
from actions.replies import Reply
from actions.routing import QUESTION_TOPIC_SHARE, TOPIC_ANSWERED_WITH, leading_topic
from actions.storage.goals import Goal, active_goals, record_session, start_goal
from actions.topics import answer_topic

logger = logging.getLogger(__name__)

ACTIVITY = "goal_activity"
AMOUNTS = "goal_amounts"
SO_FAR = "goal_amounts_so_far"
FORM_SLOTS = (ACTIVITY, AMOUNTS, SO_FAR)
ACTIVITY_ENTITY = "activity"
SESSION_INTENTS = ("log_activity_session", "ask_activity_goal", "set_activity_goal", "log_pain")
STORAGE_PROBLEM = "Sorry, I can't reach your activity plan just now. Please try again in a few minutes."


def activity_entity(tracker: Tracker) -> str | None:
    """The activity a button payload named (/log_activity_session{"activity": "walking"}), if any."""
    return next((entity.get("value") for entity in tracker.latest_message.get("entities") or [] if entity.get("entity") == ACTIVITY_ENTITY), None)


def unit_for(activity: str, settings: PacingSettings) -> str:
    return settings.activities.get(activity, DEFAULT_UNIT)


def amounts_question(activity: str, unit: str, settings: PacingSettings) -> str:
    example = {"minutes": "10, 12 and 8 minutes", "repetitions": "8, 10 and 6 times", "metres": "400, 500 and 300 metres", "steps": "2000, 2500 and 1800 steps"}
    return (
        f"How much {activity} can you do now before the pain starts to build? Tell me {settings.baseline_reports_needed} recent times "
        f'(for example "{example[unit]}"), or a good-day and a bad-day amount ("good day 20, bad day 5").'
    )


class ActionAskGoalActivity(Action):
    """The activity question, with the settings' activities as buttons."""

    def name(self) -> str:
        return "action_ask_goal_activity"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        activities = pacing_settings().activities
        buttons = [{"title": name.capitalize(), "payload": name} for name in activities]
        dispatcher.utter_message(text="Which activity would you like to build up? Pick one, or tell me in a few words.", buttons=buttons)
        return []


class ActionAskGoalAmounts(Action):
    def name(self) -> str:
        return "action_ask_goal_amounts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        settings = pacing_settings()
        activity = tracker.get_slot(ACTIVITY) or "the activity"
        dispatcher.utter_message(text=amounts_question(activity, unit_for(activity, settings), settings))
        return []


class ValidateActivityGoalForm(PacewiseFormValidation):
    """The activity, then what the patient can do now: enough amounts for a baseline, kept across answers."""

    form_slots = FORM_SLOTS
    start_intent = "set_activity_goal"
    stopped_text = "No problem, I've stopped. No goal was set."

    def set_aside_reply(self, tracker: Tracker) -> str:
        return 'OK, let\'s leave the activity goal for now. Say "set a goal" whenever you want to come back to it.'

    def answers_the_question(self, tracker: Tracker) -> bool:
        text = latest_text(tracker)
        if tracker.get_slot("requested_slot") == ACTIVITY:
            return bool(activity_entity(tracker) or find_activity(text, pacing_settings().activities))
        unit = Unit(unit_for(tracker.get_slot(ACTIVITY) or "", pacing_settings()))
        reading = parse_amounts(text, unit)
        return bool(reading.amounts) or reading.good_day is not None or reading.bad_day is not None

    def name(self) -> str:
        return "validate_activity_goal_form"

    async def extract_goal_activity(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if not self.is_requested(tracker, ACTIVITY, at_start=True) or tracker.get_slot(ACTIVITY):
            return {}
        text = latest_text(tracker)
        entity = activity_entity(tracker)
        known = find_activity(str(entity or text), pacing_settings().activities)
        if known:
            return {ACTIVITY: known}
        if tracker.get_slot("requested_slot") is None:
            return {}  # "set me a goal": the form asks which activity
        own = custom_activity(text)
        if own:
            return {ACTIVITY: own}
        return self.not_an_answer(
            dispatcher,
            tracker,
            ACTIVITY,
            'Which activity is it? A few words is enough, like "walking" or "playing golf". '
            "If you're not sure, pick something you do most days but have been cutting down on.",
        )

    async def extract_goal_amounts(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if not self.is_requested(tracker, AMOUNTS):
            return {}
        settings = pacing_settings()
        activity = tracker.get_slot(ACTIVITY) or ""
        unit = unit_for(activity, settings)
        reading = parse_amounts(latest_text(tracker), Unit(unit))
        if reading.problem == "mixed_units":
            dispatcher.utter_message(text=f"Could you give all the amounts in one unit, for example all in {unit}?")
            return {AMOUNTS: None}
        if reading.problem == "implausible":
            dispatcher.utter_message(text="One of those amounts looks too big to be right. Could you tell me again?")
            return {AMOUNTS: None}
        if reading.unit is not None and reading.unit.value != unit:
            unit = reading.unit.value

        so_far = tracker.get_slot(SO_FAR) or {}
        if so_far and so_far.get("unit") != unit:
            so_far = {}  # a new unit: start again rather than mix
        amounts = [*so_far.get("amounts", []), *reading.amounts]
        good_day = reading.good_day if reading.good_day is not None else so_far.get("good_day")
        bad_day = reading.bad_day if reading.bad_day is not None else so_far.get("bad_day")
        collected = {"unit": unit, "amounts": amounts, "good_day": good_day, "bad_day": bad_day}
        if has_enough_for_baseline(amounts, good_day, bad_day, settings):
            return {AMOUNTS: collected, SO_FAR: None}
        if not amounts and good_day is None and bad_day is None:
            return self.not_an_answer(dispatcher, tracker, AMOUNTS, amounts_question(activity or "it", unit, settings))

        dispatcher.utter_message(text=_more_needed(collected, settings))
        return {AMOUNTS: None, SO_FAR: collected}


def _more_needed(collected: dict[str, Any], settings: PacingSettings) -> str:
    unit = Unit(collected["unit"])
    if collected["good_day"] is not None and collected["bad_day"] is None:
        return f"Thanks: {unit_label(unit, collected['good_day'])} on a good day. And on a bad day?"
    if collected["bad_day"] is not None and collected["good_day"] is None:
        return f"Thanks: {unit_label(unit, collected['bad_day'])} on a bad day. And on a good day?"
    got = ", ".join(unit_label(unit, amount) for amount in collected["amounts"])
    missing = settings.baseline_reports_needed - len(collected["amounts"])
    more = "one more time" if missing == 1 else f"{missing} more times"
    return f"Thanks, I've noted {got}. To work out a fair starting point I need {more}: how much could you do on another occasion?"


class ActionStartGoal(Action):
    """Work out the baseline and first goal, store the plan, and explain it."""

    def name(self) -> str:
        return "action_start_goal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        activity, collected = tracker.get_slot(ACTIVITY), tracker.get_slot(AMOUNTS)
        if not activity or not collected:  # the patient stopped the form
            return reset
        settings = pacing_settings()
        amount = baseline(collected["amounts"], collected.get("good_day"), collected.get("bad_day"))
        try:
            goal = start_goal(patient_key_for(tracker), activity, collected["unit"], collected, amount, datetime.now(timezone.utc))
        except Exception:
            logger.exception("Could not store an activity goal")
            dispatcher.utter_message(text=STORAGE_PROBLEM)
            return reset
        Reply(replies.new_plan(goal, settings), [replies.GRADED_ACTIVITY_BUTTON, replies.PACING_BUTTON]).send(dispatcher)
        return reset


class ActionShowGoal(Action):
    """This week's goal for each plan, brought up to date with the weeks that have ended."""

    def name(self) -> str:
        return "action_show_goal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        settings, key, now = pacing_settings(), patient_key_for(tracker), datetime.now(timezone.utc)
        try:
            statuses = [up_to_date(goal, key, now, settings) for goal in active_goals(key)]
        except Exception:
            logger.exception("Could not read activity goals")
            dispatcher.utter_message(text=STORAGE_PROBLEM)
            return []
        if not statuses:
            Reply("You don't have an activity plan yet. Would you like to set one up?", [replies.SET_GOAL_BUTTON, replies.GRADED_ACTIVITY_BUTTON]).send(
                dispatcher
            )
            return []
        for status in statuses:
            text = replies.week_line(status.goal, settings, status.sessions_this_week) + "\n" + replies.why(status.reviews, status.goal, settings)
            dispatcher.utter_message(text=text)
        Reply("Would you like to read more about building up?", [replies.GRADED_ACTIVITY_BUTTON, replies.PACING_BUTTON]).send(dispatcher)
        return []


def _goal_meant(goals: list[Goal], tracker: Tracker) -> Goal | None:
    """The plan a message is about: the only one, or the one whose activity it names."""
    if len(goals) == 1:
        return goals[0]
    entity = activity_entity(tracker)
    named = find_activity(str(entity or latest_text(tracker)), [goal.activity for goal in goals])
    return next((goal for goal in goals if goal.activity == named), None)


class ActionLogSession(Action):
    """'I did my walk today': count it towards this week's goal and say how the week is going."""

    def name(self) -> str:
        return "action_log_session"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        settings, key, now = pacing_settings(), patient_key_for(tracker), datetime.now(timezone.utc)
        try:
            goals = active_goals(key)
            if not goals:
                Reply("I can keep track of sessions for an activity plan. Would you like to set one up?", [replies.SET_GOAL_BUTTON]).send(dispatcher)
                return []
            goal = _goal_meant(goals, tracker)
            if goal is None:
                buttons = [{"title": g.activity.capitalize(), "payload": f'/log_activity_session{{"{ACTIVITY_ENTITY}": "{g.activity}"}}'} for g in goals]
                dispatcher.utter_message(text="Well done! Which activity was it?", buttons=buttons)
                return []
            status = up_to_date(goal, key, now, settings)
            amounts = parse_amounts(latest_text(tracker), Unit(goal.unit)).amounts
            amount = amounts[0] if amounts else None
            record_session(status.goal, key, now, amount)
        except Exception:
            logger.exception("Could not log an activity session")
            dispatcher.utter_message(text=STORAGE_PROBLEM)
            return []
        text = replies.session_logged(status.goal, settings, status.sessions_this_week + 1, amount)
        Reply(text, [replies.SHOW_GOAL_BUTTON, replies.PACING_BUTTON]).send(dispatcher)
        return [*_pain_given_with_the_session(dispatcher, tracker), *_question_asked_with_the_session(dispatcher, tracker)]


def _pain_given_with_the_session(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """ "Walked 10 minutes, knee was a 4 after": the score goes in the diary too (not "it goes up to 6 when I walk")."""
    score = current_pain_score(latest_text(tracker))
    return (log_score_given_with_a_question(dispatcher, tracker, score) or []) if score is not None else []


def _question_asked_with_the_session(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """ "Did my 12 minutes, is it normal my knee aches after?": answered after the session is counted."""
    if "?" not in latest_text(tracker):
        return []
    topics = default_library().snapshot().topics
    asked = leading_topic(tracker.latest_message.get("intent_ranking") or [], topics, QUESTION_TOPIC_SHARE, ignore=SESSION_INTENTS)
    return answer_topic(dispatcher, asked[0]) if asked is not None else []


class ActionReportFlare(Action):
    """'My back has flared again': hold or step back each plan (per the pacing settings), then the flare-up content.

    A patient reporting a flare needs the same practical help as one asking how to
    cope with it, so both get the clinicians' flare-up answer; a report also
    adjusts the patient's activity plans.
    """

    def name(self) -> str:
        return "action_report_flare"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        settings, key, now = pacing_settings(), patient_key_for(tracker), datetime.now(timezone.utc)
        lines = ["I'm sorry you're having a flare. They are common with long-term pain and most settle."]
        try:
            for goal in active_goals(key):
                status = up_to_date(goal, key, now, settings)
                adjusted, outcome = apply_flare(status.goal, key, now, settings)
                lines.append(replies.after_flare(adjusted, outcome, settings))
        except Exception:
            logger.exception("Could not adjust activity goals after a flare")
            lines.append(STORAGE_PROBLEM)
        dispatcher.utter_message(text="\n\n".join(lines))
        return answer_topic(dispatcher, intent_for_topic(TOPIC_ANSWERED_WITH["report_flare"]))
