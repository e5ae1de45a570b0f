#!/usr/bin/env bash
# Ceiling of the stack: how many requests/s can ANY HTTP endpoint reach on this machine
# with the vote storm's server and client, compared with pgbench's one-row insert?
#
#   bench/vote_storm/ceiling/run.sh               # everything below, ~12 min
#   PGBENCH_EACH=1 RUNS=2 bench/vote_storm/ceiling/run.sh   # + paired pgbench, ~13 min
#   SERVERS=sync4 RUNS=2 bench/vote_storm/ceiling/run.sh
#
# Issue 3 asks votes/s >= 0.2 x pgbench TPS (bench/vote_storm/run.sh). This script
# measures the same load (load.py here = the client of ../load.py: 16 threads, one
# http.client keep-alive connection each, a POST with a bearer token, an
# Idempotency-Key and a small JSON body) against endpoints of increasing weight,
# each answering a small JSON:
#   a  bare WSGI callable (no Django), 200 "{}"                      bare_wsgi:empty
#   b  bare WSGI + ONE psycopg INSERT ... ON CONFLICT DO NOTHING    bare_wsgi:insert
#      under a unique constraint (autocommit, one connection per worker thread):
#      the HTTP analogue of the pgbench transaction
#   c  Django, no app, no middleware, no database                    django_min
#   d  Django with Maillon's settings (MAILLON_DEBUG=0, full middleware stack),
#      maillon.urls + a view that does nothing                       full_settings
#   e  (d) + ONE ORM insert under a unique constraint (bulk_create ignore_conflicts)
# served by gunicorn in each of $SERVERS:
#   sync4      4 sync workers (the vote storm's default; sync workers close the
#              connection after each answer, so the client reconnects every time)
#   gthread4x4 4 gthread workers x 4 threads (keep-alive honoured)
#   sync8      8 sync workers
# Each (server, endpoint) is warmed up for $WARMUP s, then measured $RUNS times for
# $RUN_SECONDS s; pgbench runs exactly as ../run.sh does (16 clients, -j 2, 20 s, one-row
# INSERT ON CONFLICT DO NOTHING under k bigint UNIQUE) before, between and after the
# servers, and the ratio uses the median of those TPS. The table printed at the end
# gives medians; every run's figures (CPU per request from /proc, machine busy %,
# load average) are in $OUT/*.json, pgbench's CPU per transaction (pgbench_cpu.py)
# in $OUT/pgbench-cpu-*.json. Results and conclusion: docs/benchmarks.md, "Ceiling of
# the stack on this machine".
#
# Everything stays on 127.0.0.1; the database maillon_ceiling is dropped and re-created.
# Knobs (defaults): PORT=8933 CONCURRENCY=16 RUN_SECONDS=10 WARMUP=3 RUNS=3
#   SERVERS="sync4 gthread4x4 sync8" ENDPOINTS="a b c d e" PGBENCH_SECONDS=20 OUT=<dir>
#   PGBENCH_EACH=0    1: also run pgbench right after each (server, endpoint) and give
#                     a paired ratio (req/s / that TPS), robust to a machine whose load
#                     from other work changes during the session
set -euo pipefail

cd "$(dirname "$0")/../../.."
HERE=bench/vote_storm/ceiling
PYTHON=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
PGBENCH=${PGBENCH:-$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)}

DB_NAME=${DB_NAME:-maillon_ceiling}
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB_NAME
export CEILING_DSN="dbname=$DB_NAME user=postgres host=127.0.0.1 port=5432"
export MAILLON_DEBUG=0
export SECRET_KEY=${SECRET_KEY:-bench-only-secret-key-not-for-production}
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0
export MAILLON_VAR_DIR=${MAILLON_VAR_DIR:-${TMPDIR:-/tmp}/maillon-votestorm-var}
export LOG_LEVEL=${LOG_LEVEL:-ERROR}

PORT=${PORT:-8933}
CONCURRENCY=${CONCURRENCY:-16}
RUN_SECONDS=${RUN_SECONDS:-10}
WARMUP=${WARMUP:-3}
RUNS=${RUNS:-3}
SERVERS=${SERVERS:-sync4 gthread4x4 sync8}
ENDPOINTS=${ENDPOINTS:-a b c d e}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-20}
PGBENCH_CLIENTS=${PGBENCH_CLIENTS:-$CONCURRENCY}
PGBENCH_EACH=${PGBENCH_EACH:-0}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/vote-storm-ceiling.XXXXXX")}
mkdir -p "$OUT"

step() { printf '\n== %s\n' "$*"; }

step "machine"
date -u '+%Y-%m-%d %H:%M UTC'
printf '%s, %s cores, %s RAM, load average %s\n' \
  "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" "$(nproc)" \
  "$(free -h | awk '/^Mem:/ {print $2}')" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "output in $OUT"

if "$PYTHON" -c "import socket, sys; s = socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $PORT)) != 0)"; then
  echo "port $PORT is already in use: set PORT" >&2
  exit 1
fi

step "database $DB_NAME"
"$PYTHON" - <<PY
import psycopg
from psycopg import sql
with psycopg.connect("dbname=postgres user=postgres host=127.0.0.1 port=5432", autocommit=True) as conn:
    print("PostgreSQL", conn.execute("SHOW server_version").fetchone()[0])
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier("$DB_NAME")))
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier("$DB_NAME")))
with psycopg.connect("$CEILING_DSN", autocommit=True) as conn:
    conn.execute("CREATE TABLE ceiling_rows (id bigserial PRIMARY KEY, k bigint UNIQUE)")
print("created, with ceiling_rows (id bigserial PRIMARY KEY, k bigint UNIQUE)")
PY

cat > "$OUT/insert.sql" <<'SQL'
\set k random(1, 9000000000000000)
INSERT INTO vote_storm_pgbench (k) VALUES (:k) ON CONFLICT DO NOTHING;
SQL
run_pgbench() {  # tag
  local tag=$1
  step "pgbench $tag: one-row insert under a unique constraint, $PGBENCH_CLIENTS clients, ${PGBENCH_SECONDS}s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$PYTHON" bench/vote_storm/db.py pgbench-table
  "$PGBENCH" -n -h 127.0.0.1 -p 5432 -U postgres -c "$PGBENCH_CLIENTS" -j 2 \
    -T "$PGBENCH_SECONDS" -f "$OUT/insert.sql" "$DB_NAME" > "$OUT/pgbench-$tag.txt" &
  local pgbench_pid=$!
  "$PYTHON" "$HERE/pgbench_cpu.py" --pid "$pgbench_pid" --db-name "$DB_NAME" \
    --from 3 --to $((PGBENCH_SECONDS - 3)) --json "$OUT/pgbench-cpu-$tag.json" || true
  wait "$pgbench_pid"
  grep -E "^tps|latency average" "$OUT/pgbench-$tag.txt"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

server_pid=
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
trap stop_server EXIT

start_server() {  # server endpoint
  local server=$1 endpoint=$2 app settings=
  case $endpoint in
    a) app=bare_wsgi:empty ;;
    b) app=bare_wsgi:insert ;;
    c) app=wsgi:application settings=django_min ;;
    d|e) app=wsgi:application settings=full_settings ;;
  esac
  local args=(--workers 4 --threads 1 --worker-class sync)
  case $server in
    sync4) ;;
    sync8) args=(--workers 8 --threads 1 --worker-class sync) ;;
    gthread4x4) args=(--workers 4 --threads 4 --worker-class gthread) ;;
    *) echo "unknown server $server" >&2; exit 1 ;;
  esac
  DJANGO_SETTINGS_MODULE=$settings "$GUNICORN" "$app" --pythonpath "$HERE" \
    --bind "127.0.0.1:$PORT" "${args[@]}" --keep-alive 30 --timeout 60 --log-level warning &
  server_pid=$!
  local url="http://127.0.0.1:$PORT/ceiling/$endpoint"
  for _ in $(seq 1 60); do
    if "$PYTHON" -c "import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', $PORT, timeout=2); c.request('POST', '/ceiling/$endpoint', body=b'{}', headers={'Content-Type': 'application/json'}); sys.exit(c.getresponse().status != 200)" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  echo "server $server for endpoint $endpoint did not answer 200 on $url" >&2
  exit 1
}

run_pgbench start
set -- $SERVERS
middle=$(( ($# + 1) / 2 ))
index=0
for server in $SERVERS; do
  index=$((index + 1))
  for endpoint in $ENDPOINTS; do
    step "$server, endpoint $endpoint (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    start_server "$server" "$endpoint"
    "$PYTHON" "$HERE/load.py" --url "http://127.0.0.1:$PORT/ceiling/$endpoint" \
      --concurrency "$CONCURRENCY" --seconds "$WARMUP" --quiet
    for run in $(seq 1 "$RUNS"); do
      "$PYTHON" "$HERE/load.py" --url "http://127.0.0.1:$PORT/ceiling/$endpoint" \
        --concurrency "$CONCURRENCY" --seconds "$RUN_SECONDS" \
        --label "$server $endpoint #$run" --json "$OUT/$server-$endpoint-$run.json" \
        --server-pid "$server_pid" --db-name "$DB_NAME"
    done
    stop_server
    if [ "$PGBENCH_EACH" = 1 ]; then run_pgbench "paired-$server-$endpoint"; fi
  done
  if [ "$index" -eq "$middle" ]; then run_pgbench middle; fi
done
run_pgbench end

step "summary (medians of $RUNS runs; ratio = req/s / median of all pgbench TPS of the session)"
"$PYTHON" - "$OUT" "$SERVERS" "$ENDPOINTS" <<'PY'
import glob, json, re, statistics, sys
out, servers, endpoints = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
def tps_of(f):
    text = open(f).read()
    return float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", text).group(1))
tps_all = [tps_of(f) for f in sorted(glob.glob(f"{out}/pgbench-*.txt"))]
tps = statistics.median(tps_all)
print("pgbench TPS: " + ", ".join(f"{t:,.0f}" for t in tps_all) + f"  (median {tps:,.0f})")
pg_cpu = [json.load(open(f))["cpu_ms_per_tx"] for f in sorted(glob.glob(f"{out}/pgbench-cpu-*.json"))]
pg_ms = statistics.median(c["pgbench"] + c["db"] for c in pg_cpu) if pg_cpu else float("nan")
print(f"pgbench CPU per transaction (client + backends, median): {pg_ms:.3f} ms")
names = {
    "a": "bare WSGI, {}",
    "b": "bare WSGI + 1 psycopg INSERT",
    "c": "Django, no middleware, no DB",
    "d": "Django + Maillon middleware",
    "e": "(d) + 1 ORM INSERT",
}
print("| server | endpoint | req/s | p50 ms | p99 ms | errors | CPU ms/req app / db / client | machine busy | load avg | ratio | paired ratio | CPU ratio |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
best = (0.0, "")
def paired(server, endpoint, rps):
    f = f"{out}/pgbench-paired-{server}-{endpoint}.txt"
    return f"{rps / tps_of(f):.3f} ({tps_of(f):,.0f} TPS)" if glob.glob(f) else "–"
for server in servers:
    for endpoint in endpoints:
        runs = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/{server}-{endpoint}-*.json"))]
        if not runs:
            continue
        med = lambda key: statistics.median(r[key] for r in runs)
        cpu = lambda part: statistics.median(r["cpu_ms_per_request"][part] for r in runs)
        rps = med("req_per_second")
        ratio = rps / tps
        best = max(best, (ratio, f"{server} {endpoint}"))
        loads = sorted(r["loadavg"].split()[0] for r in runs)
        print(
            f"| {server} | {endpoint}: {names[endpoint]} | {rps:,.0f} | {med('p50_ms'):.1f} | "
            f"{med('p99_ms'):.1f} | {sum(r['errors'] for r in runs)} | "
            f"{cpu('app'):.2f} / {cpu('db'):.2f} / {cpu('client'):.2f} | "
            f"{med('machine_busy'):.0%} | {loads[0]}–{loads[-1]} | {ratio:.3f} | "
            f"{paired(server, endpoint, rps)} | "
            f"{pg_ms / (cpu('app') + cpu('db') + cpu('client')):.3f} |"
        )
print(f"\nhighest ratio: {best[0]:.3f} ({best[1]}); the issue's target is 0.2")
print("CPU ratio = pgbench CPU per transaction / (app + db + client) CPU per request: the")
print("ratio if each had the 2 cores to itself (kernel time outside these processes and")
print("PostgreSQL's background processes are not counted on either side).")
PY
