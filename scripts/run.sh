#!/usr/bin/env bash
# `make run`: set up what is missing, train when the data changed, then start
# the action server, the Rasa server and the widget's web server, and say
# where to talk to the bot.
# Conversations are kept in an embedded SQLite file (var/tracker.db).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

RASA_PORT=${RASA_PORT:-5005}
WEB_PORT=${WEB_PORT:-8080}
ACTION_PORT=5055 # fixed by endpoints.yml
LOGS=var/log

# Settings and channel secrets from .env, if there is one (see .env.example).
if [ -f .env ]; then
  set -a
  . ./.env
  set +a
fi

scripts/setup.sh
.venv/bin/python -m actions.content.nlu_export
scripts/train.sh

# REST and Socket.IO always; each messaging channel whose variables are set.
CREDENTIALS=var/credentials.yml
say "Channels"
.venv/bin/python -m channels.messaging.config "$CREDENTIALS"

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
  until curl -sf -o /dev/null "$1"; do
    if [ $SECONDS -ge $deadline ]; then
      say "The $2 did not start within $4 s. Last lines of $3:" >&2
      tail -n 20 "$3" >&2
      exit 1
    fi
    sleep 1
  done
}

say "Starting the action server (log: $LOGS/actions.log)"
.venv/bin/rasa run actions --port "$ACTION_PORT" >"$LOGS/actions.log" 2>&1 &
pids+=($!)
wait_for "http://localhost:$ACTION_PORT/health" "action server" "$LOGS/actions.log" 120

say "Starting the Rasa server (log: $LOGS/rasa.log)"
.venv/bin/rasa run --enable-api --cors "*" --port "$RASA_PORT" --model models/pacewise.tar.gz \
  --endpoints endpoints.yml --credentials "$CREDENTIALS" >"$LOGS/rasa.log" 2>&1 &
pids+=($!)
wait_for "http://localhost:$RASA_PORT/status" "Rasa server" "$LOGS/rasa.log" 300

say "Starting the website widget and demo page (log: $LOGS/web.log)"
.venv/bin/python scripts/serve_web.py --port "$WEB_PORT" --rasa-url "http://localhost:$RASA_PORT" >"$LOGS/web.log" 2>&1 &
pids+=($!)
wait_for "http://localhost:$WEB_PORT/" "widget server" "$LOGS/web.log" 30

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
  Read a conversation:  http://localhost:$RASA_PORT/conversations/me/tracker
  Logs:                 $LOGS/rasa.log, $LOGS/actions.log, $LOGS/web.log

  Press Ctrl+C to stop.

MSG
wait -n "${pids[@]}"
say "A server stopped unexpectedly; see $LOGS/." >&2
exit 1
