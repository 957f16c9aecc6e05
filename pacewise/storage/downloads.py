"""Files for one patient (a pain chart, a data export) behind an unguessable link that expires.

The Rasa server serves them (channels/downloads.py) so that every channel can
show or link them; the token is the only key, and expired files are removed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select

from pacewise.storage.database import as_utc, session_scope
from pacewise.storage.tables import DownloadRow


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    body: bytes


def store_download(patient_key: str, download: Download, lifetime: timedelta, now: datetime | None = None) -> str:
    """Keep the file and return its token (also clears out files that have expired)."""
    now = now or datetime.now(timezone.utc)
    token = secrets.token_urlsafe(32)
    with session_scope() as session:
        session.execute(delete(DownloadRow).where(DownloadRow.expires_at < now))
        session.add(
            DownloadRow(
                token=token,
                patient_key=patient_key,
                filename=download.filename,
                media_type=download.media_type,
                body=download.body,
                expires_at=now + lifetime,
            )
        )
    return token


def fetch_download(token: str, now: datetime | None = None) -> Download | None:
    """The file behind a token, or None when there is none or it has expired."""
    now = now or datetime.now(timezone.utc)
    with session_scope() as session:
        row = session.execute(select(DownloadRow).where(DownloadRow.token == token)).scalar_one_or_none()
        if row is None or as_utc(row.expires_at) < now:
            return None
        return Download(row.filename, row.media_type, row.body)
