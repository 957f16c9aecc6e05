"""Very long messages are cut before the NLU, keeping every safety sentence."""

from __future__ import annotations

import asyncio

from channels.message_limits import MAX_CHARS, cut_keeping_safety, prepare_message, without_lone_surrogates

STORY = "I have had back pain for many years and I have tried everything the physio suggested. " * 150


def test_a_message_under_the_limit_is_unchanged():
    text = "Dear doctor, my hips have been bad for years. Is walking going to wear them out?"
    assert asyncio.run(prepare_message(text)) == text


def test_a_long_message_is_cut_to_the_limit():
    cut = cut_keeping_safety(STORY * 2)
    assert len(cut) == MAX_CHARS


def test_a_red_flag_or_crisis_sentence_after_the_limit_is_kept():
    red_flag = "Since this morning I cannot feel my bottom when I wipe and I have wet myself without knowing."
    crisis = "Honestly I have been planning how to end my life."
    cut = cut_keeping_safety(STORY + red_flag + " " + STORY + crisis + " The end.")
    assert len(cut) < MAX_CHARS + len(red_flag) + len(crisis) + 10
    assert red_flag in cut and crisis in cut


def test_an_idiom_after_the_limit_is_not_carried_over():
    cut = cut_keeping_safety(STORY + "This pain is killing me but I am off to the gym anyway.")
    assert "killing" not in cut


def test_half_a_surrogate_pair_becomes_a_replacement_character():
    assert without_lone_surrogates("back \ud800 pain") == "back \ufffd pain"
    assert without_lone_surrogates("back pain 😊") == "back pain 😊"
