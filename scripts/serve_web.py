"""Serve the chat widget and the demo clinic page (web/) on localhost.

    python scripts/serve_web.py [--port 8080] [--rasa-url http://localhost:5005]

A clinic adds the widget with one script tag pointing here; everything the
widget needs (its script, its style sheet and the socket.io client installed
from package-lock.json) comes from this server, nothing from elsewhere.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

REPO_ROOT = Path(__file__).resolve().parent.parent
WEB = REPO_ROOT / "web"
SOCKET_IO_CLIENT = REPO_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
DEMO_RASA_URL = "http://localhost:5005"  # written in web/index.html, replaced by --rasa-url
DEMO_RASA_WEBSOCKET = "ws://localhost:5005"


def security_headers(rasa_url: str) -> dict[str, str]:
    websocket = rasa_url.replace("http://", "ws://").replace("https://", "wss://")
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {rasa_url}; "
            f"connect-src 'self' {rasa_url} {websocket}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }


def build_app(rasa_url: str) -> web.Application:
    headers = security_headers(rasa_url)
    websocket = rasa_url.replace("http://", "ws://").replace("https://", "wss://")
    page = (WEB / "index.html").read_text(encoding="utf-8").replace(DEMO_RASA_URL, rasa_url).replace(DEMO_RASA_WEBSOCKET, websocket)

    async def demo_page(_: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html", headers=headers)

    async def socket_io_client(_: web.Request) -> web.StreamResponse:
        if not SOCKET_IO_CLIENT.exists():
            return web.Response(status=503, text="socket.io client not installed: run `make setup` (needs npm once).", headers=headers)
        return web.FileResponse(SOCKET_IO_CLIENT, headers={**headers, "Content-Type": "application/javascript"})

    @web.middleware
    async def with_headers(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        response = await handler(request)
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    app = web.Application(middlewares=[with_headers])
    app.router.add_get("/", demo_page)
    app.router.add_get("/vendor/socket.io.min.js", socket_io_client)
    app.router.add_static("/widget/", WEB / "widget", show_index=False, follow_symlinks=False)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the Pacewise widget and demo page.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default=DEMO_RASA_URL, help="the Rasa server the widget talks to")
    args = parser.parse_args()
    web.run_app(build_app(args.rasa_url.rstrip("/")), host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
