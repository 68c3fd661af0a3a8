#!/usr/bin/env bash
# Install what dagsim needs on a fresh Debian machine, idempotently:
#   Debian packages (graphviz; with --with-browser also chromium), the Python venv and its
#   requirements, the front end's npm packages and its build into static/dist/.
# Used by scripts/run.sh and scripts/test.sh; safe to run again (it skips what is up to date).
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) WITH_BROWSER=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

VENV="${VENV:-.venv}"
say() { printf '\n==> %s\n' "$*"; }

apt_install() {
  # Root installs directly; otherwise through sudo when there is one.
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "Please install these Debian packages first: $*" >&2; exit 1
    fi
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
command -v dot >/dev/null || missing+=(graphviz)
command -v python3 >/dev/null || missing+=(python3 python3-venv)
if [ -f frontend/package.json ] && ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
if [ "$WITH_BROWSER" = 1 ] && ! command -v chromium >/dev/null; then missing+=(chromium); fi
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

# --- Python: a venv with the pinned requirements (reinstalled only when the file changes).
if [ ! -x "$VENV/bin/python" ]; then
  say "Creating the Python virtual environment in $VENV"
  python3 -m venv "$VENV"
fi
stamp="$VENV/.requirements.sha256"
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "pip install -r requirements.txt"
  # pip's log goes to a file and is shown only if the install fails: it is long and noisy.
  if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade pip &&
         "$VENV/bin/python" -m pip install --disable-pip-version-check -r requirements.txt; } \
       > "$VENV/pip-install.log" 2>&1; then
    cat "$VENV/pip-install.log" >&2
    echo "pip install failed (log above, also in $VENV/pip-install.log)" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi

# --- Front end: npm ci when the lock file changed, then a production build into static/dist/.
if [ -f frontend/package.json ]; then
  npm_stamp="frontend/node_modules/.package-lock.sha256"
  npm_want="$(cat frontend/package.json frontend/package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$npm_stamp" 2>/dev/null)" != "$npm_want" ]; then
    say "npm ci (frontend/)"
    if ! (cd frontend && npm ci --no-audit --no-fund --loglevel=error 2>npm-ci.log); then
      # npm ci refuses a lock file that is out of step with package.json; install from
      # package.json without rewriting the lock file rather than stop here.
      grep -m 3 "npm error" frontend/npm-ci.log >&2 || true
      echo "WARNING: npm ci failed (above); falling back to npm install --no-save" >&2
      (cd frontend && npm install --no-save --no-audit --no-fund --loglevel=error)
    fi
    rm -f frontend/npm-ci.log
    echo "$npm_want" > "$npm_stamp"
  fi
  say "npm run build (frontend/ -> static/dist/)"
  (cd frontend && npm run build --silent)
fi
