#!/usr/bin/env bash
# Checks the deployment files with the tools that will read them (run by .ci/run):
#   systemd-analyze verify   every unit of deploy/systemd, with its paths pointed at
#                            this checkout and its virtualenv (it checks that the
#                            programs exist) and the user set to the current one;
#   caddy validate / fmt     deploy/caddy/Caddyfile, with example values;
#   gunicorn --check-config  deploy/gunicorn.conf.py with production settings.
# A tool that is missing is reported as such and fails the check: install systemd
# and caddy (Debian packages) to run it.
set -uo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-$PWD/.venv}
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

check() {  # name, then the command; any output counts as a failure too
  local name=$1; shift
  local out
  out=$("$@" 2>&1)
  local code=$?
  if [ "$code" -ne 0 ] || [ -n "$out" ]; then
    echo "FAILED $name (exit $code)"
    [ -n "$out" ] && echo "$out" | sed 's/^/    /'
    failed=1
  else
    echo "ok     $name"
  fi
}

if command -v systemd-analyze >/dev/null; then
  me=$(id -un)
  for unit in deploy/systemd/*; do
    sed -e "s#/srv/maillon/app#$PWD#g" -e "s#/srv/maillon/venv#$VENV#g" \
      -e "s#/etc/maillon/maillon.env#$PWD/deploy/maillon.env.example#g" \
      -e "s#^User=maillon\$#User=$me#" -e "s#^Group=maillon\$#Group=$(id -gn)#" \
      "$unit" > "$scratch/$(basename "$unit")"
  done
  # The template instances the timers start, checked as such.
  instances=$(sed -n 's/^Unit=\(maillon-job@.*\.service\)$/\1/p' "$scratch"/*.timer | sort -u)
  check "systemd-analyze verify ($(ls deploy/systemd | wc -l) units, $(echo "$instances" | wc -l) job instances)" \
    env SYSTEMD_UNIT_PATH="$scratch:" systemd-analyze verify \
    "$scratch"/*.service "$scratch"/*.timer "$scratch"/*.target \
    $(for i in $instances; do echo "$scratch/$i"; done)
  for spec in $(sed -n 's/^OnCalendar=//p' deploy/systemd/*.timer | tr ' ' '_' | sort -u); do
    check "calendar ${spec//_/ }" bash -c "systemd-analyze calendar '${spec//_/ }' >/dev/null"
  done
else
  echo "FAILED systemd-analyze not found (Debian package systemd)"
  failed=1
fi

if command -v caddy >/dev/null; then
  export MAILLON_DOMAIN=maillon.example.org MAILLON_ACME_EMAIL=admin@example.org
  export MAILLON_UPSTREAMS="10.0.0.11:8000 10.0.0.12:8000" MAILLON_STATIC_ROOT=$scratch
  check "caddy validate deploy/caddy/Caddyfile" bash -c \
    'caddy validate --adapter caddyfile --config deploy/caddy/Caddyfile 2>&1 | grep -q "^Valid configuration$" || caddy validate --adapter caddyfile --config deploy/caddy/Caddyfile'
  check "caddy fmt (formatted as caddy writes it)" bash -c \
    'caddy fmt deploy/caddy/Caddyfile | diff -u deploy/caddy/Caddyfile -'
else
  echo "FAILED caddy not found (Debian package caddy)"
  failed=1
fi

check "gunicorn --check-config deploy/gunicorn.conf.py" env MAILLON_DEBUG=0 \
  SECRET_KEY=check-only ALLOWED_HOSTS=maillon.example.org MAILLON_VAR_DIR="$scratch/var" \
  "$VENV/bin/gunicorn" --check-config --config deploy/gunicorn.conf.py

exit "$failed"
