"""Recording and reading safety events (see tables.SafetyEventRow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from pacewise.storage.database import as_utc, session_scope
from pacewise.storage.tables import SafetyEventRow


@dataclass(frozen=True)
class SafetyEvent:
    patient_key: str
    channel: str
    category: str
    urgency: str | None
    rules: tuple[str, ...]
    detected_by: str
    model_confidence: float | None = None
    occurred_at: datetime | None = None


def record_safety_event(event: SafetyEvent) -> None:
    with session_scope() as session:
        session.add(
            SafetyEventRow(
                occurred_at=event.occurred_at or datetime.now(timezone.utc),
                patient_key=event.patient_key,
                channel=event.channel[:40],
                category=event.category,
                urgency=event.urgency,
                rules=",".join(event.rules)[:500],
                detected_by=event.detected_by,
                model_confidence=event.model_confidence,
            )
        )


def safety_events_since(since: datetime) -> list[SafetyEvent]:
    with session_scope() as session:
        rows = session.execute(select(SafetyEventRow).where(SafetyEventRow.occurred_at >= since).order_by(SafetyEventRow.occurred_at)).scalars()
        return [
            SafetyEvent(
                patient_key=row.patient_key,
                channel=row.channel,
                category=row.category,
                urgency=row.urgency,
                rules=tuple(rule for rule in row.rules.split(",") if rule),
                detected_by=row.detected_by,
                model_confidence=row.model_confidence,
                occurred_at=as_utc(row.occurred_at),
            )
            for row in rows
        ]
