"""What the scripts and tests that start servers share: a free loopback port, waiting until a server answers,
and running Debian's PostgreSQL."""

from __future__ import annotations

import glob
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

import requests

START_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, check_alive: Callable[[], None], describe: Callable[[], str], timeout_s: float = START_TIMEOUT_S) -> None:
    """Poll `url` until it answers 2xx; `check_alive` raises if a server died, `describe` says what went wrong."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        check_alive()
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up within {timeout_s:.0f} s:\n{describe()}")


def postgres_binaries() -> Path:
    """The folder of Debian's PostgreSQL server programs (the newest version installed)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: sudo apt-get install postgresql (make test and make cluster do it).")
    return Path(found[-1]).parent


def as_postgres_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, its commands run as Debian's `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command
