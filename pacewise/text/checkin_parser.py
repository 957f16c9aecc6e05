"""Read what a patient asks of check-ins: start them (when, which days, what to ask), stop, pause, move.

"Remind me to log my pain every evening", "check in with me on Mondays at 9",
"can you nudge me about my walking goal at 7.30pm on weekdays", "stop
reminders", "pause them for a fortnight", "change the time to 8pm". The
reader is deterministic: the same words always give the same settings, and
whatever it cannot read with confidence it leaves out (None), so the bot
asks rather than guesses a time of day.

Decisions:
* A time of day: "7pm", "7.30 pm", "19:00", "half 8", "quarter past 7",
  "quarter to 9", "noon", or a part of the day ("morning"
  09:00, "lunchtime" 12:30, "afternoon" 14:00, "evening" 19:00, "night" /
  "bedtime" 21:00). An hour without am or pm ("at 8") is read with the part
  of the day beside it ("at 8 every night" is 20:00); on its own it is not
  read, and the bot asks morning or evening.
* Days: named days ("Mondays and Thursdays"), "weekdays", "weekends", or every
  day ("daily", "every evening", "each day", and when no day is named).
  "weekly" / "once a week" without a day means Mondays.
* What to ask: the pain score when pain, a score or the diary is named; the
  activity goal when a goal, an activity or an exercise is named; both when
  both are; the pain score when neither is.
* Pause: "for a week" by default; "for N days/weeks", "a fortnight". "Stop them
  for a few days", "stop while I'm away and carry on after" is a pause.
* Someone else's reminders or questionnaires ("my son keeps reminding me",
  "my husband fills in a questionnaire") are not requests, nor are medicine
  reminders ("remind me to take my tablets"): Pacewise sets none.
* The PEG-3 questionnaire ("the PEG", "the weekly questionnaire", "the 3
  questions"): "do it now" (peg_now), "add it to my check-ins" / "every
  week" (peg_weekly_on), "stop the weekly questionnaire" (peg_weekly_off).
  Read before anything else, so "stop the questionnaire in my check-ins"
  stops the questionnaire, not the check-ins.
* The patient's time zone, when they name one ("7pm Sydney time", "8am EST",
  "I'm on New York time", pacewise/text/time_zones.py): kept with a start or a
  change; said on its own ("my time zone is Pacific") it moves the check-ins
  to that zone at the same local time. Not named: the clinic's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

from pacewise.text.time_zones import names_a_place, time_zone_change_in, time_zone_in

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
PARTS_OF_DAY = {"morning": time(9, 0), "lunchtime": time(12, 30), "lunch": time(12, 30), "afternoon": time(14, 0), "evening": time(19, 0),
                "tonight": time(19, 0), "night": time(21, 0), "bedtime": time(21, 0), "bed": time(21, 0), "noon": time(12, 0),
                "midday": time(12, 0)}  # fmt: skip
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1}

_REMINDER = (
    r"(?:reminders?|remind(?:ing|ers|ed)?|check[- ]?ins?|checking in|nudges?|notifications?|messages?|texts|(?:daily|weekly|nightly|pain|regular) checks?)\b"
)
_REMINDER_NOUN = re.compile(r"\b(?:reminders?|check[- ]?ins?|notifications?|nudges?)\b")
# Said about check-ins, not about anything else ("stop asking me questions", "switch off at night").
_ABOUT_CHECK_INS = re.compile(
    r"\b(?:reminders?|remind|check[- ]?ins?|notifications?|nudges?|anymore|any more|too early|too late)\b"
    r"|\b(?:daily|nightly|evening|morning|weekly|pain|score) (?:messages?|texts?|questions?|pings?)\b"
)


def _any_of(*alternatives: str) -> re.Pattern[str]:
    """One pattern matching any of the alternatives (the text is lower-cased before matching)."""
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives))


_STOP = _any_of(
    rf"\b(?:stop|cancel|end|turn off|switch off|unsubscribe(?: from)?|no more|enough|don'?t want(?: any)?(?: more)?|(?:don'?t|do not) send|opt out of)\b"
    rf".{{0,30}}\b{_REMINDER}",
    r"\bstop (?:messaging|asking|sending|texting|pinging|reminding|nagging|contacting|checking in with) (?:me|us)\b.*"
    r"\b(?:every|each|daily|nightly|evening|morning|weekly|reminders?|check[- ]?ins?|anymore|any more|goal|score|diary)\b",
    r"\b(?:don'?t|do not) want (?:you|u) (?:texting|messaging|asking|sending|contacting|checking)\b.*\b(?:anymore|any more|every|each|daily|at \d)",
    r"^\s*(?:please )?unsubscribe\s*[.!]*\s*$",
    r"\b(?:reminders?|check[- ]?ins?|notifications?|nudges?)\b.{0,20}\b(?:off|stop)\b",
    r"^\s*stop (?:them|it)\s*[.!]*\s*$",
    rf"\b{_REMINDER}\b.{{0,60}}\b(?:turn|switch) (?:them|it) off\b",
    rf"\b{_REMINDER}\b.{{0,60}}\b(?:stop|discontinue|cancel|end) (?:them|it)\b",
    rf"\bno longer (?:need|want)\b.{{0,30}}\b{_REMINDER}",
)
_PAUSE = _any_of(
    # Not advice sought about something else: "should I pause it (my exercise routine) while the flare lasts?".
    rf"(?<!should i )(?<!should we )\b(?:pause|snooze|suspend)\s+(?:the |my |all |your )?(?:[a-z]+ )?(?:{_REMINDER}|them|it)\b",
    rf"\b(?:hold|hold off on|hold off)\s+(?:the |my |all |your )?(?:[a-z]+ )?{_REMINDER}",
    rf"\b{_REMINDER}\b.{{0,10}}\bon hold\b",
    rf"\b(?:give|take)\b (?:the |my |your |all )?(?:[a-z]+ )?{_REMINDER}.{{0,10}}\b(?:a rest|a break)\b",
    r"\bbreak from (?:asking|messaging|texting|reminding) (?:me|us)\b",
    rf"\bno {_REMINDER} (?:for|till|until)\b",
    rf"\bbreak from (?:the |my |your )?(?:[a-z]+ )?{_REMINDER}",
    # "pause for a fortnight" on its own; not "pause this for now" (stopping a question).
    r"^\s*(?:please |can you |could you )?(?:pause|snooze)\b(?: (?:them|it|everything))? for (?:a |the next |another )?"
    r"(?:\d+|one|two|three|four|few|couple|fortnight|week|month)",
)
# "Stop them for a few days", "stop while I'm away and carry on when I'm back": a pause, not a stop.
_FOR_A_WHILE = _any_of(
    r"\bfor (?:the next |a |another )?(?:few|couple of|\d+|one|two|three|four|a|an)\b.{0,6}\b(?:days?|weeks?|fortnight|months?)\b",
    r"\b(?:until|till|while)\b",
    r"\b(?:carry on|start (?:again|back|up again)|resume|pick (?:it|them) up again)\b",
)
_CHANGE = _any_of(
    r"\b(?:chang(?:e|ed|ing)|mov(?:e|ed|ing)|switch(?:ed)?|push(?:ed)?|bring|brought|shift(?:ed)?|reschedul\w*)\b.{0,40}\b(?:to|at|for|until)\b",
    r"\b(?:different|another|new|other) time\b",
    rf"\b{_REMINDER}\b.{{0,30}}\b(?:later|earlier)\b",
    r"\b(?:would|will|might) suit me better\b",
    r"\bset (?:it|them|the time|(?:my|the) (?:\w+ )?(?:reminders?|check[- ]?ins?)) (?:to|for)\b",
    r"\binstead\b",
    r"\bmake (?:it|them|the \w+ one) (?:at |for )?\d",
)
_START = _any_of(
    r"\b(?:remind|check in|check-in|check on|nudge|message|msg|text|ping|send|contact|prompt|get in touch with|come back to)\b.{0,12}\b(?:me|us)\b",
    r"\b(?:please|pls|can you|could you|would you|will you)\s+check[- ]?in (?:on|about) (?:my|how)\b",
    r"(?:^|[.!?]\s*)(?:a |my )?(?:daily|nightly|weekly|morning|evening) (?:check[- ]?ins?|reminders?|nudges?)\b",
    r"\b(?:start|begin) (?:checking in|check in) (?:on|with) (?:me|us)\b",
    # "every morning ask me ...", "can you ask how my hip is", "please ask about my goal", "i want you to ask me"
    r"\b(?:every|each|daily|first thing)\b[^.?!]{0,25}\bask (?:me|us)\b",
    r"\b(?:can|could|would|will) (?:you|u) (?:please )?ask (?:me |us )?(?:how|about|for|what)\b",
    r"\b(?:you|u) to ask (?:me|us)\b|\bplease ask (?:me )?(?:about|how|for)\b",
    r"\bget me at\b",
    r"\b(?:you|u) (?:to )?(?:get|be|keep) in touch\b",
    r"\b(?:start|begin) (?:asking|messaging|texting|checking in with) (?:me|us)\b",
    rf"\b(?:can|could) (?:we|i|you) (?:do|have|get|set up)\b.{{0,10}}\b{_REMINDER}",
    r"(?:^|[.!?,]\s*|\b(?:you|u|please|pls)\s+)ask (?:me|us)\b",  # "can you ask me ...", not "my physio will ask me ..."
    rf"\b(?:set up|set me up|start|turn on|switch on|want|like|love|give me)\b.{{0,25}}\b{_REMINDER}",
    rf"(?:^|[.!?,]\s*|\b(?:please|pls|can you|could you|would you|will you|u)\s+)set (?:a|an|up a|me a|daily|my)\b.{{0,15}}\b{_REMINDER}",
    r"\b(?:reminders?|check[- ]?ins?|notifications?|nudges?)\b.{0,15}\b(?:back )?on\b(?! (?:me|us|my|the|your|how|what))",
    rf"\b{_REMINDER}\b.{{0,10}}\bplease\b",  # "lunchtime check-ins please" (with a time or a day: see _SCHEDULE)
)
# Something that says when or what: without it, "remind me what pacing is" is not asking for reminders.
_SCHEDULE = _any_of(
    r"\b(?:every|each|daily|nightly|weekly|weekdays?|weekends?|once a|twice a|regularly|morning|evening|night|afternoon|lunchtime|bedtime)",
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*days?\b",
    r"\d\s*(?:am|pm|a\.m\.|p\.m\.)|\d[:.]\d\d",
)
# The check-ins the patient has ("can my check-ins run on Madrid time", "set my existing reminders to ...").
_EXISTING = re.compile(r"\b(?:existing|current)\b|\bmy (?:\w+ )?(?:check[- ]?ins|reminders)\b")
_SET_UP = re.compile(r"\b(?:set up|set me up|start|begin|turn on|switch on|new)\b")
_LOGGING = _any_of(r"\b(?:log|record|fill in|enter|track|note down|do|update)\b.{0,20}\b(?:pain|score|diary|goal|activity|exercises?|stretches|walk)")
_MEDICINES = (
    r"(?:tablets?|pills?|capsules?|medic\w*|meds|doses?|injections?|painkillers?|patch(?:es)?|inhalers?|paracetamol|ibuprofen|naproxen|aspirin"
    r"|diclofenac|codeine|co-?codamol|tramadol|morphine|oxycodone|buprenorphine|fentanyl|amitriptyline|nortriptyline|gabapentin|pregabalin"
    r"|duloxetine|celecoxib|etoricoxib|prescriptions?)"
)
_NOT_A_REQUEST = _any_of(
    r"\bremind me (?:what|how|why|who|when|where|which|of|about what)\b",
    # A medicine reminder (Pacewise sets none); "before the tablets kick in" said in passing is not one.
    rf"\b(?:take|taking|have|having|use|using|order|ordering)\b.{{0,15}}\b{_MEDICINES}",
    rf"\b{_MEDICINES}\b.{{0,12}}\b(?:reminders?|alarms?)\b",
    rf"\bremind\w*\b.{{0,25}}\b{_MEDICINES}",
    r"\bremind\w* (?:me |us )?to take (?:my|the|a dose|some|\d)",
    # Someone else's reminders or questionnaire.
    r"\b(?:husband|wife|partner|son|daughter|mum|mom|mother|dad|father|friend|sister|brother|neighbou?r|colleague|boss|carer)\b.{0,25}"
    r"\b(?:has|have|had|keeps|kept|does|did|is|was|fills?|filled|gets?|got|reminds?|reminding)\b",
)
_PEG = re.compile(r"\b(?:peg(?:-?3)?|questionnaires?|(?:three|3)[- ](?:[a-z]+ )?questions?|weekly questions|surveys?)\b")
# "A summary of my questionnaire scores for my physio" is the report, not the questionnaire.
_REPORT = re.compile(r"\b(?:report|summary|print ?out)\b")
_PEG_OFF = _any_of(r"\b(?:stop|cancel|end|turn off|switch off|remove|drop|no more|don'?t want|without)\b", r"\btake\b.{0,20}\bout\b")
_PEG_WEEKLY = _any_of(r"\b(?:add|include|put|weekly|every week|each week|once a week|in my check[- ]?ins?|to my check[- ]?ins?|with my check[- ]?ins?)\b")
_PEG_NOW = _any_of(r"\b(?:do|fill in|fill out|answer|take|start|complete|can i|let'?s|now|ready)\b")
_CLOCK = re.compile(
    r"\b(at|@|for|to|around|about|by|be|from)?\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\s|$|[,.!?])"
    r"(?!\s*(?:mins?|minutes?|hours?|hrs?|days?|weeks?|steps|reps|repetitions|times|metres|meters|m\b|km|miles|%|/|out of|or \d))",
    re.IGNORECASE,
)
# "half 8" is 8:30, "quarter past 7" 7:15, "quarter to 9" 8:45 (the part of the day still decides morning or evening).
HOUR_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_HOUR_WORD = re.compile(
    r"\b(half past|half|quarter past|quarter to|at|around|about|by|to) (" + "|".join(HOUR_WORDS) + r")\b(?! (?:days?|weeks?|minutes?|mins?|hours?))"
)
_HALF_PAST = re.compile(r"\bhalf(?: past)? (\d{1,2})\b")
_QUARTER_PAST = re.compile(r"\bquarter past (\d{1,2})\b")
_QUARTER_TO = re.compile(r"\bquarter to (\d{1,2})\b")
_PAUSE_LENGTH = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an)\s+(day|days|week|weeks|wk|wks)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")
_PART_OF_DAY = re.compile(r"(\b(?:instead of|rather than|from|not)\s+(?:in |at )?(?:the )?)?\b(" + "|".join(PARTS_OF_DAY) + r")s?\b")
# A number that may be the new time ("can it be 11 instead"), not the old one ("instead of 7", "from 7").
_BARE_NUMBER = re.compile(r"(?<!of )(?<!from )(?<!not )\b(?:1[0-2]|[1-9])\b(?!\s*(?:days?|weeks?|wks?|minutes?|mins?|hours?|times?|%|/|out of))")


@dataclass(frozen=True)
class CheckInRequest:
    """What the patient asked. `kind` is start, stop, pause, change (time or days), or peg_now, peg_weekly_on or
    peg_weekly_off (the PEG-3 questionnaire); the rest may be None (not said)."""

    kind: str
    local_time: time | None = None
    weekdays: frozenset[int] | None = None
    asks: str | None = None  # pain, goal or both
    pause_for: timedelta | None = None
    zone: str | None = None  # an IANA time zone the patient named


def read_check_in_request(text: str) -> CheckInRequest | None:
    """The check-in request in a message, or None when it asks nothing of check-ins."""
    lowered = _clock_words_as_numbers(" ".join(text.lower().split()))
    if _NOT_A_REQUEST.search(lowered):
        return None
    if _PEG.search(lowered) and not _REPORT.search(lowered):
        if _PEG_OFF.search(lowered):
            return CheckInRequest("peg_weekly_off")
        if _PEG_WEEKLY.search(lowered):
            return CheckInRequest("peg_weekly_on")
        if _PEG_NOW.search(lowered):
            return CheckInRequest("peg_now")
    if _STOP.search(lowered):
        return CheckInRequest("pause", pause_for=_pause_length(lowered)) if _FOR_A_WHILE.search(lowered) else CheckInRequest("stop")
    if _PAUSE.search(lowered):
        return CheckInRequest("pause", pause_for=_pause_length(lowered))
    at, about_check_ins = read_time(lowered), bool(_ABOUT_CHECK_INS.search(lowered))
    zone = time_zone_in(text, about_check_ins=True)  # a start or a change is about check-ins
    moves_existing_ones = zone is not None and _EXISTING.search(lowered) and not _SET_UP.search(lowered)
    if (_asks_for_a_change(lowered) and (about_check_ins or _short_with_a_clock_time(lowered))) or moves_existing_ones:
        return CheckInRequest("change", local_time=_new_time(lowered), weekdays=_days(lowered, default=None), zone=zone)
    says_when_or_what = _SCHEDULE.search(lowered) or _LOGGING.search(lowered) or _REMINDER_NOUN.search(lowered)
    if _START.search(lowered) and says_when_or_what:
        return CheckInRequest("start", local_time=at, weekdays=_days(lowered, default=frozenset(range(7))), asks=_asks(lowered), zone=zone)
    if new_zone := time_zone_change_in(text, about_check_ins):
        return CheckInRequest("change", zone=new_zone)
    return None


def _asks_for_a_change(lowered: str) -> bool:
    """A change of time or days; "I've just moved to Brisbane" is a move of house, not of check-ins."""
    return any(not names_a_place(match.group(0)) for match in _CHANGE.finditer(lowered))


def is_about_something_else(text: str) -> bool:
    """Whether a message that sounds like a reminder request is about something else ("remind me what pacing is",
    "remind me to take my tablets"): Pacewise never sets medicine reminders."""
    return bool(_NOT_A_REQUEST.search(" ".join(text.lower().split())))


def _short_with_a_clock_time(lowered: str) -> bool:
    """ "change the time to 8pm", "set it to 6.45am": a few words with a time that can only be a time of day."""
    return len(lowered.split()) <= 8 and bool(re.search(r"\d\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}[:.]\d\d\b", lowered))


def _clock_words_as_numbers(lowered: str) -> str:
    """ "half 8" -> "8:30", "quarter past 7" -> "7:15", "quarter to 9" -> "8:45", "at seven" -> "at 7"."""
    lowered = _HOUR_WORD.sub(lambda match: f"{match.group(1)} {HOUR_WORDS[match.group(2)]}", lowered)
    lowered = _HALF_PAST.sub(lambda match: f"{match.group(1)}:30", lowered)
    lowered = _QUARTER_PAST.sub(lambda match: f"{match.group(1)}:15", lowered)
    return _QUARTER_TO.sub(lambda match: f"{(int(match.group(1)) - 2) % 12 + 1}:45", lowered)


def read_time(lowered: str) -> time | None:
    """A time of day in the text, or None when there is none or it could be morning or evening."""
    part = next((PARTS_OF_DAY[word.rstrip("s")] for word in _WORD.findall(lowered) if word.rstrip("s") in PARTS_OF_DAY), None)
    for match in _CLOCK.finditer(lowered):
        preposition, hour, minutes, meridiem = match.group(1), int(match.group(2)), int(match.group(3) or 0), (match.group(4) or "").replace(".", "")
        if minutes > 59 or hour > 23 or (meridiem and not 1 <= hour <= 12):
            continue
        if not meridiem and match.group(3) is None and preposition is None:
            continue  # a bare number ("2 weeks", "my pain is 6") is not a time
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        elif not meridiem and 1 <= hour <= 11:
            if part is None:
                return None  # "at 8": morning or evening? Ask.
            if part.hour >= 12:
                hour += 12
        return time(hour, minutes)
    return part


def _new_time(lowered: str) -> time | None:
    """The time a change asks for: the last one said ("the 9am one is too early, make it 10.30am"), or None when
    a number after it could be the new time but is not clear ("the 9am reminder is too early, can it be 11 instead")."""
    readable = [(match.end(), found) for match in _CLOCK.finditer(lowered) if (found := read_time(match.group(0).strip() + _part_of_day_in(lowered)))]
    if not readable:
        # "the morning one is too early, can it come at lunchtime instead"; not "at bedtime instead of in the afternoon"
        parts = [PARTS_OF_DAY[match.group(2).rstrip("s")] for match in _PART_OF_DAY.finditer(lowered) if not match.group(1)]
        return parts[-1] if parts else None
    end, found = readable[-1]
    return None if _BARE_NUMBER.search(lowered, end) else found


def _part_of_day_in(lowered: str) -> str:
    """The text's part of the day ("evening"), to read an hour beside it as read_time would."""
    word = next((word for word in _WORD.findall(lowered) if word.rstrip("s") in PARTS_OF_DAY), "")
    return f" {word}" if word else ""


def _days(lowered: str, default: frozenset[int] | None) -> frozenset[int] | None:
    words = _WORD.findall(lowered)
    named = frozenset(WEEKDAYS[day] for day in (word.rstrip("s") for word in words) if day in WEEKDAYS)
    if named:
        return named
    weekdays = re.search(r"\bweekdays?\b|\bwork ?days\b|monday to friday", lowered)
    weekends = re.search(r"\b(?:no|not|except|apart from|but)\b.{0,15}\bweekends?\b|\bweekends?\b", lowered)
    if weekends and weekends.group(0).split()[0] in ("no", "not", "except", "apart", "but"):
        return frozenset(range(5))  # "no reminders on weekends"
    if weekdays and (weekends is None or weekdays.start() < weekends.start()):
        return frozenset(range(5))
    if weekends:
        return frozenset({5, 6})
    if re.search(r"\bweekly\b|\bonce a week\b|\bevery week\b", lowered):
        return frozenset({0})
    return default


def _asks(lowered: str) -> str:
    pain = bool(
        re.search(
            r"\bpain\b|\bscore\b|\bdiary\b|\brating\b|\bhow i'?m feeling\b|\bsymptoms?\b|\bsore\b|\bhow (?:bad|sore)\b"
            r"|\bhow my (?:back|neck|knees?|hips?|shoulders?|joints?|legs?) (?:is|are|feels?|has|have)\b",
            lowered,
        )
    )
    goal = bool(
        re.search(
            r"\bgoals?\b|\btargets?\b|\bactivity\b|\bexercises?\b|\bwalk(?:s|ing)?\b|\bstretch(?:es|ing)?\b|\bplan\b|\bsessions?\b|\bsteps\b"
            r"|\bswim(?:ming)?\b|\bgardening\b|\bcycling\b",
            lowered,
        )
    )
    return "both" if pain and goal else "goal" if goal else "pain"


def _pause_length(lowered: str) -> timedelta:
    if "fortnight" in lowered:
        return timedelta(weeks=2)
    match = _PAUSE_LENGTH.search(lowered)
    if match is None:
        return timedelta(weeks=1)
    count = int(match.group(1)) if match.group(1).isdigit() else NUMBER_WORDS[match.group(1)]
    unit = timedelta(days=1) if match.group(2).startswith("day") else timedelta(weeks=1)
    return min(count * unit, timedelta(weeks=12))
