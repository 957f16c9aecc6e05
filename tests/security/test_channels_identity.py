"""Identity cannot be claimed: REST senders and widget sessions, against the real servers."""

from __future__ import annotations

import pytest
import requests

from tests.security.socketio_client import WidgetClient

pytestmark = pytest.mark.e2e


@pytest.fixture
def widget(bot):
    clients: list[WidgetClient] = []

    def connect() -> WidgetClient:
        client = WidgetClient(bot.url)
        clients.append(client)
        return client

    yield connect
    for client in clients:
        client.close()


def test_another_connection_cannot_join_a_patients_widget_session(bot, widget):
    patient = widget()
    session = patient.request_session()
    patient.say("my pain is 7 out of 10 today")
    heard_by_patient = len(patient.replies)

    intruder = widget()
    given = intruder.request_session(session["session_id"])  # the id alone, without its token

    assert given["session_id"] != session["session_id"]
    intruder.say("how has my pain been?")
    intruder.say("delete my data", session_id=session["session_id"])
    # The patient heard nothing of it and their conversation holds no message of the intruder's.
    assert len(patient.replies) == heard_by_patient
    texts = [event.get("text") for event in bot.tracker(session["session_id"])["events"] if event["event"] == "user"]
    assert texts == ["my pain is 7 out of 10 today"]


def test_the_patients_own_browser_resumes_the_session_with_its_token(bot, widget):
    first = widget()
    session = first.request_session()
    first.say("what is pacing?")
    first.close()

    again = widget()
    resumed = again.request_session(session["session_id"], session["session_token"])
    assert resumed["session_id"] == session["session_id"]
    replies = again.say("tell me more")
    assert replies and bot.slot(session["session_id"], "topic") == "pacing"


def test_a_malformed_widget_message_gets_a_plain_reply(bot, widget):
    client = widget()
    client.request_session()
    for bad in (5, None, ["a"], {"text": "x"}):
        replies = client.say(bad, wait_s=10)
        assert [reply.get("text") for reply in replies] == ["Sorry, I could only read text messages."]


def test_rest_cannot_speak_in_a_widget_or_sms_conversation(bot, widget):
    client = widget()
    session = client.request_session()
    client.say("what is pacing?")

    response = requests.post(f"{bot.url}/webhooks/rest/webhook", json={"sender": session["session_id"], "message": "how has my pain been?"}, timeout=60)

    assert response.status_code == 403
    assert "another channel" in response.text


def test_rest_always_records_its_own_channel(bot):
    sender = "+447700900999"
    response = requests.post(
        f"{bot.url}/webhooks/rest/webhook", json={"sender": sender, "message": "how has my pain been?", "input_channel": "twilio"}, timeout=60
    )
    assert response.status_code == 200
    assert bot.tracker(sender)["latest_input_channel"] == "rest"


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b"null",
        b'"a string"',
        b"42",
        b"not json at all",
        b'{"message": "no sender here"}',
        b'{"sender": "", "message": "empty sender"}',
        b'{"sender": 12, "message": "a number as sender"}',
        b'{"sender": "a", "message": 5}',
        b'{"sender": "a", "message": ["a list"]}',
        b'{"sender": "a", "message": "hi", "metadata": [1, 2]}',
        b'{"sender": "a", "message": "hi", "metadata": "text"}',
        b'{"sender": "a", "message": "hi", "metadata": ' + b'{"a": ' * 20_000 + b"1" + b"}" * 20_000 + b"}",
    ],
    ids=lambda body: body[:40].decode(errors="replace"),
)
def test_a_malformed_rest_request_gets_a_400_with_a_plain_reason(bot, body):
    response = requests.post(f"{bot.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == 400, response.text[:200]
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "Traceback" not in response.text and len(response.text) < 400


def test_a_lone_surrogate_is_answered_not_a_500(bot):
    body = b'{"sender": "surrogate-patient", "message": "my back \\ud800 hurts when I bend, is that damage?"}'
    response = requests.post(f"{bot.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == 200 and response.json()


def test_a_very_long_message_is_cut_but_a_red_flag_at_its_end_still_escalates(bot):
    story = "I have had back pain for many years and I have tried everything the physio suggested. " * 120
    message = story + "Since this morning I cannot feel my bottom when I wipe and I have wet myself without knowing."
    assert len(message) > 10_000

    replies = bot.send("long-story-patient", message)

    assert "999" in " ".join(reply.get("text", "") for reply in replies)
    assert bot.slot("long-story-patient", "topic") == "red_flags"


def test_a_request_over_200_kb_is_refused_plainly(bot):
    body = {"sender": "huge", "message": "my back hurts. " * 20_000}
    response = requests.post(f"{bot.url}/webhooks/rest/webhook", json=body, timeout=60)
    assert response.status_code == 413
    assert "too large" in response.text
    assert bot.send("after-huge", "what is pacing?")  # the server carries on
