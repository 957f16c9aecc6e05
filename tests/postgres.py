"""A real, throw-away PostgreSQL server for the tests (Debian's postgresql package).

scripts/test.sh installs the package when it is missing; the server runs from
a temporary folder on a free port and is removed afterwards. As root, it runs
as the `postgres` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: sudo apt-get install postgresql (make test does it).")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a PostgreSQL server; yields its SQLAlchemy URL (database `pacewise`)."""
    binaries = _binaries()
    folder = Path(tempfile.mkdtemp(prefix="pacewise-pg-"))
    data = folder / "data"
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    try:
        subprocess.run(
            _as_server_user([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "pacewise", "--no-sync"]), check=True, capture_output=True
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        subprocess.run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start"]),
            check=True,
            capture_output=True,
        )
        subprocess.run(_as_server_user([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "pacewise", "pacewise"]), check=True)
        yield f"postgresql://pacewise@127.0.0.1:{port}/pacewise"
    finally:
        subprocess.run(_as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
