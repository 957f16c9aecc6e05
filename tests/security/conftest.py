from __future__ import annotations

import pytest

from scripts.bot_servers import BotServers


@pytest.fixture(scope="package")
def bot(tmp_path_factory):
    """Pacewise started as `make run` starts it (scripts/bot_servers.py)."""
    servers = BotServers(tmp_path_factory.mktemp("security"))
    try:
        yield servers.start()
    finally:
        servers.stop()
