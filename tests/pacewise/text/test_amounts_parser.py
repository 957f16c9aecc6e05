"""The activity amounts parser: examples for every rule, and properties over many generated messages."""

from __future__ import annotations

import math
from statistics import mean

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacewise.text.amounts_parser import IMPLAUSIBLE, MIXED_UNITS, PLAUSIBLE_MAXIMUM, AmountsReading, Unit, parse_amounts, unit_label

MIN, REPS, METRES, STEPS = Unit.MINUTES, Unit.REPETITIONS, Unit.METRES, Unit.STEPS


@pytest.mark.parametrize(
    ("text", "default", "amounts", "unit"),
    [
        ("10, 12 and 8 minutes", None, (10, 12, 8), MIN),
        ("10 mins, 15 mins, 12 mins", None, (10, 15, 12), MIN),
        ("about 10 minutes on monday, 15 on tuesday and 12 yesterday", None, (10, 15, 12), MIN),
        ("About 10 Minutes on Monday, 15 on Tuesday and 12 yesterday", None, (10, 15, 12), MIN),
        ("half an hour", None, (30,), MIN),
        ("a half hour", None, (30,), MIN),
        ("an hour", None, (60,), MIN),
        ("1 hour", None, (60,), MIN),
        ("1.5 hours", None, (90,), MIN),
        ("1½ hours", None, (90,), MIN),
        ("an hour and a half", None, (90,), MIN),
        ("one and a half hours", None, (90,), MIN),
        ("2 and a half hours", None, (150,), MIN),
        ("ten minutes", None, (10,), MIN),
        ("twenty-five minutes", None, (25,), MIN),
        ("2 hours", None, (120,), MIN),
        ("a quarter of an hour", None, (15,), MIN),
        ("three quarters of an hour", None, (45,), MIN),
        ("90 seconds", None, (1.5,), MIN),
        ("a couple of minutes", None, (2,), MIN),
        ("1 hour 30", None, (90,), MIN),
        ("1h30", None, (90,), MIN),
        ("1 hour and 30 minutes", None, (90,), MIN),
        ("1 hour, 45 minutes", None, (60, 45), MIN),
        ("1 or 2 hours", None, (60, 120), MIN),
        ("10-15 minutes", None, (10, 15), MIN),
        ("between 10 and 15 minutes", None, (10, 15), MIN),
        ("20 or so minutes", None, (20,), MIN),
        ("a 10-minute walk", None, (10,), MIN),
        ("15 reps", None, (15,), REPS),
        ("10 times", None, (10,), REPS),
        ("12 repetitions", None, (12,), REPS),
        ("3 sets of 10", None, (30,), REPS),
        ("3 sets of 10 reps", None, (30,), REPS),
        ("a set of 10", None, (10,), REPS),
        ("2 x 10 squats", None, (20,), REPS),
        ("10 press-ups", None, (10,), REPS),
        ("10 sit ups", None, (10,), REPS),
        ("12 squats", None, (12,), REPS),
        ("500m", None, (500,), METRES),
        ("500 metres", None, (500,), METRES),
        ("500 meters", None, (500,), METRES),
        ("1.5 km", None, (1500,), METRES),
        ("5k", None, (5000,), METRES),
        ("half a mile", None, (804.5,), METRES),
        ("1 mile", None, (1609,), METRES),
        ("a mile", None, (1609,), METRES),
        ("1 km 200 m", None, (1200,), METRES),
        ("3000 steps", None, (3000,), STEPS),
        ("3,000 steps", None, (3000,), STEPS),
        ("5k steps", None, (5000,), STEPS),
        ("three thousand steps", None, (3000,), STEPS),
        ("20", MIN, (20,), MIN),
        ("20", None, (20,), None),
        ("20", "minutes", (20,), MIN),
        ("5, 6 and 7", MIN, (5, 6, 7), MIN),
        ("5, 6 and 7", None, (5, 6, 7), None),
        ("I did my walk today, 12 minutes", MIN, (12,), MIN),
        ("I managed 10, then 12, then 9", STEPS, (10, 12, 9), STEPS),
        ("500 metres", MIN, (500,), METRES),  # a unit written beats the default
        ("at 3pm I walked 20 minutes", None, (20,), MIN),
        ("at 10:30 I walked 15 minutes", None, (15,), MIN),
        ("I went at 10 and did 15 minutes", None, (15,), MIN),
        ("on the 3rd I did 12 minutes", None, (12,), MIN),
        ("on 03/04/2024 I did 12 minutes", None, (12,), MIN),
        ("since 2019 I can only do 10 minutes", None, (10,), MIN),
        ("day 3 of the plan: 12 minutes", None, (12,), MIN),
        ("for 5 days I managed 20 minutes", None, (20,), MIN),
        ("3 times a day for 10 minutes", None, (10,), MIN),
        ("15 minutes at a time", None, (15,), MIN),
        ("pain 6/10 after 20 minutes", None, (20,), MIN),
        ("my pain went up to 7 after 15 minutes", None, (15,), MIN),
        ("I walk 2 dogs for 20 minutes", None, (20,), MIN),
        ("it was about 50% of what I used to do, 20 minutes", None, (20,), MIN),
        ("10 minutes on monday, 12 on the 4th", None, (10, 12), MIN),
    ],
)
def test_amounts(text, default, amounts, unit):
    assert parse_amounts(text, default) == AmountsReading(amounts=amounts, unit=unit)


@pytest.mark.parametrize(
    ("text", "good", "bad", "amounts", "unit"),
    [
        ("good day 20 minutes, bad day 5", 20, 5, (), MIN),
        ("on a good day I can walk for half an hour but on a bad day only 10 minutes", 30, 10, (), MIN),
        ("bad days 5 good days 20", 20, 5, (), None),
        ("good days 20, bad days 5", 20, 5, (), None),
        ("20 minutes on a good day, 5 on a bad one", 20, 5, (), MIN),
        ("20 on good days and 5 on bad days", 20, 5, (), None),
        ("on good days I do 20 minutes and on bad days 5", 20, 5, (), MIN),
        ("good days 20-30 minutes, bad days 10", 25, 10, (), MIN),
        ("on a flare-up day 5 minutes, normally 20", None, 5, (20,), MIN),
        ("on a good day an hour", 60, None, (), MIN),
        ("10 and 12 minutes this week, on a bad day 4", None, 4, (10, 12), MIN),
        ("It was a good day. I walked 20 minutes", None, None, (20,), MIN),  # a sentence apart: not the good-day amount
        ("bad day today but I still did 12 minutes", None, None, (12,), MIN),
    ],
)
def test_good_and_bad_days(text, good, bad, amounts, unit):
    assert parse_amounts(text) == AmountsReading(amounts=amounts, unit=unit, good_day=good, bad_day=bad)


@pytest.mark.parametrize(
    ("text", "default", "problem"),
    [
        ("10 minutes and 500 metres", None, MIXED_UNITS),
        ("20 minutes walking and 10 squats", None, MIXED_UNITS),
        ("3000 steps or 2 km", None, MIXED_UNITS),
        ("good day 2 km, bad day 20 minutes", None, MIXED_UNITS),
        ("-5 minutes", None, IMPLAUSIBLE),
        ("minus 5", MIN, IMPLAUSIBLE),
        ("2000 minutes", None, IMPLAUSIBLE),
        ("25 hours", None, IMPLAUSIBLE),
        ("2000", MIN, IMPLAUSIBLE),
        ("150 km", None, IMPLAUSIBLE),
        ("20000 reps", None, IMPLAUSIBLE),
        ("200000 steps", None, IMPLAUSIBLE),
        ("good day 3000 minutes, bad day 5", None, IMPLAUSIBLE),
    ],
)
def test_problems_carry_no_amounts(text, default, problem):
    assert parse_amounts(text, default) == AmountsReading(problem=problem)


@pytest.mark.parametrize(
    "text",
    ["banana", "", "   ", "I walked today", "at 3pm", "10:30", "on the 3rd", "5 days", "2 tablets", "50%", "20 minutes ago", "pain 6/10", "my pain is 7", "£5"],
)
def test_nothing_to_read(text):
    assert parse_amounts(text, MIN) == AmountsReading()


def test_one_at_the_edge_of_plausible_is_kept():
    assert parse_amounts("1440 minutes") == AmountsReading(amounts=(1440,), unit=MIN)
    assert parse_amounts("0", MIN) == AmountsReading(amounts=(0,), unit=MIN)


@pytest.mark.parametrize(
    ("unit", "amount", "label"),
    [
        (MIN, 1, "1 minute"),
        (MIN, 12, "12 minutes"),
        (MIN, 12.0, "12 minutes"),
        (MIN, 1.5, "1.5 minutes"),
        (MIN, 0, "0 minutes"),
        (REPS, 10, "10 repetitions"),
        (REPS, 1, "1 repetition"),
        (METRES, 500, "500 metres"),
        (METRES, 1500.0, "1500 metres"),
        (METRES, 804.567, "804.57 metres"),
        (METRES, 1, "1 metre"),
        (STEPS, 3000, "3000 steps"),
        (STEPS, 1, "1 step"),
        ("minutes", 5, "5 minutes"),
    ],
)
def test_unit_label(unit, amount, label):
    assert unit_label(unit, amount) == label


# --- Properties --------------------------------------------------------------

UNIT_WORDS = {
    MIN: [("minutes", 1), ("mins", 1), ("min", 1), ("hours", 60), ("hrs", 60)],
    REPS: [("reps", 1), ("repetitions", 1), ("times", 1), ("squats", 1)],
    METRES: [("metres", 1), ("meters", 1), ("m", 1), ("km", 1000)],
    STEPS: [("steps", 1)],
}


@st.composite
def amounts_in_one_unit(draw):
    unit = draw(st.sampled_from(list(Unit)))
    word, factor = draw(st.sampled_from(UNIT_WORDS[unit]))
    largest = int(PLAUSIBLE_MAXIMUM[unit] // factor)
    numbers = draw(st.lists(st.integers(1, largest), min_size=1, max_size=6))
    return unit, word, factor, numbers


def _listed(numbers: list[int]) -> str:
    return str(numbers[0]) if len(numbers) == 1 else ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"


@given(amounts_in_one_unit(), st.booleans())
def test_listed_amounts_round_trip(drawn, unit_on_each):
    unit, word, factor, numbers = drawn
    text = ", ".join(f"{n} {word}" for n in numbers) if unit_on_each else f"{_listed(numbers)} {word}"
    reading = parse_amounts(text)
    assert reading.unit is unit and reading.problem is None
    assert reading.amounts == tuple(n * factor for n in numbers)
    assert math.isclose(mean(reading.amounts), mean(numbers) * factor)


@given(st.lists(st.integers(0, 1440), min_size=1, max_size=6), st.sampled_from(list(Unit)))
def test_bare_numbers_take_the_default_unit(numbers, unit):
    reading = parse_amounts(", ".join(str(n) for n in numbers), unit)
    assert reading == AmountsReading(amounts=tuple(numbers), unit=unit)


@given(st.integers(0, 1440), st.integers(0, 1440), st.sampled_from(["minutes", "mins"]))
def test_good_and_bad_days_in_either_order(good, bad, word):
    expected = AmountsReading(unit=MIN, good_day=good, bad_day=bad)
    assert parse_amounts(f"good day {good} {word}, bad day {bad}") == expected
    assert parse_amounts(f"bad days {bad} {word} good days {good}") == expected
    assert parse_amounts(f"{good} {word} on a good day, {bad} on a bad day") == expected


@given(amounts_in_one_unit(), st.integers(1, 10**6))
def test_an_implausible_amount_is_reported_not_kept(drawn, excess):
    unit, word, factor, numbers = drawn
    too_much = int(PLAUSIBLE_MAXIMUM[unit] // factor) + excess
    reading = parse_amounts(f"{_listed([*numbers, too_much])} {word}")
    assert reading == AmountsReading(problem=IMPLAUSIBLE)


@given(st.text(), st.none() | st.sampled_from(list(Unit)))
def test_any_text_is_read_without_error_and_consistently(text, default):
    reading = parse_amounts(text, default)
    if reading.problem is not None:
        assert reading == AmountsReading(problem=reading.problem)
        assert reading.problem in (MIXED_UNITS, IMPLAUSIBLE)
        return
    values = [*reading.amounts, *(day for day in (reading.good_day, reading.bad_day) if day is not None)]
    assert all(math.isfinite(value) and value >= 0 for value in values)
    if reading.unit is not None:
        assert all(value <= PLAUSIBLE_MAXIMUM[reading.unit] for value in values)
    if values and default is not None:
        assert reading.unit is not None


@given(st.text(alphabet=st.sampled_from(list("0123456789 -/.,:½xkmhagodbyn")), max_size=30), st.none() | st.sampled_from(list(Unit)))
def test_number_heavy_text_is_read_without_error(text, default):
    reading = parse_amounts(text, default)
    assert reading.problem in (None, MIXED_UNITS, IMPLAUSIBLE)
