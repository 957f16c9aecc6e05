"""What the bot says about check-ins. The check-in's own wording is the clinicians' (content/settings/check_ins.yml)."""

from __future__ import annotations

from datetime import datetime

from pacewise.checkins.timing import Cadence

ASKS_IN_WORDS = {"pain": "your pain score", "goal": "how your activity goal is going", "both": "your pain score and how your activity goal is going"}
NOT_ON_THIS_CHANNEL = (
    "I can't send check-ins here: this chat can't reach you while it's closed. Check-ins work when you talk to me on "
    "Telegram, Slack, Messenger, SMS or WhatsApp, if your clinic offers them."
)
ASK_TIME = 'What time of day would suit you? For example "7pm", "8.30 in the morning" or "every evening".'
NEED_A_TIME = 'Sorry, I didn\'t catch a time there. Please say a time like "7pm" or "9am", or "morning" or "evening".'
HOW_TO_ASK = (
    "I can check in with you at a time you choose and ask for your pain score, your activity goal, or both. For example: "
    '"remind me to log my pain every evening at 7", "check in with me on Mondays about my walking goal". '
    'You can also say "pause check-ins for a week", "change the time to 8pm" or "stop check-ins".'
)
STOPPED = "Done: no more check-ins. You can start them again any time by asking me to remind you."
NOTHING_TO_STOP = "You don't have any check-ins set up, so there's nothing to stop."
NONE_YET = 'You don\'t have any check-ins set up yet. Would you like some? For example: "remind me to log my pain every evening at 7".'
STORAGE_PROBLEM = "Sorry, I can't change your check-ins just now. Nothing has changed; please try again in a few minutes."
NO_CHANGE_SAID = 'What would you like to change? For example "move my check-ins to 8pm" or "check in on Mondays and Thursdays instead".'


def zone_label(zone: str) -> str:
    """ "Europe/London" -> "London time"."""
    return zone.split("/")[-1].replace("_", " ") + " time"


def started(cadence: Cadence, asks: str, how_to_stop: str) -> str:
    return f"Done. I'll check in with you {cadence.describe()} ({zone_label(cadence.zone)}) and ask for {ASKS_IN_WORDS[asks]}. {how_to_stop}"


def changed(cadence: Cadence) -> str:
    return f"Done. Your check-ins are now {cadence.describe()} ({zone_label(cadence.zone)})."


def paused(until: datetime, cadence: Cadence) -> str:
    local = until.astimezone(cadence.tz)
    return (
        f"Paused: no check-ins until {local.strftime('%A')} {local.day} {local.strftime('%B')}. "
        f'After that they carry on {cadence.describe()}. Say "stop check-ins" to end them.'
    )


def resumed(cadence: Cadence) -> str:
    return f"Your check-ins are on: {cadence.describe()} ({zone_label(cadence.zone)})."
