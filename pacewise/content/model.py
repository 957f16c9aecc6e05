"""The content model: a topic written by clinicians and the sources behind it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

TOPIC_INTENT_PREFIX = "ask_"


def intent_for_topic(topic_id: str) -> str:
    """Name of the NLU intent that asks for a topic (one intent per topic)."""
    return f"{TOPIC_INTENT_PREFIX}{topic_id}"


def topic_id_for_intent(intent: str | None) -> str | None:
    """The topic an intent asks for, or None when it is not a topic intent."""
    if intent and intent.startswith(TOPIC_INTENT_PREFIX):
        return intent[len(TOPIC_INTENT_PREFIX) :]
    return None


@dataclass(frozen=True)
class Source:
    authors: str
    year: int
    title: str
    container: str  # the journal, or the publisher for guidance and web pages
    doi: str | None = None
    url: str | None = None

    @property
    def link(self) -> str | None:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url

    def citation(self) -> str:
        """A short reference a patient can follow, e.g. 'Smith BE et al. (2017) ...'."""
        names = [name.strip() for name in self.authors.split(",") if name.strip()]
        names = [name for name in names if name.lower().rstrip(".") != "et al"]
        authors = names[0] + " et al." if len(names) > 2 else " and ".join(names)
        text = f"{authors} ({self.year}). {self.title.rstrip('.')}. {self.container}."
        return f"{text} {self.link}" if self.link else text


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    short_answer: str
    more: str
    related: tuple[str, ...]
    sources: tuple[Source, ...]
    reviewed_by: str
    review_due: date
    examples: tuple[str, ...]
    show_in_menu: bool = True
    emergency_advice: str = ""  # red_flags only: what to do now for emergency signs
    same_day_advice: str = ""  # red_flags only: what to do now for same-day signs
    path: Path = field(default=Path(), compare=False)

    @property
    def intent(self) -> str:
        return intent_for_topic(self.id)


# Placeholders a content file may use; content/settings/deployment.yml fills
# them in, so one set of files serves any country.
PLACEHOLDERS = ("emergency_number", "emergency", "urgent_line", "same_day", "crisis_number", "crisis_line", "mental_health_line", "poison_line")
# content/settings/pacing.yml fills these, so a number a physiotherapist changes there changes
# every sentence that states it (after_flare_plan is the after_flare choice in words).
PACING_PLACEHOLDERS = ("first_goal_percent", "weekly_step_percent", "sessions_per_week", "baseline_reports_needed", "pain_tolerance_points", "after_flare_plan")
TOPIC_PLACEHOLDERS = PLACEHOLDERS + PACING_PLACEHOLDERS
PLACEHOLDER_PATTERN = re.compile(r"\{([A-Za-z_ ]*)\}")


def unknown_placeholders(text: str, known: tuple[str, ...] = PLACEHOLDERS) -> list[str]:
    """Names in {braces} that are not placeholders, in order of appearance."""
    return [name for name in PLACEHOLDER_PATTERN.findall(text) if name not in known]
