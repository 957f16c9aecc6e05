"""Rasa's Redis lock store, without its wait-forever after a server dies.

Rasa's ticket lock gives each message of a conversation a ticket that expires
after TICKET_LOCK_LIFETIME seconds, so a server that dies while it holds one
frees the conversation in the end. But the ticket of a message that is
*waiting* also expires on that clock: when the dead server's ticket and the
waiting one both expire before the waiter looks again (it polls once a
second), the conversation is left with no ticket being served, and the waiter
waits until its client gives up. Found by killing a Rasa server in the
middle of a load test (tests/e2e/test_cluster.py): the patient's next message
hung for minutes. Here a waiting message keeps its ticket alive while it
waits, so only the dead server's tickets run out, and the waiter is served
as soon as they do.

Used by the cluster profile (scripts/cluster.py):

    lock_store:
      type: stores.redis_lock_store.HeartbeatRedisLockStore
      url: <redis host>
      port: 6379
      password: <password>
      db: 1
      key_prefix: pacewise
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)


class HeartbeatRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, lock_lifetime: float = LOCK_LIFETIME, **kwargs: Any) -> None:
        if endpoint_config is not None:  # built by Rasa from endpoints.yml
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        self.lock_lifetime = float(kwargs.pop("lock_lifetime", lock_lifetime))
        super().__init__(**kwargs)

    async def _acquire_lock(self, conversation_id: str, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if lock is None:
                break
            if not lock.is_locked(ticket):
                return lock
            self._keep_alive(lock, ticket)
            await asyncio.sleep(wait_time_in_seconds)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def _keep_alive(self, lock: TicketLock, ticket: int) -> None:
        """Drop expired tickets and push this waiting ticket's expiry forward."""
        lock.remove_expired_tickets()
        mine = next((held for held in lock.tickets if held.number == ticket), None)
        if mine is None:
            raise LockError(f"The ticket for conversation '{lock.conversation_id}' was lost while waiting.")
        mine.expires = time.time() + self.lock_lifetime
        self.save_lock(lock)
