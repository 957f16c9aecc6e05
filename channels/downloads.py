"""Serves patients' charts and exports at /webhooks/downloads/file/<token>/<name>.

A "channel" only in Rasa's sense (a blueprint on the Rasa server, which is the
part patients' channels can reach); it never receives messages. The long
random token is the only key and links expire (pacewise/storage/downloads.py).
An unknown or expired link gets a plain 404 page, never an error trace.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from pacewise.storage.downloads import fetch_download

logger = logging.getLogger(__name__)

NOT_FOUND = "This link has expired or does not exist. Ask Pacewise again for a new one."


class DownloadsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "downloads"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        downloads = Blueprint("pacewise_downloads", __name__)

        @downloads.route("/file/<token>/<filename>", methods=["GET"])
        async def serve(request: Request, token: str, filename: str) -> HTTPResponse:
            try:
                found = fetch_download(token)
            except Exception:
                logger.exception("Could not read a download")
                found = None
            if found is None or found.filename != filename:
                return response.text(NOT_FOUND, status=404)
            # Charts and the progress report open in the browser (the report runs nothing: no script, nothing fetched).
            disposition = "inline" if found.media_type.startswith(("image/", "text/html")) else "attachment"
            return response.raw(
                found.body,
                content_type=found.media_type,
                headers={
                    "Content-Disposition": f'{disposition}; filename="{found.filename}"',
                    "Cache-Control": "private, no-store",
                    "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer",
                    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox",
                },
            )

        return downloads
