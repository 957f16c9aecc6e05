"""A Socket.IO client that speaks the widget's protocol, for the security tests.

python-socketio's client (polling transport: its websocket transport needs a
newer aiohttp than Rasa pins) in its own thread, so tests stay synchronous.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import socketio


class WidgetClient:
    def __init__(self, url: str) -> None:
        self.client = socketio.Client(reconnection=False)
        self.confirmed: dict[str, Any] | None = None
        self.replies: list[dict[str, Any]] = []
        self._confirm = threading.Event()
        self.client.on("session_confirm", self._on_confirm)
        self.client.on("bot_uttered", self.replies.append)
        self.client.connect(url, transports=["polling"], wait_timeout=20)

    def _on_confirm(self, data: dict[str, Any]) -> None:
        self.confirmed = data
        self._confirm.set()

    def request_session(self, session_id: str | None = None, token: str | None = None) -> dict[str, Any]:
        self._confirm.clear()
        self.client.emit("session_request", {"session_id": session_id, "session_token": token})
        assert self._confirm.wait(20), "no session_confirm"
        return self.confirmed or {}

    def say(self, text: Any, *, session_id: str | None = None, wait_s: float = 60) -> list[dict[str, Any]]:
        before = len(self.replies)
        self.client.emit("user_uttered", {"message": text, "session_id": session_id})
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and len(self.replies) == before:
            time.sleep(0.1)
        time.sleep(1.0)  # the rest of a multi-part reply
        return self.replies[before:]

    def close(self) -> None:
        self.client.disconnect()
