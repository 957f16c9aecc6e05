"""Everything stored about one patient: exported on request, deleted on request.

Safety events are kept after a deletion: they hold no message text, only that
a red-flag or crisis message was answered, and the clinical team needs them
for safety review. The patient is told so.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from pacewise.storage.checkins import check_in_for
from pacewise.storage.database import as_utc, session_scope
from pacewise.storage.peg import peg_history
from pacewise.storage.tables import (
    ActivityGoalRow,
    ActivitySessionRow,
    CheckInDeliveryRow,
    CheckInRow,
    DownloadRow,
    GoalChangeRow,
    OfferedChoicesRow,
    PainEntryRow,
    PegResponseRow,
    SafetyEventRow,
    TopicReadRow,
)
from pacewise.storage.topics_read import topics_read

# Deleted in this order (children before the goals they belong to).
ERASABLE_TABLES = (
    PainEntryRow,
    ActivitySessionRow,
    GoalChangeRow,
    ActivityGoalRow,
    OfferedChoicesRow,
    DownloadRow,
    CheckInRow,
    CheckInDeliveryRow,
    PegResponseRow,
    TopicReadRow,
)


def export_patient_data(patient_key: str) -> dict[str, list[dict[str, object]]]:
    """The patient's pain entries, goals, activity sessions, check-in settings, PEG-3 answers and topics read as plain records."""
    # Read before the main transaction, each in its own, so two connections are never held at once.
    check_ins = _check_in_records(patient_key)
    peg_responses = [
        {"answered_at": at.isoformat(), "pain": peg.pain, "enjoyment": peg.enjoyment, "activity": peg.activity, "score": peg.score}
        for at, peg in peg_history(patient_key)
    ]
    topics = [
        {"topic": read.topic_id, "first_read_at": read.first_read_at.isoformat(), "last_read_at": read.last_read_at.isoformat(), "times": read.times}
        for read in topics_read(patient_key)
    ]
    with session_scope() as session:
        entries = session.execute(select(PainEntryRow).where(PainEntryRow.patient_key == patient_key).order_by(PainEntryRow.logged_at)).scalars()
        goals = session.execute(select(ActivityGoalRow).where(ActivityGoalRow.patient_key == patient_key).order_by(ActivityGoalRow.started_at)).scalars()
        sessions = session.execute(
            select(ActivitySessionRow, ActivityGoalRow.activity)
            .join(ActivityGoalRow, ActivityGoalRow.id == ActivitySessionRow.goal_id)
            .where(ActivitySessionRow.patient_key == patient_key)
            .order_by(ActivitySessionRow.done_at)
        )
        return {
            "pain_entries": [
                {"logged_at": as_utc(row.logged_at).isoformat(), "score": row.score, "location": row.location, "activity": row.activity, "note": row.note}
                for row in entries
            ],
            "activity_goals": [
                {
                    "activity": row.activity,
                    "unit": row.unit,
                    "baseline": row.baseline,
                    "level": row.level,
                    "started_at": as_utc(row.started_at).isoformat(),
                    "active": row.active,
                }
                for row in goals
            ],
            "activity_sessions": [{"activity": activity, "done_at": as_utc(row.done_at).isoformat(), "amount": row.amount} for row, activity in sessions],
            "check_ins": check_ins,
            "peg_responses": peg_responses,
            "topics_read": topics,
        }


def _check_in_records(patient_key: str) -> list[dict[str, object]]:
    check_in = check_in_for(patient_key)
    if check_in is None:
        return []
    return [
        {
            "schedule": check_in.cadence.describe(),
            "time_zone": check_in.cadence.zone,
            "asks": check_in.asks,
            "peg_weekly": check_in.peg_weekly,
            "channel": check_in.channel,
            "paused_until": check_in.paused_until.isoformat() if check_in.paused_until else None,
        }
    ]


@dataclass(frozen=True)
class Deletion:
    rows_deleted: int
    safety_events_kept: int


def delete_patient_data(patient_key: str) -> Deletion:
    """Remove the patient's diary, goals, sessions, offered choices, files, check-ins, PEG-3 answers and topics read, in one transaction."""
    deleted = 0
    with session_scope() as session:
        for table in ERASABLE_TABLES:
            deleted += session.execute(delete(table).where(table.patient_key == patient_key)).rowcount or 0
        kept = session.execute(select(func.count()).select_from(SafetyEventRow).where(SafetyEventRow.patient_key == patient_key)).scalar_one()
    return Deletion(deleted, kept)
