"""Whether a message asks for the progress report for a clinician rather than the data export.

"Could you make a report for my physio?", "a one-page summary for my GP
appointment", "something I can show the doctor about how my back has been":
a report word, or "something I can show", together with who it is for. The
export action reads the looser `mentions_a_report` to choose the report over
the spreadsheet; the NLU router (components/check_in_router.py) uses the
stricter `asks_for_a_report` to send a request to the export action whatever
the classifier guessed.
"""

from __future__ import annotations

import re

# A request for one: "make / put together / give me / could I have ... a report (summary, something I can show)".
_REPORT_WORDS = re.compile(
    r"\b(?:make|create|give|send|put together|produce|prepare|generate|do|print|need|want|like|have|get|asked for|ask for|is there)\b[^.?!]{0,40}"
    r"\b(?:report|summary|overview|print ?out|one[- ]page\b|something (?:i|to) (?:can )?(?:show|take|bring))"
    r"|\bprogress report\b"
)
_FOR_A_CLINICIAN = re.compile(r"\b(?:physio\w*|gp|doctors?|consultant|clinic|nurse|appointment|specialist|surgeon|show|take to|bring to|progress)\b")
_MENTIONS = re.compile(r"\b(?:report|summary|physio\w*|gp|doctor|appointment|consultant|clinic|progress)\b")
# "What does my MRI report mean?", "my report mentions a disc bulge", "my physio wrote a report for work":
# someone else's report, not a request for ours.
_SOMEONE_ELSES = re.compile(
    r"\b(?:mri|x-?ray|scan|ct|blood|discharge|gp'?s|doctor'?s|consultant'?s|physio'?s|hospital)\b.{0,12}\b(?:report|summary|letter)\b"
    r"|\b(?:report|summary|print ?out)\b.{0,10}\b(?:says?|said|mentions?|mentioned|came back)\b"
    r"|\b(?:wrote|gave me|sent me)\b.{0,12}\b(?:report|summary|print ?out)\b"
)
_REQUEST = re.compile(
    r"\b(?:can|could|would|will|please|pls|make|create|give|send|put together|produce|prepare|generate|i'?d like|i want|i need|need|is there)\b"
    r"|^\s*progress report\b"
)


def asks_for_a_report(text: str) -> bool:
    """A clear request for the progress report: a report word, who it is for, and a request."""
    lowered = " ".join(text.lower().split())
    return bool(_REPORT_WORDS.search(lowered) and _FOR_A_CLINICIAN.search(lowered) and _REQUEST.search(lowered) and not _SOMEONE_ELSES.search(lowered))


def mentions_a_report(text: str) -> bool:
    """An export request that names a report, a summary or a clinician: the report rather than the spreadsheet."""
    return bool(_MENTIONS.search(text.lower()))
