"""Pain diary entries: written only with a valid score (the table also refuses anything off the 0-10 scale)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from pacewise.storage.database import as_utc, session_scope
from pacewise.storage.tables import PainEntryRow


@dataclass(frozen=True)
class PainEntry:
    score: int
    logged_at: datetime
    location: str | None = None
    activity: str | None = None
    note: str | None = None


def add_pain_entry(patient_key: str, entry: PainEntry) -> int:
    """Store an entry; returns its id."""
    if not 0 <= entry.score <= 10:
        raise ValueError(f"pain score {entry.score} is not on the 0-10 scale")
    with session_scope() as session:
        row = PainEntryRow(patient_key=patient_key, logged_at=entry.logged_at.astimezone(timezone.utc), score=entry.score)
        _set_context(row, entry)
        session.add(row)
        session.flush()
        return row.id


def _set_context(row: PainEntryRow, entry: PainEntry) -> None:
    row.location = entry.location[:60] if entry.location else None
    row.activity = entry.activity[:60] if entry.activity else None
    row.note = entry.note[:280] if entry.note else None


@dataclass(frozen=True)
class StoredPainEntry:
    id: int
    entry: PainEntry


def latest_pain_entry(patient_key: str) -> StoredPainEntry | None:
    with session_scope() as session:
        row = session.execute(
            select(PainEntryRow).where(PainEntryRow.patient_key == patient_key).order_by(PainEntryRow.logged_at.desc(), PainEntryRow.id.desc()).limit(1)
        ).scalar_one_or_none()
        if row is None:
            return None
        return StoredPainEntry(row.id, PainEntry(row.score, as_utc(row.logged_at), row.location, row.activity, row.note))


def update_pain_context(patient_key: str, entry_id: int, entry: PainEntry) -> None:
    """Replace an entry's place, activity and note (its score and time stay as logged)."""
    with session_scope() as session:
        row = session.get(PainEntryRow, entry_id)
        if row is not None and row.patient_key == patient_key:
            _set_context(row, entry)


def pain_entries(patient_key: str, since: datetime | None = None, until: datetime | None = None) -> list[PainEntry]:
    """The patient's entries, oldest first, optionally within [since, until)."""
    query = select(PainEntryRow).where(PainEntryRow.patient_key == patient_key)
    if since is not None:
        query = query.where(PainEntryRow.logged_at >= since)
    if until is not None:
        query = query.where(PainEntryRow.logged_at < until)
    with session_scope() as session:
        rows = session.execute(query.order_by(PainEntryRow.logged_at, PainEntryRow.id)).scalars()
        return [PainEntry(row.score, as_utc(row.logged_at), row.location, row.activity, row.note) for row in rows]
