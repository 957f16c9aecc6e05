"""Check-ins: the patient sets them up, stops, pauses or moves them; the scheduler's check-in itself.

What the patient asked is read word for word (pacewise/text/checkin_parser.py);
a time of day that is not clear is asked for (check_in_form), never guessed.
Check-ins go out on the channel the patient asked on, to the conversation they
asked in (pacewise/checkins/): a chat that cannot reach an absent patient (the
website widget, REST) is told so rather than promised check-ins it will not get.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.check_ins import replies
from actions.check_ins.peg import start_peg
from actions.forms import PacewiseFormValidation, latest_text
from actions.goals.progress import up_to_date
from actions.goals.replies import session_goal
from actions.patients import channel_of, patient_key_for
from actions.replies import Reply, say
from pacewise import DEVICE_TIME_ZONE_KEY
from pacewise.checkins.delivery import CHECK_IN_CHANNELS, TEMPLATE, WIDGET_CHANNEL
from pacewise.checkins.rasa_api import ASKS_ENTITY, CHECK_IN_INTENT, ROUTE_ENTITY
from pacewise.checkins.timing import EVERY_DAY, Cadence, CadenceError
from pacewise.content.check_in_settings import CheckInSettings, check_in_settings
from pacewise.content.pacing_settings import pacing_settings
from pacewise.storage import checkins as store
from pacewise.storage.checkins import CheckIn
from pacewise.storage.goals import active_goals
from pacewise.storage.peg import peg_history
from pacewise.text.checkin_parser import CheckInRequest, read_check_in_request, read_time
from pacewise.text.time_zones import known_zone, time_zone_in

logger = logging.getLogger(__name__)

TIME_SLOT, DRAFT_SLOT = "check_in_time", "check_in_draft"
CHECK_IN_FORM = "check_in_form"
DEFAULT_PAUSE = timedelta(weeks=1)
# Sent as a message's custom part on WhatsApp outside the 24-hour window: the Twilio channel
# sends the approved template instead of text (channels/messaging/twilio.py).
TEMPLATE_PAYLOAD = {"pacewise": {"check_in_template": True}}


class ActionManageCheckIns(Action):
    def name(self) -> str:
        return "action_manage_check_ins"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        done = [SlotSet(TIME_SLOT, None), SlotSet(DRAFT_SLOT, None)]
        request = read_check_in_request(latest_text(tracker)) or _answered_draft(tracker)
        if request is None:
            if tracker.get_slot(DRAFT_SLOT) is None:  # not the end of a stopped check_in_form: the classifier's guess
                say(dispatcher, replies.HOW_TO_ASK)
            return done
        try:
            asked = self._handle(dispatcher, tracker, request, patient_key_for(tracker), datetime.now(timezone.utc), check_in_settings())
        except CadenceError as error:
            say(dispatcher, f"Sorry, I can't set that up: {error}")
            return done
        except Exception:
            logger.exception("Could not change a patient's check-ins")
            say(dispatcher, replies.STORAGE_PROBLEM)
            return done
        return asked if asked is not None else done

    def _handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, request: CheckInRequest, key: str, now: datetime, settings: CheckInSettings
    ) -> list[dict[str, Any]] | None:
        """Carry out the request and say so; returns the events that ask for a time first, else None."""
        existing = store.check_in_for(key)
        if request.kind.startswith("peg_"):
            return self._peg(dispatcher, request.kind, key, existing, settings)
        if request.kind == "stop":
            say(dispatcher, replies.STOPPED if store.stop(key) else replies.NOTHING_TO_STOP)
            return None
        if request.kind == "pause":
            if existing is None:
                say(dispatcher, replies.NONE_YET)
                return None
            until = now + (request.pause_for or DEFAULT_PAUSE)
            store.pause(key, until)
            say(dispatcher, replies.paused(until, existing.cadence))
            return None
        if request.kind == "change" and existing is not None:
            if request.local_time is None and request.weekdays is None and request.zone is None:
                say(dispatcher, replies.NO_CHANGE_SAID)
                return None
            self._change(dispatcher, request, key, existing, now)
            return None
        if request.kind == "change" and request.local_time is None:
            say(dispatcher, replies.NONE_YET)
            return None
        # Start (or a new time when there were none).
        channel = channel_of(tracker)
        if channel not in CHECK_IN_CHANNELS:
            say(dispatcher, replies.NOT_ON_THIS_CHANNEL)
            return None
        if request.local_time is None and existing is not None:
            store.pause(key, now)  # "switch the reminders back on": any pause ends
            if request.zone is not None:  # "I'm on New York time now, use my local time for the check-ins"
                self._change(dispatcher, request, key, existing, now)
            else:
                say(dispatcher, replies.resumed(existing.cadence))
            return None
        if request.local_time is None:
            return _ask_for_time(request)
        # The zone the patient named, else the one they had, else their device's (the widget sends it), else the clinic's.
        zone = request.zone or (existing.cadence.zone if existing is not None else None) or device_time_zone(tracker) or settings.time_zone
        cadence = Cadence(request.local_time, request.weekdays or _days(existing), zone)
        check_in = store.opt_in(key, channel, tracker.sender_id, cadence, request.asks or "pain", now)
        offer = [replies.PEG_OFFER_BUTTON] if settings.peg_offered and check_in.asks != "goal" else []
        clinics_zone = request.zone is None and zone == settings.time_zone
        started = replies.started(check_in.cadence, check_in.asks, settings.how_to_stop, say_how_to_give_a_zone=clinics_zone)
        if channel == WIDGET_CHANNEL:
            started += " " + replies.WIDGET_HOLDS
        Reply(started, offer).send(dispatcher)
        return None

    @staticmethod
    def _change(dispatcher: CollectingDispatcher, request: CheckInRequest, key: str, existing: CheckIn, now: datetime) -> None:
        """A new time, days or time zone; what was not said stays (a new zone keeps the local time: 7pm stays 7pm)."""
        before = existing.cadence
        cadence = Cadence(request.local_time or before.local_time, request.weekdays or before.weekdays, request.zone or before.zone)
        changed = store.change_cadence(key, cadence, now)
        say(dispatcher, replies.changed(changed.cadence if changed else cadence))

    @staticmethod
    def _peg(dispatcher: CollectingDispatcher, kind: str, key: str, existing: CheckIn | None, settings: CheckInSettings) -> list[dict[str, Any]] | None:
        """The PEG-3 now, or weekly in the check-ins (on or off)."""
        if not settings.peg_offered and kind != "peg_weekly_off":
            say(dispatcher, replies.PEG_NOT_OFFERED)
            return None
        if kind == "peg_now":
            return [*start_peg(dispatcher, replies.PEG_INTRO), SlotSet(TIME_SLOT, None), SlotSet(DRAFT_SLOT, None)]
        if existing is None:
            say(dispatcher, replies.PEG_NEEDS_CHECK_INS)
            return None
        store.set_peg_weekly(key, kind == "peg_weekly_on")
        say(dispatcher, replies.PEG_WEEKLY_ON if kind == "peg_weekly_on" else replies.PEG_WEEKLY_OFF)
        return None


def device_time_zone(tracker: Tracker) -> str | None:
    """The time zone the patient's browser reported with their latest message (the website widget's metadata)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return known_zone((event.get("metadata") or {}).get(DEVICE_TIME_ZONE_KEY))
    return None


def _days(existing: CheckIn | None) -> frozenset[int]:
    return existing.cadence.weekdays if existing is not None else EVERY_DAY


def _ask_for_time(request: CheckInRequest) -> list[dict[str, Any]]:
    """Keep what was asked (days, what to ask) while check_in_form asks for the time."""
    draft = {"kind": "start", "weekdays": sorted(request.weekdays or EVERY_DAY), "asks": request.asks or "pain", "zone": request.zone}
    return [SlotSet(DRAFT_SLOT, draft), SlotSet(TIME_SLOT, None), FollowupAction(CHECK_IN_FORM)]


def _answered_draft(tracker: Tracker) -> CheckInRequest | None:
    """The request put on hold for its time, once check_in_form has the time (None if the form was stopped)."""
    draft, at = tracker.get_slot(DRAFT_SLOT), tracker.get_slot(TIME_SLOT)
    if not isinstance(draft, dict) or not isinstance(at, str):
        return None
    hours, minutes = (int(part) for part in at.split(":"))
    weekdays = frozenset(draft.get("weekdays") or EVERY_DAY)
    return CheckInRequest("start", local_time=time(hours, minutes), weekdays=weekdays, asks=draft.get("asks"), zone=draft.get("zone"))


class ValidateCheckInForm(PacewiseFormValidation):
    """The time of day for new check-ins: "7pm", "half past 8 in the evening", "mornings"."""

    form_slots = (TIME_SLOT,)
    start_intent = "manage_check_ins"

    def name(self) -> str:
        return "validate_check_in_form"

    def answers_the_question(self, tracker: Tracker) -> bool:
        return read_time(" ".join(latest_text(tracker).lower().split())) is not None

    async def extract_check_in_time(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if not self.is_requested(tracker, TIME_SLOT):
            return {}
        at = read_time(" ".join(latest_text(tracker).lower().split()))
        if at is not None:
            zone, draft = time_zone_in(latest_text(tracker)), tracker.get_slot(DRAFT_SLOT)
            if zone is not None and isinstance(draft, dict):  # "7pm Sydney time"
                return {TIME_SLOT: at.strftime("%H:%M"), DRAFT_SLOT: {**draft, "zone": zone}}
            return {TIME_SLOT: at.strftime("%H:%M")}
        return self.not_an_answer(dispatcher, tracker, TIME_SLOT, replies.NEED_A_TIME)


class ActionAskCheckInTime(Action):
    def name(self) -> str:
        return "action_ask_check_in_time"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        say(dispatcher, replies.ASK_TIME)
        return []


def _weekly_peg_due(check_in: CheckIn, key: str) -> bool:
    """The patient asked for the PEG weekly and has not answered it in the last six days."""
    if not check_in.peg_weekly:
        return False
    history = peg_history(key)
    return not history or datetime.now(timezone.utc) - history[-1][0] > timedelta(days=6)


def check_in_entities(tracker: Tracker) -> dict[str, str]:
    """The scheduler's details of the check-in being run (route, what to ask), when the latest event is one."""
    if (tracker.latest_message.get("intent") or {}).get("name") != CHECK_IN_INTENT:
        return {}
    return {str(entity.get("entity")): str(entity.get("value")) for entity in tracker.latest_message.get("entities") or []}


def asked_by_template(tracker: Tracker) -> bool:
    """Whether the check-in just sent was WhatsApp's approved template, which asks for the score itself."""
    return check_in_entities(tracker).get(ROUTE_ENTITY) == TEMPLATE


class ActionCheckIn(Action):
    """The check-in itself, started by the scheduler: the clinicians' greeting, the goal if asked, how to stop,
    then the pain diary's question (its form then takes the answer like any other)."""

    def name(self) -> str:
        return "action_check_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        details = check_in_entities(tracker)
        asks = details.get(ASKS_ENTITY, "pain")
        key = patient_key_for(tracker)
        try:
            check_in = store.check_in_for(key)
            if check_in is None:
                return []  # stopped a moment ago: say nothing
            weekly_peg = _weekly_peg_due(check_in, key) and details.get(ROUTE_ENTITY) != TEMPLATE and asks in ("pain", "both")
        except Exception:
            logger.exception("Could not read a patient's check-in settings")
            return []
        settings = check_in_settings()
        if weekly_peg and settings.peg_offered:
            lines = [settings.greeting, *(self._goal_lines(key, settings) if asks == "both" else []), settings.how_to_stop]
            say(dispatcher, "\n".join(lines))
            return start_peg(dispatcher, replies.PEG_WEEKLY_INTRO)
        if details.get(ROUTE_ENTITY) == TEMPLATE:
            dispatcher.utter_message(json_message=TEMPLATE_PAYLOAD)
        else:
            lines = [settings.greeting]
            if asks in ("goal", "both"):
                lines += self._goal_lines(key, settings)
            lines.append(settings.how_to_stop)
            say(dispatcher, "\n".join(lines))
        return [FollowupAction("pain_log_form")] if asks in ("pain", "both") or details.get(ROUTE_ENTITY) == TEMPLATE else []

    @staticmethod
    def _goal_lines(key: str, settings: CheckInSettings) -> list[str]:
        pacing, now = pacing_settings(), datetime.now(timezone.utc)
        try:
            statuses = [up_to_date(goal, key, now, pacing) for goal in active_goals(key)]
        except Exception:
            logger.exception("Could not read activity goals for a check-in")
            return []
        if not statuses:
            return [settings.no_goal]
        return [
            settings.goal_reminder.replace(
                "{goal}",
                f"{status.goal.activity}, {session_goal(status.goal, pacing)} a session, {pacing.sessions_per_week} times this week "
                f"({status.sessions_this_week} done so far)",
            )
            for status in statuses
        ]
