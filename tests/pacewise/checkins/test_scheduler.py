"""Sending due check-ins: once each, with several schedulers, across restarts, never after opting out."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta, timezone

import pytest
from sqlalchemy import create_engine

from pacewise.checkins.scheduler import SendResult, run_due
from pacewise.checkins.timing import EVERY_DAY, Cadence
from pacewise.storage import checkins, database
from pacewise.storage.checkins import CheckIn
from pacewise.storage.patient_data import delete_patient_data, export_patient_data

UTC = timezone.utc
EVENING = Cadence(time(19, 0), EVERY_DAY, "Europe/London")
OPTED_IN = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday; 19:00 in London is 19:00 UTC in winter
DUE = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)


class Outbox:
    """The messaging channel: what was sent, to whom (thread-safe, as several schedulers share it)."""

    def __init__(self, refuse: str = "") -> None:
        self.sent: list[tuple[str, datetime]] = []
        self.refuse = refuse
        self._lock = threading.Lock()

    def __call__(self, check_in: CheckIn) -> SendResult:
        if self.refuse:
            return SendResult(False, self.refuse)
        with self._lock:
            self.sent.append((check_in.address, check_in.next_due_at))
        return SendResult(True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, monkeypatch):
    """A fresh database of each kind (PostgreSQL: the real server of tests/postgres.py)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'pacewise.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        engine = create_engine(url, future=True)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        engine.dispose()
        monkeypatch.setattr(database, "_engines", {})  # the schema is created again on first use
    monkeypatch.setenv("PACEWISE_DATABASE_URL", url)
    monkeypatch.setenv("PACEWISE_PSEUDONYM_SECRET", "test-secret")
    return request.param


def test_a_check_in_goes_out_at_its_time_and_then_tomorrow(store):
    checkins.opt_in("patient-a", "telegram", "tg-1001", EVENING, "pain", OPTED_IN)
    outbox = Outbox()

    assert run_due(DUE - timedelta(minutes=1), outbox) == []
    assert run_due(DUE + timedelta(seconds=20), outbox) == [("patient-a", "sent")]
    assert run_due(DUE + timedelta(minutes=1), outbox) == []  # the next tick sends nothing more

    assert outbox.sent == [("tg-1001", DUE)]
    assert checkins.check_in_for("patient-a").next_due_at == DUE + timedelta(days=1)


def test_two_schedulers_at_once_send_each_check_in_exactly_once(store):
    patients = [f"patient-{n}" for n in range(30)]
    for n, patient in enumerate(patients):
        checkins.opt_in(patient, "sms", f"+4477009000{n:02d}", EVENING, "both", OPTED_IN)
    outbox = Outbox()
    start = threading.Barrier(2)

    def scheduler() -> None:
        start.wait()
        run_due(DUE + timedelta(seconds=30), outbox)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(address for address, _ in outbox.sent) == sorted(f"+4477009000{n:02d}" for n in range(30))
    for patient in patients:
        assert checkins.deliveries(patient) == [(DUE, "sent", "")]


def test_a_restarted_scheduler_does_not_repeat_a_check_in_it_already_claimed(store):
    checkins.opt_in("patient-a", "telegram", "tg-1001", EVENING, "pain", OPTED_IN)
    # The first scheduler claimed the check-in and died before sending it or moving it on.
    assert checkins.claim("patient-a", DUE, DUE + timedelta(seconds=5))
    outbox = Outbox()

    assert run_due(DUE + timedelta(minutes=2), outbox) == []  # restarted at once: the claim may still be alive
    assert checkins.check_in_for("patient-a").next_due_at == DUE
    assert run_due(DUE + timedelta(minutes=10), outbox) == []  # the claim is abandoned: given up, never sent twice

    assert outbox.sent == []
    assert checkins.deliveries("patient-a") == [(DUE, "sending", "")]
    assert checkins.check_in_for("patient-a").next_due_at == DUE + timedelta(days=1)  # the schedule goes on
    run_due(DUE + timedelta(days=1, minutes=1), outbox)
    assert outbox.sent == [("tg-1001", DUE + timedelta(days=1))]


def test_a_scheduler_that_sent_but_could_not_move_the_schedule_on_is_not_repeated(store, monkeypatch):
    checkins.opt_in("patient-a", "telegram", "tg-1001", EVENING, "pain", OPTED_IN)
    outbox = Outbox()
    with monkeypatch.context() as patched:
        patched.setattr(checkins, "advance", lambda check_in, now: None)  # the database went away after sending
        run_due(DUE + timedelta(minutes=1), outbox)

    run_due(DUE + timedelta(minutes=2), outbox)
    run_due(DUE + timedelta(minutes=3), outbox)

    assert outbox.sent == [("tg-1001", DUE)]
    assert checkins.check_in_for("patient-a").next_due_at == DUE + timedelta(days=1)


def test_a_check_in_missed_while_down_is_sent_late_once_or_skipped_when_too_late(store):
    checkins.opt_in("patient-a", "telegram", "tg-1001", EVENING, "pain", OPTED_IN)
    checkins.opt_in("patient-b", "telegram", "tg-1002", EVENING, "pain", OPTED_IN - timedelta(days=2))
    outbox = Outbox()

    # Back up 40 minutes after patient-a's check-in was due; patient-b's has been due for two days.
    handled = dict(run_due(DUE + timedelta(minutes=40), outbox))

    assert handled == {"patient-a": "sent", "patient-b": "skipped_late"}
    assert outbox.sent == [("tg-1001", DUE)]
    assert checkins.check_in_for("patient-b").next_due_at == DUE + timedelta(days=1)  # not a burst of the missed ones


def test_a_patient_who_stops_gets_nothing_more_and_a_pause_holds_them(store):
    checkins.opt_in("patient-a", "telegram", "tg-1001", EVENING, "pain", OPTED_IN)
    checkins.opt_in("patient-b", "telegram", "tg-1002", EVENING, "pain", OPTED_IN)
    outbox = Outbox()

    assert checkins.stop("patient-a") is True
    assert checkins.stop("patient-a") is False
    checkins.pause("patient-b", DUE + timedelta(days=7))
    for day in range(7):
        run_due(DUE + timedelta(days=day, minutes=1), outbox)

    assert outbox.sent == []
    assert [outcome for _, outcome, _ in checkins.deliveries("patient-b")] == ["skipped_paused"] * 7
    run_due(DUE + timedelta(days=7, minutes=1), outbox)
    assert outbox.sent == [("tg-1002", DUE + timedelta(days=7))]


def test_a_patient_who_stops_while_a_scheduler_is_at_work_gets_nothing(store, monkeypatch):
    checkins.opt_in("patient-a", "telegram", "tg-1001", EVENING, "pain", OPTED_IN)
    listed = checkins.due_check_ins(DUE + timedelta(minutes=1))  # the scheduler read the due list ...
    checkins.stop("patient-a")  # ... and the patient said "stop reminders" before it sent
    monkeypatch.setattr(checkins, "due_check_ins", lambda now: listed)
    outbox = Outbox()

    assert run_due(DUE + timedelta(minutes=1), outbox) == [("patient-a", "skipped_changed")]
    assert outbox.sent == []


def test_a_channel_that_cannot_send_leaves_the_reason_and_the_schedule_moves_on(store):
    checkins.opt_in("patient-a", "whatsapp", "whatsapp:+447700900123", EVENING, "pain", OPTED_IN)

    run_due(DUE + timedelta(minutes=1), Outbox(refuse="outside WhatsApp's 24-hour window and no approved template"))

    assert checkins.deliveries("patient-a") == [(DUE, "not_sent", "outside WhatsApp's 24-hour window and no approved template")]
    assert checkins.check_in_for("patient-a").next_due_at == DUE + timedelta(days=1)


def test_changing_the_time_moves_the_next_check_in(store):
    checkins.opt_in("patient-a", "telegram", "tg-1001", EVENING, "pain", OPTED_IN)

    checkins.change_cadence("patient-a", Cadence(time(8, 0), frozenset({0, 3}), "Europe/London"), OPTED_IN)

    assert checkins.check_in_for("patient-a").next_due_at == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)  # Thursday 08:00
    assert checkins.change_cadence("nobody", EVENING, OPTED_IN) is None


def test_check_ins_are_exported_and_deleted_with_the_patients_data(store):
    checkins.opt_in("patient-a", "telegram", "tg-1001", EVENING, "both", OPTED_IN)
    checkins.opt_in("patient-b", "telegram", "tg-1002", EVENING, "pain", OPTED_IN)
    run_due(DUE + timedelta(minutes=1), Outbox())

    exported = export_patient_data("patient-a")["check_ins"]
    deletion = delete_patient_data("patient-a")

    assert exported == [
        {"schedule": "every day at 19:00", "time_zone": "Europe/London", "asks": "both", "peg_weekly": False, "channel": "telegram", "paused_until": None}
    ]
    assert deletion.rows_deleted == 2  # the settings and the one delivery
    assert checkins.check_in_for("patient-a") is None and checkins.deliveries("patient-a") == []
    assert checkins.check_in_for("patient-b") is not None  # nobody else's
