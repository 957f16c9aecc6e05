#!/usr/bin/env bash
# `make cluster`: install what is missing (PostgreSQL, Redis and nginx from
# Debian's packages), train if the data changed, then start the cluster profile
# (scripts/cluster.py: 2 Rasa servers and 2 action servers behind nginx).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
umask 077

if [ -f .env ]; then
  set -a
  . ./.env
  set +a
fi

scripts/setup.sh
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || [ -n "${PACEWISE_POSTGRES_HOST:-}" ] || apt_install postgresql "the cluster"
command -v redis-server >/dev/null 2>&1 || [ -n "${PACEWISE_REDIS_HOST:-}" ] || apt_install redis-server "the cluster"
command -v nginx >/dev/null 2>&1 || apt_install nginx "the cluster"
.venv/bin/python -m pacewise.cli.check_production || die "Change the settings above (in .env or the environment), then run make cluster again."
.venv/bin/python -m pacewise.cli.nlu_export
scripts/train.sh
exec .venv/bin/python scripts/cluster.py "$@"
