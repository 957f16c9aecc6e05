"""`make nlu-report`: how well Pacewise understands patients, in figures.

    python -m pacewise.cli.nlu_report [--model models/pacewise.tar.gz] [--heldout FILE] [--skip-cv] [--json FILE]

1. Held-out set (tests/nlu/heldout.yml, written apart from the training data
   and never trained on): each message goes through the trained NLU pipeline
   and the same routing decision the actions use (pacewise/routing.py), and
   the first reply is scored:
   - clear single-topic messages: right content, the menu, or wrong content;
   - two-topic messages: the answer is one of the two;
   - `none` messages: no curated content is given.
   The confusion pairs (expected -> got) are listed, most frequent first.
2. Cross-validation on the training data (stratified folds with a fixed seed,
   so the figure repeats): intent macro-F1 after the whole NLU pipeline,
   scored as `rasa test nlu --cross-validation` scores it (where the
   FallbackClassifier turned the guess into nlu_fallback, its guess counts,
   as Rasa's own evaluation undoes that step), and also counting every
   nlu_fallback as a miss (the stricter figure this report printed first).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pacewise.cli.safety_report import DEFAULT_MODEL, pipeline_parser
from pacewise.content import default_library, topic_id_for_intent
from pacewise.routing import TOPIC_ANSWERED_WITH, route

REPO_ROOT = Path(__file__).resolve().parents[2]
HELDOUT_SET = REPO_ROOT / "tests" / "nlu" / "heldout.yml"
# The development set first, then the rounds written blind after it.
ALL_HELDOUT_SETS = [HELDOUT_SET, *(HELDOUT_SET.with_name(f"heldout_round{n}.yml") for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14))]
NONE = "none"
MENU = "(menu)"
NO_CONTENT = "(no content)"
CV_SEED = 42
CV_FOLDS = 5


@dataclass(frozen=True)
class HeldoutMessage:
    text: str
    topic: str  # a content id or "none"
    also: str | None = None
    # Topics added after the message was written that answer it just as well ("will it ever go away?",
    # labelled why_pain_persists before the outlook topic existed): also right, in the same category.
    also_right: tuple[str, ...] = ()

    @property
    def two_topics(self) -> bool:
        return self.also is not None

    def is_right(self, got: str) -> bool:
        return got in (self.topic, self.also, *self.also_right)


def load_heldout(path: Path = HELDOUT_SET) -> list[HeldoutMessage]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [HeldoutMessage(str(entry["text"]), str(entry["topic"]), entry.get("also"), tuple(entry.get("also_right") or ())) for entry in data["messages"]]


def first_reply(parse_data: dict[str, Any], known_topics: list[str]) -> str:
    """The content id the first reply delivers, MENU for the "Did you mean" menu, or NO_CONTENT."""
    if (parse_data.get("safety") or {}).get("categories"):
        return "red_flags" if "red_flag" in parse_data["safety"]["categories"][:1] else "crisis_support"
    intent = (parse_data.get("intent") or {}).get("name")
    if intent in TOPIC_ANSWERED_WITH:
        return TOPIC_ANSWERED_WITH[intent]
    if intent != "nlu_fallback" and topic_id_for_intent(intent) not in known_topics:
        return NO_CONTENT  # small talk, the diary, goals, out of scope: no curated content
    decision = route(intent, parse_data.get("intent_ranking") or [], known_topics)
    return decision.answer if decision.answer else MENU


@dataclass
class HeldoutReport:
    rows: list[tuple[HeldoutMessage, str]]
    parse_seconds: list[float] = field(default_factory=list)

    def _of(self, kind: str) -> list[tuple[HeldoutMessage, str]]:
        if kind == "clear":
            return [(m, got) for m, got in self.rows if m.topic != NONE and not m.two_topics]
        if kind == "two":
            return [(m, got) for m, got in self.rows if m.two_topics]
        return [(m, got) for m, got in self.rows if m.topic == NONE]

    @staticmethod
    def _rate(rows: list, hit: Callable[[HeldoutMessage, str], bool]) -> float:
        return sum(hit(m, got) for m, got in rows) / len(rows) if rows else 1.0

    def summary(self) -> dict[str, Any]:
        clear, two, none = self._of("clear"), self._of("two"), self._of(NONE)
        wrong = [(m, got) for m, got in self.rows if not m.is_right(got) and not (m.topic == NONE and got in (NO_CONTENT, MENU))]
        confusions = Counter((m.topic, got) for m, got in wrong)
        per_topic = {}
        for topic in sorted({m.topic for m, _ in clear}):
            rows = [(m, got) for m, got in clear if m.topic == topic]
            per_topic[topic] = round(self._rate(rows, lambda m, got: m.is_right(got)), 4)
        timings = sorted(self.parse_seconds) or [0.0]
        return {
            "messages": len(self.rows),
            "parse_ms": {"p50": round(1000 * timings[len(timings) // 2], 1), "p95": round(1000 * timings[int(len(timings) * 0.95)], 1)},
            "clear": {
                "count": len(clear),
                "accuracy": round(self._rate(clear, lambda m, got: m.is_right(got)), 4),
                "menu_rate": round(self._rate(clear, lambda m, got: got == MENU), 4),
                "wrong_rate": round(self._rate(clear, lambda m, got: not m.is_right(got) and got != MENU), 4),
            },
            "two_topics": {"count": len(two), "either": round(self._rate(two, lambda m, got: m.is_right(got)), 4)},
            "none": {"count": len(none), "no_content": round(self._rate(none, lambda m, got: got in (NO_CONTENT, MENU)), 4)},
            "per_topic": per_topic,
            "confusions": [{"expected": e, "got": g, "count": n} for (e, g), n in confusions.most_common()],
            "misses": [{"text": m.text, "expected": m.topic, "also": m.also, "got": got} for m, got in wrong],
        }


def evaluate_heldout(messages: list[HeldoutMessage], parse: Callable[[str], dict[str, Any]]) -> HeldoutReport:
    """Route every message; the time of each parse (the whole NLU pipeline, in process) is kept too."""
    known = list(default_library().snapshot().topics)
    report = HeldoutReport([])
    for message in messages:
        start = time.perf_counter()
        parsed = parse(message.text)
        report.parse_seconds.append(time.perf_counter() - start)
        report.rows.append((message, first_reply(parsed, known)))
    return report


def cross_validate(folds: int = CV_FOLDS, seed: int = CV_SEED) -> dict[str, Any]:
    """Stratified k-fold on the NLU training data; each fold trains the real NLU pipeline."""
    from rasa.model_training import train_nlu
    from rasa.nlu.classifiers.fallback_classifier import is_fallback_classifier_prediction, undo_fallback_prediction
    from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    data = load_data(str(REPO_ROOT / "data" / "nlu"))
    examples = data.intent_examples
    labels = [example.get("intent") for example in examples]
    expected: list[str] = []
    predicted: list[str] = []  # as Rasa's own evaluation scores it
    strict: list[str] = []  # every nlu_fallback a miss
    with tempfile.TemporaryDirectory() as tmp:
        for fold, (train_index, test_index) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=seed).split(examples, labels)):
            fold_dir = Path(tmp) / f"fold{fold}"
            fold_dir.mkdir()
            train = data.__class__(training_examples=[examples[i] for i in train_index])
            (fold_dir / "nlu.yml").write_text(train.nlu_as_yaml(), encoding="utf-8")
            model = train_nlu(str(REPO_ROOT / "config.yml"), str(fold_dir / "nlu.yml"), str(fold_dir), fixed_model_name="fold")
            parse = pipeline_parser(Path(model))
            for i in test_index:
                result = parse(examples[i].get("text"))
                expected.append(labels[i])
                strict.append(_intent_name(result))
                predicted.append(_intent_name(undo_fallback_prediction(result) if is_fallback_classifier_prediction(result) else result))
            print(f"  fold {fold + 1}/{folds} done", flush=True)
    intents = sorted(set(labels))
    pairs = list(zip(expected, predicted, strict=True))
    per_intent = f1_score(expected, predicted, labels=intents, average=None, zero_division=0)
    return {
        "folds": folds,
        "seed": seed,
        "examples": len(examples),
        "intent_macro_f1": round(float(f1_score(expected, predicted, labels=intents, average="macro", zero_division=0)), 4),
        "accuracy": round(sum(e == p for e, p in pairs) / len(expected), 4),
        "strict_intent_macro_f1": round(float(f1_score(expected, strict, labels=intents, average="macro", zero_division=0)), 4),
        "strict_accuracy": round(sum(e == p for e, p in zip(expected, strict, strict=True)) / len(expected), 4),
        "fallbacks": sum(p == DEFAULT_NLU_FALLBACK_INTENT_NAME for p in strict),
        "weakest": {intent: round(float(score), 3) for score, intent in sorted(zip(per_intent, intents, strict=True))[:8]},
        "confusions": [{"expected": e, "got": p, "count": n} for (e, p), n in Counter(pair for pair in pairs if pair[0] != pair[1]).most_common(12)],
    }


def _intent_name(parse_data: dict[str, Any]) -> str:
    return (parse_data.get("intent") or {}).get("name") or ""


def print_heldout(summary: dict[str, Any]) -> None:
    clear, two, none = summary["clear"], summary["two_topics"], summary["none"]
    print(f"Held-out set: {summary['messages']} messages")
    print(f"  clear single-topic ({clear['count']}): right content {clear['accuracy']:.1%}, menu {clear['menu_rate']:.1%}, wrong {clear['wrong_rate']:.1%}")
    print(f"  two-topic ({two['count']}): one of the two {two['either']:.1%}")
    print(f"  off-topic ({none['count']}): no curated content {none['no_content']:.1%}")
    print(f"  NLU parse time in process: p50 {summary['parse_ms']['p50']} ms, p95 {summary['parse_ms']['p95']} ms")
    print("  per topic: " + ", ".join(f"{topic} {rate:.0%}" for topic, rate in summary["per_topic"].items()))
    print("  confusion pairs (expected -> got):")
    for pair in summary["confusions"][:15]:
        print(f"    {pair['expected']} -> {pair['got']}: {pair['count']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="NLU figures: held-out routing and cross-validation.")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--heldout", type=Path, nargs="+", default=ALL_HELDOUT_SETS, help="held-out sets (default: the development set and the blind rounds)")
    parser.add_argument("--skip-cv", action="store_true", help="skip the cross-validation (it trains the NLU five times)")
    parser.add_argument("--misses", action="store_true", help="list every held-out message that went wrong")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    if not args.model.exists():
        print(f"{args.model} is missing: run `make train` first.", file=sys.stderr)
        return 1
    parse = pipeline_parser(args.model)
    results: dict[str, Any] = {"sets": {}}
    for path in args.heldout:
        summary = evaluate_heldout(load_heldout(path), parse).summary()
        results["sets"][path.name] = summary
        print(f"{path.name}:")
        print_heldout(summary)
        if args.misses:
            for miss in summary["misses"]:
                print(f"  MISS {miss['expected']}{'/' + miss['also'] if miss['also'] else ''} -> {miss['got']}: {miss['text']!r}")
    results["heldout"] = results["sets"][args.heldout[0].name]  # the first set, as before
    if not args.skip_cv:
        print(f"Cross-validation ({CV_FOLDS} folds, seed {CV_SEED}) ...", flush=True)
        results["cross_validation"] = cross_validate()
        cv = results["cross_validation"]
        print(f"  intent macro-F1 {cv['intent_macro_f1']:.3f}, accuracy {cv['accuracy']:.1%} on {cv['examples']} examples (as `rasa test nlu` scores it)")
        strict = f"macro-F1 {cv['strict_intent_macro_f1']:.3f}, accuracy {cv['strict_accuracy']:.1%}"
        print(f"  counting each of the {cv['fallbacks']} nlu_fallback as a miss: {strict}")
        print("  weakest: " + ", ".join(f"{intent} {score:.2f}" for intent, score in cv["weakest"].items()))
        for pair in cv["confusions"]:
            print(f"    {pair['expected']} -> {pair['got']}: {pair['count']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
