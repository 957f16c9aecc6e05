#!/usr/bin/env bash
# `make test`: the whole test suite, as CI runs it (.ci/run calls this).
# Sets up what is missing and trains the model when the data changed, then runs
# the linter and pytest (unit tests, content checks, Rasa data validation,
# test stories, end-to-end conversations with the real servers, the widget
# in a real browser, storage against a real PostgreSQL server, the cluster
# profile on PostgreSQL, Redis and nginx).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

scripts/setup.sh
# The browser tests drive Debian's Chromium (headless) with playwright-core;
# the storage tests start a real PostgreSQL server.
command -v chromium >/dev/null 2>&1 || apt_install chromium "the browser tests"
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || apt_install postgresql "the storage tests"
# The cluster test runs Redis (Rasa's lock store) and nginx in front of two servers.
command -v redis-server >/dev/null 2>&1 || apt_install redis-server "the cluster tests"
command -v nginx >/dev/null 2>&1 || apt_install nginx "the cluster tests"
# Train on the committed training data, as it is: a test checks that it
# matches the content files (it must not be regenerated before that check).
scripts/train.sh

say "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
say "pytest"
exec .venv/bin/python -m pytest "$@"
