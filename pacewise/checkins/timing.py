"""When a check-in is due: a time of day on chosen weekdays, in the patient's own time zone.

Clocks change: a time the spring change skips (01:30 in London on the last
Sunday of March) is sent when the clocks reach it after the jump (02:30); a
time the autumn change repeats is sent at its first occurrence only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EVERY_DAY = frozenset(range(7))


class CadenceError(ValueError):
    """A check-in setting that cannot be used; the message can be shown to the patient."""


@dataclass(frozen=True)
class Cadence:
    local_time: time
    weekdays: frozenset[int]  # 0 = Monday ... 6 = Sunday
    zone: str  # an IANA time zone name, such as Europe/London

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= EVERY_DAY:
            raise CadenceError("Check-ins need at least one day of the week.")
        try:
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise CadenceError(f"I don't know the time zone {self.zone!r}.") from error

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def describe(self) -> str:
        """ "every day at 19:00" or "on Mondays and Thursdays at 08:30", for replies and exports."""
        at = self.local_time.strftime("%H:%M")
        if self.weekdays == EVERY_DAY:
            return f"every day at {at}"
        days = [WEEKDAY_NAMES[day] + "s" for day in sorted(self.weekdays)]
        listed = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]
        return f"on {listed} at {at}"


def next_due(cadence: Cadence, after: datetime) -> datetime:
    """The first moment strictly after `after` at which a check-in is due, in UTC."""
    if after.tzinfo is None:
        raise ValueError("`after` must carry its time zone")
    local_day = after.astimezone(cadence.tz).date()
    for offset in range(8):
        day = local_day + timedelta(days=offset)
        if day.weekday() in cadence.weekdays:
            due = _moment(day, cadence)
            if due > after:
                return due
    raise AssertionError("a week always holds one of the chosen days")  # pragma: no cover


def _moment(day: date, cadence: Cadence) -> datetime:
    # fold=0: a repeated time is its first occurrence; a skipped time keeps the offset from before
    # the change, so it falls just after the jump (01:30 skipped -> 02:30 summer time).
    return datetime.combine(day, cadence.local_time, tzinfo=cadence.tz).replace(fold=0).astimezone(timezone.utc)
