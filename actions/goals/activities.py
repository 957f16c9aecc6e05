"""Recognising the activity a patient means ("walk", "my walking", "gardening") from the settings' list."""

from __future__ import annotations

import re
from collections.abc import Iterable

CUSTOM_ACTIVITY_MAX_WORDS = 4
DEFAULT_UNIT = "minutes"


def _forms(name: str) -> set[str]:
    """walking -> walk; sitting -> sit; cycling -> cycle; exercises -> exercise."""
    forms = {name, name.rstrip("s")}
    if name.endswith("ing"):
        base = name[:-3]
        forms |= {base, base + "e"}
        if len(base) > 2 and base[-1] == base[-2]:
            forms.add(base[:-1])
    return {form for form in forms if len(form) > 2}


def find_activity(text: str, activities: Iterable[str]) -> str | None:
    """The first known activity named in the text, by its settings name."""
    lowered = text.lower()
    for name in activities:
        pattern = "|".join(re.escape(form) for form in sorted(_forms(name), key=len, reverse=True))
        if re.search(rf"\b(?:{pattern})(?:s|es|ed|ing)?\b", lowered):
            return name
    return None


# Short replies that are not an activity: never stored as the name of the patient's plan.
NOT_AN_ACTIVITY = re.compile(
    r"^(not sure|unsure|don'?t know|dunno|idk|no idea|nothing|anything|whatever|any|hmm+|um+|er+|ok|okay|yes|yeah|no|nope|maybe|"
    r"you choose|you pick|you decide|up to you|not sure really|i don'?t mind|none|thanks|thank you|hi|hello)$"
)


def custom_activity(text: str) -> str | None:
    """A short activity of the patient's own ("playing golf"), when it is not one of the listed ones;
    not a question, an "I'm not sure" or a yes or no."""
    words = re.findall(r"[a-z][a-z'-]*", text.lower())
    if not words or len(words) > CUSTOM_ACTIVITY_MAX_WORDS or re.search(r"[\d?]", text) or NOT_AN_ACTIVITY.match(" ".join(words)):
        return None
    return " ".join(words)
