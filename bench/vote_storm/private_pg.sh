#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the vote storm, so that the benchmark can load
# pg_stat_statements (statements per vote) and restart the server mid-storm (fault
# run) without touching the shared server on 5432 that other people and CI use.
#
#   bench/vote_storm/private_pg.sh start     # initdb if needed, then start
#   bench/vote_storm/private_pg.sh restart   # pg_ctl restart -m fast (the fault run)
#   bench/vote_storm/private_pg.sh stop
#   bench/vote_storm/private_pg.sh status
#
# Knobs: PRIVATE_PG_DIR=/tmp/maillon-votestorm-pg  PRIVATE_PG_PORT=55432
#        PG_BIN=/usr/lib/postgresql/15/bin
# The cluster listens on 127.0.0.1 only, trust authentication, user postgres, default
# configuration otherwise (as the shared server) + shared_preload_libraries =
# pg_stat_statements. Run as root: the server runs as the postgres OS user.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=${PRIVATE_PG_DIR:-/tmp/maillon-votestorm-pg}
PORT=${PRIVATE_PG_PORT:-55432}
DATA=$DIR/data
LOG=$DIR/server.log

as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  else
    runuser -u postgres -- "$@"
  fi
}

init() {
  [ -f "$DATA/PG_VERSION" ] && return 0
  mkdir -p "$DIR"
  chown postgres: "$DIR"
  as_postgres "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$DIR/initdb.log"
  cat >>"$DATA/postgresql.conf" <<CONF

# bench/vote_storm/private_pg.sh
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
pg_stat_statements.track_utility = on
max_connections = 100
jit = off
CONF
}

case ${1:-} in
  start)
    init
    if as_postgres "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      echo "private PostgreSQL already running on 127.0.0.1:$PORT"
    else
      as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w start >/dev/null
      echo "private PostgreSQL started on 127.0.0.1:$PORT ($DATA)"
    fi
    ;;
  restart)
    as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -m fast -w restart >/dev/null
    echo "private PostgreSQL restarted (-m fast)"
    ;;
  stop)
    as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
    echo "private PostgreSQL stopped"
    ;;
  status)
    as_postgres "$PG_BIN/pg_ctl" -D "$DATA" status
    ;;
  pid)
    head -1 "$DATA/postmaster.pid"
    ;;
  *)
    echo "usage: $0 start|restart|stop|status|pid" >&2
    exit 2
    ;;
esac
