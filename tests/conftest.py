"""Shared fixtures: the repository's paths, a private copy of content/ and
tracker fixtures loaded from JSON (as RasaHQ/financial-demo does)."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "actions" / "fixtures"


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of content/ that the actions read from, safe to edit."""
    target = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", target)
    monkeypatch.setenv("PACEWISE_CONTENT_DIR", str(target))
    return target


@pytest.fixture
def load_tracker() -> Callable[..., Tracker]:
    """Build a Tracker from a JSON fixture, optionally changing its latest message (text or
    other parse data, e.g. the safety assessment) or slots."""

    def load(name: str, *, text: str | None = None, slots: dict[str, Any] | None = None, latest: dict[str, Any] | None = None) -> Tracker:
        state = copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text()))
        if text is not None:
            state["latest_message"]["text"] = text
        state["latest_message"].update(latest or {})
        state["slots"].update(slots or {})
        return Tracker.from_dict(state)

    return load


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private SQLite database and pseudonym secret, for every test: none ever writes to the
    developer's var/ (answering a topic, for one, notes it for the patient's report)."""
    path = tmp_path / "pacewise.db"
    monkeypatch.setenv("PACEWISE_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("PACEWISE_PSEUDONYM_SECRET", "test-secret")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for this test session (tests/postgres.py)."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url
