"""A fake Telegram / Slack / Facebook Messenger / Twilio API on loopback, for end-to-end tests.

Run it as ``python tests/channels/fake_provider.py PORT RECORD_FILE``: it listens on
127.0.0.1:PORT and appends one JSON line per API call to RECORD_FILE::

    {"provider": "telegram", "method": "sendMessage", "path": "/bot123:abc/sendMessage",
     "query": {}, "data": {"chat_id": "42", "text": "Hi", ...}, "time": 1700000000.0}

Point the SDKs (and so Rasa's connectors) at it with

- aiogram 2: ``Bot(token, server=TelegramAPIServer.from_base(url))``
  (``from aiogram.bot.api import TelegramAPIServer``), or set ``bot.server`` on an existing bot;
- slack_sdk: ``AsyncWebClient(token, base_url=url + "/api/")``, or set ``client.base_url``;
- fbmessenger: ``client.graph_url = url + "/v2.12"`` on a ``MessengerClient``;
- twilio: ``client.api.base_url = url`` on a ``twilio.rest.Client`` (with no edge/region set).

``GET /_recorded`` returns the recorded calls as a JSON list and ``POST /_reset`` forgets them
(and empties RECORD_FILE). ``POST /_refuse {"provider": ..., "recipient": ...}`` makes every later
send to that recipient fail as the real provider fails (a blocked bot, an unsubscribed number,
a person not available, a channel not found), until the next reset. :class:`FakeProvider` runs the server as a subprocess for tests.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import web

HOST = "127.0.0.1"
TELEGRAM_BOT = {"id": 1, "is_bot": True, "first_name": "Pacewise", "username": os.environ.get("FAKE_TELEGRAM_USERNAME", "pacewise_bot")}
SLACK_TS = "1700000000.000100"
# Keys whose values SDKs send as JSON strings inside form fields.
JSON_STRING_FIELDS = {"reply_markup", "blocks", "attachments", "entities", "caption_entities", "results", "media", "commands"}

TELEGRAM_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[^/]+)/?$")
SLACK_PATH = re.compile(r"^/api/(?P<method>[^/]+)/?$")
FACEBOOK_PATH = re.compile(r"^/v\d+(?:\.\d+)?/(?P<method>.+?)/?$")
TWILIO_PATH = re.compile(r"^/\d{4}-\d{2}-\d{2}/Accounts/(?P<sid>[^/]+)/(?P<method>.+?)/?$")


# What each provider answers when it will not deliver to a recipient (their real error shapes).
REFUSALS: dict[str, tuple[int, dict[str, Any]]] = {
    "telegram": (403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
    "slack": (200, {"ok": False, "error": "channel_not_found"}),
    "facebook": (400, {"error": {"message": "(#551) This person isn't available right now.", "type": "OAuthException", "code": 551}}),
    "twilio": (400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}),
}


def _recipient(provider: str, fields: dict[str, Any]) -> str:
    if provider == "telegram":
        return str(fields.get("chat_id", ""))
    if provider == "slack":
        return str(fields.get("channel", ""))
    if provider == "facebook":
        return str((fields.get("recipient") or {}).get("id", ""))
    return str(fields.get("To", ""))


# -- the server ---------------------------------------------------------------


def _multidict_to_dict(multidict: Any) -> dict[str, Any]:
    """Turn a (multi)dict of form or query fields into a dict; repeated keys give a list."""
    result: dict[str, Any] = {}
    for key in multidict:
        if key in result:
            continue
        values = [_field_value(value) for value in multidict.getall(key)]
        result[key] = values[0] if len(values) == 1 else values
    return result


def _field_value(value: Any) -> Any:
    if isinstance(value, web.FileField):
        content = value.file.read()
        return {"filename": value.filename, "content_type": value.content_type, "size": len(content)}
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def _parse_json_strings(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    for key in JSON_STRING_FIELDS & data.keys():
        value = data[key]
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                data[key] = json.loads(value)
    return data


async def _read_body(request: web.Request) -> Any:
    if request.method in ("GET", "HEAD", "DELETE") and not request.can_read_body:
        return {}
    if request.content_type == "application/json":
        raw = await request.text()
        try:
            return _parse_json_strings(json.loads(raw)) if raw.strip() else {}
        except ValueError:
            return raw
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return _parse_json_strings(_multidict_to_dict(await request.post()))
    raw = await request.text()
    if not raw:
        return {}
    try:
        return _parse_json_strings(json.loads(raw))
    except ValueError:
        return raw


class Recorder:
    def __init__(self, record_file: Path) -> None:
        self.record_file = record_file
        self.record_file.parent.mkdir(parents=True, exist_ok=True)
        self.record_file.touch()

    def record(self, call: dict[str, Any]) -> None:
        with self.record_file.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(call, ensure_ascii=False) + "\n")
            handle.flush()

    def calls(self) -> list[dict[str, Any]]:
        return read_calls(self.record_file)

    def reset(self) -> None:
        self.record_file.write_text("")


def read_calls(record_file: Path, provider: str | None = None) -> list[dict[str, Any]]:
    """The calls recorded in RECORD_FILE, oldest first (a half-written last line is skipped)."""
    try:
        lines = Path(record_file).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    calls = []
    for line in lines:
        try:
            call = json.loads(line)
        except ValueError:
            continue
        if provider is None or call.get("provider") == provider:
            calls.append(call)
    return calls


def _telegram_result(method: str, data: Any, message_ids: itertools.count) -> Any:
    fields = data if isinstance(data, dict) else {}
    name = method.lower()
    if name == "getme":
        return TELEGRAM_BOT
    if name == "getwebhookinfo":
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
    if name == "getupdates":
        return []
    if name.startswith(("send", "edit", "forward", "copy")):
        chat_id = fields.get("chat_id", 0)
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            chat_id = int(chat_id)
        message: dict[str, Any] = {
            "message_id": next(message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": TELEGRAM_BOT,
        }
        if "text" in fields:
            message["text"] = str(fields["text"])
        if "caption" in fields:
            message["caption"] = str(fields["caption"])
        if name == "sendphoto":
            message["photo"] = [{"file_id": "fake-photo", "file_unique_id": "fake-photo", "width": 1, "height": 1}]
        if isinstance(fields.get("reply_markup"), dict) and "inline_keyboard" in fields["reply_markup"]:
            message["reply_markup"] = fields["reply_markup"]
        if name == "copymessage":
            return {"message_id": message["message_id"]}
        return message
    return True  # setWebhook, deleteWebhook, answerCallbackQuery, sendChatAction's cousins, ...


def create_app(record_file: Path) -> web.Application:
    recorder = Recorder(Path(record_file))
    message_ids = itertools.count(1)
    twilio_ids = itertools.count(1)

    async def recorded(_: web.Request) -> web.Response:
        return web.json_response(recorder.calls())

    refused: set[tuple[str, str]] = set()

    async def reset(_: web.Request) -> web.Response:
        recorder.reset()
        refused.clear()
        return web.json_response({"ok": True})

    async def refuse(request: web.Request) -> web.Response:
        wanted = await request.json()
        refused.add((wanted["provider"], str(wanted["recipient"])))
        return web.json_response({"ok": True})

    def refusal(provider: str, fields: Any) -> web.Response | None:
        if (provider, _recipient(provider, fields if isinstance(fields, dict) else {})) not in refused:
            return None
        status, body = REFUSALS[provider]
        return web.json_response(body, status=status)

    async def api(request: web.Request) -> web.Response:
        path = request.path
        data = await _read_body(request)
        query = _parse_json_strings(_multidict_to_dict(request.query))

        def record(provider: str, method: str) -> None:
            recorder.record({"provider": provider, "method": method, "path": path, "query": query, "data": data, "time": time.time()})

        if match := TELEGRAM_PATH.match(path):
            method = match["method"]
            if not isinstance(data, dict) or not data:
                data = {**query, **(data if isinstance(data, dict) else {})}
            record("telegram", method)
            if method.lower().startswith("send") and (refused_reply := refusal("telegram", data)) is not None:
                return refused_reply
            return web.json_response({"ok": True, "result": _telegram_result(method, data, message_ids)})

        if match := SLACK_PATH.match(path):
            method = match["method"]
            record("slack", method)
            fields = data if isinstance(data, dict) else {}
            if method == "auth.test":
                return web.json_response({"ok": True, "url": "https://pacewise.slack.com/", "team": "Pacewise", "user": "pacewise", "user_id": "UBOT"})
            if method.startswith("chat.") and (refused_reply := refusal("slack", fields)) is not None:
                return refused_reply
            if method.startswith("chat."):
                return web.json_response(
                    {"ok": True, "channel": fields.get("channel"), "ts": SLACK_TS, "message": {"text": fields.get("text"), "ts": SLACK_TS}}
                )
            return web.json_response({"ok": True})

        if match := FACEBOOK_PATH.match(path):
            method = match["method"]
            record("facebook", method)
            fields = data if isinstance(data, dict) else {}
            if method == "me/messages" and (refused_reply := refusal("facebook", fields)) is not None:
                return refused_reply
            if method == "me/messages":
                recipient_id = (fields.get("recipient") or {}).get("id")
                return web.json_response({"recipient_id": recipient_id, "message_id": f"m_{next(message_ids)}"})
            if method == "me":
                return web.json_response({"id": "1", "name": "Pacewise"})
            if request.method == "GET":  # a user profile
                return web.json_response({"id": method, "first_name": "Test", "last_name": "User"})
            return web.json_response({"result": "success"})

        if match := TWILIO_PATH.match(path):
            sid, method = match["sid"], match["method"]
            record("twilio", method)
            fields = data if isinstance(data, dict) else {}
            if method == "Messages.json" and request.method == "POST" and (refused_reply := refusal("twilio", fields)) is not None:
                return refused_reply
            if method == "Messages.json" and request.method == "POST":
                message_sid = f"SM{next(twilio_ids):032x}"
                now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
                media = fields.get("MediaUrl")
                resource = {
                    "sid": message_sid,
                    "account_sid": sid,
                    "to": fields.get("To"),
                    "from": fields.get("From"),
                    "messaging_service_sid": fields.get("MessagingServiceSid"),
                    "body": fields.get("Body"),
                    "status": "queued",
                    "direction": "outbound-api",
                    "api_version": "2010-04-01",
                    "date_created": now,
                    "date_updated": now,
                    "date_sent": None,
                    "num_segments": "1",
                    "num_media": str(len(media) if isinstance(media, list) else int(media is not None)),
                    "price": None,
                    "price_unit": "USD",
                    "error_code": None,
                    "error_message": None,
                    "uri": f"/2010-04-01/Accounts/{sid}/Messages/{message_sid}.json",
                    "subresource_uris": {"media": f"/2010-04-01/Accounts/{sid}/Messages/{message_sid}/Media.json"},
                }
                return web.json_response(resource, status=201)
            return web.json_response({"code": 20404, "message": "Not found in the fake provider", "status": 404}, status=404)

        record("unknown", path)
        return web.json_response({"ok": False, "error": f"fake provider: nothing at {request.method} {path}"}, status=404)

    app = web.Application()
    app.router.add_get("/_recorded", recorded)
    app.router.add_post("/_reset", reset)
    app.router.add_post("/_refuse", refuse)
    app.router.add_route("*", "/{tail:.*}", api)
    return app


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        sys.exit(f"usage: {argv[0]} PORT RECORD_FILE")
    web.run_app(create_app(Path(argv[2])), host=HOST, port=int(argv[1]), print=None, access_log=None)


# -- the helper for tests -----------------------------------------------------


class FakeProvider:
    """Runs the fake provider as a subprocess on a free loopback port.

    >>> provider = FakeProvider().start()
    >>> provider.url  # e.g. http://127.0.0.1:38211
    >>> provider.wait_for_calls(1, "telegram")
    >>> provider.stop()
    """

    START_TIMEOUT_S = 30

    def __init__(self, record_file: str | Path | None = None, port: int | None = None) -> None:
        if record_file is None:
            record_file = Path(tempfile.mkdtemp(prefix="fake-provider-")) / "calls.jsonl"
        self.record_file = Path(record_file)
        self.port = port
        self.process: subprocess.Popen | None = None
        self._log: Any = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.record_file.with_name(self.record_file.name + ".log")

    def start(self) -> FakeProvider:
        import requests

        from scripts.bot_servers import free_port

        fixed_port = self.port is not None
        self.record_file.parent.mkdir(parents=True, exist_ok=True)
        for _attempt in range(1 if fixed_port else 3):
            if not fixed_port:
                self.port = free_port()
            self._log = self.log_file.open("ab")
            self.process = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), str(self.port), str(self.record_file)],
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
            deadline = time.monotonic() + self.START_TIMEOUT_S
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    if requests.get(f"{self.url}/_recorded", timeout=1).ok:
                        return self
                except requests.RequestException:
                    pass
                time.sleep(0.05)
            self.stop()  # exited early (port taken?) or too slow: try another port
        raise RuntimeError(f"The fake provider did not start:\n{self.log_file.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def calls(self, provider: str | None = None) -> list[dict[str, Any]]:
        """The recorded calls (of one provider, if given), oldest first."""
        return read_calls(self.record_file, provider)

    def wait_for_calls(self, n: int, provider: str | None = None, timeout: float = 30) -> list[dict[str, Any]]:
        """Wait until at least n calls (of the provider, if given) were recorded and return them all."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls(provider)
            if len(calls) >= n:
                return calls
            if time.monotonic() >= deadline:
                raise TimeoutError(f"Expected {n} {provider or 'provider'} call(s) within {timeout} s, got {len(calls)}: {json.dumps(calls)[:3000]}")
            time.sleep(0.05)

    def refuse(self, provider: str, recipient: str) -> None:
        """Make every later send to `recipient` on `provider` fail as the real provider would (until reset)."""
        import requests

        requests.post(f"{self.url}/_refuse", json={"provider": provider, "recipient": recipient}, timeout=10).raise_for_status()

    def reset(self) -> None:
        """Forget the recorded calls and refusals (via POST /_reset)."""
        import requests

        requests.post(f"{self.url}/_reset", timeout=10).raise_for_status()


if __name__ == "__main__":
    main(sys.argv)
