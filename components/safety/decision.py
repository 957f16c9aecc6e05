"""Combine the rule-based screening with the intent classifier, erring on the side of safety.

- A rule that fires always escalates, whatever the classifier thinks.
- The classifier alone escalates when it gives a red-flag or crisis intent at
  least `model_threshold` confidence, unless the rules explained the risky
  words away in that category (an idiom such as "killing me", or a negation
  such as "no numbness").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from actions.safety.assessment import CATEGORY_FOR_INTENT, SAFETY_INTENTS, SafetyAssessment
from components.safety.detector import SAFETY_CATEGORIES, Screening


@dataclass(frozen=True)
class ModelGuess:
    category: str
    confidence: float


def strongest_safety_guess(intent_ranking: list[dict[str, Any]]) -> ModelGuess | None:
    """The classifier's most confident red-flag or crisis intent, if it ranked one."""
    guesses = [
        ModelGuess(CATEGORY_FOR_INTENT[entry["name"]], float(entry.get("confidence") or 0.0)) for entry in intent_ranking if entry.get("name") in SAFETY_INTENTS
    ]
    return max(guesses, key=lambda guess: guess.confidence, default=None)


def decide(screening: Screening, intent_ranking: list[dict[str, Any]], model_threshold: float) -> SafetyAssessment | None:
    guess = strongest_safety_guess(intent_ranking)
    model_category = guess.category if guess and guess.confidence >= model_threshold and guess.category not in screening.defused else None
    rule_categories = screening.categories()
    if rule_categories:
        categories = [c for c in SAFETY_CATEGORIES if c in rule_categories or c == model_category]
        detected_by = "rules+model" if model_category in rule_categories else "rules"
    elif model_category:
        categories, detected_by = [model_category], "model"
    else:
        return None
    return SafetyAssessment(
        categories=tuple(categories),
        detected_by=detected_by,
        urgency=screening.urgency(),
        rules={category: screening.rules(category) for category in rule_categories},
        model_confidence=round(guess.confidence, 4) if guess else None,
    )
