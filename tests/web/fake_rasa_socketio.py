"""A stand-in for Rasa's Socket.IO channel that asks for a pain score (the widget's pain-scale test) and
sends the Markdown subset's table (tests/markdown_subset.json) for the widget's rendering test.

The real bot asks for scores once the pain diary exists; until then this server
sends exactly what Rasa's socketio channel sends (the same events and message
shapes, python-socketio 5.9) and records what the widget sends back.

    python tests/web/fake_rasa_socketio.py PORT RECORD_FILE
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import socketio
from aiohttp import web

# "show the markdown table": every case of the Markdown subset's table, one bot message each, in order.
MARKDOWN_REQUEST = "show the markdown table"
MARKDOWN_TABLE = Path(__file__).resolve().parents[1] / "markdown_subset.json"
PAIN_SCALE_REQUEST = {"text": "How bad is your pain right now, from 0 to 10?", "pacewise": {"input": "pain_scale", "min": 0, "max": 10}}


def build_app(record: Path) -> web.Application:
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
    app = web.Application()
    sio.attach(app)

    sessions: dict[str, str] = {}

    @sio.on("session_request")
    async def session_request(sid: str, data: dict) -> None:
        # Like channels/socketio.py: a session is resumed only with its token, else a new one is made.
        session_id = data.get("session_id")
        if not session_id or data.get("session_token") != f"token-{session_id}":
            session_id = uuid.uuid4().hex
        sessions[sid] = session_id
        sio.enter_room(sid, session_id)
        await sio.emit("session_confirm", {"session_id": session_id, "session_token": f"token-{session_id}"}, room=sid)

    @sio.on("user_uttered")
    async def user_uttered(sid: str, data: dict) -> None:
        with record.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(data) + "\n")
        if data.get("message") == MARKDOWN_REQUEST:
            for case in json.loads(MARKDOWN_TABLE.read_text(encoding="utf-8"))["cases"]:
                await sio.emit("bot_uttered", {"text": case["markdown"]}, room=sessions[sid])
        elif "pain" in data.get("message", "").lower():
            await sio.emit("bot_uttered", PAIN_SCALE_REQUEST, room=sessions[sid])
        else:
            await sio.emit("bot_uttered", {"text": f"Thanks, I've noted {data.get('message')}."}, room=sessions[sid])

    return app


if __name__ == "__main__":
    web.run_app(build_app(Path(sys.argv[2])), host="127.0.0.1", port=int(sys.argv[1]), print=None)
