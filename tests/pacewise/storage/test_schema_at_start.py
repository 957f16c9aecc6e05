"""Several processes starting at once on one database (the Rasa server and the action server, or replicas
of each on PostgreSQL) create the tables and apply each schema change exactly once, and all of them start."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from pacewise.storage.migrations import MIGRATIONS

ALL_VERSIONS = [migration.version for migration in MIGRATIONS]

REPO_ROOT = Path(__file__).resolve().parents[3]
PROCESSES = 6

# Each process waits for the same moment, then prepares the schema with one extra step that records
# every run of it: the step must run once in all, whichever process gets there first.
STARTER = """
import os, sys, time
from sqlalchemy import create_engine, text
from pacewise.storage.migrations import MIGRATIONS, Migration, prepare_schema

url, start_at = sys.argv[1], float(sys.argv[2])
def record_run(connection):
    connection.execute(text("CREATE TABLE step_runs (pid INTEGER)"))
    connection.execute(text("INSERT INTO step_runs (pid) VALUES (:pid)"), {"pid": os.getpid()})
steps = (*MIGRATIONS, Migration(99, "record the run", record_run))
engine = create_engine(url, future=True)
time.sleep(max(0.0, start_at - time.time()))
print(prepare_schema(engine, steps))
"""

# The servers' own start: the first use of the database (pacewise/storage/database.py).
SERVER_START = """
import sys, time
start_at = float(sys.argv[2])
from pacewise.storage import database
time.sleep(max(0.0, start_at - time.time()))
database.engine()
"""


def start_together(script: str, url: str) -> list[subprocess.CompletedProcess]:
    start_at = time.time() + 4.0  # after every interpreter has imported SQLAlchemy
    env = {"PACEWISE_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT)}
    processes = [
        subprocess.Popen([sys.executable, "-c", script, url, str(start_at)], cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)
    ]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate()) for p in processes]


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'pacewise.db'}"
    server_url = request.getfixturevalue("postgres_url")
    name = f"start_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


def test_a_schema_change_runs_once_when_several_processes_start_at_once(fresh_database):
    results = start_together(STARTER, fresh_database)

    assert [result.returncode for result in results] == [0] * PROCESSES, "\n".join(result.stderr[-2000:] for result in results)
    applied = sorted(result.stdout.strip() for result in results)
    assert applied == [str([*ALL_VERSIONS, 99])] + ["[]"] * (PROCESSES - 1)
    engine = create_engine(fresh_database, future=True)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM step_runs")).scalar() == 1
        assert connection.execute(text("SELECT version FROM schema_version ORDER BY version")).scalars().all() == [*ALL_VERSIONS, 99]
    assert {"pain_entries", "activity_goals", "downloads"} <= set(inspect(engine).get_table_names())


def test_the_servers_all_start_on_a_new_database_at_once(fresh_database):
    results = start_together(SERVER_START, fresh_database)

    assert [result.returncode for result in results] == [0] * PROCESSES, "\n".join(result.stderr[-2000:] for result in results)
    engine = create_engine(fresh_database, future=True)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version FROM schema_version ORDER BY version")).scalars().all() == ALL_VERSIONS
