"""Files that hold patient data or secrets are readable by the service's own user only.

Used for the SQLite databases (Pacewise's tables and the tracker store) and
for secrets generated on first start when none is configured.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PRIVATE_MODE = 0o600


def make_private(path: Path) -> None:
    """Create the file if it is missing, and make it (and SQLite's side files) owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_MODE))
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"), path.with_name(path.name + "-journal")):
        if candidate.exists():
            os.chmod(candidate, PRIVATE_MODE)


def sqlite_path(url: str) -> Path | None:
    """The file behind an sqlite:/// URL, or None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("///", 1)[-1]
    return Path(path) if path and path != ":memory:" else None


def secret_from(env_value: str | None, file: Path) -> str:
    """A configured secret, else one generated once into `file` (owner-only) and kept there."""
    if env_value:
        return env_value
    file.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return file.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32))
    return file.read_text(encoding="utf-8").strip()
