"""Pain diary figures: averages, ranges and trends over a period (replies.py puts them into words)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean

# A trend needs a few entries, and a change of at least a point between the
# first and second half of the period, before it is worth saying.
TREND_MIN_ENTRIES = 4
TREND_MIN_CHANGE = 1.0

Scores = Sequence[tuple[datetime, int]]


@dataclass(frozen=True)
class PeriodSummary:
    days: int
    count: int
    average: float | None = None
    lowest: int | None = None
    highest: int | None = None
    trend: str | None = None  # "lower", "higher", "steady", or None when there is too little to tell


def summarise(entries: Scores, now: datetime, days: int) -> PeriodSummary:
    scores = [score for moment, score in sorted(entries) if now - timedelta(days=days) <= moment <= now]
    if not scores:
        return PeriodSummary(days, 0)
    return PeriodSummary(days, len(scores), fmean(scores), min(scores), max(scores), _trend(scores))


def _trend(scores: Sequence[int]) -> str | None:
    if len(scores) < TREND_MIN_ENTRIES:
        return None
    half = len(scores) // 2
    change = fmean(scores[-half:]) - fmean(scores[:half])
    if change <= -TREND_MIN_CHANGE:
        return "lower"
    if change >= TREND_MIN_CHANGE:
        return "higher"
    return "steady"


def one_decimal(value: float) -> str:
    """7.0 -> "7", 6.25 -> "6.3": how people say averages."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
