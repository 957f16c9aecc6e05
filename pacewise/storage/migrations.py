"""Schema changes to existing databases, applied once each, in order, when the action server starts.

New tables need no step here: they are created on start. A change to an
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

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from pacewise.storage.tables import SchemaVersionRow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


# Version 1 is the schema as tables.py first created it; add later steps below it.
MIGRATIONS: Sequence[Migration] = (Migration(1, "initial schema (created from tables.py)", lambda connection: None),)


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply the steps this database has not had yet; returns their versions."""
    applied: list[int] = []
    with engine.begin() as connection:
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
