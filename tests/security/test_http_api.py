"""Attacks on the Rasa HTTP API and the action server, against the real servers.

Each one worked on main 489d6e5 (issue 12): reading a conversation, exporting
a diary, forging events, changing the model, calling the action server
directly. Each must now be refused.
"""

from __future__ import annotations

import json
import socket

import pytest
import requests

pytestmark = pytest.mark.e2e

PROTECTED = [
    ("GET", "/conversations/{id}/tracker", None),
    ("GET", "/conversations/{id}/story", None),
    ("POST", "/conversations/{id}/execute", {"name": "action_export_data"}),
    ("POST", "/conversations/{id}/tracker/events", [{"event": "bot", "text": "forged advice"}]),
    ("POST", "/conversations/{id}/trigger_intent", {"name": "stop"}),
    ("PUT", "/model", {"model_file": "/tmp/evil.tar.gz"}),
    ("POST", "/model/train", {}),
    ("GET", "/status", None),
]


@pytest.fixture
def patient(bot) -> str:
    sender = "security-patient"
    bot.send(sender, "my pain is 8 out of 10 today")
    return sender


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
def test_the_http_api_refuses_requests_without_the_token(bot, patient, method, path, body):
    url = bot.url + path.format(id=patient)
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {bot.api_token}"}):
        response = requests.request(method, url, json=body, headers=headers, timeout=30)
        assert response.status_code == 401, (headers, response.status_code, response.text[:200])
        assert "8" not in response.text or "slots" not in response.text
    wrong_query = requests.request(method, url + "?token=not-the-token", json=body, timeout=30)
    assert wrong_query.status_code == 401


def test_forged_events_were_not_stored(bot, patient):
    requests.post(f"{bot.url}/conversations/{patient}/tracker/events", json=[{"event": "bot", "text": "forged advice"}], timeout=30)
    events = bot.tracker(patient)["events"]
    assert not any(event.get("text") == "forged advice" for event in events)


def test_the_token_opens_the_api_as_a_bearer_header_or_in_the_query(bot, patient):
    by_header = requests.get(f"{bot.url}/conversations/{patient}/tracker", headers={"Authorization": f"Bearer {bot.api_token}"}, timeout=30)
    by_query = requests.get(f"{bot.url}/conversations/{patient}/tracker", params={"token": bot.api_token}, timeout=30)
    assert by_header.status_code == by_query.status_code == 200
    assert by_header.json()["sender_id"] == patient


def test_only_the_configured_origin_may_call_the_server_from_a_browser(bot):
    url = f"{bot.url}/webhooks/rest/webhook"
    other = requests.options(url, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}, timeout=30)
    allowed = requests.options(url, headers={"Origin": bot.allowed_origin, "Access-Control-Request-Method": "POST"}, timeout=30)
    assert "Access-Control-Allow-Origin" not in other.headers
    assert allowed.headers.get("Access-Control-Allow-Origin") == bot.allowed_origin
    read = requests.get(f"{bot.url}/conversations/x/tracker", params={"token": bot.api_token}, headers={"Origin": "https://evil.example"}, timeout=30)
    assert read.headers.get("Access-Control-Allow-Origin") in (None, "")


def _action_call(sender: str, action: str = "action_export_data") -> dict:
    tracker = {"sender_id": sender, "slots": {}, "latest_message": {"text": "", "intent": {}, "entities": []}, "events": [], "latest_input_channel": "rest"}
    return {"next_action": action, "sender_id": sender, "tracker": tracker, "domain": {}, "version": "3.6.21"}


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
def test_the_action_server_refuses_anyone_but_the_rasa_server(bot, patient, secret):
    headers = {"X-Pacewise-Action-Secret": secret} if secret else {}
    events_before = len(bot.tracker(patient)["events"])
    downloads_before = len(bot.rows("downloads"))
    for action in ("action_export_data", "action_delete_data", "action_pain_summary"):
        response = requests.post(f"http://127.0.0.1:{bot.action_port}/webhook", json=_action_call(patient, action), headers=headers, timeout=30)
        assert response.status_code == 403, response.text[:200]
    listing = requests.get(f"http://127.0.0.1:{bot.action_port}/actions", headers=headers, timeout=30)
    assert listing.status_code == 403
    # Nothing was exported and the conversation is untouched.
    assert len(bot.rows("downloads")) == downloads_before
    assert len(bot.tracker(patient)["events"]) == events_before


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent; this picks the outward interface
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_the_servers_listen_on_loopback_only(bot):
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no address other than loopback")
    for port in (bot.rasa_port, bot.action_port):
        with socket.socket() as client:
            client.settimeout(2)
            assert client.connect_ex((address, port)) != 0, f"port {port} answers on {address}"


def test_the_action_servers_errors_reveal_nothing(bot):
    headers = {"X-Pacewise-Action-Secret": bot.action_secret}
    broken = _action_call("someone", "action_pain_summary")
    broken["tracker"] = "not a tracker"
    response = requests.post(f"http://127.0.0.1:{bot.action_port}/webhook", data=json.dumps(broken), headers=headers, timeout=30)
    assert response.status_code >= 400
    assert "Traceback" not in response.text and "not a tracker" not in response.text
