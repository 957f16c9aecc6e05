"""Text normalisation shared by the patterns and the messages they are matched against.

Contractions are written out ("can't", "cant", "cannot" all become "can not")
so that one pattern covers every way a patient types the same words.
"""

from __future__ import annotations

import re

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'})

# Apostrophe-less forms that are not also ordinary words ("ill", "its", "were" are left alone).
_BARE_CONTRACTIONS = {
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "dont": "do not",
    "didnt": "did not",
    "doesnt": "does not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "couldnt": "could not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "aint": "am not",
    "im": "i am",
    "ive": "i have",
    "id": "i would",
    "whats": "what is",
    "thats": "that is",
    "theres": "there is",
    "youre": "you are",
    "theyre": "they are",
}

_APOSTROPHE_RULES = (
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bain't\b"), "am not"),
    (re.compile(r"\b(\w+)n't\b"), r"\1 not"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"\b(\w+)'ve\b"), r"\1 have"),
    (re.compile(r"\b(\w+)'re\b"), r"\1 are"),
    (re.compile(r"\b(\w+)'ll\b"), r"\1 will"),
    (re.compile(r"\b(i|you|he|she|we|they)'d\b"), r"\1 would"),
    (re.compile(r"\b(it|what|that|there|here|he|she|who)'s\b"), r"\1 is"),
)
_BARE = re.compile(r"\b(" + "|".join(sorted(_BARE_CONTRACTIONS, key=len, reverse=True)) + r")\b")
_CAN_NOT = re.compile(r"\bcan\s+not\b")
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def normalise(text: str) -> str:
    """Lower-case, straight quotes, contractions written out, hyphens as spaces, single spaces."""
    text = text.translate(_QUOTES).lower().replace("&", " and ")
    text = _HYPHEN.sub(" ", text)
    for pattern, replacement in _APOSTROPHE_RULES:
        text = pattern.sub(replacement, text)
    text = _BARE.sub(lambda match: _BARE_CONTRACTIONS[match.group(1)], text)
    text = _CAN_NOT.sub("can not", text)
    return " ".join(text.split())
