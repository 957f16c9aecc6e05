"""Graded activity goals: setting one up (activity_goal_form), this week's goal, sessions done, flares."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.diary.recording import log_score_given_with_a_question
from actions.forms import PacewiseFormValidation, latest_text
from actions.goals import replies
from actions.goals.activities import DEFAULT_UNIT, custom_activity, find_activity
from actions.goals.plan import baseline, has_enough_for_baseline
from actions.goals.progress import apply_flare, up_to_date
from actions.patients import patient_key_for
from actions.replies import Reply, say
from actions.topics import answer_topic
from pacewise.content import default_library, intent_for_topic
from pacewise.content.pacing_settings import PacingSettings, pacing_settings
from pacewise.routing import QUESTION_TOPIC_SHARE, TOPIC_ANSWERED_WITH, leading_topic
from pacewise.storage.goals import Goal, active_goals, record_session, start_goal
from pacewise.text.amounts_parser import Unit, parse_amounts
from pacewise.text.questions import asks_a_question
from pacewise.text.score_parser import current_pain_score

logger = logging.getLogger(__name__)

ACTIVITY = "goal_activity"
AMOUNTS = "goal_amounts"
SO_FAR = "goal_amounts_so_far"
FORM_SLOTS = (ACTIVITY, AMOUNTS, SO_FAR)
ACTIVITY_ENTITY = "activity"
SESSION_INTENTS = ("log_activity_session", "ask_activity_goal", "set_activity_goal", "log_pain")


def activity_entity(tracker: Tracker) -> str | None:
    """The activity a button payload named (/log_activity_session{"activity": "walking"}), if any."""
    return next((entity.get("value") for entity in tracker.latest_message.get("entities") or [] if entity.get("entity") == ACTIVITY_ENTITY), None)


def unit_for(activity: str, settings: PacingSettings) -> str:
    return settings.activities.get(activity, DEFAULT_UNIT)


class ActionAskGoalActivity(Action):
    """The activity question, with the settings' activities as buttons."""

    def name(self) -> str:
        return "action_ask_goal_activity"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        activities = pacing_settings().activities
        buttons = [{"title": name.capitalize(), "payload": name} for name in activities]
        say(dispatcher, replies.WHICH_ACTIVITY, buttons)
        return []


class ActionAskGoalAmounts(Action):
    def name(self) -> str:
        return "action_ask_goal_amounts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        settings = pacing_settings()
        activity = tracker.get_slot(ACTIVITY) or "the activity"
        say(dispatcher, replies.amounts_question(activity, unit_for(activity, settings), settings))
        return []


class ValidateActivityGoalForm(PacewiseFormValidation):
    """The activity, then what the patient can do now: enough amounts for a baseline, kept across answers."""

    form_slots = FORM_SLOTS
    start_intent = "set_activity_goal"
    stopped_text = replies.GOAL_STOPPED

    def set_aside_reply(self, tracker: Tracker) -> str:
        return replies.GOAL_SET_ASIDE

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
            replies.WHICH_ACTIVITY_AGAIN,
        )

    async def extract_goal_amounts(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if not self.is_requested(tracker, AMOUNTS):
            return {}
        settings = pacing_settings()
        activity = tracker.get_slot(ACTIVITY) or ""
        unit = unit_for(activity, settings)
        reading = parse_amounts(latest_text(tracker), Unit(unit))
        if reading.problem == "mixed_units":
            say(dispatcher, replies.one_unit(unit))
            return {AMOUNTS: None}
        if reading.problem == "implausible":
            say(dispatcher, replies.TOO_BIG)
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
            return self.not_an_answer(dispatcher, tracker, AMOUNTS, replies.amounts_question(activity or "it", unit, settings))

        say(dispatcher, replies.more_needed(collected, settings))
        return {AMOUNTS: None, SO_FAR: collected}


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
            say(dispatcher, replies.STORAGE_PROBLEM)
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
            say(dispatcher, replies.STORAGE_PROBLEM)
            return []
        if not statuses:
            Reply(replies.NO_PLAN_YET, [replies.SET_GOAL_BUTTON, replies.GRADED_ACTIVITY_BUTTON]).send(dispatcher)
            return []
        for status in statuses:
            text = replies.week_line(status.goal, settings, status.sessions_this_week) + "\n" + replies.why(status.reviews, status.goal, settings)
            say(dispatcher, text)
        Reply(replies.READ_MORE, [replies.GRADED_ACTIVITY_BUTTON, replies.PACING_BUTTON]).send(dispatcher)
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
                Reply(replies.SESSIONS_NEED_A_PLAN, [replies.SET_GOAL_BUTTON]).send(dispatcher)
                return []
            goal = _goal_meant(goals, tracker)
            if goal is None:
                buttons = [{"title": g.activity.capitalize(), "payload": f'/log_activity_session{{"{ACTIVITY_ENTITY}": "{g.activity}"}}'} for g in goals]
                say(dispatcher, replies.WHICH_ACTIVITY_DONE, buttons)
                return []
            status = up_to_date(goal, key, now, settings)
            amounts = parse_amounts(latest_text(tracker), Unit(goal.unit)).amounts
            amount = amounts[0] if amounts else None
            record_session(status.goal, key, now, amount)
        except Exception:
            logger.exception("Could not log an activity session")
            say(dispatcher, replies.STORAGE_PROBLEM)
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
    if not asks_a_question(latest_text(tracker)):
        return []
    topics = default_library().snapshot().topics
    asked = leading_topic(tracker.latest_message.get("intent_ranking") or [], topics, QUESTION_TOPIC_SHARE, ignore=SESSION_INTENTS)
    return answer_topic(dispatcher, tracker, asked[0]) if asked is not None else []


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
        lines = [replies.FLARE_OPENING]
        try:
            for goal in active_goals(key):
                status = up_to_date(goal, key, now, settings)
                adjusted, outcome = apply_flare(status.goal, key, now, settings)
                lines.append(replies.after_flare(adjusted, outcome, settings))
        except Exception:
            logger.exception("Could not adjust activity goals after a flare")
            lines.append(replies.STORAGE_PROBLEM)
        say(dispatcher, "\n\n".join(lines))
        return answer_topic(dispatcher, tracker, intent_for_topic(TOPIC_ANSWERED_WITH["report_flare"]))
