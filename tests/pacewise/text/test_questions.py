"""Does a message ask something, with or without a question mark (pacewise/text/questions.py)."""

from __future__ import annotations

import pytest

from pacewise.text.questions import asks_a_question


@pytest.mark.parametrize(
    "text",
    [
        "My knee is usually a 4. Is that normal for arthritis?",
        "knee's been a 5 all week. whats going on with it, why wont it settle",
        "been dealing with this 3 yrs, usually a 6. honestly is it worth trying the injections or a waste of time",
        "my back is a 7 today and i cant work out if its the weather or am i doing too much",
        "so um the exercises hurt maybe a 5 out of 10 while im doing them and then its fine the next day is that okay or should i stop",
        "hip at a 6 after the walk, when will it calm down",
        "pain a 6 after the walk, did i overdo it",
        "knee's at a 7 tonight, was it the gardening",
        "neck sits at a 3 most days. what helps with the stiffness in the mornings",
        "pain's a 5 - how do i get through the shift",
        "usually about a 4 but stairs push it up, does that mean im wearing the joint out",
    ],
)
def test_questions_are_seen_without_a_question_mark(text):
    assert asks_a_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "my pain is 6 today",
        "pain was 8 when i woke up",
        "7 today, what a day it's been",
        "back's a 5, how annoying",
        "about a 4 this morning, which is better than yesterday",
        "knee 6/10 after the walk and i did all my stretches",
        "did my walk today, pain about a 4",
        "was a 6 this morning, bit better now",
        "has been a 5 all week",
        "it's a 3 today so that's good",
        "pain 5, i think it's the weather",
        "did my 12 minutes, legs a bit achy but fine",
    ],
)
def test_statements_are_not_questions(text):
    assert not asks_a_question(text)
