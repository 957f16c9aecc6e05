"""What the scripts that start servers share: a free loopback port, and waiting until a server answers."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

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
