#!/usr/bin/env bash
# The edit-run loop (make check): lint, format, types, import contracts and the fast tests on
# SQLite, in parallel. Leaves out what `make test` adds: the real-browser, real-data, esda and
# slow tests, the Django deploy checks and the PostgreSQL run. Extra arguments go to pytest,
# e.g. `scripts/check.sh tests/panels` or `scripts/check.sh -k referral`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export DJANGO_SETTINGS_MODULE=csphub.settings
unset DATABASE_URL CSPHUB_ENV || true
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "ruff (lint and format)"
ruff check .
ruff format --check .

say "mypy"
mypy

say "import contracts (lint-imports)"
lint-imports --no-logo

say "migrations match the models"
csphub makemigrations --check --dry-run >/dev/null || { echo "Model changes without a migration: run 'csphub makemigrations'"; exit 1; }

say "fast tests on SQLite (not browser, realdata, esda or slow)"
python -m pytest -p no:cacheprovider -q -n "${CHECK_WORKERS:-auto}" \
  -m "not browser and not realdata and not esda and not slow and not pg_only" "$@"
