"""The website widget in a real browser (Debian's Chromium, driven by playwright-core).

Starts the real action server, Rasa server and widget server, then runs each
scenario in tests/web/widget_scenarios.mjs. Screenshots go to tests/output/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from scripts.bot_servers import REPO_ROOT, BotServers, free_port

pytestmark = pytest.mark.e2e

SCENARIOS = REPO_ROOT / "tests" / "web" / "widget_scenarios.mjs"
SCREENSHOTS = REPO_ROOT / "tests" / "output" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def stop(process: subprocess.Popen) -> None:
    """Stop a server; kill it if open websockets keep it from shutting down in time."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class WebServer:
    def __init__(self, workdir: Path, rasa_url: str, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        log = open(workdir / "web.log", "wb")  # noqa: SIM115 - closed with the process
        command = [sys.executable, "scripts/serve_web.py", "--port", str(self.port), "--rasa-url", rasa_url]
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url, timeout=2).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"the widget server did not start: {(workdir / 'web.log').read_text()}")

    def stop(self) -> None:
        stop(self.process)


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[tuple[BotServers, WebServer]]:
    if not (REPO_ROOT / "node_modules" / "playwright-core").is_dir():
        pytest.fail("node_modules is missing: run `make setup` (npm ci from package-lock.json).")
    workdir = tmp_path_factory.mktemp("web")
    web_port = free_port()
    # As with make run, only the widget's own page may call the Rasa server from a browser.
    bot = BotServers(workdir, allowed_origin=f"http://127.0.0.1:{web_port}")
    rasa_url = bot.url.replace("127.0.0.1", "localhost")
    bot.extra_env["PACEWISE_PUBLIC_URL"] = rasa_url  # chart links on the address the page may load images from
    bot.start()
    web = WebServer(workdir, rasa_url, web_port)
    try:
        yield bot, web
    finally:
        web.stop()
        bot.stop()


def scenario(name: str, web: WebServer) -> subprocess.Popen:
    env = {**os.environ, "PACEWISE_WEB_URL": web.url, "PACEWISE_SCREENSHOTS": str(SCREENSHOTS), "CHROMIUM_PATH": CHROMIUM}
    return subprocess.Popen(
        ["node", str(SCENARIOS), name], cwd=REPO_ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def run_scenario(name: str, web: WebServer) -> None:
    process = scenario(name, web)
    output, _ = process.communicate(timeout=240)
    assert process.returncode == 0 and f"PASS {name}" in output, output


@pytest.mark.parametrize(
    "name",
    [
        "topic_and_related_button",
        "reload_keeps_the_conversation",
        "html_is_shown_as_text",
        "keyboard_and_screen_reader",
        "phone_sized_screen",
        "crisis_support",
        "pain_diary",
    ],
)
def test_widget(servers, name):
    _, web = servers
    run_scenario(name, web)


def test_a_score_and_a_question_in_the_widget_are_logged_then_answered(servers):
    bot, web = servers
    entries_before = len(bot.rows("pain_entries"))
    run_scenario("score_with_a_question", web)
    assert [(row["score"], row["location"]) for row in bot.rows("pain_entries")[entries_before:]] == [(7, "knee")]


def test_the_peg_questionnaire_in_the_widget_is_stored_whole(servers):
    bot, web = servers
    run_scenario("peg_questionnaire", web)
    assert [(row["pain"], row["enjoyment"], row["activity"]) for row in bot.rows("peg_responses")] == [(7, 6, 8)]


def test_a_check_in_asked_for_in_the_widget_waits_for_the_next_visit(servers):
    bot, web = servers
    process = scenario("check_in_on_next_visit", web)
    output: list[str] = []
    for line in process.stdout:
        output.append(line)
        if line.startswith("OPTED_IN"):
            [row] = [row for row in bot.rows("check_ins") if row["address"] == line.split()[1]]
            due = datetime.fromisoformat(str(row["next_due_at"])).replace(tzinfo=timezone.utc)
            assert (row["zone"], due.astimezone(ZoneInfo("Australia/Sydney")).strftime("%H:%M")) == ("Australia/Sydney", "19:00")
            run = [sys.executable, "-m", "pacewise.cli.check_ins", "--once", "--now", (due + timedelta(minutes=1)).isoformat()]
            done = subprocess.run(run, cwd=REPO_ROOT, env=bot._env, capture_output=True, text=True, timeout=120, check=False)
            assert done.returncode == 0 and "held" in done.stdout, done.stdout + done.stderr
            process.stdin.write("GO\n")
            process.stdin.close()
    process.wait(timeout=300)
    assert process.returncode == 0, "".join(output)
    [delivery] = [row for row in bot.rows("check_in_deliveries") if row["patient_key"] == row_key(bot, output)]
    assert delivery["outcome"] == "sent" and "opened the chat" in delivery["reason"]


def row_key(bot: BotServers, output: list[str]) -> str:
    session_id = next(line.split()[1] for line in output if line.startswith("OPTED_IN"))
    return next(row["patient_key"] for row in bot.rows("check_ins") if row["address"] == session_id)


def test_widget_reconnects_after_a_server_restart(servers):
    bot, web = servers
    process = scenario("reconnects_after_a_server_restart", web)
    output = []
    for line in process.stdout:
        output.append(line)
        if line.startswith("WAITING_FOR_RESTART"):
            bot.stop_rasa()
        elif line.startswith("SAW_OFFLINE"):
            bot.start_rasa()
    process.wait(timeout=300)
    assert process.returncode == 0, "".join(output)


def test_the_page_and_widget_load_nothing_from_elsewhere(servers):
    _, web = servers
    page = requests.get(web.url, timeout=10)
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert requests.get(web.url + "widget/pacewise-widget.js", timeout=10).ok
    client = requests.get(web.url + "vendor/socket.io.min.js", timeout=10)
    assert client.ok and "io" in client.text


@pytest.fixture
def fake_rasa(tmp_path) -> Iterator[tuple[WebServer, Path]]:
    """The widget served against tests/web/fake_rasa_socketio.py, which asks for a pain score."""
    port, record = free_port(), tmp_path / "received.jsonl"
    log = open(tmp_path / "fake.log", "wb")  # noqa: SIM115 - closed with the process
    fake = subprocess.Popen([sys.executable, "tests/web/fake_rasa_socketio.py", str(port), str(record)], cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    web = None
    try:
        web = WebServer(tmp_path, f"http://localhost:{port}")
        yield web, record
    finally:
        if web is not None:
            web.stop()
        stop(fake)


def test_the_pain_scale_appears_when_the_bot_asks_for_a_score(fake_rasa):
    web, record = fake_rasa
    run_scenario("pain_scale", web)
    sent = [json.loads(line)["message"] for line in record.read_text().splitlines()]
    assert sent[-1] == "7"


def test_the_widget_renders_the_markdown_subset_as_its_table_says(fake_rasa):
    """Every case of tests/markdown_subset.json, sent as a bot message, becomes the HTML in its widget column
    (the messaging channels are held to the same table by tests/channels/test_markdown_subset.py)."""
    web, _ = fake_rasa
    run_scenario("markdown_table", web)
