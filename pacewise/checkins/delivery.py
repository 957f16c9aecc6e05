"""How a due check-in can reach the patient on their channel, under each provider's rules for messages
the patient did not just ask for.

- Telegram, Slack, SMS: the patient opted in on that channel, so a check-in
  goes out as an ordinary message (SMS carries the "reply stop" line anyway).
- WhatsApp: a free-form message only within 24 hours of the patient's last
  message; after that, only a template Meta has approved. With a template
  configured (its Twilio Content SID in TWILIO_WHATSAPP_CHECK_IN_TEMPLATE) it
  is sent that way; without one, the check-in is not sent and the reason is logged.
- Messenger: the same 24-hour window; no message tag covers a reminder, so
  outside the window the check-in is not sent.
- The website chat cannot reach a patient whose chat is closed: the check-in
  is held and shown the next time they open the chat (channels/socketio.py).
- REST cannot reach anyone: no check-ins (the bot says so when asked).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

MESSAGE, TEMPLATE, HELD = "message", "template", "held"
PUSH_CHANNELS = frozenset({"telegram", "slack", "facebook", "twilio", "twilio_whatsapp"})
WIDGET_CHANNEL = "socketio"
CHECK_IN_CHANNELS = PUSH_CHANNELS | {WIDGET_CHANNEL}
# A check-in held for the widget is shown at the next visit within this long, else dropped.
HELD_FOR = timedelta(days=7)
WINDOW = timedelta(hours=24)
WINDOWED_CHANNELS = frozenset({"facebook", "twilio_whatsapp"})
WHATSAPP_TEMPLATE_ENV = "TWILIO_WHATSAPP_CHECK_IN_TEMPLATE"


@dataclass(frozen=True)
class Route:
    """How to send (MESSAGE or TEMPLATE), to hold it for the patient's next visit (HELD), or why not (`how` None)."""

    how: str | None
    reason: str = ""


def whatsapp_template() -> str | None:
    """The approved WhatsApp check-in template's Content SID, if the deployment has one."""
    return os.environ.get(WHATSAPP_TEMPLATE_ENV) or None


def route_for(channel: str, last_patient_message_at: datetime | None, now: datetime, template: str | None) -> Route:
    """How a check-in due `now` can go out on `channel`, given when the patient last wrote (None: not known)."""
    if channel == WIDGET_CHANNEL:
        return Route(HELD, "website chat: shown when the patient next opens it")
    if channel not in PUSH_CHANNELS:
        return Route(None, f"{channel}: cannot send a message the patient did not just ask for")
    if channel not in WINDOWED_CHANNELS:
        return Route(MESSAGE)
    if last_patient_message_at is not None and now - last_patient_message_at < WINDOW:
        return Route(MESSAGE)
    if channel == "twilio_whatsapp":
        if template:
            return Route(TEMPLATE)
        return Route(None, f"WhatsApp: more than 24 hours since the patient's last message and no approved template ({WHATSAPP_TEMPLATE_ENV})")
    return Route(None, "Messenger: more than 24 hours since the patient's last message, and no message tag allows a check-in")
