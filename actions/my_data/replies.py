"""What the bot says about the patient's own data: export and deletion."""

from __future__ import annotations

NOTHING_TO_REPORT = (
    "There's nothing to put in a report yet: it shows the pain scores, questionnaire answers and activity plans you enter here. "
    'Tell me a pain score any time, like "my pain is 4 today".'
)
NOTHING_TO_EXPORT = "I don't have any pain diary entries or activity goals stored for you, so there's nothing to export."
EXPORT_FAILED = "Sorry, I can't prepare your data just now. Please try again in a few minutes."
ASK_DELETE = (
    "This permanently deletes your pain diary, your activity goals, your check-ins and questionnaire answers, any reports, "
    "the list of topics you've read, and our conversation history. It can't be undone. Delete everything?"
)
DELETE_BUTTONS = [{"title": "Yes, delete everything", "payload": "/affirm"}, {"title": "No, keep my data", "payload": "/deny"}]
NOTHING_DELETED = "OK, nothing has been deleted."
DELETE_FAILED = "Sorry, I couldn't delete your data just now, so nothing was deleted. Please try again in a few minutes."
ANSWER_YES_OR_NO = "Please answer yes to delete everything, or no to keep it."
DELETED = (
    "Done. I've deleted your pain diary, your activity goals, your check-ins and questionnaire answers, any reports, "
    "the list of topics you've read, and our conversation history."
)
SAFETY_NOTE_KEPT = (
    " One thing is kept: a note that I once showed you urgent-help information (without anything you wrote), "
    "so the clinical team can check the service keeps people safe."
)


def _count(number: int, one: str, many: str) -> str:
    return f"1 {one}" if number == 1 else f"{number} {many}"


def report_ready(link: str) -> str:
    return (
        f"Here's a one-page report of what you've entered, to show your physiotherapist or doctor:\n{link}\n"
        'It opens in your browser and prints on one page. The link works for 1 hour. For all your data as a spreadsheet, say "export my data".'
    )


def export_ready(counts: dict[str, int], link: str, report_link: str | None = None) -> str:
    if report_link is None:
        return _spreadsheet(counts, link) + "\nThe link works for 1 hour. The file contains health information, so keep it somewhere safe."
    return (
        _spreadsheet(counts, link)
        + f"\nAnd a one-page report to show your physiotherapist:\n{report_link}"
        + "\nThe links work for 1 hour. The files contain health information, so keep them somewhere safe."
    )


def _spreadsheet(counts: dict[str, int], link: str) -> str:
    return (
        f"Here's a copy of everything I've stored for you ({_count(counts['pain_entries'], 'pain entry', 'pain entries')}, "
        f"{_count(counts['activity_goals'], 'activity goal', 'activity goals')}, "
        f"{_count(counts['activity_sessions'], 'activity session', 'activity sessions')}"
        + (f", {_count(counts['topics_read'], 'topic read', 'topics read')}" if counts.get("topics_read") else "")
        + f"), as a spreadsheet file:\n{link}"
    )


def deleted(safety_events_kept: bool) -> str:
    return DELETED + (SAFETY_NOTE_KEPT if safety_events_kept else "")
