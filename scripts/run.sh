#!/usr/bin/env bash
# Install everything and serve dagsim at http://127.0.0.1:8000/ (README.md, "Quick start").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bash scripts/serve.sh
