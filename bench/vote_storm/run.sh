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
#   CODE=.                              tree whose app is migrated and served (e.g. a
#                                       `git archive` of an older commit, for a before run)
#   PGBENCH_SECONDS=0                   no pgbench (session.sh compares with the ceiling)
#   DB_PID=<postmaster pid>             a private cluster (private_pg.sh): DB CPU is then
#                                       every child of it, and statements per vote are
#                                       read from pg_stat_statements
#   SLICES=1 BETWEEN_SLICES=<command>   the voters in SLICES equal slices, one load run
#                                       each; `<command> <i>` runs before slice i (1..)
#                                       and after the last (session.sh measures the
#                                       ceiling there); per slice: $OUT/load-<i>.json
#   FAULT=kill-worker|pg-restart FAULT_AT=10
#                                       mid-storm, FAULT_AT s into the load: kill -9 of one
#                                       gunicorn worker, or `private_pg.sh restart` (-m fast)
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
CODE=$(cd "${CODE:-.}" && pwd)
DB_PID=${DB_PID:-}
FAULT=${FAULT:-}
SLICES=${SLICES:-1}
BETWEEN_SLICES=${BETWEEN_SLICES:-}
FAULT_AT=${FAULT_AT:-10}
PYTHON=$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")
GUNICORN=$(cd "$(dirname "$GUNICORN")" && pwd)/$(basename "$GUNICORN")

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
(cd "$CODE" && "$PYTHON" manage.py migrate --noinput -v0)
echo "code: $CODE ($(cd "$CODE" && git rev-parse --short HEAD 2>/dev/null || cat "$CODE/.commit" 2>/dev/null || echo '?'))"

step "seed: $VOTERS voters"
"$PYTHON" "$HERE/db.py" seed --voters "$VOTERS" --out "$OUT"
# Settle what seeding and migrating leave to do in the background (autovacuum's
# analyze of the new rows, the checkpoint of what they wrote) before anything is
# measured: otherwise it runs during the first measurement, whichever that is.
psql -X -q -h "$db_host" -p "$db_port" -U "$db_user" -d "$db_name" -c "VACUUM ANALYZE" -c "CHECKPOINT"
slug=$("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['slug'])" "$OUT/meta.json")
poll=$("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['poll'])" "$OUT/meta.json")

if "$PYTHON" -c "import socket, sys; s = socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $PORT)) != 0)"; then
  echo "port $PORT is already in use: set PORT" >&2
  exit 1
fi

step "gunicorn: $WORKERS workers x $THREADS threads on 127.0.0.1:$PORT"
worker_class=sync
[ "$THREADS" -gt 1 ] && worker_class=gthread
"$GUNICORN" maillon.wsgi:application --chdir "$CODE" --bind "127.0.0.1:$PORT" \
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

psql_db() {
  psql -X -q -A -t -h "$db_host" -p "$db_port" -U "$db_user" -d "$db_name" -c "$1"
}
statements=no
if [ -n "$DB_PID" ] && psql_db "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" 2>/dev/null; then
  statements=yes
  psql_db "SELECT pg_stat_statements_reset()" >/dev/null
fi

fault_pid=
if [ -n "$FAULT" ]; then
  (
    sleep "$FAULT_AT"
    case $FAULT in
      kill-worker)
        victim=$(pgrep -P "$gunicorn_pid" | head -1)
        echo "FAULT at ${FAULT_AT}s: kill -9 of gunicorn worker $victim"
        kill -9 "$victim"
        ;;
      pg-restart)
        echo "FAULT at ${FAULT_AT}s: PostgreSQL restart -m fast"
        "$HERE/private_pg.sh" restart
        ;;
      *) echo "unknown FAULT $FAULT" >&2 ;;
    esac
  ) &
  fault_pid=$!
fi

step "vote storm: $VOTERS voters, $CONCURRENCY client threads, at most ${MAX_SECONDS}s"
db_pid_arg=()
[ -n "$DB_PID" ] && db_pid_arg=(--db-pid "$DB_PID")
storm() {  # tokens-file receipts-file json-file
  "$PYTHON" "$HERE/load.py" --base "http://127.0.0.1:$PORT" --voters "$1" \
    --slug "$slug" --poll "$poll" --concurrency "$CONCURRENCY" --max-seconds "$MAX_SECONDS" \
    --receipts "$2" --json "$3" \
    --server-pid "$gunicorn_pid" --db-name "$db_name" "${db_pid_arg[@]}"
}
if [ "$SLICES" -le 1 ]; then
  storm "$OUT/tokens.txt" "$OUT/receipts.txt" "$OUT/load.json"
else
  per_slice=$(( ($(wc -l < "$OUT/tokens.txt") + SLICES - 1) / SLICES ))
  split -d -a 2 -l "$per_slice" "$OUT/tokens.txt" "$OUT/tokens-slice-"
  : > "$OUT/receipts.txt"
  i=0
  for tokens in "$OUT"/tokens-slice-*; do
    i=$((i + 1))
    [ -n "$BETWEEN_SLICES" ] && $BETWEEN_SLICES "$i"
    step "slice $i of $SLICES"
    storm "$tokens" "$OUT/receipts-$i.txt" "$OUT/load-$i.json"
    cat "$OUT/receipts-$i.txt" >> "$OUT/receipts.txt"
  done
  [ -n "$BETWEEN_SLICES" ] && $BETWEEN_SLICES "$((i + 1))"
  # The slices as one run: counts and CPU summed, votes/s over the time under load.
  "$PYTHON" - "$OUT" "$i" <<'PY'
import json, sys
from pathlib import Path

out, n = Path(sys.argv[1]), int(sys.argv[2])
parts = [json.loads((out / f"load-{i}.json").read_text()) for i in range(1, n + 1)]
total = {key: sum(p[key] for p in parts) for key in ("voters", "acknowledged", "errors")}
seconds = sum(p["seconds"] for p in parts)
merged = {
    **total,
    "concurrency": parts[0]["concurrency"],
    "seconds": round(seconds, 2),
    "votes_per_second": round(total["acknowledged"] / seconds, 1),
    "slices": [{k: p.get(k) for k in ("votes_per_second", "cpu_ms_per_vote", "p99_ms")}
               for p in parts],
}
for key in ("error_kinds", "retries", "replays"):
    merged[key] = {}
    for p in parts:
        for kind, count in p[key].items():
            merged[key][kind] = merged[key].get(kind, 0) + count
# Latency: the slowest slice's percentiles (the samples are not kept).
for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms"):
    merged[key] = max(p[key] or 0 for p in parts)
if all("cpu_ms_per_vote" in p for p in parts) and total["acknowledged"]:
    merged["cpu_ms_per_vote"] = {
        part: round(sum(p["cpu_ms_per_vote"][part] * p["acknowledged"] for p in parts)
                    / total["acknowledged"], 1)
        for part in ("app", "db")
    }
(out / "load.json").write_text(json.dumps(merged, indent=2))
PY
fi
[ -n "$fault_pid" ] && wait "$fault_pid" || true

if [ "$statements" = yes ]; then
  # Every statement the clients sent for this database during the storm, by
  # pg_stat_statements (one per round trip, BEGIN and COMMIT included); the
  # foreign-key checks PostgreSQL runs for an INSERT (SELECT 1 FROM ONLY ... FOR KEY
  # SHARE OF x; pg_stat_statements 1.10 files them as top level) are counted apart.
  ri="s.query LIKE 'SELECT % FROM ONLY %FOR KEY SHARE OF x'"
  psql_db "SELECT s.calls, NOT ($ri), left(regexp_replace(s.query, '\s+', ' ', 'g'), 110)
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
           WHERE d.datname = current_database() AND s.query NOT ILIKE '%pg_stat_statements%'
           ORDER BY 2 DESC, s.calls DESC LIMIT 24" > "$OUT/statements.txt"
  psql_db "SELECT coalesce(sum(s.calls) FILTER (WHERE NOT ($ri)), 0) || ' ' ||
           coalesce(sum(s.calls) FILTER (WHERE $ri), 0)
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
           WHERE d.datname = current_database() AND s.query NOT ILIKE '%pg_stat_statements%'" \
    > "$OUT/statements-total.txt"
  echo "statements, the app's first, most frequent first (calls | sent by the app | query):"
  cat "$OUT/statements.txt"
fi

stop_gunicorn

step "counts in the database"
counts_ok=yes
"$PYTHON" "$HERE/db.py" verify --meta "$OUT/meta.json" --receipts "$OUT/receipts.txt" || counts_ok=no

if [ "$PGBENCH_SECONDS" -gt 0 ]; then
step "pgbench: one-row insert under a unique constraint, $PGBENCH_CLIENTS clients, ${PGBENCH_SECONDS}s"
"$PYTHON" "$HERE/db.py" pgbench-table
cat > "$OUT/insert.sql" <<'SQL'
\set k random(1, 9000000000000000)
INSERT INTO vote_storm_pgbench (k) VALUES (:k) ON CONFLICT DO NOTHING;
SQL
"$PGBENCH" -n -h "$db_host" -p "$db_port" -U "$db_user" -c "$PGBENCH_CLIENTS" -j 2 \
  -T "$PGBENCH_SECONDS" -f "$OUT/insert.sql" "$db_name" | tee "$OUT/pgbench.txt"
else
  : > "$OUT/pgbench.txt"
fi

step "summary"
"$PYTHON" - "$OUT" "$counts_ok" <<'PY'
import json, re, sys
from pathlib import Path

out, counts_ok = Path(sys.argv[1]), sys.argv[2] == "yes"
load = json.load(open(out / "load.json"))
text = (out / "pgbench.txt").read_text()
match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", text)
tps = float(match.group(1)) if match else None
summary = {
    "votes_per_second": load["votes_per_second"],
    "acknowledged": load["acknowledged"],
    "voters": load["voters"],
    "errors": load["errors"],
    "p50_ms": load["p50_ms"],
    "p99_ms": load["p99_ms"],
    "cpu_ms_per_vote": load.get("cpu_ms_per_vote"),
    "counts_exact": counts_ok,
    "replays": load["replays"],
    "retries": load["retries"],
}
if "slices" in load:
    summary["slices"] = load["slices"]
total = out / "statements-total.txt"
if total.exists() and load["acknowledged"]:
    # Per acknowledged vote; the ~2 % of votes deliberately sent twice (and any retry)
    # are in the total too.
    toplevel, nested = (int(n) for n in total.read_text().split())
    summary["statements_per_vote"] = round(toplevel / load["acknowledged"], 2)
    summary["nested_statements_per_vote"] = round(nested / load["acknowledged"], 2)
if tps:
    summary["pgbench_tps"] = tps
    summary["ratio_to_pgbench"] = round(load["votes_per_second"] / tps, 4)
(out / "summary.json").write_text(json.dumps(summary, indent=2))
cpu = summary["cpu_ms_per_vote"] or {}
print(f"votes/s {load['votes_per_second']}  p50 {load['p50_ms']} ms  p99 {load['p99_ms']} ms  "
      f"errors {load['errors']}  in {load['seconds']} s")
print(f"CPU per vote: app {cpu.get('app')} ms, PostgreSQL {cpu.get('db')} ms;  "
      f"statements per vote {summary.get('statements_per_vote', '?')} sent by the app "
      f"(+ {summary.get('nested_statements_per_vote', '?')} foreign-key checks inside them)")
print(f"counts in the database == acknowledged receipts: {'yes' if counts_ok else 'NO'}")
if tps:
    print(f"pgbench {tps:.0f} TPS   ratio votes/s / TPS = {summary['ratio_to_pgbench']:.3f}")
PY
