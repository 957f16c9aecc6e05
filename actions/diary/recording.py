"""Storing a pain score the patient gave: exactly once, and said back to them.

Used by the pain form (actions/diary/actions.py) and by the topic answers,
which log a score given together with a question ("6 today, what do I do in a
flare?") before answering it (actions/topics.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.diary import replies
from actions.diary.context import activity_mentioned, body_location
from actions.diary.unconfirmed import LAST_ENTRY_SLOT, PAIN_SCORE_SLOT, unconfirmed_entry
from actions.patients import patient_key_for
from actions.replies import say
from pacewise.storage.pain_diary import PainEntry, add_pain_entry, pain_entries, update_pain_context

logger = logging.getLogger(__name__)

RECENT = timedelta(days=30)


@dataclass(frozen=True)
class Recorded:
    entry_id: int
    earlier_unconfirmed: int | None  # a different score stored before, whose confirmation was lost
    recent_scores: list[int]  # the scores of the last 30 days before this one


def record_score(key: str, entry: PainEntry, confirmed_id: Any) -> Recorded:
    """Store a score once (actions/diary/unconfirmed.py): a re-sent score whose confirmation was
    lost updates that entry instead of adding a duplicate."""
    unconfirmed = unconfirmed_entry(key, confirmed_id, entry.logged_at)
    recent = [earlier.score for earlier in pain_entries(key, since=entry.logged_at - RECENT)]
    if unconfirmed is not None and unconfirmed.entry.score == entry.score:
        update_pain_context(key, unconfirmed.id, entry)
        return Recorded(unconfirmed.id, None, recent[:-1])
    earlier = unconfirmed.entry.score if unconfirmed is not None else None
    return Recorded(add_pain_entry(key, entry), earlier, recent)


def logged_lines(recorded: Recorded, score: int) -> list[str]:
    return replies.logged(score, recorded.earlier_unconfirmed)


def stored_events(recorded: Recorded, score: int) -> list[dict[str, Any]]:
    """The contract slots: `pain_score` is set in the reply that acknowledges the score."""
    return [SlotSet(PAIN_SCORE_SLOT, score), SlotSet(LAST_ENTRY_SLOT, str(recorded.entry_id))]


def log_score_given_with_a_question(dispatcher: CollectingDispatcher, tracker: Tracker, score: int) -> list[dict[str, Any]] | None:
    """Store a score the patient gave in the same message as a question, and say so (the answer follows).

    Where it hurts or what they were doing, if the message says, goes with it. None when it could
    not be stored: the caller then offers to log it instead, so nothing is lost silently.
    """
    text = tracker.latest_message.get("text") or ""
    entry = PainEntry(score, datetime.now(timezone.utc), body_location(text), activity_mentioned(text))
    try:
        recorded = record_score(patient_key_for(tracker), entry, tracker.get_slot(LAST_ENTRY_SLOT))
    except Exception:
        logger.exception("Could not store a pain entry given with a question")
        return None
    say(dispatcher, " ".join(logged_lines(recorded, score)))
    return stored_events(recorded, score)
