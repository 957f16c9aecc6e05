"""The Pacewise database: valid scores only, expiring links, export, deletion and migrations."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from pacewise.storage.database import engine, session_scope
from pacewise.storage.downloads import Download, fetch_download, store_download
from pacewise.storage.goals import active_goals, record_session, start_goal
from pacewise.storage.migrations import Migration, migrate, prepare_schema
from pacewise.storage.pain_diary import PainEntry, add_pain_entry, pain_entries
from pacewise.storage.patient_data import delete_patient_data, export_patient_data
from pacewise.storage.safety_events import SafetyEvent, record_safety_event
from pacewise.storage.tables import Base, PainEntryRow
from pacewise.storage.topics_read import record_topic_read, topics_read

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def test_entries_come_back_oldest_first_and_per_patient(database):
    add_pain_entry("patient-a", PainEntry(6, NOW, "neck", None, "after work"))
    add_pain_entry("patient-a", PainEntry(4, NOW - timedelta(days=1)))
    add_pain_entry("patient-b", PainEntry(9, NOW))
    entries = pain_entries("patient-a")
    assert [(entry.score, entry.location, entry.note) for entry in entries] == [(4, None, None), (6, "neck", "after work")]
    assert entries[1].logged_at == NOW


@pytest.mark.parametrize("score", [-1, 11, 15])
def test_a_score_off_the_scale_is_never_stored(database, score):
    with pytest.raises(ValueError):
        add_pain_entry("patient-a", PainEntry(score, NOW))
    # Even written past the code, the table itself refuses it.
    with pytest.raises(IntegrityError), session_scope() as session:
        session.add(PainEntryRow(patient_key="patient-a", logged_at=NOW, score=score))
    assert pain_entries("patient-a") == []


def test_a_download_is_served_until_it_expires(database):
    token = store_download("patient-a", Download("chart.png", "image/png", b"\x89PNG..."), timedelta(hours=1), now=NOW)
    assert len(token) >= 40
    assert fetch_download(token, now=NOW + timedelta(minutes=59)).body == b"\x89PNG..."
    assert fetch_download(token, now=NOW + timedelta(minutes=61)) is None
    assert fetch_download("not-a-token", now=NOW) is None


def test_export_has_the_patients_entries_goals_and_sessions_only(database):
    add_pain_entry("patient-a", PainEntry(5, NOW, note="ok day"))
    add_pain_entry("patient-b", PainEntry(2, NOW))
    goal = start_goal("patient-a", "walking", "minutes", {"amounts": [10, 12, 8]}, 10.0, NOW)
    record_session(goal, "patient-a", NOW, 9.0)
    data = export_patient_data("patient-a")
    assert [entry["score"] for entry in data["pain_entries"]] == [5]
    assert data["pain_entries"][0]["note"] == "ok day"
    assert [(g["activity"], g["baseline"]) for g in data["activity_goals"]] == [("walking", 10.0)]
    assert [(s["activity"], s["amount"]) for s in data["activity_sessions"]] == [("walking", 9.0)]
    json.dumps(data)  # plain records


def test_deleting_removes_everything_of_that_patient_and_nothing_else(database):
    add_pain_entry("patient-a", PainEntry(5, NOW))
    add_pain_entry("patient-b", PainEntry(2, NOW))
    goal = start_goal("patient-a", "walking", "minutes", {"amounts": [10, 12, 8]}, 10.0, NOW)
    record_session(goal, "patient-a", NOW, None)
    store_download("patient-a", Download("x.csv", "text/csv", b"x"), timedelta(hours=1))
    record_safety_event(SafetyEvent("patient-a", "rest", "red_flag", "emergency", ("chest_pain",), "rules"))
    record_topic_read("patient-a", "pacing", NOW)
    record_topic_read("patient-b", "pacing", NOW)

    deletion = delete_patient_data("patient-a")

    assert deletion.rows_deleted == 5
    assert deletion.safety_events_kept == 1
    assert pain_entries("patient-a") == [] and active_goals("patient-a") == []
    assert export_patient_data("patient-a") == {
        "pain_entries": [],
        "activity_goals": [],
        "activity_sessions": [],
        "check_ins": [],
        "peg_responses": [],
        "topics_read": [],
    }
    assert [entry.score for entry in pain_entries("patient-b")] == [2]
    assert [read.topic_id for read in topics_read("patient-b")] == ["pacing"]


def test_a_topic_read_again_is_counted_on_its_one_row_per_patient(database):
    record_topic_read("patient-a", "pacing", NOW - timedelta(days=3))
    record_topic_read("patient-a", "flare_ups", NOW - timedelta(days=2))
    record_topic_read("patient-a", "pacing", NOW)
    record_topic_read("patient-b", "outlook", NOW)

    reads = topics_read("patient-a")

    assert [(read.topic_id, read.times) for read in reads] == [("pacing", 2), ("flare_ups", 1)]
    assert reads[0].first_read_at == NOW - timedelta(days=3) and reads[0].last_read_at == NOW
    exported = export_patient_data("patient-a")["topics_read"]
    assert [(read["topic"], read["times"]) for read in exported] == [("pacing", 2), ("flare_ups", 1)]


def test_a_new_goal_for_the_same_activity_replaces_the_old_one(database):
    start_goal("patient-a", "walking", "minutes", {}, 10.0, NOW)
    start_goal("patient-a", "walking", "minutes", {}, 14.0, NOW + timedelta(days=1))
    start_goal("patient-a", "standing", "minutes", {}, 5.0, NOW)
    assert sorted((goal.activity, goal.baseline) for goal in active_goals("patient-a")) == [("standing", 5.0), ("walking", 14.0)]


def test_migrations_run_once_each_in_order(tmp_path):
    test_engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}", future=True)
    Base.metadata.create_all(test_engine)
    steps = [
        Migration(2, "add a colour", lambda connection: connection.execute(text("ALTER TABLE pain_entries ADD COLUMN colour VARCHAR(10)"))),
        Migration(1, "initial", lambda connection: None),
    ]
    assert migrate(test_engine, steps) == [1, 2]
    assert migrate(test_engine, steps) == []
    with test_engine.connect() as connection:
        columns = [row[1] for row in connection.execute(text("PRAGMA table_info(pain_entries)"))]
        versions = list(connection.execute(text("SELECT version FROM schema_version ORDER BY version")).scalars())
    assert "colour" in columns and versions == [1, 2]


def test_the_database_records_its_schema_version_on_start(database):
    with engine().connect() as connection:
        assert list(connection.execute(text("SELECT version FROM schema_version ORDER BY version")).scalars()) == [1, 2]


OLD_CHECK_INS = (
    "CREATE TABLE check_ins (patient_key VARCHAR(64) PRIMARY KEY, channel VARCHAR(40) NOT NULL, address VARCHAR(128) NOT NULL, "
    "zone VARCHAR(64) NOT NULL, local_time VARCHAR(5) NOT NULL, weekdays VARCHAR(7) NOT NULL, asks VARCHAR(10) NOT NULL, "
    "paused_until TIMESTAMP NULL, next_due_at TIMESTAMP NOT NULL, created_at TIMESTAMP NOT NULL)"
)


def test_a_database_from_before_the_weekly_peg_gets_the_column_and_keeps_its_check_ins(tmp_path):
    old = create_engine(f"sqlite:///{tmp_path / 'old.db'}", future=True)
    with old.begin() as connection:
        connection.execute(text(OLD_CHECK_INS))
        connection.execute(
            text("INSERT INTO check_ins VALUES ('k', 'telegram', '1', 'Europe/London', '19:00', '0123456', 'pain', NULL, '2026-12-01 19:00', '2026-11-01')")
        )
    assert prepare_schema(old) == [1, 2]
    with old.connect() as connection:
        assert connection.execute(text("SELECT asks, peg_weekly FROM check_ins")).one() == ("pain", 0)
