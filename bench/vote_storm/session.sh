#!/usr/bin/env bash
# One paired session on a PRIVATE PostgreSQL cluster (private_pg.sh: port 55432,
# pg_stat_statements loaded): the ceiling endpoint (e) "Maillon middleware + one ORM
# INSERT", then the vote storm, then (e) again, and the ratio votes/s ÷ mean (e) req/s.
#
#   bench/vote_storm/session.sh                        # this tree
#   CODE=/tmp/maillon-before bench/vote_storm/session.sh   # the storm served from another tree
#   FAULT=kill-worker bench/vote_storm/session.sh      # or FAULT=pg-restart (see run.sh)
#
# Knobs: VOTERS=3000 CEILING_SECONDS=15 CONCURRENCY=16 WORKERS=4 MAX_SECONDS=120 OUT=<dir>
# Prints and writes $OUT/session.json: votes/s, app and DB CPU ms per vote (/proc: the
# gunicorn workers, every process of the private cluster), statements per vote
# (pg_stat_statements), the ceiling's req/s before and after, and the ratio.
set -euo pipefail

cd "$(dirname "$0")/../.."
HERE=bench/vote_storm
PYTHON=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
PORT_PG=${PRIVATE_PG_PORT:-55432}
CEILING_PORT=${CEILING_PORT:-8933}
CEILING_SECONDS=${CEILING_SECONDS:-15}
CONCURRENCY=${CONCURRENCY:-16}
export VOTERS=${VOTERS:-3000}
export PGBENCH_SECONDS=0
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/vote-session.XXXXXX")}
mkdir -p "$OUT"

"$HERE/private_pg.sh" start
DB_PID=$("$HERE/private_pg.sh" pid)
export DB_PID
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load-start.txt"

ceiling() {  # tag
  local tag=$1 db=maillon_ceiling
  "$PYTHON" - "$db" "$PORT_PG" <<'PY'
import sys, psycopg
from psycopg import sql
db, port = sys.argv[1], sys.argv[2]
with psycopg.connect(f"dbname=postgres user=postgres host=127.0.0.1 port={port}", autocommit=True) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
with psycopg.connect(f"dbname={db} user=postgres host=127.0.0.1 port={port}", autocommit=True) as conn:
    conn.execute("CREATE TABLE ceiling_rows (id bigserial PRIMARY KEY, k bigint UNIQUE)")
PY
  DATABASE_URL=postgres://postgres@127.0.0.1:$PORT_PG/$db MAILLON_DEBUG=0 \
    SECRET_KEY=bench-only-secret-key-not-for-production ALLOWED_HOSTS=127.0.0.1 \
    SECURE_SSL_REDIRECT=0 LOG_LEVEL=ERROR \
    MAILLON_VAR_DIR=${TMPDIR:-/tmp}/maillon-votestorm-var DJANGO_SETTINGS_MODULE=full_settings \
    "$GUNICORN" wsgi:application --pythonpath "$HERE/ceiling" --bind "127.0.0.1:$CEILING_PORT" \
    --workers "${WORKERS:-4}" --worker-class sync --keep-alive 30 --timeout 60 \
    --log-level warning &
  local pid=$!
  for _ in $(seq 1 60); do
    if "$PYTHON" -c "import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', $CEILING_PORT, timeout=2); c.request('POST', '/ceiling/e', body=b'{}'); sys.exit(c.getresponse().status != 200)" 2>/dev/null; then
      break
    fi
    sleep 0.5
  done
  "$PYTHON" "$HERE/ceiling/load.py" --url "http://127.0.0.1:$CEILING_PORT/ceiling/e" \
    --concurrency "$CONCURRENCY" --seconds 3 --quiet
  "$PYTHON" "$HERE/ceiling/load.py" --url "http://127.0.0.1:$CEILING_PORT/ceiling/e" \
    --concurrency "$CONCURRENCY" --seconds "$CEILING_SECONDS" --label "ceiling (e) $tag" \
    --json "$OUT/ceiling-$tag.json" --server-pid "$pid" --db-name "$db" --db-pid "$DB_PID"
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
}

ceiling before
DATABASE_URL=postgres://postgres@127.0.0.1:$PORT_PG/maillon_votestorm OUT=$OUT/storm \
  "$HERE/run.sh" | tee "$OUT/storm.txt"
# A restart during the storm gave the postmaster a new pid.
DB_PID=$("$HERE/private_pg.sh" pid)
ceiling after
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load-end.txt"

"$PYTHON" - "$OUT" <<'PY'
import json, sys
from pathlib import Path

out = Path(sys.argv[1])
storm = json.loads((out / "storm" / "summary.json").read_text())
ceilings = [json.loads((out / f"ceiling-{t}.json").read_text()) for t in ("before", "after")]
rps = [c["req_per_second"] for c in ceilings]
mean = sum(rps) / len(rps)
cpu = storm.get("cpu_ms_per_vote") or {}
session = {
    **storm,
    "ceiling_req_per_second": rps,
    "ceiling_cpu_ms_per_request": [c["cpu_ms_per_request"] for c in ceilings],
    "ratio_to_ceiling": round(storm["votes_per_second"] / mean, 3),
    "load_start": (out / "load-start.txt").read_text().split(": ")[1].strip(),
    "load_end": (out / "load-end.txt").read_text().split(": ")[1].strip(),
}
(out / "session.json").write_text(json.dumps(session, indent=2))
print("\n== session")
print(f"ceiling (e): {rps[0]} then {rps[1]} req/s")
print(f"vote storm:  {storm['votes_per_second']} votes/s, {storm['acknowledged']}/{storm['voters']} "
      f"acknowledged, errors {storm['errors']}, counts exact: {storm['counts_exact']}")
print(f"CPU per vote: app {cpu.get('app')} ms, DB {cpu.get('db')} ms; statements per vote "
      f"{storm.get('statements_per_vote')}")
print(f"ratio votes/s ÷ ceiling req/s = {session['ratio_to_ceiling']}  (target ≥ 0.5)")
print(f"load average {session['load_start']} → {session['load_end']}; figures in {out}")
PY
