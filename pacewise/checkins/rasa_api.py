"""Starting a check-in conversation through the Rasa server's authenticated HTTP API.

The check-in is an external event (`trigger_intent`, intent EXTERNAL_check_in)
on the patient's own conversation, so the bot's question goes out through the
channel the patient uses and their reply lands in the conversation that asked
it (the pain diary form is waiting). When the patient last wrote is read from
the same conversation, for the providers' 24-hour windows.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

logger = logging.getLogger(__name__)

RASA_URL_ENV = "PACEWISE_RASA_URL"
API_TOKEN_ENV = "PACEWISE_API_TOKEN"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
CHECK_IN_INTENT = "EXTERNAL_check_in"
ROUTE_ENTITY, ASKS_ENTITY = "check_in_route", "check_in_asks"
TIMEOUT_S = 30.0
# How a provider's refusal of a check-in comes back in Rasa's error (channels/messaging/refusals.py).
REFUSAL_PREFIX = "Check-in not delivered: "


class RasaUnavailable(RuntimeError):
    """The Rasa server could not be reached or refused the request (the reason is in the message)."""


@dataclass(frozen=True)
class RasaApi:
    url: str
    token: str | None = None

    @classmethod
    def from_environment(cls) -> RasaApi:
        return cls((os.environ.get(RASA_URL_ENV) or DEFAULT_RASA_URL).rstrip("/"), os.environ.get(API_TOKEN_ENV) or None)

    def last_patient_message_at(self, conversation_id: str) -> datetime | None:
        """When the patient last wrote in this conversation (not counting check-ins), or None."""
        tracker = self._request("GET", f"/conversations/{_quoted(conversation_id)}/tracker", query={"include_events": "AFTER_RESTART"})
        for event in reversed(tracker.get("events") or []):
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
            if event.get("event") == "user" and not intent.startswith("EXTERNAL_"):
                return datetime.fromtimestamp(float(event["timestamp"]), tz=timezone.utc)
        return None

    def trigger_check_in(self, conversation_id: str, channel: str, route: str, asks: str) -> None:
        """Run the check-in in the patient's conversation; its messages go out on `channel`."""
        body = {"name": CHECK_IN_INTENT, "entities": {ROUTE_ENTITY: route, ASKS_ENTITY: asks}}
        self._request("POST", f"/conversations/{_quoted(conversation_id)}/trigger_intent", query={"output_channel": channel}, body=body)

    def _request(self, method: str, path: str, query: dict[str, str], body: dict[str, Any] | None = None) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.url}{path}?{urllib.parse.urlencode(query)}",
            data=json.dumps(body).encode("utf-8") if body is not None else None,
            method=method,
            headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {self.token}"} if self.token else {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            if refusal := _refusal_in(error):
                raise RasaUnavailable(refusal) from error
            raise RasaUnavailable(f"the Rasa server answered {error.code} to {method} {path.split('/')[-1]}") from error
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise RasaUnavailable(f"the Rasa server could not be reached ({type(error).__name__})") from error


def _refusal_in(error: urllib.error.HTTPError) -> str | None:
    """The provider's refusal ("Telegram did not take it (BotBlocked)") in Rasa's error answer, if that was the cause."""
    try:
        message = str(json.loads(error.read() or b"{}").get("message") or "")
    except (ValueError, OSError, AttributeError):
        return None
    _, found, refusal = message.partition(REFUSAL_PREFIX)
    if not found:
        return None
    return refusal.strip()[:200] or None


def _quoted(conversation_id: str) -> str:
    """The id as Rasa's server reads it back: it does not decode the path, so "+" and ":" (phone numbers,
    "whatsapp:+44...") stay as they are; only what would break the URL is escaped."""
    return urllib.parse.quote(conversation_id, safe=":+@!$&'()*,;=")
