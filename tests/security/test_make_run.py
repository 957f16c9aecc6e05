"""`make run` itself (scripts/run.sh): nothing open, files private, production refuses unsafe settings."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from scripts.bot_servers import REPO_ROOT, free_port

pytestmark = pytest.mark.e2e

READY = "Pacewise is ready."
SECRET_VARIABLES = ("PACEWISE_API_TOKEN", "PACEWISE_ACTION_SECRET", "PACEWISE_SESSION_SECRET", "PACEWISE_PSEUDONYM_SECRET", "PACEWISE_REST_TOKEN")


def _clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PACEWISE_")}
    return {**env, **extra}


@dataclass
class Started:
    var: Path
    rasa_port: int
    action_port: int
    web_port: int
    output: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def token(self) -> str:
        return (self.var / "api.token").read_text().strip()


@pytest.fixture(scope="module")
def make_run(tmp_path_factory) -> Iterator[Started]:
    var = tmp_path_factory.mktemp("make_run") / "var"
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    env = _clean_env(PACEWISE_VAR_DIR=str(var), **{name: str(port) for name, port in ports.items()})
    log = var.parent / "run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 400
        while READY not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"make run did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(1)
        yield Started(var, ports["RASA_PORT"], ports["ACTION_PORT"], ports["WEB_PORT"], log.read_text(errors="replace"))
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _listening_addresses(ports: set[int]) -> dict[int, set[str]]:
    """Local addresses of listening TCP sockets on these ports (from /proc/net/tcp and tcp6)."""
    found: dict[int, set[str]] = {port: set() for port in ports}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(port_hex, 16) in ports:  # 0A: LISTEN
                found[int(port_hex, 16)].add(address)
    return found


def test_every_server_listens_on_loopback_only(make_run):
    listening = _listening_addresses({make_run.rasa_port, make_run.action_port, make_run.web_port})
    for port, addresses in listening.items():
        assert addresses, f"nothing listens on {port}"
        assert addresses <= {"0100007F", "00000000000000000000000001000000"}, f"port {port} listens on {addresses}"


def test_the_api_needs_the_generated_token_and_says_where_it_is(make_run):
    assert str(make_run.var / "api.token") in make_run.output
    tracker = f"{make_run.url}/conversations/someone/tracker"
    assert requests.get(tracker, timeout=30).status_code == 401
    assert requests.get(tracker, headers={"Authorization": f"Bearer {make_run.token}"}, timeout=30).status_code == 200
    assert requests.get(tracker, params={"token": make_run.token}, timeout=30).status_code == 200


def test_the_action_server_answers_only_the_rasa_server(make_run):
    response = requests.post(f"http://127.0.0.1:{make_run.action_port}/webhook", json={"next_action": "action_export_data", "tracker": {}}, timeout=30)
    assert response.status_code == 403
    # ... while the Rasa server, which carries the secret, gets its actions run.
    replies = requests.post(f"{make_run.url}/webhooks/rest/webhook", json={"sender": "mr-1", "message": "what is pacing?"}, timeout=60).json()
    assert any("pac" in reply.get("text", "").lower() for reply in replies)


def test_only_the_widget_page_may_call_the_server_from_a_browser(make_run):
    url = f"{make_run.url}/webhooks/rest/webhook"
    widget_page = f"http://localhost:{make_run.web_port}"
    assert (
        requests.options(url, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}, timeout=30).headers.get(
            "Access-Control-Allow-Origin"
        )
        is None
    )
    assert (
        requests.options(url, headers={"Origin": widget_page, "Access-Control-Request-Method": "POST"}, timeout=30).headers.get("Access-Control-Allow-Origin")
        == widget_page
    )


def test_files_holding_patient_data_or_secrets_are_readable_by_the_service_only(make_run):
    # A red flag writes a safety event (pacewise.db); every message writes the tracker (tracker.db).
    requests.post(f"{make_run.url}/webhooks/rest/webhook", json={"sender": "mr-2", "message": "I can't feel my bottom and I've wet myself"}, timeout=60)
    assert stat.S_IMODE(make_run.var.stat().st_mode) == 0o700
    expected = ["api.token", "action.secret", "session.secret", "pseudonym.secret", "endpoints.yml", "credentials.yml", "tracker.db", "pacewise.db"]
    for name in expected:
        assert (make_run.var / name).exists(), name
    for path in [*make_run.var.iterdir(), *(make_run.var / "log").iterdir()]:
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path.name} is {oct(path.stat().st_mode)}"


def test_production_refuses_to_start_with_unsafe_settings_and_names_them(tmp_path):
    env = _clean_env(
        PACEWISE_ENV="production", PACEWISE_VAR_DIR=str(tmp_path / "var"), PACEWISE_ALLOWED_ORIGINS="*", PACEWISE_PUBLIC_URL="http://clinic.example"
    )
    result = subprocess.run(["bash", "scripts/run.sh"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    for name in [*SECRET_VARIABLES, "PACEWISE_ALLOWED_ORIGINS contains '*'", "PACEWISE_PUBLIC_URL"]:
        assert name in result.stderr, name
    assert not (tmp_path / "var" / "api.token").exists()


def test_production_starts_the_checks_clean_with_safe_settings():
    from pacewise.production import problems

    safe = {name: "x" * 40 for name in SECRET_VARIABLES}
    safe |= {"PACEWISE_ENV": "production", "PACEWISE_ALLOWED_ORIGINS": "https://clinic.example", "PACEWISE_PUBLIC_URL": "https://pacewise.clinic.example"}
    assert problems(safe) == []
    assert problems({**safe, "PACEWISE_REST_TOKEN": "short"})
    assert problems({**safe, "PACEWISE_ALLOWED_ORIGINS": "http://clinic.example"})
    assert problems({"PACEWISE_ENV": "development"}) == []
