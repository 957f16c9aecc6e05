"""Reject replayed webhook requests: the same provider message id (or signature) twice."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

DEFAULT_TTL_S = 24 * 60 * 60
DEFAULT_CAPACITY = 100_000


class ReplayGuard:
    """Remembers recently seen request keys in memory, oldest forgotten first.

    One guard per channel and process. With several Rasa processes behind a
    load balancer each has its own memory: route a provider to one process, or
    accept that a replay could reach a different process once.
    """

    def __init__(self, ttl_s: float = DEFAULT_TTL_S, capacity: int = DEFAULT_CAPACITY) -> None:
        self.ttl_s = ttl_s
        self.capacity = capacity
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """True the first time a key is seen (within the time to live), False for a replay."""
        now = time.monotonic()
        with self._lock:
            while self._seen and (len(self._seen) >= self.capacity or next(iter(self._seen.values())) < now - self.ttl_s):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True
