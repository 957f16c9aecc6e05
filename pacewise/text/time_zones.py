"""The time zone a patient names ("7pm Sydney time", "8am EST", "I'm on New York time", "my time zone is Pacific").

Only unmistakable names: a zone abbreviation, a place followed by "time" or
after a clock time ("8am pacific"), an IANA name ("Europe/Berlin"), or where the
patient says they are ("I'm in Sydney", "Adelaide here"), which counts only in a
message about check-ins or said with a time-zone word (elsewhere "I'm in
London next week" is travel, not a zone). Zone names that are also ordinary
words ("central", "eastern", "pacific") count only as zones: with "time", or
after a clock time and not before a place ("7pm central", not "I'm in central
London"). An ambiguous abbreviation (IST: India or Ireland?) is not read; the
patient's check-ins then use the clinic's zone, and the reply names it so a
wrong zone is seen and can be corrected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from zoneinfo import available_timezones

# Abbreviations, read only as whole words in upper case as written, or lower case beside a clock time.
ABBREVIATIONS = {
    "gmt": "Europe/London",
    "bst": "Europe/London",
    "utc": "UTC",
    "est": "America/New_York",
    "edt": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "akst": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "acst": "Australia/Adelaide",
    "awst": "Australia/Perth",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
}

# Places and zone names, said with "time" ("Sydney time", "eastern time") or after "I'm in".
PLACES = {
    "uk": "Europe/London",
    "british": "Europe/London",
    "london": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "northern ireland": "Europe/London",
    "ireland": "Europe/Dublin",
    "irish": "Europe/Dublin",
    "dublin": "Europe/Dublin",
    "eastern": "America/New_York",
    "east coast": "America/New_York",
    "new york": "America/New_York",
    "toronto": "America/Toronto",
    "central": "America/Chicago",
    "chicago": "America/Chicago",
    "texas": "America/Chicago",
    "mountain": "America/Denver",
    "denver": "America/Denver",
    "arizona": "America/Phoenix",
    "phoenix": "America/Phoenix",
    "pacific": "America/Los_Angeles",
    "west coast": "America/Los_Angeles",
    "california": "America/Los_Angeles",
    "los angeles": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "vancouver": "America/Vancouver",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "central european": "Europe/Paris",
    "paris": "Europe/Paris",
    "france": "Europe/Paris",
    "berlin": "Europe/Berlin",
    "germany": "Europe/Berlin",
    "edinburgh": "Europe/London",
    "glasgow": "Europe/London",
    "cardiff": "Europe/London",
    "belfast": "Europe/London",
    "manchester": "Europe/London",
    "cork": "Europe/Dublin",
    "boston": "America/New_York",
    "philadelphia": "America/New_York",
    "miami": "America/New_York",
    "florida": "America/New_York",
    "atlanta": "America/New_York",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "ontario": "America/Toronto",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "minneapolis": "America/Chicago",
    "winnipeg": "America/Winnipeg",
    "calgary": "America/Edmonton",
    "edmonton": "America/Edmonton",
    "alberta": "America/Edmonton",
    "salt lake city": "America/Denver",
    "utah": "America/Denver",
    "colorado": "America/Denver",
    "san francisco": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles",
    "oregon": "America/Los_Angeles",
    "washington state": "America/Los_Angeles",
    "british columbia": "America/Vancouver",
    "lisbon": "Europe/Lisbon",
    "portugal": "Europe/Lisbon",
    "rome": "Europe/Rome",
    "italy": "Europe/Rome",
    "brussels": "Europe/Brussels",
    "belgium": "Europe/Brussels",
    "spain": "Europe/Madrid",
    "madrid": "Europe/Madrid",
    "netherlands": "Europe/Amsterdam",
    "amsterdam": "Europe/Amsterdam",
    "sydney": "Australia/Sydney",
    "melbourne": "Australia/Melbourne",
    "brisbane": "Australia/Brisbane",
    "queensland": "Australia/Brisbane",
    "adelaide": "Australia/Adelaide",
    "perth": "Australia/Perth",
    "western australia": "Australia/Perth",
    "south australia": "Australia/Adelaide",
    "new south wales": "Australia/Sydney",
    "nsw": "Australia/Sydney",
    "canberra": "Australia/Sydney",
    "hobart": "Australia/Hobart",
    "tasmania": "Australia/Hobart",
    "darwin": "Australia/Darwin",
    "wellington": "Pacific/Auckland",
    "christchurch": "Pacific/Auckland",
    "new zealand": "Pacific/Auckland",
    "nz": "Pacific/Auckland",
    "auckland": "Pacific/Auckland",
}

# Zone names that are also ordinary words: never read as where the patient is.
ZONE_WORDS_ONLY = frozenset({"eastern", "central", "mountain", "pacific", "british", "irish", "central european"})


def _alternatives(names: Iterable[str]) -> str:
    """One regex alternation, the longest names first ("northern ireland" before "ireland")."""
    return "|".join(sorted((re.escape(name) for name in names), key=len, reverse=True))


_PLACE_NAMES = _alternatives(PLACES)
_WHERE_NAMES = _alternatives(name for name in PLACES if name not in ZONE_WORDS_ONLY)
_PLACE = re.compile(rf"\b(?:{_PLACE_NAMES})\b")
_PLACE_TIME = re.compile(rf"\b({_PLACE_NAMES})\s+(?:standard\s+|summer\s+|daylight\s+)?time\b")
_LIVING_IN = re.compile(
    rf"\b(?:i'?m|i am|i live|we live|we're|we are|based|living|(?:work|working) from home|home is)\s+(?:\w+\s+)?(?:in|on|over in|out in)\s+(?:the\s+)?"
    rf"({_WHERE_NAMES})\b|\b(?:moved|moving|relocated)\s+(?:over\s+|out\s+|back\s+)?to\s+(?:the\s+)?"
    rf"({_WHERE_NAMES})\b|(?:^|[.!?]\s*)({_WHERE_NAMES}) here\b"
)
# A clock time: "8am", "7.30", "noon".
_CLOCK_TIME = r"(?:\d\s*(?:am|pm|a\.m\.|p\.m\.)|\d[:.]\d\d|noon|midday)"
_AFTER_A_CLOCK = re.compile(rf"{_CLOCK_TIME}\s+({_PLACE_NAMES})\b(?!\s+(?:time|here|{_PLACE_NAMES})\b)")
_ZONE_IS = re.compile(rf"\b(?:time ?zone|tz)\b(?:\s+(?:is|to|as|of|=|should be|now))*\s+(?:the\s+)?({_PLACE_NAMES})\b|\b({_PLACE_NAMES})\s+time ?zone\b")
_ZONE_WORDS = re.compile(r"\b(?:time ?zones?|zone|my time|local time|my own time|clock|clocks|hours? (?:ahead|behind))\b")
_ABBREVIATION = re.compile(r"\b(" + "|".join(ABBREVIATIONS) + r")\b", re.IGNORECASE)
# An abbreviation after a time, or after an hour alone ("7 est"): lower case is read there.
_AFTER_A_TIME = re.compile(rf"(?:{_CLOCK_TIME}|\d)\s*\(?\s*(" + "|".join(ABBREVIATIONS) + r")\b")
_IANA = re.compile(r"\b([A-Z][A-Za-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?)\b")
_IANA_NAMES = frozenset(available_timezones())


def time_zone_in(text: str, about_check_ins: bool = False) -> str | None:
    """The IANA time zone the text names, or None; `about_check_ins`: where the patient says they are counts."""
    for match in _IANA.finditer(text):
        if match.group(1) in _IANA_NAMES:
            return match.group(1)
    lowered = " ".join(text.lower().split())
    if found := _AFTER_A_TIME.search(lowered):
        return ABBREVIATIONS[found.group(1)]
    for match in _ABBREVIATION.finditer(text):
        if match.group(1).isupper():
            return ABBREVIATIONS[match.group(1).lower()]
    if found := _PLACE_TIME.search(lowered):
        return PLACES[found.group(1)]
    if found := _ZONE_IS.search(lowered):
        return PLACES[next(group for group in found.groups() if group)]
    if found := _AFTER_A_CLOCK.search(lowered):
        return PLACES[found.group(1)]
    if (found := _LIVING_IN.search(lowered)) and (about_check_ins or _ZONE_WORDS.search(lowered)):
        return PLACES[next(group for group in found.groups() if group)]
    return None


def known_zone(name: object) -> str | None:
    """`name` if it is a time zone database name ("Australia/Sydney"), else None (a browser's report is checked)."""
    return name if isinstance(name, str) and name in _IANA_NAMES else None


def names_a_place(lowered: str) -> bool:
    """Whether the (lower-cased) text names one of the places above."""
    return _PLACE.search(lowered) is not None


def time_zone_change_in(text: str, about_check_ins: bool = False) -> str | None:
    """The zone a message asks check-ins to move to, said on its own: "my time zone is Pacific", "I'm in Sydney now,
    can you use my time?", and about check-ins, "the reminders come at 3am, I'm in Sydney"; a zone, and words about
    zones or (about check-ins) where the patient is."""
    zone = time_zone_in(text, about_check_ins)
    if zone is None:
        return None
    lowered = " ".join(text.lower().split())
    where = about_check_ins and _LIVING_IN.search(lowered)
    return zone if _ZONE_WORDS.search(lowered) or _PLACE_TIME.search(lowered) or _IANA.search(text) or where else None
