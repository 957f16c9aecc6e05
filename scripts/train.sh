#!/usr/bin/env bash
# Trains models/pacewise.tar.gz only when the training inputs changed since the
# last training (config, domain, data/, the installed dependency lock).
# Pass --force to train regardless.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

MODEL=models/pacewise.tar.gz
STAMP=models/.fingerprint

fingerprint() {
  { sha256sum config.yml domain.yml requirements.lock; find data -type f -name '*.yml' | LC_ALL=C sort | xargs sha256sum; } | sha256sum | cut -d' ' -f1
}

current=$(fingerprint)
if [ "${1:-}" != "--force" ] && [ -f "$MODEL" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$current" ]; then
  say "Model up to date ($MODEL)"
  exit 0
fi

say "Training data changed: training $MODEL (takes a few minutes)"
.venv/bin/rasa train --fixed-model-name pacewise --out models --quiet
echo "$current" > "$STAMP"
