"""Measure the safety screening on a labelled set of messages through the trained pipeline.

    python -m pacewise.cli.safety_report [--model models/pacewise.tar.gz] [FILE ...]

Prints recall for red flags and crisis, the false-positive rate on benign
look-alikes, which layer caught each message (rules, model or both) and every
miss. By default it runs every labelled set in tests/safety (messages*.yml, then
the blind rounds round*_blind.yml); tests/safety asserts the
targets (100% recall, at most 5% false positives).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pacewise.safety.assessment import CATEGORY_FOR_INTENT, SAFETY_PARSE_KEY

REPO_ROOT = Path(__file__).resolve().parents[2]
SAFETY_SET_DIR = REPO_ROOT / "tests" / "safety"
# Every labelled set: the first sets, then the blind rounds (one list for `make safety-report` and tests/safety).
LABELLED_SETS = sorted(SAFETY_SET_DIR.glob("messages*.yml")) + sorted(SAFETY_SET_DIR.glob("round*_blind.yml"))
DEFAULT_MODEL = REPO_ROOT / "models" / "pacewise.tar.gz"
BENIGN = "benign"


@dataclass(frozen=True)
class LabelledMessage:
    text: str
    label: str  # red_flag, crisis or benign
    group: str


@dataclass
class Outcome:
    message: LabelledMessage
    categories: list[str]
    detected_by: str | None

    @property
    def correct(self) -> bool:
        if self.message.label == BENIGN:
            return not self.categories
        return self.message.label in self.categories


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, label: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.message.label == label]

    def recall(self, label: str) -> float:
        outcomes = self.of(label)
        return sum(outcome.correct for outcome in outcomes) / len(outcomes) if outcomes else 1.0

    def false_positive_rate(self) -> float:
        benign = self.of(BENIGN)
        return sum(not outcome.correct for outcome in benign) / len(benign) if benign else 0.0

    def misses(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.correct]

    def summary(self) -> dict[str, Any]:
        caught_by = Counter(outcome.detected_by for outcome in self.outcomes if outcome.message.label != BENIGN and outcome.correct)
        return {
            "messages": len(self.outcomes),
            "red_flag": {"count": len(self.of("red_flag")), "recall": round(self.recall("red_flag"), 4)},
            "crisis": {"count": len(self.of("crisis")), "recall": round(self.recall("crisis"), 4)},
            "benign": {"count": len(self.of(BENIGN)), "false_positive_rate": round(self.false_positive_rate(), 4)},
            "caught_by": dict(caught_by),
            "misses": [{"label": o.message.label, "group": o.message.group, "text": o.message.text, "got": o.categories} for o in self.misses()],
        }


def load_labelled(path: Path) -> list[LabelledMessage]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [LabelledMessage(str(text), label, group) for label, groups in data.items() for group, texts in groups.items() for text in texts]


def outcome_of(message: LabelledMessage, parse_data: dict[str, Any]) -> Outcome:
    safety = parse_data.get(SAFETY_PARSE_KEY) or {}
    categories = list(safety.get("categories") or [])
    intent = (parse_data.get("intent") or {}).get("name")
    if not categories and intent in CATEGORY_FOR_INTENT:
        # Escalated by the dialogue rules even without an assessment (should not happen).
        categories = [CATEGORY_FOR_INTENT[intent]]
    return Outcome(message, categories, safety.get("detected_by"))


def evaluate(messages: Iterable[LabelledMessage], parse: Callable[[str], dict[str, Any]]) -> Report:
    return Report([outcome_of(message, parse(message.text)) for message in messages])


def pipeline_parser(model: Path) -> Callable[[str], dict[str, Any]]:
    """Parse with the trained model, exactly as the Rasa server does."""
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    return lambda text: loop.run_until_complete(agent.parse_message(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Safety screening figures on labelled messages.")
    parser.add_argument("files", nargs="*", type=Path, default=LABELLED_SETS, help="labelled sets (default: all of them)")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    parse = pipeline_parser(args.model)
    for path in args.files:
        report = evaluate(load_labelled(path), parse)
        summary = report.summary()
        print(f"\n{path}: {summary['messages']} messages")
        print(f"  red flags: recall {summary['red_flag']['recall']:.1%} of {summary['red_flag']['count']}")
        print(f"  crisis:    recall {summary['crisis']['recall']:.1%} of {summary['crisis']['count']}")
        print(f"  benign:    false positives {summary['benign']['false_positive_rate']:.1%} of {summary['benign']['count']}")
        print(f"  caught by: {summary['caught_by']}")
        for miss in summary["misses"]:
            print(f"  MISS {miss['label']}/{miss['group']}: {miss['text']!r} -> {miss['got']}")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({str(path): summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
