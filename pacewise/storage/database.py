"""The database connection: one environment variable, an embedded default.

PACEWISE_DATABASE_URL selects the database (for example
postgresql://pacewise:secret@db/pacewise); without it an SQLite file in var/
is used, so nothing has to be installed. Tables are created on first use and
schema changes applied (pacewise/storage/migrations.py).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from pacewise.storage.migrations import prepare_schema
from pacewise.storage.private_files import make_private, sqlite_path

DATABASE_URL_ENV = "PACEWISE_DATABASE_URL"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = REPO_ROOT / "var" / "pacewise.db"


def database_url() -> str:
    return os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{DEFAULT_DATABASE}"


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _engine_for(url: str) -> Engine:
    """One engine per URL, created (with its tables) by exactly one thread."""
    with _engines_lock:
        if url not in _engines:
            _engines[url] = _create_engine(url)
        return _engines[url]


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            make_private(path)  # patients' diaries: readable by the service only
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:
            # WAL lets readers and one writer work at once; the busy timeout makes
            # concurrent writers wait for each other instead of failing.
            cursor = connection.cursor()
            cursor.execute("PRAGMA busy_timeout=30000")
            _use_wal(cursor)
            cursor.close()
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    prepare_schema(engine)
    return engine


def _use_wal(cursor: sqlite3.Cursor, patience_s: float = 30.0) -> None:
    """Switch the database file to WAL once; servers starting together wait for each other.

    Changing the journal mode needs the file to itself and does not wait on the busy timeout:
    with several servers opening a new database at once, all but one were refused.
    """
    deadline = time.monotonic() + patience_s
    while cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return  # switched, or a database that has no WAL (in memory): nothing more to do
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def engine() -> Engine:
    return _engine_for(database_url())


@contextmanager
def session_scope() -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back if it raises."""
    factory = sessionmaker(bind=engine(), future=True, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything Pacewise stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
