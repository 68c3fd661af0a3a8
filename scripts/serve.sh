#!/usr/bin/env bash
# Prepare the database and the local account, then serve dagsim with daphne (HTTP and
# websockets). Assumes scripts/setup.sh has run. HOST and PORT choose where it listens.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
PY="$VENV/bin/python"

"$PY" manage.py migrate --noinput -v 0
if [ "${DEBUG:-1}" = 0 ] || [ "${DEBUG:-1}" = false ]; then
  "$PY" manage.py collectstatic --noinput -v 0
fi
"$PY" manage.py local_account ${DAGSIM_CREDENTIALS_FILE:+--credentials-file "$DAGSIM_CREDENTIALS_FILE"}
echo "dagsim is running at http://$HOST:$PORT/  (Ctrl-C stops it)"
exec "$VENV/bin/daphne" -b "$HOST" -p "$PORT" config.asgi:application
