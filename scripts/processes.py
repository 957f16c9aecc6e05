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

    def answers() -> bool:
        try:
            return requests.get(url, timeout=2).ok
        except requests.RequestException:
            return False

    _wait(answers, f"{url} did not come up", check_alive, describe, timeout_s)


def wait_until_listening(port: int, check_alive: Callable[[], None], describe: Callable[[], str], timeout_s: float = START_TIMEOUT_S) -> None:
    """Poll a loopback port until it accepts a connection (a server without an HTTP status page)."""

    def listens() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    _wait(listens, f"nothing listened on port {port}", check_alive, describe, timeout_s)


def _wait(ready: Callable[[], bool], failure: str, check_alive: Callable[[], None], describe: Callable[[], str], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        check_alive()
        if ready():
            return
        time.sleep(0.3)
    raise RuntimeError(f"{failure} within {timeout_s:.0f} s:\n{describe()}")


def postgres_binaries() -> Path:
    """The folder of Debian's PostgreSQL server programs (the newest version installed)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: sudo apt-get install postgresql (make test and make cluster do it).")
    return Path(found[-1]).parent


def as_postgres_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, its commands run as Debian's `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command
