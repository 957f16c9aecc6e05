"""`python -m pacewise.cli.check_ins --once [--now 2026-12-01T19:00:00+00:00]`: send the check-ins due now, once.

For operators (after an outage, to see what is due) and for end-to-end tests
that need a check-in to fall due without waiting for the clock. Prints one line
per check-in handled, with the outcome; nothing identifying the patient.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from pacewise.checkins.rasa_api import RasaApi
from pacewise.checkins.service import tick


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Send the Pacewise check-ins that are due.")
    parser.add_argument("--once", action="store_true", required=True, help="one pass over what is due, then exit")
    parser.add_argument("--now", type=datetime.fromisoformat, help="the time to act as if it were (ISO 8601 with a UTC offset)")
    args = parser.parse_args(argv)
    now = args.now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        parser.error("--now needs a UTC offset, e.g. 2026-12-01T19:00:00+00:00")
    handled = tick(now, RasaApi.from_environment())
    for _, outcome in handled:
        print(outcome)
    print(f"{len(handled)} check-in(s) handled at {now.isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
