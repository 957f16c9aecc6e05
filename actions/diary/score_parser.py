"""Read a pain rating on the 0-10 numeric rating scale from what a patient typed.

Patients answer "how is your pain, 0 to 10?" in many ways ("about a 6/10 after
20 minutes of walking", "six or seven", "no pain today"). A wrong number in the
diary is worse than one more question, so the parser says when it is unsure
instead of guessing:

* SCORE: exactly one value on the scale.
* RANGE: the patient hesitated ("6 or 7", "6-7", "6.5", "3 this morning, now
  6"), so the bot asks which whole number to record. Candidates are sorted.
* OUT_OF_RANGE: a number off the scale ("15", "-3", "11/10"). It wins over any
  in-range numbers in the same message ("10 or 11"), so the bot re-explains the
  scale rather than store a number the patient may not have meant.
* NONE: nothing that reads as a rating.

Decisions for the ambiguous cases:

* A rating out of another maximum ("3/5", "7 out of 5", "70 out of 100") is not
  on this scale and is ignored, so on its own it gives NONE and the bot
  re-explains the 0-10 scale; converting it would put words in the patient's mouth.
* "a/b" with b = a + 1, both 0-10 and b != 10 ("6/7", "4/5") is a hesitation: RANGE.
* Numbers attached to units (minutes, km, steps, reps, %, ...), times (3pm,
  10:30), dates, ordinals, years ("since 2019"), ages ("I'm 45"), labels
  ("day 3", "type 2") and the scale itself ("on a scale of 0 to 10") are not ratings.
* "no pain", "pain free" and "not in pain" mean 0 (but not "no pain relief").
* All remaining numbers count equally: two different ones give RANGE even if one
  is written as "N/10", because a wrong score is worse than asking.

The parser is deterministic and cheap: a small tokenizer and a few passes over
the tokens, no model and no third-party code.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from enum import Enum

SCALE_MIN = 0
SCALE_MAX = 10


def _words(text: str) -> frozenset[str]:
    """A word list written as one string, so the lists stay easy to read and extend."""
    return frozenset(text.split())


class ScoreKind(str, Enum):
    SCORE = "score"
    OUT_OF_RANGE = "out_of_range"
    RANGE = "range"
    NONE = "none"


@dataclass(frozen=True)
class ScoreReading:
    """What the message says about the pain score (see the module docstring)."""

    kind: ScoreKind
    value: int | None = None  # 0..10, only for SCORE
    candidates: tuple[float, ...] = ()  # RANGE: the values hesitated between; OUT_OF_RANGE: the numbers off the scale


# --- Tokens ----------------------------------------------------------------

_CHARACTERS = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "′": "'",
        "`": "'",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "−": "-",
        "⁄": "/",
        "∕": "/",
        "×": "x",
    }
)

# Order matters: dates and times are recognised before the plain numbers they contain.
_TOKEN = re.compile(
    r"""
      (?P<date>[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{1,4}(?![0-9]))
    | (?P<time>[0-9]{1,2}(?:[:.][0-5][0-9])?\s*[ap]\.?m\b\.?|[0-9]{1,2}:[0-5][0-9](?![0-9])|[0-9]{1,2}\.[0-5][0-9](?![0-9.]))
    | (?P<ordinal>[0-9]+(?:st|nd|rd|th)\b)
    | (?P<code>(?:[a-z]{1,2}|covid)[0-9][a-z0-9]*)
    | (?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
    | (?P<word>[a-z]+(?:'[a-z]+)*)
    | (?P<sym>\S)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # date, time, ordinal, code (l5, b12), num, word or sym
    text: str
    value: float | None = None  # for num
    glued: bool = False  # no space before it


def _normalise(text: str) -> str:
    """Typographic characters to plain ones, lower case; "6½" becomes "6.5"."""
    text = re.sub(r"([0-9])\s*½", r"\1.5", text).replace("½", " half ")
    return unicodedata.normalize("NFKC", text).translate(_CHARACTERS).lower()


def _tokenise(text: str) -> list[_Token]:
    text = _normalise(text)
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "sym"
        glued = match.start() > 0 and not text[match.start() - 1].isspace()
        tokens.append(_Token(kind, match.group(), float(match.group()) if kind == "num" else None, glued))
    return tokens


def _is_word(tokens: list[_Token], i: int, *words: str) -> bool:
    return 0 <= i < len(tokens) and tokens[i].kind == "word" and (not words or tokens[i].text in words)


def _is_num(tokens: list[_Token], i: int) -> bool:
    return 0 <= i < len(tokens) and tokens[i].kind == "num"


def _text_at(tokens: list[_Token], i: int) -> str:
    return tokens[i].text if 0 <= i < len(tokens) else ""


# --- Number words, halves and signs ----------------------------------------

_NUMBER_NAMES = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
_SMALL_NUMBERS = {"zero": 0, "nought": 0, "naught": 0, "nil": 0} | {word: value for value, word in enumerate(_NUMBER_NAMES.split(), start=1)}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# "one" is often a pronoun: "no one", "this one", "one of those days", "one more".
_BEFORE_PRONOUN_ONE = _words("the this that no any every each some which another other my your his her their our")
_AFTER_PRONOUN_ONE = _words("of more another thing things way bit side")


def _number_word_at(tokens: list[_Token], i: int) -> tuple[int | None, int]:
    """The value of a number written in words at i ("six", "twenty-five", "a hundred"), and how many tokens it takes."""
    text = tokens[i].text if tokens[i].kind == "word" else ""
    if text in _TENS:
        value, used = _TENS[text], 1
        j = i + 2 if _text_at(tokens, i + 1) == "-" else i + 1
        if _is_word(tokens, j) and 1 <= _SMALL_NUMBERS.get(tokens[j].text, 0) <= 9:
            value, used = value + _SMALL_NUMBERS[tokens[j].text], j - i + 1
    elif text in _SMALL_NUMBERS:
        if text == "one" and (_is_word(tokens, i - 1, *_BEFORE_PRONOUN_ONE) or _is_word(tokens, i + 1, *_AFTER_PRONOUN_ONE)):
            return None, 0
        value, used = _SMALL_NUMBERS[text], 1
    elif text == "hundred":
        return 100, 1
    else:
        return None, 0
    if _is_word(tokens, i + used, "hundred") and 1 <= value <= 9:
        value, used = value * 100, used + 1
    return value, used


def _merge_number_words(tokens: list[_Token]) -> list[_Token]:
    merged: list[_Token] = []
    i = 0
    while i < len(tokens):
        value, used = _number_word_at(tokens, i)
        if value is None:
            merged.append(tokens[i])
            i += 1
            continue
        text = " ".join(token.text for token in tokens[i : i + used])
        merged.append(_Token("num", text, float(value), tokens[i].glued))
        i += used
    return merged


def _merge_fractions(tokens: list[_Token]) -> list[_Token]:
    """ "six and a half" is 6.5 and "six point five" is 6.5, which the scale turns into a RANGE."""
    merged: list[_Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "num" and token.value is not None and token.value.is_integer():
            if _is_word(tokens, i + 1, "and") and _is_word(tokens, i + 2, "a") and _is_word(tokens, i + 3, "half"):
                merged.append(replace(token, value=token.value + 0.5))
                i += 4
                continue
            digit = tokens[i + 2] if _is_word(tokens, i + 1, "point") and _is_num(tokens, i + 2) else None
            if digit is not None and digit.value is not None and digit.value in range(10):
                merged.append(replace(token, value=token.value + digit.value / 10))
                i += 3
                continue
        merged.append(token)
        i += 1
    return merged


def _apply_signs(tokens: list[_Token]) -> list[_Token]:
    """ "minus 3" and "-3" are negative; in "6-7" and "5 - 6" the dash joins a range, and "covid-19" is a name."""
    signed: list[_Token] = []
    i = 0
    while i < len(tokens):
        token, following = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and following.kind == "num" and following.value is not None:
            after_number = bool(signed) and signed[-1].kind == "num"
            is_word_sign = _is_word(tokens, i, "minus", "negative")
            is_dash_sign = token.text == "-" and following.glued and not after_number and (not token.glued or (bool(signed) and signed[-1].kind == "sym"))
            if is_word_sign or is_dash_sign:
                signed.append(replace(following, value=-following.value))
                i += 2
                continue
        signed.append(token)
        i += 1
    return signed


# --- Which numbers are ratings ---------------------------------------------

# A number followed by one of these is an amount of something else ("20 minutes", "10 squats", "3 weeks").
_UNITS = _words(
    "sec secs second seconds min mins minute minutes h hr hrs hour hours day days week weeks wk wks month months year years yr yrs decade decades "
    "night nights morning mornings evening evenings afternoon afternoons m metre metres meter meters km kms k kilometre kilometres kilometer "
    "kilometers mile miles mi yard yards yd yds ft foot feet inch inches cm mm step steps rep reps repetition repetitions time times x set sets "
    "round rounds lap laps length lengths attempt attempts stair stairs flight flights floor floors squat squats lunge lunges press push pushup "
    "pushups pressup pressups sit situp situps curl curls kg kgs kilo kilos g lb lbs pound pounds stone st mg ml tablet tablets pill pills "
    "capsule capsules dose doses puff puffs drop drops paracetamol ibuprofen codeine naproxen cup cups glass glasses drink drinks unit units "
    "coffee coffees percent per pc o'clock oclock yo kid kids child children grandchild grandchildren people person dog dogs session sessions "
    "appointment appointments visit visits class classes"
)
# Words allowed between a number and its unit: "20 more minutes", "20 or so minutes".
_BEFORE_UNIT = _words("more odd extra whole full long short straight or so ish")
# A number right after one of these is a label, not a rating: "day 3", "type 2 diabetes", "aged 45".
_LABELS = _words(
    "day week month year page chapter step exercise session lesson module number version episode part phase stage room bus flat tier type grade "
    "round aged age x covid vitamin"
)
_MONTHS = _words("january february march april june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec")
_BEFORE_YEAR = _words("in since of from until till before after year")
_MONEY_AND_SIGNS = frozenset("£$€#")
# Connectors that let "6 or 7 minutes" share the unit of the second number.
_RANGE_WORDS = frozenset(("or", "to", "-"))


@dataclass(frozen=True)
class _Rating:
    index: int  # position in the token list
    value: float
    explicit: bool = False  # written as "N/10" or "N out of 10"


def _has_unit_after(tokens: list[_Token], i: int) -> bool:
    j = i + 1
    if _text_at(tokens, j) == "-" and _is_word(tokens, j + 1):  # "10-minute walk"
        j += 1
    skipped = 0
    while skipped < 2 and _is_word(tokens, j, *_BEFORE_UNIT):
        j, skipped = j + 1, skipped + 1
    if j >= len(tokens):
        return False
    following = tokens[j]
    return (following.kind == "word" and following.text in _UNITS) or following.text == "%" or (following.kind == "code" and following.text.startswith("x"))


def _is_other_number(tokens: list[_Token], i: int) -> bool:
    """A date, year, age, label, price or amount rather than a rating."""
    value = tokens[i].value or 0.0
    before = tokens[i - 1] if i > 0 else None
    if _has_unit_after(tokens, i) or _is_word(tokens, i + 1, *_MONTHS):
        return True
    if before is None:
        return False
    if before.text == "-" and before.glued and tokens[i].glued and _is_word(tokens, i - 2):  # a name like "covid-19"
        return True
    if (before.kind == "word" and before.text in _LABELS | _MONTHS) or before.text in _MONEY_AND_SIGNS:
        return True
    if value.is_integer() and 1900 <= value <= 2099 and before.text in _BEFORE_YEAR:
        return True
    said_i_am = before.text in ("i'm", "im") or (before.text == "am" and _text_at(tokens, i - 2) == "i")
    return said_i_am and value > SCALE_MAX


def _denominator(tokens: list[_Token], i: int) -> tuple[int, bool] | None:
    """Where the "10" of "7/10" or "7 out of 10" is, and whether it was written with a slash."""
    if _text_at(tokens, i + 1) == "/" and _is_num(tokens, i + 2):
        return i + 2, True
    if _is_word(tokens, i + 1, "out") and _is_word(tokens, i + 2, "of") and _is_num(tokens, i + 3):
        return i + 3, False
    return None


def _is_scale_mention(tokens: list[_Token], i: int) -> bool:
    """ "on a scale of 0 to 10", "1-10 scale": the patient repeating the question, not answering it."""
    if tokens[i].value not in (0, 1) or _text_at(tokens, i + 1) not in ("to", "-") or not _is_num(tokens, i + 2) or tokens[i + 2].value != SCALE_MAX:
        return False
    return any(token.text == "scale" for token in tokens[max(0, i - 4) : i + 7])


def _ratings(tokens: list[_Token]) -> list[_Rating]:
    """The numbers in the message that could be the pain rating."""
    numbers = [i for i, token in enumerate(tokens) if token.kind == "num"]
    other = {i for i in numbers if _is_other_number(tokens, i)}
    for i in reversed(numbers):  # "6 or 7 minutes", "between 10 and 15 minutes": the first number shares the unit
        joined = _text_at(tokens, i + 1) in _RANGE_WORDS or (_is_word(tokens, i + 1, "and") and _is_word(tokens, i - 1, "between"))
        if joined and i + 2 in other and _has_unit_after(tokens, i + 2):
            other.add(i)
    for i in numbers:
        if _is_scale_mention(tokens, i):
            other.update((i, i + 2))

    ratings: list[_Rating] = []
    denominators: set[int] = set()
    for i in numbers:
        if i in denominators:
            continue
        found = _denominator(tokens, i)
        if found is not None:
            denominators.add(found[0])
        if i in other:
            continue
        if found is None:
            ratings.append(_Rating(i, tokens[i].value or 0.0))
            continue
        j, slash = found
        numerator, denominator = tokens[i].value or 0.0, tokens[j].value or 0.0
        if denominator == SCALE_MAX:
            ratings.append(_Rating(i, numerator, explicit=True))
        elif slash and j not in other and numerator.is_integer() and SCALE_MIN <= numerator < denominator <= SCALE_MAX and denominator == numerator + 1:
            ratings.extend((_Rating(i, numerator), _Rating(j, denominator)))  # "6/7": six or seven
        # Otherwise a rating out of another maximum ("3/5"): not on this scale, so ignored.
    return ratings


_NOT_RATING_AFTER_NO_PAIN = _words(
    "relief killer killers meds medication medications medicine medicines management clinic clinics team specialist specialists service services "
    "gain consultant nurse doctor physio"
)


def _says_no_pain(tokens: list[_Token]) -> bool:
    """ "no pain today", "pain free", "pain-free", "not in any pain": a rating of 0."""
    for i, token in enumerate(tokens):
        if token.kind != "word":
            continue
        if token.text == "painfree":
            return True
        if token.text == "pain":
            if _is_word(tokens, i + 1, "free") or (_text_at(tokens, i + 1) == "-" and _is_word(tokens, i + 2, "free")):
                return True
            if _is_word(tokens, i - 1, "no") and not _is_word(tokens, i + 1, *_NOT_RATING_AFTER_NO_PAIN):
                return True
            in_pain = _is_word(tokens, i - 1, "in") or (_is_word(tokens, i - 1, "any") and _is_word(tokens, i - 2, "in"))
            if in_pain and _is_word(tokens, i - (2 if _text_at(tokens, i - 1) == "in" else 3), "not"):
                return True
    return False


def _analyse(text: str) -> tuple[list[_Token], list[_Rating]]:
    tokens = _apply_signs(_merge_fractions(_merge_number_words(_tokenise(text or ""))))
    return tokens, _ratings(tokens)


def parse_pain_score(text: str) -> ScoreReading:
    """The pain score in a free-text answer, or why there isn't exactly one (see the module docstring)."""
    tokens, ratings = _analyse(text)
    on_scale: set[int] = set()
    off_scale: set[float] = set()
    for rating in ratings:
        if SCALE_MIN <= rating.value <= SCALE_MAX:
            on_scale.update((math.floor(rating.value), math.ceil(rating.value)))  # 6.5 -> 6 or 7: the scale is whole numbers
        else:
            off_scale.add(rating.value)
    if _says_no_pain(tokens):
        on_scale.add(0)
    if off_scale:
        return ScoreReading(ScoreKind.OUT_OF_RANGE, candidates=tuple(sorted(off_scale)))
    if len(on_scale) == 1:
        return ScoreReading(ScoreKind.SCORE, value=on_scale.pop())
    if on_scale:
        return ScoreReading(ScoreKind.RANGE, candidates=tuple(float(value) for value in sorted(on_scale)))
    return ScoreReading(ScoreKind.NONE)


# --- Is this message a pain rating at all? ---------------------------------

_PAIN_WORDS = _words("pain pains painful hurt hurts hurting ache aches aching achy sore soreness")
_RATING_WORDS = _words("score level rating rate rated scale")
# "stress level 7" or "sleep score 6" is not about pain.
_OTHER_MEASURES = _words(
    "energy stress mood sleep fatigue anxiety activity fitness tiredness confidence motivation happiness depression heart blood sugar glucose "
    "oxygen difficulty exercise step steps noise"
)
# Words that may sit between the pain word and the number: "my pain is about a 6", "pain went up to 7 today".
_FILLERS = _words(
    "a an the is was 's it it's its at about around roughly approximately maybe probably like today now currently right solid of on as be been "
    "being has have had feels feel feeling felt i'd i'm i would say says gets got get went up down to am are were still"
)
_SENTENCE_END = frozenset(".!?;")
_QUESTION_WORDS = _words("what what's whats why how how's hows when where which who whose")
_QUESTION_VERBS = _words("is are does do should can could would will shall isn't aren't doesn't don't")
MAX_WORDS_BETWEEN = 2
MAX_TOKENS_APART = 12  # fillers and punctuation included; also keeps long messages cheap


def _is_pain_word(tokens: list[_Token], i: int) -> bool:
    if not _is_word(tokens, i):
        return False
    if tokens[i].text in _PAIN_WORDS:
        return True
    return tokens[i].text in _RATING_WORDS and not _is_word(tokens, i - 1, *_OTHER_MEASURES)


def _words_between(tokens: list[_Token], a: int, b: int) -> int | None:
    """How many meaningful words separate two tokens, or None across a sentence end."""
    count = 0
    for token in tokens[min(a, b) + 1 : max(a, b)]:
        if token.text in _SENTENCE_END:
            return None
        if token.kind == "sym" or (token.kind == "word" and token.text in _FILLERS):
            continue
        count += 1
    return count


def _is_question(tokens: list[_Token]) -> bool:
    first = next((token.text for token in tokens if token.kind == "word"), "")
    return first in _QUESTION_WORDS or (first in _QUESTION_VERBS and any(token.text == "?" for token in tokens))


def looks_like_pain_rating(text: str) -> bool:
    """True only when the message clearly rates pain ("8/10", "my pain is 7 today"), so it can go to the diary whatever the classifier guessed.

    Deliberately strict: a bare "5" or "I did 10 squats" stays with the classifier.
    """
    tokens, ratings = _analyse(text)
    if _is_question(tokens):
        return False
    if any(rating.explicit for rating in ratings):
        return True
    pain_words = [i for i in range(len(tokens)) if _is_pain_word(tokens, i)]
    for rating in ratings:
        if SCALE_MIN <= rating.value <= SCALE_MAX:
            for i in pain_words:
                if abs(i - rating.index) > MAX_TOKENS_APART:
                    continue
                between = _words_between(tokens, i, rating.index)
                if between is not None and between <= MAX_WORDS_BETWEEN:
                    return True
    return False
