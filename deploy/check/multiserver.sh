#!/usr/bin/env bash
# The multi-server shape of docs/deploy.md, proved on this machine: two app servers
# (gunicorn A and B, with deploy/gunicorn.conf.py and production settings) and one RQ
# worker, sharing PostgreSQL and Redis; then deploy/check/test_multiserver.py checks
# that they behave as one site (session, login lockout, import run by the worker,
# public search cache). At the end the whole process group is stopped with SIGTERM,
# as systemd's KillMode=control-group would, and nothing may be left running.
#
#   deploy/check/multiserver.sh            (CI: .ci/run)
#
# Environment (defaults):
#   DATABASE_URL  postgres://postgres@127.0.0.1:5432/maillon_multiserver
#                 dropped and re-created: it must be on this machine
#   REDIS_URL     redis://127.0.0.1:6379/15    emptied: one of this machine's databases
#   PORT_A=8115 PORT_B=8125                    where A and B listen (127.0.0.1)
#   KEEP=1                                     keep the logs directory after success
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS
PYTHON=${PYTHON:-.venv/bin/python}
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maillon_multiserver}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/15}
PORT_A=${PORT_A:-8115}
PORT_B=${PORT_B:-8125}
HOST=maillon.test
OUT=$(mktemp -d "${TMPDIR:-/tmp}/maillon-multiserver.XXXXXX")
STACK=deploy/check/stack.py

step() { printf '\n== %s (%s s)\n' "$*" "$((SECONDS - started))"; }

ensure_services() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "Starting PostgreSQL ..."
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start
    fi
    for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && break; sleep 0.5; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable" >&2; return 1; }
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "Starting Redis ..."
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir "${TMPDIR:-/tmp}" --logfile "$OUT/redis.log"
    for _ in $(seq 1 60); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis is not reachable" >&2; return 1; }
}

port_free() {
  "$PYTHON" -c "import socket, sys; s = socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $1)) == 0)"
}

# Production settings, the same for A, B and the worker (what /etc/maillon/maillon.env
# gives every server). HTTPS is what the proxy would say: X-Forwarded-Proto from the
# test client, trusted from 127.0.0.1 only.
STACK_ENV=(
  MAILLON_DEBUG=0
  "SECRET_KEY=multiserver-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(40))')"
  ALLOWED_HOSTS=$HOST
  CSRF_TRUSTED_ORIGINS=https://$HOST
  SITE_URL=https://$HOST
  DATABASE_URL=$DATABASE_URL
  REDIS_URL=$REDIS_URL
  MAILLON_VAR_DIR=$OUT/var
  TRUSTED_PROXY_COUNT=1
  FORWARDED_ALLOW_IPS=127.0.0.1
  GUNICORN_WORKERS=2
  MEMBER_IMPORT_SYNC_MAX_ROWS=0
  LOG_LEVEL=WARNING
)
in_stack() { env "${STACK_ENV[@]}" "$@"; }

stack_pgid=""
stop_stack() {
  [ -n "$stack_pgid" ] || return 0
  local pgid=$stack_pgid
  stack_pgid=""
  local stop_started=$SECONDS
  kill -TERM -- "-$pgid" 2>/dev/null || true
  # Gunicorn's graceful timeout is 25 s; the stack is idle here, so it takes well under.
  for _ in $(seq 1 150); do
    pgrep -g "$pgid" >/dev/null || break
    sleep 0.2
  done
  if pgrep -g "$pgid" >/dev/null; then
    echo "LEFT RUNNING 30 s after SIGTERM to the process group:" >&2
    pgrep -a -g "$pgid" >&2 || true
    kill -KILL -- "-$pgid" 2>/dev/null || true
    return 1
  fi
  for port in "$PORT_A" "$PORT_B"; do
    if ! port_free "$port"; then
      echo "port $port still taken after the stack stopped" >&2
      return 1
    fi
  done
  echo "process group $pgid stopped in $((SECONDS - stop_started)) s: no process left," \
    "ports $PORT_A and $PORT_B free"
}

show_logs() {
  for log in "$OUT"/a.log "$OUT"/b.log "$OUT"/worker.log; do
    [ -s "$log" ] || continue
    echo "--- last lines of $log"
    tail -n 40 "$log"
  done
}

on_exit() {
  local code=$?
  if [ -n "$stack_pgid" ]; then
    stop_stack || code=1
  fi
  if [ "$code" -ne 0 ]; then
    show_logs
    echo "logs kept in $OUT"
  elif [ "${KEEP:-0}" = 1 ]; then
    echo "logs kept in $OUT"
  else
    rm -rf "$OUT"
  fi
  exit "$code"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

step "services"
ensure_services
for port in "$PORT_A" "$PORT_B"; do
  port_free "$port" || { echo "port $port is taken: set PORT_A / PORT_B" >&2; exit 1; }
done
export DATABASE_URL REDIS_URL
"$PYTHON" "$STACK" reset-db
"$PYTHON" "$STACK" reset-redis

step "migrate and collectstatic (production settings), side by side"
in_stack "$PYTHON" manage.py collectstatic --noinput -v0 >"$OUT/collectstatic.log" 2>&1 &
collectstatic_pid=$!
in_stack "$PYTHON" manage.py migrate --noinput -v0
wait "$collectstatic_pid" || { cat "$OUT/collectstatic.log"; exit 1; }

step "start A on :$PORT_A, B on :$PORT_B and one RQ worker, in one process group"
# setsid: a new session and process group whose id is the subshell's pid, so that one
# signal reaches every process the stack starts (gunicorn masters, their workers, the
# RQ worker and its work horses).
(
  export "${STACK_ENV[@]}"
  exec setsid bash -c '
    MAILLON_BIND=127.0.0.1:'"$PORT_A"' .venv/bin/gunicorn -c deploy/gunicorn.conf.py \
      --name maillon-a >"'"$OUT"'/a.log" 2>&1 &
    MAILLON_BIND=127.0.0.1:'"$PORT_B"' .venv/bin/gunicorn -c deploy/gunicorn.conf.py \
      --name maillon-b >"'"$OUT"'/b.log" 2>&1 &
    .venv/bin/python manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler \
      default >"'"$OUT"'/worker.log" 2>&1 &
    wait'
) &
stack_pgid=$!
for _ in $(seq 1 50); do  # setsid runs in the child a moment after the fork
  [ "$(ps -o pgid= -p "$stack_pgid" | tr -d ' ')" = "$stack_pgid" ] && break
  sleep 0.1
done
if [ "$(ps -o pgid= -p "$stack_pgid" | tr -d ' ')" != "$stack_pgid" ]; then
  echo "the stack did not get its own process group" >&2
  exit 1
fi
# The data goes in while the servers boot.
in_stack "$PYTHON" "$STACK" seed "$OUT/seed.json"
# Bounded waits (a loaded machine boots seven Python processes slowly).
"$PYTHON" "$STACK" wait-http "http://127.0.0.1:$PORT_A/healthz" "$HOST" --timeout 120
"$PYTHON" "$STACK" wait-http "http://127.0.0.1:$PORT_B/healthz" "$HOST" --timeout 120
"$PYTHON" "$STACK" wait-worker --timeout 120
echo "process group $stack_pgid: $(pgrep -c -g "$stack_pgid") processes"

step "checks (deploy/check/test_multiserver.py)"
env -u DATABASE_URL -u REDIS_URL \
  MAILLON_MULTISERVER_A="http://127.0.0.1:$PORT_A" \
  MAILLON_MULTISERVER_B="http://127.0.0.1:$PORT_B" \
  MAILLON_MULTISERVER_HOST="$HOST" \
  MAILLON_MULTISERVER_SEED="$OUT/seed.json" \
  MAILLON_MULTISERVER_REDIS="$REDIS_URL" \
  "$PYTHON" -m pytest -q -p no:cacheprovider -m multiserver deploy/check/test_multiserver.py

step "stop the process group with SIGTERM"
stop_stack
step "multi-server check passed"
