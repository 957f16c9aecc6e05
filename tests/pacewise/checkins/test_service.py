"""The scheduler service against a stand-in for the Rasa server's HTTP API (a real local HTTP server):
what it asks Rasa, with which token and channel, and what it records when Rasa cannot be reached."""

from __future__ import annotations

import json
import threading
import time as clock
from collections.abc import Iterator
from datetime import datetime, time, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pacewise.checkins.rasa_api import RasaApi
from pacewise.checkins.service import start_loop, tick
from pacewise.checkins.timing import EVERY_DAY, Cadence
from pacewise.storage.checkins import check_in_for, deliveries, opt_in

TOKEN = "api-token"
OPTED_IN = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


class FakeRasa(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[dict] = []
        self.last_message_at = OPTED_IN.timestamp()
        self.fail_trigger = False
        self.trigger_error: dict = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: FakeRasa

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.server.requests.append({"method": "GET", "path": self.path, "auth": self.headers.get("Authorization")})
        events = [
            {"event": "user", "timestamp": self.server.last_message_at, "parse_data": {"intent": {"name": "manage_check_ins"}}},
            {"event": "user", "timestamp": self.server.last_message_at + 3600, "parse_data": {"intent": {"name": "EXTERNAL_check_in"}}},
        ]
        self._answer(200, {"events": events})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"method": "POST", "path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        self._answer(500 if self.server.fail_trigger else 200, self.server.trigger_error if self.server.fail_trigger else {})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    server = FakeRasa()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def _opt_in(channel: str, address: str) -> datetime:
    check_in = opt_in(f"key-{address}", channel, address, Cadence(time(19, 0), EVERY_DAY, "Europe/London"), "both", OPTED_IN)
    return check_in.next_due_at


def test_a_due_check_in_is_started_in_the_patients_conversation_on_their_channel(rasa, content_copy, database):
    due = _opt_in("twilio", "+447700900401")
    assert [outcome for _, outcome in tick(due + timedelta(minutes=1), RasaApi(rasa.url, TOKEN))] == ["sent"]
    get, post = rasa.requests
    assert get["path"].startswith("/conversations/+447700900401/tracker") and get["auth"] == f"Bearer {TOKEN}"
    assert post["path"] == "/conversations/+447700900401/trigger_intent?output_channel=twilio"
    assert post["body"] == {"name": "EXTERNAL_check_in", "entities": {"check_in_route": "message", "check_in_asks": "both"}}
    assert check_in_for("key-+447700900401").next_due_at == due + timedelta(days=1)


def test_a_check_in_is_not_counted_as_the_patient_writing(rasa, content_copy, database):
    # The last real message was more than 24 hours before; the check-in an hour later does not reopen WhatsApp's window.
    due = _opt_in("twilio_whatsapp", "whatsapp:+447700900402")
    rasa.last_message_at = (due - timedelta(hours=25)).timestamp()
    assert [outcome for _, outcome in tick(due, RasaApi(rasa.url, TOKEN))] == ["not_sent"]
    assert all(request["method"] == "GET" for request in rasa.requests)
    [(_, outcome, reason)] = deliveries("key-whatsapp:+447700900402")
    assert outcome == "not_sent" and "template" in reason


def test_when_rasa_fails_the_check_in_is_recorded_as_not_sent_with_the_reason(rasa, content_copy, database):
    due = _opt_in("telegram", "7001")
    rasa.fail_trigger = True
    tick(due, RasaApi(rasa.url, TOKEN))
    [(_, outcome, reason)] = deliveries("key-7001")
    assert outcome == "not_sent" and "answered 500" in reason


def test_a_providers_refusal_is_recorded_with_its_reason(rasa, content_copy, database):
    due = _opt_in("telegram", "7002")
    rasa.fail_trigger = True
    rasa.trigger_error = {  # Rasa 3.6's answer when the output channel raised DeliveryRefused
        "version": "3.6.21",
        "status": "failure",
        "message": "An unexpected error occurred. Error: Check-in not delivered: Telegram did not take it (BotBlocked)",
        "reason": "ConversationError",
        "details": {},
        "help": None,
        "code": 500,
    }
    assert [outcome for _, outcome in tick(due, RasaApi(rasa.url, TOKEN))] == ["not_sent"]
    assert [(outcome, reason) for _, outcome, reason in deliveries("key-7002")] == [("not_sent", "Telegram did not take it (BotBlocked)")]


def test_when_rasa_is_down_nothing_is_lost_but_that_check_in(content_copy, database):
    due = _opt_in("telegram", "7002")
    tick(due, RasaApi("http://127.0.0.1:9", TOKEN))
    [(_, outcome, reason)] = deliveries("key-7002")
    assert outcome == "not_sent" and "could not be reached" in reason
    assert check_in_for("key-7002").next_due_at == due + timedelta(days=1)


def test_the_loop_runs_passes_until_stopped_and_zero_switches_it_off(rasa, content_copy, database, monkeypatch):
    assert start_loop(RasaApi(rasa.url, TOKEN), 0) is None
    five_minutes_ago = datetime.now(timezone.utc) - timedelta(minutes=5)
    at = time(five_minutes_ago.hour, five_minutes_ago.minute)
    opt_in("key-loop", "telegram", "7003", Cadence(at, EVERY_DAY, "UTC"), "pain", five_minutes_ago - timedelta(minutes=5))
    stop = start_loop(RasaApi(rasa.url, TOKEN), 0.1)
    try:
        deadline = clock.monotonic() + 10
        while not any(request["method"] == "POST" for request in rasa.requests) and clock.monotonic() < deadline:
            clock.sleep(0.1)
    finally:
        stop.set()
    assert [request["path"] for request in rasa.requests if request["method"] == "POST"] == ["/conversations/7003/trigger_intent?output_channel=telegram"]


def test_a_widget_check_in_is_held_then_shown_once_at_the_next_visit(rasa, content_copy, database):
    from pacewise.storage.checkins import take_held_check_in

    first = _opt_in("socketio", "session-1")
    tick(first, RasaApi(rasa.url, TOKEN))
    second = check_in_for("key-session-1").next_due_at
    tick(second, RasaApi(rasa.url, TOKEN))
    assert [outcome for _, outcome, _ in deliveries("key-session-1")] == ["held", "held"]
    assert all(request["method"] == "GET" for request in rasa.requests)  # nothing triggered while the chat is closed

    shown = take_held_check_in("key-session-1", second + timedelta(hours=2), timedelta(days=7))
    assert shown is not None and shown.asks == "both"
    assert [outcome for _, outcome, _ in deliveries("key-session-1")] == ["skipped_late", "sent"]
    assert take_held_check_in("key-session-1", second + timedelta(hours=3), timedelta(days=7)) is None  # a second tab: nothing


def test_a_held_check_in_older_than_a_week_is_not_shown(rasa, content_copy, database):
    from pacewise.storage.checkins import take_held_check_in

    due = _opt_in("socketio", "session-2")
    tick(due, RasaApi(rasa.url, TOKEN))
    assert take_held_check_in("key-session-2", due + timedelta(days=8), timedelta(days=7)) is None
    assert [outcome for _, outcome, _ in deliveries("key-session-2")] == ["skipped_late"]


def test_a_held_check_in_is_not_shown_after_the_patient_stopped(rasa, content_copy, database):
    from pacewise.storage.checkins import stop, take_held_check_in

    due = _opt_in("socketio", "session-3")
    tick(due, RasaApi(rasa.url, TOKEN))
    stop("key-session-3")
    assert take_held_check_in("key-session-3", due + timedelta(hours=1), timedelta(days=7)) is None
    assert [outcome for _, outcome, _ in deliveries("key-session-3")] == ["skipped_changed"]
