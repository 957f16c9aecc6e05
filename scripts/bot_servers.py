"""Start the real action server and Rasa server as processes: for the end-to-end tests and `make bench`.

Pacewise is started as `make run` starts it (scripts/run.sh): the action server
through actions/server.py on loopback with a shared secret that the Rasa
server sends, the Rasa server on loopback with an API token, CORS limited to
one origin, and a signing secret for widget sessions.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import requests

from scripts.processes import free_port, wait_until_up

REPO_ROOT = Path(__file__).resolve().parents[1]
MODEL = REPO_ROOT / "models" / "pacewise.tar.gz"
RASA = REPO_ROOT / ".venv" / "bin" / "rasa"


@dataclass
class BotServers:
    """An action server and a Rasa server with their own content copy and SQLite tracker store.

    By default this is Pacewise itself; the benchmark also points it at another
    Rasa project (a stock `rasa init` bot) to compare like with like.
    """

    workdir: Path
    project: Path = REPO_ROOT
    model: Path = MODEL
    credentials: Path | None = None  # default: the project's credentials.yml
    extra_env: dict[str, str] = field(default_factory=dict)
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)
    api_token: str = "e2e-api-token-0123456789abcdef0123456789"
    action_secret: str = "e2e-action-secret-0123456789abcdef01234567"
    allowed_origin: str = "http://127.0.0.1:8080"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def content_dir(self) -> Path:
        return self.workdir / "content"

    @property
    def database(self) -> Path:
        """The action server's SQLite database (safety events and, later, diaries)."""
        return self.workdir / "pacewise.db"

    def start(self) -> BotServers:
        if not self.model.exists():
            raise RuntimeError(f"{self.model} is missing: run `make train` (make test does it) first.")
        if (self.project / "content").is_dir():
            shutil.copytree(self.project / "content", self.content_dir)
        endpoints = self.workdir / "endpoints.yml"
        # Pacewise's own tracker store (it can erase a conversation); Rasa's for another project.
        store = "stores.erasable_tracker_store.ErasableSQLTrackerStore" if self.project == REPO_ROOT else "SQL"
        pacewise = self.project == REPO_ROOT
        secret_header = f'  headers:\n    X-Pacewise-Action-Secret: "{self.action_secret}"\n' if pacewise else ""
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n{secret_header}'
            f'tracker_store:\n  type: {store}\n  dialect: "sqlite"\n  db: "{self.workdir / "tracker.db"}"\n'
        )
        env = {
            **os.environ,
            "PACEWISE_CONTENT_DIR": str(self.content_dir),
            "PACEWISE_DATABASE_URL": f"sqlite:///{self.database}",
            "PACEWISE_PSEUDONYM_SECRET": "e2e-test-secret",
            "PACEWISE_PUBLIC_URL": self.url,
            "PACEWISE_ACTION_SECRET": self.action_secret,
            "PACEWISE_SESSION_SECRET": "e2e-session-secret",
            "PACEWISE_API_TOKEN": self.api_token,
            "RASA_TELEMETRY_ENABLED": "false",
            # Check-ins start through this Rasa server; tests make them fall due with
            # `python -m pacewise.cli.check_ins --once --now ...` rather than the clock.
            "PACEWISE_RASA_URL": self.url,
            "PACEWISE_CHECK_IN_INTERVAL": "0",
            **self.extra_env,
        }
        self._env = env
        self._rasa_command = [
            str(RASA), "run", "--enable-api", "--auth-token", self.api_token, "--cors", self.allowed_origin,
            "--interface", "127.0.0.1", "--port", str(self.rasa_port), "--model", str(self.model),
            "--endpoints", str(endpoints), "--credentials", str(self.credentials or self.project / "credentials.yml"),
        ]  # fmt: skip
        if pacewise:
            action_command = [str(REPO_ROOT / ".venv" / "bin" / "python"), "-m", "actions.server", "--port", str(self.action_port)]
        else:
            action_command = [str(RASA), "run", "actions", "--port", str(self.action_port)]
        self._action_command = action_command
        self._spawn("actions", action_command, env)
        self._spawn("rasa", self._rasa_command, env)
        self._wait_until_up(f"http://127.0.0.1:{self.action_port}/health")
        self._wait_until_up(f"{self.url}/status?token={self.api_token}")
        return self

    def stop_rasa(self) -> None:
        """Stop only the Rasa server (the action server keeps running)."""
        rasa = self.processes.pop()
        rasa.terminate()
        rasa.wait(timeout=30)

    def stop_actions(self, kill: bool = False) -> None:
        """Stop only the action server (it is the first process)."""
        actions = self.processes[0]
        actions.kill() if kill else actions.terminate()
        actions.wait(timeout=30)

    def start_actions(self) -> None:
        log = open(self.workdir / "actions.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[0] = subprocess.Popen(self._action_command, cwd=self.project, env=self._env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_up(f"http://127.0.0.1:{self.action_port}/health")

    def kill_rasa(self) -> None:
        """Kill the Rasa server at once (SIGKILL: nothing is finished or saved)."""
        rasa = self.processes.pop()
        rasa.kill()
        rasa.wait(timeout=30)

    def start_rasa(self) -> None:
        self._spawn("rasa", self._rasa_command, self._env)
        self._wait_until_up(f"{self.url}/status?token={self.api_token}")

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes.append(subprocess.Popen(command, cwd=self.project, env=env, stdout=log, stderr=subprocess.STDOUT))

    def _wait_until_up(self, url: str) -> None:
        wait_until_up(url, self._check_alive, self.logs)

    def _check_alive(self) -> None:
        for process in self.processes:
            if process.poll() is not None and process.returncode not in (-9, -15):
                raise RuntimeError(f"A server exited early:\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}" for path in self.workdir.glob("*.log"))

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    # -- talking to the bot -------------------------------------------------

    def send(self, sender: str, message: str) -> list[dict]:
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60)
        assert response.status_code == 200, f"{response.status_code}: {response.text[:500]}"
        return response.json()

    def tracker(self, sender: str) -> dict:
        response = requests.get(f"{self.url}/conversations/{sender}/tracker", headers={"Authorization": f"Bearer {self.api_token}"}, timeout=30)
        response.raise_for_status()
        return response.json()

    def slot(self, sender: str, name: str):
        return self.tracker(sender)["slots"].get(name)

    def rows(self, table: str) -> list[dict]:
        """Rows of a table in the action server's database, oldest first."""
        if not self.database.exists():
            return []
        with sqlite3.connect(self.database) as connection:
            connection.row_factory = sqlite3.Row
            return [dict(row) for row in connection.execute(f"SELECT * FROM {table} ORDER BY rowid")]

    def safety_events(self) -> list[dict]:
        return self.rows("safety_events")
