"""The tokenizer the pain score parser (diary) and the amounts parser (goals) share.

It turns what a patient typed into tokens (dates, times, ordinals, numbers,
words and symbols) and offers the small steps both parsers take over them:
looking at a token, reading numbers written in words, signs, and finding the
unit after a number. Each parser chooses the details that differ between them
through `token_pattern` and the `characters` table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace


def words(text: str) -> frozenset[str]:
    """A word list written as one string, so the lists stay easy to read and extend."""
    return frozenset(text.split())


# Typographic characters and the plain ones they stand for.
CHARACTERS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "⁄": "/", "∕": "/", "×": "x"})


def token_pattern(*, dotted_times: bool = False, codes: bool = False, thousands: bool = False) -> re.Pattern[str]:
    """The token regex. Order matters: dates and times are recognised before the plain numbers they contain.

    dotted_times: "10.30" is a time rather than the number 10.3.
    codes: "l5", "b12" and "covid19" are one token (kind "code") rather than a word and a number.
    thousands: "1,000" is one number rather than 1, a comma and 000.
    """
    time = r"[0-9]{1,2}(?:[:.][0-5][0-9])?\s*[ap]\.?m\b\.?|[0-9]{1,2}:[0-5][0-9](?![0-9])"
    if dotted_times:
        time += r"|[0-9]{1,2}\.[0-5][0-9](?![0-9.])"
    number = r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+"
    if thousands:
        number = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|" + number
    groups = [
        r"(?P<date>[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{1,4}(?![0-9]))",
        f"(?P<time>{time})",
        r"(?P<ordinal>[0-9]+(?:st|nd|rd|th)\b)",
        *([r"(?P<code>(?:[a-z]{1,2}|covid)[0-9][a-z0-9]*)"] if codes else []),
        f"(?P<num>{number})",
        r"(?P<word>[a-z]+(?:'[a-z]+)*)",
        r"(?P<sym>\S)",
    ]
    return re.compile("|".join(groups))


@dataclass(frozen=True)
class Token:
    kind: str  # date, time, ordinal, code (l5, b12; only with codes=True), num, word or sym
    text: str
    value: float | None = None  # for num
    glued: bool = False  # no space before it


def normalise(text: str, characters: dict[int, str] = CHARACTERS) -> str:
    """Typographic characters to plain ones, lower case; "6½" becomes "6.5"."""
    text = re.sub(r"([0-9])\s*½", r"\1.5", text).replace("½", " half ")
    return unicodedata.normalize("NFKC", text).translate(characters).lower()


def tokenise(text: str, pattern: re.Pattern[str], characters: dict[int, str] = CHARACTERS) -> list[Token]:
    """The tokens of `text`, normalised with `characters` and split by `pattern` (from `token_pattern`)."""
    text = normalise(text, characters)
    tokens = []
    for match in pattern.finditer(text):
        kind = match.lastgroup or "sym"
        glued = match.start() > 0 and not text[match.start() - 1].isspace()
        value = float(match.group().replace(",", "")) if kind == "num" else None
        tokens.append(Token(kind, match.group(), value, glued))
    return tokens


def is_word(tokens: list[Token], i: int, *choices: str) -> bool:
    """A word at i, and one of `choices` if any are given."""
    return 0 <= i < len(tokens) and tokens[i].kind == "word" and (not choices or tokens[i].text in choices)


def is_phrase(tokens: list[Token], i: int, *phrase: str) -> bool:
    """The words of `phrase`, one a token, from i on: is_phrase(tokens, i, "and", "a", "half")."""
    return all(is_word(tokens, i + offset, word) for offset, word in enumerate(phrase))


def is_num(tokens: list[Token], i: int) -> bool:
    return 0 <= i < len(tokens) and tokens[i].kind == "num"


def text_at(tokens: list[Token], i: int) -> str:
    return tokens[i].text if 0 <= i < len(tokens) else ""


def plus_a_half(tokens: list[Token], i: int) -> Token | None:
    """The whole number at i plus 0.5 when "and a half" follows it ("six and a half", "2 and a half"), else None. It takes four tokens."""
    token = tokens[i]
    if token.kind == "num" and token.value is not None and token.value.is_integer() and is_phrase(tokens, i + 1, "and", "a", "half"):
        return replace(token, value=token.value + 0.5)
    return None


TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def tens_at(tokens: list[Token], i: int, small_numbers: dict[str, int]) -> tuple[int, int] | None:
    """ "twenty", "twenty-five" or "twenty five" at i: the value and how many tokens it takes, else None.

    The units digit is any word of `small_numbers` worth 1 to 9.
    """
    if not is_word(tokens, i, *TENS):
        return None
    value, used = TENS[tokens[i].text], 1
    j = i + 2 if text_at(tokens, i + 1) == "-" else i + 1
    if is_word(tokens, j) and 1 <= small_numbers.get(tokens[j].text, 0) <= 9:
        value, used = value + small_numbers[tokens[j].text], j - i + 1
    return value, used


def merge_number_words(tokens: list[Token], number_word_at: Callable[[list[Token], int], tuple[float | None, int]]) -> list[Token]:
    """Numbers written in words become num tokens; `number_word_at` gives the value at i and how many tokens it takes (None, 0 if none)."""
    merged: list[Token] = []
    i = 0
    while i < len(tokens):
        value, used = number_word_at(tokens, i)
        if value is None:
            merged.append(tokens[i])
            i += 1
            continue
        merged.append(Token("num", " ".join(token.text for token in tokens[i : i + used]), float(value), tokens[i].glued))
        i += used
    return merged


def negated_number(tokens: list[Token], i: int, previous: Token | None) -> Token | None:
    """The number after i made negative when the token at i is its sign ("minus 3", "-3"), else None.

    `previous` is the token already kept before i. In "6-7" and "5 - 6" the dash joins a range, and "covid-19" is a name.
    """
    token, following = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else None
    if following is None or following.kind != "num" or following.value is None:
        return None
    after_number = previous is not None and previous.kind == "num"
    is_dash_sign = token.text == "-" and following.glued and not after_number and (not token.glued or (previous is not None and previous.kind == "sym"))
    if is_dash_sign or is_word(tokens, i, "minus", "negative"):
        return replace(following, value=-following.value)
    return None


def apply_signs(tokens: list[Token]) -> list[Token]:
    """ "minus 3" and "-3" are negative (see `negated_number`)."""
    signed: list[Token] = []
    i = 0
    while i < len(tokens):
        negative = negated_number(tokens, i, signed[-1] if signed else None)
        if negative is not None:
            signed.append(negative)
            i += 2
            continue
        signed.append(tokens[i])
        i += 1
    return signed


# A number next to one of these is a date or a year: "june 3", "3 june", "since 2019".
MONTHS = words("january february march april june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec")
BEFORE_YEAR = words("in since of from until till before after year")

# Words allowed between a number and its unit: "20 more minutes", "20 or so minutes".
BEFORE_UNIT = words("more odd extra whole full long short straight or so ish")


def unit_index(tokens: list[Token], i: int) -> int:
    """Where the unit of the number at i would be: past a hyphen ("10-minute walk") and up to two words of BEFORE_UNIT."""
    j = i + 1
    if text_at(tokens, j) == "-" and is_word(tokens, j + 1):
        j += 1
    skipped = 0
    while skipped < 2 and is_word(tokens, j, *BEFORE_UNIT):
        j, skipped = j + 1, skipped + 1
    return j
