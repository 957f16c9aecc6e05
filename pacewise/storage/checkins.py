"""Check-in settings and what became of each due check-in (tables check_ins, check_in_deliveries).

A due check-in is claimed by inserting its delivery row: the table allows one
row per patient and due time, so when several schedulers (replicas, or one
restarted mid-run) reach the same check-in, exactly one of them gets it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from pacewise.checkins.timing import Cadence, next_due
from pacewise.storage.database import as_utc, session_scope
from pacewise.storage.tables import CheckInDeliveryRow, CheckInRow

ASKS = ("pain", "goal", "both")


@dataclass(frozen=True)
class CheckIn:
    patient_key: str
    channel: str
    address: str
    cadence: Cadence
    asks: str
    next_due_at: datetime
    paused_until: datetime | None = None
    peg_weekly: bool = False  # the PEG-3 questionnaire once a week, in place of that day's pain score


def _to_check_in(row: CheckInRow) -> CheckIn:
    hours, minutes = (int(part) for part in row.local_time.split(":"))
    cadence = Cadence(time(hours, minutes), frozenset(int(day) for day in row.weekdays), row.zone)
    paused = as_utc(row.paused_until) if row.paused_until is not None else None
    return CheckIn(row.patient_key, row.channel, row.address, cadence, row.asks, as_utc(row.next_due_at), paused, bool(row.peg_weekly))


def opt_in(patient_key: str, channel: str, address: str, cadence: Cadence, asks: str, now: datetime) -> CheckIn:
    """Start check-ins, or replace the patient's settings (one set per patient); the first is the next due time."""
    if asks not in ASKS:
        raise ValueError(f"asks must be one of {ASKS}, not {asks!r}")
    with session_scope() as session:
        row = session.get(CheckInRow, patient_key) or CheckInRow(patient_key=patient_key, created_at=now.astimezone(timezone.utc))
        row.channel, row.address, row.asks = channel, address[:128], asks
        _set_cadence(row, cadence, now)
        row.paused_until = None
        session.add(row)
        session.flush()
        return _to_check_in(row)


def _set_cadence(row: CheckInRow, cadence: Cadence, now: datetime) -> None:
    row.zone = cadence.zone
    row.local_time = cadence.local_time.strftime("%H:%M")
    row.weekdays = "".join(str(day) for day in sorted(cadence.weekdays))
    row.next_due_at = next_due(cadence, now)


def _changed(patient_key: str, change: Callable[[CheckInRow], object]) -> CheckIn | None:
    """Apply `change` to the patient's settings; None when the patient has no check-ins."""
    with session_scope() as session:
        row = session.get(CheckInRow, patient_key)
        if row is None:
            return None
        change(row)
        return _to_check_in(row)


def change_cadence(patient_key: str, cadence: Cadence, now: datetime) -> CheckIn | None:
    """New time, days or zone; None when the patient has no check-ins."""
    return _changed(patient_key, lambda row: _set_cadence(row, cadence, now))


def pause(patient_key: str, until: datetime) -> CheckIn | None:
    """No check-ins before `until`; None when the patient has no check-ins."""
    return _changed(patient_key, lambda row: setattr(row, "paused_until", until.astimezone(timezone.utc)))


def set_peg_weekly(patient_key: str, weekly: bool) -> CheckIn | None:
    """The weekly PEG-3 on or off; None when the patient has no check-ins."""
    return _changed(patient_key, lambda row: setattr(row, "peg_weekly", weekly))


def stop(patient_key: str) -> bool:
    """No more check-ins; True when there were some to stop."""
    with session_scope() as session:
        return bool(session.execute(delete(CheckInRow).where(CheckInRow.patient_key == patient_key)).rowcount)


def check_in_for(patient_key: str) -> CheckIn | None:
    with session_scope() as session:
        row = session.get(CheckInRow, patient_key)
        return _to_check_in(row) if row is not None else None


def due_check_ins(now: datetime, limit: int = 100) -> list[CheckIn]:
    """Check-ins whose due time has come, the earliest first."""
    with session_scope() as session:
        rows = session.execute(select(CheckInRow).where(CheckInRow.next_due_at <= now.astimezone(timezone.utc)).order_by(CheckInRow.next_due_at).limit(limit))
        return [_to_check_in(row) for row in rows.scalars()]


def claim(patient_key: str, due_at: datetime, now: datetime) -> bool:
    """Take one due check-in for this scheduler; False when another already took it."""
    try:
        with session_scope() as session:
            session.add(
                CheckInDeliveryRow(patient_key=patient_key, due_at=due_at.astimezone(timezone.utc), outcome="sending", decided_at=now.astimezone(timezone.utc))
            )
        return True
    except IntegrityError:
        return False


def claim_state(patient_key: str, due_at: datetime) -> tuple[str, datetime] | None:
    """(outcome, when it was decided) of a claimed check-in; None when nobody claimed it."""
    with session_scope() as session:
        row = session.execute(
            select(CheckInDeliveryRow).where(CheckInDeliveryRow.patient_key == patient_key, CheckInDeliveryRow.due_at == due_at.astimezone(timezone.utc))
        ).scalar_one_or_none()
        return (row.outcome, as_utc(row.decided_at)) if row is not None else None


def record_outcome(patient_key: str, due_at: datetime, outcome: str, reason: str, now: datetime) -> None:
    with session_scope() as session:
        session.execute(
            update(CheckInDeliveryRow)
            .where(CheckInDeliveryRow.patient_key == patient_key, CheckInDeliveryRow.due_at == due_at.astimezone(timezone.utc))
            .values(outcome=outcome, reason=reason[:200], decided_at=now.astimezone(timezone.utc))
        )


def advance(check_in: CheckIn, now: datetime) -> None:
    """Move the check-in to its next due time after `now`, unless its settings changed meanwhile."""
    with session_scope() as session:
        session.execute(
            update(CheckInRow)
            .where(CheckInRow.patient_key == check_in.patient_key, CheckInRow.next_due_at == check_in.next_due_at.astimezone(timezone.utc))
            .values(next_due_at=next_due(check_in.cadence, max(now, check_in.next_due_at)))
        )


def take_held_check_in(patient_key: str, now: datetime, held_for: timedelta) -> CheckIn | None:
    """The patient's check-in when one is held for their next visit (due within `held_for`), marked shown,
    so a second tab or a reconnect does not show it again; older held ones are dropped."""
    check_in = check_in_for(patient_key)
    with session_scope() as session:
        held = session.execute(
            select(CheckInDeliveryRow.due_at)
            .where(CheckInDeliveryRow.patient_key == patient_key, CheckInDeliveryRow.outcome == "held")
            .order_by(CheckInDeliveryRow.due_at.desc())
        ).scalars()
        due_times = [as_utc(due) for due in held]
        if not due_times:
            return None
        latest = due_times[0]
        if check_in is None:
            outcome, reason = "skipped_changed", "stopped before the patient opened the chat"
        elif now - latest > held_for:
            outcome, reason = "skipped_late", "the patient did not open the chat in time"
        else:
            outcome, reason = "sent", "shown when the patient opened the chat"
        shown = session.execute(
            update(CheckInDeliveryRow)
            .where(CheckInDeliveryRow.patient_key == patient_key, CheckInDeliveryRow.due_at == latest, CheckInDeliveryRow.outcome == "held")
            .values(outcome=outcome, reason=reason, decided_at=now.astimezone(timezone.utc))
        ).rowcount
        session.execute(
            update(CheckInDeliveryRow)
            .where(CheckInDeliveryRow.patient_key == patient_key, CheckInDeliveryRow.outcome == "held", CheckInDeliveryRow.due_at < latest)
            .values(outcome="skipped_late", reason="a later check-in was shown in its place", decided_at=now.astimezone(timezone.utc))
        )
    return check_in if shown and outcome == "sent" else None


def deliveries(patient_key: str) -> list[tuple[datetime, str, str]]:
    """(due time, outcome, reason) of the patient's check-ins, the earliest first."""
    with session_scope() as session:
        rows = session.execute(select(CheckInDeliveryRow).where(CheckInDeliveryRow.patient_key == patient_key).order_by(CheckInDeliveryRow.due_at)).scalars()
        return [(as_utc(row.due_at), row.outcome, row.reason) for row in rows]
