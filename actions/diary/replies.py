"""What the bot says in the pain diary: asking for and logging a score, its details, and the summary."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from actions.diary.summary import PeriodSummary, one_decimal

SCALE = "0 means no pain and 10 the worst pain you can imagine"
FLARE_BUTTON = {"title": "Coping with a flare-up", "payload": "/ask_flare_ups"}
SUMMARY_BUTTON = {"title": "How has my pain been?", "payload": "/ask_pain_summary"}
LOG_BUTTON = {"title": "Log my pain", "payload": "/log_pain"}
SKIP_BUTTON = {"title": "Skip", "payload": "skip"}

ASK_SCORE = f"How bad is your pain right now, from 0 to 10? {SCALE[0].upper()}{SCALE[1:]}."
# The widget shows its 0-10 scale for a message carrying this; other channels show the text only.
PAIN_SCALE_INPUT = {"pacewise": {"input": "pain_scale", "min": 0, "max": 10}}
NO_ENTRIES = 'You haven\'t logged any pain scores in the last 30 days. You can tell me any time, like "my pain is 4 today".'
SAVE_FAILED = "Sorry, I couldn't save that just now, so nothing was logged. Please try again in a few minutes."
ADD_FAILED = "Sorry, I couldn't add that just now, but your score is logged."
ASK_DETAILS = 'If you like, add where it hurts or what you were doing, like "lower back, after gardening". Or tap Skip.'
DETAILS_HINT = 'Just a few words will do, like "lower back, after gardening". Or say skip.'
GO_AHEAD = "Go ahead: where does it hurt, or what were you doing?"
NEED_A_NUMBER = f"I need a whole number from 0 to 10, where {SCALE}. For example: 4."
DETAILS_ADDED = "Thanks, I've added that to today's entry."
HIGH_SCORE = "That's a high score, and I'm sorry it's so hard today. A flare-up plan can help you through it."
DIARY_UNREADABLE = "Sorry, I can't read your pain diary just now. Please try again in a few minutes."


def off_scale(given: str) -> str:
    return f"{given} isn't on the scale: it runs from 0 to 10, where {SCALE}."


def which_is_closer(low: str, high: str) -> str:
    return f"The scale uses whole numbers, so which is closer right now: {low} or {high}?"


def score_kept(score: int) -> str:
    return f"OK, your {score} out of 10 is logged."


def diary_summary(last_week: str, last_month: str) -> str:
    return "Here's your pain diary:\n- " + last_week + "\n- " + last_month


DIARY_STOPPED = "No problem, I've stopped. No pain score was logged."
DIARY_SET_ASIDE = "OK, let's leave the pain score for now."


def stopped_with_score_kept(kept: str) -> str:
    return f"No problem. {kept}"


def score_logged(score: int) -> str:
    """Said when this form stored the score already (stopping or setting the form aside keeps it)."""
    return f"Your pain score of {score} out of 10 is logged."


def logged(score: int, earlier_unconfirmed: int | None) -> list[str]:
    lines = [f"Thanks, I've logged your pain as {score} out of 10."]
    if earlier_unconfirmed is not None:
        lines.append(f"The {earlier_unconfirmed} out of 10 you sent a little earlier is in your diary too.")
    return lines


def earlier_score_saved(score: int) -> str:
    return f"By the way, the pain score of {score} out of 10 you sent a little earlier is saved in your diary, though my reply to it may not have reached you."


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


# The pain diary chart's words (chart.py draws it).
CHART_NO_ENTRIES = "No entries yet"
CHART_AXIS = "Pain (0-10)"


def chart_title(days: int) -> str:
    return f"Your pain scores, last {days} days"
