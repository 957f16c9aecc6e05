"""Find red-flag, crisis and medication-dose phrases in a patient's message.

Rule-based on purpose: the result does not depend on a machine-learning guess,
it is the same every time, and every decision can be traced to a named rule.
Negations ("no numbness") and idioms ("this pain is killing me") are handled
here; components/safety_screen.py combines the result with the classifier.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.tokens import Doc

from components.safety.anchored_matcher import AnchoredMatcher
from components.safety.normalise import normalise
from components.safety.patterns import PATTERNS_FILE, PatternSet, Rule, compile_phrase, load_pattern_set

NEGATION_WINDOW = 6
SAFETY_CATEGORIES = ("crisis", "red_flag")  # in order of priority
IDIOM_KEY_PREFIX = "idiom:"
VOCABULARY_KEY_PREFIX = "vocabulary:"
ALL_CLEAR_KEY = "all_clear"
ALL_CLEAR_WINDOW = 6
# Words that start a new clause: an 'unless_near' exception does not reach across them.
CLAUSE_BREAKS = frozenset({"and", "but", "then", "now", "however", "although", "though", "yet", "whereas", "except"})


@dataclass(frozen=True)
class Signal:
    rule: str
    category: str
    urgency: str | None


@dataclass(frozen=True)
class Screening:
    signals: tuple[Signal, ...] = ()
    # Safety categories in which an idiom or a negation explained a risky word away.
    defused: frozenset[str] = frozenset()

    def categories(self) -> list[str]:
        """Safety categories found, most urgent first (crisis before red flag)."""
        found = {signal.category for signal in self.signals}
        return [category for category in SAFETY_CATEGORIES if category in found]

    def rules(self, category: str) -> list[str]:
        return sorted({signal.rule for signal in self.signals if signal.category == category})

    def urgency(self) -> str | None:
        """'emergency' if any red flag needs the emergency number, else 'same_day' or None."""
        urgencies = {signal.urgency for signal in self.signals if signal.category == "red_flag"}
        for urgency in ("emergency", "same_day"):
            if urgency in urgencies:
                return urgency
        return None

    @property
    def asks_about_medication_doses(self) -> bool:
        return any(signal.category == "medication" for signal in self.signals)


@dataclass(frozen=True)
class _Match:
    concept: str
    start: int
    end: int


class SafetyDetector:
    def __init__(self, patterns: PatternSet) -> None:
        self.patterns = patterns
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        self.matcher = AnchoredMatcher(self.nlp.vocab)
        for category, phrases in patterns.idioms.items():
            self.matcher.add(IDIOM_KEY_PREFIX + category, [p for phrase in phrases for p in compile_phrase(phrase, self.nlp)])
        for category, phrases in patterns.reassurance_vocabulary.items():
            self.matcher.add(VOCABULARY_KEY_PREFIX + category, [p for phrase in phrases for p in compile_phrase(phrase, self.nlp)])
        self.matcher.add(ALL_CLEAR_KEY, [p for phrase in patterns.all_clear for p in compile_phrase(phrase, self.nlp)])
        for concept, phrases in patterns.concepts.items():
            self.matcher.add(concept, [p for phrase in phrases for p in compile_phrase(phrase, self.nlp)])
        self._sentence_rules = [rule for rule in patterns.rules if rule.scope == "sentence"]
        self._message_rules = [rule for rule in patterns.rules if rule.scope == "message"]
        self._categories_of_concept: dict[str, set[str]] = defaultdict(set)
        for rule in patterns.rules:
            for concept in rule.concepts:
                self._categories_of_concept[concept].add(rule.category)

    @classmethod
    def from_file(cls, path: Path = PATTERNS_FILE) -> SafetyDetector:
        return cls(load_pattern_set(path))

    def screen(self, text: str | None) -> Screening:
        if not text or not text.strip():
            return Screening()
        # The trailing full stop lets '$' in a pattern match the end of the message.
        doc = self.nlp(normalise(text) + " .")
        idioms: list[tuple[str, int, int]] = []
        vocabulary: list[_Match] = []
        all_clear_starts: set[int] = set()
        matches: list[_Match] = []
        for label, start, end in self.matcher(doc):
            if label.startswith(IDIOM_KEY_PREFIX):
                idioms.append((label[len(IDIOM_KEY_PREFIX) :], start, end))
            elif label.startswith(VOCABULARY_KEY_PREFIX):
                vocabulary.append(_Match(label[len(VOCABULARY_KEY_PREFIX) :], start, end))
            elif label == ALL_CLEAR_KEY:
                all_clear_starts.add(start)
            else:
                matches.append(_Match(label, start, end))

        defused = {category for category, _, _ in idioms if category in SAFETY_CATEGORIES}
        for word in vocabulary:
            if self._is_negated(doc, word, []) or self._is_declared_clear(doc, word, all_clear_starts):
                defused.add(word.concept)
        live: list[_Match] = []
        for match in matches:
            if any(start < match.end and match.start < end for _, start, end in idioms):
                continue
            if self._is_negated(doc, match, matches):
                defused |= self._categories_of_concept.get(match.concept, set()) & set(SAFETY_CATEGORIES)
                continue
            live.append(match)

        signals: set[Signal] = set()
        scopes = [(_present(live, sentence.start, sentence.end), self._sentence_rules) for sentence in doc.sents]
        scopes.append((_present(live, 0, len(doc)), self._message_rules))
        for present, rules in scopes:
            for rule in rules:
                if not all(present.get(concept) for concept in rule.concepts):
                    continue
                if self._excepted(rule, present, doc):
                    # "my dad had cancer", "I lost weight on my diet": explained away.
                    defused |= {rule.category} & set(SAFETY_CATEGORIES)
                    continue
                signals.add(Signal(rule.id, rule.category, rule.urgency))
        return Screening(tuple(sorted(signals, key=lambda s: s.rule)), frozenset(defused))

    @staticmethod
    def _excepted(rule: Rule, present: dict[str, list[_Match]], doc: Doc) -> bool:
        """The rule's own exceptions: an 'unless' concept in the sentence, or one just before or near the first concept.

        'unless_before': someone else just before ("my dad had cancer"). 'unless_near': a phrase in
        the same clause that explains it away ("a car accident in 2009", "a fall when I was 12").
        Every occurrence of the first concept must be explained: in "I fell yesterday and had a fall
        years ago" the first fall still counts.
        """
        if any(present.get(concept) for concept in rule.unless):
            return True
        if not rule.unless_before and not rule.unless_near:
            return False

        def explained(match: _Match) -> bool:
            before = any(0 <= match.start - other.end < window for concept, window in rule.unless_before.items() for other in present.get(concept, []))
            near = any(_within_clause(doc, match, other, window) for concept, window in rule.unless_near.items() for other in present.get(concept, []))
            return before or near

        return all(explained(match) for match in present[rule.concepts[0]])

    def _is_negated(self, doc: Doc, match: _Match, matches: list[_Match]) -> bool:
        """A negation cue shortly before the match, in the same clause ("no fever", "never had cancer").

        Words of a phrase for another concept end the search: in "I can not feel anything
        down there" the "not" belongs to "can not feel" and does not negate "down there";
        in "no fever or chills" the negation carries over the list of fever words.
        """
        start = match.start
        sentence_start = doc[start].sent.start
        for index in range(start - 1, max(sentence_start, start - NEGATION_WINDOW) - 1, -1):
            token = doc[index]
            if token.is_punct or token.lower_ in self.patterns.terminators:
                return False
            covering = {other.concept for other in matches if other.start <= index < other.end}
            if covering and match.concept not in covering:
                return False
            if token.lower_ in self.patterns.negation_cues and not self._is_pseudo_negation(doc, index):
                return True
        return False

    def _is_declared_clear(self, doc: Doc, word: _Match, all_clear_starts: set[int]) -> bool:
        """ "bladder and bowels are fine": an all-clear phrase soon after, in the same clause."""
        sentence_end = doc[word.start].sent.end
        for index in range(word.end, min(sentence_end, word.end + ALL_CLEAR_WINDOW)):
            if index in all_clear_starts:
                return True
            token = doc[index]
            if token.is_punct or (token.lower_ in self.patterns.terminators and token.lower_ != "and"):
                return False
        return False

    def _is_pseudo_negation(self, doc: Doc, index: int) -> bool:
        pair = doc[index : index + 2].text.lower()
        return pair in self.patterns.pseudo_negations


def _present(matches: list[_Match], start: int, end: int) -> dict[str, list[_Match]]:
    """The matches that start between two token positions, by concept."""
    present: dict[str, list[_Match]] = defaultdict(list)
    for match in matches:
        if start <= match.start < end:
            present[match.concept].append(match)
    return present


def _within_clause(doc: Doc, match: _Match, other: _Match, window: int) -> bool:
    """`other` overlaps `match`, or fewer than `window` words separate them and none starts a new clause."""
    if other.start < match.end and match.start < other.end:
        return True
    between = doc[match.end : other.start] if other.start >= match.end else doc[other.end : match.start]
    return len(between) < window and not any(token.lower_ in CLAUSE_BREAKS for token in between)


@lru_cache(maxsize=1)
def default_detector() -> SafetyDetector:
    """The detector for the shipped patterns, built once per process."""
    return SafetyDetector.from_file()
