"""Links patients can open: charts and exports, served by the Rasa server (channels/downloads.py)."""

from __future__ import annotations

import os
from datetime import timedelta

from pacewise.storage.downloads import Download, store_download

PUBLIC_URL_ENV = "PACEWISE_PUBLIC_URL"
DEFAULT_PUBLIC_URL = "http://localhost:5005"
DOWNLOADS_PATH = "/webhooks/downloads/file"
# Channels that cannot show a picture (SMS): the chart is left out there, the words say it all.
NO_IMAGE_CHANNELS = frozenset({"twilio"})


def public_url() -> str:
    """Where patients reach the Rasa server (behind HTTPS in production)."""
    return (os.environ.get(PUBLIC_URL_ENV) or DEFAULT_PUBLIC_URL).rstrip("/")


def download_link(patient_key: str, download: Download, lifetime: timedelta) -> str:
    token = store_download(patient_key, download, lifetime)
    return f"{public_url()}{DOWNLOADS_PATH}/{token}/{download.filename}"


def shows_images(channel: str) -> bool:
    return channel not in NO_IMAGE_CHANNELS
