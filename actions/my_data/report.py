"""The progress report a patient takes to their physiotherapist: one printable HTML page of what they entered.

Pain diary (chart and figures), PEG-3 scores and their change, each activity
plan's baseline, current level and sessions done, the flare-ups reported
while a plan ran, and the topics read; the clinicians choose which
(content/settings/check_ins.yml).
Nothing is inferred or interpreted: no diagnosis, no advice, only the
patient's own entries, dated. The page is self-contained (the chart is inline,
no script, no font or file fetched) so it opens and prints anywhere.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from actions.diary.chart import render_pain_chart
from actions.goals.plan import FLARE_OUTCOMES
from actions.goals.replies import amount_text, session_goal
from pacewise.checkins.peg import PegAnswers, progress
from pacewise.content import default_library
from pacewise.content.model import Topic
from pacewise.content.pacing_settings import pacing_settings
from pacewise.storage.goals import active_goals, goal_changes, session_times
from pacewise.storage.pain_diary import pain_entries
from pacewise.storage.peg import peg_history
from pacewise.storage.topics_read import topics_read

REPORT_DAYS = 90


@dataclass(frozen=True)
class GoalLine:
    activity: str
    started: datetime
    baseline: str
    current: str
    sessions_done: int


@dataclass(frozen=True)
class ReportData:
    pain: list[tuple[datetime, int]]
    peg: list[tuple[datetime, PegAnswers]]
    goals: list[GoalLine]
    flares: list[datetime]
    topics: list[tuple[str, datetime, int]] = field(default_factory=list)  # title, first read, times

    @property
    def empty(self) -> bool:
        return not (self.pain or self.peg or self.goals)


def gather(patient_key: str, now: datetime, days: int = REPORT_DAYS) -> ReportData:
    """The patient's own entries for the report (the last `days` days of the diary; every PEG and active plan)."""
    pacing = pacing_settings()
    pain = [(entry.logged_at, entry.score) for entry in pain_entries(patient_key, since=now - timedelta(days=days))]
    goals, flares = [], set()
    for goal in active_goals(patient_key):
        goals.append(GoalLine(goal.activity, goal.started_at, amount_text(goal, goal.baseline), session_goal(goal, pacing), len(session_times(goal))))
        flares |= {change.changed_at for change in goal_changes(goal) if change.reason in FLARE_OUTCOMES}
    library = default_library().snapshot()
    topics = [(_title(library.get(read.topic_id), read.topic_id), read.first_read_at, read.times) for read in topics_read(patient_key)]
    return ReportData(pain, peg_history(patient_key), goals, sorted(flares), topics)


def _title(topic: Topic | None, topic_id: str) -> str:
    """The topic's title today; a topic since removed from content/ by its id, made readable."""
    return topic.title if topic is not None else topic_id.replace("_", " ").capitalize()


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment.strftime('%b %Y')}"


def _pain_section(data: ReportData, now: datetime, days: int) -> str:
    if not data.pain:
        return "<p>No pain scores entered in this period.</p>"
    chart = base64.b64encode(render_pain_chart(data.pain, now, days=days)).decode("ascii")
    scores = [score for _, score in data.pain]
    first, last = data.pain[:7], data.pain[-7:]
    average = lambda entries: sum(score for _, score in entries) / len(entries)  # noqa: E731
    rows = [
        ("Scores entered", f"{len(scores)}, from {_day(data.pain[0][0])} to {_day(data.pain[-1][0])}"),
        ("Average of all", f"{sum(scores) / len(scores):.1f} out of 10 (lowest {min(scores)}, highest {max(scores)})"),
    ]
    if len(scores) >= 2 * len(first):  # two separate weeks' worth to compare
        rows.append(("Average of the first and last 7 entered", f"{average(first):.1f} and {average(last):.1f}"))
    return f'<img alt="Pain scores over the last {days} days, 0 to 10" src="data:image/png;base64,{chart}">' + _table(rows)


def _peg_section(data: ReportData) -> str:
    if not data.peg:
        return "<p>The PEG-3 questionnaire was not answered.</p>"
    rows = [
        (_day(at), f"{answers.score:.1f} (pain {answers.pain}, enjoyment of life {answers.enjoyment}, general activity {answers.activity})")
        for at, answers in data.peg
    ]
    summary = progress(data.peg)
    note = ""
    if summary is not None and summary.responses > 1:
        direction = "fall" if summary.change < 0 else "rise" if summary.change > 0 else "change"
        note = f"<p>From {summary.first:.1f} to {summary.latest:.1f} over {summary.weeks} weeks: a {direction} of {abs(round(summary.change * 100))}%"
        note += " (a fall of 30% or more is usually counted as a meaningful improvement).</p>"
    return _table(rows, ("Date", "PEG score, 0 to 10")) + note


def _goals_section(data: ReportData) -> str:
    if not data.goals:
        return "<p>No activity plan.</p>"
    rows = [(goal.activity.capitalize(), _day(goal.started), goal.baseline, goal.current, str(goal.sessions_done)) for goal in data.goals]
    return _table(rows, ("Activity", "Started", "Baseline", "Current session goal", "Sessions done"))


def _flares_section(data: ReportData) -> str:
    if not data.flares:
        return "<p>No flare-ups reported while an activity plan was running.</p>"
    return f"<p>Reported on {', '.join(_day(moment) for moment in data.flares)}.</p>"


def _topics_section(data: ReportData) -> str:
    if not data.topics:
        return "<p>No topics read here yet.</p>"
    rows = [(title, _day(first), "once" if times == 1 else f"{times} times") for title, first, times in data.topics]
    return _table(rows, ("Topic", "First read", "Read"))


def _table(rows: Sequence[Sequence[str]], header: Sequence[str] | None = None) -> str:
    head = "<tr>" + "".join(f"<th>{html.escape(cell)}</th>" for cell in header) + "</tr>" if header else ""
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table>{head}{body}</table>"


TITLES = {
    "pain_diary": "Pain diary",
    "peg": "PEG-3 questionnaire",
    "activity_goals": "Activity plans",
    "flare_ups": "Flare-ups",
    "topics_read": "Topics read in Pacewise",
}
STYLE = """
@page { size: A4; margin: 15mm; }
body { font-family: sans-serif; color: #1a1a1a; max-width: 760px; margin: 0 auto; padding: 16px; font-size: 14px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 16px; margin: 18px 0 6px; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; vertical-align: top; }
img { max-width: 100%; } .note { color: #555; font-size: 12px; }
"""


def render_report(data: ReportData, now: datetime, sections: Sequence[str], days: int = REPORT_DAYS) -> str:
    """The report as one HTML page."""
    parts = {
        "pain_diary": lambda: _pain_section(data, now, days),
        "peg": lambda: _peg_section(data),
        "activity_goals": lambda: _goals_section(data),
        "flare_ups": lambda: _flares_section(data),
        "topics_read": lambda: _topics_section(data),
    }
    body = "".join(f"<section><h2>{TITLES[name]}</h2>{parts[name]()}</section>" for name in sections if name in parts)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Pacewise progress report</title><style>{STYLE}</style></head><body>"
        f'<h1>Pacewise progress report</h1><p class="note">Made on {_day(now)}. Everything below was entered (or, for topics, read) by the patient in Pacewise '
        f"(pain diary: the last {days} days). It is a record to talk through with your physiotherapist, not a clinical assessment.</p>"
        f"{body}</body></html>"
    )
