"""The patient's records as one CSV file a spreadsheet opens."""

from __future__ import annotations

import csv
import io

COLUMNS = ("record", "date", "pain_score", "where", "doing", "note", "activity", "amount", "unit", "baseline", "level", "active", "peg_score")


def records_to_csv(data: dict[str, list[dict[str, object]]]) -> bytes:
    """One row per pain entry, goal, session, check-in setting, PEG-3 and topic read; a 'record' column says which."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for entry in data.get("pain_entries", []):
        writer.writerow(
            {
                "record": "pain entry",
                "date": entry["logged_at"],
                "pain_score": entry["score"],
                "where": entry["location"],
                "doing": entry["activity"],
                "note": entry["note"],
            }
        )
    for goal in data.get("activity_goals", []):
        writer.writerow(
            {
                "record": "activity goal",
                "date": goal["started_at"],
                "activity": goal["activity"],
                "unit": goal["unit"],
                "baseline": goal["baseline"],
                "level": goal["level"],
                "active": goal["active"],
            }
        )
    for session in data.get("activity_sessions", []):
        writer.writerow({"record": "activity session", "date": session["done_at"], "activity": session["activity"], "amount": session["amount"]})
    for check_in in data.get("check_ins", []):
        writer.writerow(
            {
                "record": "check-in settings",
                "note": f"{check_in['schedule']} ({check_in['time_zone']}), asks about: {check_in['asks']}"
                + (", weekly PEG-3 questionnaire" if check_in.get("peg_weekly") else ""),
            }
        )
    for peg in data.get("peg_responses", []):
        items = f"pain {peg['pain']}, enjoyment of life {peg['enjoyment']}, general activity {peg['activity']}"
        writer.writerow({"record": "PEG-3", "date": peg["answered_at"], "peg_score": peg["score"], "note": items})
    for read in data.get("topics_read", []):
        times = "once" if read["times"] == 1 else f"{read['times']} times"
        writer.writerow({"record": "topic read", "date": read["first_read_at"], "note": f"{read['topic']} (read {times}, last on {read['last_read_at'][:10]})"})
    # A byte-order mark, so spreadsheet programs read the text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
