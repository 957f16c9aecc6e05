"""The cluster profile (scripts/cluster.py): two Rasa servers and two action
servers on a real PostgreSQL and Redis, behind a real nginx, talked to only
through nginx, as patients and clinics would.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
import sqlalchemy

from scripts.cluster import Cluster
from scripts.processes import free_port
from tests.channels.fake_provider import FakeProvider
from tests.e2e.test_messaging_channels import SECRETS, Channels
from tests.e2e.test_rest_conversation import texts
from tests.web.test_widget import run_scenario

pytestmark = pytest.mark.e2e

PATIENTS = 16
APOLOGY = "having a technical problem"


@pytest.fixture(scope="module")
def provider(tmp_path_factory) -> Iterator[FakeProvider]:
    fake = FakeProvider(tmp_path_factory.mktemp("provider") / "provider.jsonl").start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, provider):
    postgres_data = Path(tempfile.mkdtemp(prefix="pacewise-cluster-test-"))
    os.chmod(postgres_data, 0o711)  # as root, PostgreSQL runs as `postgres` and must reach its folder
    running = Cluster(tmp_path_factory.mktemp("cluster"), replicas=2, public_port=free_port(), postgres_data=postgres_data / "data")
    telegram = {
        "TELEGRAM_TOKEN": SECRETS["TELEGRAM_TOKEN"],
        "TELEGRAM_BOT_USERNAME": SECRETS["TELEGRAM_BOT_USERNAME"],
        "TELEGRAM_SECRET_TOKEN": SECRETS["TELEGRAM_SECRET_TOKEN"],
        "PACEWISE_TELEGRAM_API_URL": provider.url,
        "TELEGRAM_WEBHOOK_URL": f"{running.url}/webhooks/telegram/webhook",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in telegram.items():
            patch.setenv(name, value)
        try:
            yield running.start()
        finally:
            running.stop()


def send(cluster: Cluster, sender: str, message: str) -> list[dict]:
    response = requests.post(f"{cluster.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def tracker(cluster: Cluster, sender: str) -> dict:
    response = requests.get(f"{cluster.url}/conversations/{sender}/tracker", headers={"Authorization": f"Bearer {cluster.api_token}"}, timeout=60)
    assert response.status_code == 200
    return response.json()


def pain_scores(cluster: Cluster) -> list[int]:
    engine = sqlalchemy.create_engine(cluster.database_url("pacewise"))
    try:
        with engine.connect() as connection:
            return sorted(row[0] for row in connection.execute(sqlalchemy.text("SELECT score FROM pain_entries")))
    finally:
        engine.dispose()


def conversation(cluster: Cluster, index: int) -> tuple[str, list[str], list[list[dict]]]:
    """A patient asks about pacing, logs a pain score, skips the details, then asks something else."""
    sender = f"cluster-patient-{index}"
    said = [
        "I'm 61 and I always overdo it in the garden on good days, then I'm flat out for three days after. How do I stop that?",
        f"my pain is {index % 10} today",
        "skip",
        "is it safe to walk when my back is sore?",
    ]
    return sender, said, [send(cluster, sender, text) for text in said]


def test_patients_talking_at_once_are_served_by_both_servers_and_nothing_is_lost_or_doubled(cluster):
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda index: conversation(cluster, index), range(PATIENTS)))

    for index, (sender, said, replies) in enumerate(results):
        assert not any(APOLOGY in texts(reply) for reply in replies), (sender, replies)
        assert f"logged your pain as {index % 10} out of 10" in texts(replies[1])
        state = tracker(cluster, sender)
        assert state["slots"]["pain_score"] == index % 10
        # The conversation's events are whole and in order, wherever each message was handled.
        user_texts = [event["text"] for event in state["events"] if event["event"] == "user"]
        assert user_texts == said
        stamps = [event["timestamp"] for event in state["events"]]
        assert stamps == sorted(stamps)
    assert pain_scores(cluster) == sorted(index % 10 for index in range(PATIENTS))  # each exactly once
    rasa_servers = {f"127.0.0.1:{port}" for port in cluster.ports.rasa}
    assert rasa_servers <= set(cluster.upstreams())  # both Rasa servers answered


def test_the_api_behind_nginx_still_needs_its_token_and_the_widget_page_is_served(cluster):
    assert requests.get(f"{cluster.url}/conversations/cluster-patient-0/tracker", timeout=30).status_code == 401
    assert requests.get(f"{cluster.url}/conversations/cluster-patient-0/tracker", params={"token": "wrong"}, timeout=30).status_code == 401
    page = requests.get(f"{cluster.url}/", timeout=30)
    assert page.status_code == 200 and "pacewise-widget.js" in page.text
    assert requests.get(f"{cluster.url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=30).status_code == 200


@pytest.mark.parametrize("name", ["topic_and_related_button", "pain_diary"])
def test_the_widget_in_a_real_browser_through_nginx(cluster, name):
    """The demo page, the widget's files and its Socket.IO connection all come through nginx."""
    run_scenario(name, SimpleNamespace(url=f"{cluster.url}/"))


def test_telegram_through_nginx_is_answered_once_even_when_the_provider_retries(cluster, provider):
    channels = Channels(SimpleNamespace(url=cluster.url), provider)
    before = len(provider.calls("telegram"))

    first = channels.telegram(7001, 55501, "I'm 47 and scared that bending will slip a disc again, should I avoid it?")
    replay = channels.telegram(7001, 55501, "I'm 47 and scared that bending will slip a disc again, should I avoid it?")

    assert first.status_code == 200 and replay.status_code == 200
    sent = [call for call in channels.new_calls(before, "telegram", at_least=2, settle=3) if call["method"] == "sendMessage"]
    assert sent and all(call["data"]["chat_id"] in (55501, "55501") for call in sent)
    # The retry reached the other Rasa server (round-robin) and was still recognised: one message, one answer.
    assert "duplicate" in replay.text
    asked = [event for event in tracker(cluster, "55501")["events"] if event["event"] == "user"]
    assert len(asked) == 1
    assert channels.telegram(7002, 55501, "hello", secret="wrong").status_code == 403


def test_a_killed_rasa_server_and_action_server_are_passed_over(cluster):
    before = len(pain_scores(cluster))
    cluster.kill("rasa-0")
    cluster.kill("actions-1")
    try:
        for index in range(6):
            sender = f"cluster-after-kill-{index}"
            logged = send(cluster, sender, "my pain is 4 today")
            assert "logged your pain as 4 out of 10" in texts(logged), logged
            assert APOLOGY not in texts(send(cluster, sender, "skip"))
        assert len(pain_scores(cluster)) == before + 6
    finally:
        cluster.start_rasa(0)
        cluster.start_actions(1)
    # Restarted, they rejoin: nginx sends them requests again.
    seen = len(cluster.upstreams())
    for index in range(6):
        send(cluster, f"cluster-rejoined-{index}", "hello")
    assert f"127.0.0.1:{cluster.ports.rasa[0]}" in cluster.upstreams()[seen:]


def test_while_redis_is_down_patients_get_an_apology_and_the_cluster_recovers_by_itself(cluster):
    sender = "cluster-redis-outage"
    send(cluster, sender, "hello")
    cluster.kill("redis")
    try:
        during = [send(cluster, sender, f"my pain is {score} today") for score in (2, 3)]
        time.sleep(10)
    finally:
        cluster.start_redis()

    for replies in during:
        # Without the lock store no message is handled: the patient is told, nothing half-done is kept.
        assert APOLOGY in texts(replies) and "logged your pain" not in texts(replies)
    after = send(cluster, sender, "my pain is 5 today")
    assert "logged your pain as 5 out of 10" in texts(after)
    assert APOLOGY not in texts(send(cluster, sender, "skip"))
    state = tracker(cluster, sender)
    assert state["slots"]["pain_score"] == 5
    stamps = [event["timestamp"] for event in state["events"]]
    assert stamps == sorted(stamps)
    user_texts = [event["text"] for event in state["events"] if event["event"] == "user"]
    assert user_texts == ["hello", "my pain is 5 today", "skip"]


LOAD_PATIENTS = 200


def send_in_load(cluster: Cluster, sender: str, message: str) -> str:
    """The reply's text; while a server dies, nginx's 503 with the bot's apology is allowed too."""
    response = requests.post(f"{cluster.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120)
    assert response.status_code in (200, 503), response.text[:300]
    reply = texts(response.json())
    assert response.status_code == 200 or APOLOGY in reply
    return reply


def test_two_hundred_patients_with_a_rasa_server_and_an_action_server_killed_midway(cluster, monkeypatch):
    said = {
        f"load-patient-{index}": [
            "My physio says pacing is the answer for my back but I don't get how it works on a busy day?",
            f"my pain is {index % 11} today",
            "skip",
        ]
        for index in range(LOAD_PATIENTS)
    }
    replies: dict[str, list[str]] = {sender: [] for sender in said}
    sent = 0
    lock = threading.Lock()
    halfway = threading.Event()

    def patient(sender: str) -> None:
        nonlocal sent
        for text in said[sender]:
            replies[sender].append(send_in_load(cluster, sender, text))
            with lock:
                sent += 1
                if sent == LOAD_PATIENTS:  # a third of the way through
                    halfway.set()

    with ThreadPoolExecutor(max_workers=20) as pool:
        running = [pool.submit(patient, sender) for sender in said]
        assert halfway.wait(timeout=600)
        cluster.kill("rasa-1")
        cluster.kill("actions-0")
        for future in running:
            future.result()
    try:
        monkeypatch.setenv("PACEWISE_PSEUDONYM_SECRET", cluster.env["PACEWISE_PSEUDONYM_SECRET"])
        from pacewise.storage.pseudonyms import patient_key

        engine = sqlalchemy.create_engine(cluster.database_url("pacewise"))
        with engine.connect() as connection:
            stored = list(connection.execute(sqlalchemy.text("SELECT patient_key, score FROM pain_entries")))
        engine.dispose()
        entries: dict[str, list[int]] = {}
        for key, score in stored:
            entries.setdefault(key, []).append(score)

        apologies = 0
        for index, sender in enumerate(said):
            key_entries = entries.get(patient_key("rest", sender), [])
            assert len(key_entries) <= 1, (sender, key_entries)  # never stored twice
            if f"logged your pain as {index % 11} out of 10" in replies[sender][1]:
                assert key_entries == [index % 11], sender  # nothing confirmed is lost
            apologies += sum(APOLOGY in reply for reply in replies[sender])
            state = tracker(cluster, sender)
            stamps = [event["timestamp"] for event in state["events"]]
            assert stamps == sorted(stamps), sender
            user_texts = [event["text"] for event in state["events"] if event["event"] == "user"]
            assert all(text in said[sender] for text in user_texts) and user_texts == sorted(user_texts, key=said[sender].index), sender
        # The kills cost at most the messages in flight at that moment (20 patients at a time).
        assert apologies <= 40, apologies
    finally:
        cluster.start_rasa(1)
        cluster.start_actions(0)
