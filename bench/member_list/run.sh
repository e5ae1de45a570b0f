#!/usr/bin/env bash
# Member-list benchmark: PostgreSQL, 1,000 associations / 1,000,000 people, gunicorn,
# a concurrent load on /a/bench-big/members/ and the number of queries per page.
#
#   bench/member_list/run.sh                 # everything with the defaults below
#   CONCURRENCY=20 DURATION=60 bench/member_list/run.sh
#
# Everything stays on 127.0.0.1. Environment knobs (defaults):
#   DATABASE_URL  postgres://postgres@127.0.0.1:5432/maillon_bench (created if missing)
#   ASSOCIATIONS=1000 PEOPLE=1000000 BIG=100000   data set (seeded once, then reused)
#   WORKERS=4 THREADS=1                           gunicorn processes / threads per process
#   PORT=8931 CONCURRENCY=10 DURATION=30 WARMUP=5 load
#   RESULTS=<file.json>                           also write load.py's figures there
set -euo pipefail

cd "$(dirname "$0")/../.."
HERE=bench/member_list
PYTHON=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maillon_bench}
export MAILLON_DEBUG=0
export SECRET_KEY=${SECRET_KEY:-bench-only-secret-key-not-for-production}
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0
export MAILLON_VAR_DIR=${MAILLON_VAR_DIR:-${TMPDIR:-/tmp}/maillon-bench-var}
export LOG_LEVEL=${LOG_LEVEL:-ERROR}

ASSOCIATIONS=${ASSOCIATIONS:-1000}
PEOPLE=${PEOPLE:-1000000}
BIG=${BIG:-100000}
WORKERS=${WORKERS:-4}
THREADS=${THREADS:-1}
PORT=${PORT:-8931}
CONCURRENCY=${CONCURRENCY:-10}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-5}

step() { printf '\n== %s\n' "$*"; }

step "machine"
date -u '+%Y-%m-%d %H:%M UTC'
printf '%s, %s cores, %s RAM, load average %s\n' \
  "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" "$(nproc)" \
  "$(free -h | awk '/^Mem:/ {print $2}')" "$(cut -d' ' -f1-3 /proc/loadavg)"

step "database"
"$PYTHON" "$HERE/queries.py" ensure-db
"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py collectstatic --noinput -v0

step "data set ($ASSOCIATIONS associations, $PEOPLE people, $BIG in bench-big)"
"$PYTHON" manage.py seed_scale --skip-existing \
  --associations "$ASSOCIATIONS" --people "$PEOPLE" --big-association-people "$BIG"

step "queries per page (in-process, test client)"
"$PYTHON" "$HERE/queries.py" count

if "$PYTHON" -c "import socket, sys; s = socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $PORT)) != 0)"; then
  echo "port $PORT is already in use: set PORT" >&2
  exit 1
fi

step "gunicorn: $WORKERS workers x $THREADS threads on 127.0.0.1:$PORT"
worker_class=sync
[ "$THREADS" -gt 1 ] && worker_class=gthread
"$GUNICORN" maillon.wsgi:application --bind "127.0.0.1:$PORT" \
  --workers "$WORKERS" --threads "$THREADS" --worker-class "$worker_class" \
  --timeout 60 --log-level warning &
gunicorn_pid=$!
stop_gunicorn() {
  if kill -0 "$gunicorn_pid" 2>/dev/null; then
    kill -TERM "$gunicorn_pid"
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
}
trap stop_gunicorn EXIT

step "load: $CONCURRENCY clients, ${DURATION}s"
db_name=${DATABASE_URL##*/}
last_page=$("$PYTHON" "$HERE/queries.py" last-page)
"$PYTHON" "$HERE/load.py" --base "http://127.0.0.1:$PORT" --concurrency "$CONCURRENCY" \
  --duration "$DURATION" --warmup "$WARMUP" --server-pid "$gunicorn_pid" --db-name "${db_name%%\?*}" \
  --last-page "$last_page" \
  ${RESULTS:+--json "$RESULTS"}

step "done"
