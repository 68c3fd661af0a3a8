#!/usr/bin/env bash
# Install everything and run the whole test suite (README.md, "Tests"); CI runs this.
#   1. pytest over tests/ on SQLite (engine, web app, server, browser tests);
#   2. the front end's unit tests (vitest), when frontend/ exists;
#   3. tests/editor again on the local PostgreSQL (and Redis), when they are reachable.
# PYTEST_ARGS adds pytest options, e.g. PYTEST_ARGS="-x -k runs".
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --with-browser

VENV="${VENV:-.venv}"
PY="$VENV/bin/python"
PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/dagsim}"
REDIS="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"

run_pytest() {
  # pytest exits 5 when it collected no tests; that must fail the run, not pass quietly.
  local rc=0
  "$PY" -m pytest -p no:cacheprovider --timeout=600 "$@" ${PYTEST_ARGS:-} || rc=$?
  if [ "$rc" = 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi
  if [ "$rc" != 0 ]; then exit "$rc"; fi
}

echo; echo "==> pytest (SQLite)"
run_pytest tests

if [ -f frontend/package.json ]; then
  echo; echo "==> npm test (frontend/)"
  (cd frontend && npm test --silent)
fi

reachable() { "$PY" - "$1" <<'PY'
import sys
url = sys.argv[1]
try:
    if url.startswith("redis"):
        import redis
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    else:
        import psycopg
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}

if reachable "$PG_URL"; then
  (
    export DATABASE_URL="$PG_URL"
    note=""
    if reachable "$REDIS"; then
      # Redis carries the channel layer and the cache; live runs stay on the in-process
      # executor here (the Celery path is tested with its own worker).
      export REDIS_URL="$REDIS" RUN_EXECUTOR=inprocess
      note=" and Redis"
    fi
    echo; echo "==> pytest tests/editor (PostgreSQL$note)"
    run_pytest tests/editor
  )
else
  echo; echo "==> PostgreSQL not reachable at $PG_URL: skipping the PostgreSQL pass"
fi
echo; echo "All tests passed."
