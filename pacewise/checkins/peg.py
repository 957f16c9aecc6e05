"""The PEG-3 scale (Krebs et al. 2009, J Gen Intern Med 24:733-738; public domain): three items,
each 0 to 10, over the past week: average pain (P), interference with enjoyment of life (E),
interference with general activity (G). The score is their mean.

Change is read against the first score: a fall of 30% or more is the usual
threshold for a meaningful improvement in chronic pain (the PEG paper
reports the scale responsive to change; 30% is the IMMPACT benchmark for a
moderately important change, Dworkin et al. 2008, J Pain 9:105-121).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

ITEMS = ("pain", "enjoyment", "activity")
MEANINGFUL_FALL = 0.30


@dataclass(frozen=True)
class PegAnswers:
    pain: int
    enjoyment: int
    activity: int

    def __post_init__(self) -> None:
        for item in ITEMS:
            value = getattr(self, item)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
                raise ValueError(f"PEG {item} must be a whole number from 0 to 10, not {value!r}")

    @property
    def score(self) -> float:
        """The PEG score: the mean of the three items, to one decimal place."""
        return round((self.pain + self.enjoyment + self.activity) / 3, 1)


@dataclass(frozen=True)
class PegProgress:
    first: float
    latest: float
    first_at: datetime
    latest_at: datetime
    responses: int

    @property
    def weeks(self) -> int:
        return round((self.latest_at - self.first_at).days / 7)

    @property
    def change(self) -> float:
        """The relative change from the first score (-0.22 is a 22% fall); 0 when the first was 0."""
        return (self.latest - self.first) / self.first if self.first else 0.0

    @property
    def meaningful_improvement(self) -> bool:
        return self.responses > 1 and self.first > 0 and -self.change >= MEANINGFUL_FALL


def progress(history: list[tuple[datetime, PegAnswers]]) -> PegProgress | None:
    """First and latest score of a patient's PEG history (any order); None before the first."""
    if not history:
        return None
    ordered = sorted(history, key=lambda entry: entry[0])
    (first_at, first), (latest_at, latest) = ordered[0], ordered[-1]
    return PegProgress(first.score, latest.score, first_at, latest_at, len(ordered))
