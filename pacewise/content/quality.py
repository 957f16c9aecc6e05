"""How easy a topic is to read, and whether its numbers agree with the settings (`make check-content`).

Patient information should read at a reading age of 9 to 11 (about grade 5 to 6
on the Flesch-Kincaid scale), so:
- a short answer above grade 7 is a warning that names its hardest sentences;
- a longer explanation above grade 8 is a notice;
- words from content/jargon.yml are a notice, unless the same sentence explains
  them in brackets or with "called";
- a percentage or a number of sessions written into a topic's text about the
  plans is a warning when it contradicts content/settings/pacing.yml, and a
  notice asking for the placeholder when it happens to agree.
Grades are measured on the text as patients read it (placeholders filled in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import textstat

from pacewise.content.model import Topic
from pacewise.content.pacing_settings import PacingSettings
from pacewise.content.problems import Problem, Severity, line_of
from pacewise.content.rendering import render
from pacewise.content.settings import UK_DEFAULTS
from pacewise.content.yaml_mapping import read_yaml_mapping

JARGON_FILE = Path("jargon.yml")
SHORT_ANSWER_MAX_GRADE = 7.0
DETAILS_MAX_GRADE = 8.0
HARD_SENTENCES_NAMED = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_MARKDOWN = re.compile(r"\*\*|__|`|^#+\s*|^\s*[-*]\s+|\[([^\]]*)\]\([^)]*\)", re.MULTILINE)
_EXPLAINED = re.compile(r"\(|\bcalled\b|\bcall it\b|\bmeans\b", re.IGNORECASE)
# "add 15% of your baseline each week": a number about the plans, which pacing.yml owns.
_PLAN_WORDS = re.compile(r"\b(plan|plans|goal|goals|baseline|step|steps|each week|every week|a week|start|starting)\b", re.IGNORECASE)
_PERCENT = re.compile(r"\b(\d{1,3})\s*(%|per ?cent)", re.IGNORECASE)
_SESSIONS = re.compile(r"\b(\d{1,2})\s+(planned\s+)?sessions\b", re.IGNORECASE)


@dataclass(frozen=True)
class Readability:
    grade: float
    hardest: list[tuple[float, str]]  # the sentences above the limit, hardest first


def plain_text(text: str, pacing: PacingSettings) -> str:
    """What a patient reads: placeholders filled in, Markdown marks taken out, and each list item or
    heading ended as the sentence it is read as (else a list counts as one very long sentence)."""
    plain = _MARKDOWN.sub(lambda match: match.group(1) or "", render(text, UK_DEFAULTS, pacing))
    lines = [line.strip() for line in plain.splitlines() if line.strip()]
    return "\n".join(line if line[-1] in ".!?" else line.rstrip(":;,") + "." for line in lines)


def sentences(text: str) -> list[str]:
    return [sentence.strip() for sentence in _SENTENCE_END.split(text) if len(sentence.split()) >= 3]


def readability(text: str, pacing: PacingSettings, limit: float) -> Readability:
    plain = plain_text(text, pacing)
    graded = sorted(((textstat.flesch_kincaid_grade(sentence), sentence) for sentence in sentences(plain)), reverse=True)
    return Readability(round(textstat.flesch_kincaid_grade(plain), 1), [(grade, sentence) for grade, sentence in graded if grade > limit])


def load_jargon(content: Path) -> tuple[dict[str, str], list[Problem]]:
    """Words patients may not know, and the plain words to use instead."""
    data, problems = read_yaml_mapping(content / JARGON_FILE, "The jargon list content/jargon.yml is missing.")
    if data is None:
        return {}, problems
    return {str(word).lower(): str(plain) for word, plain in data.items()}, problems


def quality_problems(topics: list[Topic], pacing: PacingSettings, jargon: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for topic in topics:
        problems += _readability_problems(topic, pacing)
        problems += _jargon_problems(topic, jargon)
        problems += _number_problems(topic, pacing)
    return problems


def _readability_problems(topic: Topic, pacing: PacingSettings) -> list[Problem]:
    problems = []
    short = readability(topic.short_answer, pacing, SHORT_ANSWER_MAX_GRADE)
    if short.grade > SHORT_ANSWER_MAX_GRADE:
        named = "; ".join(f'"{sentence}" (grade {grade:.0f})' for grade, sentence in short.hardest[:HARD_SENTENCES_NAMED])
        problems.append(
            Problem(
                topic.path,
                line_of(topic.path, "## Short answer", at_start=True),
                f"The short answer reads at grade {short.grade} (aim for 7 or below, a reading age of 9 to 11). "
                f"Shorten or split the hardest sentences: {named or 'the long ones'}.",
                Severity.WARNING,
            )
        )
    more = readability(topic.more, pacing, DETAILS_MAX_GRADE)
    if more.grade > DETAILS_MAX_GRADE:
        problems.append(
            Problem(
                topic.path,
                line_of(topic.path, "## Tell me more", at_start=True),
                f"'Tell me more' reads at grade {more.grade} (aim for 8 or below).",
                Severity.NOTICE,
            )
        )
    return problems


def _jargon_problems(topic: Topic, jargon: dict[str, str]) -> list[Problem]:
    problems = []
    for sentence in sentences(f"{topic.short_answer}\n{topic.more}"):
        for word, plain in jargon.items():
            if re.search(rf"\b{re.escape(word)}\w*", sentence, re.IGNORECASE) and not _EXPLAINED.search(sentence):
                message = f"'{word}' may be jargon to patients: say '{plain}', or explain it."
                problems.append(Problem(topic.path, line_of(topic.path, sentence[:40]), message, Severity.NOTICE))
    return problems


def _number_problems(topic: Topic, pacing: PacingSettings) -> list[Problem]:
    """Plan numbers typed into the text: they must come from pacing.yml through placeholders."""
    problems = []
    percents = {pacing.first_goal_percent: "first_goal_percent", pacing.weekly_step_percent: "weekly_step_percent"}
    for sentence in sentences(f"{topic.short_answer}\n{topic.more}"):
        if not _PLAN_WORDS.search(sentence):
            continue
        line = line_of(topic.path, sentence[:40])
        for match in _PERCENT.finditer(sentence):
            value = int(match.group(1))
            if value in percents:
                message = f"{value}% matches pacing.yml today; write {{{percents[value]}}} so the text follows the settings."
                problems.append(Problem(topic.path, line, message, Severity.NOTICE))
            else:
                message = (
                    f"{value}% does not match the plans in content/settings/pacing.yml (first goal {pacing.first_goal_percent}%, "
                    f"weekly step {pacing.weekly_step_percent}%). Write {{first_goal_percent}} or {{weekly_step_percent}} instead."
                )
                problems.append(Problem(topic.path, line, message, Severity.WARNING))
        for match in _SESSIONS.finditer(sentence):
            if int(match.group(1)) != pacing.sessions_per_week:
                message = f"{match.group(0)} does not match pacing.yml ({pacing.sessions_per_week} sessions a week). Write {{sessions_per_week}} instead."
                problems.append(Problem(topic.path, line, message, Severity.WARNING))
    return problems
