#!/usr/bin/env bash
# Public mission search benchmark: PostgreSQL with 1,000,000 people and 100,000 missions,
# gunicorn, 50 concurrent anonymous visitors searching /missions/ from load.py (another
# process), and the number of queries per page at 10,000 and 100,000 missions.
#
#   bench/mission_search/run.sh                      # everything with the defaults below
#   MODES=think RUNS=3 bench/mission_search/run.sh   # only the think-time run, 3 times
#
# Everything stays on 127.0.0.1. Environment knobs (defaults):
#   DATABASE_URL        postgres://postgres@127.0.0.1:5432/maillon_bench (created if missing)
#   SMALL_DATABASE_URL  postgres://postgres@127.0.0.1:5432/maillon_bench_small (10,000 missions)
#   ASSOCIATIONS=1000 PEOPLE=1000000 BIG=100000 MISSIONS=100000   data set (seeded once, reused)
#   WORKERS=4 THREADS=1                 gunicorn processes / threads per process
#   PORT=8941 CONCURRENCY=50 DURATION=30 WARMUP=5
#   MODES="closed think"                closed: no think time; think: THINK ± JITTER seconds
#   THINK=1.0 JITTER=0.5 RUNS=1         between a client's searches; runs of each mode
#   COUNT=1                             0: skip the queries-per-page step (repeated runs)
#   QUIET=                              e.g. 2: before each load run, wait (at most MAX_WAIT=900 s)
#                                       until the 1-minute load average is below this
#   APP=maillon.wsgi:application        the WSGI application gunicorn serves (experiments)
#   OUT=<dir>                           JSON figures (default: a temp dir)
# Target (issue 4): p95 under 100 ms, queries per page constant.
set -euo pipefail

cd "$(dirname "$0")/../.."
HERE=bench/mission_search
PYTHON=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maillon_bench}
SMALL_DATABASE_URL=${SMALL_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maillon_bench_small}
export MAILLON_DEBUG=0
export SECRET_KEY=${SECRET_KEY:-bench-only-secret-key-not-for-production}
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0
export MAILLON_VAR_DIR=${MAILLON_VAR_DIR:-${TMPDIR:-/tmp}/maillon-bench-var}
export LOG_LEVEL=${LOG_LEVEL:-ERROR}

ASSOCIATIONS=${ASSOCIATIONS:-1000}
PEOPLE=${PEOPLE:-1000000}
BIG=${BIG:-100000}
MISSIONS=${MISSIONS:-100000}
WORKERS=${WORKERS:-4}
THREADS=${THREADS:-1}
PORT=${PORT:-8941}
CONCURRENCY=${CONCURRENCY:-50}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-5}
MODES=${MODES:-closed think}
THINK=${THINK:-1.0}
JITTER=${JITTER:-0.5}
RUNS=${RUNS:-1}
COUNT=${COUNT:-1}
QUIET=${QUIET:-}
MAX_WAIT=${MAX_WAIT:-900}
APP=${APP:-maillon.wsgi:application}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/mission-search.XXXXXX")}
mkdir -p "$OUT"

step() { printf '\n== %s\n' "$*"; }
wait_quiet() {
  [ -z "$QUIET" ] && return 0
  local waited=0
  until awk -v max="$QUIET" '{ exit !($1 < max) }' /proc/loadavg; do
    if [ "$waited" -ge "$MAX_WAIT" ]; then
      echo "load average still $(cut -d' ' -f1-3 /proc/loadavg) after ${waited}s: running anyway"
      return 0
    fi
    sleep 10
    waited=$((waited + 10))
  done
  [ "$waited" -gt 0 ] && echo "waited ${waited}s for a load average below $QUIET"
  return 0
}

step "machine"
date -u '+%Y-%m-%d %H:%M UTC'
printf '%s, %s cores, %s RAM, load average %s\n' \
  "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" "$(nproc)" \
  "$(free -h | awk '/^Mem:/ {print $2}')" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "output in $OUT"

step "database"
"$PYTHON" "$HERE/queries.py" ensure-db
"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py collectstatic --noinput -v0

step "data set ($ASSOCIATIONS associations, $PEOPLE people, $MISSIONS missions)"
"$PYTHON" manage.py seed_scale --skip-existing \
  --associations "$ASSOCIATIONS" --people "$PEOPLE" --big-association-people "$BIG"
"$PYTHON" manage.py seed_missions --skip-existing --missions "$MISSIONS"

if [ "$COUNT" = 1 ]; then
  step "queries per page at $((MISSIONS / 10)) missions (in-process, test client, ${SMALL_DATABASE_URL##*/})"
  DATABASE_URL=$SMALL_DATABASE_URL "$PYTHON" "$HERE/queries.py" ensure-db
  DATABASE_URL=$SMALL_DATABASE_URL "$PYTHON" manage.py migrate --noinput -v0
  DATABASE_URL=$SMALL_DATABASE_URL "$PYTHON" manage.py seed_scale --skip-existing \
    --associations $((ASSOCIATIONS / 10)) --people $((PEOPLE / 100)) --big-association-people $((BIG / 100))
  DATABASE_URL=$SMALL_DATABASE_URL "$PYTHON" manage.py seed_missions --skip-existing \
    --missions $((MISSIONS / 10))
  DATABASE_URL=$SMALL_DATABASE_URL "$PYTHON" "$HERE/queries.py" count --json "$OUT/queries-small.json"

  step "queries per page at $MISSIONS missions"
  "$PYTHON" "$HERE/queries.py" count --json "$OUT/queries-big.json"
  "$PYTHON" "$HERE/queries.py" compare "$OUT/queries-small.json" "$OUT/queries-big.json" || true
fi

if "$PYTHON" -c "import socket, sys; s = socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $PORT)) != 0)"; then
  echo "port $PORT is already in use: set PORT" >&2
  exit 1
fi

step "gunicorn: $APP, $WORKERS workers x $THREADS threads on 127.0.0.1:$PORT"
worker_class=sync
[ "$THREADS" -gt 1 ] && worker_class=gthread
"$GUNICORN" "$APP" --bind "127.0.0.1:$PORT" \
  --workers "$WORKERS" --threads "$THREADS" --worker-class "$worker_class" \
  --backlog 2048 --timeout 60 --log-level warning &
gunicorn_pid=$!
stop_gunicorn() {
  if kill -0 "$gunicorn_pid" 2>/dev/null; then
    kill -TERM "$gunicorn_pid"
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
}
trap stop_gunicorn EXIT

db_name=${DATABASE_URL##*/}
db_name=${db_name%%\?*}
associations_seeded=$ASSOCIATIONS
for run in $(seq 1 "$RUNS"); do
  for mode in $MODES; do
    think=0
    [ "$mode" = think ] && think=$THINK
    wait_quiet
    step "load ($mode, run $run/$RUNS): $CONCURRENCY clients, ${DURATION}s after ${WARMUP}s warm-up; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "$PYTHON" "$HERE/load.py" --base "http://127.0.0.1:$PORT" --concurrency "$CONCURRENCY" \
      --duration "$DURATION" --warmup "$WARMUP" --think "$think" --jitter "$JITTER" \
      --associations "$associations_seeded" --seed "$((2026 + run))" --label "$mode-$run" \
      --server-pid "$gunicorn_pid" --db-name "$db_name" --json "$OUT/$mode-$run.json" || true
  done
done

step "summary (medians of $RUNS run(s) per mode; figures in $OUT)"
for mode in $MODES; do
  echo "-- $mode"
  "$PYTHON" "$HERE/queries.py" median "$OUT/$mode"-*.json
done
