"""When a check-in is due: the patient's own clock, across time zones and clock changes."""

from __future__ import annotations

from datetime import datetime, time, timezone

import pytest

from pacewise.checkins.timing import EVERY_DAY, Cadence, CadenceError, next_due

UTC = timezone.utc


def local(moment: datetime, cadence: Cadence) -> str:
    return moment.astimezone(cadence.tz).strftime("%a %Y-%m-%d %H:%M")


def test_an_evening_check_in_is_due_at_seven_in_the_patients_own_zone():
    london = Cadence(time(19, 0), EVERY_DAY, "Europe/London")
    new_york = Cadence(time(19, 0), EVERY_DAY, "America/New_York")
    noon = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)

    assert next_due(london, noon) == datetime(2026, 7, 1, 18, 0, tzinfo=UTC)  # British summer time
    assert next_due(new_york, noon) == datetime(2026, 7, 1, 23, 0, tzinfo=UTC)


def test_the_next_check_in_after_one_is_sent_is_the_next_chosen_day():
    mondays = Cadence(time(8, 30), frozenset({0}), "Europe/London")
    sent = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # a Monday, winter time

    following = next_due(mondays, sent)

    assert local(following, mondays) == "Mon 2026-12-07 08:30"


def test_a_time_the_spring_change_skips_is_sent_once_just_after_the_jump():
    late_night = Cadence(time(1, 30), EVERY_DAY, "Europe/London")  # clocks go 01:00 -> 02:00 on 29 March 2026
    moments = [datetime(2026, 3, 28, 12, 0, tzinfo=UTC)]
    for _ in range(3):
        moments.append(next_due(late_night, moments[-1]))

    assert [local(m, late_night) for m in moments[1:]] == ["Sun 2026-03-29 02:30", "Mon 2026-03-30 01:30", "Tue 2026-03-31 01:30"]


def test_a_time_the_autumn_change_repeats_is_sent_once_not_twice():
    late_night = Cadence(time(1, 30), EVERY_DAY, "Europe/London")  # 01:00-02:00 happens twice on 25 October 2026
    first = next_due(late_night, datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    second = next_due(late_night, first)

    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 01:30, still summer time
    assert local(second, late_night) == "Mon 2026-10-26 01:30"
    assert second - first > (datetime(2026, 10, 26, tzinfo=UTC) - datetime(2026, 10, 25, tzinfo=UTC))


def test_a_daily_check_in_keeps_its_local_time_across_the_change():
    evening = Cadence(time(19, 0), EVERY_DAY, "America/New_York")  # clocks go back on 1 November 2026
    moment = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)
    seen = []
    for _ in range(4):
        moment = next_due(evening, moment)
        seen.append(local(moment, evening))

    assert seen == ["Fri 2026-10-30 19:00", "Sat 2026-10-31 19:00", "Sun 2026-11-01 19:00", "Mon 2026-11-02 19:00"]


@pytest.mark.parametrize(("days", "zone"), [(frozenset(), "Europe/London"), (frozenset({7}), "Europe/London"), (EVERY_DAY, "Mars/Olympus_Mons")])
def test_settings_that_cannot_work_are_refused_with_a_plain_reason(days, zone):
    with pytest.raises(CadenceError) as refused:
        Cadence(time(9, 0), days, zone)

    assert "day" in str(refused.value) or "time zone" in str(refused.value)


def test_settings_read_as_a_patient_would_say_them():
    assert Cadence(time(19, 0), EVERY_DAY, "Europe/London").describe() == "every day at 19:00"
    assert Cadence(time(8, 5), frozenset({3, 0}), "Europe/London").describe() == "on Mondays and Thursdays at 08:05"
