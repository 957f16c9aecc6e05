"""Where it hurts and what the patient was doing, picked out of their own words (optional diary extras)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Longest phrases first, so "lower back" wins over "back".
BODY_PARTS = (
    "lower back",
    "upper back",
    "middle back",
    "back",
    "neck",
    "shoulders",
    "shoulder",
    "knees",
    "knee",
    "hips",
    "hip",
    "ankles",
    "ankle",
    "feet",
    "foot",
    "wrists",
    "wrist",
    "hands",
    "hand",
    "elbow",
    "legs",
    "leg",
    "arms",
    "arm",
    "jaw",
    "head",
    "buttock",
    "joints",
)
ACTIVITIES = (
    "walking",
    "walk",
    "gardening",
    "housework",
    "cleaning",
    "hoovering",
    "vacuuming",
    "cooking",
    "shopping",
    "driving",
    "sitting",
    "standing",
    "lifting",
    "working",
    "work",
    "exercise",
    "exercises",
    "exercising",
    "stretches",
    "swimming",
    "cycling",
    "running",
    "yoga",
    "sleeping",
    "playing",
    "dancing",
)


def _find(text: str, words: Iterable[str]) -> str | None:
    lowered = text.lower()
    for word in sorted(words, key=len, reverse=True):
        if re.search(rf"\b{re.escape(word)}\b", lowered):
            return word
    return None


def body_location(text: str) -> str | None:
    return _find(text, BODY_PARTS)


def activity_mentioned(text: str, extra_activities: Iterable[str] = ()) -> str | None:
    return _find(text, (*ACTIVITIES, *extra_activities))
