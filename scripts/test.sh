#!/usr/bin/env bash
# `make test`: the whole test suite, as CI runs it (.ci/run calls this).
# Sets up what is missing and trains the model when the data changed, then runs
# the linter and pytest (unit tests, content checks, Rasa data validation,
# test stories, end-to-end conversations with the real servers and the widget
# in a real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

scripts/setup.sh
# The browser tests drive Debian's Chromium (headless) with playwright-core.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing Chromium from Debian's packages for the browser tests"
    { apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; } >/dev/null 2>&1 ||
      die "Could not install Chromium (apt-get install chromium)."
  else
    die "The browser tests need Chromium: sudo apt-get install chromium"
  fi
fi
# Train on the committed training data, as it is: a test checks that it
# matches the content files (it must not be regenerated before that check).
scripts/train.sh

say "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
say "pytest"
exec .venv/bin/python -m pytest "$@"
