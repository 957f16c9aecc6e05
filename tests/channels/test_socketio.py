"""The widget's Socket.IO channel: replies always arrive, custom JSON is sent as data."""

from __future__ import annotations

import asyncio

from rasa.core.channels.channel import UserMessage

from channels.replies_guard import always_reply
from channels.socketio import PacewiseSocketIOInput, PacewiseSocketIOOutput, SessionSigner, kept_metadata


class RecordingServer:
    """Stands in for python-socketio's AsyncServer: records what would be emitted."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, dict, str]] = []

    async def emit(self, event: str, data: dict, room: str) -> None:
        self.emitted.append((event, data, room))


def test_custom_json_such_as_the_pain_scale_reaches_the_widget():
    server = RecordingServer()
    output = PacewiseSocketIOOutput(server, "bot_uttered")

    asyncio.run(output.send_response("session-1", {"custom": {"pacewise": {"input": "pain_scale", "min": 0, "max": 10}}}))

    assert server.emitted == [("bot_uttered", {"pacewise": {"input": "pain_scale", "min": 0, "max": 10}}, "session-1")]


def test_a_failure_inside_rasa_still_sends_the_patient_an_apology(content_copy):
    server = RecordingServer()

    async def broken(message: UserMessage) -> None:
        raise RuntimeError("action server unreachable")

    message = UserMessage("hi", PacewiseSocketIOOutput(server, "bot_uttered"), "session-1")
    asyncio.run(always_reply(broken)(message))

    [(event, data, room)] = server.emitted
    assert event == "bot_uttered" and room == "session-1"
    assert "technical problem" in data["text"] and "999" in data["text"]


def test_the_channel_keeps_rasas_name_and_listens_for_the_widgets_messages():
    async def on_new_message(message: UserMessage) -> None:
        return None

    channel = PacewiseSocketIOInput(session_persistence=True)
    channel.blueprint(on_new_message)
    assert PacewiseSocketIOInput.name() == "socketio"
    assert "user_uttered" in channel.sio.handlers["/"]
    assert "session_request" in channel.sio.handlers["/"]


def test_a_session_is_resumed_only_with_the_token_the_server_signed_for_it():
    signer = SessionSigner("a-test-secret")
    session_id, token = signer.new_session()
    assert signer.verified(session_id, token)
    assert not signer.verified(session_id, None)
    assert not signer.verified(session_id, token[:-1] + ("A" if token[-1] != "A" else "B"))
    other_id, other_token = signer.new_session()
    assert other_id != session_id
    assert not signer.verified(session_id, other_token)
    # Another server secret (another deployment) does not accept the token either.
    assert not SessionSigner("another-secret").verified(session_id, token)


def test_only_the_browsers_time_zone_is_kept_from_a_messages_metadata():
    assert kept_metadata({"time_zone": "Australia/Sydney", "user_agent": "x", "notes": "y" * 10_000}) == {"time_zone": "Australia/Sydney"}
    assert kept_metadata({"time_zone": "x" * 65}) == {} and kept_metadata({"time_zone": 3}) == {}
    assert kept_metadata("not a dict") == {} and kept_metadata(None) == {}
