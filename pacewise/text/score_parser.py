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
from dataclasses import dataclass, replace
from enum import Enum

from pacewise.text import tokens as text_tokens
from pacewise.text.tokens import Token, is_num, is_phrase, is_word, text_at, words

SCALE_MIN = 0
SCALE_MAX = 10


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

# "10.30" is a time and "l5" a code; "1,000" stays 1, a comma and 000. A prime is an apostrophe too: "i′m".
_TOKEN = text_tokens.token_pattern(dotted_times=True, codes=True)
_CHARACTERS = text_tokens.CHARACTERS | str.maketrans({"′": "'"})


_HYPHENATED_DRUGS = re.compile(r"\bco-(codamol|dydramol)\b", re.IGNORECASE)


def _tokenise(text: str) -> list[Token]:
    return text_tokens.tokenise(_HYPHENATED_DRUGS.sub(r"co\1", text), _TOKEN, _CHARACTERS)


# --- Number words, halves and signs ----------------------------------------

_NUMBER_NAMES = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
_SMALL_NUMBERS = {"zero": 0, "nought": 0, "naught": 0, "nil": 0} | {word: value for value, word in enumerate(_NUMBER_NAMES.split(), start=1)}
# "one" is often a pronoun: "no one", "this one", "only the left one hurts", "it sounds like one", "one of those days",
# "one more"; and "back to square one" is an idiom.
_BEFORE_PRONOUN_ONE = words("the this that no any every each some which another other my your his her their our left right same like new old quick square")
_AFTER_PRONOUN_ONE = words("of more another thing things way bit side")


def _number_word_at(tokens: list[Token], i: int) -> tuple[int | None, int]:
    """The value of a number written in words at i ("six", "twenty-five", "a hundred"), and how many tokens it takes."""
    text = tokens[i].text if tokens[i].kind == "word" else ""
    tens = text_tokens.tens_at(tokens, i, _SMALL_NUMBERS)
    if tens is not None:
        value, used = tens
    elif text in _SMALL_NUMBERS:
        if text == "one" and (is_word(tokens, i - 1, *_BEFORE_PRONOUN_ONE) or is_word(tokens, i + 1, *_AFTER_PRONOUN_ONE)):
            return None, 0
        value, used = _SMALL_NUMBERS[text], 1
    elif text == "hundred":
        return 100, 1
    else:
        return None, 0
    if is_word(tokens, i + used, "hundred") and 1 <= value <= 9:
        value, used = value * 100, used + 1
    return value, used


def _merge_fractions(tokens: list[Token]) -> list[Token]:
    """ "six and a half" is 6.5 and "six point five" is 6.5, which the scale turns into a RANGE."""
    merged: list[Token] = []
    i = 0
    while i < len(tokens):
        token, half = tokens[i], text_tokens.plus_a_half(tokens, i)
        digit = tokens[i + 2].value if is_word(tokens, i + 1, "point") and is_num(tokens, i + 2) else None  # "six point five"
        if half is not None:
            merged.append(half)
            i += 4
        elif token.kind == "num" and token.value is not None and token.value.is_integer() and digit is not None and digit in range(10):
            merged.append(replace(token, value=token.value + digit / 10))
            i += 3
        else:
            merged.append(token)
            i += 1
    return merged


# --- Which numbers are ratings ---------------------------------------------

# A number followed by one of these is an amount of something else ("20 minutes", "10 squats", "3 weeks").
_UNITS = words(
    "sec secs second seconds min mins minute minutes h hr hrs hour hours day days week weeks wk wks month months year years yr yrs decade decades "
    "night nights morning mornings evening evenings afternoon afternoons m metre metres meter meters km kms k kilometre kilometres kilometer "
    "kilometers mile miles mi yard yards yd yds ft foot feet inch inches cm mm step steps rep reps repetition repetitions time times x set sets "
    "round rounds lap laps length lengths attempt attempts stair stairs flight flights floor floors squat squats lunge lunges press push pushup "
    "pushups pressup pressups sit situp situps curl curls kg kgs kilo kilos g lb lbs pound pounds stone st mg ml tablet tablets pill pills "
    "capsule capsules dose doses puff puffs drop drops paracetamol ibuprofen codeine naproxen cup cups glass glasses drink drinks unit units "
    "coffee coffees percent per pc o'clock oclock yo kid kids child children grandchild grandchildren people person dog dogs session sessions "
    "appointment appointments visit visits class classes cocodamol codydramol tramadol gabapentin pregabalin amitriptyline duloxetine aspirin "
    "diclofenac morphine oxycodone nurofen panadol solpadeine tab tabs painkiller painkillers patch patches injection injections vertebrae teeth"
)
# A number right after one of these is a label, not a rating: "day 3", "type 2 diabetes", "aged 45".
_LABELS = words(
    "day week wk month year page chapter step exercise session lesson module number version episode part phase stage room bus flat tier type grade "
    "round aged age turned turning x covid vitamin press pressed pressing option dial dialled dialed"
)
# "hovering round 4": here "round" means about, not a label.
_ROUND_AS_ABOUT = words("hovering hover hovers sitting sat sittin stuck staying stayed somewhere just about at")
# A number after one of these is a clock time: "woke at 5", "up since 4", "call me after 3", "took 1 naproxen at 7".
_TIME_BEFORE = words("since after before until till til")
_TIME_BETWEEN = words("till til until to")
# "on my feet from nine till late": a time of day that ends a span.
_TIMES_OF_DAY = words("late lunch lunchtime midday noon midnight dinner dinnertime tea teatime bedtime dark close closing")
_EVENT_BEFORE_AT = words(
    "woke wake wakes waking awake up took take takes taking taken ate eat bed slept sleep left leave arrived arrive finished finish started "
    "start starts again message text call ring phone meet meeting appointment physio gp doctor home work out in "
    "monday tuesday wednesday thursday friday saturday sunday tues wed thur thurs fri today tonight tomorrow"
)
# Phone numbers patients quote (UK and US emergency and non-emergency lines), when they talk about calling.
_PHONE_NUMBERS = frozenset((111.0, 999.0, 911.0, 112.0))
_ABOUT_CALLING = words("call called calling ring rang ringing dial dialled dialed phone phoned number nhs ambulance line")
# "2 little toes", "4 bulging discs", "2 good days": a count with one describing word before the noun.
_COUNT_ADJECTIVES = words("good bad little big small bulging slipped herniated prolapsed new old different separate other more extra whole long short main")
# Words ending in "s" that are not plural nouns, so "a 7 this morning" or "a 6 thanks" are not counts.
_NOT_PLURAL = words(
    "is was has does this its his hers yes as us thus plus less unless always sometimes perhaps towards afterwards nowadays across whereas "
    "besides anyways tops thanks cheers lols seems gets goes feels stays means says keeps comes makes takes starts stops lasts remains becomes "
    "looks sounds happens helps works needs wants hurts aches hers ours yours theirs"
)
_MONEY_AND_SIGNS = frozenset("£$€#")
# Connectors that let "6 or 7 minutes" share the unit of the second number.
_RANGE_WORDS = frozenset(("or", "to", "-"))


@dataclass(frozen=True)
class _Rating:
    index: int  # position in the token list
    value: float
    explicit: bool = False  # written as "N/10" or "N out of 10"


def _has_unit_after(tokens: list[Token], i: int) -> bool:
    j = text_tokens.unit_index(tokens, i)
    if j >= len(tokens):
        return False
    following = tokens[j]
    return (following.kind == "word" and following.text in _UNITS) or following.text == "%" or (following.kind == "code" and following.text.startswith("x"))


def _is_plural_noun(tokens: list[Token], j: int) -> bool:
    if not is_word(tokens, j):
        return False
    noun = tokens[j].text
    return len(noun) >= 3 and noun.endswith("s") and not noun.endswith("ss") and noun not in _NOT_PLURAL and noun not in _FILLERS


def _counts_a_plural(tokens: list[Token], i: int) -> bool:
    """ "2 knees", "3 MRIs", "4 bulging discs", "2 cortisone shots", "1 hip": a number counting things."""
    if is_word(tokens, i + 1, *_BODY_PARTS) and not is_word(tokens, i + 1, "back"):
        return True
    if _is_plural_noun(tokens, i + 1):
        return True
    describing = is_word(tokens, i + 1) and tokens[i + 1].text not in _MAY_FOLLOW_A_RATING | _AFTER_A_RATING_NOW
    return describing and _is_plural_noun(tokens, i + 2)


_PEOPLE = words(
    "mum mom mam dad mother father wife husband partner son daughter he she brother sister nan nana gran granny grandma grandad grandpa friend "
    "neighbour neighbor"
)


# A number after "<one of these> of" counts people: "a family of four", "the eldest of five", "a mum of 3".
_HAVE_MEMBERS = _PEOPLE | words("family parent grandparent grandmother grandfather eldest oldest youngest middle")
# ... and after one of these: "feeding five tonight", "serves four".
_FEEDING = words("feeding feed feeds serves serving")
# A number before "of <one of these>" counts things: "two of them for pain", "three of my tablets".
_GROUP_AFTER_OF = words("them those these us you my our your his her their the")


def _counts_people(tokens: list[Token], i: int) -> bool:
    """ "mum of three", "mum-of-three", "a family of four": a number after "<person> of"; "feeding five tonight"."""
    if text_at(tokens, i - 1) in _FEEDING:
        return True
    j = i - 1
    if text_at(tokens, j) == "-":
        j -= 1
    if text_at(tokens, j) != "of":
        return False
    j -= 1
    if text_at(tokens, j) == "-":
        j -= 1
    return text_at(tokens, j) in _HAVE_MEMBERS


def _is_age_of_someone(tokens: list[Token], i: int) -> bool:
    before = text_at(tokens, i - 1)
    if before in ("is", "was", "turns"):
        before = text_at(tokens, i - 2)
    return before in _PEOPLE or any(before == f"{person}'s" for person in _PEOPLE)


def _is_phone_number(tokens: list[Token], i: int) -> bool:
    """ "07700 900123": a number written with a leading zero, and the digits that follow it."""
    token = tokens[i]
    if len(token.text) >= 4 and token.text.startswith("0") and token.text.isdigit():
        return True
    return i > 0 and tokens[i - 1].kind == "num" and len(tokens[i - 1].text) >= 4 and tokens[i - 1].text.startswith("0")


def _is_clock_time(tokens: list[Token], i: int) -> bool:
    """ "woke at 5", "up since 4", "after 3", "9 till 5", "took 2 paracetamol at 11": a time of day, not a rating."""
    if is_word(tokens, i - 1, *_TIME_BEFORE) or (is_word(tokens, i + 1, *_TIME_BETWEEN - {"to"}) and is_num(tokens, i + 2)):
        return True
    if is_word(tokens, i - 1, "from") and is_word(tokens, i + 1, *_TIME_BETWEEN) and is_num(tokens, i + 2) and is_word(tokens, i - 2, *_EVENT_BEFORE_AT):
        return True  # "slept from 11 til 7"
    if is_word(tokens, i - 1, "from") and is_word(tokens, i + 1, *_TIME_BETWEEN - {"to"}) and is_word(tokens, i + 2, *_TIMES_OF_DAY):
        return True  # "on my feet from nine till late"
    if not is_word(tokens, i - 1, "at"):
        return False
    before_at = tokens[i - 2] if i >= 2 else None
    return before_at is not None and before_at.kind == "word" and (before_at.text in _EVENT_BEFORE_AT or before_at.text in _UNITS)


def _is_other_number(tokens: list[Token], i: int) -> bool:
    """A date, year, age, label, price, time, count or amount rather than a rating."""
    value = tokens[i].value or 0.0
    before = tokens[i - 1] if i > 0 else None
    if _has_unit_after(tokens, i) or is_word(tokens, i + 1, *text_tokens.MONTHS) or _counts_a_plural(tokens, i):
        return True
    if value in _PHONE_NUMBERS and any(is_word(tokens, j, *_ABOUT_CALLING) for j in range(max(0, i - 8), i + 3)):
        return True
    if _is_clock_time(tokens, i) or _is_phone_number(tokens, i) or _counts_people(tokens, i):
        return True
    if before is None:
        return False
    if value > SCALE_MAX and _is_age_of_someone(tokens, i):  # "mum is 72", "he's 80"
        return True
    if before.kind == "word" and before.text in _UNITS and is_num(tokens, i - 2):  # "5 ft 2", "10 stone 4"
        return True
    if before.text == "or" and text_at(tokens, i - 2) in _UNITS:  # "a day or two", "a week or 2"
        return True
    if is_word(tokens, i + 1, "of") and is_word(tokens, i + 2, *_GROUP_AFTER_OF):  # "two of them for pain"
        return True
    if is_word(tokens, i - 1, "under", "over") and i >= 2 and (_counts_a_plural(tokens, i - 3) or text_at(tokens, i - 2) in _UNITS):
        return True  # "3 kids under 7"
    if is_word(tokens, i - 1, "round") and is_word(tokens, i - 2, *_ROUND_AS_ABOUT):
        return False
    if before.text == "-" and before.glued and tokens[i].glued and is_word(tokens, i - 2):  # a name like "covid-19"
        return True
    if (before.kind == "word" and before.text in _LABELS | text_tokens.MONTHS) or before.text in _MONEY_AND_SIGNS:
        return True
    if value.is_integer() and 1900 <= value <= 2099 and before.text in text_tokens.BEFORE_YEAR:
        return True
    said_i_am = before.text in ("i'm", "im") or (before.text == "am" and text_at(tokens, i - 2) == "i")
    return said_i_am and value > SCALE_MAX


def _denominator(tokens: list[Token], i: int) -> tuple[int, bool] | None:
    """Where the "10" of "7/10" or "7 out of 10" is, and whether it was written with a slash."""
    if text_at(tokens, i + 1) == "/" and is_num(tokens, i + 2):
        return i + 2, True
    if is_phrase(tokens, i + 1, "out", "of") and is_num(tokens, i + 3):
        return i + 3, False
    if is_word(tokens, i + 1, "outta", "outa") and is_num(tokens, i + 2):
        return i + 2, False
    return None


_CHANGE_WORDS = words("up down dropped risen rose fallen fell come came gone went")


def _is_an_earlier_value(tokens: list[Token], i: int) -> bool:
    """ "up from a 3", "down from 8": the value before a change, not today's."""
    j = i - 2 if is_word(tokens, i - 1, "a", "an") else i - 1
    return is_word(tokens, j, "from") and is_word(tokens, j - 1, *_CHANGE_WORDS)


def _is_scale_mention(tokens: list[Token], i: int) -> bool:
    """ "on a scale of 0 to 10", "1-10 scale": the patient repeating the question, not answering it."""
    if tokens[i].value not in (0, 1) or text_at(tokens, i + 1) not in ("to", "-") or not is_num(tokens, i + 2) or tokens[i + 2].value != SCALE_MAX:
        return False
    return any(token.text == "scale" for token in tokens[max(0, i - 4) : i + 7])


def _ratings(tokens: list[Token]) -> list[_Rating]:
    """The numbers in the message that could be the pain rating."""
    numbers = [i for i, token in enumerate(tokens) if token.kind == "num"]
    other = {i for i in numbers if _is_other_number(tokens, i)}
    for i in reversed(numbers):  # "6 or 7 minutes", "between 10 and 15 minutes": the first number shares the unit
        joined = text_at(tokens, i + 1) in _RANGE_WORDS or (is_word(tokens, i + 1, "and") and is_word(tokens, i - 1, "between"))
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
    current = [rating for rating in ratings if not _is_an_earlier_value(tokens, rating.index)]
    return current if current else ratings


_NOT_RATING_AFTER_NO_PAIN = words(
    "relief killer killers meds medication medications medicine medicines management clinic clinics team specialist specialists service services "
    "gain consultant nurse doctor physio"
)


def _says_no_pain(tokens: list[Token]) -> bool:
    """ "no pain today", "pain free", "pain-free", "not in any pain": a rating of 0."""
    for i, token in enumerate(tokens):
        if token.kind != "word":
            continue
        if token.text == "painfree":
            return True
        if token.text == "pain":
            if is_word(tokens, i + 1, "free") or (text_at(tokens, i + 1) == "-" and is_word(tokens, i + 2, "free")):
                return True
            if is_word(tokens, i - 1, "no") and not is_word(tokens, i + 1, *_NOT_RATING_AFTER_NO_PAIN):
                return True
            in_pain = is_word(tokens, i - 1, "in") or (is_word(tokens, i - 1, "any") and is_word(tokens, i - 2, "in"))
            if in_pain and is_word(tokens, i - (2 if text_at(tokens, i - 1) == "in" else 3), "not"):
                return True
    return False


def _analyse(text: str) -> tuple[list[Token], list[_Rating]]:
    tokens = text_tokens.apply_signs(_merge_fractions(text_tokens.merge_number_words(_tokenise(text or ""), _number_word_at)))
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

_PAIN_WORDS = words("pain pains painful hurt hurts hurting ache aches aching achy sore soreness")
_RATING_WORDS = words("score level rating rate rated scale")
# "stress level 7" or "sleep score 6" is not about pain.
_OTHER_MEASURES = words(
    "energy stress mood sleep fatigue anxiety activity fitness tiredness confidence motivation happiness depression heart blood sugar glucose "
    "oxygen difficulty exercise step steps noise"
)
# Words that may sit between the pain word and the number: "my pain is about a 6", "pain went up to 7 today".
_FILLERS = words(
    "a an the is was 's it it's its at about around roughly approximately maybe probably like today now currently right solid of on as be been "
    "being has have had feels feel feeling felt i'd i'm i would say says gets got get went up down to am are were still"
)
_SENTENCE_END = frozenset(".!?;")
_QUESTION_WORDS = words("what what's whats why how how's hows when where which who whose")
_QUESTION_VERBS = words("is are does do should can could would will shall isn't aren't doesn't don't")
MAX_WORDS_BETWEEN = 2
MAX_TOKENS_APART = 12  # fillers and punctuation included; also keeps long messages cheap


def _is_pain_word(tokens: list[Token], i: int) -> bool:
    if not is_word(tokens, i):
        return False
    if tokens[i].text in _PAIN_WORDS:
        return True
    return tokens[i].text in _RATING_WORDS and not is_word(tokens, i - 1, *_OTHER_MEASURES)


def _words_between(tokens: list[Token], a: int, b: int) -> int | None:
    """How many meaningful words separate two tokens, or None across a sentence end."""
    count = 0
    for token in tokens[min(a, b) + 1 : max(a, b)]:
        if token.text in _SENTENCE_END:
            return None
        if token.kind == "sym" or (token.kind == "word" and token.text in _FILLERS):
            continue
        count += 1
    return count


def _is_question(tokens: list[Token]) -> bool:
    first = next((token.text for token in tokens if token.kind == "word"), "")
    return first in _QUESTION_WORDS or (first in _QUESTION_VERBS and any(token.text == "?" for token in tokens))


def looks_like_pain_rating(text: str) -> bool:
    """True only when the message clearly rates pain ("8/10", "my pain is 7 today"), so it can go to the diary whatever the classifier guessed.

    Deliberately strict: a bare "5" or "I did 10 squats" stays with the classifier.
    """
    tokens, ratings = _analyse(text)
    return not _is_question(tokens) and bool(_stated_ratings(tokens, ratings))


def stated_pain_score(text: str) -> int | None:
    """The one 0-10 score a message clearly states, even in passing inside a long question, else None.

    Only ratings written out of 10 or next to a pain word count, so "I did the house
    in one go ... my pain is a 7 by teatime" states 7; two different ones state none.
    """
    tokens, ratings = _analyse(text)
    stated = _stated_ratings(tokens, ratings)
    values = {rating.value for rating in stated} | {rating.value for rating in _hesitated_with(tokens, ratings, stated)}
    if len(values) != 1:
        return None
    value = values.pop()
    return int(value) if float(value).is_integer() and SCALE_MIN <= value <= SCALE_MAX else None


def _stated_ratings(tokens: list[Token], ratings: list[_Rating]) -> list[_Rating]:
    """The ratings written out of 10, and those on the scale that read as a rating: next to a pain word or a body
    part ("knee at an 8"), or said the way people give a rating ("a solid 7", "3ish", "about 5", "6 today")."""
    pain_words = [i for i in range(len(tokens)) if _is_pain_word(tokens, i) or is_word(tokens, i, *_BODY_PARTS)]
    has_other_words = sum(token.kind == "word" for token in tokens) > 0
    return [
        rating
        for rating in ratings
        if rating.explicit
        or (
            SCALE_MIN <= rating.value <= SCALE_MAX
            and not _counts_the_next_word(tokens, rating)
            and (_near_a_pain_word(tokens, rating, pain_words) or _said_as_a_rating(tokens, rating.index, has_other_words))
        )
    ]


_BODY_PARTS = words(
    "back neck knee knees hip hips shoulder shoulders ankle ankles wrist wrists elbow elbows foot feet leg legs arm arms spine joint joints "
    "sciatica fibro fibromyalgia arthritis jaw hand hands heel heels bum buttock glute groin pelvis"
)
# "a 7", "a solid 3", "about 5", "sitting at 4", "nudging 8", "maybe 3": how people give a rating in passing.
_RATING_ADJECTIVES = words("solid proper good strong steady hard rough easy mild low high constant firm definite bad real full decent measly")
_BEFORE_A_RATING = words(
    "about bout around round roughly approximately like maybe prob probably prolly say reckon sitting sat sittin sits hovering hover nudging "
    "creeping crept towards toward at barely only just solid honestly still between"
)
_BETWEEN_SENTENCES = frozenset(".!;:,")


def _said_as_a_rating(tokens: list[Token], i: int, has_other_words: bool) -> bool:
    before, after = text_at(tokens, i - 1), text_at(tokens, i + 1)
    if before in ("a", "an") or (before in _RATING_ADJECTIVES and text_at(tokens, i - 2) in ("a", "an")):
        return True
    if before in _BEFORE_A_RATING or after in _AFTER_A_RATING_NOW or (after == "-" and is_word(tokens, i + 2, "ish")):
        return True
    if is_word(tokens, i + 1, "this") and is_word(tokens, i + 2, "morning", "evening", "afternoon", "am", "pm"):
        return True
    # On its own between sentences ("nine. don't ask", "back is killing me, 8"), in a message with other words.
    alone = (i == 0 or before in _BETWEEN_SENTENCES) and (i == len(tokens) - 1 or after in _BETWEEN_SENTENCES)
    return alone and has_other_words


_HESITATION_WORDS = words("or to and maybe perhaps possibly")


def _hesitated_with(tokens: list[Token], ratings: list[_Rating], stated: list[_Rating]) -> list[_Rating]:
    """The other half of a hesitation ("5 maybe 6", "between 3 and a 4", "6-7"): a rating joined to a stated one."""
    partners = []
    for rating in ratings:
        for other in stated:
            low, high = sorted((rating.index, other.index))
            between = [token.text for token in tokens[low + 1 : high]]
            if rating is not other and 1 <= len(between) <= 3 and any(word in _HESITATION_WORDS or word == "-" for word in between):
                partners.append(rating)
    return partners


# Words that may follow a rating written in words: "a six after the walk", "seven again today".
_AFTER_A_RATING = words(
    "after again and but or then by in on at this that today tonight yesterday since because cos with from for till until if so though although "
    "while whilst when before during ish maybe perhaps nearly almost most all mark"
)
# "6 today", "7 again", "8 tops": a rating said about now.
_AFTER_A_RATING_NOW = words("today tonight now rn atm currently again tops max ish mark")
_MAY_FOLLOW_A_RATING = _FILLERS | _AFTER_A_RATING | _AFTER_A_RATING_NOW | words("tbh honestly lol mate though tho")


def _counts_the_next_word(tokens: list[Token], rating: _Rating) -> bool:
    """ "one pose hurt my back", "two knees ache": a number in words before a noun counts things, it is not a rating."""
    if any(char.isdigit() for char in tokens[rating.index].text) or not is_word(tokens, rating.index + 1):
        return False
    following = tokens[rating.index + 1].text
    return following not in _MAY_FOLLOW_A_RATING and not _is_pain_word(tokens, rating.index + 1)


def _near_a_pain_word(tokens: list[Token], rating: _Rating, pain_words: list[int]) -> bool:
    for i in pain_words:
        if abs(i - rating.index) > MAX_TOKENS_APART:
            continue
        between = _words_between(tokens, i, rating.index)
        if between is not None and between <= MAX_WORDS_BETWEEN:
            return True
    return False


# "it goes up to a 7 when I walk", "most days it's a 6": how the pain usually behaves, not a rating for the diary now.
_A_PATTERN = re.compile(
    r"\b(usually|normally|generally|typically|often|always|sometimes|whenever|every ?time|most days|some days|those days|on (good|bad) days|"
    r"tends? to|goes (up )?to|gets (up )?to|can (get|go|reach|hit)|spikes?|peaks?|by (tea ?time|the evening|bedtime|the end of the day))\b",
    re.IGNORECASE,
)


def describes_a_pattern(text: str) -> bool:
    """ "it goes up to a 7 when I walk", "most days it's a 6": how the pain usually behaves, not a score for now."""
    return bool(_A_PATTERN.search(text or ""))


def current_pain_score(text: str) -> int | None:
    """The score a message gives for the pain now (stated_pain_score), unless it describes how the pain usually goes.

    A question that carries one ("6 today, what do I do in a flare?") has it logged before the answer;
    one that describes a pattern ("it gets to a 7 by teatime, am I overdoing it?") is only offered for the diary.
    """
    return None if describes_a_pattern(text) else stated_pain_score(text)
