"""The turn guard ends a turn after a repeated action and after a request that set a form aside.

Real Rasa trackers, built event by event as the server records them.
"""

from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.turn_guard_policy import handled_after_set_aside, repeated_action

FORMS = {"pain_log_form", "activity_goal_form"}


def in_pain_form_then(text: str, intent: str, *after: object) -> DialogueStateTracker:
    """A tracker where the pain form asked its optional question, then the patient said `text`."""
    return DialogueStateTracker.from_events(
        "patient",
        [
            ActionExecuted("action_listen"),
            UserUttered("my pain is 6 today", {"name": "log_pain", "confidence": 1.0}),
            ActionExecuted("pain_log_form"),
            ActiveLoop("pain_log_form"),
            SlotSet("requested_slot", "pain_details"),
            ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent, "confidence": 0.95}),
            *after,
        ],
    )


def test_the_turn_ends_after_the_request_that_set_the_form_aside():
    tracker = in_pain_form_then(
        "export my data",
        "export_my_data",
        ActionExecuted("pain_log_form"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        ActionExecuted("action_export_data"),
    )
    assert handled_after_set_aside(tracker, FORMS)


def test_the_request_itself_still_runs_after_the_form_closes():
    tracker = in_pain_form_then("export my data", "export_my_data", ActionExecuted("pain_log_form"), ActiveLoop(None), SlotSet("requested_slot", None))
    assert not handled_after_set_aside(tracker, FORMS)


def test_a_request_that_opens_another_form_is_left_to_that_form():
    opened = in_pain_form_then(
        "set me a walking goal",
        "set_activity_goal",
        ActionExecuted("pain_log_form"),
        ActiveLoop(None),
        ActionExecuted("activity_goal_form"),
        ActiveLoop("activity_goal_form"),
    )
    assert not handled_after_set_aside(opened, FORMS)


def test_a_form_that_completes_at_once_still_gets_its_submit_action():
    completed = in_pain_form_then(
        "my pain is 4 now",
        "log_pain",
        ActionExecuted("activity_goal_form"),
        ActiveLoop(None),
        ActionExecuted("pain_log_form"),
        ActiveLoop(None),
    )
    assert not handled_after_set_aside(completed, FORMS)  # the rules run action_log_pain next
    submitted = in_pain_form_then(
        "my pain is 4 now",
        "log_pain",
        ActionExecuted("activity_goal_form"),
        ActiveLoop(None),
        ActionExecuted("pain_log_form"),
        ActiveLoop(None),
        ActionExecuted("action_log_pain"),
    )
    assert handled_after_set_aside(submitted, FORMS)


def test_a_form_closed_by_the_safety_response_or_answered_in_place_is_not_a_set_aside():
    safety = in_pain_form_then("I can't go on", "ask_crisis_support", ActionExecuted("action_safety_response"), ActiveLoop(None))
    assert not handled_after_set_aside(safety, FORMS)
    topic = in_pain_form_then("what is pacing?", "ask_pacing", ActionExecuted("pain_log_form"), SlotSet("topic", "pacing"))
    assert not handled_after_set_aside(topic, FORMS)


def test_a_repeated_action_is_found_only_within_the_turn():
    repeated = in_pain_form_then("hello", "greet", ActionExecuted("action_export_data"), ActionExecuted("action_export_data"))
    assert repeated_action(repeated) == "action_export_data"
    across_turns = DialogueStateTracker.from_events(
        "patient",
        [
            ActionExecuted("action_listen"),
            UserUttered("export", {"name": "export_my_data", "confidence": 1.0}),
            ActionExecuted("action_export_data"),
            ActionExecuted("action_listen"),
            UserUttered("export", {"name": "export_my_data", "confidence": 1.0}),
            ActionExecuted("action_export_data"),
        ],
    )
    assert repeated_action(across_turns) is None
