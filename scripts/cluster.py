"""`make cluster`: Pacewise as several Rasa servers and action servers on
PostgreSQL and Redis, behind nginx, all on this machine's loopback.

    python scripts/cluster.py [--replicas 2] [--port 8080]

Every part is a standard one from Debian's packages (postgresql, redis-server,
nginx; `make cluster` installs what is missing):

- PostgreSQL keeps the conversations (Rasa's tracker store) and Pacewise's own
  tables, in two databases. Pacewise's schema is prepared once even when the
  action servers start together (pacewise/storage/migrations.py).
- Redis is Rasa's lock store: two messages of one conversation are never
  processed at the same time on different Rasa servers
  (stores/redis_lock_store.py: Rasa's, without its wait-for-ever when a
  server dies while it holds a conversation).
- nginx is the only port a browser or a messaging provider reaches: webhooks,
  REST and the HTTP API round-robin over the Rasa servers, Socket.IO sticks to
  one server per client address (with the WebSocket upgrade), and the widget's
  pages come from the web server behind it. The Rasa servers reach the action
  servers through a second, loopback-only nginx port, so a dead action server
  is passed over too.

Secrets come from the environment (PACEWISE_API_TOKEN, PACEWISE_ACTION_SECRET,
PACEWISE_SESSION_SECRET, PACEWISE_PSEUDONYM_SECRET, PACEWISE_POSTGRES_PASSWORD,
PACEWISE_REDIS_PASSWORD) or are generated once into var/cluster/, readable by
this user only. PACEWISE_POSTGRES_HOST / PACEWISE_REDIS_HOST point at servers
that run elsewhere instead of starting local ones. Nothing is shared between
the servers but the databases: content is read from PACEWISE_CONTENT_DIR (a
mounted volume in production), exports live in the database.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from actions.server import SECRET_HEADER  # noqa: E402 - the header the action server checks
from scripts.processes import as_postgres_user, free_port, postgres_binaries, wait_until_listening, wait_until_up  # noqa: E402

PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
RASA = REPO_ROOT / ".venv" / "bin" / "rasa"
MODEL = REPO_ROOT / "models" / "pacewise.tar.gz"
TRACKER_DATABASE = "tracker"
PACEWISE_DATABASE = "pacewise"


@dataclass
class Ports:
    public: int = 8080
    rasa: list[int] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)
    actions_balancer: int = field(default_factory=free_port)
    web: int = field(default_factory=free_port)
    postgres: int = field(default_factory=free_port)
    redis: int = field(default_factory=free_port)


@dataclass
class Cluster:
    """The whole profile: start() brings it up, stop() takes it down; each server can be killed and restarted."""

    workdir: Path
    replicas: int = 2
    public_port: int = 8080
    model: Path = MODEL
    postgres_data: Path | None = None  # default: workdir/postgres, or postgres's home as root
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.workdir = self.workdir.resolve()
        self.ports = Ports(public=self.public_port, rasa=[free_port() for _ in range(self.replicas)], actions=[free_port() for _ in range(self.replicas)])
        self.logs = self.workdir / "log"
        self.env: dict[str, str] = {}
        self._stop_postgres: list[str] | None = None  # set when this profile started its own PostgreSQL

    # -- settings ----------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports.public}"

    def _secret(self, name: str, file: str) -> str:
        """The variable from the environment, else generated once into the work folder (owner only)."""
        if os.environ.get(name):
            return os.environ[name]
        path = self.workdir / file
        if not path.exists():
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
        return path.read_text().strip()

    def _settings(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.logs.mkdir(exist_ok=True, mode=0o700)
        self.api_token = self._secret("PACEWISE_API_TOKEN", "api.token")
        self.action_secret = self._secret("PACEWISE_ACTION_SECRET", "action.secret")
        self.postgres_password = self._secret("PACEWISE_POSTGRES_PASSWORD", "postgres.secret")
        self.redis_password = self._secret("PACEWISE_REDIS_PASSWORD", "redis.secret")
        self.postgres_host = os.environ.get("PACEWISE_POSTGRES_HOST", "127.0.0.1")
        self.postgres_port = int(os.environ.get("PACEWISE_POSTGRES_PORT", self.ports.postgres))
        self.redis_host = os.environ.get("PACEWISE_REDIS_HOST", "127.0.0.1")
        self.redis_port = int(os.environ.get("PACEWISE_REDIS_PORT", self.ports.redis))
        self.env = {
            **os.environ,
            "PACEWISE_API_TOKEN": self.api_token,
            "PACEWISE_ACTION_SECRET": self.action_secret,
            "PACEWISE_SESSION_SECRET": self._secret("PACEWISE_SESSION_SECRET", "session.secret"),
            "PACEWISE_PSEUDONYM_SECRET": self._secret("PACEWISE_PSEUDONYM_SECRET", "pseudonym.secret"),
            "PACEWISE_DATABASE_URL": self.database_url(PACEWISE_DATABASE),
            "PACEWISE_PUBLIC_URL": os.environ.get("PACEWISE_PUBLIC_URL", f"http://localhost:{self.ports.public}"),
            "RASA_TELEMETRY_ENABLED": "false",
            # A Rasa server killed while it handles a message holds that conversation's lock until its
            # ticket expires (stores/redis_lock_store.py): the patient's next message waits that long.
            # Rasa's default is 60 s; a message takes well under a second here, so 15 s is ample.
            "TICKET_LOCK_LIFETIME": os.environ.get("TICKET_LOCK_LIFETIME", "15"),
            # Every action server runs the check-in scheduler (each check-in is claimed in PostgreSQL
            # first, so it goes out once) and starts check-ins through nginx, like any API client.
            "PACEWISE_RASA_URL": f"http://127.0.0.1:{self.ports.public}",
        }

    def database_url(self, database: str) -> str:
        return f"postgresql://pacewise:{self.postgres_password}@{self.postgres_host}:{self.postgres_port}/{database}"

    def endpoints(self) -> dict:
        """The Rasa servers' endpoints: actions through nginx, PostgreSQL tracker store, Redis lock store."""
        config = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
        store = {key: value for key, value in (config.get("tracker_store") or {}).items() if key not in ("dialect", "db")}
        store.update(
            dialect="postgresql",
            url=self.postgres_host,
            port=self.postgres_port,
            db=TRACKER_DATABASE,
            username="pacewise",
            password=self.postgres_password,
        )
        return {
            "action_endpoint": {"url": f"http://127.0.0.1:{self.ports.actions_balancer}/webhook", "headers": {SECRET_HEADER: self.action_secret}},
            "tracker_store": store,
            "lock_store": {
                "type": "stores.redis_lock_store.HeartbeatRedisLockStore",
                "url": self.redis_host,
                "port": self.redis_port,
                "password": self.redis_password,
                "db": 1,
                "key_prefix": "pacewise",
            },
        }

    def _write_private(self, name: str, text: str) -> Path:
        path = self.workdir / name
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def nginx_config(self) -> str:
        rasa = "".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n" for port in self.ports.rasa)
        actions = "".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n" for port in self.ports.actions)
        nginx = self.workdir / "nginx"
        return f"""# Generated by scripts/cluster.py. The only public port is {self.ports.public}.
worker_processes 1;
pid {nginx}/nginx.pid;
error_log {self.logs}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    # Which server answered each request: method, path (no query string: it may hold the API token), status.
    log_format upstream '$request_method $uri $status $upstream_addr';
    access_log {self.logs}/nginx-access.log upstream;
    client_body_temp_path {nginx}/body;
    proxy_temp_path {nginx}/proxy;
    fastcgi_temp_path {nginx}/fastcgi;
    uwsgi_temp_path {nginx}/uwsgi;
    scgi_temp_path {nginx}/scgi;
    client_max_body_size 1m;
    server_tokens off;
    # Nothing is written to disk: nginx's workers cannot read this user's private folders, and
    # bodies hold patient messages. Requests and replies are streamed, not buffered in files.
    client_body_buffer_size 1m;
    proxy_request_buffering off;
    proxy_buffering off;
    proxy_max_temp_file_size 0;
    upstream rasa {{
{rasa}        keepalive 32;
    }}
    # Socket.IO keeps state in the server it first reached: one client address, one server.
    upstream rasa_sticky {{
        ip_hash;
{rasa}    }}
    upstream actions {{
{actions}        keepalive 16;
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        '' '';
    }}
    server {{
        listen 127.0.0.1:{self.ports.public};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_read_timeout 60s;
        # A server that refuses the connection is passed over; a request already sent is never sent twice.
        proxy_next_upstream error timeout http_502 http_503;
        location /socket.io/ {{
            proxy_pass http://rasa_sticky;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
        location ~ ^/(webhooks|conversations|status|version)(/|$) {{
            proxy_set_header Connection "";
            proxy_pass http://rasa;
            # A server that dies while it handles a message: the patient gets the bot's own apology
            # (as REST messages), never nginx's error page; a messaging provider sees 503 and retries.
            error_page 502 503 504 = @apology;
        }}
        location @apology {{
            default_type application/json;
            return 503 '{self._apology_json()}';
        }}
        location / {{
            proxy_pass http://127.0.0.1:{self.ports.web};
        }}
    }}
    server {{
        listen 127.0.0.1:{self.ports.actions_balancer};
        # A long conversation's tracker goes to the action server with each action.
        client_max_body_size 50m;
        location / {{
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error timeout http_502 http_503;
            proxy_pass http://actions;
        }}
    }}
}}
"""

    @staticmethod
    def _apology_json() -> str:
        """The bot's apology as a REST reply, quoted for nginx's configuration."""
        from channels.replies_guard import sorry_text

        body = json.dumps([{"recipient_id": "", "text": sorry_text()}])
        return body.replace("\\", "\\\\").replace("'", "\\'")

    # -- the services ----------------------------------------------------------

    def _postgres_data(self) -> Path:
        if self.postgres_data is not None:
            return self.postgres_data
        if os.geteuid() == 0:
            # As root the server runs as `postgres`, which cannot enter this user's private folders.
            return Path("/var/lib/postgresql") / f"pacewise-cluster-{hashlib.sha256(str(self.workdir).encode()).hexdigest()[:12]}"
        return self.workdir / "postgres"

    def start_postgres(self) -> None:
        if "PACEWISE_POSTGRES_HOST" in os.environ:
            return  # a server elsewhere
        binaries = postgres_binaries()
        data = self._postgres_data()
        fresh = not (data / "PG_VERSION").exists()
        if fresh:
            data.mkdir(parents=True, exist_ok=True, mode=0o700)
            if os.geteuid() == 0:
                shutil.chown(data, "postgres", "postgres")
            password_file = data.parent / f".{data.name}.pw"
            password_file.write_text(self.postgres_password)
            if os.geteuid() == 0:
                shutil.chown(password_file, "postgres", "postgres")
            try:
                initdb = [str(binaries / "initdb"), "-D", str(data), "-U", "pacewise", "-A", "scram-sha-256", "--pwfile", str(password_file)]
                subprocess.run(as_postgres_user(initdb), check=True, capture_output=True)
            finally:
                password_file.unlink()
        options = f"-p {self.postgres_port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=200"
        log = data / "server.log"
        start = [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]
        subprocess.run(as_postgres_user(start), check=True, capture_output=True)
        self._stop_postgres = as_postgres_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        env = {**os.environ, "PGPASSWORD": self.postgres_password}
        for database in (TRACKER_DATABASE, PACEWISE_DATABASE):
            exists = subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.postgres_port),
                    "-U",
                    "pacewise",
                    "-d",
                    "postgres",
                    "-tAc",
                    f"SELECT 1 FROM pg_database WHERE datname='{database}'",
                ],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            if exists.stdout.strip() != "1":
                subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(self.postgres_port), "-U", "pacewise", database], env=env, check=True)

    def start_redis(self) -> None:
        if "PACEWISE_REDIS_HOST" in os.environ:
            return
        config = self._write_private(
            "redis.conf",
            f'bind 127.0.0.1\nport {self.redis_port}\nrequirepass {self.redis_password}\nsave ""\nappendonly no\ndir {self.workdir}\nprotected-mode yes\n',
        )
        self._spawn("redis", ["redis-server", str(config)])
        self._wait_for_port(self.redis_port, "redis")

    def start_actions(self, index: int) -> None:
        self._spawn_actions(index)
        self._wait_for_actions(index)

    def _spawn_actions(self, index: int) -> None:
        self._spawn(f"actions-{index}", [str(PYTHON), "-m", "actions.server", "--port", str(self.ports.actions[index])])

    def _wait_for_actions(self, index: int) -> None:
        self._wait_for(f"http://127.0.0.1:{self.ports.actions[index]}/health", f"actions-{index}")

    def start_rasa(self, index: int) -> None:
        command = [
            str(RASA), "run", "--enable-api", "--auth-token", self.api_token,
            "--cors", f"http://localhost:{self.ports.public}", f"http://127.0.0.1:{self.ports.public}",
            "--interface", "127.0.0.1", "--port", str(self.ports.rasa[index]), "--model", str(self.model),
            "--endpoints", str(self.workdir / "endpoints.yml"), "--credentials", str(self.workdir / "credentials.yml"),
        ]  # fmt: skip
        self._spawn(f"rasa-{index}", command)
        self._wait_for(f"http://127.0.0.1:{self.ports.rasa[index]}/status?token={self.api_token}", f"rasa-{index}")

    def start(self) -> Cluster:
        if not self.model.exists():
            raise RuntimeError(f"{self.model} is missing: run `make train` first.")
        self._settings()
        (self.workdir / "nginx").mkdir(exist_ok=True, mode=0o700)
        self._write_private("endpoints.yml", "# Generated by scripts/cluster.py. Holds secrets.\n" + yaml.safe_dump(self.endpoints(), sort_keys=False))
        subprocess.run(
            [str(PYTHON), "-m", "pacewise.cli.channel_credentials", str(self.workdir / "credentials.yml")], env=self.env, check=True, capture_output=True
        )
        self._write_private("nginx.conf", self.nginx_config())
        try:
            self.start_postgres()
            self.start_redis()
            for index in range(self.replicas):  # all at once: the schema is prepared once under a lock
                self._spawn_actions(index)
            for index in range(self.replicas):
                self._wait_for_actions(index)
            for index in range(self.replicas):
                self.start_rasa(index)
            web = [
                str(PYTHON),
                str(REPO_ROOT / "scripts" / "serve_web.py"),
                "--port",
                str(self.ports.web),
                "--rasa-url",
                f"http://localhost:{self.ports.public}",
            ]
            self._spawn("web", web)
            self._wait_for_port(self.ports.web, "web")
            self._spawn("nginx", ["nginx", "-c", str(self.workdir / "nginx.conf"), "-p", str(self.workdir / "nginx"), "-g", "daemon off;"])
            self._wait_for(f"{self.url}/status?token={self.api_token}", "nginx")
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self, name: str) -> None:
        """SIGKILL one server (rasa-0, actions-1, redis ...): nothing is finished or saved."""
        process = self.processes.pop(name)
        process.kill()
        process.wait(timeout=30)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
        if self._stop_postgres:
            subprocess.run(self._stop_postgres, capture_output=True)
            self._stop_postgres = None

    # -- helpers -------------------------------------------------------------------

    def upstreams(self) -> list[str]:
        """The upstream address of each request nginx passed on so far (from its access log)."""
        log = self.logs / "nginx-access.log"
        return [line.split()[-1] for line in log.read_text().splitlines()] if log.exists() else []

    def _spawn(self, name: str, command: list[str]) -> None:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def _check_alive(self, name: str) -> None:
        process = self.processes.get(name)
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{name} exited at start:\n{self.log_tail(name)}")

    def log_tail(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def _wait_for(self, url: str, name: str) -> None:
        wait_until_up(url, lambda: self._check_alive(name), lambda: self.log_tail(name))

    def _wait_for_port(self, port: int, name: str) -> None:
        wait_until_listening(port, lambda: self._check_alive(name), lambda: self.log_tail(name), timeout_s=30)


def _stop_on_sigterm(*_: object) -> None:
    raise KeyboardInterrupt  # stop everything, as Ctrl-C does


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("PACEWISE_REPLICAS", 2)), help="Rasa servers and action servers (each)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8080)), help="nginx's port, the only one to talk to")
    args = parser.parse_args()
    cluster = Cluster(REPO_ROOT / os.environ.get("PACEWISE_VAR_DIR", "var") / "cluster", replicas=args.replicas, public_port=args.port)
    print(f"[pacewise] Starting PostgreSQL, Redis, {args.replicas} action servers, {args.replicas} Rasa servers and nginx (logs: {cluster.logs})", flush=True)
    cluster.start()
    print(
        f"""
  Pacewise (cluster) is ready: everything goes through nginx at {cluster.url}
    Chat in your browser:  http://localhost:{args.port}/
    REST:                  curl -s {cluster.url}/webhooks/rest/webhook -H 'Content-Type: application/json' -d '{{"sender": "me", "message": "hello"}}'
    HTTP API token:        PACEWISE_API_TOKEN, or {cluster.workdir / "api.token"}
  Press Ctrl-C to stop everything.
""",
        flush=True,
    )
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        while all(process.poll() is None for process in cluster.processes.values()):
            time.sleep(1)
        stopped = [name for name, process in cluster.processes.items() if process.poll() is not None]
        print(f"[pacewise] {', '.join(stopped)} stopped; stopping the rest. Last lines:\n{cluster.log_tail(stopped[0])}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
