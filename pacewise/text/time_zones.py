"""The time zone a patient names ("7pm Sydney time", "8am EST", "I'm on New York time", "my time zone is Pacific").

Only unmistakable names: a zone abbreviation, a place followed by "time", a place
after "I'm in" or "I live in" said with a time-zone word, or an IANA name
("Europe/Berlin"). An ambiguous abbreviation (IST: India or Ireland?) is not read;
the patient's check-ins then use the clinic's zone, and the reply names it so a
wrong zone is seen and can be corrected.
"""

from __future__ import annotations

import re
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
    "new zealand": "Pacific/Auckland",
    "nz": "Pacific/Auckland",
    "auckland": "Pacific/Auckland",
}

_PLACE_NAMES = "|".join(sorted((re.escape(name) for name in PLACES), key=len, reverse=True))
_PLACE_TIME = re.compile(rf"\b({_PLACE_NAMES})\s+(?:standard\s+|summer\s+|daylight\s+)?time\b")
_LIVING_IN = re.compile(rf"\b(?:i'?m|i am|i live|i'm living|we're|we are|based|living)\s+(?:in|on|over in|out in)\s+(?:the\s+)?({_PLACE_NAMES})\b")
_ZONE_IS = re.compile(rf"\b(?:time ?zone|tz)\b(?:\s+(?:is|to|as|of|=|should be|now))*\s+(?:the\s+)?({_PLACE_NAMES})\b|\b({_PLACE_NAMES})\s+time ?zone\b")
_ZONE_WORDS = re.compile(r"\b(?:time ?zones?|my time|local time|my own time|clock|clocks|hours? (?:ahead|behind))\b")
_ABBREVIATION = re.compile(r"\b(" + "|".join(ABBREVIATIONS) + r")\b", re.IGNORECASE)
_AFTER_A_TIME = re.compile(r"(?:\d\s*(?:am|pm|a\.m\.|p\.m\.)?|\d[:.]\d\d|noon|midday)\s*\(?\s*(" + "|".join(ABBREVIATIONS) + r")\b")
_IANA = re.compile(r"\b([A-Z][A-Za-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?)\b")
_IANA_NAMES = frozenset(available_timezones())


def time_zone_in(text: str) -> str | None:
    """The IANA time zone the text names, or None."""
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
        return PLACES[found.group(1) or found.group(2)]
    if (found := _LIVING_IN.search(lowered)) and _ZONE_WORDS.search(lowered):
        return PLACES[found.group(1)]
    return None


def names_a_time_zone_change(text: str) -> bool:
    """ "my time zone is Pacific", "I'm in Sydney now, can you use my time?": a zone and words about zones."""
    lowered = " ".join(text.lower().split())
    if time_zone_in(text) is None:
        return False
    return bool(_ZONE_WORDS.search(lowered) or _PLACE_TIME.search(lowered) or _IANA.search(text))
