#!/usr/bin/env bash
# `make run`: set up what is missing, train when the data changed, then start
# the action server, the Rasa server and the widget's web server, and say
# where to talk to the bot.
# Conversations are kept in an embedded SQLite file (var/tracker.db).
#
# Nothing is left open: the servers listen on loopback; the Rasa HTTP API needs
# a token; only the local widget page may call the server from a browser; the
# action server answers only the Rasa server (a shared secret); every file
# written under var/ is readable by this user only. Secrets not given in the
# environment are generated once into var/. PACEWISE_ENV=production refuses to
# start while a setting is unsafe (pacewise/production.py).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
umask 077

RASA_PORT=${RASA_PORT:-5005}
WEB_PORT=${WEB_PORT:-8080}
ACTION_PORT=${ACTION_PORT:-5055}
# Where the Rasa server listens; put a TLS proxy in front rather than opening this.
RASA_INTERFACE=${RASA_INTERFACE:-127.0.0.1}
VAR=${PACEWISE_VAR_DIR:-var}
LOGS=$VAR/log

# Settings and channel secrets from .env, if there is one (see .env.example).
if [ -f .env ]; then
  set -a
  . ./.env
  set +a
fi

scripts/setup.sh
.venv/bin/python -m pacewise.cli.check_production || die "Change the settings above (in .env or the environment), then run make run again."
.venv/bin/python -m pacewise.cli.nlu_export
scripts/train.sh

mkdir -p "$VAR"
VAR=$(cd "$VAR" && pwd)
LOGS=$VAR/log
chmod 700 "$VAR"
chmod 600 "$VAR"/*.db "$VAR"/*.db-* "$VAR"/*.secret "$VAR"/*.token 2>/dev/null || true

# secret NAME FILE: the variable from the environment, else generated once into $VAR/FILE.
secret() {
  if [ -z "${!1:-}" ]; then
    [ -s "$VAR/$2" ] || .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' >"$VAR/$2"
    export "$1=$(cat "$VAR/$2")"
  fi
}
secret PACEWISE_API_TOKEN api.token
secret PACEWISE_ACTION_SECRET action.secret
secret PACEWISE_SESSION_SECRET session.secret
secret PACEWISE_PSEUDONYM_SECRET pseudonym.secret
export PACEWISE_DATABASE_URL=${PACEWISE_DATABASE_URL:-sqlite:///$VAR/pacewise.db}
export PACEWISE_PUBLIC_URL=${PACEWISE_PUBLIC_URL:-http://localhost:$RASA_PORT}
# The action server's check-in scheduler starts check-ins through the Rasa server's API.
export PACEWISE_RASA_URL=${PACEWISE_RASA_URL:-http://127.0.0.1:$RASA_PORT}
# Web pages that may call the Rasa server from a browser: by default only the local widget page.
read -r -a ORIGINS <<<"$(tr ',' ' ' <<<"${PACEWISE_ALLOWED_ORIGINS:-http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT}")"

# The action server's address and secret, and the tracker database, for this start.
ENDPOINTS=$VAR/endpoints.yml
.venv/bin/python scripts/write_endpoints.py "$ENDPOINTS" "$ACTION_PORT" "$VAR"

# REST and Socket.IO always; each messaging channel whose variables are set.
CREDENTIALS=$VAR/credentials.yml
say "Channels"
.venv/bin/python -m pacewise.cli.channel_credentials "$CREDENTIALS"

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$ACTION_PORT" "$RASA_PORT" "$WEB_PORT"; do
  if port_busy "$port"; then
    say "Port $port is already in use (is Pacewise already running?). Stop that program first." >&2
    exit 1
  fi
done

mkdir -p "$LOGS"
pids=()
cleanup() {
  trap - EXIT INT TERM
  echo
  say "Stopping."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

wait_for() { # url, what, log, seconds
  local deadline=$((SECONDS + $4))
  until curl -sf -o /dev/null -H "Authorization: Bearer $PACEWISE_API_TOKEN" "$1"; do
    if [ $SECONDS -ge $deadline ]; then
      say "The $2 did not start within $4 s. Last lines of $3:" >&2
      tail -n 20 "$3" >&2
      exit 1
    fi
    sleep 1
  done
}

say "Starting the action server (log: $LOGS/actions.log)"
.venv/bin/python -m actions.server --port "$ACTION_PORT" >"$LOGS/actions.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$ACTION_PORT/health" "action server" "$LOGS/actions.log" 120

say "Starting the Rasa server (log: $LOGS/rasa.log)"
.venv/bin/rasa run --enable-api --auth-token "$PACEWISE_API_TOKEN" --cors "${ORIGINS[@]}" \
  --interface "$RASA_INTERFACE" --port "$RASA_PORT" --model models/pacewise.tar.gz \
  --endpoints "$ENDPOINTS" --credentials "$CREDENTIALS" >"$LOGS/rasa.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$RASA_PORT/status" "Rasa server" "$LOGS/rasa.log" 300

say "Starting the website widget and demo page (log: $LOGS/web.log)"
.venv/bin/python scripts/serve_web.py --port "$WEB_PORT" --rasa-url "http://localhost:$RASA_PORT" >"$LOGS/web.log" 2>&1 &
pids+=($!)
wait_for "http://localhost:$WEB_PORT/" "widget server" "$LOGS/web.log" 30

if [ -s "$VAR/api.token" ] && [ "$(cat "$VAR/api.token")" = "$PACEWISE_API_TOKEN" ]; then
  TOKEN_SOURCE="generated into $VAR/api.token"
  TOKEN_SHELL="\$(cat $VAR/api.token)"
else
  TOKEN_SOURCE="the value of PACEWISE_API_TOKEN"
  TOKEN_SHELL="\$PACEWISE_API_TOKEN"
fi

cat <<MSG

  Pacewise is ready.

  Chat in your browser (a demo clinic page with the widget):
    http://localhost:$WEB_PORT/
  Add the widget to a clinic's page with one script tag:
    <script src="http://localhost:$WEB_PORT/widget/pacewise-widget.js" data-pacewise-server="http://localhost:$RASA_PORT" defer></script>

  Talk to it over REST:
    curl -s http://localhost:$RASA_PORT/webhooks/rest/webhook \\
      -H 'Content-Type: application/json' -d '{"sender": "me", "message": "why does my back still hurt?"}'
  Chat in a terminal (in another terminal window):
    make chat
  Read a conversation (the HTTP API needs its token, $TOKEN_SOURCE):
    curl -s -H "Authorization: Bearer $TOKEN_SHELL" http://localhost:$RASA_PORT/conversations/me/tracker
    (or add ?token=... to the address)
  Logs:                 $LOGS/rasa.log, $LOGS/actions.log, $LOGS/web.log

  Press Ctrl+C to stop.

MSG
wait -n "${pids[@]}"
say "A server stopped unexpectedly; see $LOGS/." >&2
exit 1
