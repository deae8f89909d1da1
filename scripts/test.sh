#!/usr/bin/env bash
# The whole check: lint, format, types, import layers, Django checks, then the test suite on
# SQLite and again on PostgreSQL when one is reachable (required under CI=true). Exits non-zero
# on any failure, and on a run that collected no tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export DJANGO_SETTINGS_MODULE=csphub.settings
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# The PostgreSQL run's server: TEST_DATABASE_URL, else DATABASE_URL when it names PostgreSQL, else
# the local server. pytest-django creates (and drops) its own test_<name> database there, so the
# named database itself is never written to.
postgres_test_url() {
  if [ -n "${TEST_DATABASE_URL:-}" ]; then
    echo "$TEST_DATABASE_URL"
  else
    case "${DATABASE_URL:-}" in
      postgres://* | postgresql://*) echo "$DATABASE_URL" ;;
      *) echo "postgres://postgres@127.0.0.1:5432/postgres" ;;
    esac
  fi
}
pg_url=$(postgres_test_url)
pg_shown=$(sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$pg_url")  # the password stays out of the log
# The first run is on SQLite whatever DATABASE_URL says; the PostgreSQL run sets it again.
unset DATABASE_URL CSPHUB_ENV || true

say "ruff (lint and format)"
ruff check .
ruff format --check .

say "mypy"
mypy

say "Import layers (lint-imports: the contracts in pyproject.toml, docs/adr/0010-import-layers.md)"
lint-imports --no-logo

say "Django system checks, migrations and production settings (check --deploy)"
csphub check --fail-level WARNING
csphub makemigrations --check --dry-run >/dev/null || { echo "Model changes without a migration: run 'csphub makemigrations'"; exit 1; }
CSPHUB_ENV=production SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
  AUDIT_CHAIN_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
  ALLOWED_HOSTS=csphub.example.org csphub check --deploy --fail-level WARNING

run_pytest() {  # $1 = label, rest = pytest args; fails on exit 5 (no tests collected)
  local label=$1; shift
  local log; log=$(mktemp)
  set +e
  python -m pytest -p no:cacheprovider "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -ne 0 ]; then
    [ "$rc" -eq 5 ] && echo "No tests were collected on $label."
    echo "Tests FAILED on $label (pytest exit $rc)."; exit 1
  fi
  summary+=("$label: $(grep -E '^=+ .*(passed|failed).* =+$' "$log" | tail -n 1 | tr -d '=' | xargs)")
}
summary=()

# pytest-xdist spreads the tests over the cores (TEST_WORKERS, default auto); each worker has its
# own test database (test_<name>_gw0, ...) and temporary folders. The real-browser tests run in
# one process of their own: each drives a Chromium beside a live server.
workers=${TEST_WORKERS:-auto}
say "Tests on SQLite"
run_pytest "SQLite" -n "$workers" -m "not pg_only and not browser"
say "Real-browser tests on SQLite"
run_pytest "SQLite, real browser" -m "browser and not pg_only"

pg_ready() { python - "$pg_url" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}
if ! pg_ready && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  say "Starting the local PostgreSQL cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  sleep 2
fi
if pg_ready; then
  say "Tests on PostgreSQL ($pg_shown)"
  DATABASE_URL="$pg_url" run_pytest "PostgreSQL" -n "$workers" -m "not browser"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $pg_shown and CI requires it."; exit 1
else
  summary+=("PostgreSQL: not reachable at $pg_shown, skipped")
fi

say "Summary"
printf '  %s\n' "${summary[@]}"
