"""Combine the rule-based screening, the meaning check and the intent classifier, erring on the side of safety.

- A rule that fires always escalates, whatever the classifier thinks.
- A sentence close in meaning to a clinician's description of a red flag or
  of despair (components/safety/meaning.py) escalates from `meaning` similarity.
- The classifier alone escalates when it gives a red-flag or crisis intent at
  least `model` confidence; from `corroborated_model` confidence when the
  meaning check points the same way (at least `meaning_support` similarity).
- Neither the classifier nor the meaning check escalates a category in which
  the rules explained the risky words away (an idiom such as "killing me", or
  a negation such as "no numbness").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components.safety.detector import SAFETY_CATEGORIES, Screening
from components.safety.meaning import MeaningMatch
from pacewise.safety.assessment import CATEGORY_FOR_INTENT, EMERGENCY, SAFETY_INTENTS, SAME_DAY, SafetyAssessment


@dataclass(frozen=True)
class Thresholds:
    model: float = 0.8
    corroborated_model: float = 0.3
    meaning: float = 0.75
    meaning_support: float = 0.55


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


def decide(
    screening: Screening,
    intent_ranking: list[dict[str, Any]],
    thresholds: Thresholds,
    meaning: dict[str, MeaningMatch] | None = None,
) -> SafetyAssessment | None:
    meaning = {category: match for category, match in (meaning or {}).items() if category not in screening.defused}
    guess = strongest_safety_guess(intent_ranking)
    model_category = None
    if guess and guess.category not in screening.defused:
        support = meaning.get(guess.category)
        if guess.confidence >= thresholds.model or (
            guess.confidence >= thresholds.corroborated_model and support is not None and support.similarity >= thresholds.meaning_support
        ):
            model_category = guess.category
    meaning_hits = {category: match for category, match in meaning.items() if match.similarity >= thresholds.meaning}
    found = {
        "rules": set(screening.categories()),
        "meaning": set(meaning_hits),
        "model": {model_category} if model_category else set(),
    }
    categories = [c for c in SAFETY_CATEGORIES if any(c in sources for sources in found.values())]
    if not categories:
        return None
    rules = {category: screening.rules(category) for category in found["rules"]}
    for category, match in meaning_hits.items():
        rules.setdefault(category, []).append(match.rule)
    return SafetyAssessment(
        categories=tuple(categories),
        detected_by="+".join(source for source, hits in found.items() if hits),
        urgency=_most_urgent(screening.urgency(), meaning_hits.get("red_flag")),
        rules=rules,
        model_confidence=round(guess.confidence, 4) if guess else None,
    )


def _most_urgent(rule_urgency: str | None, meaning_red_flag: MeaningMatch | None) -> str | None:
    urgencies = {rule_urgency, meaning_red_flag.urgency if meaning_red_flag else None}
    return next((urgency for urgency in (EMERGENCY, SAME_DAY) if urgency in urgencies), None)
