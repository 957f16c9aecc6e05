"""Graded activity goals through their actions: the form, the plan, this week's goal, sessions and flares."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.goals.actions import ActionLogSession, ActionReportFlare, ActionShowGoal, ActionStartGoal, ValidateActivityGoalForm
from actions.patients import patient_key_for
from pacewise.content import default_library
from pacewise.content.pacing_settings import PACING_FILE
from pacewise.storage.goals import active_goals, record_session, save_goal_progress, start_goal
from pacewise.storage.pain_diary import pain_entries

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[3] / "domain.yml").read_text())


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, {event["name"]: event.get("value") for event in events if event.get("event") == "slot"}


def answer(load_tracker, text, *, requested="goal_amounts", intent="log_activity_session", confidence=0.5, **slots):
    tracker = load_tracker(
        "tracker_goal_form", text=text, slots={"requested_slot": requested, **slots}, latest={"intent": {"name": intent, "confidence": confidence}}
    )
    return run(ValidateActivityGoalForm(), tracker)


def texts(messages) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


@pytest.mark.parametrize(
    ("text", "activity"), [("I want to set a walking goal", "walking"), ("help me build up my gardening", "gardening"), ("a goal for sitting", "sitting")]
)
def test_the_activity_is_read_from_the_first_message(load_tracker, content_copy, text, activity):
    _, slots = answer(load_tracker, text, requested=None, goal_activity=None, intent="set_activity_goal", confidence=0.9)
    assert slots["goal_activity"] == activity


def test_an_activity_of_the_patients_own_is_accepted(load_tracker, content_copy):
    _, slots = answer(load_tracker, "playing golf", requested="goal_activity", goal_activity=None)
    assert slots["goal_activity"] == "playing golf"


def test_three_amounts_make_a_baseline(load_tracker, content_copy):
    messages, slots = answer(load_tracker, "10, 12 and 8 minutes")
    assert slots["goal_amounts"] == {"unit": "minutes", "amounts": [10, 12, 8], "good_day": None, "bad_day": None}
    assert messages == []


def test_a_good_and_a_bad_day_make_a_baseline(load_tracker, content_copy):
    _, slots = answer(load_tracker, "on a good day 20 minutes, on a bad day 5")
    assert slots["goal_amounts"]["good_day"] == 20 and slots["goal_amounts"]["bad_day"] == 5


def test_too_few_amounts_are_kept_and_more_are_asked_for(load_tracker, content_copy):
    messages, slots = answer(load_tracker, "10 and 12 minutes")
    assert slots["goal_amounts"] is None
    assert slots["goal_amounts_so_far"]["amounts"] == [10, 12]
    assert "I've noted 10 minutes, 12 minutes" in messages[0]["text"] and "one more time" in messages[0]["text"]

    _, slots = answer(load_tracker, "8", goal_amounts_so_far=slots["goal_amounts_so_far"])
    assert slots["goal_amounts"]["amounts"] == [10, 12, 8]


def test_no_amount_explains_what_is_needed(load_tracker, content_copy):
    messages, slots = answer(load_tracker, "banana")
    assert slots["goal_amounts"] is None
    assert "How much walking can you do now" in messages[0]["text"]


def start(load_tracker, amounts, **extra):
    tracker = load_tracker(
        "tracker_goal_form", slots={"requested_slot": None, "goal_amounts": {"unit": "minutes", "amounts": amounts, "good_day": None, "bad_day": None}, **extra}
    )
    messages, slots = run(ActionStartGoal(), tracker)
    return tracker, messages, slots


def test_the_plan_starts_at_80_percent_of_the_baseline_and_explains_why(load_tracker, content_copy, database):
    tracker, messages, slots = start(load_tracker, [10, 12, 8])
    text = messages[0]["text"]
    assert "Your baseline: 10 minutes" in text
    assert "This week: 8 minutes per session, 3 times." in text
    assert "Why: starting at 80% of your baseline" in text
    assert {button["payload"] for button in messages[0]["buttons"]} == {"/ask_graded_activity", "/ask_pacing"}
    assert slots["goal_activity"] is None and slots["goal_amounts"] is None  # ready for another goal
    [goal] = active_goals(patient_key_for(tracker))
    assert (goal.activity, goal.baseline, goal.level) == ("walking", 10, 0)


def test_the_percentages_follow_the_clinicians_settings(load_tracker, content_copy, database):
    path = content_copy / PACING_FILE
    path.write_text(path.read_text().replace("first_goal_percent: 80", "first_goal_percent: 50"))
    _, messages, _ = start(load_tracker, [10, 12, 8])
    assert "This week: 5 minutes per session" in messages[0]["text"]


def age_goal(tracker, days: int):
    """Move the patient's plan into the past, as if it started `days` ago."""
    key = patient_key_for(tracker)
    [goal] = active_goals(key)
    started = datetime.now(timezone.utc) - timedelta(days=days)
    from pacewise.storage.database import session_scope
    from pacewise.storage.tables import ActivityGoalRow

    with session_scope() as session:
        row = session.get(ActivityGoalRow, goal.id)
        row.started_at = row.reviewed_until = started
    return key, active_goals(key)[0], started


def test_after_a_full_week_the_goal_steps_up_with_its_reason(load_tracker, content_copy, database):
    tracker, _, _ = start(load_tracker, [10, 12, 8])
    key, goal, started = age_goal(tracker, 8)
    for day in (1, 3, 5):
        record_session(goal, key, started + timedelta(days=day), 8)
    messages, _ = run(ActionShowGoal(), load_tracker("tracker_goal_form", text="what's my goal this week?"))
    text = texts(messages)
    assert "**Walking**: 9 minutes per session, 3 times this week (0 done so far)." in text
    assert "Why: last week you did 3 sessions and your pain stayed near its usual level" in text


def test_a_short_week_holds_the_goal(load_tracker, content_copy, database):
    tracker, _, _ = start(load_tracker, [10, 12, 8])
    key, goal, started = age_goal(tracker, 8)
    record_session(goal, key, started + timedelta(days=2), 8)
    messages, _ = run(ActionShowGoal(), load_tracker("tracker_goal_form"))
    assert "8 minutes per session" in texts(messages)
    assert "last week had 1 of 3 sessions" in texts(messages)


def test_a_session_is_counted_and_overdoing_it_is_gently_questioned(load_tracker, content_copy, database):
    start(load_tracker, [10, 12, 8])
    messages, _ = run(ActionLogSession(), load_tracker("tracker_goal_form", text="I did my walk today, 20 minutes"))
    assert "That's 1 of 3 walking sessions this week." in messages[0]["text"]
    assert "more than your goal of 8 minutes" in messages[0]["text"]
    messages, _ = run(ActionLogSession(), load_tracker("tracker_goal_form", text="done my walk"))
    assert "That's 2 of 3 walking sessions this week." in messages[0]["text"]


def test_a_flare_steps_the_goal_back_and_gives_the_flare_up_help(load_tracker, content_copy, database):
    tracker, _, _ = start(load_tracker, [10, 12, 8])
    key = patient_key_for(tracker)
    [goal] = active_goals(key)
    save_goal_progress(goal, key, 2, goal.reviewed_until, [])  # two steps up already: 10 minutes
    messages, events = run(ActionReportFlare(), load_tracker("tracker_goal_form", text="I had a flare"))
    assert "stepped your walking goal back one level, to 9 minutes per session" in messages[0]["text"]
    assert "Why:" in messages[0]["text"]
    assert active_goals(key)[0].level == 1
    # Then the clinicians' flare-up answer itself, as for "what do I do in a flare?".
    flare_ups = default_library().snapshot().get("flare_ups")
    assert flare_ups.short_answer in messages[1]["text"]
    assert events["topic"] == "flare_ups"


def test_a_flare_report_without_a_plan_still_gets_the_flare_up_help(load_tracker, content_copy, database):
    messages, events = run(ActionReportFlare(), load_tracker("tracker_goal_form", text="neck flared again ffs"))
    assert messages[0]["text"].startswith("I'm sorry you're having a flare.")
    assert "stepped" not in messages[0]["text"]
    assert default_library().snapshot().get("flare_ups").short_answer in messages[1]["text"]
    assert events["topic"] == "flare_ups"


def test_without_a_plan_the_patient_is_offered_one(load_tracker, content_copy, database):
    messages, _ = run(ActionShowGoal(), load_tracker("tracker_goal_form"))
    assert "You don't have an activity plan yet" in messages[0]["text"]
    messages, _ = run(ActionLogSession(), load_tracker("tracker_goal_form", text="I did my walk"))
    assert messages[0]["buttons"][0]["payload"] == "/set_activity_goal"


def test_with_two_plans_a_session_goes_to_the_activity_named(load_tracker, content_copy, database):
    tracker, _, _ = start(load_tracker, [10, 12, 8])
    start_goal(patient_key_for(tracker), "standing", "minutes", {}, 5.0, datetime.now(timezone.utc))
    messages, _ = run(ActionLogSession(), load_tracker("tracker_goal_form", text="did my standing practice"))
    assert "1 of 3 standing sessions" in messages[0]["text"]
    messages, _ = run(ActionLogSession(), load_tracker("tracker_goal_form", text="done it"))
    assert messages[0]["text"] == "Well done! Which activity was it?"
    assert [button["title"] for button in messages[0]["buttons"]] == ["Walking", "Standing"]


def test_a_session_with_what_next_says_what_the_next_session_is(load_tracker, content_copy, database):
    start(load_tracker, [10, 12, 8])
    messages, _ = run(ActionLogSession(), load_tracker("tracker_goal_form", text="did 10 minutes of walking, what next?"))
    assert "That's 1 of 3 walking sessions this week." in messages[0]["text"]
    assert "Next time, aim for 8 minutes again." in messages[0]["text"]


def test_a_pain_score_and_a_question_given_with_a_session_are_logged_and_answered(load_tracker, content_copy, database):
    tracker, _, _ = start(load_tracker, [10, 12, 8])
    text = "walked 8 mins this morning, knee was a 4 after. is it normal that it aches after?"
    ranking = [
        {"name": "log_activity_session", "confidence": 0.7},
        {"name": "ask_hurt_vs_harm", "confidence": 0.25},
        {"name": "ask_pacing", "confidence": 0.05},
    ]
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionLogSession().run(dispatcher, load_tracker("tracker_goal_form", text=text, latest={"intent_ranking": ranking}), DOMAIN))
    messages = dispatcher.messages

    assert "That's 1 of 3 walking sessions this week." in messages[0]["text"]
    assert messages[1]["text"] == "Thanks, I've logged your pain as 4 out of 10."
    assert default_library().snapshot().get("hurt_vs_harm").short_answer in messages[2]["text"]
    slots = {event["name"]: event["value"] for event in events if event.get("event") == "slot"}
    assert slots["pain_score"] == 4 and slots["topic"] == "hurt_vs_harm"
    [entry] = pain_entries(patient_key_for(tracker))
    assert (entry.score, entry.location) == (4, "knee")


@pytest.mark.parametrize("text", ["not sure", "dunno", "what do you mean?", "ok", "you choose"])
def test_an_unsure_reply_is_never_stored_as_the_activity(load_tracker, content_copy, text):
    messages, slots = answer(load_tracker, text, requested="goal_activity", goal_activity=None, intent="out_of_scope", confidence=0.4)
    assert slots["goal_activity"] is None
    assert "Which activity is it?" in messages[0]["text"]


def test_a_plan_from_a_good_and_a_bad_day_starts_where_a_harder_day_allows(load_tracker, content_copy, database):
    tracker = load_tracker(
        "tracker_goal_form", slots={"requested_slot": None, "goal_amounts": {"unit": "minutes", "amounts": [], "good_day": 30, "bad_day": 5}}
    )
    messages, _ = run(ActionStartGoal(), tracker)
    text = messages[0]["text"]
    assert "Your baseline: 5 minutes (what you can manage on a harder day)" in text
    assert "This week: 4 minutes per session, 3 times." in text  # not 14, the mean's 80%
