"""50 patients log pain at once: every entry is stored, on SQLite and on a real PostgreSQL server.

Two paths: the real action server (started as a process, called with Rasa's
action-call payloads, 50 at a time) and 50 threads writing at the same moment
through the storage layer itself, which is where the database locking is hit.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select

from pacewise.storage.pain_diary import PainEntry, add_pain_entry
from pacewise.storage.tables import PainEntryRow
from scripts.bot_servers import RASA, REPO_ROOT, free_port

PATIENTS = 50
ENTRIES_EACH = 3
DOMAIN = {"slots": {}, "forms": {}, "responses": {}, "session_config": {}}


def log_pain_call(sender: str, score: int) -> dict:
    """What the Rasa server posts to the action server after the pain log form."""
    return {
        "next_action": "action_log_pain",
        "sender_id": sender,
        "version": "3.6.21",
        "domain": DOMAIN,
        "tracker": {
            "sender_id": sender,
            "slots": {"pain_entry_score": score, "pain_entry_details": "", "pain_entry_location": None, "pain_entry_activity": None},
            "latest_message": {"text": str(score), "intent": {"name": "log_pain", "confidence": 1.0}, "entities": []},
            "events": [{"event": "user", "text": str(score), "input_channel": "rest", "parse_data": {"intent": {"name": "log_pain"}}}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "pain_log_form",
        },
    }


def count_rows(url: str) -> tuple[int, int]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(select(func.count()).select_from(PainEntryRow)).scalar_one()
        patients = connection.execute(select(func.count(func.distinct(PainEntryRow.patient_key)))).scalar_one()
    engine.dispose()
    return rows, patients


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'pacewise.db'}"
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url, future=True)
    with engine.begin() as connection:  # a clean slate for each test
        connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    return url


@pytest.mark.e2e
def test_the_action_server_stores_every_entry_from_50_patients_at_once(database_url, tmp_path):
    port = free_port()
    env = {**os.environ, "PACEWISE_DATABASE_URL": database_url, "PACEWISE_PSEUDONYM_SECRET": "concurrency-test", "RASA_TELEMETRY_ENABLED": "false"}
    log = open(tmp_path / "actions.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen([str(RASA), "run", "actions", "--port", str(port)], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "actions.log").read_text()[-3000:]
            time.sleep(0.5)

        start = threading.Barrier(PATIENTS)

        def patient(number: int) -> list[int]:
            start.wait()
            logged = []
            for entry in range(ENTRIES_EACH):
                score = (number + entry) % 11
                response = requests.post(f"http://127.0.0.1:{port}/webhook", json=log_pain_call(f"patient-{number}", score), timeout=120)
                assert response.status_code == 200, response.text[:300]
                events = response.json()["events"]
                logged += [event["value"] for event in events if event.get("name") == "pain_score"]
            return logged

        with ThreadPoolExecutor(PATIENTS) as pool:
            results = list(pool.map(patient, range(PATIENTS)))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    assert all(len(logged) == ENTRIES_EACH for logged in results), json.dumps(results)[:500]
    assert count_rows(database_url) == (PATIENTS * ENTRIES_EACH, PATIENTS)


def test_50_threads_writing_at_the_same_moment_lose_nothing(database_url, monkeypatch):
    monkeypatch.setenv("PACEWISE_DATABASE_URL", database_url)
    start = threading.Barrier(PATIENTS)

    def patient(number: int) -> None:
        start.wait()
        for entry in range(ENTRIES_EACH):
            add_pain_entry(f"patient-{number}", PainEntry((number + entry) % 11, datetime.now(timezone.utc)))

    with ThreadPoolExecutor(PATIENTS) as pool:
        list(pool.map(patient, range(PATIENTS)))
    assert count_rows(database_url) == (PATIENTS * ENTRIES_EACH, PATIENTS)
