"""Pain diary figures in words: averages, ranges, trends and how a new score compares."""

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


TREND_WORDS = {
    "lower": "your scores have been coming down",
    "higher": "your scores have been going up",
    "steady": "your scores have been fairly steady",
}


def describe(summary: PeriodSummary) -> str:
    period = "week" if summary.days == 7 else f"{summary.days} days"
    if summary.count == 0:
        return f"Last {period}: no entries."
    entries = "1 entry" if summary.count == 1 else f"{summary.count} entries"
    text = f"Last {period}: {entries}, average {one_decimal(summary.average or 0)} out of 10"
    if summary.count > 1:
        text += f" (lowest {summary.lowest}, highest {summary.highest})"
    if summary.trend:
        text += f"; {TREND_WORDS[summary.trend]}"
    return text + "."


def compared_with_recent(score: int, recent_scores: Sequence[int], notable_points: int) -> str | None:
    """A sentence when the new score differs from the recent average by at least notable_points."""
    if not recent_scores:
        return None
    average = fmean(recent_scores)
    difference = score - average
    if abs(difference) < notable_points:
        return None
    direction = "higher" if difference > 0 else "lower"
    return f"That's {one_decimal(abs(difference))} points {direction} than your recent average of {one_decimal(average)}."
