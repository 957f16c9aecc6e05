"""Time zones in check-in requests, in patients' own words (tests/nlu/heldout_check_ins_zones.yml, written
blind from the feature's description, never trained on), through the trained model and the deterministic reader.

A request is right when it reaches the check-in action and the zone read is the
labelled one (none for an ambiguous abbreviation such as IST: the clinic's zone
is used and the reply names it), read as the kind labelled (start or change).
Look-alikes (travel, places, times of pain) must not reach the check-in action.
Run with `pytest -s` to see the figures.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from pacewise.cli.safety_report import DEFAULT_MODEL, pipeline_parser
from pacewise.text.checkin_parser import read_check_in_request
from tests.nlu.test_heldout import near_copies

HELDOUT = Path(__file__).with_name("heldout_check_ins_zones.yml")
# First measured blind: 90.9% routed, 74.5% with the zone read right, 0 of 15 look-alikes taken. What it
# showed was fixed ("8am pacific", "Adelaide here", "the reminders come at 3am, I'm in Sydney", "I've just
# moved to Brisbane" is not a change of check-ins), so it is a development set now (100% / 100% / 0):
# a change that drops below these fails.
MIN_ROUTED = 0.95
MIN_ZONE_READ = 0.90
MAX_LOOKALIKES_TAKEN = 0.10


def load() -> list[dict]:
    return yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["messages"]


@pytest.fixture(scope="module")
def results() -> list[tuple[dict, bool, bool, str | None, str | None]]:
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"{DEFAULT_MODEL} is missing: run `make train` (make test does it) first.")
    parse = pipeline_parser(DEFAULT_MODEL)
    rows = []
    for message in load():
        intent = (parse(message["text"]).get("intent") or {}).get("name")
        request = read_check_in_request(message["text"])
        zone = request.zone if request is not None else None
        if message["kind"] == "none":
            right = intent != "manage_check_ins"
            rows.append((message, right, right, intent, zone))
            continue
        routed = intent == "manage_check_ins" and request is not None
        read = routed and request.kind == message["kind"] and zone == message.get("zone")
        rows.append((message, routed, read, intent, zone))
    requests = [row for row in rows if row[0]["kind"] != "none"]
    lookalikes = [row for row in rows if row[0]["kind"] == "none"]
    print(
        f"\n{HELDOUT.name}: requests {len(requests)}, routed {sum(r[1] for r in requests) / len(requests):.1%}, "
        f"zone read right {sum(r[2] for r in requests) / len(requests):.1%}; "
        f"look-alikes {len(lookalikes)}, taken {sum(not r[1] for r in lookalikes) / len(lookalikes):.1%}"
    )
    for message, routed, read, intent, zone in rows:
        if not read:
            label = f"{message['kind']} {message.get('zone')}"
            print(f"  {'MISROUTED' if not routed else 'MISREAD'} [{label}] -> {intent}, zone {zone}: {message['text'][:110]}")
    return rows


def test_the_set_is_sizeable_and_never_trained_on():
    messages = load()
    counts = Counter(message["kind"] for message in messages)
    assert set(counts) == {"start", "change", "none"} and len(messages) >= 60, counts
    assert near_copies([message["text"] for message in messages]) == []


def test_a_named_time_zone_is_read_and_the_request_reaches_the_check_ins(results):
    requests = [row for row in results if row[0]["kind"] != "none"]
    assert sum(row[1] for row in requests) / len(requests) >= MIN_ROUTED
    assert sum(row[2] for row in requests) / len(requests) >= MIN_ZONE_READ


def test_look_alikes_are_not_taken_for_requests(results):
    lookalikes = [row for row in results if row[0]["kind"] == "none"]
    assert sum(not row[1] for row in lookalikes) / len(lookalikes) <= MAX_LOOKALIKES_TAKEN


def test_no_look_alike_has_a_time_zone_read_into_it(results):
    assert [row[0]["text"] for row in results if row[0]["kind"] == "none" and row[4] is not None] == []
