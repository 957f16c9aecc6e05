"""PEG-3 responses: stored whole (all three items in one row) or not at all."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from pacewise.checkins.peg import PegAnswers
from pacewise.storage.database import as_utc, session_scope
from pacewise.storage.tables import PegResponseRow


def record_peg(patient_key: str, answers: PegAnswers, answered_at: datetime) -> int:
    """Store one completed PEG-3; returns its id."""
    with session_scope() as session:
        row = PegResponseRow(
            patient_key=patient_key,
            answered_at=answered_at.astimezone(timezone.utc),
            pain=answers.pain,
            enjoyment=answers.enjoyment,
            activity=answers.activity,
        )
        session.add(row)
        session.flush()
        return row.id


def peg_history(patient_key: str) -> list[tuple[datetime, PegAnswers]]:
    """The patient's PEG-3 responses, the earliest first."""
    with session_scope() as session:
        rows = session.execute(select(PegResponseRow).where(PegResponseRow.patient_key == patient_key).order_by(PegResponseRow.answered_at)).scalars()
        return [(as_utc(row.answered_at), PegAnswers(row.pain, row.enjoyment, row.activity)) for row in rows]
