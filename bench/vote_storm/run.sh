#!/usr/bin/env bash
# Vote storm: gunicorn + PostgreSQL, N voters cast one secret ballot each through the
# API within a window, then the counts are checked against the acknowledged votes and
# the throughput is compared with pgbench inserting one row under a unique constraint.
#
#   bench/vote_storm/run.sh                      # 5,000 voters, defaults below
#   VOTERS=1000 CONCURRENCY=8 bench/vote_storm/run.sh
#
# Everything stays on 127.0.0.1. Environment knobs (defaults):
#   DATABASE_URL  postgres://postgres@127.0.0.1:5432/maillon_votestorm (dropped and re-created)
#   VOTERS=5000                         voters (accounts + API tokens + roll entries)
#   WORKERS=4 THREADS=1                 gunicorn processes / threads per process
#   PORT=8932 CONCURRENCY=16            load: client threads (keep-alive connections)
#   MAX_SECONDS=120                     hard stop of the load
#   PGBENCH_SECONDS=20 PGBENCH_CLIENTS=$CONCURRENCY
#   OUT=<dir>                           tokens, receipts and figures (default: a temp dir)
# Targets (issue 3, point 15): 5,000 voters in under 60 s, no error, p99 < 1 s, and
# votes/s at least 0.2 x pgbench TPS, on 2 cores.
set -euo pipefail

cd "$(dirname "$0")/../.."
HERE=bench/vote_storm
PYTHON=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
PGBENCH=${PGBENCH:-$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)}

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maillon_votestorm}
export MAILLON_DEBUG=0
export SECRET_KEY=${SECRET_KEY:-bench-only-secret-key-not-for-production}
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0
export MAILLON_VAR_DIR=${MAILLON_VAR_DIR:-${TMPDIR:-/tmp}/maillon-votestorm-var}
export LOG_LEVEL=${LOG_LEVEL:-ERROR}

VOTERS=${VOTERS:-5000}
WORKERS=${WORKERS:-4}
THREADS=${THREADS:-1}
PORT=${PORT:-8932}
CONCURRENCY=${CONCURRENCY:-16}
MAX_SECONDS=${MAX_SECONDS:-120}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-20}
PGBENCH_CLIENTS=${PGBENCH_CLIENTS:-$CONCURRENCY}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/vote-storm.XXXXXX")}
mkdir -p "$OUT"

db_name=${DATABASE_URL##*/}
db_name=${db_name%%\?*}
db_rest=${DATABASE_URL#*://}
db_userhost=${db_rest%%/*}
db_user=${db_userhost%%@*}
db_hostport=${db_userhost#*@}
db_host=${db_hostport%%:*}
db_port=5432
[[ "$db_hostport" == *:* ]] && db_port=${db_hostport##*:}
if [ "$db_host" != "127.0.0.1" ] && [ "$db_host" != "localhost" ]; then
  echo "the benchmark database must be on 127.0.0.1" >&2
  exit 1
fi

step() { printf '\n== %s\n' "$*"; }

step "machine"
date -u '+%Y-%m-%d %H:%M UTC'
printf '%s, %s cores, %s RAM, load average %s\n' \
  "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" "$(nproc)" \
  "$(free -h | awk '/^Mem:/ {print $2}')" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "output in $OUT"

step "database $db_name"
"$PYTHON" "$HERE/db.py" create
"$PYTHON" manage.py migrate --noinput -v0

step "seed: $VOTERS voters"
"$PYTHON" "$HERE/db.py" seed --voters "$VOTERS" --out "$OUT"
slug=$("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['slug'])" "$OUT/meta.json")
poll=$("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['poll'])" "$OUT/meta.json")

if "$PYTHON" -c "import socket, sys; s = socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $PORT)) != 0)"; then
  echo "port $PORT is already in use: set PORT" >&2
  exit 1
fi

step "gunicorn: $WORKERS workers x $THREADS threads on 127.0.0.1:$PORT"
worker_class=sync
[ "$THREADS" -gt 1 ] && worker_class=gthread
"$GUNICORN" maillon.wsgi:application --bind "127.0.0.1:$PORT" \
  --workers "$WORKERS" --threads "$THREADS" --worker-class "$worker_class" \
  --keep-alive 30 --timeout 60 --log-level warning &
gunicorn_pid=$!
stop_gunicorn() {
  if kill -0 "$gunicorn_pid" 2>/dev/null; then
    kill -TERM "$gunicorn_pid"
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
}
trap stop_gunicorn EXIT

# Up and warm: each worker imports the app on its first request (bounded wait).
for _ in $(seq 1 60); do
  if "$PYTHON" -c "import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', $PORT, timeout=2); c.request('GET', '/api/v1/openapi.json'); sys.exit(c.getresponse().status >= 500)" 2>/dev/null; then
    break
  fi
  sleep 0.5
done
for _ in $(seq 1 $((WORKERS * 4))); do
  "$PYTHON" -c "import http.client; c = http.client.HTTPConnection('127.0.0.1', $PORT, timeout=10); c.request('GET', '/api/v1/openapi.json'); c.getresponse().read()" || true
done

step "vote storm: $VOTERS voters, $CONCURRENCY client threads, at most ${MAX_SECONDS}s"
"$PYTHON" "$HERE/load.py" --base "http://127.0.0.1:$PORT" --voters "$OUT/tokens.txt" \
  --slug "$slug" --poll "$poll" --concurrency "$CONCURRENCY" --max-seconds "$MAX_SECONDS" \
  --receipts "$OUT/receipts.txt" --json "$OUT/load.json" \
  --server-pid "$gunicorn_pid" --db-name "$db_name"

stop_gunicorn

step "counts in the database"
counts_ok=yes
"$PYTHON" "$HERE/db.py" verify --meta "$OUT/meta.json" --receipts "$OUT/receipts.txt" || counts_ok=no

step "pgbench: one-row insert under a unique constraint, $PGBENCH_CLIENTS clients, ${PGBENCH_SECONDS}s"
"$PYTHON" "$HERE/db.py" pgbench-table
cat > "$OUT/insert.sql" <<'SQL'
\set k random(1, 9000000000000000)
INSERT INTO vote_storm_pgbench (k) VALUES (:k) ON CONFLICT DO NOTHING;
SQL
"$PGBENCH" -n -h "$db_host" -p "$db_port" -U "$db_user" -c "$PGBENCH_CLIENTS" -j 2 \
  -T "$PGBENCH_SECONDS" -f "$OUT/insert.sql" "$db_name" | tee "$OUT/pgbench.txt"

step "summary"
"$PYTHON" - "$OUT/load.json" "$OUT/pgbench.txt" "$counts_ok" <<'PY'
import json, re, sys

load = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", text).group(1))
ratio = load["votes_per_second"] / tps
ok = {
    "all voters acknowledged, no error": load["errors"] == 0 and load["acknowledged"] == load["voters"],
    "cast in under 60 s": load["seconds"] < 60,
    "p99 under 1 s": load["p99_ms"] < 1000,
    "ratio >= 0.2": ratio >= 0.2,
    "counts == acknowledged votes": sys.argv[3] == "yes",
}
print(f"votes/s {load['votes_per_second']}  p50 {load['p50_ms']} ms  p99 {load['p99_ms']} ms  "
      f"errors {load['errors']}  in {load['seconds']} s")
print(f"pgbench {tps:.0f} TPS   ratio votes/s / TPS = {ratio:.3f}")
for name, passed in ok.items():
    print(f"  {'ok  ' if passed else 'MISS'} {name}")
PY
