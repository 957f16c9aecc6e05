"""Which curated content a message gets first: answer first, ask last.

The NLU ranks every intent. When the likeliest one is a topic the patient gets
that topic's answer, even if the classifier was not sure, as long as it is
likely enough; a second topic that came close is offered as a button ("You
might also want"). The "Did you mean one of these?" menu is kept for when no
topic is likely. Warning-sign and crisis topics are never delivered from a
guess here: the safety screening decides those, and a weak safety guess asks.
Both the actions and the evaluation (`make nlu-report`) use this one function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pacewise.content.model import topic_id_for_intent
from pacewise.safety.assessment import SAFETY_INTENTS

# The likeliest topic is answered from this confidence (nlu_fallback or not). Chosen on the
# development set (heldout.yml): 0.3 -> 0.25 answered two of its 398 clear questions that got the
# menu (one rightly), and gave no off-topic message content; 0.2 gave one off-topic message content.
ANSWER_MIN_CONFIDENCE = 0.25
# A second topic is offered when it has at least this confidence ...
ALSO_MIN_CONFIDENCE = 0.1
# ... and at least this share of the first topic's confidence.
ALSO_MIN_RATIO = 0.3
# A topic needs at least this confidence to be offered in the menu.
MENU_MIN_CONFIDENCE = 0.1
NLU_FALLBACK = "nlu_fallback"
# A message that gives a score or reports a session and also asks something is about that question when,
# those set aside, one topic holds at least this share of the confidence left (leading_topic). 0.4, not
# 0.5 (session 18): "my knee is usually a 4. whats actually going on, why wont it stop" was only logged;
# on the held-out sets one more question (round 11) is answered and nothing else moves.
QUESTION_TOPIC_SHARE = 0.4
# Intents whose action, besides its own work, sends a topic's answer: a flare the
# patient reports gets the flare-up content too (actions/goals/actions.py).
TOPIC_ANSWERED_WITH = {"report_flare": "flare_ups"}


@dataclass(frozen=True)
class Route:
    """What to send: a topic's answer (plus maybe one more topic), or the menu of candidates."""

    answer: str | None = None
    also: str | None = None
    candidates: tuple[str, ...] = field(default_factory=tuple)

    @property
    def asks(self) -> bool:
        return self.answer is None


def _ranked(ranking: Iterable[dict[str, Any]]) -> list[tuple[str, float]]:
    entries = [(str(entry.get("name")), float(entry.get("confidence") or 0.0)) for entry in ranking if entry.get("name") != NLU_FALLBACK]
    return sorted(entries, key=lambda entry: entry[1], reverse=True)


def _topic(intent: str, known_topics: set[str]) -> str | None:
    topic = topic_id_for_intent(intent)
    return topic if topic in known_topics else None


def leading_topic(ranking: Iterable[dict[str, Any]], known_topics: Iterable[str], min_share: float, ignore: Iterable[str] = ()) -> tuple[str, float] | None:
    """The likeliest intent and its share of the confidence left once the `ignore` intents are set
    aside, when it is a known topic's intent with at least `min_share`; never a safety topic.

    Why a share: "My pain is 9 today. How do I get through a flare?" gives the
    pain diary most of the confidence; what is left says which topic the
    question is about.
    """
    skipped = set(ignore)
    ranked = [(name, confidence) for name, confidence in _ranked(ranking) if name not in skipped]
    remaining = sum(confidence for _, confidence in ranked)
    if not ranked or remaining <= 0 or ranked[0][0] in SAFETY_INTENTS or ranked[0][1] / remaining < min_share:
        return None
    intent, confidence = ranked[0]
    return (intent, confidence / remaining) if _topic(intent, set(known_topics)) else None


def route(intent: str | None, ranking: Iterable[dict[str, Any]], known_topics: Iterable[str]) -> Route:
    """Decide the first reply to a topic question or an unsure parse.

    `intent` is the NLU's final intent (possibly nlu_fallback), `ranking` its
    intent ranking, `known_topics` the content ids that can be served now.
    """
    known = set(known_topics)
    # Topics whose content cannot be served now (a broken file) are passed over.
    ranked = [(name, confidence) for name, confidence in _ranked(ranking) if topic_id_for_intent(name) is None or name in SAFETY_INTENTS or _topic(name, known)]
    if intent and intent != NLU_FALLBACK and intent not in SAFETY_INTENTS and _topic(intent, known):
        # The classifier (or a deterministic rule) chose this topic outright.
        first = _topic(intent, known)
        first_confidence = next((confidence for name, confidence in ranked if name == intent), 1.0)
    elif ranked and ranked[0][0] not in SAFETY_INTENTS and _topic(ranked[0][0], known) and ranked[0][1] >= ANSWER_MIN_CONFIDENCE:
        first, first_confidence = _topic(ranked[0][0], known), ranked[0][1]
    else:
        candidates = tuple(topic for name, confidence in ranked if confidence >= MENU_MIN_CONFIDENCE and (topic := _topic(name, known)))
        return Route(candidates=candidates)

    also = None
    for name, confidence in ranked:
        topic = _topic(name, known)
        if topic is None or topic == first:
            continue
        # Only the runner-up topic is considered, and never a safety topic from a guess.
        if name not in SAFETY_INTENTS and confidence >= ALSO_MIN_CONFIDENCE and confidence >= ALSO_MIN_RATIO * first_confidence:
            also = topic
        break
    return Route(answer=first, also=also)
