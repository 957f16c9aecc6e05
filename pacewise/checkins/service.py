"""The check-in scheduler as a service: one pass over what is due (`tick`), or a pass every minute in a thread.

The action server runs the loop (PACEWISE_CHECK_IN_INTERVAL seconds, 60 by
default; 0 switches it off); any number of action servers may, since each
check-in is claimed in the database before it is sent
(pacewise/checkins/scheduler.py). `python -m pacewise.cli.check_ins --once`
runs one pass by hand, at a given time if needed.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timedelta, timezone

from pacewise.checkins.delivery import HELD, route_for, whatsapp_template
from pacewise.checkins.rasa_api import RasaApi, RasaUnavailable
from pacewise.checkins.scheduler import SendResult, run_due
from pacewise.content.check_in_settings import check_in_settings
from pacewise.storage.checkins import CheckIn

logger = logging.getLogger(__name__)

INTERVAL_ENV = "PACEWISE_CHECK_IN_INTERVAL"
DEFAULT_INTERVAL_S = 60.0


def tick(now: datetime, api: RasaApi) -> list[tuple[str, str]]:
    """Send (or skip, with the reason logged) every check-in due by `now`; returns (patient key, outcome) pairs."""

    def send(check_in: CheckIn) -> SendResult:
        try:
            last = api.last_patient_message_at(check_in.address)
            if last is None:
                return SendResult(False, "the conversation is not there any more")
            route = route_for(check_in.channel, last, now, whatsapp_template())
            if route.how is None:
                return SendResult(False, route.reason)
            if route.how == HELD:
                return SendResult(False, route.reason, held=True)
            api.trigger_check_in(check_in.address, check_in.channel, route.how, check_in.asks)
        except RasaUnavailable as error:
            return SendResult(False, str(error))
        return SendResult(True)

    return run_due(now, send, late_limit=timedelta(hours=check_in_settings().late_limit_hours))


def interval_from_environment() -> float:
    try:
        return max(0.0, float(os.environ.get(INTERVAL_ENV, DEFAULT_INTERVAL_S)))
    except ValueError:
        logger.error("%s must be a number of seconds; using %s", INTERVAL_ENV, DEFAULT_INTERVAL_S)
        return DEFAULT_INTERVAL_S


def start_loop(api: RasaApi, interval_s: float) -> threading.Event | None:
    """Run `tick` every `interval_s` seconds in a daemon thread; returns the event that stops it (None: switched off)."""
    if interval_s <= 0:
        logger.info("Check-ins are switched off (%s=0)", INTERVAL_ENV)
        return None
    stopped = threading.Event()

    def loop() -> None:
        while not stopped.wait(interval_s):
            try:
                handled = tick(datetime.now(timezone.utc), api)
                if handled:
                    logger.info("Check-ins handled: %s", ", ".join(outcome for _, outcome in handled))
            except Exception:  # the database or Rasa down: try again next time, never stop the loop
                logger.exception("A check-in pass failed; trying again in %.0f s", interval_s)

    threading.Thread(target=loop, name="check-ins", daemon=True).start()
    logger.info("Check-ins: sending what is due every %.0f s through %s", interval_s, api.url)
    return stopped
