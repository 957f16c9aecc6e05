"""What the safety screening decided about one message.

The NLU component (components/safety_screen.py) writes it into the parsed
message under "safety"; the safety action reads it back from the tracker.
These names are shared by both sides, so they live here and nowhere else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from pacewise.content.model import intent_for_topic

SAFETY_PARSE_KEY = "safety"
ACTION_SAFETY_RESPONSE = "action_safety_response"

CRISIS = "crisis"
RED_FLAG = "red_flag"
# Contract: the content id delivered (and put in slot `topic`) for each category.
TOPIC_FOR_CATEGORY = {CRISIS: "crisis_support", RED_FLAG: "red_flags"}
CATEGORY_FOR_INTENT = {intent_for_topic(topic): category for category, topic in TOPIC_FOR_CATEGORY.items()}
SAFETY_INTENTS = frozenset(CATEGORY_FOR_INTENT)
MEDICATION_TOPIC = "medication"
COMING_OFF_MEDICINES_TOPIC = "coming_off_medicines"
# Medicine topics whose text never gives a dose and sends dose changes to the prescriber.
DOSE_SAFE_TOPICS = (MEDICATION_TOPIC, COMING_OFF_MEDICINES_TOPIC)

EMERGENCY = "emergency"
SAME_DAY = "same_day"


@dataclass(frozen=True)
class SafetyAssessment:
    categories: tuple[str, ...]  # most urgent first: crisis before red_flag
    detected_by: str  # "rules", "model" or "rules+model"
    urgency: str | None = None  # for red flags found by rule: "emergency" or "same_day"
    rules: dict[str, list[str]] = field(default_factory=dict)  # category -> names of the rules that fired
    model_confidence: float | None = None

    @property
    def primary_category(self) -> str:
        return self.categories[0]

    @property
    def intent(self) -> str:
        return intent_for_topic(TOPIC_FOR_CATEGORY[self.primary_category])

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["categories"] = list(self.categories)
        return data

    @classmethod
    def from_parse_data(cls, parse_data: dict[str, Any] | None) -> SafetyAssessment | None:
        """The assessment stored with a parsed message, or None (e.g. a button press)."""
        data = (parse_data or {}).get(SAFETY_PARSE_KEY)
        if not isinstance(data, dict) or not data.get("categories"):
            return None
        categories = tuple(category for category in data["categories"] if category in TOPIC_FOR_CATEGORY)
        if not categories:
            return None
        return cls(
            categories=categories,
            detected_by=str(data.get("detected_by") or "rules"),
            urgency=data.get("urgency") if data.get("urgency") in (EMERGENCY, SAME_DAY) else None,
            rules={str(key): [str(rule) for rule in value] for key, value in (data.get("rules") or {}).items()},
            model_confidence=data.get("model_confidence"),
        )


def category_for_intent(intent: str | None) -> str | None:
    return CATEGORY_FOR_INTENT.get(intent or "")


def topic_for_category(category: str) -> str:
    return TOPIC_FOR_CATEGORY[category]
