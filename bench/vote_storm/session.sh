#!/usr/bin/env bash
# One paired session on a PRIVATE PostgreSQL cluster (private_pg.sh: port 55432,
# pg_stat_statements loaded): the ceiling endpoint (e) "Maillon middleware + one ORM
# INSERT" and the vote storm, measured in turns on the same machine minutes:
#
#   (e), slice 1 of the storm, (e), slice 2, ..., slice ROUNDS, (e)
#
# Each slice's ratio is its votes/s ÷ the mean of the two (e) runs around it; the
# session's ratio is the median of the slices' (the run-long ratio, votes/s of all
# slices ÷ the mean of every (e) run, is reported too). A shared machine's speed
# drifts within a minute (the (e) runs of one session have differed by a third):
# measuring in turns keeps each slice beside its own ceiling. ROUNDS=1 is the
# earlier session: (e), the whole storm, (e).
#
#   bench/vote_storm/session.sh                        # this tree
#   CODE=/tmp/maillon-before bench/vote_storm/session.sh   # the storm served from another tree
#   FAULT=kill-worker bench/vote_storm/session.sh      # or FAULT=pg-restart (see run.sh)
#
# Knobs: VOTERS=6000 ROUNDS=3 CEILING_SECONDS=8 CONCURRENCY=16 WORKERS=4 MAX_SECONDS=120
# OUT=<dir> (a fault run is one round: the fault is timed from the start of the load).
# Prints and writes $OUT/session.json: votes/s, app and DB CPU ms per vote (/proc: the
# gunicorn workers, every process of the private cluster), statements per vote
# (pg_stat_statements), each (e) run's req/s, each slice's ratio and the session's.
set -euo pipefail

cd "$(dirname "$0")/../.."
HERE=bench/vote_storm
PYTHON=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
PORT_PG=${PRIVATE_PG_PORT:-55432}
CEILING_PORT=${CEILING_PORT:-8933}
CEILING_SECONDS=${CEILING_SECONDS:-8}
CONCURRENCY=${CONCURRENCY:-16}
ROUNDS=${ROUNDS:-3}
[ -n "${FAULT:-}" ] && ROUNDS=1
export VOTERS=${VOTERS:-6000}
export PGBENCH_SECONDS=0
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/vote-session.XXXXXX")}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

"$HERE/private_pg.sh" start
DB_PID=$("$HERE/private_pg.sh" pid)
export DB_PID
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load-start.txt"

# The ceiling server stays up for the whole session; each (e) run is measured by
# $OUT/ceiling.sh <n>, called here and by run.sh between the storm's slices.
CEILING_DB=maillon_ceiling
"$PYTHON" - "$CEILING_DB" "$PORT_PG" <<'PY'
import sys, psycopg
from psycopg import sql
db, port = sys.argv[1], sys.argv[2]
with psycopg.connect(f"dbname=postgres user=postgres host=127.0.0.1 port={port}", autocommit=True) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
with psycopg.connect(f"dbname={db} user=postgres host=127.0.0.1 port={port}", autocommit=True) as conn:
    conn.execute("CREATE TABLE ceiling_rows (id bigserial PRIMARY KEY, k bigint UNIQUE)")
PY
DATABASE_URL=postgres://postgres@127.0.0.1:$PORT_PG/$CEILING_DB MAILLON_DEBUG=0 \
  SECRET_KEY=bench-only-secret-key-not-for-production ALLOWED_HOSTS=127.0.0.1 \
  SECURE_SSL_REDIRECT=0 LOG_LEVEL=ERROR \
  MAILLON_VAR_DIR=${TMPDIR:-/tmp}/maillon-votestorm-var DJANGO_SETTINGS_MODULE=full_settings \
  "$GUNICORN" wsgi:application --pythonpath "$HERE/ceiling" --bind "127.0.0.1:$CEILING_PORT" \
  --workers "${WORKERS:-4}" --worker-class sync --keep-alive 30 --timeout 60 \
  --log-level warning &
ceiling_pid=$!
stop_ceiling() {
  if kill -0 "$ceiling_pid" 2>/dev/null; then
    kill -TERM "$ceiling_pid"
    wait "$ceiling_pid" 2>/dev/null || true
  fi
}
trap stop_ceiling EXIT
for _ in $(seq 1 60); do
  if "$PYTHON" -c "import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', $CEILING_PORT, timeout=2); c.request('POST', '/ceiling/e', body=b'{}'); sys.exit(c.getresponse().status != 200)" 2>/dev/null; then
    break
  fi
  sleep 0.5
done
cat > "$OUT/ceiling.sh" <<SH
#!/usr/bin/env bash
# (e) run number \$1: 3 s of warm-up, then $CEILING_SECONDS s measured.
set -euo pipefail
cd "$PWD"
db_pid=\$("$HERE/private_pg.sh" pid)  # a restart gives the postmaster a new pid
"$PYTHON" "$HERE/ceiling/load.py" --url "http://127.0.0.1:$CEILING_PORT/ceiling/e" \\
  --concurrency "$CONCURRENCY" --seconds 3 --quiet
"$PYTHON" "$HERE/ceiling/load.py" --url "http://127.0.0.1:$CEILING_PORT/ceiling/e" \\
  --concurrency "$CONCURRENCY" --seconds "$CEILING_SECONDS" --label "ceiling (e) run \$1" \\
  --json "$OUT/ceiling-\$1.json" --server-pid "$ceiling_pid" --db-name "$CEILING_DB" \\
  --db-pid "\$db_pid"
SH
chmod +x "$OUT/ceiling.sh"

if [ "$ROUNDS" -le 1 ]; then
  "$OUT/ceiling.sh" 1
fi
DATABASE_URL=postgres://postgres@127.0.0.1:$PORT_PG/maillon_votestorm OUT=$OUT/storm \
  SLICES=$ROUNDS BETWEEN_SLICES=$([ "$ROUNDS" -gt 1 ] && echo "$OUT/ceiling.sh") \
  "$HERE/run.sh" | tee "$OUT/storm.txt"
if [ "$ROUNDS" -le 1 ]; then
  "$OUT/ceiling.sh" 2
fi
stop_ceiling
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load-end.txt"

"$PYTHON" - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
from pathlib import Path

out, rounds = Path(sys.argv[1]), max(1, int(sys.argv[2]))
storm = json.loads((out / "storm" / "summary.json").read_text())
ceilings = [json.loads((out / f"ceiling-{i}.json").read_text()) for i in range(1, rounds + 2)]
rps = [c["req_per_second"] for c in ceilings]
slices = storm.get("slices") or [{"votes_per_second": storm["votes_per_second"]}]
slice_ratios = [
    round(s["votes_per_second"] / ((rps[i] + rps[i + 1]) / 2), 3) for i, s in enumerate(slices)
]
cpu = storm.get("cpu_ms_per_vote") or {}
session = {
    **storm,
    "rounds": rounds,
    "ceiling_req_per_second": rps,
    "ceiling_cpu_ms_per_request": [c["cpu_ms_per_request"] for c in ceilings],
    "slice_ratios": slice_ratios,
    "ratio_to_ceiling": round(statistics.median(slice_ratios), 3),
    "run_long_ratio": round(storm["votes_per_second"] / (sum(rps) / len(rps)), 3),
    "load_start": (out / "load-start.txt").read_text().split(": ")[1].strip(),
    "load_end": (out / "load-end.txt").read_text().split(": ")[1].strip(),
}
(out / "session.json").write_text(json.dumps(session, indent=2))
print("\n== session")
print(f"ceiling (e) runs: {' / '.join(str(r) for r in rps)} req/s")
print(f"vote storm:  {storm['votes_per_second']} votes/s, {storm['acknowledged']}/{storm['voters']} "
      f"acknowledged, errors {storm['errors']}, counts exact: {storm['counts_exact']}")
print(f"CPU per vote: app {cpu.get('app')} ms, DB {cpu.get('db')} ms; statements per vote "
      f"{storm.get('statements_per_vote')}")
print(f"slices' ratios {slice_ratios}; run-long {session['run_long_ratio']}")
print(f"ratio votes/s ÷ ceiling req/s = {session['ratio_to_ceiling']}  (target ≥ 0.5)")
print(f"load average {session['load_start']} → {session['load_end']}; figures in {out}")
PY
