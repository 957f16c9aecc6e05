"""Reads one topic file (Markdown with a YAML header) into a `Topic`.

Every problem is reported with the line it is on and a plain-English fix, so
that a physiotherapist can correct the file without knowing YAML or Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import yaml

from pacewise.content.model import TOPIC_PLACEHOLDERS, Source, Topic, unknown_placeholders
from pacewise.content.problems import Problem, Severity

TOPIC_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SHORT_ANSWER_MAX_WORDS = 120
MIN_EXAMPLES = 25
REQUIRED_FIELDS = ("id", "title", "related", "reviewed_by", "review_due", "sources")
OPTIONAL_FIELDS = ("show_in_menu",)
SOURCE_FIELDS = ("authors", "year", "title", "journal", "publisher", "doi", "url")
SECTION_SHORT = "short answer"
SECTION_MORE = "tell me more"
SECTION_EXAMPLES = "example questions"
# Used by the red_flags topic: what to do now, by how urgent the warning sign is.
SECTION_EMERGENCY = "emergency advice"
SECTION_SAME_DAY = "same-day advice"
SECTIONS = (SECTION_SHORT, SECTION_MORE, SECTION_EXAMPLES, SECTION_EMERGENCY, SECTION_SAME_DAY)
# Rasa reads these characters as entity annotations inside training examples.
ANNOTATION_CHARACTERS = re.compile(r"[\[\]{}]")


class _HeaderLoader(yaml.SafeLoader):
    """Reads dates as plain text, so that a wrong date becomes a clear message, not a crash."""


_HeaderLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


@dataclass
class ParseResult:
    topic: Topic | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def servable(self) -> bool:
        return self.topic is not None and not any(p.severity is Severity.ERROR for p in self.problems)


@dataclass
class _Section:
    heading_line: int
    lines: list[tuple[int, str]] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(text for _, text in self.lines).strip()


class _Reporter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def __call__(self, line: int, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.path, line, message, severity))

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


def parse_topic_file(path: Path, today: date | None = None) -> ParseResult:
    report = _Reporter(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        report(1, f"The file is not saved as UTF-8 text ({error.reason}). Save it again as UTF-8 in your editor.")
        return ParseResult(None, report.problems)
    except OSError as error:
        report(1, f"The file cannot be read ({error.strerror}).")
        return ParseResult(None, report.problems)

    lines = text.splitlines()
    header_end = _find_header_end(lines, report)
    if header_end is None:
        return ParseResult(None, report.problems)

    header, key_lines = _read_header(lines[1:header_end], report)
    if header is None:
        return ParseResult(None, report.problems)
    sections = _split_sections(lines, header_end + 1, report)

    topic = _build_topic(path, header, key_lines, sections, len(lines), report, today or date.today())
    return ParseResult(None if report.has_errors else topic, report.problems)


def _find_header_end(lines: list[str], report: _Reporter) -> int | None:
    if not lines or lines[0].strip() != "---":
        report(1, "The file must start with a line containing only '---', followed by the header (id, title, ...).")
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return index
    report(1, "The header is not closed. Add a line containing only '---' after the last header field.")
    return None


def _read_header(header_lines: list[str], report: _Reporter) -> tuple[dict[str, Any] | None, dict[str, int]]:
    """Parse the YAML header; line numbers are 1-based positions in the file."""
    source = "\n".join(header_lines)
    try:
        loader = _HeaderLoader(source)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "it is not valid"
        report(
            line,
            f"The header cannot be read ({problem}). Check the indentation, and put text that contains"
            " a colon (:) or starts with a special character in double quotes.",
        )
        return None, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        report(2, "The header must be a list of 'field: value' lines (id, title, related, ...).")
        return None, {}
    key_lines: dict[str, int] = {}
    for key, value in node.value:
        key_lines[key.value] = key.start_mark.line + 2
        if isinstance(value, yaml.SequenceNode):
            for index, item in enumerate(value.value, start=1):
                key_lines[f"{key.value}[{index}]"] = item.start_mark.line + 2
    return data, key_lines


def _split_sections(lines: list[str], start: int, report: _Reporter) -> dict[str, _Section]:
    sections: dict[str, _Section] = {}
    current: _Section | None = None
    for index in range(start, len(lines)):
        line_no = index + 1
        line = lines[index]
        heading = re.match(r"^##\s+(.*?)\s*#*\s*$", line)
        if heading and not line.startswith("###"):
            name = heading.group(1).strip().lower()
            if name not in SECTIONS:
                report(
                    line_no,
                    f"Unknown section '{heading.group(1)}'. The sections are '## Short answer', "
                    "'## Tell me more' and '## Example questions' (and, for warning signs, '## Emergency advice' "
                    "and '## Same-day advice'); use '###' for a heading inside a section.",
                )
                current = None
                continue
            if name in sections:
                report(line_no, f"The section '## {heading.group(1)}' appears twice. Merge the two into one.")
                current = None
                continue
            current = sections[name] = _Section(line_no)
        elif current is not None:
            current.lines.append((line_no, line))
            for unknown in unknown_placeholders(line, TOPIC_PLACEHOLDERS) if current is not sections.get(SECTION_EXAMPLES) else []:
                names = ", ".join("{" + name + "}" for name in TOPIC_PLACEHOLDERS)
                report(line_no, f"{{{unknown}}} is not a placeholder the bot can fill in. Use one of: {names}.")
        elif line.strip():
            report(line_no, "This text is outside any section. Move it under '## Short answer' or '## Tell me more'.")
    return sections


def _build_topic(
    path: Path,
    header: dict[str, Any],
    key_lines: dict[str, int],
    sections: dict[str, _Section],
    last_line: int,
    report: _Reporter,
    today: date,
) -> Topic | None:
    def line_of(key: str) -> int:
        return key_lines.get(key, 2)

    for key in header:
        if key not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
            known = REQUIRED_FIELDS + OPTIONAL_FIELDS
            guess = get_close_matches(str(key), known, n=1)
            hint = f" Did you mean '{guess[0]}'?" if guess else f" The fields are: {', '.join(known)}."
            report(line_of(key), f"Unknown field '{key}'.{hint}")
    for key in REQUIRED_FIELDS:
        if header.get(key) in (None, "") and key != "related":
            report(line_of(key) if key in header else 2, f"The field '{key}' is missing or empty. Add '{key}: ...' to the header.")

    topic_id = _text(header.get("id"))
    if topic_id and not TOPIC_ID_PATTERN.match(topic_id):
        report(line_of("id"), f"The id '{topic_id}' may only contain lower-case letters, digits and '_', starting with a letter.")
    elif topic_id and topic_id != path.stem:
        report(line_of("id"), f"The id '{topic_id}' does not match the file name. Rename the file to '{topic_id}.md' or change the id to '{path.stem}'.")

    related = _read_related(header.get("related"), line_of("related"), report)
    review_due = _read_date(header.get("review_due"), line_of("review_due"), report, today)
    sources = _read_sources(header.get("sources"), key_lines, report)
    show_in_menu = header.get("show_in_menu", True)
    if not isinstance(show_in_menu, bool):
        report(line_of("show_in_menu"), "'show_in_menu' must be true or false.")

    short_answer = _required_section(sections, SECTION_SHORT, last_line, report)
    more = _required_section(sections, SECTION_MORE, last_line, report)
    if short_answer:
        words = len(short_answer.split())
        if words > SHORT_ANSWER_MAX_WORDS:
            report(
                sections[SECTION_SHORT].heading_line,
                f"The short answer has {words} words; keep it to {SHORT_ANSWER_MAX_WORDS} or fewer and move the rest under '## Tell me more'.",
                Severity.WARNING,
            )
    examples = _read_examples(sections.get(SECTION_EXAMPLES), last_line, report)
    emergency_advice = _optional_section(sections, SECTION_EMERGENCY, report)
    same_day_advice = _optional_section(sections, SECTION_SAME_DAY, report)

    if report.has_errors:
        return None
    return Topic(
        id=topic_id,
        title=_text(header.get("title")),
        short_answer=short_answer,
        more=more,
        related=tuple(related),
        sources=tuple(sources),
        reviewed_by=_text(header.get("reviewed_by")),
        review_due=review_due or today,
        examples=tuple(examples),
        show_in_menu=bool(show_in_menu),
        emergency_advice=emergency_advice,
        same_day_advice=same_day_advice,
        path=path,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _read_related(value: Any, line: int, report: _Reporter) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list):
        report(line, "'related' must be a list of topic ids, for example: related: [pacing, flare_ups]")
        return []
    return [str(item).strip() for item in value if str(item).strip()]


def _read_date(value: Any, line: int, report: _Reporter, today: date) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = date.fromisoformat(str(value).strip())
        except ValueError:
            report(line, f"'review_due' must be a real date written as YYYY-MM-DD, for example 2027-05-31 (found '{value}').")
            return None
    if parsed < today:
        report(line, f"The review date {parsed.isoformat()} has passed. Review the content and set a new date.", Severity.NOTICE)
    return parsed


def _read_sources(value: Any, key_lines: dict[str, int], report: _Reporter) -> list[Source]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not value:
        report(key_lines.get("sources", 2), "'sources' must be a list; start each source with '- authors: ...' on its own line.")
        return []
    sources = []
    for number, item in enumerate(value, start=1):
        where = f"Source {number}"
        line = key_lines.get(f"sources[{number}]", key_lines.get("sources", 2))
        if not isinstance(item, dict):
            report(line, f"{where} must have the fields authors, year, title, journal (or publisher) and doi (or url).")
            continue
        unknown = [key for key in item if key not in SOURCE_FIELDS]
        for key in unknown:
            report(line, f"{where} has an unknown field '{key}'. Source fields are: {', '.join(SOURCE_FIELDS)}.")
        missing = [key for key in ("authors", "year", "title") if not _text(item.get(key))]
        if not (_text(item.get("journal")) or _text(item.get("publisher"))):
            missing.append("journal (or publisher)")
        if not (_text(item.get("doi")) or _text(item.get("url"))):
            missing.append("doi (or url)")
        if missing:
            report(line, f"{where} is missing: {', '.join(missing)}.")
            continue
        year = item.get("year")
        if not isinstance(year, int) or not 1900 <= year <= 2100:
            report(line, f"{where}: the year must be a four-digit number (found '{year}').")
            continue
        url = _text(item.get("url")) or None
        if url and not url.startswith(("https://", "http://")):
            report(line, f"{where}: the url must start with https:// (found '{url}').")
            continue
        sources.append(
            Source(
                authors=_text(item.get("authors")),
                year=year,
                title=_text(item.get("title")),
                container=_text(item.get("journal")) or _text(item.get("publisher")),
                doi=_text(item.get("doi")) or None,
                url=url,
            )
        )
    return sources


def _required_section(sections: dict[str, _Section], name: str, last_line: int, report: _Reporter) -> str:
    section = sections.get(name)
    title = name.capitalize()
    if section is None:
        report(last_line, f"The section '## {title}' is missing. Add it, with its text below the heading.")
        return ""
    text = section.text()
    if not text:
        report(section.heading_line, f"The section '## {title}' is empty. Write its text below the heading.")
    return text


def _optional_section(sections: dict[str, _Section], name: str, report: _Reporter) -> str:
    section = sections.get(name)
    if section is None:
        return ""
    text = section.text()
    if not text:
        report(section.heading_line, f"The section '## {name.capitalize()}' is empty. Write its text below the heading, or remove the heading.")
    return text


def _read_examples(section: _Section | None, last_line: int, report: _Reporter) -> list[str]:
    if section is None:
        report(last_line, "The section '## Example questions' is missing. Add it with one patient question per line, each starting with '- '.")
        return []
    examples: list[str] = []
    seen: set[str] = set()
    for line_no, line in section.lines:
        stripped = line.strip()
        if not stripped:
            continue
        bullet = re.match(r"^[-*]\s+(.*)$", stripped)
        if not bullet:
            report(line_no, "Each example question must be on its own line starting with '- '.", Severity.WARNING)
            continue
        example = " ".join(bullet.group(1).split())
        if ANNOTATION_CHARACTERS.search(example):
            report(line_no, "Example questions cannot contain [ ] { }: remove them (this example is left out until then).", Severity.WARNING)
            continue
        key = example.lower()
        if key in seen:
            report(line_no, f"The example '{example}' appears twice in this file. Remove one.", Severity.WARNING)
            continue
        seen.add(key)
        examples.append(example)
    if len(examples) < MIN_EXAMPLES:
        report(
            section.heading_line,
            f"There are {len(examples)} example questions; write at least {MIN_EXAMPLES} different ones so the bot recognises the topic.",
            Severity.WARNING,
        )
    return examples
