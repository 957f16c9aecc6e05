"""A real, throw-away PostgreSQL server for the tests (Debian's postgresql package).

scripts/test.sh installs the package when it is missing; the server runs from
a temporary folder on a free port and is removed afterwards. As root, it runs
as the `postgres` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scripts.processes import as_postgres_user, free_port, postgres_binaries


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a PostgreSQL server; yields its SQLAlchemy URL (database `pacewise`)."""
    binaries = postgres_binaries()
    folder = Path(tempfile.mkdtemp(prefix="pacewise-pg-"))
    data = folder / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    try:
        subprocess.run(
            as_postgres_user([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "pacewise", "--no-sync"]), check=True, capture_output=True
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        subprocess.run(
            as_postgres_user([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start"]),
            check=True,
            capture_output=True,
        )
        subprocess.run(as_postgres_user([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "pacewise", "pacewise"]), check=True)
        yield f"postgresql://pacewise@127.0.0.1:{port}/pacewise"
    finally:
        subprocess.run(as_postgres_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
