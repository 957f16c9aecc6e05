"""`make nlu`: turn the example questions in content/ into Rasa training data.

Writes one intent per topic (data/nlu/topics.yml), the rule that answers each
topic intent (data/rules/topics.yml) and the list of topic intents in
domain.yml, so that a clinician who adds a question or a topic never edits a
Rasa file. `--check` only reports whether the generated files are up to date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pacewise.content.library import REPO_ROOT, TOPICS_SUBDIR, Snapshot, content_dir, load_topics
from pacewise.content.problems import Severity
from pacewise.safety.assessment import ACTION_SAFETY_RESPONSE, SAFETY_INTENTS

NLU_FILE = Path("data/nlu/topics.yml")
RULES_FILE = Path("data/rules/topics.yml")
DOMAIN_FILE = Path("domain.yml")
DOMAIN_BEGIN = "  # BEGIN topic intents (generated from content/topics by `make nlu`: do not edit by hand)"
DOMAIN_END = "  # END topic intents"
ANSWER_ACTION = "action_answer_topic"
GENERATED_NOTE = (
    "# Generated from content/topics by `make nlu` (pacewise/cli/nlu_export.py). Do not edit:\n# change the example questions in the content files instead.\n"
)


def render_nlu(snapshot: Snapshot) -> str:
    lines = [GENERATED_NOTE.rstrip("\n"), 'version: "3.1"', "nlu:"]
    for topic in sorted(snapshot.topics.values(), key=lambda t: t.id):
        lines.append(f"- intent: {topic.intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {example}" for example in topic.examples)
    return "\n".join(lines) + "\n"


def render_rules(snapshot: Snapshot) -> str:
    intents = sorted(topic.intent for topic in snapshot.topics.values())
    lines = [GENERATED_NOTE.rstrip("\n"), 'version: "3.1"', "rules:"]
    for title, action, chosen in (
        ("answer a question about a topic with its curated content", ANSWER_ACTION, [i for i in intents if i not in SAFETY_INTENTS]),
        (
            "red flags and crisis get the safety response (the safety policy also enforces it in every state)",
            ACTION_SAFETY_RESPONSE,
            [i for i in intents if i in SAFETY_INTENTS],
        ),
    ):
        if not chosen:
            continue
        lines += [f"- rule: {title}", "  steps:"]
        lines += ["  - or:", *(f"    - intent: {intent}" for intent in chosen)] if len(chosen) > 1 else [f"  - intent: {chosen[0]}"]
        lines.append(f"  - action: {action}")
    return "\n".join(lines) + "\n"


def render_domain(snapshot: Snapshot, current: str) -> str:
    begin, end = current.find(DOMAIN_BEGIN), current.find(DOMAIN_END)
    if begin < 0 or end < begin:
        raise SystemExit(f"{DOMAIN_FILE}: the markers for generated topic intents are missing:\n{DOMAIN_BEGIN}\n{DOMAIN_END}")
    intents = "".join(f"  - {topic.intent}\n" for topic in sorted(snapshot.topics.values(), key=lambda t: t.id))
    return current[:begin] + DOMAIN_BEGIN + "\n" + intents + current[end:]


def generated_files(snapshot: Snapshot, root: Path) -> dict[Path, str]:
    domain = (root / DOMAIN_FILE).read_text(encoding="utf-8")
    return {
        root / NLU_FILE: render_nlu(snapshot),
        root / RULES_FILE: render_rules(snapshot),
        root / DOMAIN_FILE: render_domain(snapshot, domain),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate Rasa training data from the content files.")
    parser.add_argument("--check", action="store_true", help="only report whether the generated files are up to date")
    args = parser.parse_args(argv)

    snapshot = load_topics(content_dir() / TOPICS_SUBDIR)
    for problem in snapshot.problems:
        if problem.severity is Severity.ERROR:
            print(f"[pacewise] skipped, fix it to include it: {problem.describe(REPO_ROOT)}", file=sys.stderr)
    stale = []
    for path, text in generated_files(snapshot, REPO_ROOT).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path.relative_to(REPO_ROOT))
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if args.check:
        if stale:
            print(f"Generated training data is out of date: {', '.join(map(str, stale))}. Run `make nlu` and commit the result.")
            return 1
        print("Generated training data is up to date.")
        return 0
    names = ", ".join(map(str, stale)) if stale else "nothing changed"
    print(f"[pacewise] Training data from {len(snapshot.topics)} topics: {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
