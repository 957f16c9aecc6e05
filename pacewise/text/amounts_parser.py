"""Read how much of an activity a patient can do, for pacing baselines and logged sessions.

The baseline is the average of a few honest amounts ("10, 12 and 8 minutes") or
what the patient manages on good and bad days. Patients write these in many
ways ("half an hour", "an hour and a half", "500m", "3 sets of 10"), so this
turns them into numbers in one of four units, deterministically.

Decisions for the ambiguous cases:

* Amounts are converted to the base unit of their family: seconds and hours to
  minutes, km, miles (1609 m) and yards to metres. "1 hour 30" and "1 hour and
  30 minutes" are one amount (90 minutes); "1 hour, 45 minutes" is two.
* A number without a unit takes the unit of the amount it is listed with ("10,
  12 and 8 minutes", "1 or 2 hours"), else of the nearest amount before it,
  else after it, else `default_unit` (and stays as written). With no unit at
  all the reading's unit is None.
* "3 sets of 10" and "3 x 10" are one amount of 30 (repetitions unless a unit
  follows): the total done. "10 times a day" is a frequency, not an amount.
* A range ("10-15 minutes", "10 to 15", "10 or 15") gives both amounts, so the
  average is the middle; for a good or bad day it gives the middle.
* Good- and bad-day amounts are not in `amounts`. "20 minutes on a good day"
  binds backwards, "on a good day I can walk 20 minutes" forwards.
* Days, weeks, %, kg, tablets, laps and the like are not amounts; neither are
  times of day ("at 3pm", "10:30", "at 10"), dates ("on the 3rd"), years, pain
  scores ("pain 6/10", "pain went up to 7") or fractions like "6/10".
* `problem` is "mixed_units" when the amounts are in more than one family ("10
  minutes and 500 metres") and "implausible" when one is negative or absurd
  (more than a day of minutes, 100 km, 10000 repetitions or 100000 steps).
  Either way the reading carries no amounts, so nothing wrong can be saved by
  accident; the bot asks again.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from enum import Enum

from pacewise.text import tokens as text_tokens
from pacewise.text.tokens import Token, is_num, is_phrase, is_word, text_at, words


class Unit(str, Enum):
    MINUTES = "minutes"
    REPETITIONS = "repetitions"
    METRES = "metres"
    STEPS = "steps"


MIXED_UNITS = "mixed_units"
IMPLAUSIBLE = "implausible"
PLAUSIBLE_MAXIMUM = {Unit.MINUTES: 1440.0, Unit.METRES: 100_000.0, Unit.REPETITIONS: 10_000.0, Unit.STEPS: 100_000.0}


@dataclass(frozen=True)
class AmountsReading:
    """The amounts in a message, in one unit (see the module docstring)."""

    amounts: tuple[float, ...] = ()  # in `unit`, in the order given; good- and bad-day amounts are not in here
    unit: Unit | None = None
    good_day: float | None = None
    bad_day: float | None = None
    problem: str | None = None  # MIXED_UNITS, IMPLAUSIBLE or None


_LABELS = {
    Unit.MINUTES: ("minute", "minutes"),
    Unit.REPETITIONS: ("repetition", "repetitions"),
    Unit.METRES: ("metre", "metres"),
    Unit.STEPS: ("step", "steps"),
}


def format_number(amount: float) -> str:
    """12.0 -> "12", 1.5 -> "1.5", 804.567 -> "804.57": patients should not see float noise."""
    if not math.isfinite(amount):
        return str(amount)
    text = f"{round(amount, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def unit_label(unit: Unit, amount: float) -> str:
    """ "1 minute", "12 minutes", "1.5 minutes", "500 metres" (always metres, as the plan is kept)."""
    singular, plural = _LABELS[Unit(unit)]
    return f"{format_number(amount)} {singular if amount == 1 else plural}"


# --- Tokens ----------------------------------------------------------------

# "1,000 steps" is one number; "1.30" is 1.3, and "3 x10" is 3, x and 10.
_TOKEN = text_tokens.token_pattern(thousands=True)


def _tokenise(text: str) -> list[Token]:
    return text_tokens.tokenise(text, _TOKEN)


# --- Units -----------------------------------------------------------------


@dataclass(frozen=True)
class _UnitWord:
    unit: Unit
    factor: float  # how many of the base unit one of these is


def _unit_words() -> dict[str, _UnitWord]:
    table = {
        (Unit.MINUTES, 1 / 60): "sec secs second seconds",
        (Unit.MINUTES, 1.0): "min mins minute minutes",
        (Unit.MINUTES, 60.0): "h hr hrs hour hours",
        (Unit.REPETITIONS, 1.0): "rep reps repetition repetitions time times x squat squats lunge lunges pushup pushups pressup pressups situp situps "
        "curl curls raise raises bridge bridges crunch crunches",
        (Unit.METRES, 1.0): "m metre metres meter meters",
        (Unit.METRES, 1000.0): "km kms k kilometre kilometres kilometer kilometers",
        (Unit.METRES, 1609.0): "mile miles mi",
        (Unit.METRES, 0.9144): "yard yards yd yds",
        (Unit.STEPS, 1.0): "step steps",
    }
    return {word: _UnitWord(unit, factor) for (unit, factor), names in table.items() for word in names.split()}


_UNIT_WORDS = _unit_words()
_REPETITION = _UNIT_WORDS["reps"]
_MINUTE = _UNIT_WORDS["minutes"]
# "10 press-ups", "10 step ups": two words, one repetition.
_FIRST_OF_TWO_WORD_EXERCISES = words("press push sit step pull chin")
# A number followed by one of these counts something else: "5 days", "2 tablets", "10 lengths".
_NOT_AMOUNTS = words("""
    day days week weeks wk wks month months year years yr yrs decade decades night nights morning mornings evening evenings afternoon afternoons
    percent per pc kg kgs kilo kilos g lb lbs pound pounds stone st mg ml tablet tablets pill pills capsule capsules dose doses puff puffs
    drop drops paracetamol ibuprofen codeine naproxen cup cups glass glasses drink drinks unit units coffee coffees kid kids child children
    grandchild grandchildren people person dog dogs cat cats session sessions appointment appointments visit visits class classes
    lap laps length lengths stair stairs flight flights floor floors round rounds set sets o'clock oclock yo ft foot feet inch inches cm mm
    """)
# "an hour", "a mile", "a set of 10": "a" is one only before these.
_ONE_OF = words("minute min hour mile km kilometre kilometer metre meter set")
# A number right after one of these is a label, a price or a date: "day 3", "£5", "june 3".
_LABELS_BEFORE = (
    words("day week month year page chapter exercise session lesson module number version episode part phase stage room bus flat tier type grade aged age")
    | text_tokens.MONTHS
)
_BEFORE_TIME = words("at by until till past")
_PAIN_WORDS = words("pain pains score level rating rated rate scale hurt hurts hurting ache aches aching sore")
_PAIN_FILLERS = words("is was 's it's at a an about around went gone up down to of now then my the from")
_FREQUENCY_AFTER = words("a per each every")
_PERIODS = words("day days week weeks month morning mornings evening evenings night nights afternoon hour")


# --- Number words ----------------------------------------------------------

_NUMBER_NAMES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
_SMALL_NUMBERS = {word: value for value, word in enumerate(_NUMBER_NAMES.split())}
_SMALL_NUMBERS.update({"nought": 0, "nil": 0, "couple": 2})
_MULTIPLIERS = {"hundred": 100, "thousand": 1000}


def _number_word_at(tokens: list[Token], i: int) -> tuple[float | None, int]:
    """The value of a number in words at i ("ten", "twenty-five", "an" before "hour", "half a"), and how many tokens it takes."""
    text = tokens[i].text if tokens[i].kind == "word" else ""
    if text in ("half", "quarter") and not is_phrase(tokens, i - 2, "and", "a"):  # "half an hour", "half a mile"
        j = i + 1
        j += is_word(tokens, j, "of")
        j += is_word(tokens, j, "a", "an")
        return (0.5 if text == "half" else 0.25, j - i) if _unit_word_at(tokens, j) is not None else (None, 0)
    if text in ("a", "an"):
        return (1.0, 1) if is_word(tokens, i + 1, *_ONE_OF) else (None, 0)
    tens = text_tokens.tens_at(tokens, i, _SMALL_NUMBERS)
    if tens is not None:
        value, used = float(tens[0]), tens[1]
    elif text in _SMALL_NUMBERS:
        value, used = float(_SMALL_NUMBERS[text]), 1 + (text == "couple" and is_word(tokens, i + 1, "of"))
    else:
        return None, 0
    return value, used


def _apply_modifiers(tokens: list[Token]) -> list[Token]:
    """ "2 and a half", "3 thousand", "three quarters of an", "minus 5", "-5" (but "10-15" is a range)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "num" and token.value is not None:
            half = text_tokens.plus_a_half(tokens, i)
            if half is not None:
                tokens = [*tokens[:i], half, *tokens[i + 4 :]]
                continue
            if is_word(tokens, i + 1, *_MULTIPLIERS):
                tokens = [*tokens[:i], replace(token, value=token.value * _MULTIPLIERS[tokens[i + 1].text]), *tokens[i + 2 :]]
                continue
            if is_phrase(tokens, i + 1, "quarters", "of"):
                skip = 3 + (text_at(tokens, i + 3) in ("a", "an"))  # "an" may already read as one: "an hour"
                tokens = [*tokens[:i], replace(token, value=token.value * 0.25), *tokens[i + skip :]]
                continue
        negative = text_tokens.negated_number(tokens, i, out[-1] if out else None)
        if negative is not None:
            out.append(negative)
            i += 2
            continue
        out.append(token)
        i += 1
    return out


# --- Reading amounts -------------------------------------------------------


@dataclass
class _Amount:
    start: int  # first token
    end: int  # just after the last token
    value: float  # in `unit_word` units when it has one
    unit_word: _UnitWord | None = None
    group: int = -1  # amounts in a range ("10-15") share a group

    @property
    def base_value(self) -> float:
        return self.value * self.unit_word.factor if self.unit_word else self.value


def _unit_word_at(tokens: list[Token], j: int) -> _UnitWord | None:
    if not is_word(tokens, j):
        return None
    if tokens[j].text in _FIRST_OF_TWO_WORD_EXERCISES:
        k = j + 2 if text_at(tokens, j + 1) == "-" else j + 1
        if is_word(tokens, k, "ups", "up"):
            return _REPETITION
    return _UNIT_WORDS.get(tokens[j].text)


def _unit_after(tokens: list[Token], i: int) -> tuple[str | None, int]:
    """The unit word after a number at i ("20 minutes", "10-minute", "20 or so minutes") and where it is, else (None, i + 1)."""
    j = text_tokens.unit_index(tokens, i)
    if _unit_word_at(tokens, j) is not None or is_word(tokens, j, *_NOT_AMOUNTS) or text_at(tokens, j) == "%":
        return tokens[j].text, j
    return None, i + 1


def _is_excluded(tokens: list[Token], i: int) -> bool:
    """A price, label, date, year, time of day or pain score rather than an amount."""
    value = tokens[i].value or 0.0
    before = text_at(tokens, i - 1)
    is_label = before in _LABELS_BEFORE and not _ends_day_marker(tokens, i - 1)
    if is_label or before in ("£", "$", "€", "#") or is_word(tokens, i + 1, *text_tokens.MONTHS):
        return True
    if value.is_integer() and 1900 <= value <= 2099 and before in text_tokens.BEFORE_YEAR:
        return True
    if before in _BEFORE_TIME and 0 <= value <= 24 and _unit_after(tokens, i)[0] is None:
        return True
    if tokens[i].text == "one" and before in _GOOD | _BAD:
        return True  # "on a bad one"
    if text_at(tokens, i + 1) == "/" or before == "/" or is_phrase(tokens, i + 1, "out", "of") or (before == "of" and text_at(tokens, i - 2) == "out"):
        return True  # "6/10", "6 out of 10": a score or a fraction
    if _unit_after(tokens, i)[0] is not None:
        return False
    j = i - 1
    while j >= 0 and j >= i - 6 and (is_word(tokens, j, *_PAIN_FILLERS) or is_num(tokens, j) or text_at(tokens, j) == "-"):
        j -= 1
    return is_word(tokens, j, *_PAIN_WORDS)


def _ends_day_marker(tokens: list[Token], i: int) -> bool:
    """ "good day" or "flare-up day" ends at i, so the number after it is that day's amount, not a label like "day 3"."""
    if not is_word(tokens, i, *_DAY_WORDS):
        return False
    flare_up = is_word(tokens, i - 1, "up") and (is_word(tokens, i - 2, "flare") or (text_at(tokens, i - 2) == "-" and is_word(tokens, i - 3, "flare")))
    return is_word(tokens, i - 1, *_GOOD, *_BAD) or flare_up


def _read_amount(tokens: list[Token], i: int) -> _Amount | None:
    """The amount that starts with the number at i, or None when that number is not an amount."""
    value = tokens[i].value
    if value is None or _is_excluded(tokens, i):
        return None
    j = i + 1
    multiplied = False
    if is_word(tokens, j, "set", "sets") and is_word(tokens, j + 1, "of") and is_num(tokens, j + 2):  # "3 sets of 10"
        value, j, multiplied = value * (tokens[j + 2].value or 0.0), j + 3, True
    elif is_word(tokens, j, "x") and is_num(tokens, j + 1):  # "3 x 10"
        value, j, multiplied = value * (tokens[j + 1].value or 0.0), j + 2, True
    if is_word(tokens, j, "k") and is_word(tokens, j + 1, "step", "steps"):  # "5k steps"
        value, j = value * 1000, j + 1
    unit_text, k = _unit_after(tokens, j - 1)
    if unit_text is None:
        return _Amount(i, j, value, _REPETITION if multiplied else None)
    unit_word = _unit_word_at(tokens, k)
    if unit_word is None:
        return None  # "5 days", "2 tablets", "50%"
    end = k + 1
    if text_at(tokens, end) == "-" and is_word(tokens, end + 1, "ups", "up"):
        end += 2
    elif is_word(tokens, end, "ups", "up") and unit_word is _REPETITION:
        end += 1
    if (
        unit_word.unit is Unit.REPETITIONS
        and tokens[k].text in ("time", "times", "x")
        and is_word(tokens, end, *_FREQUENCY_AFTER)
        and is_word(tokens, end + 1, *_PERIODS)
    ):
        return None  # "3 times a day": how often, not how much
    if is_word(tokens, end, "ago"):
        return None  # "20 minutes ago"
    if is_phrase(tokens, end, "and", "a", "half"):  # "an hour and a half"
        value, end = value + 0.5, end + 3
    return _Amount(i, end, value, unit_word)


def _read_amounts(tokens: list[Token]) -> list[_Amount]:
    amounts: list[_Amount] = []
    i = 0
    while i < len(tokens):
        amount = _read_amount(tokens, i) if tokens[i].kind == "num" else None
        if amount is None:
            i += 1
            continue
        previous = amounts[-1] if amounts else None
        if previous is not None and _continues(tokens, previous, amount):
            previous.value = (previous.base_value + amount.base_value) / (amount.unit_word or _MINUTE).factor
            previous.unit_word, previous.end = amount.unit_word or _MINUTE, amount.end
        else:
            amounts.append(amount)
        i = amount.end
    return amounts


def _continues(tokens: list[Token], first: _Amount, second: _Amount) -> bool:
    """ "1 hour 30 minutes", "1 hour and 30", "1h30", "1 km 200 m": one amount in two parts."""
    between = [token.text for token in tokens[first.end : second.start]]
    if between not in ([], ["and"]) or first.unit_word is None:
        return False
    if second.unit_word is None:
        return first.unit_word.factor == 60 and second.value.is_integer() and 1 <= second.value <= 59
    return second.unit_word.unit is first.unit_word.unit and second.unit_word.factor < first.unit_word.factor


# --- Ranges, shared units and good or bad days -----------------------------

_LIST_WORDS = frozenset((",", "and", "or", "-", "to", "&", "then"))


def _group_ranges(tokens: list[Token], amounts: list[_Amount]) -> None:
    for index, amount in enumerate(amounts):
        amount.group = index
    for first, second in itertools.pairwise(amounts):
        between = [token.text for token in tokens[first.end : second.start]]
        if between in (["-"], ["to"], ["or"]) or (between == ["and"] and is_word(tokens, first.start - 1, "between")):
            second.group = first.group


def _share_units(tokens: list[Token], amounts: list[_Amount]) -> None:
    """Give a number without a unit the unit of its list ("10, 12 and 8 minutes"), else the one before, else the one after."""
    for first, second in reversed(list(itertools.pairwise(amounts))):
        listed = all(token.text in _LIST_WORDS for token in tokens[first.end : second.start])
        if first.unit_word is None and listed and second.unit_word is not None:
            first.unit_word = second.unit_word
    for first, second in itertools.pairwise(amounts):
        if second.unit_word is None:
            second.unit_word = first.unit_word
    for first, second in reversed(list(itertools.pairwise(amounts))):
        if first.unit_word is None:
            first.unit_word = second.unit_word


_GOOD = words("good better best ok okay")
_BAD = words("bad worse worst flare flareup")
_DAY_WORDS = words("day days one ones")
_CLAUSE_ENDS = frozenset(".;!?") | {"but", "whereas", "although", "though"}


@dataclass(frozen=True)
class _DayMarker:
    good: bool
    start: int
    end: int


def _day_markers(tokens: list[Token]) -> list[_DayMarker]:
    """ "good day", "on bad days", "a flare-up day"; "a bad one" after a "good day"."""
    markers = []
    for i, token in enumerate(tokens):
        if token.kind != "word" or token.text not in _GOOD | _BAD:
            continue
        j = i + 1
        if token.text == "flare" and text_at(tokens, j) == "-" and is_word(tokens, j + 1, "up"):
            j += 2
        elif token.text == "flare" and is_word(tokens, j, "up"):
            j += 1
        if is_word(tokens, j, *_DAY_WORDS) or (is_num(tokens, j) and tokens[j].text in ("one", "ones")):
            markers.append(_DayMarker(token.text in _GOOD, i, j + 1))
    return markers


def _bind_days(tokens: list[Token], amounts: list[_Amount]) -> tuple[list[_Amount] | None, list[_Amount] | None]:
    """The amounts meant for a good day and for a bad day (each a range group), removed from `amounts`."""
    bound: dict[bool, list[_Amount]] = {}
    markers = _day_markers(tokens)
    for index, marker in enumerate(markers):
        if marker.good in bound:
            continue
        chosen = _amount_before(tokens, amounts, marker) or _amount_after(tokens, amounts, marker, markers[index + 1] if index + 1 < len(markers) else None)
        if chosen is not None:
            group = [amount for amount in amounts if amount.group == chosen.group]
            bound[marker.good] = group
            for amount in group:
                amounts.remove(amount)
    return bound.get(True), bound.get(False)


def _amount_before(tokens: list[Token], amounts: list[_Amount], marker: _DayMarker) -> _Amount | None:
    """ "20 minutes on a good day": the amount right before "on (a)"."""
    j = marker.start - 1
    j -= is_word(tokens, j, "a", "an")
    if not is_word(tokens, j, "on", "in", "during", "for"):
        return None
    return next((amount for amount in amounts if amount.end == j), None)


def _amount_after(tokens: list[Token], amounts: list[_Amount], marker: _DayMarker, next_marker: _DayMarker | None) -> _Amount | None:
    """ "on a good day I can walk for half an hour": the first amount after it, in the same clause."""
    for amount in amounts:
        if amount.start < marker.end or (next_marker is not None and amount.start >= next_marker.start):
            continue
        if any(token.text in _CLAUSE_ENDS for token in tokens[marker.end : amount.start]):
            return None
        return amount
    return None


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _tidy(value: float) -> float:
    return round(value, 6) if math.isfinite(value) else value


def parse_amounts(text: str, default_unit: Unit | None = None) -> AmountsReading:
    """The amounts in a free-text answer, converted into one unit (see the module docstring)."""
    tokens = _apply_modifiers(text_tokens.merge_number_words(_tokenise(text or ""), _number_word_at))
    amounts = _read_amounts(tokens)
    if not amounts:
        return AmountsReading()
    _group_ranges(tokens, amounts)
    _share_units(tokens, amounts)
    good, bad = _bind_days(tokens, amounts)

    everything = amounts + (good or []) + (bad or [])
    families = {amount.unit_word.unit for amount in everything if amount.unit_word is not None}
    if len(families) > 1:
        return AmountsReading(problem=MIXED_UNITS)
    unit = families.pop() if families else (Unit(default_unit) if default_unit is not None else None)

    values = [_tidy(amount.base_value) for amount in amounts]
    good_day = _tidy(_mean([amount.base_value for amount in good])) if good else None
    bad_day = _tidy(_mean([amount.base_value for amount in bad])) if bad else None
    maximum = PLAUSIBLE_MAXIMUM[unit] if unit is not None else math.inf
    checked = [*values, *(day for day in (good_day, bad_day) if day is not None)]
    if any(not math.isfinite(value) or value < 0 or value > maximum for value in checked):
        return AmountsReading(problem=IMPLAUSIBLE)
    return AmountsReading(tuple(values), unit, good_day, bad_day)
