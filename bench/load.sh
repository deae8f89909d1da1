#!/usr/bin/env bash
# The load test end to end against an already generated partnership (bench/partnership.py):
# gunicorn on 127.0.0.1:8765, locust at 20 then 50 concurrent users, stopped afterwards.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/csphub_scale bench/load.sh [OUT_DIR] [DURATION]
# Needs the bench dependency group (uv sync --group bench) and the sign-ins file the generator
# wrote (CSPHUB_SIGN_INS, default /tmp/sign-ins.json). Prints locust's table per run and keeps
# its CSV files in OUT_DIR (default /tmp/csphub-load).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/csphub-load}
duration=${2:-2m}
workers=${GUNICORN_WORKERS:-4}
mkdir -p "$out"
: "${DATABASE_URL:?set DATABASE_URL to the database of the generated partnership}"
export CSPHUB_SIGN_INS=${CSPHUB_SIGN_INS:-/tmp/sign-ins.json}
# DEBUG off (it keeps every query in memory); CSPHUB_ENV=production would also demand TLS,
# which a loopback test does not have (docs/performance.md says what differs).
export DEBUG=false
.venv/bin/csphub collectstatic --noinput -v0
.venv/bin/gunicorn csphub.wsgi --bind 127.0.0.1:8765 --workers "$workers" --log-level warning &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -fs -o /dev/null http://127.0.0.1:8765/accounts/sign-in/ && break
  sleep 1
done
for users in 20 50; do
  echo "== $users users, $duration, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  .venv/bin/locust -f bench/locustfile.py --headless --host http://127.0.0.1:8765 \
    -u "$users" -r 10 -t "$duration" --csv "$out/load-$users" --only-summary 2>&1 | tail -n 40
done
echo "== done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
