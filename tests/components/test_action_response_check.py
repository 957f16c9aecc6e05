"""The Rasa server checks the action server's replies with a validator built once, and still rejects bad ones."""

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import components.turn_guard_policy  # noqa: F401  (loading the policy installs the check, as the server does)
from components.action_response_check import response_validator, validate_action_result

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


def test_the_server_uses_the_built_once_check():
    assert RemoteAction._validate_action_result is validate_action_result
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
