"""Rasa's hot paths made cheap (components/rasa_speedups.py) still do exactly what Rasa did."""

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.utils.common import all_subclasses

import components.turn_guard_policy  # noqa: F401  (loading the policy installs them, as the server does)
from components.rasa_speedups import resolve_event_type, response_validator, validate_action_result

GOOD_REPLIES = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "topic", "value": "pacing"}], "responses": [{"text": "Pacing means..."}]},
    {
        "events": [{"event": "slot", "name": "pain_score", "value": 7}],
        "responses": [{"text": "Logged 7/10.", "buttons": [{"title": "Show my diary", "payload": "/ask_pain_summary"}]}],
    },
]
BAD_REPLIES = [
    {"events": "not a list", "responses": []},
    {"events": [{"name": "topic"}], "responses": []},  # an event without its type
    {"events": [], "responses": "Pacing means..."},
]


def test_the_server_uses_both():
    assert RemoteAction._validate_action_result is validate_action_result
    assert Event.resolve_by_type is resolve_event_type
    assert response_validator() is response_validator()


@pytest.mark.parametrize("reply", GOOD_REPLIES)
def test_a_well_formed_reply_passes(reply):
    assert RemoteAction("action_topic", None)._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", BAD_REPLIES)
def test_a_malformed_reply_is_rejected_as_rasa_rejects_it(reply):
    with pytest.raises(ValidationError) as rasa_error:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response") as ours:
        RemoteAction("action_topic", None)._validate_action_result(reply)
    assert ours.value.message.startswith(rasa_error.value.message)


def test_every_event_type_resolves_to_the_class_rasa_would_pick():
    classes = all_subclasses(Event)
    for name in {event_class.type_name for event_class in classes}:
        first_match = next(event_class for event_class in classes if event_class.type_name == name)
        assert resolve_event_type(name) is first_match


def test_unknown_and_legacy_event_names_behave_as_in_rasa():
    assert resolve_event_type("topic") is None
    assert resolve_event_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        resolve_event_type("no_such_event")


def test_an_event_class_defined_later_is_found():
    class CheckInSent(Event):
        type_name = "pacewise_test_check_in_sent"

        def __eq__(self, other):
            return isinstance(other, CheckInSent)

        def as_story_string(self):
            return None

    assert resolve_event_type("pacewise_test_check_in_sent") is CheckInSent


def test_a_stored_conversation_loads_back_the_same():
    events = [ActionExecuted("action_listen"), UserUttered("is pacing just resting?", {"name": "ask_pacing"}), SlotSet("topic", "pacing")]
    stored = DialogueStateTracker.from_events("patient-1", events).current_state(EventVerbosity.ALL)
    loaded = DialogueStateTracker.from_dict("patient-1", stored["events"])
    assert list(loaded.events) == events
    assert loaded.get_slot("topic") == "pacing"
