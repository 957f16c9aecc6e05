"""Send the check-ins that are due, each once, whichever server runs this and however often.

Run by any number of servers at once (a loop every minute or so): each due
check-in is claimed in the database before anything is sent (at most one
claim per patient and due time, pacewise/storage/checkins.py), so a
check-in goes out once even with several schedulers, and a restart never
repeats one. A check-in missed while everything was down is sent late once,
or skipped (and logged) when it is more than `late_limit` late: a "how was
your pain this evening?" at 3 in the morning helps nobody. A server that
dies between claiming and sending loses that one check-in rather than
risking a second, unasked-for message; the claim row says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pacewise.storage import checkins as store
from pacewise.storage.checkins import CheckIn

logger = logging.getLogger(__name__)

LATE_LIMIT = timedelta(hours=3)
# A claim still "sending" after this long belongs to a scheduler that died: its check-in is given up
# (never sent twice) and the schedule moves on, so the patient's next check-ins still come.
CLAIM_TIMEOUT = timedelta(minutes=5)


@dataclass(frozen=True)
class SendResult:
    sent: bool
    reason: str = ""  # why not, when not sent (outside WhatsApp's 24-hour window, a provider error)
    held: bool = False  # kept for the patient's next visit (the website chat), not sent now


Send = Callable[[CheckIn], SendResult]


def run_due(now: datetime, send: Send, late_limit: timedelta = LATE_LIMIT) -> list[tuple[str, str]]:
    """Handle every check-in due by `now`; returns (patient key, outcome) for those this call handled."""
    handled: list[tuple[str, str]] = []
    for check_in in store.due_check_ins(now):
        if not store.claim(check_in.patient_key, check_in.next_due_at, now):
            _move_on_if_abandoned(check_in, now)
            continue
        current = store.check_in_for(check_in.patient_key)  # read again: the patient may have stopped or paused just now
        if current is None or current.next_due_at != check_in.next_due_at:
            outcome, reason = "skipped_changed", "stopped or changed since it fell due"
        else:
            outcome, reason = _decide(current, now, send, late_limit)
        store.record_outcome(check_in.patient_key, check_in.next_due_at, outcome, reason, now)
        store.advance(check_in, now)
        handled.append((check_in.patient_key, outcome))
        if outcome != "sent":
            logger.info("Check-in due %s not sent: %s (%s)", check_in.next_due_at.isoformat(), outcome, reason)
    return handled


def _move_on_if_abandoned(check_in: CheckIn, now: datetime) -> None:
    """Another scheduler claimed this check-in: leave it to them, unless they finished or died without moving the schedule on."""
    state = store.claim_state(check_in.patient_key, check_in.next_due_at)
    if state is None:
        return
    outcome, decided_at = state
    if outcome != "sending" or now - decided_at > CLAIM_TIMEOUT:
        logger.warning("Check-in due %s was claimed and left (%s); moving the schedule on", check_in.next_due_at.isoformat(), outcome)
        store.advance(check_in, now)


def _decide(check_in: CheckIn, now: datetime, send: Send, late_limit: timedelta) -> tuple[str, str]:
    if check_in.paused_until is not None and check_in.next_due_at < check_in.paused_until:
        return "skipped_paused", f"paused until {check_in.paused_until.isoformat()}"
    late = now - check_in.next_due_at
    if late > late_limit:
        return "skipped_late", f"{late.total_seconds() / 3600:.1f} hours late"
    try:
        result = send(check_in)
    except Exception:  # a provider's failure must not stop the other patients' check-ins
        logger.exception("Sending a check-in failed")
        return "not_sent", "the channel failed"
    if result.held:
        return "held", result.reason
    return ("sent", "") if result.sent else ("not_sent", result.reason or "the channel refused it")
