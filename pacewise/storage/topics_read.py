"""Which topics a patient has read: one row per topic, updated each time it is answered again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from pacewise.storage.database import as_utc, session_scope
from pacewise.storage.tables import TopicReadRow


@dataclass(frozen=True)
class TopicRead:
    topic_id: str
    first_read_at: datetime
    last_read_at: datetime
    times: int


def record_topic_read(patient_key: str, topic_id: str, now: datetime) -> None:
    """Count one reading of `topic_id` (two servers recording the patient's first reading at once make one row)."""
    at = now.astimezone(timezone.utc)
    for _attempt in range(2):
        try:
            with session_scope() as session:
                matched = session.execute(
                    update(TopicReadRow)
                    .where(TopicReadRow.patient_key == patient_key, TopicReadRow.topic_id == topic_id)
                    .values(last_read_at=at, times=TopicReadRow.times + 1)
                ).rowcount
                if not matched:
                    session.add(TopicReadRow(patient_key=patient_key, topic_id=topic_id, first_read_at=at, last_read_at=at, times=1))
            return
        except IntegrityError:
            continue  # the other server's row is there now: the update takes it on the second attempt


def topics_read(patient_key: str) -> list[TopicRead]:
    """The topics the patient has read, the first read first."""
    with session_scope() as session:
        query = select(TopicReadRow).where(TopicReadRow.patient_key == patient_key).order_by(TopicReadRow.first_read_at, TopicReadRow.id)
        rows = session.execute(query).scalars()
        return [TopicRead(row.topic_id, as_utc(row.first_read_at), as_utc(row.last_read_at), row.times) for row in rows]
