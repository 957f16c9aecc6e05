#!/usr/bin/env bash
# `make test`: the whole test suite, as CI runs it (.ci/run calls this).
# Sets up what is missing and trains the model when the data changed, then runs
# the linter and pytest (unit tests, content checks, Rasa data validation,
# test stories and end-to-end conversations with the real servers).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

scripts/setup.sh
# Train on the committed training data, as it is: a test checks that it
# matches the content files (it must not be regenerated before that check).
scripts/train.sh

say "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
say "pytest"
exec .venv/bin/python -m pytest "$@"
