"""Start the action server the way Pacewise runs it: `python -m actions.server`.

Rasa SDK's own `rasa run actions` listens on every network interface and runs
any action for anyone who can reach it, and the action server can read,
export and delete every patient's diary. This launcher keeps Rasa SDK's app
(same routes, same /webhook protocol) and adds:

- it listens on loopback unless PACEWISE_ACTION_HOST says otherwise;
- when PACEWISE_ACTION_SECRET is set, every request except /health must carry
  it in the X-Pacewise-Action-Secret header (the Rasa server sends it: see the
  `headers` of the action endpoint that `make run` writes), else 403;
- a failing action returns a plain error, never the request body or a trace;
- after every action, a pain entry whose confirmation never reached the
  patient is mentioned (actions/diary/unconfirmed.py);
- files it creates (the SQLite diary, exports) are readable by its user only;
- it runs the check-in scheduler (pacewise/checkins/service.py), every
  PACEWISE_CHECK_IN_INTERVAL seconds (0: off).
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import os

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.diary.unconfirmed import note_unconfirmed_entry
from pacewise.checkins.rasa_api import RasaApi
from pacewise.checkins.service import interval_from_environment, start_loop

logger = logging.getLogger(__name__)

HOST_ENV = "PACEWISE_ACTION_HOST"
SECRET_ENV = "PACEWISE_ACTION_SECRET"
SECRET_HEADER = "X-Pacewise-Action-Secret"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5055
OPEN_PATHS = frozenset({"/health"})


def secret_matches(expected: str, provided: str | None) -> bool:
    return provided is not None and hmac.compare_digest(expected.encode("utf-8"), provided.encode("utf-8"))


def build_app(secret: str | None) -> Sanic:
    app = create_app("actions", cors_origins=None)

    @app.middleware("request")
    async def only_the_rasa_server(request: Request) -> HTTPResponse | None:
        if secret is None or request.path in OPEN_PATHS:
            return None
        if secret_matches(secret, request.headers.get(SECRET_HEADER)):
            return None
        logger.warning("Refused an action-server request to %s from %s: missing or wrong %s", request.path, request.ip, SECRET_HEADER)
        return response.json({"error": "forbidden"}, status=403)

    @app.middleware("response")
    async def mention_unconfirmed_entries(request: Request, reply: HTTPResponse) -> HTTPResponse | None:
        if request.path != "/webhook" or reply.status != 200:
            return None
        try:
            result = json.loads(reply.body)
            noted = note_unconfirmed_entry(request.json or {}, result)
        except Exception:  # never let the note cost the patient their answer
            logger.exception("Could not check for an unconfirmed pain entry")
            return None
        return None if noted is result else response.json(noted)

    @app.exception(Exception)
    async def plain_error(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("An action-server request to %s failed", request.path, exc_info=exception)
        return response.json({"error": "The action failed; see the action server's log."}, status=500)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Pacewise action server.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--host", default=os.environ.get(HOST_ENV) or DEFAULT_HOST)
    args = parser.parse_args()
    os.umask(0o077)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    secret = os.environ.get(SECRET_ENV) or None
    if secret is None:
        logger.warning("%s is not set: any program that can reach %s:%d can run actions.", SECRET_ENV, args.host, args.port)
    app = build_app(secret)
    start_loop(RasaApi.from_environment(), interval_from_environment())
    logger.info("Action server listening on http://%s:%d", args.host, args.port)
    app.run(host=args.host, port=args.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
