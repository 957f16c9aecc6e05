"""Recognise messages the bot cannot sensibly answer, so it can say why.

These checks are deterministic on purpose: an empty message, a wall of text,
emoji alone or another language should get a clear, friendly reply whatever
the classifier guessed.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from enum import Enum
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000

# Everyday English words and pain vocabulary; with the word list built at
# set-up (scripts/build_spacy_model.py) they tell English from other languages.
_COMMON_ENGLISH_WORDS = """
    a about after again all also am an and any are as at back bad be because been before being best better bit
    but by can cant can't could day days did do does doing dont don't down each even ever every feel feeling
    for from get getting go going good got had has have having he help her here him his how i i'm if im in
    into is it it's its just know like make many me more most much my need neck never no not now of off ok on
    one only or other our out over pain painful people please really right said same say see she should so
    some still stop such take tell than that the their them then there these they thing think this those time
    to too up us very want was way we well were what when where which while who why will with would yes you
    your hurt hurts hurting ache aching sore knee hip shoulder leg arm walk walking exercise exercises move
    moving sleep stress tired worse flare work
"""
_COMMON_ENGLISH = frozenset(_COMMON_ENGLISH_WORDS.split())
ENGLISH_SHARE_NEEDED = 0.5
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


class InputIssue(str, Enum):
    EMPTY = "empty"
    NO_WORDS = "no_words"
    TOO_LONG = "too_long"
    NOT_ENGLISH = "not_english"


def strip_control_characters(text: str) -> str:
    """Remove invisible control and format characters, keeping ordinary spacing."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))


def assess(text: str | None) -> InputIssue | None:
    """What is wrong with a message, or None when it can be answered normally."""
    cleaned = strip_control_characters(text or "").strip()
    if not cleaned:
        return InputIssue.EMPTY
    if len(cleaned) > MAX_MESSAGE_CHARS:
        return InputIssue.TOO_LONG
    if not any(ch.isalnum() for ch in cleaned):
        return InputIssue.NO_WORDS
    if _looks_non_english(cleaned):
        return InputIssue.NOT_ENGLISH
    return None


def _looks_non_english(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    if latin / len(letters) < 0.5:
        return True
    words = [word.lower() for word in _WORD.findall(text)]
    if len(words) < 3:
        return False
    vocabulary = _english_vocabulary()
    known = sum(1 for word in words if word in vocabulary or word.rstrip("s") in vocabulary)
    return known / len(words) < ENGLISH_SHARE_NEEDED


WORDS_FILE = Path(__file__).resolve().parents[2] / ".venv" / "pacewise" / "english_words.txt"


@cache
def _english_vocabulary() -> frozenset[str]:
    try:
        words = WORDS_FILE.read_text(encoding="utf-8").split()
    except OSError:
        logger.warning("%s is missing (run `make setup`); recognising English from a short word list only", WORDS_FILE)
        words = []
    return _COMMON_ENGLISH | frozenset(words)
