"""Check-ins end to end: a patient opts in over Telegram, SMS or WhatsApp, the check-in falls due (simulated
time: `python -m pacewise.cli.check_ins --once --now ...`), arrives through the provider's API, and the reply
logs a score. WhatsApp outside its 24-hour window goes out as the approved template, or not at all.

The real Rasa server and action server run with every messaging channel on; the
providers' APIs are the fake provider on loopback (tests/channels/fake_provider.py).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests

from pacewise.checkins.timing import WEEKDAY_NAMES
from pacewise.cli.channel_credentials import write_credentials
from scripts.bot_servers import REPO_ROOT, BotServers
from tests.channels.fake_provider import FakeProvider
from tests.e2e.test_messaging_channels import SECRETS, Channels, texts

pytestmark = pytest.mark.e2e

TEMPLATE_SID = "HX0123456789abcdef0123456789abcdef"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def channels(tmp_path_factory) -> Iterator[Channels]:
    workdir = tmp_path_factory.mktemp("check_ins")
    provider = FakeProvider(workdir / "provider.jsonl").start()
    bot = BotServers(workdir, credentials=workdir / "credentials.yml")
    env = {
        **SECRETS,
        **{f"PACEWISE_{name}_API_URL": provider.url for name in ("TELEGRAM", "SLACK", "FACEBOOK", "TWILIO")},
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{bot.rasa_port}/webhooks/telegram/webhook",
        "TWILIO_SMS_WEBHOOK_URL": f"http://127.0.0.1:{bot.rasa_port}/webhooks/twilio/webhook",
        "TWILIO_WHATSAPP_WEBHOOK_URL": f"http://127.0.0.1:{bot.rasa_port}/webhooks/twilio_whatsapp/webhook",
        "TWILIO_WHATSAPP_CHECK_IN_TEMPLATE": TEMPLATE_SID,
    }
    write_credentials(bot.credentials, env)
    bot.extra_env = env
    try:
        yield Channels(bot.start(), provider)
    finally:
        bot.stop()
        provider.stop()


def run_scheduler(channels: Channels, now: datetime, template: str | None = TEMPLATE_SID) -> str:
    """One pass of the scheduler, as the action server's loop runs it, at a simulated time."""
    env = {key: value for key, value in channels.bot._env.items() if key != "TWILIO_WHATSAPP_CHECK_IN_TEMPLATE"}
    if template:
        env["TWILIO_WHATSAPP_CHECK_IN_TEMPLATE"] = template
    result = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.check_ins", "--once", "--now", now.isoformat()],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def check_in_row(channels: Channels, address: str) -> dict:
    rows = [row for row in channels.bot.rows("check_ins") if row["address"] == address]
    assert len(rows) == 1, rows
    return rows[0]


def due_at(row: dict) -> datetime:
    return datetime.fromisoformat(str(row["next_due_at"])).replace(tzinfo=timezone.utc)


def deliveries(channels: Channels, row: dict) -> list[dict]:
    return [delivery for delivery in channels.bot.rows("check_in_deliveries") if delivery["patient_key"] == row["patient_key"]]


def age_conversation(channels: Channels, conversation_id: str, by: timedelta) -> None:
    """Move every stored event of a conversation `by` into the past, as if the patient had written then."""
    seconds = by.total_seconds()
    with sqlite3.connect(channels.bot.workdir / "tracker.db") as connection:
        connection.execute(
            "UPDATE events SET timestamp = timestamp - ?, data = json_set(data, '$.timestamp', json_extract(data, '$.timestamp') - ?) WHERE sender_id = ?",
            (seconds, seconds, conversation_id),
        )
    last = max(event["timestamp"] for event in channels.bot.tracker(conversation_id)["events"])
    assert time.time() - last > seconds - 60


def telegram_texts(calls: list[dict], chat: int | None = None) -> str:
    """What was sent with sendMessage (to `chat` only, when given)."""
    return texts([call for call in calls if call["method"] == "sendMessage" and chat in (None, int(call["data"]["chat_id"]))], "text")


def test_telegram_opt_in_then_the_check_in_arrives_at_the_chosen_time_and_the_reply_is_logged(channels):
    chat = 770001
    before = len(channels.provider.calls("telegram"))
    channels.telegram(9001, chat, "I keep forgetting my diary. Could you remind me to log my pain every evening at 7pm?")
    confirmation = telegram_texts(channels.new_calls(before, "telegram"))
    assert "every day at 19:00" in confirmation and "stop check-ins" in confirmation

    row = check_in_row(channels, str(chat))
    due = due_at(row)
    assert due.astimezone(LONDON).strftime("%H:%M") == "19:00" and due > datetime.now(timezone.utc)

    # A minute before it is due: nothing. At the due time: the check-in, once, even if the scheduler runs twice.
    before = len(channels.provider.calls("telegram"))
    run_scheduler(channels, due - timedelta(minutes=1))
    assert deliveries(channels, row) == []
    run_scheduler(channels, due + timedelta(minutes=1))
    run_scheduler(channels, due + timedelta(minutes=2))
    check_in = telegram_texts(channels.new_calls(before, "telegram", at_least=2))
    assert "check-in you asked for" in check_in and "stop check-ins" in check_in and "0 to 10" in check_in
    assert [delivery["outcome"] for delivery in deliveries(channels, row)] == ["sent"]
    assert due_at(check_in_row(channels, str(chat))) == due + timedelta(days=1)

    before = len(channels.provider.calls("telegram"))
    channels.telegram(9002, chat, "about a 6 tonight")
    assert "6 out of 10" in telegram_texts(channels.new_calls(before, "telegram"))
    assert channels.bot.slot(str(chat), "pain_score") == 6


def test_a_patient_in_another_time_zone_gets_the_check_in_at_their_own_time(channels):
    chat = 770009
    before = len(channels.provider.calls("telegram"))
    channels.telegram(9111, chat, "hiya, I'm in Perth so could you remind me to do my pain diary at 8.30pm Perth time each night")
    confirmation = telegram_texts(channels.new_calls(before, "telegram"))
    assert "every day at 20:30 (Perth time)" in confirmation

    row = check_in_row(channels, str(chat))
    due = due_at(row)
    assert due.astimezone(ZoneInfo("Australia/Perth")).strftime("%H:%M") == "20:30"
    assert due.astimezone(timezone.utc).strftime("%H:%M") == "12:30"  # Perth is UTC+8 all year
    before = len(channels.provider.calls("telegram"))
    run_scheduler(channels, due + timedelta(minutes=1))
    assert "check-in you asked for" in telegram_texts(channels.new_calls(before, "telegram", at_least=1))

    # Moving keeps the local time: 8.30pm, now in London.
    before = len(channels.provider.calls("telegram"))
    channels.telegram(9112, chat, "I'm back home in the UK now, can you switch my check-ins to UK time")
    assert "every day at 20:30 (London time)" in telegram_texts(channels.new_calls(before, "telegram"))
    assert due_at(check_in_row(channels, str(chat))).astimezone(LONDON).strftime("%H:%M") == "20:30"


def test_sms_opt_in_check_in_and_stop(channels):
    patient = "+447700900301"
    before = len(channels.provider.calls("twilio"))
    channels.twilio("twilio", patient, "can you text me on weekdays at 8.30am to ask about my pain", "SM-c1")
    assert "Monday" in texts(channels.new_calls(before, "twilio"), "Body")
    row = check_in_row(channels, patient)
    due = due_at(row)
    assert due.astimezone(LONDON).weekday() < 5 and due.astimezone(LONDON).strftime("%H:%M") == "08:30"
    # By the time a check-in comes, the patient's chat session has usually expired (after 60 minutes):
    # the same conversation, three hours older.
    age_conversation(channels, patient, timedelta(hours=3))

    before = len(channels.provider.calls("twilio"))
    output = run_scheduler(channels, due + timedelta(minutes=5))
    assert [d["outcome"] for d in deliveries(channels, row)] == ["sent"], (output, deliveries(channels, row), channels.bot.logs()[-3000:])
    sent = channels.new_calls(before, "twilio", at_least=2)
    assert {call["data"]["To"] for call in sent} == {patient}
    assert "stop check-ins" in texts(sent, "Body") and "0 to 10" in texts(sent, "Body")

    before = len(channels.provider.calls("twilio"))
    channels.twilio("twilio", patient, "4", "SM-c2")
    assert "logged your pain as 4 out of 10" in texts(channels.new_calls(before, "twilio"), "Body")

    # Stopped: the next due time passes and nothing more is sent.
    before = len(channels.provider.calls("twilio"))
    channels.twilio("twilio", patient, "please stop the check-ins", "SM-c3")
    assert "no more check-ins" in texts(channels.new_calls(before, "twilio"), "Body")
    assert [r for r in channels.bot.rows("check_ins") if r["address"] == patient] == []
    before = len(channels.provider.calls("twilio"))
    run_scheduler(channels, due + timedelta(days=7))
    assert len(channels.provider.calls("twilio")) == before


def event_names(channels: Channels, conversation_id: str) -> list[str]:
    tracker = channels.bot.tracker(conversation_id)
    return [((event.get("parse_data") or {}).get("intent") or {}).get("name") or "" for event in tracker["events"] if event["event"] == "user"]


@pytest.mark.parametrize(
    ("provider", "address", "opt_in", "reason"),
    [
        ("telegram", "770021", "could you remind me to log my pain every evening at 7pm?", "Telegram did not take it (BotBlocked)"),
        ("twilio", "+447700900321", "text me every evening at 7pm to ask for my pain score please", "Twilio did not take it (error 21610)"),
        ("slack", "U7021", "remind me to log my pain every evening at 7pm", "Slack did not take it (channel_not_found)"),
        ("facebook", "PSID7021", "remind me to log my pain every evening at 7pm", "Messenger did not take it (error 551)"),
    ],
)
def test_a_check_in_the_provider_refuses_is_recorded_as_not_sent_with_the_reason(channels, provider, address, opt_in, reason):
    before = len(channels.provider.calls(provider))
    if provider == "telegram":
        channels.telegram(9301, int(address), opt_in)
    elif provider == "twilio":
        channels.twilio("twilio", address, opt_in, "SM-refused-1")
    elif provider == "slack":
        channels.slack("Ev-refused-1", address, opt_in)
    else:
        channels.facebook("mid.refused1", address, opt_in)
    channels.new_calls(before, provider)
    row = check_in_row(channels, address)
    due = due_at(row)

    # The patient blocked the bot, unsubscribed, left: the provider refuses the check-in.
    channels.provider.refuse(provider, address)
    output = run_scheduler(channels, due + timedelta(minutes=1))

    outcomes = [(delivery["outcome"], delivery["reason"]) for delivery in deliveries(channels, row)]
    assert outcomes == [("not_sent", reason)], (output, channels.bot.logs()[-4000:])
    assert "EXTERNAL_check_in" not in event_names(channels, address)  # the conversation is as the patient left it
    assert due_at(check_in_row(channels, address)) == due + timedelta(days=1)  # tomorrow's is tried as usual


def _weekday_in(days: int) -> str:
    return WEEKDAY_NAMES[(datetime.now(LONDON) + timedelta(days=days)).weekday()]


def test_whatsapp_outside_the_24_hour_window_uses_the_template_or_is_not_sent(channels):
    patient = "whatsapp:+447700900302"
    # Three days ahead: more than 24 hours after the patient's last message when it falls due.
    channels.twilio("twilio_whatsapp", patient, f"remind me on {_weekday_in(3)}s at 6pm to log my pain", "SM-w1")
    channels.new_calls(0, "twilio")
    row = check_in_row(channels, patient)
    due = due_at(row)
    assert due - datetime.now(timezone.utc) > timedelta(hours=24)

    # No approved template configured: not sent, and the reason is kept.
    before = len(channels.provider.calls("twilio"))
    run_scheduler(channels, due + timedelta(minutes=1), template=None)
    time.sleep(2)
    assert len(channels.provider.calls("twilio")) == before
    [delivery] = deliveries(channels, row)
    assert delivery["outcome"] == "not_sent" and "24 hours" in delivery["reason"] and "template" in delivery["reason"]

    # With the template: the template, and no free-form text, goes out; the reply is logged.
    due = due_at(check_in_row(channels, patient))
    before = len(channels.provider.calls("twilio"))
    run_scheduler(channels, due + timedelta(minutes=1))
    sent = channels.new_calls(before, "twilio", at_least=1, settle=3)
    assert [call["data"].get("ContentSid") for call in sent] == [TEMPLATE_SID]
    assert all(not call["data"].get("Body") for call in sent)

    before = len(channels.provider.calls("twilio"))
    channels.twilio("twilio_whatsapp", patient, "5", "SM-w2")
    assert "logged your pain as 5 out of 10" in texts(channels.new_calls(before, "twilio"), "Body")
    assert channels.bot.slot(patient, "pain_score") == 5


def test_whatsapp_within_the_window_is_an_ordinary_message(channels):
    patient = "whatsapp:+447700900303"
    channels.twilio("twilio_whatsapp", patient, "check in with me every day at 9pm about my pain please", "SM-x1")
    channels.new_calls(0, "twilio")
    due = due_at(check_in_row(channels, patient))
    assert due - datetime.now(timezone.utc) < timedelta(hours=24)
    before = len(channels.provider.calls("twilio"))
    run_scheduler(channels, due + timedelta(minutes=1), template=None)
    sent = channels.new_calls(before, "twilio", at_least=2)
    assert "check-in you asked for" in texts(sent, "Body") and all(not call["data"].get("ContentSid") for call in sent)


def test_the_widget_says_it_cannot_send_check_ins(channels):
    reply = " ".join(message.get("text", "") for message in channels.bot.send("rest-check-in", "remind me to log my pain every evening at 7"))
    assert "can't send check-ins here" in reply
    assert all(row["channel"] != "rest" for row in channels.bot.rows("check_ins"))


def test_a_scheduler_started_by_hand_needs_a_time_with_an_offset():
    result = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.check_ins", "--once", "--now", "2026-12-01T19:00:00"],
        cwd=REPO_ROOT, env={**os.environ}, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "UTC offset" in result.stderr


def test_a_request_without_a_time_gets_a_question_and_the_answer_sets_it_up(channels):
    chat = 770002
    before = len(channels.provider.calls("telegram"))
    channels.telegram(9101, chat, "hiya, could you check in with me on Mondays and Thursdays about my walking goal")
    assert "What time of day would suit you?" in telegram_texts(channels.new_calls(before, "telegram"))
    assert [row for row in channels.bot.rows("check_ins") if row["address"] == str(chat)] == []

    before = len(channels.provider.calls("telegram"))
    channels.telegram(9102, chat, "half past 6 in the evening, so 6.30pm")
    reply = telegram_texts(channels.new_calls(before, "telegram"))
    assert "on Mondays and Thursdays at 18:30" in reply and "activity goal" in reply
    row = check_in_row(channels, str(chat))
    assert (row["weekdays"], row["local_time"], row["asks"]) == ("03", "18:30", "goal")


# -- The PEG-3 questionnaire ------------------------------------------------------------


def say(channels: Channels, sender: str, text: str) -> str:
    return " ".join(message.get("text", "") for message in channels.bot.send(sender, text))


def peg_rows(channels: Channels) -> list[tuple[int, int, int]]:
    return [(row["pain"], row["enjoyment"], row["activity"]) for row in channels.bot.rows("peg_responses")]


def test_the_peg_over_rest_asks_three_items_refuses_bad_answers_and_stores_them_together(channels):
    sender, before = "rest-peg-1", peg_rows(channels)
    first = say(channels, sender, "My physio mentioned a questionnaire with 3 questions, can I do it now?")
    assert "Question 1 of 3" in first and "pain on average in the past week" in first
    assert "Question 1 of 3" in say(channels, sender, "it varies a lot honestly")  # not an answer: asked again
    assert "only goes from 0 to 10" in say(channels, sender, "12")
    assert "Question 2 of 3" in say(channels, sender, "probably a 6")
    assert peg_rows(channels) == before  # nothing stored until all three are in
    assert "Which is closer, 5 or 6?" in say(channels, sender, "5 or 6")
    assert "Question 3 of 3" in say(channels, sender, "5")
    result = say(channels, sender, "7 I'd say")
    assert "Your PEG score is 6.0 out of 10" in result
    assert peg_rows(channels) == [*before, (6, 5, 7)]


def test_a_crisis_in_the_middle_of_the_peg_comes_first_and_nothing_half_answered_is_kept(channels):
    sender, before = "rest-peg-2", peg_rows(channels)
    say(channels, sender, "can I do the PEG questionnaire")
    assert "Question 2 of 3" in say(channels, sender, "8")
    crisis = say(channels, sender, "honestly I just want to end it all, I can't take this pain anymore")
    assert "116 123" in crisis and "Question" not in crisis
    assert channels.bot.slot(sender, "topic") == "crisis_support"
    assert channels.bot.tracker(sender)["active_loop"] in ({}, None) or not channels.bot.tracker(sender)["active_loop"].get("name")
    assert channels.bot.slot(sender, "peg_pain") is None
    say(channels, sender, "6")
    assert peg_rows(channels) == before
    # Started again later, all three are asked again.
    assert "Question 1 of 3" in say(channels, sender, "can I do the PEG questionnaire")


def test_the_weekly_peg_comes_with_the_check_in_once_a_week(channels):
    chat = 770003
    channels.telegram(9201, chat, "remind me every evening at 8pm to log my pain")
    channels.new_calls(0, "telegram")
    before = len(channels.provider.calls("telegram"))
    channels.telegram(9202, chat, "add the weekly questionnaire to my check-ins")
    assert "once a week your check-in will ask the three questions" in telegram_texts(channels.new_calls(before, "telegram"))

    due = due_at(check_in_row(channels, str(chat)))
    before = len(channels.provider.calls("telegram"))
    run_scheduler(channels, due + timedelta(minutes=1))
    first = telegram_texts(channels.new_calls(before, "telegram", at_least=3), chat)
    assert "weekly questionnaire" in first and "Question 1 of 3" in first and "stop check-ins" in first
    for update, answer, expected in ((9203, "6", "Question 2 of 3"), (9204, "5", "Question 3 of 3")):
        before = len(channels.provider.calls("telegram"))
        channels.telegram(update, chat, answer)
        assert expected in telegram_texts(channels.new_calls(before, "telegram"), chat)
    before = len(channels.provider.calls("telegram"))
    channels.telegram(9205, chat, "4")
    assert "Your PEG score is 5.0" in telegram_texts(channels.new_calls(before, "telegram"))

    # The next day's check-in asks the pain score, not the questionnaire again.
    due = due_at(check_in_row(channels, str(chat)))
    before = len(channels.provider.calls("telegram"))
    run_scheduler(channels, due + timedelta(minutes=1))
    second = telegram_texts(channels.new_calls(before, "telegram", at_least=2), chat)
    assert "0 to 10" in second and "Question 1 of 3" not in second


# -- The progress report -----------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REPORT_CHECK = REPO_ROOT / "tests" / "web" / "progress_report_check.mjs"


def open_in_browser(url: str, shot: str, must_show: list[str], must_not_show: list[str]) -> None:
    env = {**os.environ, "CHROMIUM_PATH": CHROMIUM, "PACEWISE_SCREENSHOTS": str(REPO_ROOT / "tests" / "output" / "screenshots")}
    command = ["node", str(REPORT_CHECK), url, shot, *must_show, "--", *must_not_show]
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0 and "PASS progress_report" in done.stdout, done.stdout + done.stderr


def test_the_report_for_the_physio_shows_the_patients_own_entries_and_nothing_else(channels):
    sender = "rest-report-1"
    for score in ("my pain is 7 today", "my pain is 5 today"):
        say(channels, sender, score)
        say(channels, sender, "skip")
    say(channels, sender, "can I do the PEG questionnaire")
    for answer in ("6", "7", "8"):
        say(channels, sender, answer)
    assert "pacing" in say(channels, sender, "my physio keeps telling me to pace myself, what does pacing actually mean?").lower()
    say(channels, "rest-report-1-neighbour", "I've had sciatica down my left leg for a year now, will it ever settle?")

    reply = say(channels, sender, "I'm seeing my physio on Tuesday, could you make a report I can show her?")
    assert "one-page report" in reply and "spreadsheet" in reply
    link = next(word for word in reply.split() if "/webhooks/downloads/file/" in word)
    response = requests.get(link, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "sandbox" in response.headers["Content-Security-Policy"] and "<script" not in response.text

    # Another patient's PEG answers (6, 5, 7 earlier in this module) and topics are not in it; this patient's are.
    open_in_browser(
        link,
        "progress-report",
        [
            "Pacewise progress report",
            "Pain diary",
            "Scores entered",
            "2, from",
            "lowest 5, highest 7",
            "7.0 (pain 6, enjoyment of life 7, general activity 8)",
            "Topics read in Pacewise",
            "Pacing and the boom-bust cycle",
        ],
        ["pain 6, enjoyment of life 5, general activity 7", "Sciatica and nerve pain", "Will it ever get better"],
    )

    # "Delete my data" takes the report with it.
    say(channels, sender, "delete my data")
    say(channels, sender, "yes")
    assert requests.get(link, timeout=30).status_code == 404


def test_the_export_includes_the_report(channels):
    sender = "rest-report-2"
    say(channels, sender, "my pain is 4 today")
    reply = say(channels, sender, "export my data")
    links = [word for word in reply.split() if "/webhooks/downloads/file/" in word]
    assert len(links) == 2 and links[0].endswith(".csv") and links[1].endswith(".html")
    assert "Scores entered" in requests.get(links[1], timeout=30).text


# -- Slack and Messenger -------------------------------------------------------------------


def test_slack_check_in_arrives_in_the_patients_chat(channels):
    before = len(channels.provider.calls("slack"))
    channels.slack("Ev-c1", "U7001", "could you ping me every weekday at 5.30pm about my stretching goal")
    assert "Mondays, Tuesdays, Wednesdays, Thursdays and Fridays at 17:30" in texts(channels.new_calls(before, "slack"), "text")
    due = due_at(check_in_row(channels, "U7001"))
    before = len(channels.provider.calls("slack"))
    run_scheduler(channels, due + timedelta(minutes=1))
    sent = [call for call in channels.new_calls(before, "slack") if call["method"] == "chat.postMessage"]
    assert "check-in you asked for" in texts(sent, "text") and "activity goal" in texts(sent, "text")
    assert {call["data"]["channel"] for call in sent} == {"U7001"}


def test_messenger_check_in_inside_its_window_is_sent_and_outside_it_is_not(channels):
    before = len(channels.provider.calls("facebook"))
    channels.facebook("mid.c1", "PSID7001", "remind me to log my pain every night at 9pm please")
    channels.new_calls(before, "facebook")
    row = check_in_row(channels, "PSID7001")
    due = due_at(row)
    before = len(channels.provider.calls("facebook"))
    run_scheduler(channels, due + timedelta(minutes=1))
    sent = [call for call in channels.new_calls(before, "facebook") if "message" in call["data"]]
    assert "check-in you asked for" in json.dumps([call["data"]["message"] for call in sent])

    # Three days without a word from the patient: outside Messenger's window, nothing goes out.
    age_conversation(channels, "PSID7001", timedelta(days=3))
    due = due_at(check_in_row(channels, "PSID7001"))
    before = len(channels.provider.calls("facebook"))
    run_scheduler(channels, due + timedelta(minutes=1))
    time.sleep(2)
    assert len(channels.provider.calls("facebook")) == before
    assert [delivery["outcome"] for delivery in deliveries(channels, row)][-1] == "not_sent"
    assert "Messenger" in deliveries(channels, row)[-1]["reason"]
