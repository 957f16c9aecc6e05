"""Check-in, questionnaire and report requests in patients' own words (tests/nlu/heldout_check_ins.yml, written
blind from the feature's description, never trained on), through the trained model and the deterministic reader.

A message is right when the bot would do what the patient asked: the intent that
runs the check-in action (or the export action with a report, for a report) and
the request read as the label says (kind, and the time, days and what to ask
where the label gives them); look-alikes ("remind me to take my tablets") must
reach neither. Run with `pytest -s` to see the figures.
"""

from __future__ import annotations

from collections import Counter
from datetime import time
from pathlib import Path

import pytest
import yaml

from pacewise.cli.safety_report import DEFAULT_MODEL, pipeline_parser
from pacewise.text.checkin_parser import read_check_in_request
from pacewise.text.report_request import mentions_a_report
from tests.nlu.test_heldout import near_copies

HELDOUT = Path(__file__).with_name("heldout_check_ins.yml")
SETS = [HELDOUT, HELDOUT.with_name("heldout_check_ins_round2.yml")]
CHECK_IN_KINDS = {"start", "stop", "pause", "change", "peg_now", "peg_weekly_on", "peg_weekly_off"}
# Measured on the first run of this set (README "Check-ins"); a change that lowers them fails.
MIN_ROUTED = 0.90  # the right action
MIN_READ = 0.85  # the right action and the request read as labelled
MAX_LOOKALIKES_TAKEN = 0.10


def load(path: Path = HELDOUT) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


def outcome(message: dict, parse_data: dict) -> tuple[bool, bool]:
    """(routed to the right action, and read as labelled)."""
    intent = (parse_data.get("intent") or {}).get("name")
    text, kind = message["text"], message["kind"]
    if kind == "report":
        routed = intent == "export_my_data" and mentions_a_report(text)
        return routed, routed
    if kind == "none":
        right = intent != "manage_check_ins" and not (intent == "export_my_data" and mentions_a_report(text))
        return right, right
    request = read_check_in_request(text)
    routed = intent == "manage_check_ins"
    read = routed and request is not None and request.kind == kind
    if read and "time" in message:
        hours, minutes = (int(part) for part in str(message["time"]).split(":"))
        read = request.local_time == time(hours, minutes)
    if read and "days" in message:
        read = request.weekdays == frozenset(message["days"])
    if read and "asks" in message and kind == "start":
        read = request.asks == message["asks"]
    return routed, read


@pytest.fixture(scope="module", params=SETS, ids=lambda path: path.name)
def results(request) -> list[tuple[dict, bool, bool, str]]:
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"{DEFAULT_MODEL} is missing: run `make train` (make test does it) first.")
    parse = pipeline_parser(DEFAULT_MODEL)
    rows = []
    for message in load(request.param):
        parse_data = parse(message["text"])
        routed, read = outcome(message, parse_data)
        rows.append((message, routed, read, (parse_data.get("intent") or {}).get("name")))
    requests = [row for row in rows if row[0]["kind"] != "none"]
    lookalikes = [row for row in rows if row[0]["kind"] == "none"]
    share_routed, share_read = sum(r[1] for r in requests) / len(requests), sum(r[2] for r in requests) / len(requests)
    print(f"\n{request.param.name}: check-in requests: {len(requests)}, routed {share_routed:.1%}, read {share_read:.1%}")
    print(f"look-alikes: {len(lookalikes)}, taken as requests {sum(not r[1] for r in lookalikes) / len(lookalikes):.1%}")
    for message, routed, read, intent in rows:
        if not read:
            print(f"  {'MISROUTED' if not routed else 'MISREAD'} [{message['kind']}] -> {intent}: {message['text'][:110]}")
    return rows


@pytest.mark.parametrize("path", SETS, ids=lambda path: path.name)
def test_the_set_covers_every_kind_and_is_never_trained_on(path):
    messages = load(path)
    counts = Counter(message["kind"] for message in messages)
    assert set(counts) == CHECK_IN_KINDS | {"report", "none"} and len(messages) >= 80, counts
    assert near_copies([message["text"] for message in messages]) == []


def test_requests_reach_the_right_action_and_are_read_as_asked(results):
    requests = [row for row in results if row[0]["kind"] != "none"]
    assert sum(row[1] for row in requests) / len(requests) >= MIN_ROUTED
    assert sum(row[2] for row in requests) / len(requests) >= MIN_READ


def test_look_alikes_are_not_taken_for_requests(results):
    lookalikes = [row for row in results if row[0]["kind"] == "none"]
    assert sum(not row[1] for row in lookalikes) / len(lookalikes) <= MAX_LOOKALIKES_TAKEN


def test_a_medicine_reminder_is_never_set_up(results):
    medicines = [row for row in results if row[0]["kind"] == "none" and any(word in row[0]["text"].lower() for word in ("tablet", "pill", "meds", "medic"))]
    assert all(row[3] != "manage_check_ins" for row in medicines), [row[0]["text"] for row in medicines if row[3] == "manage_check_ins"]
