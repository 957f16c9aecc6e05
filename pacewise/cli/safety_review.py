"""`make safety-events`: list recent safety events for clinician review.

    python -m pacewise.cli.safety_review [--days 7] [--csv]

Each line is one escalated message: when, what kind, which warning signs the
rules recognised, how it was detected and a short pseudonymous patient key
(the same patient always has the same key). No message text is stored.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone

from pacewise.storage.database import database_url
from pacewise.storage.safety_events import SafetyEvent, safety_events_since

KEY_CHARACTERS = 12
COLUMNS = ("time_utc", "category", "urgency", "rules", "detected_by", "patient", "channel")


def as_row(event: SafetyEvent) -> dict[str, str]:
    return {
        "time_utc": event.occurred_at.strftime("%Y-%m-%d %H:%M") if event.occurred_at else "",
        "category": event.category,
        "urgency": event.urgency or "",
        "rules": ", ".join(event.rules) or "(classifier)",
        "detected_by": event.detected_by,
        "patient": event.patient_key[:KEY_CHARACTERS],
        "channel": event.channel,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="List recent red-flag and crisis events for clinician review.")
    parser.add_argument("--days", type=int, default=7, help="how many days back (default 7)")
    parser.add_argument("--csv", action="store_true", help="write CSV (for a spreadsheet) instead of a table")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be 1 or more")

    events = safety_events_since(datetime.now(timezone.utc) - timedelta(days=args.days))
    rows = [as_row(event) for event in events]
    if args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return 0

    counts = Counter(event.category for event in events)
    print(f"Safety events in the last {args.days} day(s) ({database_url().split('@')[-1]}):")
    print(f"  crisis: {counts.get('crisis', 0)}   red flags: {counts.get('red_flag', 0)}   patients: {len({e.patient_key for e in events})}")
    if not rows:
        return 0
    widths = {column: max(len(column), *(len(row[column]) for row in rows)) for column in COLUMNS}
    print()
    print("  ".join(column.ljust(widths[column]) for column in COLUMNS))
    for row in rows:
        print("  ".join(row[column].ljust(widths[column]) for column in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
