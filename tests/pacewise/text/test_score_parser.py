"""The pain score parser: examples for every rule, and properties over many generated messages."""

from __future__ import annotations

import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pacewise.text.score_parser import ScoreKind, ScoreReading, looks_like_pain_rating, parse_pain_score, stated_pain_score

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
SCORE_TEMPLATES = [
    "my pain is {n} today",
    "{n}/10",
    "{n} / 10",
    "about a {n} out of 10",
    "pain level {n}",
    "{n}",
    "it's a {n}",
    "It’s about {n}/10 right now",
    "back pain at a {n}",
    "rating {n}",
]
UNIT_DISTRACTORS = [
    " after {m} minutes of walking",
    " after {m} mins",
    ", I walked {m} km",
    " for {m} days now",
    " since I did {m} reps",
    " after {m} steps",
    " about {m}% better",
    ". Did {m} squats",
]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("my pain is 7 today", 7),
        ("about a 4 out of 10", 4),
        ("8/10", 8),
        ("8 / 10", 8),
        ("it's a six", 6),
        ("It’s a SIX", 6),
        ("0 today", 0),
        ("pain level 3", 3),
        ("5", 5),
        ("seven", 7),
        ("about 3", 3),
        ("10", 10),
        ("ten out of ten", 10),
        ("a solid 9", 9),
        ("no pain today", 0),
        ("pain free today", 0),
        ("pain-free", 0),
        ("I'm not in any pain", 0),
        ("zero", 0),
        ("nought", 0),
        ("nil", 0),
        ("it's about 6/10 after 20 minutes of walking", 6),
        ("I walked for 20 minutes and my pain is 4", 4),
        ("7 out of 10", 7),
        ("7, yes 7", 7),
        ("6ish", 6),
        ("6 or so", 6),
        ("one of those days, a 7", 7),
        ("on a scale of 1 to 10 it's a 7", 7),
        ("0-10 scale: 3", 3),
        ("had covid-19 last year, today a 6", 6),
        ("L5 disc, pain is 6", 6),
        ("at 3pm it was 5", 5),
        ("at 10:30 it was 5", 5),
        ("woke at 6 a.m., 4 now", 4),
        ("on the 3rd it was 7", 7),
        ("on 12/03/2024 it was a 6", 6),
        ("since 2019 it's been a 6", 6),
        ("it's day 3 of the flare, 8 out of 10", 8),
        ("it's 5 after a 10-minute walk", 5),
        ("it's a 5, I took 2 tablets", 5),
        ("3 times a week it gets to 7", 7),
        ("7 after 1.5 hours", 7),
        ("it's 6 now, 3pm", 6),
        ("pain at 4 since the 2nd", 4),
    ],
)
def test_single_score(text, value):
    assert parse_pain_score(text) == ScoreReading(ScoreKind.SCORE, value=value)


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("15", (15,)),
        ("-3", (-3,)),
        ("minus 3", (-3,)),
        ("pain is -3", (-3,)),
        ("(-3)", (-3,)),
        ("11/10", (11,)),
        ("12 out of 10", (12,)),
        ("twenty", (20,)),
        ("twenty-five", (25,)),
        ("a hundred", (100,)),
        ("it's 10.5", (10.5,)),
        ("10 or 11", (11,)),  # a number off the scale wins: the bot re-explains the scale
        ("it was 12 yesterday and 8 today", (12,)),
        ("15 and 20", (15, 20)),
    ],
)
def test_out_of_range(text, given):
    assert parse_pain_score(text) == ScoreReading(ScoreKind.OUT_OF_RANGE, candidates=given)


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("6 or 7", (6, 7)),
        ("6-7", (6, 7)),
        ("6 – 7", (6, 7)),
        ("6 to 7", (6, 7)),
        ("between 6 and 7", (6, 7)),
        ("6/7", (6, 7)),
        ("4/5", (4, 5)),
        ("6.5", (6, 7)),
        ("6½", (6, 7)),
        ("six and a half", (6, 7)),
        ("six point five", (6, 7)),
        ("it was 3 this morning, now 6", (3, 6)),
        ("pain is 5 - 6", (5, 6)),
        ("six or seven", (6, 7)),
        ("7 or 6", (6, 7)),
        ("3/10 this morning, 6/10 now", (3, 6)),
        ("no pain this morning, 4 now", (0, 4)),
        ("0.5", (0, 1)),
    ],
)
def test_range(text, candidates):
    assert parse_pain_score(text) == ScoreReading(ScoreKind.RANGE, candidates=candidates)


@pytest.mark.parametrize(
    "text",
    [
        "banana",
        "",
        "   ",
        "what is pacing?",
        "I walked 20 minutes",
        "I walked 20 minutes at 3pm",
        "my pain is bad",
        "no pain relief works for me",
        "no pain killers today",
        "3/5",  # a rating out of another maximum: the bot re-explains the 0-10 scale
        "7/5",
        "2 out of 5",
        "70 out of 100",
        "10 squats",
        "20%",
        "3 weeks",
        "on the 3rd",
        "10:30",
        "£5",
        "I'm 45",
        "type 2 diabetes",
        "6 or 7 minutes",
        "between 10 and 15 minutes",
        "😣😣",
        "this one hurts",
    ],
)
def test_no_score(text):
    assert parse_pain_score(text) == ScoreReading(ScoreKind.NONE)


@pytest.mark.parametrize(
    "text",
    [
        "my pain is 7 today",
        "back pain at a 6",
        "pain level 3",
        "rating 4",
        "8/10",
        "8 / 10",
        "about a 4 out of 10",
        "ten out of ten",
        "11/10",
        "My knee HURTS, about a 5",
        "pain 7",
        "the ache is a 3 today",
        "I'd rate it 6",
        "pain score 2",
        "sore, maybe a 4",
        "my back pain has been 6 all day",
        "it hurts, I'd say six",
        "I walked for 20 minutes and my pain is 4",
        "pain is 5 - 6",
    ],
)
def test_looks_like_pain_rating(text):
    assert looks_like_pain_rating(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "I walked for 20 minutes",
        "I did 10 squats",
        "5",
        "seven",
        "what's the 10 minute rule for pacing",
        "I've had back pain for 10 years",
        "my pain started 3 weeks ago",
        "I'm 45 and my back hurts",
        "my stress level is 7",
        "sleep score 6",
        "what does a pain score of 7 mean?",
        "is 8/10 pain normal?",
        "no pain today",
        "my pain is bad",
        "I hurt my back lifting 5 boxes",
        "I have 3 kids and my back hurts",
        "my back hurts. I did 6 laps",
        "3/5 pain",
        "pain for 2 days",
        "I gave up yoga because one pose hurt my back",  # numbers in words that count things
        "two knees ache and one hip",
        # "<person> of <number>" counts people: a patient introducing herself must not log a 3
        "Hi, dad of three here with a dodgy back. I overdo it every weekend then crash. Is there a better way?",
        "mum-of-two with fibro, how do I spread the housework out?",
        "We're a family of 5 and I do all the cooking with my bad neck, any tips?",
        # idioms, pronouns, amounts and times that read like a number on the scale
        "Months of progress and now the pain is back. Am I back to square one?",
        "I was up and about from eight till late at my sister's wedding and my hips have been dreadful since. How do I stop that?",
        "doing a walking plan for my knee, wk 2 now and it aches after, is that ok",
        "The x-ray shows both hips are worn but only the left one hurts. Why?",
        "I got told my back pain is spondylosis. Is that a disease? It sounds like one.",
        "The manipulation helps my back pain for a day or two, then it's back. Worth it?",
        "Mum takes eleven tablets, two of them for her pain. Who reviews them?",
        "Hi, can you move my physio on Thursday at 2? My back pain is too bad to drive",
        "Quick one: my back pain is worse after ironing, what can I change?",
        "The old scan showed a bulge and the new one says it has shrunk, but the pain is the same. Why?",
        "Any quick dinner ideas? Feeding five tonight and my back pain is bad",
        "",
    ],
)
def test_does_not_look_like_pain_rating(text):
    assert looks_like_pain_rating(text) is False


def test_candidates_are_floats_sorted_and_the_value_an_int():
    reading = parse_pain_score("seven or six")
    assert reading.candidates == (6.0, 7.0) and all(isinstance(value, float) for value in reading.candidates)
    score = parse_pain_score("7/10")
    assert isinstance(score.value, int) and score.candidates == ()


def test_fast_enough_for_every_message():
    messages = ["it's about 6/10 after 20 minutes of walking", "I walked for 20 minutes and my pain is 4", "banana", "x" * 2000]
    start = time.perf_counter()
    for _ in range(200):
        for message in messages:
            parse_pain_score(message)
            looks_like_pain_rating(message)
    per_message = (time.perf_counter() - start) / (200 * len(messages) * 2)
    assert per_message < 0.001


# --- Properties --------------------------------------------------------------


@given(st.integers(0, 10), st.sampled_from(SCORE_TEMPLATES))
def test_every_score_on_the_scale_is_read_in_digits(n, template):
    assert parse_pain_score(template.format(n=n)) == ScoreReading(ScoreKind.SCORE, value=n)


@given(st.integers(0, 10), st.sampled_from(SCORE_TEMPLATES), st.booleans())
def test_every_score_on_the_scale_is_read_in_words(n, template, capitalise):
    word = NUMBER_WORDS[n].capitalize() if capitalise else NUMBER_WORDS[n]
    assert parse_pain_score(template.format(n=word)) == ScoreReading(ScoreKind.SCORE, value=n)


@given(st.integers(11, 10**9) | st.integers(-(10**9), -1), st.sampled_from(SCORE_TEMPLATES))
def test_numbers_off_the_scale_are_out_of_range_never_a_score(n, template):
    reading = parse_pain_score(template.format(n=n))
    assert reading.kind is ScoreKind.OUT_OF_RANGE
    assert reading.candidates == (n,)
    assert reading.value is None


@given(st.integers(1, 10**6), st.sampled_from(["minus {n}", "negative {n}", "-{n}", "pain is -{n}"]))
def test_negative_numbers_are_out_of_range(n, template):
    assert parse_pain_score(template.format(n=n)) == ScoreReading(ScoreKind.OUT_OF_RANGE, candidates=(-n,))


@given(st.integers(0, 9), st.sampled_from(["{a} or {b}", "{a}-{b}", "{a} - {b}", "{a} to {b}", "between {a} and {b}", "{a}/{b}", "{a}.5"]))
def test_hesitating_between_neighbours_is_a_range(a, template):
    assume(template != "{a}/{b}" or a + 1 != 10)  # "9/10" is a score of 9
    reading = parse_pain_score(template.format(a=a, b=a + 1))
    assert reading == ScoreReading(ScoreKind.RANGE, candidates=(a, a + 1))


@given(st.integers(0, 10), st.integers(0, 10))
def test_two_different_numbers_are_a_range_and_the_same_twice_a_score(a, b):
    reading = parse_pain_score(f"it was {a} this morning, now {b}")
    if a == b:
        assert reading == ScoreReading(ScoreKind.SCORE, value=a)
    else:
        assert reading == ScoreReading(ScoreKind.RANGE, candidates=tuple(sorted((a, b))))


@given(
    st.integers(-20, 30),
    st.sampled_from(SCORE_TEMPLATES),
    st.integers(0, 10**6),
    st.sampled_from(UNIT_DISTRACTORS),
    st.booleans(),
)
def test_numbers_with_units_never_change_the_reading(n, template, m, distractor, in_front):
    message = template.format(n=n)
    extra = distractor.format(m=m)
    with_distractor = f"{extra.lstrip(' ,.')}, {message}" if in_front else message + extra
    assert parse_pain_score(with_distractor) == parse_pain_score(message)


@given(st.integers(0, 10**6), st.sampled_from(["minutes", "mins", "hours", "days", "weeks", "years", "km", "miles", "metres", "steps", "reps", "times"]))
def test_a_pain_word_next_to_an_amount_is_not_a_rating(m, unit):
    for text in (f"I've had back pain for {m} {unit}", f"my knee hurts after {m} {unit}", f"pain {m} {unit} after walking"):
        assert looks_like_pain_rating(text) is False
        assert parse_pain_score(text).kind is ScoreKind.NONE


@given(st.integers(-(10**6), 10**6), st.sampled_from(["{n}/10", "{n} out of 10", "about a {n} out of 10", "{n} / 10 today"]))
def test_a_rating_out_of_ten_always_looks_like_one(n, template):
    assert looks_like_pain_rating(template.format(n=n)) is True


@given(st.text())
def test_any_text_is_read_without_error_and_consistently(text):
    reading = parse_pain_score(text)
    assert isinstance(looks_like_pain_rating(text), bool)
    if reading.kind is ScoreKind.SCORE:
        assert isinstance(reading.value, int) and 0 <= reading.value <= 10 and reading.candidates == ()
    elif reading.kind is ScoreKind.RANGE:
        assert reading.value is None and len(reading.candidates) >= 2
        assert list(reading.candidates) == sorted(set(reading.candidates))
        assert all(0 <= value <= 10 and float(value).is_integer() for value in reading.candidates)
    elif reading.kind is ScoreKind.OUT_OF_RANGE:
        assert reading.value is None and reading.candidates
        assert all(not 0 <= value <= 10 for value in reading.candidates)
    else:
        assert reading == ScoreReading(ScoreKind.NONE)


@given(st.text(alphabet=st.sampled_from(list("0123456789 -/.,:½aemnopt")), max_size=30))
def test_number_heavy_text_is_read_without_error(text):
    reading = parse_pain_score(text)
    assert reading.kind in set(ScoreKind)
    if reading.kind is ScoreKind.SCORE:
        assert reading.value is not None and 0 <= reading.value <= 10


@pytest.mark.parametrize(
    "text, score",
    [
        ("My pain is at a 7 by teatime. Is there a better way to plan my day?", 7),
        ("why is my pain 8/10 when the scan was clear?", 8),
        ("pain is a 5 today, what should I do in a flare?", 5),
        ("It goes from a 3 to a 6 when I hoover. Should I stop sooner?", None),  # two numbers: which one?
        ("I'm 58 and walk 20 minutes a day, is that enough?", None),  # an age and a duration
        ("Is pilates any good for sciatica?", None),
        ("I do the house in one go, then I'm wiped out for three days. My pain is a 7 by teatime. How do I stop?", 7),  # only the rating near "pain" counts
        ("Since one bad lift my pain has been a six after the school run. Why won't it settle?", 6),  # "one bad lift" counts lifts
    ],
)
def test_a_score_stated_in_passing_is_read_even_inside_a_question(text, score):
    assert stated_pain_score(text) == score
