"""Ratings said in passing, and numbers that are not ratings, from two tables written apart from the parser.

Each table was written by someone who saw neither the parser nor its other tests
(tests/pacewise/text/fixtures/). A rating must be read the same way whether the patient
is answering "how is your pain?" (parse_pain_score), mentions it unasked
(looks_like_pain_rating sends it to the diary) or mentions it in a question
(stated_pain_score logs it before the answer). A number that is not a rating must
never be logged or sent to the diary: a number above 10 may at most make the
form explain the scale again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pacewise.text.score_parser import ScoreKind, ScoreReading, current_pain_score, looks_like_pain_rating, parse_pain_score, stated_pain_score

FIXTURES = Path(__file__).parent / "fixtures"
TABLES = [yaml.safe_load(path.read_text()) for path in sorted(FIXTURES.glob("ratings_in_passing_round*.yml"))]
RATINGS = [case for table in TABLES for case in table["ratings"]]
NOT_RATINGS = [case["text"] for table in TABLES for case in table["not_ratings"]]
NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def test_the_tables_are_big_enough():
    assert len(RATINGS) >= 160 and len(NOT_RATINGS) >= 110


@pytest.mark.parametrize("case", RATINGS, ids=lambda case: case["text"][:40])
def test_a_rating_said_in_passing_is_read(case):
    text = case["text"]
    if case["expected"] == "range":
        expected = ScoreReading(ScoreKind.RANGE, candidates=tuple(float(value) for value in case["candidates"]))
        assert parse_pain_score(text) == expected
        assert stated_pain_score(text) is None  # two values: the bot asks which rather than log one
    else:
        assert parse_pain_score(text) == ScoreReading(ScoreKind.SCORE, value=case["expected"])
        assert stated_pain_score(text) == case["expected"]
    assert looks_like_pain_rating(text) is True


@pytest.mark.parametrize("text", NOT_RATINGS, ids=lambda text: text[:40])
def test_a_number_that_is_not_a_rating_is_never_logged(text):
    reading = parse_pain_score(text)
    assert reading.kind in (ScoreKind.NONE, ScoreKind.OUT_OF_RANGE)
    assert all(value > 10 or value < 0 for value in reading.candidates)
    assert stated_pain_score(text) is None
    assert looks_like_pain_rating(text) is False


def test_most_numbers_that_are_not_ratings_are_ignored_outright():
    ignored = sum(parse_pain_score(text).kind is ScoreKind.NONE for text in NOT_RATINGS)
    assert ignored >= len(NOT_RATINGS) - 2  # "my joints feel 90": the form would explain the scale, nothing is stored


# --- Properties --------------------------------------------------------------

IN_PASSING = [
    "knee is at a {n} after the stairs",
    "sitting at about {n} today",
    "pain {n}ish",
    "a solid {n} this morning",
    "back's at a {n} rn",
    "honestly a {n} tbh",
    "neck {n} today",
    "hovering round {n} most of the day",
]
OTHER_NUMBERS = [
    "woke at {k}",
    "up since {k} with it",
    "took {k} paracetamol at {h}",
    "I've got {k} kids",
    "my {k} year old was climbing on me",
    "pressed {k} by mistake",
    "walked for {m} mins",
    "physio at {h}pm",
]


@given(st.integers(0, 10), st.sampled_from(IN_PASSING), st.booleans())
def test_every_value_said_in_passing_is_read(n, template, in_words):
    text = template.format(n=NUMBER_WORDS[n] if in_words and "{n}ish" not in template else n)
    assert parse_pain_score(text) == ScoreReading(ScoreKind.SCORE, value=n)
    assert stated_pain_score(text) == n


@given(
    st.integers(0, 10),
    st.sampled_from(IN_PASSING),
    st.sampled_from(OTHER_NUMBERS),
    st.integers(1, 9),
    st.integers(1, 12),
    st.integers(11, 90),
    st.booleans(),
)
def test_times_counts_and_doses_beside_a_rating_never_change_it(n, template, other, k, h, m, in_front):
    rating, extra = template.format(n=n), other.format(k=k, h=h, m=m)
    text = f"{extra}, {rating}" if in_front else f"{rating}, {extra}"
    assert parse_pain_score(text) == ScoreReading(ScoreKind.SCORE, value=n)
    assert stated_pain_score(text) == n


@given(st.sampled_from(OTHER_NUMBERS), st.integers(1, 9), st.integers(1, 12), st.integers(11, 90))
def test_times_counts_and_doses_alone_are_never_a_rating(other, k, h, m):
    text = other.format(k=k, h=h, m=m)
    assert parse_pain_score(text).kind is ScoreKind.NONE
    assert looks_like_pain_rating(text) is False


@given(st.integers(0, 9), st.sampled_from(["between a {a} and a {b}", "somewhere between {a} and {b} today", "{a} maybe {b}", "prolly {a} or {b}"]))
def test_hesitating_in_passing_asks_which(a, template):
    text = template.format(a=a, b=a + 1)
    assert parse_pain_score(text) == ScoreReading(ScoreKind.RANGE, candidates=(float(a), float(a + 1)))
    assert looks_like_pain_rating(text) is True


@pytest.mark.parametrize(
    ("text", "now"),
    [
        ("6 today, what do I do in a flare?", 6),
        ("8/10 and I can't sleep, does sleep affect pain?", 8),
        ("my pain is a 6 today, what should I do in a flare?", 6),
        ("It goes up to a 7 when I walk. Am I overdoing it?", None),  # how the pain usually goes: offered, not logged
        ("My pain is a 7 by teatime most days. Is there a better way?", None),
        ("Usually a 5, is that normal for sciatica?", None),
    ],
)
def test_a_score_for_now_is_told_apart_from_a_pattern(text, now):
    assert current_pain_score(text) == now
