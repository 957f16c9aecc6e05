"""`make content-report`: one HTML page a physiotherapist reads before signing the content off.

The page is self-contained (inline styles, no script, nothing fetched), so it
opens from the file system and can be attached to an email. For every topic:
the answer as the widget shows it, in each deployment's numbers (UK, US);
readability; review status; sources with links; and how the topic's example
questions and the held-out questions route through the trained model (right,
menu, wrong, the wrong ones listed). Then the warning signs: the advice
patients get, and the rules that catch each sign.
"""

from __future__ import annotations

import argparse
import html
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from channels.messaging.formatting import to_markup
from components.safety.patterns import Rule, load_pattern_set
from pacewise.cli.nlu_report import ALL_HELDOUT_SETS, MENU, HeldoutMessage, first_reply, load_heldout
from pacewise.content import default_library
from pacewise.content.library import REPO_ROOT, content_dir
from pacewise.content.model import Topic
from pacewise.content.pacing_settings import PacingSettings, pacing_settings
from pacewise.content.quality import DETAILS_MAX_GRADE, SHORT_ANSWER_MAX_GRADE, readability
from pacewise.content.rendering import render
from pacewise.content.settings import SETTINGS_FILE, DeploymentSettings, read_settings

DEFAULT_OUT = REPO_ROOT / "var" / "content-report.html"
US_SETTINGS = Path("settings") / "examples" / "deployment-us.yml"


@dataclass
class Routing:
    """Where one kind of question about a topic went: counts, and the misses with what they got."""

    right: int = 0
    menu: int = 0
    wrong: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.right + self.menu + len(self.wrong)

    def add(self, message: HeldoutMessage, got: str) -> None:
        if message.is_right(got):
            self.right += 1
        elif got == MENU:
            self.menu += 1
        else:
            self.wrong.append((message.text, got))


def route_questions(
    topics: Iterable[Topic], heldout: list[HeldoutMessage], parse: Callable[[str], dict[str, Any]], max_examples: int | None
) -> dict[str, dict[str, Routing]]:
    """Per topic id: how its example questions ("examples") and held-out questions ("heldout") route."""
    known = [topic.id for topic in topics]
    routing: dict[str, dict[str, Routing]] = defaultdict(lambda: {"examples": Routing(), "heldout": Routing()})
    for topic in topics:
        for example in topic.examples[:max_examples]:
            routing[topic.id]["examples"].add(HeldoutMessage(example, topic.id), first_reply(parse(example), known))
    for message in heldout:
        if message.topic in known and not message.two_topics:
            routing[message.topic]["heldout"].add(message, first_reply(parse(message.text), known))
    return routing


# --- HTML --------------------------------------------------------------------

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 2rem; color: #1d2a33; }
h1 { font-size: 1.6rem; } h2 { border-top: 2px solid #d5dde3; padding-top: 1rem; margin-top: 2rem; }
nav ol { columns: 3; } .draft { color: #8a4b00; font-weight: 600; } .ok { color: #1d6b3a; } .problem { color: #a01d1d; font-weight: 600; }
.deployments { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
.bubble { background: #eef3f6; border-radius: 1rem 1rem 1rem 0.25rem; padding: 0.75rem 1rem; white-space: pre-wrap; }
.buttons span { display: inline-block; border: 1px solid #2a6f97; color: #2a6f97; border-radius: 1rem; padding: 0.1rem 0.7rem; margin: 0.3rem 0.3rem 0 0; }
table { border-collapse: collapse; } td, th { border: 1px solid #d5dde3; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
details { margin: 0.5rem 0; } summary { cursor: pointer; }
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _bubble(markdown: str, deployment: DeploymentSettings, pacing: PacingSettings) -> str:
    """A message as the widget shows it: the bot's Markdown subset (bold, links, lists) in a chat bubble."""
    shown = to_markup(render(markdown, deployment, pacing), "telegram_html")
    return f'<div class="bubble">{shown}</div>'


def _topic_answer(topic: Topic, related: list[Topic], deployment: DeploymentSettings, pacing: PacingSettings) -> str:
    buttons = "".join(f"<span>{_e(title)}</span>" for title in ["Tell me more", *(other.title for other in related)])
    answer = f"**{topic.title}**\n\n{topic.short_answer}"
    return (
        f'<div class="deployment"><h4>{_e(deployment.region)}</h4>{_bubble(answer, deployment, pacing)}'
        f'<p class="buttons">{buttons}</p><details><summary>Tell me more</summary>{_bubble(topic.more, deployment, pacing)}</details></div>'
    )


def is_draft(topic: Topic) -> bool:
    """Sign-off stays honest: a topic is a draft until a named clinician has reviewed it."""
    return any(word in topic.reviewed_by.lower() for word in ("draft", "awaiting", "not reviewed"))


def _review(topic: Topic, today: date) -> str:
    if is_draft(topic):
        status = f'<span class="draft">Not yet reviewed: {_e(topic.reviewed_by)}</span>'
    else:
        status = f'<span class="ok">Reviewed by {_e(topic.reviewed_by)}</span>'
    due = f'<span class="problem">review was due {topic.review_due}</span>' if topic.review_due < today else f"next review due {topic.review_due}"
    return f"<p>{status}; {due}.</p>"


def _readability(topic: Topic, pacing: PacingSettings) -> str:
    short, more = readability(topic.short_answer, pacing, SHORT_ANSWER_MAX_GRADE), readability(topic.more, pacing, DETAILS_MAX_GRADE)

    def grade(value: float, limit: float) -> str:
        return f'<span class="{"problem" if value > limit else "ok"}">grade {value}</span> (aim for {limit:.0f} or below)'

    hard = "".join(f"<li>{_e(sentence)} (grade {value:.0f})</li>" for value, sentence in short.hardest)
    return (
        f"<p>Readability (Flesch-Kincaid, as patients read it): short answer {grade(short.grade, SHORT_ANSWER_MAX_GRADE)}, "
        f"Tell me more {grade(more.grade, DETAILS_MAX_GRADE)}.</p>" + (f"<p>Hardest sentences of the short answer:</p><ul>{hard}</ul>" if hard else "")
    )


def _sources(topic: Topic) -> str:
    items = []
    for source in topic.sources:
        link = source.link
        text = _e(source.citation().removesuffix(link).strip()) if link else _e(source.citation())
        items.append(f'<li>{text} <a href="{_e(link)}">{_e(link)}</a></li>' if link else f"<li>{text}</li>")
    return f"<h4>Sources</h4><ol>{''.join(items)}</ol>"


def _routing_rows(name: str, routing: Routing) -> str:
    if not routing.total:
        return f"<tr><td>{name}</td><td colspan='3'>none</td></tr>"
    percent = f"{routing.right / routing.total:.0%}"
    misses = "".join(f"<li>{_e(text)} &rarr; <b>{_e(got)}</b></li>" for text, got in routing.wrong)
    listed = f"<details><summary>{len(routing.wrong)} wrong</summary><ul>{misses}</ul></details>" if misses else "0 wrong"
    return f"<tr><td>{name}</td><td>{routing.right} of {routing.total} right ({percent})</td><td>{routing.menu} menu</td><td>{listed}</td></tr>"


def _safety_section(rules: Iterable[Rule], red_flags: Topic | None, deployments: list[DeploymentSettings], pacing: PacingSettings) -> str:
    by_urgency: dict[str, list[Rule]] = defaultdict(list)
    for rule in rules:
        if rule.category in ("red_flag", "crisis"):
            by_urgency[f"{rule.category} ({rule.urgency})" if rule.urgency else rule.category].append(rule)
    parts = ['<h2 id="safety">Warning signs and crisis: what patients get, and the rules that catch them</h2>']
    if red_flags is not None:
        for deployment in deployments:
            parts.append(f"<h4>Emergency advice, {_e(deployment.region)}</h4>{_bubble(red_flags.emergency_advice, deployment, pacing)}")
            parts.append(f"<h4>Same-day advice, {_e(deployment.region)}</h4>{_bubble(red_flags.same_day_advice, deployment, pacing)}")
    for group, group_rules in sorted(by_urgency.items()):
        rows = "".join(
            f"<tr><td>{_e(rule.id)}</td><td>{_e(', '.join(rule.concepts))}</td>"
            f"<td>{_e(', '.join([*rule.unless, *rule.unless_before, *rule.unless_near]) or '-')}</td><td>{_e(rule.scope)}</td></tr>"
            for rule in group_rules
        )
        parts.append(
            f"<h3>{_e(group)}: {len(group_rules)} rules</h3><table><tr><th>rule</th><th>needs all of</th><th>unless</th><th>within one</th></tr>{rows}</table>"
        )
    return "".join(parts)


def render_report(
    topics: list[Topic],
    related: Callable[[Topic], list[Topic]],
    deployments: list[DeploymentSettings],
    pacing: PacingSettings,
    routing: dict[str, dict[str, Routing]],
    rules: Iterable[Rule],
    today: date,
) -> str:
    drafts = sum(is_draft(topic) for topic in topics)
    toc = "".join(f'<li><a href="#{topic.id}">{_e(topic.title)}</a></li>' for topic in topics)
    body = [
        "<h1>Pacewise content report</h1>",
        f"<p>{len(topics)} topics, {drafts} not yet reviewed by a named clinician. Made {today.isoformat()}. "
        'Each topic shows its answer as the chat widget shows it, in each deployment\'s numbers; <a href="#safety">warning signs</a> at the end.</p>',
        f"<nav><ol>{toc}</ol></nav>",
    ]
    red_flags = next((topic for topic in topics if topic.id == "red_flags"), None)
    for topic in topics:
        answers = "".join(_topic_answer(topic, related(topic), deployment, pacing) for deployment in deployments)
        rows = _routing_rows("example questions", routing[topic.id]["examples"]) + _routing_rows("held-out questions", routing[topic.id]["heldout"])
        body.append(
            f'<section id="{topic.id}"><h2>{_e(topic.title)} <small>({topic.id})</small></h2>{_review(topic, today)}'
            f'<div class="deployments">{answers}</div>{_readability(topic, pacing)}{_sources(topic)}'
            f"<h4>How questions route</h4><table>{rows}</table></section>"
        )
    body.append(_safety_section(rules, red_flags, deployments, pacing))
    head = f'<meta charset="utf-8"><title>Pacewise content report</title><style>{STYLE}</style>'
    return f'<!doctype html><html lang="en"><head>{head}</head><body>{"".join(body)}</body></html>'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the HTML content report for clinicians.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--max-examples", type=int, default=None, help="route at most this many example questions per topic")
    args = parser.parse_args(argv)

    from pacewise.cli.safety_report import DEFAULT_MODEL, pipeline_parser

    if not DEFAULT_MODEL.exists():
        print(f"{DEFAULT_MODEL} is missing: run `make train` first.", file=sys.stderr)
        return 1
    snapshot = default_library().snapshot()
    topics = sorted(snapshot.topics.values(), key=lambda topic: topic.title)
    deployments = [settings for path in (SETTINGS_FILE, US_SETTINGS) if (settings := read_settings(content_dir() / path)[0]) is not None]
    heldout = [message for path in ALL_HELDOUT_SETS for message in load_heldout(path)]
    routing = route_questions(topics, heldout, pipeline_parser(DEFAULT_MODEL), args.max_examples)
    page = render_report(topics, snapshot.related_topics, deployments, pacing_settings(), routing, load_pattern_set().rules, date.today())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8")
    print(f"Content report: {args.out.resolve().as_uri()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
