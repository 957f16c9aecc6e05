from __future__ import annotations

import itertools
import re

import pytest

from scripts.bot_servers import BotServers

_senders = itertools.count()


@pytest.fixture(scope="session")
def bot(tmp_path_factory):
    servers = BotServers(tmp_path_factory.mktemp("bot"))
    try:
        yield servers.start()
    finally:
        servers.stop()


@pytest.fixture
def sender(request) -> str:
    """A fresh conversation id for each test."""
    return f"e2e-{next(_senders)}-" + re.sub(r"[^A-Za-z0-9]+", "-", request.node.name)[:60]
