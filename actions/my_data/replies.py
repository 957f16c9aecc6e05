"""What the bot says about the patient's own data: export and deletion."""

from __future__ import annotations

NOTHING_TO_EXPORT = "I don't have any pain diary entries or activity goals stored for you, so there's nothing to export."
EXPORT_FAILED = "Sorry, I can't prepare your data just now. Please try again in a few minutes."
ASK_DELETE = "This permanently deletes your pain diary, your activity goals and our conversation history. It can't be undone. Delete everything?"
DELETE_BUTTONS = [{"title": "Yes, delete everything", "payload": "/affirm"}, {"title": "No, keep my data", "payload": "/deny"}]
NOTHING_DELETED = "OK, nothing has been deleted."
DELETE_FAILED = "Sorry, I couldn't delete your data just now, so nothing was deleted. Please try again in a few minutes."
ANSWER_YES_OR_NO = "Please answer yes to delete everything, or no to keep it."
DELETED = "Done. I've deleted your pain diary, your activity goals and our conversation history."
SAFETY_NOTE_KEPT = (
    " One thing is kept: a note that I once showed you urgent-help information (without anything you wrote), "
    "so the clinical team can check the service keeps people safe."
)


def _count(number: int, one: str, many: str) -> str:
    return f"1 {one}" if number == 1 else f"{number} {many}"


def export_ready(counts: dict[str, int], link: str) -> str:
    return (
        f"Here's a copy of everything I've stored for you ({_count(counts['pain_entries'], 'pain entry', 'pain entries')}, "
        f"{_count(counts['activity_goals'], 'activity goal', 'activity goals')}, "
        f"{_count(counts['activity_sessions'], 'activity session', 'activity sessions')}), as a spreadsheet file:\n{link}\n"
        "The link works for 1 hour. The file contains health information, so keep it somewhere safe."
    )


def deleted(safety_events_kept: bool) -> str:
    return DELETED + (SAFETY_NOTE_KEPT if safety_events_kept else "")
