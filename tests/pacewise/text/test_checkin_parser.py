"""Reading what patients ask of check-ins, in their own words."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from pacewise.text.checkin_parser import CheckInRequest, read_check_in_request
from tests.pacewise.text.other_messages import messages_about_other_things

REPO = Path(__file__).resolve().parents[3]

EVERY_DAY = frozenset(range(7))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remind me to log my pain every evening", CheckInRequest("start", time(19, 0), EVERY_DAY, "pain")),
        ("could you check in with me on Mondays at 9am please", CheckInRequest("start", time(9, 0), frozenset({0}), "pain")),
        ("can u nudge me about my walking goal at 7.30pm on weekdays", CheckInRequest("start", time(19, 30), frozenset(range(5)), "goal")),
        ("I'd like reminders for my pain score and my exercise plan, mornings", CheckInRequest("start", time(9, 0), EVERY_DAY, "both")),
        ("remind me every day at 19:00", CheckInRequest("start", time(19, 0), EVERY_DAY, "pain")),
        ("Hi, my physio said to keep a pain diary. Could you remind me at 8 every night?", CheckInRequest("start", time(20, 0), EVERY_DAY, "pain")),
        ("text me on tuesdays and fridays at 6pm so I remember my stretches", CheckInRequest("start", time(18, 0), frozenset({1, 4}), "goal")),
        ("set up weekly reminders for my diary", CheckInRequest("start", None, frozenset({0}), "pain")),
        ("remind me to do my pain log", CheckInRequest("start", None, EVERY_DAY, "pain")),
        ("check in with me at 8", CheckInRequest("start", None, EVERY_DAY, "pain")),  # 8 in the morning or the evening?
        ("check in with me at 8 in the evening", CheckInRequest("start", time(20, 0), EVERY_DAY, "pain")),
    ],
)
def test_asking_for_check_ins_gives_the_time_days_and_what_to_ask(text, expected):
    assert read_check_in_request(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "stop reminders",
        "Please stop the check-ins",
        "no more reminders thanks",
        "can you turn off my reminders",
        "STOP THEM",
        "cancel my check ins",
        "stop reminding me",
        "the reminders are doing my head in, turn them off",
    ],
)
def test_stopping(text):
    assert read_check_in_request(text) == CheckInRequest("stop")


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("pause reminders for a week", timedelta(weeks=1)),
        ("can you pause the check-ins, I'm on holiday", timedelta(weeks=1)),
        ("snooze them for 3 days", timedelta(days=3)),
        ("can I pause them for 3 days?", timedelta(days=3)),
        ("pause for a fortnight please", timedelta(weeks=2)),
        ("no reminders for two weeks", timedelta(weeks=2)),
        ("pause my reminders for 52 weeks", timedelta(weeks=12)),  # at most 12 weeks: a long pause is a stop
    ],
)
def test_pausing(text, length):
    assert read_check_in_request(text) == CheckInRequest("pause", pause_for=length)


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("change the time to 8pm", time(20, 0)),
        ("can you move my reminder to 7:30 in the morning", time(7, 30)),
        ("remind me at 9pm instead", time(21, 0)),
        ("remind me at 9 instead", None),  # morning or evening: the bot asks
        ("set it to 6.45am", time(6, 45)),
    ],
)
def test_changing_the_time(text, at):
    """The time, or None when it is unclear (the bot then asks)."""
    request = read_check_in_request(text)
    assert request is not None and request.kind == "change" and request.local_time == at


@pytest.mark.parametrize(
    "text",
    [
        "my pain is 6 today",
        "I walked for 20 minutes at 3pm",
        "is it ok to stop my tablets",
        "how do I pace my housework",
        "I keep forgetting to do my exercises",
        "I want to change my exercise to swimming",
        "Could you remind me what pacing is?",
        "remind me how to do the stretches again",
        "remind me to take my tablets every morning",  # medicine reminders are not check-ins
        "I hold my breath when it hurts",
        "I had a break from walking for a week",
        "can you message me tomorrow",
        "my back hurts more at night",
        "My knee has flared. Should I pause it altogether while the flare lasts?",  # the exercise routine
        "stop",  # inside a form, "stop" ends the form: not a check-in request
        "",
    ],
)
def test_messages_that_ask_nothing_of_check_ins(text):
    assert read_check_in_request(text) is None


@pytest.mark.parametrize(
    ("text", "kind", "days"),
    [
        ("i'd love a reminder at bedtime to put in my pain score", "start", frozenset(range(7))),
        ("switch the reminders back on", "start", frozenset(range(7))),
        ("can you ask me how my pain is every evening", "start", frozenset(range(7))),
        ("reminders on weekends only please", "start", frozenset({5, 6})),
        ("check on me once a week", "start", frozenset({0})),
    ],
)
def test_more_ways_of_asking_to_start(text, kind, days):
    request = read_check_in_request(text)
    assert request is not None and request.kind == kind and request.weekdays == days


@pytest.mark.parametrize("text", ["my physio will ask me about my diary every week", "can i ask you something about pacing", "ask me about exercise"])
def test_someone_else_asking_is_not_a_request(text):
    assert read_check_in_request(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("can I do the PEG questionnaire now?", "peg_now"),
        ("I'd like to fill in the 3 questions", "peg_now"),
        ("add the weekly questionnaire to my check-ins", "peg_weekly_on"),
        ("yes please, ask me the PEG every week", "peg_weekly_on"),
        ("please stop the weekly questionnaire, the pain score is enough", "peg_weekly_off"),
        ("stop the questionnaire in my check-ins but keep the reminders", "peg_weekly_off"),
    ],
)
def test_the_peg_questionnaire_is_read_before_the_check_ins(text, kind):
    assert read_check_in_request(text) == CheckInRequest(kind)


@pytest.mark.parametrize("text", ["what is the peg score?", "my physio gave me a questionnaire about sleep", "remind me what the PEG questionnaire is"])
def test_talk_about_the_questionnaire_is_not_a_request(text):
    assert read_check_in_request(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the 9am one is too early, make it 10.30am", time(10, 30)),
        ("move my reminder from 7pm to 8pm", time(20, 0)),
        ("change my reminder to 8 in the evening", time(20, 0)),
        ("i work nights so could the reminder come at 4pm instead of the evening", time(16, 0)),
        # The new time is not clear (11 in the morning or at night?): asked, never taken from the old one.
        ("the 9am reminder is too early, can it be 11 instead", None),
    ],
)
def test_a_change_takes_the_new_time_not_the_old_one(text, expected):
    request = read_check_in_request(text)
    assert request is not None and request.kind == "change" and request.local_time == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("please dont send me any more messages about my pain score", "stop"),
        ("could you stop the daily texts now, thanks for the help", "stop"),
        ("unsubscribe", "stop"),
        ("enough reminders now thank you", "stop"),
        ("hold off on the reminders for a bit, i'm in hospital", "pause"),
        ("im going on holiday for 10 days so no check ins till i'm back", "pause"),
        ("set me up with check ins pls", "start"),
    ],
)
def test_more_ways_of_stopping_pausing_and_starting(text, kind):
    request = read_check_in_request(text)
    assert request is not None and request.kind == kind


@pytest.mark.parametrize(
    ("text", "kind", "zone"),
    [
        ("remind me to log my pain every evening at 7pm Sydney time", "start", "Australia/Sydney"),
        ("could you check in at 8am EST on weekdays", "start", "America/New_York"),
        ("text me at 6.30pm (PST) about my walking goal", "start", "America/Los_Angeles"),
        ("check in on mondays at 9am uk time please", "start", "Europe/London"),
        ("my time zone is Pacific", "change", "America/Los_Angeles"),
        ("can you set my timezone to sydney", "change", "Australia/Sydney"),
        ("I'm on Eastern time now", "change", "America/New_York"),
        ("I live in Brisbane, the check ins come at the wrong time for my time zone", "change", "Australia/Brisbane"),
        ("can you use Europe/Berlin for my check-ins", "change", "Europe/Berlin"),
        ("move my reminders to 7pm New Zealand time", "change", "Pacific/Auckland"),
        ("pls ping me 8am pacific", "start", "America/Los_Angeles"),
        ("Adelaide here. Check in with me on Wednesdays at 10 in the morning about my hydro", "start", "Australia/Adelaide"),
        ("the reminders come at 3am for me!! I'm in Sydney. pls fix", "change", "Australia/Sydney"),
        ("I've just moved to Brisbane to be near my daughter, could you check in with me every evening at 7pm?", "start", "Australia/Brisbane"),
        ("please check in on my hip every evening at 8pm Arizona time", "start", "America/Phoenix"),
    ],
)
def test_a_time_zone_the_patient_names_is_kept(text, kind, zone):
    request = read_check_in_request(text)
    assert request is not None and (request.kind, request.zone) == (kind, zone)


@pytest.mark.parametrize(
    "text",
    [
        "remind me to log my pain every evening at 7",  # no zone: the clinic's
        "I was in London last week and the train wrecked my back, can you remind me to stretch every morning?",
        "my est pain score is about 6 in the mornings, remind me at 9am",  # lower-case "est" not beside a time
        "check in with me at 8pm, I swim in the pacific every weekend",
        "I'm in central London, could you remind me to log my pain at 7pm every day?",
        "remind me at 7pm, I work from home in the eastern part of the city",
    ],
)
def test_no_time_zone_is_read_where_none_was_named(text):
    request = read_check_in_request(text)
    assert request is not None and request.zone is None


@pytest.mark.parametrize(
    "text",
    [
        "I'm in London next week for my daughter's wedding, how do I manage my back on the train?",
        "Sydney here, is it normal for my knee to ache more in the cold mornings?",
        "my pain is worst at 3am, I live in Perth and the heat doesn't help",
    ],
)
def test_where_a_patient_is_is_not_a_request_unless_it_is_about_check_ins(text):
    assert read_check_in_request(text) is None


def test_no_message_about_anything_else_is_read_as_a_check_in_request():
    # "can't switch off at night", "should I give my exercises a rest", "stop asking me questions" (a form):
    # the router would send these to the check-in action, so none may read as a request.
    texts = messages_about_other_things("manage_check_ins", skip_sets="check_ins")
    assert len(texts) > 3000
    assert [(text, read_check_in_request(text)) for text in texts if read_check_in_request(text)] == []
