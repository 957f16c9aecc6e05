"""Faults keep safety and data: the action server or the Rasa server dies, then comes back.

Each test starts its own servers (as `make run` does: scripts/bot_servers.py),
kills one of them at a bad moment, restarts it, and checks what the patient
gets and what is stored.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import hmac
import threading
from collections.abc import Iterator

import pytest
import requests

from scripts.bot_servers import BotServers

pytestmark = pytest.mark.e2e


@pytest.fixture
def servers(tmp_path) -> Iterator[BotServers]:
    bot = BotServers(tmp_path)
    try:
        yield bot.start()
    finally:
        bot.stop()


def rest_patient_key(sender: str) -> str:
    """The pseudonymous key the servers file a REST patient under (scripts/bot_servers.py sets the secret)."""
    return hmac.new(b"e2e-test-secret", f"rest\x1f{sender}".encode(), hashlib.sha256).hexdigest()


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def test_a_new_patient_who_writes_while_the_action_server_is_down_is_not_left_stuck(servers):
    servers.stop_actions()
    during = servers.send("first-timer", "hello, I have had back pain for years, what is pacing?")
    assert "technical problem" in texts(during)

    servers.start_actions()
    after = servers.send("first-timer", "what is pacing?")
    again = servers.send("first-timer", "how do I pace my housework?")

    assert "technical problem" not in texts(after) + texts(again)
    assert servers.slot("first-timer", "topic") == "pacing"


@pytest.mark.parametrize(
    ("message", "category", "advice"),
    [
        ("Since this morning I can't feel my bottom when I wipe and I've wet myself", "red_flag", "999"),
        ("I have been planning how to end my life", "crisis", "116 123"),
    ],
)
def test_a_safety_message_while_the_action_server_is_down_gets_the_right_numbers_and_is_recorded(servers, message, category, advice):
    servers.stop_actions()

    replies = servers.send(f"outage-{category}", message)

    assert advice in texts(replies) and "999" in texts(replies)
    [event] = servers.safety_events()
    assert event["category"] == category and event["detected_by"] == "rules (fault)"
    servers.start_actions()


def test_the_action_server_dying_mid_form_loses_nothing_once_it_is_back(servers):
    patient = "mid-form"
    servers.send(patient, "I'd like to log my pain")
    servers.stop_actions(kill=True)
    assert "technical problem" in texts(servers.send(patient, "6"))

    servers.start_actions()
    replies = servers.send(patient, "6")
    while "logged your pain" not in texts(replies) and "skip" in texts(replies).lower():
        replies = servers.send(patient, "skip")

    assert "logged your pain as 6 out of 10" in texts(replies)
    assert [row["score"] for row in servers.rows("pain_entries")] == [6]
    assert "pac" in texts(servers.send(patient, "what is pacing?")).lower()


def test_pain_logs_cut_off_by_the_rasa_server_dying_are_stored_once_after_the_patients_resend(servers):
    patients = {f"resend-{number}": number % 11 for number in range(50)}

    answered = threading.Semaphore(0)

    def log(patient: str) -> bool:
        try:
            body = {"sender": patient, "message": f"my pain is {patients[patient]} today"}
            response = requests.post(f"{servers.url}/webhooks/rest/webhook", json=body, timeout=60)
            return response.status_code == 200 and "logged your pain" in texts(response.json())
        except requests.RequestException:
            return False
        finally:
            answered.release()

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        pending = {patient: pool.submit(log, patient) for patient in patients}
        for _ in range(5):  # some logs done, some stored but unconfirmed, some not started
            answered.acquire(timeout=60)
        servers.kill_rasa()
        confirmed = {patient for patient, future in pending.items() if future.result()}

    servers.start_rasa()
    unconfirmed = [patient for patient in patients if patient not in confirmed]
    assert unconfirmed, "the Rasa server finished every log before it was killed; nothing was tested"
    stored_before = {row["patient_key"] for row in servers.rows("pain_entries")}
    told = []
    for index, patient in enumerate(unconfirmed):
        if index % 2:  # this patient does not send the score again but asks something else
            reply = texts(servers.send(patient, "what is pacing?"))
            kept = rest_patient_key(patient) in stored_before
            # Told either way: by the notice, or (killed after saving the conversation but before
            # replying) by the diary form finishing with the score it already holds.
            said_kept = "you sent a little earlier is saved in your diary" in reply or f"{patients[patient]} out of 10 is logged" in reply
            assert said_kept == kept, (patient, kept, reply)
            told += [patient] if kept else []
            continue
        replies = servers.send(patient, f"my pain is {patients[patient]} today")  # sends it again
        assert f"logged your pain as {patients[patient]} out of 10" in texts(replies)

    per_patient: dict[str, int] = {}
    for row in servers.rows("pain_entries"):
        per_patient[row["patient_key"]] = per_patient.get(row["patient_key"], 0) + 1
    assert set(per_patient.values()) == {1}, f"duplicates: {sorted(per_patient.values())}"
    asked_unsaved = {patient for index, patient in enumerate(unconfirmed) if index % 2 and patient not in told}
    assert len(per_patient) == len(patients) - len(asked_unsaved)
    assert all(servers.slot(patient, "pain_score") == score for patient, score in patients.items() if patient not in asked_unsaved)
