"""Does a message ask something? A question mark, or a clause that opens the way a question does.

Patients who text often leave the question mark out: "usually a 4. whats
actually going on, why wont it stop", "honestly is it worth it or a waste of
time". A message that gives a pain score or reports a session and also asks
something gets its question answered as well (components/pain_rating_router.py,
actions/goals/actions.py), so the question must be seen even then. A clause
counts when, after fillers ("so um", "honestly", "and"), it opens with a question
word that asks ("why", "what helps", "when will", "how do") or with a verb
before its subject ("is it", "am i", "should i"). Exclamations and time
clauses do not ("what a day", "how annoying", "when i woke up").
"""

from __future__ import annotations

import re

from pacewise.text.tokens import CHARACTERS, words

# Clauses end at punctuation and at the words that join two clauses in a run-on message.
_CLAUSE_BREAK = re.compile(r"[.!;:,()\n]+|\s+(?:and|but|or|so|then|cos|because|bc|coz)\s+|\s+-\s+")
_WORD = re.compile(r"[a-z']+")
_FILLERS = words(
    "so um umm erm er uh ah oh ok okay well honestly basically anyway anyways like just and but or then also plus "
    "hi hey hello pls please ugh tbh ngl seriously really right now sorry quick question q"
)
# Question words that ask whatever follows them ("why", "whats") ...
_ALWAYS_ASKING = words("why whats what's hows how's whys whos who's wheres")
# ... and those that ask only before one of these ("what helps" but not "what a day", "when will" but not "when i woke").
_ASKING_AFTER = {
    "what": words("is are was were do does did can could should would will helps help happens about if else causes makes to"),
    "how": words("do does did can could should would will is are am long much many often come to bad far soon"),
    "when": words("will does do should can could is are am would"),
    "where": words("do does should can is are"),
    "which": words("one ones should would do does tablet tablets exercise exercises treatment way"),
    "who": words("do does should can could is are"),
}
_VERBS_FIRST = words(
    "is are am do does should can could would will shall isn't aren't don't doesn't shouldn't can't couldn't "
    "wouldn't won't isnt arent dont doesnt shouldnt cant couldnt wouldnt wont"
)
_SUBJECTS = words("i it this that there these those they he she we you my your his her our their the a any anything something everything all u")
# "did my walk" and "was a 6 this morning" report; "did i overdo it" and "was it the gardening" ask:
# after these, only a pronoun opens a question.
_PRONOUNS = words("i it this that they he she we you u")
_ASK_ONLY_BEFORE_A_PRONOUN = words("did didn't didnt was wasn't wasnt were weren't werent has hasn't hasnt have haven't havent")


def asks_a_question(text: str) -> bool:
    """True when the message has a question mark or a clause that opens as a question."""
    if "?" in text:
        return True
    lowered = text.translate(CHARACTERS).lower()
    return any(_opens_as_question(_WORD.findall(clause)) for clause in _CLAUSE_BREAK.split(lowered))


def _opens_as_question(clause: list[str]) -> bool:
    start = 0
    while start < len(clause) and clause[start] in _FILLERS:
        start += 1
    first, second = [*clause[start:], "", ""][:2]
    if first in _ALWAYS_ASKING:
        return True
    if first in _ASKING_AFTER:
        return second in _ASKING_AFTER[first]
    if first in _ASK_ONLY_BEFORE_A_PRONOUN:
        return second in _PRONOUNS
    return first in _VERBS_FIRST and second in _SUBJECTS
