"""Schema changes to existing databases, applied once each, in order, when a server starts.

New tables need no step here: they are created on start. Several processes may
start at once (the Rasa server and the action server; replicas of each on
PostgreSQL): creating tables and applying steps is one transaction that holds
a lock while it runs (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE),
so the others wait, then find the work done. A change to an
existing table (a new column, a wider field) gets a numbered step with the SQL
for it; the `schema_version` table records which steps a database has had, so
each runs exactly once on every database (SQLite or PostgreSQL). Write SQL
that both understand, or branch on `connection.dialect.name`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection, Engine

from pacewise.storage.tables import Base, SchemaVersionRow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _add_peg_weekly(connection: Connection) -> None:
    """check_ins.peg_weekly (issue 18). A database created after the column was added has it already."""
    if "peg_weekly" not in {column["name"] for column in inspect(connection).get_columns("check_ins")}:
        connection.execute(text("ALTER TABLE check_ins ADD COLUMN peg_weekly BOOLEAN NOT NULL DEFAULT FALSE"))


# Version 1 is the schema as tables.py first created it; add later steps below it.
MIGRATIONS: Sequence[Migration] = (
    Migration(1, "initial schema (created from tables.py)", lambda connection: None),
    Migration(2, "check_ins.peg_weekly: the weekly PEG-3 questionnaire in check-ins", _add_peg_weekly),
)


# Any fixed number: the key of PostgreSQL's advisory lock for schema changes ("PACE" in ASCII).
SCHEMA_LOCK_KEY = 0x50414345


def prepare_schema(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Create the tables that are missing and apply the steps not yet applied, one process at a time;
    returns the versions applied here."""
    with engine.begin() as connection:
        _lock_schema(connection)
        Base.metadata.create_all(connection)
        return _apply(connection, migrations)


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply the steps this database has not had yet, one process at a time; returns their versions."""
    with engine.begin() as connection:
        _lock_schema(connection)
        return _apply(connection, migrations)


def _lock_schema(connection: Connection) -> None:
    """Hold the schema lock until this transaction ends; another process starting at the same time waits here."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, not at the first write


def _apply(connection: Connection, migrations: Sequence[Migration]) -> list[int]:
    applied: list[int] = []
    done = set(connection.execute(select(SchemaVersionRow.version)).scalars())
    for migration in sorted(migrations, key=lambda step: step.version):
        if migration.version in done:
            continue
        logger.info("Applying database migration %d: %s", migration.version, migration.description)
        migration.apply(connection)
        connection.execute(
            SchemaVersionRow.__table__.insert().values(version=migration.version, description=migration.description, applied_at=datetime.now(timezone.utc))
        )
        applied.append(migration.version)
    return applied
