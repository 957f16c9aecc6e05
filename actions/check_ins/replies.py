"""What the bot says about check-ins. The check-in's own wording is the clinicians' (content/settings/check_ins.yml)."""

from __future__ import annotations

from datetime import datetime

from pacewise.checkins.timing import Cadence

ASKS_IN_WORDS = {"pain": "your pain score", "goal": "how your activity goal is going", "both": "your pain score and how your activity goal is going"}
NOT_ON_THIS_CHANNEL = (
    "I can't send check-ins here: this chat can't reach you. Check-ins work in the chat on your clinic's website, "
    "and on Telegram, Slack, Messenger, SMS or WhatsApp if your clinic offers them."
)
WIDGET_HOLDS = "This chat can't message you while it's closed, so your check-in will be waiting the next time you open it after that time."
ASK_TIME = 'What time of day would suit you? For example "7pm", "8.30 in the morning" or "every evening".'
NEED_A_TIME = 'Sorry, I didn\'t catch a time there. Please say a time like "7pm" or "9am", or "morning" or "evening".'
HOW_TO_ASK = (
    "I can check in with you at a time you choose and ask for your pain score, your activity goal, or both. For example: "
    '"remind me to log my pain every evening at 7", "check in with me on Mondays about my walking goal". '
    'You can also say "pause check-ins for a week", "change the time to 8pm" or "stop check-ins".'
)
STOPPED = "Done: no more check-ins. You can start them again any time by asking me to remind you."
NOTHING_TO_STOP = "You don't have any check-ins set up, so there's nothing to stop."
NONE_YET = 'You don\'t have any check-ins set up yet. Would you like some? For example: "remind me to log my pain every evening at 7".'
STORAGE_PROBLEM = "Sorry, I can't change your check-ins just now. Nothing has changed; please try again in a few minutes."
NO_CHANGE_SAID = 'What would you like to change? For example "move my check-ins to 8pm" or "check in on Mondays and Thursdays instead".'


def zone_label(zone: str) -> str:
    """ "Europe/London" -> "London time"."""
    return zone.split("/")[-1].replace("_", " ") + " time"


def started(cadence: Cadence, asks: str, how_to_stop: str, say_how_to_give_a_zone: bool) -> str:
    reply = f"Done. I'll check in with you {cadence.describe()} ({zone_label(cadence.zone)}) and ask for {ASKS_IN_WORDS[asks]}."
    if say_how_to_give_a_zone:
        reply += f" If you're not on {zone_label(cadence.zone)}, tell me yours, for example \"I'm on New York time\"."
    return f"{reply} {how_to_stop}"


def changed(cadence: Cadence) -> str:
    return f"Done. Your check-ins are now {cadence.describe()} ({zone_label(cadence.zone)})."


def paused(until: datetime, cadence: Cadence) -> str:
    local = until.astimezone(cadence.tz)
    return (
        f"Paused: no check-ins until {local.strftime('%A')} {local.day} {local.strftime('%B')}. "
        f'After that they carry on {cadence.describe()}. Say "stop check-ins" to end them.'
    )


def resumed(cadence: Cadence) -> str:
    return f"Your check-ins are on: {cadence.describe()} ({zone_label(cadence.zone)})."


# -- The PEG-3 questionnaire (Krebs et al. 2009; public domain: its items are asked word for word) -----------------

PEG_QUESTIONS = {
    "peg_pain": ("What number best describes your pain on average in the past week?", "0 means no pain, 10 pain as bad as you can imagine."),
    "peg_enjoyment": (
        "What number best describes how, during the past week, pain has interfered with your enjoyment of life?",
        "0 means it does not interfere, 10 that it completely interferes.",
    ),
    "peg_activity": (
        "What number best describes how, during the past week, pain has interfered with your general activity?",
        "0 means it does not interfere, 10 that it completely interferes.",
    ),
}
PEG_INTRO = 'Three quick questions about the past week, each answered with a number from 0 to 10. Say "stop" at any time and nothing is saved.'
PEG_WEEKLY_INTRO = "It's time for your weekly questionnaire: three quick questions about the past week, in place of today's pain score."
PEG_NOT_OFFERED = "Sorry, the questionnaire isn't switched on by your clinic, so I can't ask it here."
PEG_WHOLE_NUMBER = "Please pick one whole number from 0 to 10."
PEG_STOPPED = "OK, I've stopped the questionnaire. Nothing from it was saved."
PEG_SAVE_FAILED = "Sorry, I couldn't save your answers just now, so nothing was saved. Please try the questionnaire again later."
PEG_WEEKLY_ON = "Done: once a week your check-in will ask the three questions in place of the pain score."
PEG_WEEKLY_OFF = "Done: your check-ins won't ask the weekly questionnaire any more. Everything else stays as it was."
PEG_NEEDS_CHECK_INS = (
    "The weekly questionnaire comes with check-ins, and you don't have any yet. "
    'Ask me to remind you first, for example "remind me to log my pain every evening at 7".'
)
PEG_OFFER_BUTTON = {"title": "Add a weekly questionnaire", "payload": "add the weekly questionnaire to my check-ins"}
IMMPACT_NOTE = "A fall of 30% or more is usually counted as a meaningful improvement."


# The widget's 0-10 scale with the interference items' own end labels (the pain item keeps "No pain / Worst pain").
INTERFERENCE_LABELS = {"low": "Does not interfere", "high": "Completely interferes"}


def peg_scale(slot: str, pain_scale: dict) -> dict:
    if slot == "peg_pain":
        return pain_scale
    return {"pacewise": {**pain_scale["pacewise"], **INTERFERENCE_LABELS}}


def peg_question(slot: str, number: int) -> str:
    question, anchors = PEG_QUESTIONS[slot]
    return f"Question {number} of 3: {question} {anchors}"


def peg_not_an_answer(slot: str) -> str:
    return f"Please answer with one number from 0 to 10. {PEG_QUESTIONS[slot][1]}"


def peg_result(score: float, first: float | None, weeks: int, change: float, meaningful: bool) -> str:
    text = f"Thank you, that's saved. Your PEG score is {score:.1f} out of 10 (the average of your three answers)."
    if first is None:
        return text + " As you answer it again over the weeks, I'll show you how it changes."
    since = f"{weeks} week{'s' if weeks != 1 else ''} ago" if weeks else "earlier this week"
    if change < 0:
        text += f" It was {first:.1f} when you first answered, {since}: a fall of {round(-change * 100)}%."
        return text + (f" {IMMPACT_NOTE} Well done." if meaningful else f" {IMMPACT_NOTE}")
    if change > 0:
        return text + (
            f" It was {first:.1f} when you first answered, {since}. Scores move about from week to week; "
            "if things keep getting harder, it's worth talking to your physiotherapist."
        )
    return text + f" That's the same as when you first answered, {since}."
