"""A spaCy Matcher that only tries the patterns whose first word is in the message.

spaCy's Matcher starts every pattern at every token, so its cost grows with
the number of patterns: the safety phrases expand to a few thousand, which
took 5 ms on a 30-word message. Grouped by their first word, only the few
groups whose word occurs are run; the matches are exactly the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

TokenPattern = dict[str, Any]


class AnchoredMatcher:
    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._by_first_word: dict[str, Matcher] = {}
        self._unanchored = Matcher(vocab)  # patterns starting with a number, a year or punctuation

    def add(self, label: str, patterns: Iterable[list[TokenPattern]]) -> None:
        for pattern in patterns:
            for word in _first_words(pattern) or [None]:
                if word is None:
                    self._unanchored.add(label, [pattern])
                else:
                    self._by_first_word.setdefault(word, Matcher(self.vocab)).add(label, [pattern])

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(label, start, end) of every match, as Matcher would find them, in order."""
        found: set[tuple[int, int, int]] = set(self._unanchored(doc))
        for word in {token.lower_ for token in doc}:
            matcher = self._by_first_word.get(word)
            if matcher is not None:
                found.update(matcher(doc))
        strings = self.vocab.strings
        return [(strings[key], start, end) for key, start, end in sorted(found, key=lambda match: (match[1], match[2], match[0]))]


def _first_words(pattern: list[TokenPattern]) -> list[str]:
    """The lower-case words the pattern's first token must be, or [] when it is not a plain word."""
    first = pattern[0] if pattern else {}
    if set(first) != {"LOWER"}:
        return []
    value = first["LOWER"]
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"}:
        return list(value["IN"])
    return []
