"""The Redis lock store against a real Redis server: a dead server's ticket never holds a conversation for ever."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator

import pytest
from rasa.core.lock_store import RedisLockStore

from scripts.processes import free_port
from stores.redis_lock_store import HeartbeatRedisLockStore

LIFETIME = 2.0


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


async def wait_for_lock(store: RedisLockStore, conversation: str) -> float:
    began = time.monotonic()
    async with store.lock(conversation, lock_lifetime=LIFETIME, wait_time_in_seconds=0.5):
        return time.monotonic() - began


def test_a_message_after_a_dead_servers_ticket_is_served_once_that_ticket_expires(redis_port):
    store = HeartbeatRedisLockStore(host="127.0.0.1", port=redis_port, db=1, key_prefix="heartbeat", lock_lifetime=LIFETIME)
    store.issue_ticket("patient-1", lock_lifetime=LIFETIME)  # a server that died while handling a message

    waited = asyncio.run(asyncio.wait_for(wait_for_lock(store, "patient-1"), timeout=10 * LIFETIME))

    assert LIFETIME * 0.5 < waited < LIFETIME * 3


def test_rasas_own_store_waits_for_ever_in_the_same_case(redis_port):
    """Why the subclass exists: the stock store's waiting ticket expires too, and it is never served."""
    store = RedisLockStore(host="127.0.0.1", port=redis_port, db=1, key_prefix="stock")
    store.issue_ticket("patient-1", lock_lifetime=LIFETIME)

    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(wait_for_lock(store, "patient-1"), timeout=4 * LIFETIME))


def test_messages_of_one_conversation_still_wait_their_turn(redis_port):
    store = HeartbeatRedisLockStore(host="127.0.0.1", port=redis_port, db=1, key_prefix="turns", lock_lifetime=LIFETIME)
    order: list[str] = []

    async def handle(name: str, seconds: float) -> None:
        async with store.lock("patient-2", lock_lifetime=LIFETIME, wait_time_in_seconds=0.05):
            order.append(f"{name} start")
            await asyncio.sleep(seconds)
            order.append(f"{name} end")

    async def both() -> None:
        first = asyncio.create_task(handle("first", 0.5))
        await asyncio.sleep(0.1)
        await handle("second", 0.0)
        await first

    asyncio.run(both())

    assert order == ["first start", "first end", "second start", "second end"]
